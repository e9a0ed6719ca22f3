import {
  IllegalDoubleError,
  MAX_CALL_ARGUMENTS,
  MAX_SELECT_ITEMS,
  parseStatement,
  SqlSyntaxError,
  TooManyCallArgumentsError,
  TooManySelectItemsError,
  type SqlValue,
} from '../../../lib/sql/index.js';
import { callArgs, other, parseSelect } from './helpers.js';

function thrown(sql: string, variables: Map<string, SqlValue> | null = null): unknown {
  try {
    parseStatement(sql, variables);
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function list(count: number, item: string): string {
  return Array.from({ length: count }, () => item).join(',');
}

describe('limits', () => {
  it('are MySQL’s: 4096 select items (MAX_FIELDS), 65535 arguments (placeholders)', () => {
    expect(MAX_SELECT_ITEMS).toBe(4096);
    expect(MAX_CALL_ARGUMENTS).toBe(65535);
  });
});

describe('SELECT list limit', () => {
  it('accepts exactly MAX_SELECT_ITEMS items', () => {
    expect(parseSelect(`SELECT ${list(MAX_SELECT_ITEMS, '1')}`).items).toHaveLength(4096);
  });

  it('rejects one more with ER_TOO_MANY_FIELDS', () => {
    const error = thrown(`SELECT ${list(MAX_SELECT_ITEMS + 1, '1')}`);
    expect(error).toBeInstanceOf(TooManySelectItemsError);
    expect((error as Error).message).toBe('Too many columns');
    expect(thrown(`SELECT ${list(100_000, "'x' AS y")} LIMIT 1`)).toBeInstanceOf(
      TooManySelectItemsError,
    );
  });

  it('still reports errors found later in the statement first', () => {
    expect(thrown(`SELECT ${list(5000, '1')}, 'open`)).toBeInstanceOf(SqlSyntaxError);
    expect(thrown(`SELECT ${list(5000, '1')}, 1e400`)).toBeInstanceOf(IllegalDoubleError);
    expect(thrown(`SELECT ${list(5000, '1')}; SELECT 2`)).toBeInstanceOf(SqlSyntaxError);
  });

  it('leaves a long SELECT it cannot evaluate to the caller as `other`', () => {
    const sql = `SELECT ${list(5000, '1')}, a FROM t`;
    expect(parseStatement(sql)).toEqual(other(sql, 'SELECT'));
  });
});

describe('CALL argument limit', () => {
  it('accepts exactly MAX_CALL_ARGUMENTS arguments', () => {
    expect(callArgs(`CALL p(${list(MAX_CALL_ARGUMENTS, '1')})`)).toHaveLength(65535);
  });

  it('rejects more, counting all of them, with the names the error message needs', () => {
    const error = thrown(`CALL db.p(${list(70_000, "'abc'")})`);
    expect(error).toBeInstanceOf(TooManyCallArgumentsError);
    expect(error).toMatchObject({ schema: 'db', procedure: 'p', count: 70_000 });
    expect(thrown(`CALL \`my proc\`(${list(65_536, '@v')})`)).toMatchObject({
      schema: null,
      procedure: 'my proc',
      count: 65_536,
    });
    expect((error as Error).message).toBe(
      'Incorrect number of arguments for PROCEDURE db.p; expected at most 65535, got 70000',
    );
  });

  it('still reports syntax errors and illegal doubles after the limit first', () => {
    expect(thrown(`CALL p(${list(70_000, '1')}, x)`)).toBeInstanceOf(SqlSyntaxError);
    expect(thrown(`CALL p(${list(70_000, '1')}, 1e999)`)).toBeInstanceOf(IllegalDoubleError);
    expect(thrown(`CALL p(${list(70_000, '1')}) x`)).toBeInstanceOf(SqlSyntaxError);
  });
});

describe('user variables are shared, never copied', () => {
  it('hands every reference the same Buffer the session holds', () => {
    const big = Buffer.alloc(1024, 7);
    const variables = new Map<string, SqlValue>([['big', big]]);
    const statement = parseStatement('CALL p(@big, @BIG, @`big`)', variables);
    if (statement.kind !== 'call') throw new Error('not a call');
    for (const value of statement.args) expect(value).toBe(big);
    const set = parseStatement('SET @c = @big, @d = @BIG', variables);
    if (set.kind !== 'set') throw new Error('not a set');
    expect(set.userVariables[0]?.[1]).toBe(big);
    expect(set.userVariables[1]?.[1]).toBe(big);
    const select = parseStatement('SELECT @big', variables);
    if (select.kind !== 'select') throw new Error('not a select');
    expect(select.items[0]?.expr).toEqual({ type: 'literal', value: big });
    expect((select.items[0]?.expr as { value: SqlValue }).value).toBe(big);
  });
});
