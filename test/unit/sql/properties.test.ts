import fc from 'fast-check';
import {
  EmptyQueryError,
  IllegalDoubleError,
  parseStatement,
  SqlSyntaxError,
  SqlUnsupportedError,
  type SqlValue,
} from '../../../lib/sql/index.js';
import { Choices, expectedValue, gap, renderLiteral } from './render-literal.js';

/**
 * Whether `near` is a piece of `sql`, allowing for MySQL's patching of nested comments in
 * an unterminated skipped version comment: `(` and `)` in `near` may stand for a `/`.
 */
function occursIn(sql: string, near: string): boolean {
  for (let i = 0; i + near.length <= sql.length; i++) if (occursAt(sql, i, near)) return true;
  return false;
}

function occursAt(sql: string, at: number, near: string): boolean {
  if (at < 0 || at + near.length > sql.length) return false;
  for (let j = 0; j < near.length; j++) {
    const a = near.charAt(j);
    const b = sql.charAt(at + j);
    if (a !== b && !((a === '(' || a === ')') && b === '/')) return false;
  }
  return true;
}

/** Parses and insists on the only outcomes allowed: a statement or one of the parser's errors. */
function parsesOrRejects(sql: string): void {
  try {
    const statement = parseStatement(sql);
    expect(typeof statement.kind).toBe('string');
  } catch (error) {
    if (error instanceof SqlSyntaxError) {
      // near is a tail of the query, whole or cut to 80 characters; line is a real line.
      expect(occursIn(sql, error.near)).toBe(true);
      expect(
        occursAt(sql, sql.length - error.near.length, error.near) || [...error.near].length === 80,
      ).toBe(true);
      expect(error.line).toBeGreaterThanOrEqual(1);
      expect(error.line).toBeLessThanOrEqual(sql.split('\n').length);
      return;
    }
    if (error instanceof EmptyQueryError) return;
    if (error instanceof IllegalDoubleError) {
      // The literal as written, which overflows a double.
      expect(sql).toContain(error.text);
      expect(parseFloat(error.text)).toBe(Infinity);
      return;
    }
    if (error instanceof SqlUnsupportedError) {
      expect(sql).toMatch(/set/i);
      return;
    }
    throw error;
  }
}

const SQLISH = [
  "'",
  '"',
  '`',
  '\\',
  '\\N',
  '*/',
  '/*',
  '/*!',
  '/*!50001',
  '/*!99999',
  '/*!80036 ',
  '/*!100000 ',
  '/*M!',
  '/*+',
  '--',
  '-- ',
  '#',
  '\n',
  '\r',
  ' ',
  '\t',
  '0',
  '1',
  '9',
  '.',
  'e',
  'E',
  '+',
  '-',
  "x'",
  "X'",
  "b'",
  "N'",
  '0x',
  '0b',
  '1e999',
  '@a.b',
  '_binary',
  '_utf8mb4',
  '_foo',
  '(',
  ')',
  ',',
  ';',
  '@',
  '@@',
  'CALL',
  'call ',
  'SELECT ',
  'SET ',
  'USE ',
  'SHOW ',
  'WARNINGS',
  'LIMIT',
  'FROM',
  'DUAL',
  'AS',
  'START ',
  'TRANSACTION',
  'BEGIN',
  'COMMIT',
  'ROLLBACK',
  'AND',
  'NO',
  'CHAIN',
  'RELEASE',
  'WORK',
  'NULL',
  'TRUE',
  'false',
  'p',
  'db',
  '.',
  'session',
  'global',
  'DATABASE',
  'USER',
  'CURRENT_USER',
  '😀',
  'é',
  '\0',
  '\uD800',
  '\uDC00',
  'a',
  'z',
  '$',
  '_',
  '?',
  '*',
  '/',
];

const sqlish = fc.string({ unit: fc.constantFrom(...SQLISH), maxLength: 40 });
const prefixes = fc.constantFrom(
  '',
  'CALL p(',
  'CALL ',
  'SELECT ',
  'SET ',
  'USE ',
  'SHOW WARNINGS ',
  'START TRANSACTION ',
  'COMMIT ',
  'ROLLBACK ',
  'BEGIN ',
  'CALL p(1, ',
  'KILL ',
  'KILL QUERY ',
  'SHOW GLOBAL STATUS ',
  '/*!',
);

describe('property: parseStatement only returns or throws its own errors', () => {
  it('for arbitrary unicode strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), parsesOrRejects), { numRuns: 3000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), parsesOrRejects), { numRuns: 1000 });
  });

  it('for strings over a SQL-ish alphabet', () => {
    fc.assert(fc.property(sqlish, parsesOrRejects), { numRuns: 10000 });
  });

  it('for SQL-ish strings after statement prefixes', () => {
    fc.assert(
      fc.property(
        prefixes,
        sqlish,
        fc.constantFrom('', ')', ');', ') -- x'),
        (prefix, body, suffix) => parsesOrRejects(prefix + body + suffix),
      ),
      { numRuns: 10000 },
    );
  });
});

const MIN_I64 = -(2n ** 63n);
const MAX_U64 = 2n ** 64n - 1n;

const sqlValue: fc.Arbitrary<SqlValue> = fc.oneof(
  fc.maxSafeInteger(),
  fc.bigInt({ min: MIN_I64, max: MAX_U64 }),
  fc.constantFrom(
    2n ** 53n - 1n,
    2n ** 53n,
    -(2n ** 53n),
    2n ** 63n - 1n,
    2n ** 63n,
    MIN_I64,
    MAX_U64,
    0n,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: fc.constantFrom(
      "'",
      '"',
      '\\',
      '%',
      '_',
      '\0',
      '\n',
      '\r',
      '\t',
      '\b',
      '\x1a',
      'a',
      '😀',
      '*/',
      '--',
    ),
  }),
  fc.uint8Array({ maxLength: 40 }).map((array) => Buffer.from(array)),
  fc.constant(null),
  fc.boolean(),
);

const NAMES = ['p', 'myadd', '`my proc`', 'db.p', '`d b`.`p``q`', 'Db . P', '😀'];

describe('property: literals round-trip', () => {
  it('parses rendered arguments back to the values they came from', () => {
    fc.assert(
      fc.property(fc.array(sqlValue, { maxLength: 8 }), fc.integer(), (values, seed) => {
        const ch = new Choices(seed);
        const args = values.map(
          (value) => gap(ch, true) + renderLiteral(ch, value) + gap(ch, true),
        );
        const sql =
          gap(ch, true) +
          ch.pick(['CALL', 'call', 'Call']) +
          gap(ch, false) +
          ch.pick(NAMES) +
          gap(ch, true) +
          '(' +
          (args.length === 0 ? gap(ch, true) : args.join(',')) +
          ')' +
          gap(ch, true) +
          (ch.oneIn(2) ? ';' + gap(ch, true) : '');
        const statement = parseStatement(sql);
        if (statement.kind !== 'call') throw new Error(`not a call: ${sql}`);
        expect(statement.args).toEqual(values.map(expectedValue));
      }),
      { numRuns: 5000 },
    );
  });

  it('also inside a SELECT list', () => {
    fc.assert(
      fc.property(
        fc.array(sqlValue, { minLength: 1, maxLength: 5 }),
        fc.integer(),
        (values, seed) => {
          const ch = new Choices(seed);
          const sql = 'SELECT ' + values.map((v) => renderLiteral(ch, v)).join(' , ') + ' LIMIT 1';
          const statement = parseStatement(sql);
          if (statement.kind !== 'select') throw new Error(`not a select: ${sql}`);
          expect(statement.items.map((item) => item.expr)).toEqual(
            values.map((value) => ({ type: 'literal', value: expectedValue(value) })),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('property: version comments run exactly when the server has reached their version', () => {
  it('keeps an argument behind /*!NNNNN iff NNNNN <= the server version', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99999 }),
        fc.integer({ min: 10000, max: 99999 }),
        fc.constantFrom(' ', '\n', ' /* c */ ', ' /**/ '),
        (version, server, gap) => {
          const digits = String(version).padStart(5, '0');
          const sql = `CALL p(1 /*!${digits}${gap}, 2${gap}*/)`;
          const statement = parseStatement(sql, null, { serverVersionId: server });
          if (statement.kind !== 'call') throw new Error(`not a call: ${sql}`);
          expect(statement.args).toEqual(version <= server ? [1, 2] : [1]);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('property: unquoted user variable names', () => {
  const nameChars = fc.constantFrom('a', 'Z', '0', '9', '_', '$', '.', 'é', '😀');

  it('name the same variable in CALL, SET and SELECT, case-insensitively', () => {
    fc.assert(
      fc.property(fc.string({ unit: nameChars, minLength: 1, maxLength: 12 }), (name) => {
        const variables = new Map<string, SqlValue>([[name.toLowerCase(), 42]]);
        expect(parseStatement(`CALL p(@${name}, @\`${name}\`)`, variables)).toMatchObject({
          args: [42, 42],
        });
        expect(parseStatement(`SET @${name} = 7`)).toEqual({
          kind: 'set',
          userVariables: [[name.toLowerCase(), 7]],
        });
        expect(parseStatement(`SELECT @${name}`, variables)).toEqual({
          kind: 'select',
          // Names are kept in utf8mb3: a character beyond the BMP reads as ?.
          items: [{ expr: { type: 'literal', value: 42 }, column: `@${name.replace(/😀/g, '?')}` }],
          limit: null,
        });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('property: column names are what MySQL keeps of the text', () => {
  it('are at most 255 bytes of UTF-8 without leading blanks, with ? for characters beyond the BMP', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ' ', '\t', 'é', '€', '😀', "''") }),
        (text) => {
          const statement = parseStatement(`SELECT '${text}'`);
          if (statement.kind !== 'select') throw new Error('not a select');
          const column = statement.items[0]?.column ?? '';
          const expected = text
            .replace(/''/g, "'")
            .replace(/^[ \t]+/, '')
            .replace(/😀/g, '?');
          expect(Buffer.byteLength(column, 'utf8')).toBeLessThanOrEqual(255);
          expect(expected.startsWith(column)).toBe(true);
          if (Buffer.byteLength(expected, 'utf8') <= 255) expect(column).toBe(expected);
          else expect(Buffer.byteLength(column, 'utf8')).toBeGreaterThan(252);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
