import {
  Decimal,
  EvaluationBudget,
  EvaluationLimitError,
  evaluate,
  evaluateValue,
  InvalidGroupFunctionError,
  typeOf,
  UnknownColumnError,
  UnknownFunctionError,
  UnknownSystemVariableError,
  ValueOutOfRangeError,
  WrongArgumentCountError,
  type EvaluationContext,
  type Expr,
  type ResultType,
} from '../../../../lib/sql/expression/index.js';
import { context, parse, show } from './helpers.js';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

const run = (text: string, ctx: EvaluationContext = context()) => evaluate(parse(text), ctx);
const type = (text: string, ctx: EvaluationContext = context()): ResultType =>
  typeOf(parse(text), { context: ctx });

describe('evaluate(): the API SET @a = expression uses', () => {
  it('gives values as handlers and user variables hold them', () => {
    expect(run('1 + 1')).toBe(2);
    expect(run('9007199254740993 + 0')).toBe(9007199254740993n);
    expect(run('3 / 2')).toBe(1.5);
    expect(run('1e0 / 4')).toBe(0.25);
    expect(run("CONCAT('a', 1)")).toBe('a1');
    expect(run("X'4142'")).toEqual(Buffer.from('AB'));
    expect(run('NULL')).toBeNull();
    expect(run('1 = 1')).toBe(1);
    expect(run('NOW()')).toBe('2026-01-02 03:04:05');
  });

  it('reads user and system variables through the context', () => {
    const ctx = context(
      { a: 5, s: 'text', big: 2n ** 63n, b: Buffer.from('xy'), flag: true },
      { wait_timeout: 28800, version_comment: 'c', sql_mode: 'ANSI' },
    );
    expect(run('@a * 2', ctx)).toBe(10);
    expect(run('@unset', ctx)).toBeNull();
    expect(run("CONCAT(@s, '!')", ctx)).toBe('text!');
    expect(run('@big', ctx)).toBe(2n ** 63n);
    expect(run('LENGTH(@b)', ctx)).toBe(2);
    expect(run('@flag + 1', ctx)).toBe(2);
    expect(run('@@wait_timeout + @@session.wait_timeout', ctx)).toBe(57600);
    expect(run('@@SQL_MODE', ctx)).toBe('ANSI');
    const scopes: Array<[string, string | null]> = [];
    const spy: EvaluationContext = {
      ...ctx,
      systemVariable: (name, scope) => {
        scopes.push([name, scope]);
        return 1;
      },
    };
    run('@@x + @@global.y + @@local.z', spy);
    expect(scopes).toEqual([
      ['x', null],
      ['y', 'global'],
      ['z', 'session'],
    ]);
  });

  it('answers the session functions from the context', () => {
    expect(run('DATABASE()')).toBe('rpc');
    expect(run('SCHEMA()')).toBe('rpc');
    expect(run('USER()')).toBe('u@127.0.0.1');
    expect(run('CURRENT_USER')).toBe('u@%');
    expect(run('VERSION()')).toBe('8.0.36-nestjs-mysql-rpc');
    expect(run('CONNECTION_ID()')).toBe(7);
    expect(run('LAST_INSERT_ID()')).toBe(0);
    expect(run('CURDATE()')).toBe('2026-01-02');
    expect(run('CURRENT_TIME')).toBe('03:04:05');
    expect(run('NOW(3)')).toBe('2026-01-02 03:04:05.678');
    expect(run('UTC_TIMESTAMP(6)')).toBe('2026-01-02 03:04:05.678000');
    expect(run('UNIX_TIMESTAMP()')).toBe(1767323045);
    expect(run('DATABASE()', context({}, {}, { database: null }))).toBeNull();
  });

  it('refuses as MySQL refuses when the statement runs', () => {
    expect(thrown(() => run('nope(1)'))).toEqual(new UnknownFunctionError('rpc', 'nope'));
    expect((thrown(() => run('nope(1)')) as Error).message).toBe(
      'FUNCTION rpc.nope does not exist',
    );
    expect((thrown(() => run('db.f()')) as Error).message).toBe('FUNCTION db.f does not exist');
    const noDb = context({}, {}, { database: null });
    expect((thrown(() => run('nope()', noDb)) as Error).message).toBe(
      'FUNCTION nope does not exist',
    );
    expect(thrown(() => run('CONCAT()'))).toBeInstanceOf(WrongArgumentCountError);
    expect((thrown(() => run('LEFT(1)')) as Error).message).toBe(
      "Incorrect parameter count in the call to native function 'left'",
    );
    // Checked before anything is evaluated: the unknown function wins over the bad variable.
    expect(thrown(() => run('@@nope + nope()'))).toBeInstanceOf(UnknownFunctionError);
    expect(thrown(() => run('@@nope'))).toEqual(new UnknownSystemVariableError('nope'));
    expect(thrown(() => run('a + 1'))).toEqual(new UnknownColumnError('a', 'field list'));
    expect(thrown(() => run('t.a'))).toEqual(new UnknownColumnError('t.a', 'field list'));
    expect(thrown(() => run('COUNT(*)'))).toBeInstanceOf(InvalidGroupFunctionError);
  });

  it.each([
    ['9223372036854775807 + 1', 'BIGINT', '(9223372036854775807 + 1)'],
    ['-9223372036854775808 - 1', 'BIGINT', '(-(9223372036854775808) - 1)'],
    ['4294967296 * 4294967296', 'BIGINT', '(4294967296 * 4294967296)'],
    ['0 - 18446744073709551615', 'BIGINT UNSIGNED', '(0 - 18446744073709551615)'],
    ['1e308 * 10', 'DOUBLE', '(1e308 * 10)'],
    ['-(-9223372036854775808)', 'BIGINT', '-(-(9223372036854775808))'],
  ])('%s is out of range (ERR 1690)', (text, t, printed) => {
    expect(thrown(() => run(text))).toEqual(new ValueOutOfRangeError(t, printed));
  });
});

describe('types of result columns, decided from the expression', () => {
  it.each([
    ['1', { kind: 'int', unsigned: false }],
    ['18446744073709551615', { kind: 'int', unsigned: true }],
    ['1.50', { kind: 'decimal', scale: 2 }],
    ['1 / 3', { kind: 'decimal', scale: 4 }],
    ['1.5 / 3', { kind: 'decimal', scale: 5 }],
    ['1.5 * 1.25', { kind: 'decimal', scale: 3 }],
    ['1e0', { kind: 'double' }],
    ["'1' + 1", { kind: 'double' }],
    ["'abc'", { kind: 'string', length: 3 }],
    ['NULL', { kind: 'null' }],
    ['1 = 1', { kind: 'int', unsigned: false }],
    ["IF(1, 2, 'x')", { kind: 'string', length: 21 }],
    ['IFNULL(NULL, 1.5)', { kind: 'decimal', scale: 1 }],
    ['COALESCE(NULL, 1, 2.50)', { kind: 'decimal', scale: 2 }],
    ['CASE WHEN 1 THEN 1 ELSE 1e0 END', { kind: 'double' }],
    ['CAST(1 AS CHAR)', { kind: 'string', length: null }],
    ['CAST(1 AS UNSIGNED)', { kind: 'int', unsigned: true }],
    ['NOW()', { kind: 'temporal', type: 'DATETIME', fsp: 0 }],
    ['NOW(3)', { kind: 'temporal', type: 'DATETIME', fsp: 3 }],
    ['ROUND(1.2345, 2)', { kind: 'decimal', scale: 2 }],
    ['LENGTH(1)', { kind: 'int', unsigned: false }],
    ['CONNECTION_ID()', { kind: 'int', unsigned: true }],
    ["X'01' + 0", { kind: 'int', unsigned: true }],
  ] as Array<[string, ResultType]>)('%s', (text, expected) => {
    expect(type(text)).toEqual(expected);
  });

  it('types a variable by its current value', () => {
    const ctx = context({ n: 1, s: 'ab', d: 1.5 }, { wait_timeout: 28800, sql_mode: '' });
    expect(type('@n', ctx)).toEqual({ kind: 'int', unsigned: false });
    expect(type('@s', ctx)).toEqual({ kind: 'string', length: 2 });
    expect(type('@d', ctx)).toEqual({ kind: 'double' });
    expect(type('@unset', ctx)).toEqual({ kind: 'null' });
    expect(type('@@wait_timeout', ctx)).toEqual({ kind: 'int', unsigned: false });
  });
});

describe('collations', () => {
  it('compares case-insensitively, except binary strings and *_bin / *_cs collations', () => {
    expect(show("'abc' = 'ABC'")).toBe('1');
    expect(show("'é' = 'E'")).toBe('1');
    expect(show("'abc' = 'ABC' COLLATE utf8mb4_bin")).toBe('0');
    expect(show("BINARY 'abc' = 'ABC'")).toBe('0');
    expect(show("_binary'abc' = 'ABC'")).toBe('0');
    expect(show("'abc' LIKE 'A%' COLLATE utf8mb4_0900_as_cs")).toBe('0');
    expect(show("LOCATE('B', 'abc')")).toBe('2');
    expect(show("LOCATE('B', 'abc' COLLATE utf8mb4_bin)")).toBe('0');
    expect(show("'a' IN ('A')")).toBe('1');
  });

  it('follows a column’s collation when the context gives one', () => {
    const column = (expr: Expr): Expr => expr;
    const ctx: EvaluationContext = {
      ...context(),
      column: () => 'rpc',
      columnCollation: () => 'bin',
    };
    expect(evaluateValue(column(parse("s = 'RPC'")), ctx)).toBe(0n);
    expect(evaluateValue(parse("s = 'rpc'"), ctx)).toBe(1n);
    // An explicit COLLATE outranks the column's.
    expect(evaluateValue(parse("s = 'RPC' COLLATE utf8mb4_general_ci"), ctx)).toBe(1n);
  });
});

describe('bounds', () => {
  it('returns NULL for a string longer than max_allowed_packet, before building it', () => {
    const ctx = context({}, {}, { maxAllowedPacket: 1000 });
    expect(run("REPEAT('x', 1000)", ctx)).toBe('x'.repeat(1000));
    expect(run("REPEAT('x', 1001)", ctx)).toBeNull();
    expect(run("REPEAT('ab', 1000000000000)", ctx)).toBeNull();
    expect(run("LPAD('', 5000, 'x')", ctx)).toBeNull();
    expect(run("REPLACE(REPEAT('a', 500), 'a', 'bbb')", ctx)).toBeNull();
  });

  it('stops a statement past its budget of steps or bytes', () => {
    const few = (): EvaluationContext => ({ ...context(), budget: new EvaluationBudget(1000) });
    const pattern = `'${'%a'.repeat(50)}b'`;
    expect(thrown(() => run(`REPEAT('a', 100000) LIKE ${pattern}`, few()))).toBeInstanceOf(
      EvaluationLimitError,
    );
    expect(run(`REPEAT('a', 100) LIKE ${pattern}`)).toBe(0);
    const small: EvaluationContext = { ...context(), budget: new EvaluationBudget(1e9, 100_000) };
    expect(
      thrown(() => run("CONCAT(REPEAT('x', 60000), REPEAT('y', 60000))", small)),
    ).toBeInstanceOf(EvaluationLimitError);
  });
});

describe('values', () => {
  it('keeps DECIMAL exact and rounds half away from zero', () => {
    expect(Decimal.parse('1.005').rescale(2).toString()).toBe('1.01');
    expect(Decimal.parse('-1.005').rescale(2).toString()).toBe('-1.01');
    expect(Decimal.parse('0.1').add(Decimal.parse('0.2')).toString()).toBe('0.3');
    expect(Decimal.fromDouble(0.1).toString()).toBe('0.1');
    expect(Decimal.fromDouble(1e20).toString()).toBe('100000000000000000000');
    expect(show('0.1 + 0.2 = 0.3')).toBe('1');
    expect(show('0.1e0 + 0.2e0 = 0.3e0')).toBe('0');
  });

  it('reads a hex literal as a number beside numbers and as bytes beside strings', () => {
    expect(show("0x41 = 'A'")).toBe('1');
    expect(show('0x41 = 65')).toBe('1');
    expect(show("CONCAT(0x41, 'b')")).toBe('Ab');
  });

  it('takes bytes that crossed a thread as a Uint8Array', () => {
    const expr: Expr = { kind: 'bytes', value: new Uint8Array([0x61]), numeric: false };
    expect(evaluate(expr, context())).toEqual(Buffer.from('a'));
  });
});
