import fc from 'fast-check';
import { parseExpression } from '../../../lib/sql/expression/parse-expression.js';
import {
  EmptyQueryError,
  IllegalDoubleError,
  parseNextStatement,
  parseStatement,
  SqlSyntaxError,
  type Statement,
} from '../../../lib/sql/index.js';
import { Lexer } from '../../../lib/sql/lexer.js';
import { other, syntaxError } from './helpers.js';

type KillStatement = Extract<Statement, { kind: 'kill' }>;

/** The expression `text` parses to on its own, as KILL's id should be. */
function expression(text: string) {
  const lx = new Lexer(text, null, 80036);
  lx.next();
  return parseExpression(lx);
}

const kill = (target: KillStatement['target'], id: string): KillStatement => ({
  kind: 'kill',
  target,
  id: expression(id),
});

describe('KILL', () => {
  it.each<[string, KillStatement]>([
    ['KILL 5', kill('connection', '5')],
    ['KILL QUERY 7', kill('query', '7')],
    ['KILL CONNECTION 7', kill('connection', '7')],
    ['KILL CONNECTION CONNECTION_ID()', kill('connection', 'CONNECTION_ID()')],
    ['KILL QUERY CONNECTION_ID()', kill('query', 'CONNECTION_ID()')],
    ['kill  /* c */ 12;', kill('connection', '12')],
    ['Kill Query 3 -- why', kill('query', '3')],
    ['KILL @id', kill('connection', '@id')],
    ['KILL 2 + 3', kill('connection', '2 + 3')],
    ["KILL '5'", kill('connection', "'5'")],
    ['KILL -1', kill('connection', '-1')],
    ['/*!50000 KILL */ 4', kill('connection', '4')],
    // CONNECTION or QUERY after KILL is the option, as MySQL's grammar shifts it; what follows is the id.
    ['KILL QUERY QUERY', kill('query', 'QUERY')],
    ['KILL CONNECTION `connection`', kill('connection', '`connection`')],
  ])('%j', (sql, expected) => {
    expect(parseStatement(sql)).toEqual(expected);
  });

  it.each([
    ['KILL', ''],
    ['KILL QUERY', ''],
    ['KILL CONNECTION', ''],
    ['KILL QUERY -- nothing', ''],
    ['KILL ;', ';'],
    ['KILL 5 6', '6'],
    ['KILL QUERY CONNECTION 5', '5'],
    ['KILL 1, 2', ', 2'],
    ['KILL (1', ''],
    ['KILL 1; KILL 2', 'KILL 2'],
  ])('%j is a syntax error near %j', (sql, near) => {
    expect(syntaxError(sql)).toEqual({ near, line: 1 });
  });

  it('is `other` for an id the evaluator does not run, as SELECT is', () => {
    for (const sql of ['KILL (SELECT 1)', 'KILL ?', 'KILL QUERY 1 + (SELECT 2)']) {
      expect(parseStatement(sql)).toEqual(other(sql, 'KILL'));
    }
  });

  it('ends at its `;` with multi-statements on', () => {
    const sql = 'KILL QUERY 9; SELECT 1';
    const first = parseNextStatement(sql, 0);
    expect(first.statement).toEqual(kill('query', '9'));
    expect(sql.slice(first.next)).toBe(' SELECT 1');
  });

  it('survives the trip to the parse worker: plain data only', () => {
    const parsed = parseStatement('KILL QUERY CONNECTION_ID() + 1');
    expect(structuredClone(parsed)).toEqual(parsed);
  });
});

const gap = fc.constantFrom(' ', '  ', '\n', '\t', ' /* c */ ', '/**/', ' -- x\n', ' # x\n');
const target = fc.constantFrom(
  ['', 'connection'],
  ['CONNECTION', 'connection'],
  ['connection', 'connection'],
  ['QUERY', 'query'],
  ['Query', 'query'],
) as fc.Arbitrary<[string, KillStatement['target']]>;

describe('property: KILL', () => {
  it('reads [CONNECTION | QUERY] and any id, whatever the blanks, comments and letter case', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('KILL', 'kill', 'Kill'),
        gap,
        target,
        gap,
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.constantFrom('', ';', ' ;', '; ', ' -- end'),
        (keyword, gap1, [option, expected], gap2, id, end) => {
          const sql = `${keyword}${gap1}${option}${option === '' ? '' : gap2}${id}${end}`;
          expect(parseStatement(sql)).toEqual({
            kind: 'kill',
            target: expected,
            id: { kind: 'int', value: id },
          });
        },
      ),
      { numRuns: 3000 },
    );
  });

  const pieces = fc.constantFrom(
    'KILL',
    'QUERY',
    'CONNECTION',
    'CONNECTION_ID()',
    '1',
    '18446744073709551616',
    '1e999',
    '@a',
    '@@wait_timeout',
    "'x",
    "'x'",
    '(',
    ')',
    '(SELECT 1)',
    '?',
    '+',
    '-',
    ',',
    ';',
    ' ',
    '/*',
    '*/',
    '/*!',
    '--',
    '#',
    '\n',
    'é',
    '😀',
  );

  it('returns a statement or throws one of the parser’s errors, near a piece of the query', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 12 }), (list) => {
        const sql = 'KILL ' + list.join('');
        try {
          const statement = parseStatement(sql);
          expect(['kill', 'other']).toContain(statement.kind);
        } catch (error) {
          if (error instanceof SqlSyntaxError) {
            expect(sql.includes(error.near)).toBe(true);
            return;
          }
          if (error instanceof EmptyQueryError || error instanceof IllegalDoubleError) return;
          throw error;
        }
      }),
      { numRuns: 5000 },
    );
  });
});
