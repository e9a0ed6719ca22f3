import * as mariadb from 'mariadb';
import * as mysql from 'mysql';
import * as mysql2 from 'mysql2/promise';
import { CLIENTS, expectClientError, type TestClient } from '../support/clients.js';
import { startTestServer, type TestServer } from '../support/test-app.js';

const AUTOCOMMIT = 0x0002;
const IN_TRANS = 0x0001;
const IN_TRANS_READONLY = 0x2000;

/** Every cell as text (NULL stays null), to compare across drivers. */
const text = (row: Record<string, unknown>): Record<string, string | null> =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : String(v)]));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe.each(CLIENTS)('with the %s client', (_name, connect) => {
  let client: TestClient;
  beforeEach(async () => {
    client = await connect({ port: server.port });
  });
  afterEach(() => client.close());

  const row = async (sql: string) => (await client.query(sql)).sets[0]!.map(text)[0];
  const refusal = (sql: string) => expectClientError(client.query(sql));

  it('sets a variable in the session, where SELECT @@x and @@session.x read it, not @@global.x', async () => {
    expect((await client.query('SET wait_timeout = 100')).ok).not.toBeNull();
    expect(
      await row(
        'SELECT @@wait_timeout AS a, @@session.wait_timeout AS b, @@local.wait_timeout AS c, @@global.wait_timeout AS d',
      ),
    ).toEqual({ a: '100', b: '100', c: '100', d: '28800' });
    for (const sql of [
      'SET SESSION wait_timeout = 200',
      'SET LOCAL wait_timeout = 200',
      'SET @@session.wait_timeout = 200',
      'SET @@wait_timeout := 200',
    ]) {
      await client.query('SET wait_timeout = 1');
      await client.query(sql);
      expect(await row('SELECT @@wait_timeout AS t')).toEqual({ t: '200' });
    }
    await client.query('SET wait_timeout = DEFAULT');
    expect(await row('SELECT @@wait_timeout AS t')).toEqual({ t: '28800' });
  });

  it('takes each type as MySQL does: ON/OFF, names, clamped integers, sql_mode sets', async () => {
    await client.query("SET autocommit = OFF, sql_auto_is_null = 'on', foreign_key_checks = 0");
    expect(
      await row('SELECT @@autocommit AS a, @@sql_auto_is_null AS b, @@foreign_key_checks AS c'),
    ).toEqual({ a: '0', b: '1', c: '0' });
    await client.query('SET autocommit = 1');
    // Out of range is clamped, not refused.
    await client.query('SET wait_timeout = -5, auto_increment_increment = 100000');
    expect(await row('SELECT @@wait_timeout AS w, @@auto_increment_increment AS i')).toEqual({
      w: '1',
      i: '65535',
    });
    await client.query("SET sql_mode = 'traditional,,ONLY_full_group_by '");
    expect(await row('SELECT @@sql_mode AS m')).toEqual({
      m: 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,TRADITIONAL,NO_ENGINE_SUBSTITUTION',
    });
    await client.query('SET sql_mode = 3 - 3, transaction_isolation = 1, time_zone = "+1:00"');
    expect(
      await row('SELECT @@sql_mode AS m, @@transaction_isolation AS i, @@time_zone AS z'),
    ).toEqual({ m: '', i: 'READ-COMMITTED', z: '+01:00' });
    await client.query("SET time_zone = 'system', sql_select_limit = 18446744073709551615");
    expect(await row('SELECT @@time_zone AS z, @@sql_select_limit AS l')).toEqual({
      z: 'SYSTEM',
      l: '18446744073709551615',
    });
    await client.query("SET time_zone = 'Europe/Paris'");
    expect(await row('SELECT @@time_zone AS z')).toEqual({ z: 'Europe/Paris' });
  });

  it('evaluates expressions, reading every value before assigning any', async () => {
    await client.query("SET sql_mode = CONCAT(@@sql_mode, ',STRICT_ALL_TABLES')");
    expect(await row('SELECT @@sql_mode AS m')).toEqual({
      m: 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION',
    });
    await client.query("SET @saved = @@sql_mode, sql_mode = '', @t = @@wait_timeout * 2 + 1");
    expect(await row('SELECT @saved AS s, @@sql_mode AS m, @t AS t')).toEqual({
      s: expect.stringContaining('STRICT_ALL_TABLES'),
      m: '',
      t: '57601',
    });
    await client.query('SET sql_mode = @saved, @@session.wait_timeout = @t - 1');
    const saved = (await row('SELECT @saved AS s')).s;
    expect(await row('SELECT @@sql_mode AS m, @@wait_timeout AS w')).toEqual({
      m: saved,
      w: '57600',
    });
  });

  it('sets the character set with NAMES, CHARACTER SET and the variables', async () => {
    const charsets =
      'SELECT @@character_set_client AS cl, @@character_set_connection AS co, ' +
      '@@character_set_results AS re, @@collation_connection AS coll';
    await client.query("SET NAMES 'utf8' COLLATE 'utf8_bin'");
    expect(await row(charsets)).toEqual({
      cl: 'utf8mb3',
      co: 'utf8mb3',
      re: 'utf8mb3',
      coll: 'utf8mb3_bin',
    });
    await client.query('SET NAMES utf8mb4');
    expect(await row(charsets)).toEqual({
      cl: 'utf8mb4',
      co: 'utf8mb4',
      re: 'utf8mb4',
      coll: 'utf8mb4_0900_ai_ci',
    });
    await client.query('SET character_set_results = NULL, collation_connection = utf8mb4_bin');
    expect(await row(charsets)).toEqual({
      cl: 'utf8mb4',
      co: 'utf8mb4',
      re: null,
      coll: 'utf8mb4_bin',
    });
    await client.query('SET CHARACTER SET utf8mb3');
    // The connection's character set becomes the database's.
    expect(await row(charsets)).toEqual({
      cl: 'utf8mb3',
      co: 'utf8mb4',
      re: 'utf8mb3',
      coll: 'utf8mb4_general_ci',
    });
  });

  it('sets the session transaction characteristics', async () => {
    await client.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY');
    expect(
      await row(
        'SELECT @@transaction_isolation AS i, @@tx_isolation AS t, @@transaction_read_only AS r, @@tx_read_only AS x',
      ),
    ).toEqual({ i: 'READ-COMMITTED', t: 'READ-COMMITTED', r: '1', x: '1' });
    // Without a scope, only the next transaction: the session's value stays.
    await client.query('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE');
    await client.query("SET @@transaction_isolation = 'READ-UNCOMMITTED'");
    expect(await row('SELECT @@transaction_isolation AS i')).toEqual({ i: 'READ-COMMITTED' });
    await client.query("SET tx_isolation = 'serializable', tx_read_only = 0");
    expect(await row('SELECT @@transaction_isolation AS i, @@transaction_read_only AS r')).toEqual({
      i: 'SERIALIZABLE',
      r: '0',
    });
  });

  it.each<[string, number, string, string]>([
    ['SET nope = 1', 1193, 'HY000', "Unknown system variable 'nope'"],
    ['SET @@session.NoPe = 1', 1193, 'HY000', "Unknown system variable 'NoPe'"],
    ["SET version = 'x'", 1238, 'HY000', "Variable 'version' is a read only variable"],
    ["SET GLOBAL version = 'x'", 1238, 'HY000', "Variable 'version' is a read only variable"],
    [
      'SET max_connections = 10',
      1229,
      'HY000',
      "Variable 'max_connections' is a GLOBAL variable and should be set with SET GLOBAL",
    ],
    [
      'SET GLOBAL insert_id = 1',
      1228,
      'HY000',
      "Variable 'insert_id' is a SESSION variable and can't be used with SET GLOBAL",
    ],
    [
      'SET GLOBAL wait_timeout = 10',
      1227,
      '42000',
      'Access denied; you need (at least one of) the SUPER or SYSTEM_VARIABLES_ADMIN privilege(s) for this operation',
    ],
    [
      'SET @@global.max_connections = 10',
      1227,
      '42000',
      'Access denied; you need (at least one of) the SUPER or SYSTEM_VARIABLES_ADMIN privilege(s) for this operation',
    ],
    [
      'SET GLOBAL TRANSACTION READ ONLY',
      1227,
      '42000',
      'Access denied; you need (at least one of) the SUPER or SYSTEM_VARIABLES_ADMIN privilege(s) for this operation',
    ],
    ['SET autocommit = 2', 1231, '42000', "Variable 'autocommit' can't be set to the value of '2'"],
    [
      'SET autocommit = NULL',
      1231,
      '42000',
      "Variable 'autocommit' can't be set to the value of 'NULL'",
    ],
    [
      "SET autocommit = 'yes'",
      1231,
      '42000',
      "Variable 'autocommit' can't be set to the value of 'yes'",
    ],
    ["SET sql_mode = 'X'", 1231, '42000', "Variable 'sql_mode' can't be set to the value of 'X'"],
    [
      "SET sql_mode = 'STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES'",
      1231,
      '42000',
      "Variable 'sql_mode' can't be set to the value of 'NO_BACKSLASH_ESCAPES'",
    ],
    [
      "SET sql_mode = 'ANSI'",
      1231,
      '42000',
      "Variable 'sql_mode' can't be set to the value of 'ANSI'",
    ],
    [
      "SET transaction_isolation = 'read committed'",
      1231,
      '42000',
      "Variable 'transaction_isolation' can't be set to the value of 'read committed'",
    ],
    [
      'SET NAMES latin1',
      1231,
      '42000',
      "Variable 'character_set_client' can't be set to the value of 'latin1'",
    ],
    [
      "SET wait_timeout = '10'",
      1232,
      '42000',
      "Incorrect argument type to variable 'wait_timeout'",
    ],
    ['SET wait_timeout = 1.0', 1232, '42000', "Incorrect argument type to variable 'wait_timeout'"],
    ['SET autocommit = 1.5', 1232, '42000', "Incorrect argument type to variable 'autocommit'"],
    ['SET time_zone = 1', 1232, '42000', "Incorrect argument type to variable 'time_zone'"],
    ['SET NAMES foo', 1115, '42000', "Unknown character set: 'foo'"],
    ['SET character_set_client = 9999', 1115, '42000', "Unknown character set: '9999'"],
    ["SET collation_connection = 'foo'", 1273, 'HY000', "Unknown collation: 'foo'"],
    ['SET NAMES utf8mb4 COLLATE foo_ci', 1273, 'HY000', "Unknown collation: 'foo_ci'"],
    [
      'SET NAMES utf8mb4 COLLATE utf8mb3_bin',
      1253,
      '42000',
      "COLLATION 'utf8mb3_bin' is not valid for CHARACTER SET 'utf8mb4'",
    ],
    [
      "SET time_zone = 'Nowhere/Land'",
      1298,
      'HY000',
      "Unknown or incorrect time zone: 'Nowhere/Land'",
    ],
    ["SET time_zone = '+14:01'", 1298, 'HY000', "Unknown or incorrect time zone: '+14:01'"],
    [
      'SET max_allowed_packet = 1024',
      1621,
      'HY000',
      "SESSION variable 'max_allowed_packet' is read-only. Use SET GLOBAL to assign the value",
    ],
    ['SET @a = nope', 1054, '42S22', "Unknown column 'nope' in 'field list'"],
    ['SET @a = @@nope', 1193, 'HY000', "Unknown system variable 'nope'"],
    ['SET @a = NOPE(1)', 1305, '42000', 'FUNCTION rpc.NOPE does not exist'],
  ])('%s → ERR %i (%s)', async (sql, errno, sqlState, message) => {
    await client.query('USE rpc');
    expect(await refusal(sql)).toEqual({ errno, sqlState, message });
  });

  it('assigns nothing when any assignment of a SET fails, and names the first failure', async () => {
    await client.query('SET @u = 1, wait_timeout = 10');
    // Every name is looked up before any value: the unknown variable is reported, not autocommit's value.
    expect(await refusal('SET wait_timeout = 5, @u = 2, autocommit = 7, nope = 1')).toMatchObject({
      errno: 1193,
    });
    // Types are checked for every assignment before values are.
    expect(await refusal("SET autocommit = 7, wait_timeout = 'x'")).toMatchObject({ errno: 1232 });
    expect(await refusal('SET wait_timeout = 5, @u = 2, autocommit = 7')).toMatchObject({
      errno: 1231,
    });
    expect(await row('SELECT @@wait_timeout AS w, @u AS u, @@autocommit AS a')).toEqual({
      w: '10',
      u: '1',
      a: '1',
    });
  });

  it('refuses to change the transaction characteristics of the next transaction inside one', async () => {
    await client.query('BEGIN');
    for (const sql of [
      'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE',
      "SET @@transaction_isolation = 'SERIALIZABLE'",
      'SET @@tx_read_only = 1',
    ]) {
      expect(await refusal(sql)).toEqual({
        errno: 1568,
        sqlState: '25001',
        message: "Transaction characteristics can't be changed while a transaction is in progress",
      });
    }
    // The session's own may change.
    await client.query('SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE');
    await client.query('COMMIT');
    expect(await row('SELECT @@transaction_isolation AS i')).toEqual({ i: 'SERIALIZABLE' });
  });

  it('answers comments as MySQL does, and runs version comments by version', async () => {
    expect((await client.query('/* ping */')).ok).not.toBeNull();
    expect((await client.query('/* ping */ SELECT 1')).sets[0]!.map(text)).toEqual([{ '1': '1' }]);
    expect((await client.query('-- just a comment')).ok).not.toBeNull();
    expect((await client.query('/*!99999 SET nope = 1 */')).ok).not.toBeNull();
    await client.query('/*!40101 SET NAMES utf8 */');
    await client.query('/*!80036 SET @v = 1 */');
    await client.query('/*!80037 SET @v = 2 */');
    await client.query('SET @w = 1 /*!80037 + 1 */ /*!80036 + 10 */');
    expect(await row('SELECT @@character_set_client AS c, @v AS v, @w AS w')).toEqual({
      c: 'utf8mb3',
      v: '1',
      w: '11',
    });
    // What mysqldump writes around a dump.
    await client.query(
      "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */",
    );
    await client.query('/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */');
    expect(await row('SELECT @@sql_mode AS m, @@unique_checks AS u')).toEqual({
      m: 'NO_AUTO_VALUE_ON_ZERO',
      u: '0',
    });
    await client.query('/*!40101 SET SQL_MODE=@OLD_SQL_MODE */');
    await client.query('/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */');
    expect(await row('SELECT @@sql_mode AS m, @@unique_checks AS u')).toEqual({
      m: 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION',
      u: '1',
    });
  });

  it('reads what Connector/J reads on connect', async () => {
    const sql =
      'SELECT @@session.auto_increment_increment AS auto_increment_increment, @@character_set_client AS character_set_client, ' +
      '@@character_set_connection AS character_set_connection, @@character_set_results AS character_set_results, ' +
      '@@character_set_server AS character_set_server, @@collation_server AS collation_server, ' +
      '@@collation_connection AS collation_connection, @@init_connect AS init_connect, ' +
      '@@interactive_timeout AS interactive_timeout, @@license AS license, ' +
      '@@lower_case_table_names AS lower_case_table_names, @@max_allowed_packet AS max_allowed_packet, ' +
      '@@net_write_timeout AS net_write_timeout, @@performance_schema AS performance_schema, ' +
      '@@sql_mode AS sql_mode, @@system_time_zone AS system_time_zone, @@time_zone AS time_zone, ' +
      '@@transaction_isolation AS transaction_isolation, @@wait_timeout AS wait_timeout';
    expect(await row(sql)).toEqual({
      auto_increment_increment: '1',
      character_set_client: 'utf8mb4',
      character_set_connection: 'utf8mb4',
      character_set_results: 'utf8mb4',
      character_set_server: 'utf8mb4',
      collation_server: 'utf8mb4_general_ci',
      collation_connection: expect.stringMatching(/^utf8mb4_/),
      init_connect: '',
      interactive_timeout: '28800',
      license: 'MIT',
      lower_case_table_names: '0',
      max_allowed_packet: String(64 * 1024 * 1024),
      net_write_timeout: '60',
      performance_schema: '0',
      sql_mode:
        'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION',
      system_time_zone: expect.any(String),
      time_zone: 'SYSTEM',
      transaction_isolation: 'REPEATABLE-READ',
      wait_timeout: '28800',
    });
    expect(
      await row(
        'SELECT @@port AS port, @@protocol_version AS p, @@max_prepared_stmt_count AS m, @@have_ssl AS s, @@version AS v',
      ),
    ).toEqual({
      port: String(server.port),
      p: '10',
      m: '16382',
      s: 'YES',
      v: '8.0.36-nestjs-mysql-rpc',
    });
  });
});

describe('status flags and session reset (mysql2)', () => {
  let conn: mysql2.Connection;
  beforeEach(async () => {
    conn = await mysql2.createConnection({
      host: '127.0.0.1',
      port: server.port,
      user: 'testuser',
      password: 'testpass',
    });
  });
  afterEach(() => conn.end());

  const status = async (sql: string): Promise<number> => {
    const [ok] = await conn.query<mysql2.ResultSetHeader>(sql);
    return ok.serverStatus;
  };
  const select = async (sql: string) =>
    ((await conn.query(sql))[0] as Record<string, unknown>[])[0];

  it('clears SERVER_STATUS_AUTOCOMMIT while autocommit is off, and commits when it comes back on', async () => {
    expect(await status('SET autocommit = 1')).toBe(AUTOCOMMIT);
    expect(await status('SET autocommit = 0')).toBe(0);
    expect(await status('BEGIN')).toBe(IN_TRANS);
    expect(await status('SET autocommit = 0')).toBe(IN_TRANS);
    // Turning autocommit on commits the open transaction.
    expect(await status('SET autocommit = 1')).toBe(AUTOCOMMIT);
    expect(await status('BEGIN')).toBe(AUTOCOMMIT | IN_TRANS);
    // Already on: no commit.
    expect(await status('SET autocommit = ON')).toBe(AUTOCOMMIT | IN_TRANS);
    expect(await status('COMMIT')).toBe(AUTOCOMMIT);
    expect(await select('SELECT @@autocommit AS a')).toEqual({ a: 1 });
  });

  it('flags a transaction begun under SET SESSION TRANSACTION READ ONLY', async () => {
    await conn.query('SET SESSION TRANSACTION READ ONLY');
    expect(await status('START TRANSACTION')).toBe(AUTOCOMMIT | IN_TRANS | IN_TRANS_READONLY);
    // The change applies to the next transaction, not to this one.
    await conn.query('SET SESSION TRANSACTION READ WRITE');
    expect(await status('SET @a = 1')).toBe(AUTOCOMMIT | IN_TRANS | IN_TRANS_READONLY);
    expect(await status('COMMIT')).toBe(AUTOCOMMIT);
    expect(await status('BEGIN')).toBe(AUTOCOMMIT | IN_TRANS);
  });

  it('restores every variable on COM_RESET_CONNECTION', async () => {
    await conn.query(
      "SET autocommit = 0, wait_timeout = 5, sql_mode = '', NAMES utf8mb3, time_zone = '+02:00', @u = 1",
    );
    await conn.query('SET SESSION TRANSACTION READ ONLY');
    await conn.query('BEGIN');
    await conn.reset();
    expect(await status('SET @x = 1')).toBe(AUTOCOMMIT);
    expect(
      await select(
        'SELECT @@autocommit AS a, @@wait_timeout AS w, @@sql_mode AS m, @@character_set_client AS c, @@time_zone AS z, @@transaction_read_only AS r, @u AS u',
      ),
    ).toEqual({
      a: 1,
      w: 28800,
      m: 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION',
      c: 'utf8mb4',
      z: 'SYSTEM',
      r: 0,
      u: null,
    });
  });

  it('restores every variable on COM_CHANGE_USER', async () => {
    await conn.query("SET autocommit = 0, wait_timeout = 5, time_zone = '+02:00'");
    await conn.changeUser({ user: 'testuser', password: 'testpass' });
    expect(await status('SET @x = 1')).toBe(AUTOCOMMIT);
    expect(await select('SELECT @@autocommit AS a, @@wait_timeout AS w, @@time_zone AS z')).toEqual(
      {
        a: 1,
        w: 28800,
        z: 'SYSTEM',
      },
    );
  });
});

describe('session reset with the other clients', () => {
  // mariadb refuses changeUser() against MySQL servers (MySQL bug #83472).
  it('mariadb: reset() restores the variables', async () => {
    const conn = await mariadb.createConnection({
      host: '127.0.0.1',
      port: server.port,
      user: 'testuser',
      password: 'testpass',
    });
    try {
      await conn.query("SET wait_timeout = 5, time_zone = '+02:00'");
      await conn.reset();
      const [after] = await conn.query('SELECT @@wait_timeout AS w, @@time_zone AS z');
      expect({ w: Number(after.w), z: after.z }).toEqual({ w: 28800, z: 'SYSTEM' });
    } finally {
      await conn.end();
    }
  });

  it('mysql: changeUser() restores the variables', async () => {
    const conn = mysql.createConnection({
      host: '127.0.0.1',
      port: server.port,
      user: 'testuser',
      password: 'testpass',
    });
    const query = (sql: string) =>
      new Promise<unknown>((resolve, reject) =>
        conn.query(sql, (e, r) => (e ? reject(e) : resolve(r))),
      );
    try {
      await query('SET wait_timeout = 5');
      await new Promise<void>((resolve, reject) =>
        conn.changeUser({ user: 'testuser', password: 'testpass' }, (e) =>
          e ? reject(e) : resolve(),
        ),
      );
      expect(await query('SELECT @@wait_timeout AS w')).toEqual([{ w: 28800 }]);
    } finally {
      await new Promise((resolve) => conn.end(resolve));
    }
  });
});
