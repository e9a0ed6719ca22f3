import { parseStatement, type SelectItem } from '../../../lib/sql/index.js';
import { bytes, other, parseSelect, syntaxError } from './helpers.js';

function variable(name: string, scope: 'session' | 'global' | null, column: string): SelectItem {
  return { expr: { type: 'variable', scope, name }, column };
}

function fn(name: string, column: string): SelectItem {
  return { expr: { type: 'function', name }, column };
}

function literal(value: SelectItem['expr'] & { type: 'literal' }, column: string): SelectItem {
  return { expr: value, column };
}

describe('SELECT of system variables', () => {
  it('reads what the mysql CLI sends on connect', () => {
    expect(parseStatement('select @@version_comment limit 1')).toEqual({
      kind: 'select',
      items: [variable('version_comment', null, '@@version_comment')],
      limit: 1,
    });
  });

  it.each([
    ['@@version', variable('version', null, '@@version')],
    ['@@VERSION_comment', variable('version_comment', null, '@@VERSION_comment')],
    ['@@session.autocommit', variable('autocommit', 'session', '@@session.autocommit')],
    ['@@SESSION.AutoCommit', variable('autocommit', 'session', '@@SESSION.AutoCommit')],
    ['@@local.sql_mode', variable('sql_mode', 'session', '@@local.sql_mode')],
    ['@@LOCAL.sql_mode', variable('sql_mode', 'session', '@@LOCAL.sql_mode')],
    ['@@global.max_connections', variable('max_connections', 'global', '@@global.max_connections')],
    ['@@Global.x', variable('x', 'global', '@@Global.x')],
    ['@@session', variable('session', null, '@@session')],
    ['@@tx_isolation', variable('tx_isolation', null, '@@tx_isolation')],
    ['@@1x', variable('1x', null, '@@1x')],
    // After @@ MySQL reads a name, not a number (MY_LEX_IDENT_OR_KEYWORD).
    ['@@1e5', variable('1e5', null, '@@1e5')],
    ['@@0x1', variable('0x1', null, '@@0x1')],
    ['@@session.1e5', variable('1e5', 'session', '@@session.1e5')],
  ])('%s', (text, item) => {
    expect(parseSelect(`SELECT ${text}`).items).toEqual([item]);
  });

  it('reads what Connector/J sends on connect', () => {
    const sql =
      '/* mysql-connector-j-8.4.0 (Revision: 1c3f5c149e0bfe31c7fbeb24e2d260cd890972c4) */SELECT  ' +
      '@@session.auto_increment_increment AS auto_increment_increment, ' +
      '@@character_set_client AS character_set_client, @@character_set_connection AS character_set_connection, ' +
      '@@character_set_results AS character_set_results, @@character_set_server AS character_set_server, ' +
      '@@collation_server AS collation_server, @@collation_connection AS collation_connection, ' +
      '@@init_connect AS init_connect, @@interactive_timeout AS interactive_timeout, ' +
      '@@license AS license, @@lower_case_table_names AS lower_case_table_names, ' +
      '@@max_allowed_packet AS max_allowed_packet, @@net_write_timeout AS net_write_timeout, ' +
      '@@performance_schema AS performance_schema, @@sql_mode AS sql_mode, ' +
      '@@system_time_zone AS system_time_zone, @@time_zone AS time_zone, ' +
      '@@transaction_isolation AS transaction_isolation, @@wait_timeout AS wait_timeout';
    const statement = parseSelect(sql);
    expect(statement.limit).toBeNull();
    expect(statement.items).toHaveLength(19);
    expect(statement.items[0]).toEqual(
      variable('auto_increment_increment', 'session', 'auto_increment_increment'),
    );
    for (const item of statement.items.slice(1)) {
      expect(item.expr).toEqual({ type: 'variable', scope: null, name: item.column });
    }
  });
});

describe('SELECT of session functions', () => {
  it('reads what the mysql CLI sends for status', () => {
    expect(parseStatement('select DATABASE(), USER() limit 1')).toEqual({
      kind: 'select',
      items: [fn('DATABASE', 'DATABASE()'), fn('USER', 'USER()')],
      limit: 1,
    });
  });

  it.each([
    ['DATABASE()', 'DATABASE'],
    ['database()', 'DATABASE'],
    ['SCHEMA()', 'SCHEMA'],
    ['USER()', 'USER'],
    ['CURRENT_USER()', 'CURRENT_USER'],
    ['current_user', 'CURRENT_USER'],
    ['SESSION_USER()', 'SESSION_USER'],
    ['SYSTEM_USER()', 'SYSTEM_USER'],
    ['VERSION()', 'VERSION'],
    ['Connection_Id()', 'CONNECTION_ID'],
    ['LAST_INSERT_ID()', 'LAST_INSERT_ID'],
    ['now()', 'NOW'],
    ['DATABASE ( )', 'DATABASE'],
    ['DATABASE(/* c */)', 'DATABASE'],
  ])('%s', (text, name) => {
    expect(parseSelect(`SELECT ${text}`).items).toEqual([fn(name, text)]);
  });
});

describe('SELECT of literals', () => {
  it.each([
    ['1', 1, '1'],
    ['-1', -1, '-1'],
    ['- 1', -1, '- 1'],
    ['1.50', 1.5, '1.50'],
    ['1e3', 1000, '1e3'],
    ['18446744073709551615', 18446744073709551615n, '18446744073709551615'],
    ["'x'", 'x', 'x'],
    ['"x"', 'x', 'x'],
    ["''", '', ''],
    ["'it''s'", "it's", "it's"],
    ["'a' 'b'", 'ab', 'a'],
    ["'  padded'", '  padded', 'padded'],
    ["N'n'", 'n', 'n'],
    ["_utf8mb4'u'", 'u', 'u'],
    ['NULL', null, 'NULL'],
    ['null', null, 'NULL'],
    ['\\N', null, 'NULL'],
    ['TRUE', true, 'TRUE'],
    ['false', false, 'false'],
    ["'😀'", '😀', '?'],
  ])('%s', (text, value, column) => {
    expect(parseSelect(`SELECT ${text}`).items).toEqual([
      literal({ type: 'literal', value }, column),
    ]);
  });

  it.each([
    ["X'41'", bytes(0x41), "X'41'"],
    ['0x41', bytes(0x41), '0x41'],
    ["b'1'", bytes(1), "b'1'"],
    ["_binary'A'", bytes(0x41), 'A'],
  ])('%s', (text, value, column) => {
    expect(parseSelect(`SELECT ${text}`).items).toEqual([
      literal({ type: 'literal', value }, column),
    ]);
  });
});

describe('SELECT column names', () => {
  it('names a number under unary plus by the number alone, as MySQL drops the plus', () => {
    const sql =
      'SELECT +1, ++1, + 1, +1.5, +1e3, + /* c */ 7, +-1, -+1, + -1, - 1, +18446744073709551615';
    expect(parseSelect(sql).items.map((item) => item.column)).toEqual([
      '1',
      '1',
      '1',
      '1.5',
      '1e3',
      '7',
      '+-1',
      '-+1',
      '+ -1',
      '- 1',
      '18446744073709551615',
    ]);
  });

  it('writes characters beyond the BMP as ?, as MySQL keeps names in utf8mb3', () => {
    const v = new Map<string, import('../../../lib/sql/index.js').SqlValue>([['😀', 1]]);
    const statement = parseStatement("SELECT '😀', 'a😀b', @😀, 1 AS '😀x', 2 `é😀`", v);
    if (statement.kind !== 'select') throw new Error('not a select');
    expect(statement.items.map((item) => item.column)).toEqual(['?', 'a?b', '@?', '?x', 'é?']);
    expect(statement.items[0]?.expr).toEqual({ type: 'literal', value: '😀' });
  });

  it('cuts names to 255 bytes of UTF-8 (aliases to 256), at a character boundary', () => {
    const names = (sql: string) => parseSelect(sql).items.map((item) => item.column);
    expect(names(`SELECT '${'x'.repeat(300)}'`)).toEqual(['x'.repeat(255)]);
    expect(names(`SELECT '${'é'.repeat(200)}'`)).toEqual(['é'.repeat(127)]);
    expect(names(`SELECT 'a${'é'.repeat(200)}'`)).toEqual(['a' + 'é'.repeat(127)]);
    expect(names(`SELECT '${'😀'.repeat(300)}'`)).toEqual(['?'.repeat(255)]);
    expect(names(`SELECT ${'9'.repeat(300)}e-300`)).toEqual(['9'.repeat(255)]);
    expect(names(`SELECT @${'v'.repeat(300)}`)).toEqual(['@' + 'v'.repeat(254)]);
    expect(names(`SELECT 1 AS '${'x'.repeat(300)}'`)).toEqual(['x'.repeat(256)]);
    expect(names(`SELECT 1 ${'y'.repeat(300)}`)).toEqual(['y'.repeat(256)]);
    expect(names(`SELECT 1 AS '${'é'.repeat(200)}'`)).toEqual(['é'.repeat(128)]);
  });
});

describe('SELECT aliases, FROM DUAL and LIMIT', () => {
  it.each([
    ['SELECT 1 AS one', 'one'],
    ['SELECT 1 one', 'one'],
    ['SELECT 1 as `my col`', 'my col'],
    ['SELECT 1 `my col`', 'my col'],
    ["SELECT 1 AS 'quoted'", 'quoted'],
    ["SELECT 1 'quoted'", 'quoted'],
    ['SELECT 1 "quoted"', 'quoted'],
    ["SELECT 'x' AS y", 'y'],
    ['SELECT @@version AS v', 'v'],
    ['SELECT DATABASE() db', 'db'],
    ['SELECT CURRENT_USER cu', 'cu'],
    ['SELECT 1 AS status', 'status'],
    ['SELECT 1 AS `a``b`', 'a`b'],
    ["SELECT 1 AS ' lead'", 'lead'],
    ['SELECT 1 AS 😀', '?'],
  ])('%s → column %j', (sql, column) => {
    const items = parseSelect(sql).items;
    expect(items).toHaveLength(1);
    expect(items[0]?.column).toBe(column);
  });

  it.each([
    ['SELECT 1 FROM DUAL', null],
    ['select 1 from dual limit 5', 5],
    ['SELECT 1 LIMIT 0', 0],
    ['SELECT 1 LIMIT 1;', 1],
    ['SELECT 1 /* c */ LIMIT /* c */ 7 -- c', 7],
    ['SELECT 1;', null],
  ])('%s → limit %p', (sql, limit) => {
    expect(parseSelect(sql).limit).toBe(limit);
  });

  it('reads several mixed items', () => {
    expect(
      parseStatement("SELECT @@global.a AS x, NOW(), 'lit' l, 42, CURRENT_USER FROM DUAL LIMIT 1"),
    ).toEqual({
      kind: 'select',
      items: [
        variable('a', 'global', 'x'),
        fn('NOW', 'NOW()'),
        literal({ type: 'literal', value: 'lit' }, 'l'),
        literal({ type: 'literal', value: 42 }, '42'),
        fn('CURRENT_USER', 'CURRENT_USER'),
      ],
      limit: 1,
    });
  });
});

describe('other SELECTs', () => {
  it.each([
    'SELECT',
    'SELECT @ @version',
    'SELECT @@ version',
    'SELECT @@session .x',
    'SELECT @@session. x',
    'SELECT @@persist.x',
    'SELECT @@a.b.c',
    'SELECT @@session.a.b',
    'SELECT DATABASE',
    'SELECT DATABASE(1)',
    'SELECT LAST_INSERT_ID(5)',
    'SELECT 1 LIMIT x',
    'SELECT 1 UNION SELECT 2',
    'SELECT 1 INTO @x',
    'SELECT 1 FOR UPDATE',
    'SELECT SQL_NO_CACHE 1',
    'SELECT 1 AS',
    'SELECT 1 AS select',
    "SELECT 1 AS N'x'",
    "SELECT 1 AS 'a' 'b'",
    'SELECT 1 x.y',
    'SELECT 1,',
    'SELECT 1 LIMIT 1 x',
    'SELECT ?',
    'SELECT @@version()',
  ])('%j', (sql) => {
    expect(parseStatement(sql)).toEqual(other(sql, 'SELECT'));
  });

  it.each([
    'SELECT * FROM t',
    'SELECT a FROM t',
    'SELECT 1 FROM t',
    'SELECT 1 + 1',
    'SELECT 1, a',
    'SELECT COUNT(*) FROM t',
    'SELECT USER',
    'SELECT NOW',
    'SELECT VERSION() + 1',
    "SELECT -'x'",
    'SELECT 1 LIMIT 1, 2',
    'SELECT 1 LIMIT 1 OFFSET 2',
    'SELECT 1 FROM DUAL WHERE 1',
    'SELECT 1 WHERE 1',
    'SELECT 1 ORDER BY 1',
    'SELECT (1)',
    "SELECT 'unclosed' FROM t WHERE a = 'x'",
  ])('%j → a query the session evaluates', (sql) => {
    expect(parseStatement(sql).kind).toBe('query');
  });

  it('still reports a second statement after a simple SELECT', () => {
    expect(syntaxError('SELECT 1; SELECT 2')).toEqual({ near: 'SELECT 2', line: 1 });
    expect(syntaxError('select @@version_comment limit 1;\nselect 2')).toEqual({
      near: 'select 2',
      line: 2,
    });
  });

  it('still reports lexical errors in SELECTs it does not parse', () => {
    expect(syntaxError("SELECT a FROM t WHERE b = 'x")).toEqual({ near: "'x", line: 1 });
  });
});
