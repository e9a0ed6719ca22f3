import {
  ExpressionSyntaxError,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_NODES,
  printExpression,
  UnsupportedExpressionError,
} from '../../../../lib/sql/expression/index.js';
import { IllegalDoubleError, SqlSyntaxError } from '../../../../lib/sql/index.js';
import { parse } from './helpers.js';

/** The expression as MySQL prints it: every operator parenthesized, so precedence shows. */
const tree = (text: string): string => printExpression(parse(text));

function thrown(text: string): unknown {
  try {
    parse(text);
  } catch (error) {
    return error;
  }
  throw new Error(`expected ${text} to fail`);
}

describe('operator precedence and associativity, as MySQL’s grammar', () => {
  it.each([
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['(1 + 2) * 3', '((1 + 2) * 3)'],
    ['2 - 1 - 1', '((2 - 1) - 1)'],
    ['8 / 2 / 2', '((8 / 2) / 2)'],
    ['1 + 2 << 1', '((1 + 2) << 1)'],
    ['1 | 2 & 3', '(1 | (2 & 3))'],
    ['2 ^ 3 * 4', '((2 ^ 3) * 4)'],
    ['- 2 * 3', '(-(2) * 3)'],
    ['7 DIV 2 MOD 3', '((7 DIV 2) % 3)'],
    ['7 % 3', '(7 % 3)'],
    ['a = 1 AND b = 2 OR c', '(((`a` = 1) and (`b` = 2)) or `c`)'],
    ['a OR b XOR c AND d', '(`a` or (`b` xor (`c` and `d`)))'],
    ['a || b && c', '(`a` or (`b` and `c`))'],
    ['NOT a = b', '(not((`a` = `b`)))'],
    ['!a = b', '((not(`a`)) = `b`)'],
    ['NOT NOT a', '(not((not(`a`))))'],
    ['1 = 1 = 1', '((1 = 1) = 1)'],
    ['a <=> NULL', '(`a` <=> NULL)'],
    ['a != b', '(`a` <> `b`)'],
    ['a <> b', '(`a` <> `b`)'],
    ['a >= b', '(`a` >= `b`)'],
    ['a<=b', '(`a` <= `b`)'],
    ['a IS NOT NULL AND b IS TRUE', '((`a` is not null) and (`b` is true))'],
    ['a IS UNKNOWN', '(`a` is null)'],
    ['a BETWEEN 1 AND 2 AND b', '((`a` between 1 and 2) and `b`)'],
    ['a NOT BETWEEN 1 + 1 AND 3', '(`a` not between (1 + 1) and 3)'],
    ['a NOT IN (1, 2)', '(`a` not in (1,2))'],
    ["a LIKE 'x%' ESCAPE '|'", "(`a` like 'x%')"],
    ["a NOT LIKE 'x'", "(`a` not like 'x')"],
    ['x COLLATE utf8mb4_bin = y', '((`x` collate utf8mb4_bin) = `y`)'],
  ])('%s', (text, printed) => {
    expect(tree(text)).toBe(printed);
  });
});

describe('operands', () => {
  it('reads literals as their types', () => {
    expect(parse('42')).toEqual({ kind: 'int', value: 42n });
    expect(parse('18446744073709551615')).toEqual({ kind: 'int', value: 2n ** 64n - 1n });
    expect(parse('18446744073709551616')).toEqual({
      kind: 'decimal',
      text: '18446744073709551616',
    });
    expect(parse('1.50')).toEqual({ kind: 'decimal', text: '1.50' });
    expect(parse('.5')).toEqual({ kind: 'decimal', text: '0.5' });
    expect(parse('1e3')).toEqual({ kind: 'double', value: 1000 });
    expect(parse("'a' 'b'")).toEqual({ kind: 'string', value: 'ab' });
    expect(parse("N'x'")).toEqual({ kind: 'string', value: 'x' });
    expect(parse("_utf8mb4'x'")).toEqual({ kind: 'string', value: 'x' });
    expect(parse("_binary'x'")).toMatchObject({ kind: 'bytes', numeric: false });
    expect(parse("X'41'")).toEqual({ kind: 'bytes', value: Buffer.from('A'), numeric: true });
    expect(parse("b'1'")).toEqual({ kind: 'bytes', value: Buffer.from([1]), numeric: true });
    expect(parse('NULL')).toEqual({ kind: 'null' });
    expect(parse('\\N')).toEqual({ kind: 'null' });
    expect(parse('TRUE')).toEqual({ kind: 'int', value: 1n });
    expect(parse('false')).toEqual({ kind: 'int', value: 0n });
    expect(parse("DATE '2026-01-02'")).toMatchObject({ kind: 'cast', to: { type: 'DATE' } });
    expect(parse("TIMESTAMP '2026-01-02 03:04:05.12'")).toMatchObject({
      kind: 'cast',
      to: { type: 'DATETIME', fsp: 2 },
    });
  });

  it('reads variables written without blanks', () => {
    expect(parse('@a')).toEqual({ kind: 'userVariable', name: 'a' });
    expect(parse("@'My Var'")).toEqual({ kind: 'userVariable', name: 'my var' });
    expect(parse('@@Version')).toEqual({ kind: 'systemVariable', name: 'version', scope: null });
    expect(parse('@@SESSION.x')).toEqual({ kind: 'systemVariable', name: 'x', scope: 'session' });
    expect(parse('@@local.x')).toEqual({ kind: 'systemVariable', name: 'x', scope: 'session' });
    expect(parse('@@global.x')).toEqual({ kind: 'systemVariable', name: 'x', scope: 'global' });
    for (const text of ['@@ x', '@ @x', '@@persist.x', '@@a.b.c']) {
      expect(thrown(text)).toBeInstanceOf(ExpressionSyntaxError);
    }
  });

  it('reads column references with their qualifiers', () => {
    expect(parse('a')).toEqual({ kind: 'column', schema: null, table: null, name: 'a' });
    expect(parse('t.a')).toEqual({ kind: 'column', schema: null, table: 't', name: 'a' });
    expect(parse('`information_schema`.`TABLES`.`TABLE_NAME`')).toEqual({
      kind: 'column',
      schema: 'information_schema',
      table: 'TABLES',
      name: 'TABLE_NAME',
    });
    // A reserved word names a column only back-quoted or after a dot.
    expect(parse('t.key')).toMatchObject({ kind: 'column', name: 'key' });
    expect(thrown('select')).toBeInstanceOf(UnsupportedExpressionError);
    expect(thrown('key')).toBeInstanceOf(ExpressionSyntaxError);
  });

  it('reads function calls, keyword functions and the special syntaxes', () => {
    expect(parse('concat(1, 2)')).toMatchObject({ kind: 'call', name: 'concat', args: [{}, {}] });
    expect(parse('rpc.f(1)')).toMatchObject({ kind: 'call', name: 'f', schema: 'rpc' });
    expect(parse('IF(a, 1, 2)')).toMatchObject({ kind: 'call', name: 'IF' });
    expect(parse('LEFT(a, 1)')).toMatchObject({ kind: 'call', name: 'LEFT' });
    expect(parse('CURRENT_USER')).toMatchObject({ kind: 'call', name: 'CURRENT_USER', args: [] });
    expect(parse('CURRENT_USER()')).toMatchObject({ kind: 'call', name: 'CURRENT_USER' });
    expect(parse('CURRENT_TIMESTAMP')).toMatchObject({ kind: 'call', name: 'NOW' });
    expect(parse('COUNT(*)')).toMatchObject({ kind: 'call', star: true });
    expect(parse('COUNT(DISTINCT a)')).toMatchObject({ kind: 'call', distinct: true });
    expect(parse('CAST(a AS SIGNED INTEGER)')).toMatchObject({
      kind: 'cast',
      to: { type: 'SIGNED' },
    });
    expect(parse('CAST(a AS CHAR(3) CHARACTER SET utf8mb4)')).toMatchObject({
      to: { type: 'CHAR', length: 3 },
    });
    expect(parse('CAST(a AS DECIMAL(5, 2))')).toMatchObject({
      to: { type: 'DECIMAL', precision: 5, scale: 2 },
    });
    expect(parse('CONVERT(a, UNSIGNED)')).toMatchObject({ to: { type: 'UNSIGNED' } });
    expect(parse('CONVERT(a USING binary)')).toMatchObject({ to: { type: 'BINARY' } });
    expect(parse("TRIM(LEADING 'x' FROM a)")).toMatchObject({ kind: 'trim', mode: 'LEADING' });
    expect(parse('TRIM(a)')).toMatchObject({ kind: 'trim', mode: 'BOTH', remove: null });
    expect(parse('SUBSTRING(a FROM 2 FOR 3)')).toMatchObject({ kind: 'call', name: 'SUBSTRING' });
    expect(parse("POSITION('b' IN a)")).toMatchObject({ kind: 'call', name: 'LOCATE' });
    expect(parse("CASE a WHEN 1 THEN 'x' ELSE 'y' END")).toMatchObject({ kind: 'case' });
  });

  it('refuses a wrong argument count where MySQL’s grammar does', () => {
    for (const text of ['DATABASE(1)', 'VERSION(1)', 'USER(1)', 'NOW(1, 2)']) {
      expect(thrown(text)).toBeInstanceOf(ExpressionSyntaxError);
    }
    // Elsewhere the count is checked when the statement runs (ERR 1582).
    expect(parse('CONCAT_WS()')).toMatchObject({ kind: 'call', args: [] });
  });
});

describe('what it refuses', () => {
  it.each([
    ['1 +', ''],
    ['(1', ''],
    ['(1 2)', '2)'],
    ['a < = b', '= b'],
    ['CASE END', ''],
    ['a NOT 1', '1'],
    ['CAST(a AS)', ')'],
  ])('%j: a syntax error near %j', (text, near) => {
    const error = thrown(text);
    expect(error).toBeInstanceOf(ExpressionSyntaxError);
    expect(error).toBeInstanceOf(SqlSyntaxError);
    expect((error as SqlSyntaxError).near).toBe(near);
  });

  it.each([
    ['(SELECT 1)', 'subqueries'],
    ['EXISTS (SELECT 1)', 'subqueries'],
    ['a IN (SELECT 1)', 'subqueries'],
    ['a = ANY (SELECT 1)', 'subqueries'],
    ["a REGEXP 'x'", 'REGEXP'],
    ['INTERVAL 1 DAY', 'INTERVAL expressions'],
    ['?', 'placeholders'],
    ['@a := 1', ':='],
    ['(1, 2)', 'row constructors'],
    ['LAST_INSERT_ID(5)', 'LAST_INSERT_ID(expr)'],
    ['CAST(a AS JSON)', 'CAST AS JSON'],
  ])('%j: valid SQL it does not evaluate (%s)', (text, feature) => {
    const error = thrown(text);
    expect(error).toBeInstanceOf(UnsupportedExpressionError);
    expect((error as UnsupportedExpressionError).feature).toBe(feature);
  });

  it('passes the lexer’s errors and out-of-range doubles through', () => {
    expect(thrown("'open")).toBeInstanceOf(SqlSyntaxError);
    expect(thrown("'open")).not.toBeInstanceOf(ExpressionSyntaxError);
    expect(thrown('1e400')).toBeInstanceOf(IllegalDoubleError);
  });

  it('refuses trees deeper than its limit, whatever builds them, without exhausting the stack', () => {
    const deep = MAX_EXPRESSION_DEPTH + 5;
    for (const text of [
      '('.repeat(100_000) + '1' + ')'.repeat(100_000),
      '-'.repeat(100_000) + '1',
      'NOT '.repeat(100_000) + '1',
      '1' + ' + 1'.repeat(deep),
      'a BETWEEN 1 AND '.repeat(deep) + '1',
      'CONCAT('.repeat(deep) + '1' + ')'.repeat(deep),
    ]) {
      expect(thrown(text)).toBeInstanceOf(UnsupportedExpressionError);
    }
    // Nor larger ones, however flat.
    expect(thrown('a IN (' + '1,'.repeat(MAX_EXPRESSION_NODES) + '1)')).toBeInstanceOf(
      UnsupportedExpressionError,
    );
    // Long flat lists and chains of AND / OR stay shallow.
    expect(() => parse('1' + ' OR 1'.repeat(10_000))).not.toThrow();
    expect(() => parse('a IN (' + '1,'.repeat(10_000) + '1)')).not.toThrow();
    expect(() => parse('1' + ' + 1'.repeat(MAX_EXPRESSION_DEPTH - 5))).not.toThrow();
  });
});
