import { parseStatement, SqlSyntaxError, type Statement } from '../../../../lib/sql/index.js';
import type { ShowStatement } from '../../../../lib/sql/query/index.js';

function show(sql: string): ShowStatement {
  const statement = parseStatement(sql);
  if (statement.kind !== 'show') throw new Error(`expected a show, got ${statement.kind}`);
  return statement.show;
}

const other = (sql: string): Statement => ({
  kind: 'other',
  keyword: 'SHOW',
  near: sql.trim().slice(0, 80),
});

describe('SHOW statements answered from the catalog', () => {
  it.each<[string, ShowStatement]>([
    ['SHOW VARIABLES', { what: 'variables', scope: 'session', filter: null }],
    [
      "show session variables like 'a%'",
      { what: 'variables', scope: 'session', filter: { like: 'a%' } },
    ],
    ['SHOW LOCAL VARIABLES', { what: 'variables', scope: 'session', filter: null }],
    ['SHOW STATUS', { what: 'status', scope: 'session', filter: null }],
    ["show local status like 'Up%'", { what: 'status', scope: 'session', filter: { like: 'Up%' } }],
    ['SHOW SESSION STATUS', { what: 'status', scope: 'session', filter: null }],
    ['SHOW GLOBAL STATUS;', { what: 'status', scope: 'global', filter: null }],
    // What mysqladmin extended-status sends.
    ['SHOW /*!50002 GLOBAL */ STATUS', { what: 'status', scope: 'global', filter: null }],
    [
      "SHOW GLOBAL VARIABLES LIKE 'x' 'y'",
      { what: 'variables', scope: 'global', filter: { like: 'xy' } },
    ],
    ['SHOW COLLATION', { what: 'collation', filter: null }],
    ['SHOW CHARACTER SET', { what: 'charset', filter: null }],
    ["SHOW CHARSET LIKE 'utf8%'", { what: 'charset', filter: { like: 'utf8%' } }],
    ['SHOW DATABASES', { what: 'databases', filter: null }],
    ['SHOW SCHEMAS', { what: 'databases', filter: null }],
    ['SHOW TABLES', { what: 'tables', full: false, schema: null, filter: null }],
    ['SHOW FULL TABLES FROM `rpc`', { what: 'tables', full: true, schema: 'rpc', filter: null }],
    [
      "SHOW EXTENDED TABLES IN rpc LIKE 't%'",
      { what: 'tables', full: false, schema: 'rpc', filter: { like: 't%' } },
    ],
    ['SHOW TABLE STATUS FROM rpc', { what: 'table-status', schema: 'rpc', filter: null }],
    ['SHOW TABLE STATUS', { what: 'table-status', schema: null, filter: null }],
    ['SHOW ENGINES', { what: 'engines' }],
    ['SHOW STORAGE ENGINES', { what: 'engines' }],
    ['SHOW PLUGINS', { what: 'plugins' }],
    ['SHOW PROCEDURE STATUS', { what: 'routine-status', routine: 'PROCEDURE', filter: null }],
    [
      "SHOW FUNCTION STATUS LIKE 'f'",
      { what: 'routine-status', routine: 'FUNCTION', filter: { like: 'f' } },
    ],
    [
      'SHOW CREATE PROCEDURE p',
      { what: 'create-routine', routine: 'PROCEDURE', schema: null, name: 'p' },
    ],
    [
      'SHOW CREATE PROCEDURE `rpc`.`my proc`',
      { what: 'create-routine', routine: 'PROCEDURE', schema: 'rpc', name: 'my proc' },
    ],
    [
      'SHOW CREATE FUNCTION f',
      { what: 'create-routine', routine: 'FUNCTION', schema: null, name: 'f' },
    ],
    ['SHOW CREATE DATABASE IF NOT EXISTS rpc', { what: 'create-database', name: 'rpc' }],
    ['SHOW CREATE SCHEMA rpc', { what: 'create-database', name: 'rpc' }],
    [
      'SHOW CREATE TABLE db.t',
      { what: 'create-table', full: false, schema: 'db', table: 't', filter: null },
    ],
    [
      'SHOW FULL COLUMNS FROM t FROM db',
      { what: 'columns', full: true, schema: 'db', table: 't', filter: null },
    ],
    [
      "SHOW FIELDS IN db.t LIKE 'a%'",
      { what: 'columns', full: false, schema: 'db', table: 't', filter: { like: 'a%' } },
    ],
    ['SHOW INDEX FROM t', { what: 'index', full: false, schema: null, table: 't', filter: null }],
    [
      'SHOW KEYS IN t IN db',
      { what: 'index', full: false, schema: 'db', table: 't', filter: null },
    ],
  ])('%s', (sql, expected) => {
    expect(show(sql)).toEqual(expected);
  });

  it('reads a WHERE as an expression over the columns of the result', () => {
    expect(show("SHOW VARIABLES WHERE Variable_name IN ('a', 'b')")).toMatchObject({
      filter: { where: { kind: 'in', arg: { kind: 'column', name: 'Variable_name' } } },
    });
    expect(show("SHOW GLOBAL STATUS WHERE Variable_name = 'Uptime'")).toMatchObject({
      what: 'status',
      scope: 'global',
      filter: { where: { kind: 'compare', left: { kind: 'column', name: 'Variable_name' } } },
    });
    expect(show("SHOW PROCEDURE STATUS WHERE Db = 'rpc' AND Name LIKE 'p%'")).toMatchObject({
      filter: { where: { kind: 'logical', op: 'AND' } },
    });
  });

  it.each([
    ['SHOW VARIABLES LIKE x', 'x'],
    ['SHOW VARIABLES LIKE', ''],
    ['SHOW CHARACTER x', 'x'],
    ['SHOW TABLES FROM', ''],
    ['SHOW DATABASES junk', 'junk'],
    ['SHOW VARIABLES WHERE', ''],
    ['SHOW STATUS LIKE', ''],
    ['SHOW GLOBAL STATUS WHERE', ''],
    ["SHOW STATUS LIKE 'a' junk", 'junk'],
    ['SHOW CREATE PROCEDURE', ''],
    ['SHOW COLUMNS t', 't'],
    ['SHOW TABLES; SHOW TABLES', 'SHOW TABLES'],
  ])('%j is a syntax error near %j', (sql, near) => {
    let error: unknown;
    try {
      parseStatement(sql);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SqlSyntaxError);
    expect((error as SqlSyntaxError).near).toBe(near);
  });

  it.each([
    'SHOW ERRORS',
    'SHOW COUNT(*) WARNINGS',
    'SHOW PROCEDURE CODE p',
    'SHOW ENGINE INNODB STATUS',
    'SHOW GLOBAL PROCESSLIST',
    'SHOW SESSION',
  ])('%j stays other', (sql) => {
    expect(parseStatement(sql)).toEqual(other(sql));
  });

  it('keeps SHOW WARNINGS and SHOW GRANTS', () => {
    expect(parseStatement('SHOW WARNINGS LIMIT 1')).toEqual({ kind: 'show-warnings' });
    expect(parseStatement('SHOW GRANTS')).toEqual({ kind: 'show-grants', account: null });
  });
});
