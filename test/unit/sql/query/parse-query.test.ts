import {
  parseNextStatement,
  parseStatement,
  SqlSyntaxError,
  SqlUnsupportedError,
  TooManySelectItemsError,
  type Statement,
} from '../../../../lib/sql/index.js';
import { Lexer } from '../../../../lib/sql/lexer.js';
import type { SelectQuery } from '../../../../lib/sql/query/index.js';

function query(sql: string): SelectQuery {
  const statement = parseStatement(sql);
  if (statement.kind !== 'query') throw new Error(`expected a query, got ${statement.kind}`);
  return statement.query;
}

const other = (sql: string): Statement => ({
  kind: 'other',
  keyword: 'SELECT',
  near: sql.trim().slice(0, 80),
});

describe('which SELECT goes where', () => {
  it.each([
    'select @@version_comment limit 1',
    'SELECT 1',
    "SELECT 'a' AS x, @@session.wait_timeout, DATABASE(), USER() FROM DUAL LIMIT 1",
  ])('keeps the simple form for %j', (sql) => {
    expect(parseStatement(sql).kind).toBe('select');
  });

  it.each([
    'SELECT 1 + 1',
    "SELECT @@a + 1, CONCAT('a', @x) AS c",
    'SELECT VERSION() + 1',
    'SELECT 1 FROM DUAL WHERE 1',
    'SELECT 1 WHERE 1',
    'SELECT 1 LIMIT 1, 2',
    'SELECT 1 LIMIT 1 OFFSET 2',
    'SELECT 1 ORDER BY 1',
    'SELECT (1)',
    "SELECT -'x'",
    'SELECT USER',
    'SELECT * FROM t',
    "SELECT a FROM db.t AS x WHERE b LIKE '%' GROUP BY a HAVING COUNT(*) > 1 ORDER BY a DESC LIMIT 3",
    'SELECT DISTINCT TABLE_NAME FROM information_schema.TABLES',
    'SELECT t.* FROM information_schema.TABLES t',
    'SELECT `information_schema`.`TABLES`.* FROM information_schema.TABLES',
  ])('evaluates %j', (sql) => {
    expect(parseStatement(sql).kind).toBe('query');
  });

  it.each([
    'SELECT 1 UNION SELECT 2',
    'SELECT a FROM t JOIN u ON 1',
    'SELECT a FROM t, u',
    'SELECT a FROM (SELECT 1) x',
    'SELECT (SELECT 1)',
    'SELECT 1 INTO @x',
    'SELECT 1 FOR UPDATE',
    'SELECT SQL_NO_CACHE 1',
    'SELECT ?',
    'SELECT a FROM t LIMIT ?',
    'SELECT 1 LIMIT x',
    'SELECT 1 AS',
    "SELECT 1 AS 'a' 'b'",
    'SELECT DATABASE(1)',
    'SELECT @ @version',
    'SELECT @@persist.x',
    'SELECT ' + '@'.repeat(1000),
    'SELECT a FROM t GROUP BY a WITH ROLLUP',
    "SELECT a REGEXP 'x'",
    'SELECT 1 x.y',
  ])('leaves %j to the answer to unknown statements', (sql) => {
    expect(parseStatement(sql)).toEqual(other(sql));
  });

  it('still reports lexical errors, and what follows a `;`', () => {
    expect(() => parseStatement("SELECT a FROM t WHERE b = 'x")).toThrow(SqlSyntaxError);
    expect(() => parseStatement('SELECT 1 + 1; SELECT 2')).toThrow(SqlSyntaxError);
    expect(() => parseStatement("SELECT 1 UNION SELECT 'open")).toThrow(SqlSyntaxError);
  });

  it('ends at the `;` when multi-statements are on', () => {
    const sql = 'SELECT 1 + 1; SELECT 2';
    const first = parseNextStatement(sql, 0);
    expect(first.statement.kind).toBe('query');
    expect(first.next).toBe(sql.indexOf(';') + 1);
    const union = parseNextStatement('SELECT 1 UNION SELECT 2; SELECT 3', 0);
    expect(union.statement.kind).toBe('other');
    expect(union.next).toBe(24);
  });

  it('counts select items as the simple form does', () => {
    const items = Array.from({ length: 4096 }, () => '1 + 1').join(', ');
    expect(query(`SELECT ${items}`).items).toHaveLength(4096);
    expect(parseStatement(`SELECT ${items}, 1 + 1`).kind).toBe('other');
    expect(() => parseStatement(`SELECT ${'1,'.repeat(5000)} 1`)).toThrow(TooManySelectItemsError);
  });
});

describe('the query it builds', () => {
  it('names columns as MySQL does', () => {
    const q = query(
      "SELECT 1+1, 'lit', 'a' 'b', NULL, +5, a.b AS x, c y, 'z' AS `w`, @@a+1 AS 'q', CONCAT ( 1 ) FROM t",
    );
    expect(q.items.map((i) => (i.kind === 'expr' ? i.column : '*'))).toEqual([
      '1+1',
      'lit',
      'a',
      'NULL',
      '5',
      'x',
      'y',
      'w',
      'q',
      'CONCAT ( 1 )',
    ]);
  });

  it('reads FROM, WHERE, GROUP BY, HAVING, ORDER BY and LIMIT', () => {
    const q = query(
      'SELECT DISTINCT a, COUNT(*) FROM `information_schema`.`TABLES` AS t WHERE a = 1 GROUP BY a HAVING COUNT(*) > 1 ORDER BY 2 DESC, a LIMIT 5 OFFSET 10',
    );
    expect(q.distinct).toBe(true);
    expect(q.from).toEqual({ schema: 'information_schema', name: 'TABLES', alias: 't' });
    expect(q.where).toMatchObject({ kind: 'compare', op: '=' });
    expect(q.groupBy).toMatchObject([{ expr: { kind: 'column', name: 'a' } }]);
    expect(q.having).toMatchObject({ kind: 'compare', op: '>' });
    expect(q.orderBy).toMatchObject([
      { expr: { kind: 'int', value: 2n }, descending: true },
      { descending: false },
    ]);
    expect(q.limit).toEqual({ count: 5, offset: 10 });
    expect(query('SELECT 1 LIMIT 3, 4').limit).toEqual({ count: 4, offset: 3 });
    expect(query('SELECT * FROM x y').from).toEqual({ schema: null, name: 'x', alias: 'y' });
    expect(query('SELECT * FROM DUAL WHERE 1').from).toBeNull();
  });

  it('reads `*` and `t.*`', () => {
    expect(query('SELECT *, t.*, s.t.* FROM s.t').items).toEqual([
      { kind: 'star', qualifier: null },
      { kind: 'star', qualifier: { schema: null, table: 't' } },
      { kind: 'star', qualifier: { schema: 's', table: 't' } },
    ]);
  });

  it('throws ER_NOT_SUPPORTED_YET errors only from where a statement must be valid', () => {
    // A SELECT the evaluator cannot run is `other`, never this error.
    expect(() => parseStatement('SELECT (SELECT 1)')).not.toThrow(SqlUnsupportedError);
  });
});

describe('rewinding the lexer', () => {
  it('marks every field a Lexer has', () => {
    const lx = new Lexer('SELECT 1');
    const state = lx.mark();
    expect(Object.keys(state).sort()).toEqual(
      Object.keys(lx)
        .filter((k) => !['sql', 'userVariables', 'serverVersionId'].includes(k))
        .sort(),
    );
  });

  it('reads the same tokens again after a reset, inside version comments too', () => {
    const lx = new Lexer('/*!80000 SELECT 1 + */ 2');
    lx.next();
    const state = lx.mark();
    const first: string[] = [];
    while (lx.type !== 0) {
      lx.next();
      first.push(lx.sql.slice(lx.start, lx.end));
    }
    lx.reset(state);
    const again: string[] = [];
    while (lx.type !== 0) {
      lx.next();
      again.push(lx.sql.slice(lx.start, lx.end));
    }
    expect(again).toEqual(first);
    expect(first).toEqual(['1', '+', '2', '']);
  });
});
