import fc from 'fast-check';
import {
  IllegalDoubleError,
  parseNextStatement,
  parseStatement,
  SqlSyntaxError,
  SqlUnsupportedError,
  type SqlValue,
  type Statement,
} from '../../../lib/sql/index.js';
import { MAX_SET_EXPRESSION_NODES } from '../../../lib/sql/parse-set.js';
import type { SetAssignment } from '../../../lib/sql/types.js';
import { syntaxError } from './helpers.js';

type SetStatement = Extract<Statement, { kind: 'set' }>;

function parseSet(sql: string, variables?: Map<string, SqlValue>): SetStatement {
  const statement = parseStatement(sql, variables ?? null);
  if (statement.kind !== 'set') throw new Error(`expected a SET, got ${statement.kind}`);
  return statement;
}

/** The assignments other than `@name = literal`. */
const assignments = (sql: string): SetAssignment[] | undefined => parseSet(sql).assignments;

describe('SET system variables', () => {
  it.each<[string, SetAssignment[]]>([
    ['SET autocommit = 0', [['autocommit', 0]]],
    ['set AutoCommit:=1', [['AutoCommit', 1]]],
    ['SET SESSION wait_timeout = 10', [['wait_timeout', 10]]],
    ['SET LOCAL wait_timeout = 10', [['wait_timeout', 10]]],
    ['SET @@wait_timeout = 10', [['wait_timeout', 10, 'unscoped']]],
    ['SET @@session.wait_timeout = 10', [['wait_timeout', 10]]],
    ['SET @@LOCAL.wait_timeout = 10', [['wait_timeout', 10]]],
    ['SET @@global.wait_timeout = 10', [['wait_timeout', 10, 'global']]],
    ['SET GLOBAL wait_timeout = 10', [['wait_timeout', 10, 'global']]],
    ['SET PERSIST wait_timeout = 10', [['wait_timeout', 10, 'persist']]],
    ['SET @@persist_only.x = 1', [['x', 1, 'persist_only']]],
    ['SET `sql_mode` = ""', [['sql_mode', '']]],
    ['SET a.b = 1', [['a.b', 1]]],
    ['SET x = -5', [['x', -5]]],
    ['SET x = - - 5', [['x', 5]]],
    ['SET x = 18446744073709551615', [['x', 18446744073709551615n]]],
    ['SET x = 18446744073709551616', [['x', { real: '18446744073709551616' }]]],
    ['SET x = -9223372036854775809', [['x', { real: '-9223372036854775809' }]]],
    ['SET x = 1.0', [['x', { real: '1.0' }]]],
    ['SET x = -1e3', [['x', { real: '-1e3' }]]],
    [
      'SET x = TRUE, y = false',
      [
        ['x', 1],
        ['y', 0],
      ],
    ],
    [
      'SET x = NULL, y = \\N',
      [
        ['x', null],
        ['y', null],
      ],
    ],
    ["SET x = 'a' 'b'", [['x', 'ab']]],
    ["SET x = _utf8mb4'a'", [['x', 'a']]],
    ["SET x = X'4F4e'", [['x', Buffer.from('ON')]]],
    ['SET x = 0x01', [['x', Buffer.from([1])]]],
    // A bare name is its text, as written; ON and the like are values of their own.
    ['SET sql_mode = strict_trans_tables', [['sql_mode', 'strict_trans_tables']]],
    ['SET x = `quoted name`', [['x', 'quoted name']]],
    ['SET x = OFF', [['x', 'OFF']]],
    ['SET x = ON', [['x', 'ON']]],
    [
      'SET x = on, y = all',
      [
        ['x', 'ON'],
        ['y', 'ALL'],
      ],
    ],
    ['SET x = BINARY', [['x', 'binary']]],
    ['SET time_zone = SYSTEM', [['time_zone', 'SYSTEM']]],
    ['SET x = DEFAULT', [['x', { default: true }]]],
    ['SET x = ROW', [['x', 'ROW']]],
  ])('%s', (sql, expected) => {
    expect(assignments(sql)).toEqual(expected);
  });

  it('reads every other value as an expression, to evaluate when the SET runs', () => {
    expect(assignments("SET sql_mode = CONCAT(@@sql_mode, ',X')")).toEqual([
      [
        'sql_mode',
        {
          expr: {
            kind: 'call',
            name: 'CONCAT',
            schema: null,
            args: [
              { kind: 'systemVariable', name: 'sql_mode', scope: null },
              { kind: 'string', value: ',X' },
            ],
            star: false,
            distinct: false,
          },
        },
      ],
    ]);
    expect(assignments('SET x = @saved')).toEqual([
      ['x', { expr: { kind: 'userVariable', name: 'saved' } }],
    ]);
    expect(assignments('SET x = 1 + 1')).toMatchObject([['x', { expr: { kind: 'arithmetic' } }]]);
    expect(assignments('SET x = BINARY 1')).toMatchObject([['x', { expr: {} }]]);
    expect(assignments('SET x = a.b')).toMatchObject([['x', { expr: { kind: 'column' } }]]);
    // A literal that starts an expression is read again as one, version comments and all.
    expect(assignments('SET x = 1 /*!40101 + 2 */, y = 3')).toMatchObject([
      ['x', { expr: { kind: 'arithmetic', op: '+' } }],
      ['y', 3],
    ]);
    expect(assignments('/*!40101 SET x = 1 */')).toEqual([['x', 1]]);
  });

  it('keeps a scope keyword for the assignments after it, until the next one', () => {
    expect(
      assignments('SET GLOBAL a = 1, b = 2, SESSION c = 3, @@global.d = 4, e = 5, @@f = 6'),
    ).toEqual([
      ['a', 1, 'global'],
      ['b', 2, 'global'],
      ['c', 3],
      ['d', 4, 'global'],
      ['e', 5],
      ['f', 6, 'unscoped'],
    ]);
  });

  it('reads NAMES and CHARACTER SET', () => {
    expect(assignments('SET NAMES utf8mb4')).toEqual([{ names: 'utf8mb4', collation: null }]);
    expect(assignments("SET NAMES 'utf8mb4' COLLATE 'utf8mb4_bin'")).toEqual([
      { names: 'utf8mb4', collation: 'utf8mb4_bin' },
    ]);
    expect(assignments('SET NAMES binary COLLATE binary')).toEqual([
      { names: 'binary', collation: 'binary' },
    ]);
    expect(assignments('SET NAMES DEFAULT')).toEqual([{ names: null, collation: null }]);
    expect(assignments('SET CHARACTER SET utf8mb4')).toEqual([{ charset: 'utf8mb4' }]);
    expect(assignments('SET CHAR SET `utf8`')).toEqual([{ charset: 'utf8' }]);
    expect(assignments('SET CHARSET DEFAULT')).toEqual([{ charset: null }]);
    expect(assignments('SET autocommit=1, NAMES utf8mb4, sql_mode = ""')).toEqual([
      ['autocommit', 1],
      { names: 'utf8mb4', collation: null },
      ['sql_mode', ''],
    ]);
  });

  it.each<[string, SetAssignment]>([
    [
      'SET TRANSACTION ISOLATION LEVEL READ COMMITTED',
      { transaction: 'next', isolation: 'READ-COMMITTED', readOnly: null },
    ],
    [
      'SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY',
      { transaction: 'session', isolation: 'REPEATABLE-READ', readOnly: true },
    ],
    [
      'set local transaction read write, isolation level serializable',
      { transaction: 'session', isolation: 'SERIALIZABLE', readOnly: false },
    ],
    [
      'SET GLOBAL TRANSACTION ISOLATION LEVEL READ UNCOMMITTED',
      { transaction: 'global', isolation: 'READ-UNCOMMITTED', readOnly: null },
    ],
  ])('%s', (sql, expected) => {
    expect(assignments(sql)).toEqual([expected]);
  });

  it.each([
    ['SET x', ''],
    ['SET x 1', '1'],
    ['SET x = ', ''],
    ['SET x = 1,', ''],
    ['SET x : = 1', ': = 1'],
    ['SET GLOBAL @@x = 1', '@@x = 1'],
    ['SET GLOBAL @a = 1', '@a = 1'],
    ['SET @@ x = 1', 'x = 1'],
    ['SET select = 1', 'select = 1'],
    ['SET NAMES', ''],
    ['SET NAMES utf8mb4 COLLATE', ''],
    ['SET CHARACTER utf8mb4', 'utf8mb4'],
    ['SET TRANSACTION', ''],
    ['SET TRANSACTION READ ONLY, READ WRITE', 'READ WRITE'],
    ['SET TRANSACTION ISOLATION LEVEL READ', ''],
    ['SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, x = 1', 'x = 1'],
    ['SET a = 1, TRANSACTION READ ONLY', 'READ ONLY'],
    ['SET PERSIST TRANSACTION READ ONLY', 'READ ONLY'],
    ['SET x = ON ON', 'ON'],
    ['SET x = 1 2', '2'],
  ])('%j is a syntax error near %j', (sql, near) => {
    expect(syntaxError(sql)).toEqual({ near, line: 1 });
  });

  it('refuses a double out of range while parsing, as MySQL does', () => {
    expect(() => parseStatement('SET x = 1e400')).toThrow(IllegalDoubleError);
  });

  it('bounds the expressions one SET may keep', () => {
    const many = Array.from({ length: MAX_SET_EXPRESSION_NODES }, (_, i) => `@v${i} = @@x`);
    expect(() => parseStatement(`SET ${many.join(', ')}`)).toThrow(SqlUnsupportedError);
    expect(() => parseStatement(`SET ${many.slice(0, 1000).join(', ')}`)).not.toThrow();
  });

  it('leaves SET PASSWORD, ROLE, DEFAULT ROLE and RESOURCE GROUP to the statements they are', () => {
    for (const sql of [
      "SET PASSWORD = 'x'",
      "SET PASSWORD FOR u = 'x'",
      'SET ROLE ALL',
      'SET DEFAULT ROLE ALL TO u',
      'SET RESOURCE GROUP g',
    ]) {
      expect(parseStatement(sql)).toMatchObject({ kind: 'other', keyword: 'SET' });
    }
  });

  it('ends at the `;` of a multi-statement query', () => {
    const sql = 'SET autocommit = 0; SELECT 1';
    const first = parseNextStatement(sql, 0);
    expect(first.statement).toEqual({
      kind: 'set',
      userVariables: [],
      assignments: [['autocommit', 0]],
    });
    expect(sql.slice(first.next)).toBe(' SELECT 1');
  });
});

describe('SET user variables', () => {
  const vars = new Map<string, SqlValue>([['a', 5]]);

  it('keeps literal values as read, and computed ones at their places', () => {
    expect(parseSet('SET @a = 1, @b = @a + 1, @c := @a, @d = 2', vars)).toEqual({
      kind: 'set',
      userVariables: [
        ['a', 1],
        ['c', 5],
        ['d', 2],
      ],
      assignments: [
        {
          user: 'b',
          value: {
            kind: 'arithmetic',
            op: '+',
            left: { kind: 'userVariable', name: 'a' },
            right: { kind: 'int', value: 1n },
          },
          at: 1,
        },
      ],
    });
  });

  it('reads @@x as an expression, as mysqldump saves settings', () => {
    expect(
      parseSet("/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */"),
    ).toEqual({
      kind: 'set',
      userVariables: [],
      assignments: [
        {
          user: 'old_sql_mode',
          value: { kind: 'systemVariable', name: 'sql_mode', scope: null },
          at: 0,
        },
        ['SQL_MODE', 'NO_AUTO_VALUE_ON_ZERO'],
      ],
    });
  });

  it('has no assignments field when every assignment is a literal to a user variable', () => {
    expect(parseSet("SET @x = 'a', @y = -1.5")).toEqual({
      kind: 'set',
      userVariables: [
        ['x', 'a'],
        ['y', -1.5],
      ],
    });
  });
});

describe('property: SET', () => {
  // A prefix keeps reserved words (AS, IN...) out: they cannot name a variable unquoted.
  const name = fc.stringMatching(/^v_[a-z0-9_]{0,10}$/);
  const literal = fc.oneof(
    fc.integer({ min: -1e9, max: 1e9 }).map((n) => [String(n), n] as const),
    fc
      .string({ maxLength: 8 })
      .map((s) => [`'${s.replace(/['\\]/g, '')}'`, s.replace(/['\\]/g, '')] as const),
    fc.constantFrom(['NULL', null] as const, ['TRUE', 1] as const, ['FALSE', 0] as const),
  );

  it('reads any list of literal assignments back in order, with their scopes', () => {
    const scope = fc.constantFrom('', 'SESSION ', 'GLOBAL ', '@@', '@@global.', '@@session.');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(scope, name, literal), { minLength: 1, maxLength: 8 }),
        (list) => {
          const sql = 'SET ' + list.map(([s, n, [text]]) => `${s}${n} = ${text}`).join(', ');
          const parsed = assignments(sql)!;
          expect(parsed).toHaveLength(list.length);
          let sticky: string | undefined;
          list.forEach(([s, n, [, value]], i) => {
            if (s === 'GLOBAL ') sticky = 'global';
            if (s === 'SESSION ') sticky = undefined;
            const expected =
              s === '@@'
                ? 'unscoped'
                : s === '@@global.'
                  ? 'global'
                  : s === '@@session.'
                    ? undefined
                    : sticky;
            expect(parsed[i]).toEqual(expected === undefined ? [n, value] : [n, value, expected]);
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws anything but the parser errors, whatever follows SET', () => {
    const piece = fc.constantFrom(
      'SET',
      ' ',
      'x',
      '=',
      ':=',
      ',',
      '@',
      '@@',
      'global.',
      'NAMES',
      'utf8mb4',
      'COLLATE',
      'TRANSACTION',
      'READ',
      'ONLY',
      'ISOLATION',
      'LEVEL',
      'DEFAULT',
      'ON',
      '1',
      '-',
      "'s'",
      '(',
      ')',
      'CONCAT',
      '/*!40101',
      '*/',
      ';',
      '1.5',
      'SESSION',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
        try {
          parseStatement('SET ' + pieces.join(' '));
        } catch (error) {
          expect(
            error instanceof SqlSyntaxError ||
              error instanceof SqlUnsupportedError ||
              error instanceof IllegalDoubleError,
          ).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
