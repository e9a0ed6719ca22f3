import * as mysql2 from 'mysql2/promise';
import { startTestServer, type TestServer } from '../support/test-app.js';

/**
 * MySQL's own admin views over real sockets with mysql2: SHOW STATUS in
 * its scopes with LIKE and WHERE, information_schema.PROCESSLIST, and SET
 * GLOBAL, each with MySQL's privilege rule (an admin sees and changes the
 * server's, any other account only its own).
 */

const USERS = {
  testuser: { password: 'testpass', grants: ['rpc.*'] },
  other: { password: 'otherpass', grants: ['rpc.*'] },
  boss: { password: 'bosspass', grants: ['*.*'], admin: true },
};

type MysqlFailure = { errno: number; sqlState: string; sqlMessage: string };

/** The MySQL error a promise rejects with. */
async function failure(p: Promise<unknown>): Promise<MysqlFailure> {
  try {
    await p;
  } catch (e) {
    const { errno, sqlState, sqlMessage } = e as MysqlFailure;
    return { errno, sqlState, sqlMessage };
  }
  throw new Error('expected the statement to fail');
}

type Row = Record<string, unknown>;

async function rows(conn: mysql2.Connection, sql: string): Promise<Row[]> {
  return (await conn.query(sql))[0] as Row[];
}

/** SHOW ... STATUS / VARIABLES as a name → value map. */
async function named(conn: mysql2.Connection, sql: string): Promise<Map<string, string>> {
  return new Map(
    (await rows(conn, sql)).map((r) => [r.Variable_name as string, r.Value as string]),
  );
}

const PROCESS_DENIED: MysqlFailure = {
  errno: 1227,
  sqlState: '42000',
  sqlMessage:
    'Access denied; you need (at least one of) the PROCESS privilege(s) for this operation',
};

const SET_GLOBAL_DENIED: MysqlFailure = {
  errno: 1227,
  sqlState: '42000',
  sqlMessage:
    'Access denied; you need (at least one of) the SUPER or SYSTEM_VARIABLES_ADMIN privilege(s) for this operation',
};

describe('admin views', () => {
  let server: TestServer;
  let user: mysql2.Connection;
  let userIdle: mysql2.Connection;
  let stranger: mysql2.Connection;
  let admin: mysql2.Connection;
  const connect = (name: string, password: string, database?: string) =>
    mysql2.createConnection({
      host: '127.0.0.1',
      port: server.port,
      user: name,
      password,
      database,
    });

  beforeAll(async () => {
    server = await startTestServer({ users: USERS });
    user = await connect('testuser', 'testpass');
    userIdle = await connect('testuser', 'testpass', 'rpc');
    stranger = await connect('other', 'otherpass');
    admin = await connect('boss', 'bosspass');
  });
  afterAll(async () => {
    await Promise.all([user, userIdle, stranger, admin].map((c) => c.end()));
    await server.close();
  });

  describe('SHOW STATUS', () => {
    it('answers with Variable_name and Value, the session’s by default, as MySQL', async () => {
      const [result, fields] = await user.query('SHOW STATUS');
      expect(fields.map((f) => f.name)).toEqual(['Variable_name', 'Value']);
      // VARCHAR(64) and VARCHAR(1024), in utf8mb4 bytes.
      expect(fields.map((f) => [f.type, f.columnLength])).toEqual([
        [253, 256],
        [253, 4096],
      ]);
      const status = new Map((result as Row[]).map((r) => [r.Variable_name, r.Value]));
      expect(status.get('Uptime')).toMatch(/^\d+$/);
      // The same names in every spelling of the session scope (the byte counters move on).
      const names = async (sql: string) => [...(await named(user, sql)).keys()];
      expect(await names('SHOW SESSION STATUS')).toEqual([...status.keys()]);
      expect(await names('SHOW LOCAL STATUS')).toEqual([...status.keys()]);
    });

    it('filters with LIKE on the name, in any letter case', async () => {
      expect([...(await named(user, "SHOW STATUS LIKE 'Up%'")).keys()]).toEqual(['Uptime']);
      expect([...(await named(user, "SHOW SESSION STATUS LIKE 'uptime'")).keys()]).toEqual([
        'Uptime',
      ]);
      expect([...(await named(admin, "SHOW GLOBAL STATUS LIKE 'Up%'")).keys()]).toEqual([
        'Uptime',
        'Uptime_since_flush_status',
      ]);
      expect(await rows(user, "SHOW STATUS LIKE 'no_such%'")).toEqual([]);
    });

    it('filters with WHERE over its columns', async () => {
      const uptime = await named(admin, "SHOW GLOBAL STATUS WHERE Variable_name = 'Uptime'");
      expect([...uptime.keys()]).toEqual(['Uptime']);
      const some = await named(
        admin,
        "SHOW GLOBAL STATUS WHERE Variable_name IN ('Threads_connected', 'Connections') AND Value > 0",
      );
      expect([...some.keys()]).toEqual(['Connections', 'Threads_connected']);
      expect(Number(some.get('Threads_connected'))).toBeGreaterThanOrEqual(4);
      expect(await failure(admin.query('SHOW GLOBAL STATUS WHERE nope = 1'))).toMatchObject({
        errno: 1054,
      });
    });

    it('gives an admin the server’s counters, in the form mysqladmin extended-status asks', async () => {
      const global = await named(admin, 'SHOW /*!50002 GLOBAL */ STATUS');
      for (const name of ['Aborted_clients', 'Connections', 'Threads_connected', 'Uptime']) {
        expect(global.get(name)).toMatch(/^\d+$/);
      }
      const names = [...global.keys()];
      expect(names).toEqual(
        [...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)),
      );
    });

    it('refuses the global scope to any other account with ERR 1227, LIKE or WHERE or not', async () => {
      for (const sql of [
        'SHOW GLOBAL STATUS',
        "SHOW GLOBAL STATUS LIKE 'Up%'",
        'SHOW /*!50002 GLOBAL */ STATUS WHERE nope = 1',
      ]) {
        expect(await failure(user.query(sql))).toEqual(PROCESS_DENIED);
      }
      // The connection goes on.
      expect(await named(user, "SHOW STATUS LIKE 'Uptime'")).toHaveProperty('size', 1);
    });

    it('is a result set a prepared statement describes too', async () => {
      const [result, fields] = await admin.execute("SHOW GLOBAL STATUS LIKE 'Uptime'");
      expect(fields.map((f) => f.name)).toEqual(['Variable_name', 'Value']);
      expect((result as Row[]).map((r) => r.Variable_name)).toEqual(['Uptime']);
    });
  });

  describe('information_schema.PROCESSLIST', () => {
    it('has MySQL 8’s columns, and shows an account its own user’s connections', async () => {
      const [result, fields] = await user.query('SELECT * FROM information_schema.PROCESSLIST');
      expect(fields.map((f) => f.name)).toEqual([
        'ID',
        'USER',
        'HOST',
        'DB',
        'COMMAND',
        'TIME',
        'STATE',
        'INFO',
      ]);
      const list = result as Row[];
      expect(list.map((r) => r.USER)).toEqual(['testuser', 'testuser']);
      expect(list.map((r) => Number(r.ID))).toEqual(
        [user.threadId, userIdle.threadId].sort((a, b) => a - b),
      );
      const self = list.find((r) => Number(r.ID) === user.threadId)!;
      expect(self).toMatchObject({
        COMMAND: 'Query',
        INFO: 'SELECT * FROM information_schema.PROCESSLIST',
        TIME: 0,
        DB: null,
      });
      expect(self.HOST).toMatch(/^127\.0\.0\.1:\d+$/);
      const idle = list.find((r) => Number(r.ID) === userIdle.threadId)!;
      expect(idle).toMatchObject({ COMMAND: 'Sleep', INFO: null, DB: 'rpc' });
    });

    it('filters with WHERE: another user’s connections only for an admin', async () => {
      const sql = "SELECT ID, USER FROM information_schema.PROCESSLIST WHERE USER = 'other'";
      expect(await rows(user, sql)).toEqual([]);
      expect((await rows(admin, sql)).map((r) => Number(r.ID))).toEqual([stranger.threadId]);
      const all = await rows(admin, 'SELECT ID FROM information_schema.PROCESSLIST ORDER BY ID');
      const ids = [user, userIdle, stranger, admin].map((c) => c.threadId);
      for (const id of ids) expect(all.map((r) => Number(r.ID))).toContain(id);
    });

    it('reads in any letter case, with a column list, without cutting INFO', async () => {
      const long = `SELECT ID, INFO FROM information_schema.processlist /* ${'x'.repeat(300)} */`;
      const [result, fields] = await stranger.query(long);
      expect(fields.map((f) => f.name)).toEqual(['ID', 'INFO']);
      expect(result).toEqual([{ ID: stranger.threadId, INFO: long }]);
      const counted = await rows(
        admin,
        'SELECT USER, COUNT(*) AS n FROM INFORMATION_SCHEMA.PROCESSLIST GROUP BY USER ORDER BY USER',
      );
      expect(counted).toEqual([
        { USER: 'boss', n: 1 },
        { USER: 'other', n: 1 },
        { USER: 'testuser', n: 2 },
      ]);
    });

    it('is listed as information_schema’s other tables are', async () => {
      const tables = await rows(user, 'SHOW TABLES FROM information_schema');
      expect(tables).toContainEqual({ Tables_in_information_schema: 'PROCESSLIST' });
      expect(
        await rows(
          user,
          "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_NAME = 'PROCESSLIST'",
        ),
      ).toEqual([{ TABLE_NAME: 'PROCESSLIST', TABLE_TYPE: 'SYSTEM VIEW' }]);
      const columns = await rows(user, 'SHOW COLUMNS FROM information_schema.PROCESSLIST');
      expect(columns.map((c) => [c.Field, c.Type])).toEqual([
        ['ID', 'bigint unsigned'],
        ['USER', 'varchar(32)'],
        ['HOST', 'varchar(261)'],
        ['DB', 'varchar(64)'],
        ['COMMAND', 'varchar(16)'],
        ['TIME', 'int'],
        ['STATE', 'varchar(64)'],
        ['INFO', 'longtext'],
      ]);
    });
  });
});

describe('SET GLOBAL', () => {
  let server: TestServer;
  let admin: mysql2.Connection;
  let user: mysql2.Connection;
  const connect = (name: string, password: string) =>
    mysql2.createConnection({ host: '127.0.0.1', port: server.port, user: name, password });

  beforeAll(async () => {
    server = await startTestServer({ users: USERS });
    admin = await connect('boss', 'bosspass');
    user = await connect('testuser', 'testpass');
  });
  afterAll(async () => {
    await Promise.all([admin, user].map((c) => c.end()));
    await server.close();
  });

  it('refuses every account but an admin with ERR 1227, changing nothing', async () => {
    for (const sql of [
      'SET GLOBAL wait_timeout = 5',
      'SET @@global.max_connections = 5',
      'SET GLOBAL TRANSACTION ISOLATION LEVEL SERIALIZABLE',
      'SET PERSIST wait_timeout = 5',
    ]) {
      expect(await failure(user.query(sql))).toEqual(SET_GLOBAL_DENIED);
    }
    expect(await rows(user, 'SELECT @@global.wait_timeout AS w')).toEqual([{ w: 28800 }]);
  });

  it('lets an admin change a global, which every session then reads', async () => {
    await admin.query('SET GLOBAL wait_timeout = 100');
    expect(await rows(admin, 'SELECT @@global.wait_timeout AS w')).toEqual([{ w: 100 }]);
    expect(await rows(user, 'SELECT @@global.wait_timeout AS w')).toEqual([{ w: 100 }]);
    const fresh = await connect('testuser', 'testpass');
    expect(await rows(fresh, 'SELECT @@wait_timeout AS w')).toEqual([{ w: 100 }]);
    await fresh.end();
    await admin.query('SET @@global.wait_timeout = DEFAULT');
    expect(await rows(user, 'SELECT @@global.wait_timeout AS w')).toEqual([{ w: 28800 }]);
  });

  it('moves the server’s limit with the variable: max_connections', async () => {
    await admin.query('SET GLOBAL max_connections = 2');
    expect(await named(admin, "SHOW GLOBAL VARIABLES LIKE 'max_connections'")).toEqual(
      new Map([['max_connections', '2']]),
    );
    expect(await failure(connect('testuser', 'testpass'))).toMatchObject({ errno: 1040 });
    // Clamped to MySQL's range, as SET SESSION values are.
    await admin.query('SET GLOBAL max_connections = 0');
    expect(await rows(admin, 'SELECT @@max_connections AS m')).toEqual([{ m: 1 }]);
    await admin.query('SET GLOBAL max_connections = DEFAULT');
    expect(await rows(admin, 'SELECT @@global.max_connections AS m')).toEqual([{ m: 151 }]);
    const fresh = await connect('testuser', 'testpass');
    await fresh.end();
  });

  it('keeps MySQL’s errors for a session-only, read-only or badly typed variable', async () => {
    expect(await failure(admin.query('SET GLOBAL insert_id = 1'))).toEqual({
      errno: 1228,
      sqlState: 'HY000',
      sqlMessage: "Variable 'insert_id' is a SESSION variable and can't be used with SET GLOBAL",
    });
    expect(await failure(admin.query('SET GLOBAL port = 1'))).toEqual({
      errno: 1238,
      sqlState: 'HY000',
      sqlMessage: "Variable 'port' is a read only variable",
    });
    expect(await failure(admin.query("SET GLOBAL wait_timeout = 'soon'"))).toMatchObject({
      errno: 1232,
    });
  });

  it('answers SET PERSIST with ERR 1235: nothing here outlives a restart', async () => {
    expect(await failure(admin.query('SET PERSIST wait_timeout = 5'))).toEqual({
      errno: 1235,
      sqlState: '42000',
      sqlMessage: "This version of MySQL doesn't yet support 'SET PERSIST'",
    });
    expect(await rows(admin, 'SELECT @@global.wait_timeout AS w')).toEqual([{ w: 28800 }]);
  });
});
