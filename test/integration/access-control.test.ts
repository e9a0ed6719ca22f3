import * as mysql2 from 'mysql2/promise';
import {
  guardSightings,
  startSecurityServer,
  type SecurityServer,
} from '../support/security-app.js';

/** What a refused call looks like to mysql2. */
async function refusal(
  p: Promise<unknown>,
): Promise<{ errno: number; sqlState: string; message: string }> {
  try {
    await p;
  } catch (e) {
    const { errno, sqlState, message } = e as { errno: number; sqlState: string; message: string };
    return { errno, sqlState, message };
  }
  throw new Error('expected the call to be refused');
}

const denied = (user: string, routine: string, host = '%') => ({
  errno: 1370,
  sqlState: '42000',
  message: `execute command denied to user '${user}'@'${host}' for routine '${routine}'`,
});

let server: SecurityServer;
const open: mysql2.Connection[] = [];
async function as(user: string, password: string, extra: Partial<mysql2.ConnectionOptions> = {}) {
  const c = await mysql2.createConnection({
    host: '127.0.0.1',
    port: server.port,
    user,
    password,
    ...extra,
  });
  open.push(c);
  return c;
}
/** The first result set's rows: a CALL answers result sets and an OK, a SELECT one set. */
async function rows(c: mysql2.Connection, sql: string): Promise<unknown[]> {
  const [result] = (await c.query(sql)) as unknown as [unknown[]];
  return Array.isArray(result[0]) ? (result[0] as unknown[]) : result;
}
const TLS = { ssl: { rejectUnauthorized: false } };

beforeAll(async () => {
  server = await startSecurityServer();
});
afterAll(async () => {
  await Promise.all(open.map((c) => c.end().catch(() => undefined)));
  await server.close();
});

describe('grants: deny by default, in an app that registers no guard', () => {
  it('refuses every CALL of an account without grants, existing procedure or not, alike', async () => {
    const c = await as('nogrants', 'pw-nogrants');
    expect(await refusal(c.query('CALL plain()'))).toEqual(denied('nogrants', 'rpc.plain'));
    expect(await refusal(c.query('CALL no_such_proc()'))).toEqual(
      denied('nogrants', 'rpc.no_such_proc'),
    );
    expect(await refusal(c.query('CALL other.plain()'))).toEqual(denied('nogrants', 'other.plain'));
  });

  it('opens a @MysqlPublic procedure to every account', async () => {
    const c = await as('nogrants', 'pw-nogrants');
    expect(await rows(c, 'CALL open_to_all()')).toEqual([{ account: 'nogrants@%' }]);
  });

  it('grants procedures by name and by wildcard; ERR 1305 only for a granted name with no handler', async () => {
    const c = await as('listed', 'pw-listed');
    expect(await rows(c, 'CALL plain()')).toEqual([{ ok: 1 }]);
    expect(await rows(c, 'CALL REPORT_DAILY()')).toEqual([{ report: 'daily' }]);
    expect(await refusal(c.query('CALL report_missing()'))).toEqual({
      errno: 1305,
      sqlState: '42000',
      message: 'PROCEDURE rpc.report_missing does not exist',
    });
    expect(await refusal(c.query('CALL missing()'))).toEqual(denied('listed', 'rpc.missing'));
    expect(await refusal(c.query('CALL session_info()'))).toEqual(
      denied('listed', 'rpc.session_info'),
    );
  });

  it('grants through a role', async () => {
    const c = await as('reporter', 'pw-reporter');
    expect(await rows(c, 'CALL report_daily()')).toEqual([{ report: 'daily' }]);
    expect(await rows(c, 'CALL for_reporting()')).toEqual([{ rows: 2 }]);
    expect(await refusal(c.query('CALL plain()'))).toEqual(denied('reporter', 'rpc.plain'));
  });
});

describe('access decorators and guards', () => {
  it('@MysqlAdmin admits admins only, even where grants cover the name', async () => {
    const user = await as('granted', 'pw-granted');
    expect(await refusal(user.query('CALL admin_only()'))).toEqual(
      denied('granted', 'rpc.admin_only'),
    );
    const root = await as('root', 'pw-root');
    expect(await rows(root, 'CALL admin_only()')).toEqual([{ secret: 42 }]);
  });

  it('@MysqlRoles admits accounts holding one of the roles', async () => {
    const user = await as('granted', 'pw-granted');
    expect(await refusal(user.query('CALL for_reporting()'))).toEqual(
      denied('granted', 'rpc.for_reporting'),
    );
    const ops = await as('ops', 'pw-ops');
    expect(await rows(ops, 'CALL for_reporting()')).toEqual([{ rows: 2 }]);
  });

  it('a guard written in the app sees user, host, roles and TLS; its false is ERR 1370', async () => {
    guardSightings.length = 0;
    const plain = await as('ops', 'pw-ops');
    expect(await refusal(plain.query('CALL ops_tls()'))).toEqual(denied('ops', 'rpc.ops_tls'));
    const secure = await as('ops', 'pw-ops', TLS);
    expect(await rows(secure, 'CALL ops_tls()')).toEqual([{ ok: 'ops' }]);
    expect(guardSightings).toEqual([
      { user: 'ops', host: '127.0.0.1', roles: ['ops'], secure: false },
      { user: 'ops', host: '127.0.0.1', roles: ['ops'], secure: true },
    ]);
  });

  it('a guard that throws is ERR 1644, with nothing of its error text', async () => {
    const c = await as('granted', 'pw-granted');
    expect(await refusal(c.query('CALL guard_throws()'))).toEqual({
      errno: 1644,
      sqlState: '45000',
      message: 'Unhandled user-defined exception condition',
    });
    expect(await rows(c, 'CALL plain()')).toEqual([{ ok: 1 }]);
  });

  it('runs interceptors around the call', async () => {
    const c = await as('granted', 'pw-granted');
    expect(await rows(c, 'CALL intercepted(5)')).toEqual([{ wrapped: '{"x":5}' }]);
  });

  it('runs pipes on the payload, and a pipe refusal is its MySQL error', async () => {
    const c = await as('granted', 'pw-granted');
    expect(await rows(c, "CALL piped_sum('2', 3.5)")).toEqual([
      { sum: 5.5, types: 'number,number' },
    ]);
    expect(await refusal(c.query("CALL piped_sum('x')"))).toEqual({
      errno: 1366,
      sqlState: 'HY000',
      message: "Incorrect integer value: 'x'",
    });
  });

  it('runs exception filters, whose error replaces the handler’s', async () => {
    const c = await as('granted', 'pw-granted');
    expect(await refusal(c.query('CALL filtered()'))).toEqual({
      errno: 1146,
      sqlState: '42S02',
      message: "Table 'rpc.t' doesn't exist",
    });
  });
});

describe('what a handler and SHOW GRANTS see', () => {
  it('gives the context the account, roles, admin and TLS state', async () => {
    const c = await as('reporter', 'pw-reporter', TLS);
    expect(await rows(c, 'CALL session_info()')).toEqual([
      {
        user: 'reporter',
        account: 'reporter@%',
        roles: 'reporting',
        admin: 0,
        secure: 1,
        cert_cn: null,
      },
    ]);
    expect(await rows(c, 'SELECT CURRENT_USER(), USER()')).toEqual([
      { 'CURRENT_USER()': 'reporter@%', 'USER()': 'reporter@127.0.0.1' },
    ]);
  });

  it('prints grants in MySQL form, for oneself and, for an admin, anyone', async () => {
    const c = await as('listed', 'pw-listed');
    const own = [
      { 'Grants for listed@%': 'GRANT USAGE ON *.* TO `listed`@`%`' },
      { 'Grants for listed@%': 'GRANT EXECUTE ON PROCEDURE `rpc`.`plain` TO `listed`@`%`' },
      { 'Grants for listed@%': 'GRANT EXECUTE ON PROCEDURE `rpc`.`report_*` TO `listed`@`%`' },
    ];
    expect(await rows(c, 'SHOW GRANTS')).toEqual(own);
    expect(await rows(c, 'SHOW GRANTS FOR CURRENT_USER()')).toEqual(own);
    expect(await refusal(c.query("SHOW GRANTS FOR 'root'@'localhost'"))).toEqual({
      errno: 1044,
      sqlState: '42000',
      message: "Access denied for user 'listed'@'%' to database 'mysql'",
    });
    const root = await as('root', 'pw-root');
    expect(await rows(root, "SHOW GRANTS FOR 'listed'@'%'")).toEqual(own);
    expect(await rows(root, 'SHOW GRANTS FOR reporter')).toEqual([
      { 'Grants for reporter@%': 'GRANT USAGE ON *.* TO `reporter`@`%`' },
      { 'Grants for reporter@%': 'GRANT `reporting`@`%` TO `reporter`@`%`' },
    ]);
    expect(await rows(root, 'SHOW GRANTS')).toEqual([
      {
        'Grants for root@localhost':
          'GRANT RELOAD, PROCESS, SUPER, EXECUTE ON *.* TO `root`@`localhost`',
      },
    ]);
    expect(await refusal(root.query("SHOW GRANTS FOR 'nobody'@'%'"))).toEqual({
      errno: 1141,
      sqlState: '42000',
      message: "There is no such grant defined for user 'nobody' on host '%'",
    });
  });

  it('lets only admins flush', async () => {
    const c = await as('granted', 'pw-granted');
    expect(await refusal(c.query('FLUSH HOSTS'))).toEqual({
      errno: 1227,
      sqlState: '42000',
      message:
        'Access denied; you need (at least one of) the RELOAD privilege(s) for this operation',
    });
    const root = await as('root', 'pw-root');
    await root.query('FLUSH HOSTS, PRIVILEGES');
  });
});
