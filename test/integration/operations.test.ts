import type { LoggerService } from '@nestjs/common';
import * as mysql2 from 'mysql2/promise';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MysqlCallEnd, MysqlCallStart, MysqlRpcStatus } from '../../lib/index.js';
import { BASE_CAPS, parseErr, RawClient } from '../support/raw-client.js';

/** CLIENT_INTERACTIVE, as the mysql CLI sets it. */
const CLIENT_INTERACTIVE = 0x400;
import { sleeps, startTestServer, type TestServer } from '../support/test-app.js';

/**
 * Operating the server: counters, KILL, limits and timeouts with MySQL's
 * errors, the cap on calls in flight, graceful shutdown, the call log and
 * the tracer. Every client is mysql2 over a real socket (raw bytes where
 * the packet itself is the point).
 */

const USERS = {
  testuser: { password: 'testpass', grants: ['rpc.*'] },
  other: { password: 'otherpass', grants: ['rpc.*'] },
  boss: { password: 'bosspass', grants: ['*.*'], admin: true },
};

const connect = (port: number, user = 'testuser', password = 'testpass') =>
  mysql2.createConnection({ host: '127.0.0.1', port, user, password });

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

async function status(conn: mysql2.Connection, scope = 'GLOBAL'): Promise<Map<string, string>> {
  const [rows] = await conn.query(`SHOW ${scope} STATUS`);
  return new Map(
    (rows as Array<{ Variable_name: string; Value: string }>).map((r) => [
      r.Variable_name,
      r.Value,
    ]),
  );
}

/** Polls until `check` holds, failing after `ms`. */
async function until(check: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await sleep(20);
  }
}

/** The process-list row of connection `id`, as the admin sees it. */
async function processOf(admin: mysql2.Connection, id: number) {
  const [rows] = await admin.query('SHOW FULL PROCESSLIST');
  return (rows as Array<{ Id: number; Command: string; State: string; Info: string | null }>).find(
    (r) => r.Id === id,
  );
}

const runningCall = async (admin: mysql2.Connection, id: number, state = 'executing') =>
  until(async () => (await processOf(admin, id))?.State === state);

describe('counters and the status procedure', () => {
  let server: TestServer;
  let admin: mysql2.Connection;
  beforeAll(async () => {
    server = await startTestServer({ users: USERS });
    admin = await connect(server.port, 'boss', 'bosspass');
  });
  afterAll(async () => {
    await admin.end();
    await server.close();
  });

  it('moves each counter as a scripted session runs', async () => {
    const before = await status(admin);
    const n = (name: string, after: Map<string, string>) =>
      Number(after.get(name)) - Number(before.get(name));

    const conn = await connect(server.port);
    await conn.query('CALL myadd(1, 2)');
    await conn.execute('CALL myadd(?, ?)', [3, 4]);
    await failure(conn.query('CALL crash()'));
    await failure(conn.query('CALL no_such_procedure()'));
    await conn.end();
    await failure(connect(server.port, 'testuser', 'wrong'));
    await until(async () => n('Threads_connected', await status(admin)) === 0);

    const after = await status(admin);
    expect(n('Connections', after)).toBe(2);
    expect(n('Rpc_logins_ok', after)).toBe(1);
    expect(n('Rpc_logins_failed', after)).toBe(1);
    expect(n('Aborted_connects', after)).toBe(1);
    expect(n('Aborted_clients', after)).toBe(0);
    expect(n('Rpc_connections_closed_normally', after)).toBe(1);
    expect(n('Rpc_connections_closed_by_error', after)).toBe(1);
    expect(n('Com_call_procedure', after)).toBe(4);
    expect(n('Rpc_calls_total', after)).toBe(4);
    expect(n('Rpc_calls_ok', after)).toBe(2);
    expect(n('Rpc_calls_failed', after)).toBe(2);
    expect(n('Com_stmt_prepare', after)).toBe(1);
    expect(n('Com_stmt_execute', after)).toBe(1);
    expect(n('Bytes_received', after)).toBeGreaterThan(100);
    expect(n('Bytes_sent', after)).toBeGreaterThan(n('Bytes_received', after) / 10);
    expect(after.get('Rpc_calls_running')).toBe('0');
    expect(Number(after.get('Max_used_connections'))).toBeGreaterThanOrEqual(2);
    expect(Number(after.get('Threads_running'))).toBe(1);
    expect(after.get('Rpc_version')).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('gives an admin the whole report through CALL rpcinfo(), clients included', async () => {
    const conn = await connect(server.port);
    await conn.query('CALL myadd(5, 6)');
    const [sets] = await admin.query('CALL rpcinfo()');
    const rows = (sets as unknown as Array<Array<{ Variable_name: string; Value: string }>>)[0]!;
    const report = new Map(rows.map((r) => [r.Variable_name, r.Value]));
    expect(Number(report.get('procedure.myadd.calls'))).toBeGreaterThanOrEqual(3);
    expect(Number(report.get('procedure.myadd.ok'))).toBeGreaterThanOrEqual(3);
    expect(report.get('procedure.myadd.p95_ms')).toMatch(/^\d+(\.\d+)?$/);
    expect(report.get(`client.${conn.threadId}.user`)).toBe('testuser');
    expect(report.get(`client.${conn.threadId}.last_call`)).toBe('rpc.myadd');
    expect(report.get(`client.${conn.threadId}.calls`)).toBe('1');
    expect(report.get(`client.${admin.threadId}.info`)).toBe('CALL rpcinfo()');
    expect(report.get('server.state')).toBe('listening');
    expect(report.get('limits.max_connections')).toBe('151');
    expect(report.get('server.node_version')).toBe(process.version);
    await conn.end();
  });

  it('refuses rpcinfo and the global status to other accounts', async () => {
    const conn = await connect(server.port);
    expect(await failure(conn.query('CALL rpcinfo()'))).toEqual({
      errno: 1370,
      sqlState: '42000',
      sqlMessage: "execute command denied to user 'testuser'@'%' for routine 'rpc.rpcinfo'",
    });
    expect(await failure(conn.query('SHOW GLOBAL STATUS'))).toEqual({
      errno: 1227,
      sqlState: '42000',
      sqlMessage:
        'Access denied; you need (at least one of) the PROCESS privilege(s) for this operation',
    });
    const own = await status(conn, 'SESSION');
    expect([...own.keys()]).toEqual([
      'Bytes_received',
      'Bytes_sent',
      'Com_call_procedure',
      'Ssl_cipher',
      'Ssl_version',
      'Uptime',
    ]);
    await conn.end();
  });
});

describe('KILL', () => {
  let server: TestServer;
  let admin: mysql2.Connection;
  beforeAll(async () => {
    server = await startTestServer({ users: USERS });
    admin = await connect(server.port, 'boss', 'bosspass');
  });
  afterAll(async () => {
    await admin.end();
    await server.close();
  });

  it('KILL QUERY stops a running call with ERR 1317; its handler is told; the connection goes on', async () => {
    const conn = await connect(server.port);
    const call = failure(conn.query('CALL sleep_ms(10000)'));
    await runningCall(admin, conn.threadId);
    const before = sleeps.length;
    await admin.query(`KILL QUERY ${conn.threadId}`);
    expect(await call).toEqual({
      errno: 1317,
      sqlState: '70100',
      sqlMessage: 'Query execution was interrupted',
    });
    await until(() => sleeps.length > before);
    expect(sleeps.at(-1)).toEqual({ ms: 10000, aborted: true, code: 1317 });
    const [rows] = await conn.query('CALL myadd(2, 2)');
    expect((rows as unknown as Array<Array<{ sum: number }>>)[0]![0]!.sum).toBe(4);
    expect((await status(admin)).get('Rpc_calls_killed')).toBe('1');
    await conn.end();
  });

  it('KILL closes a connection; an account may kill its own threads', async () => {
    const victim = await connect(server.port);
    const killer = await connect(server.port);
    const lost = new Promise<void>((resolve) => victim.on('error', () => resolve()));
    const call = failure(victim.query('CALL sleep_ms(10000)'));
    await runningCall(admin, victim.threadId);
    await killer.query(`KILL ${victim.threadId}`);
    expect((await call).errno).toBe(1317);
    await lost;
    await until(async () => (await processOf(admin, victim.threadId)) === undefined);
    await killer.end();
  });

  it('answers an unknown id with ERR 1094 and another user’s thread with ERR 1095', async () => {
    const conn = await connect(server.port);
    const stranger = await connect(server.port, 'other', 'otherpass');
    expect(await failure(conn.query('KILL 4000000000'))).toEqual({
      errno: 1094,
      sqlState: 'HY000',
      sqlMessage: 'Unknown thread id: 4000000000',
    });
    expect(await failure(stranger.query(`KILL QUERY ${conn.threadId}`))).toEqual({
      errno: 1095,
      sqlState: 'HY000',
      sqlMessage: `You are not owner of thread ${conn.threadId}`,
    });
    // The admin may kill anyone's idle thread.
    const lost = new Promise<void>((resolve) => stranger.on('error', () => resolve()));
    await admin.query(`KILL CONNECTION ${stranger.threadId}`);
    await lost;
    await conn.end();
  });

  it('killing itself interrupts the KILL: ERR 1317, then the close for CONNECTION', async () => {
    const conn = await connect(server.port);
    expect((await failure(conn.query('KILL QUERY CONNECTION_ID()'))).errno).toBe(1317);
    await conn.query('SELECT 1');
    const lost = new Promise<void>((resolve) => conn.on('error', () => resolve()));
    expect((await failure(conn.query('KILL CONNECTION_ID()'))).errno).toBe(1317);
    await lost;
  });
});

describe('timeouts', () => {
  let server: TestServer;
  let admin: mysql2.Connection;
  beforeAll(async () => {
    server = await startTestServer({ users: USERS, callTimeout: 300 });
    admin = await connect(server.port, 'boss', 'bosspass');
  });
  afterAll(async () => {
    await admin.end();
    await server.close();
  });

  const TIMED_OUT = {
    errno: 3024,
    sqlState: 'HY000',
    sqlMessage: 'Query execution was interrupted, maximum statement execution time exceeded',
  };

  it('stops a call past the server’s callTimeout with ERR 3024 and aborts its signal', async () => {
    const conn = await connect(server.port);
    const before = sleeps.length;
    expect(await failure(conn.query('CALL sleep_ms(5000)'))).toEqual(TIMED_OUT);
    await until(() => sleeps.length > before);
    expect(sleeps.at(-1)).toEqual({ ms: 5000, aborted: true, code: 3024 });
    const [vars] = await conn.query("SHOW VARIABLES LIKE 'max_execution_time'");
    expect(vars).toEqual([{ Variable_name: 'max_execution_time', Value: '300' }]);
    const after = await status(admin);
    expect(after.get('Rpc_calls_timed_out')).toBe('1');
    expect(after.get('Max_execution_time_exceeded')).toBe('1');
    await conn.end();
  });

  it('lets a session lower its limit, never raise it', async () => {
    const conn = await connect(server.port);
    await conn.query('SET SESSION max_execution_time = 50');
    const started = Date.now();
    expect(await failure(conn.query('CALL sleep_ms(250)'))).toEqual(TIMED_OUT);
    expect(Date.now() - started).toBeLessThan(250);
    await conn.query('SET SESSION max_execution_time = 100000');
    expect(await failure(conn.query('CALL sleep_ms(5000)'))).toEqual(TIMED_OUT);
    await conn.end();
  });

  it('drops the late result of a handler that ignores its signal', async () => {
    const conn = await connect(server.port);
    expect(await failure(conn.query('CALL sleep_deaf(600)'))).toEqual(TIMED_OUT);
    const before = sleeps.length;
    await until(() => sleeps.length > before);
    const [rows] = await conn.query('CALL myadd(20, 22)');
    expect((rows as unknown as Array<Array<{ sum: number }>>)[0]).toEqual([{ sum: 42 }]);
    await conn.end();
  });
});

describe('limits changed at run time', () => {
  it('acts on an admin’s SET GLOBAL at once: max_execution_time, max_connections', async () => {
    const server = await startTestServer({ users: USERS });
    const admin = await connect(server.port, 'boss', 'bosspass');
    const conn = await connect(server.port);
    await admin.query('SET GLOBAL max_execution_time = 50');
    expect((await failure(conn.query('CALL sleep_ms(2000)'))).errno).toBe(3024);
    await admin.query('SET GLOBAL max_execution_time = DEFAULT');
    await conn.query('CALL sleep_ms(60)');
    await admin.query('SET GLOBAL max_connections = 2');
    expect((await failure(connect(server.port))).errno).toBe(1040);
    expect(server.strategy.report().limits.maxConnections).toBe(2);
    await Promise.all([conn.end(), admin.end()]);
    await server.close();
  });
});

describe('a procedure’s own timeout', () => {
  it('applies @MysqlProcedure({ timeout }) where the server sets none', async () => {
    const server = await startTestServer({ users: USERS });
    const conn = await connect(server.port);
    expect((await failure(conn.query('CALL sleep_capped(3000)'))).errno).toBe(3024);
    const [rows] = await conn.query('CALL sleep_capped(10)');
    expect((rows as unknown as Array<Array<{ slept: number }>>)[0]).toEqual([{ slept: 10 }]);
    await conn.end();
    await server.close();
  });
});

describe('idle and login timeouts', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      users: USERS,
      idleTimeout: 1000,
      connectTimeout: 300,
      authPlugin: 'mysql_native_password',
    });
  });
  afterAll(() => server.close());

  it('closes a session idle past wait_timeout with ERR 4031', async () => {
    const conn = await connect(server.port);
    const [vars] = await conn.query("SHOW VARIABLES LIKE 'wait_timeout'");
    expect(vars).toEqual([{ Variable_name: 'wait_timeout', Value: '1' }]);
    // mysql2 reads the unsolicited ERR as a fatal error carrying its code.
    const error = await new Promise<{ code: unknown; fatal: boolean; message: string }>((resolve) =>
      conn.on('error', (e) => resolve(e as never)),
    );
    expect(error).toMatchObject({ code: 4031, fatal: true });
    expect(error.message).toBe(
      'The client was disconnected by the server because of inactivity. See wait_timeout and interactive_timeout for configuring this behavior.',
    );
  });

  it('sends the ERR as a new sequence, then closes, and honours SET SESSION wait_timeout', async () => {
    const server2 = await startTestServer({ users: USERS, authPlugin: 'mysql_native_password' });
    const c = await RawClient.connect(server2.port);
    await c.login();
    // SET SESSION wait_timeout = 1
    c.write(
      Buffer.concat([
        Buffer.from([0x1b, 0, 0, 0, 0x03]),
        Buffer.from('SET SESSION wait_timeout=1'),
      ]).subarray(0),
    );
    expect((await c.read())!.payload[0]).toBe(0x00);
    const err = (await c.read(4000))!;
    expect(err.seq).toBe(0);
    expect(parseErr(err.payload)).toMatchObject({ code: 4031, sqlState: 'HY000' });
    await c.waitClosed();
    c.close();
    await server2.close();
  });

  it('gives interactive clients interactive_timeout instead', async () => {
    const server2 = await startTestServer({
      users: USERS,
      idleTimeout: 60_000,
      interactiveTimeout: 1000,
      authPlugin: 'mysql_native_password',
    });
    const interactive = await RawClient.connect(server2.port);
    await interactive.login('testuser', 'testpass', BASE_CAPS | CLIENT_INTERACTIVE);
    const plain = await connect(server2.port);
    const err = (await interactive.read(4000))!;
    expect(parseErr(err.payload)).toMatchObject({ code: 4031 });
    await interactive.waitClosed();
    const [rows] = await plain.query('SELECT @@wait_timeout AS w, @@interactive_timeout AS i');
    expect(rows).toEqual([{ w: 60, i: 1 }]);
    await plain.end();
    await server2.close();
  });

  it('drops a client that does not finish its login within connect_timeout', async () => {
    const c = await RawClient.connect(server.port);
    expect((await c.read())!.payload[0]).toBe(10);
    await c.waitClosed(3000);
  });
});

describe('max_connections', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ users: USERS, maxConnections: 2 });
  });
  afterAll(() => server.close());

  it('refuses logins past it with ERR 1040, keeps one more for an admin, then refuses the greeting', async () => {
    const a = await connect(server.port);
    const b = await connect(server.port);
    expect(await failure(connect(server.port))).toEqual({
      errno: 1040,
      sqlState: '08004',
      sqlMessage: 'Too many connections',
    });
    await until(() => server.strategy.report().connections.open === 2);
    const admin = await connect(server.port, 'boss', 'bosspass');
    const c = await RawClient.connect(server.port);
    const first = (await c.read())!;
    expect(first.seq).toBe(0);
    expect(parseErr(first.payload)).toEqual({
      code: 1040,
      sqlState: '',
      message: 'Too many connections',
    });
    await c.waitClosed();
    const counted = await status(admin);
    expect(counted.get('Connection_errors_max_connections')).toBe('2');
    expect(counted.get('Rpc_connections_refused')).toBe('2');
    const [vars] = await admin.query("SHOW VARIABLES LIKE 'max_connections'");
    expect(vars).toEqual([{ Variable_name: 'max_connections', Value: '2' }]);
    await Promise.all([a.end(), b.end(), admin.end()]);
  });
});

describe('maxCallsInFlight', () => {
  it('makes calls past the cap wait their turn; KILL reaches a waiting call', async () => {
    const server = await startTestServer({ users: USERS, maxCallsInFlight: 1 });
    const admin = await connect(server.port, 'boss', 'bosspass');
    const [one, two, three] = await Promise.all([1, 2, 3].map(() => connect(server.port)));
    const first = one!.query('CALL sleep_ms(400)');
    await runningCall(admin, one!.threadId);
    const second = two!.query('CALL sleep_ms(10)');
    await runningCall(admin, two!.threadId, 'waiting for a call slot');
    const third = failure(three!.query('CALL sleep_ms(10)'));
    await runningCall(admin, three!.threadId, 'waiting for a call slot');
    expect((await status(admin)).get('Rpc_calls_waiting')).toBe('2');
    await admin.query(`KILL QUERY ${three!.threadId}`);
    expect((await third).errno).toBe(1317);
    await first;
    await second;
    const after = await status(admin);
    expect(after.get('Rpc_calls_waiting')).toBe('0');
    expect(after.get('Rpc_calls_running')).toBe('0');
    await Promise.all([one, two, three, admin].map((c) => c!.end()));
    await server.close();
  });
});

describe('graceful shutdown', () => {
  it('lets calls in flight finish, answers new commands with ERR 1053, then closes', async () => {
    const server = await startTestServer({ users: USERS, shutdownGracePeriod: 5000 });
    const seen: MysqlRpcStatus[] = [];
    server.strategy.status.subscribe((s) => seen.push(s));
    const busy = await connect(server.port);
    const idle = await connect(server.port);
    idle.on('error', () => undefined);
    const call = busy.query('CALL sleep_ms(500)');
    await until(() => server.strategy.report().calls.running === 1);
    const closed = server.close();
    await until(() => seen.includes('draining'));
    expect(await failure(idle.query('CALL myadd(1, 1)'))).toEqual({
      errno: 1053,
      sqlState: '08S01',
      sqlMessage: 'Server shutdown in progress',
    });
    const [rows] = await call;
    expect((rows as unknown as Array<Array<{ slept: number }>>)[0]).toEqual([{ slept: 500 }]);
    await closed;
    expect(seen.slice(-2)).toEqual(['draining', 'closed']);
    busy.destroy();
  });

  it('stops what is still running when the grace period ends, with ERR 1053', async () => {
    const server = await startTestServer({ users: USERS, shutdownGracePeriod: 200 });
    const conn = await connect(server.port);
    conn.on('error', () => undefined);
    const call = failure(conn.query('CALL sleep_ms(10000)'));
    await until(() => server.strategy.report().calls.running === 1);
    const before = sleeps.length;
    await server.close();
    expect((await call).errno).toBe(1053);
    await until(() => sleeps.length > before);
    expect(sleeps.at(-1)).toEqual({ ms: 10000, aborted: true, code: 1053 });
  });
});

describe('the call log and the tracer', () => {
  it('logs each call when general_log is on, and tells the tracer how each call ended', async () => {
    const lines: string[] = [];
    const logger: LoggerService = {
      log: (message: unknown, context?: unknown) => {
        if (context === 'MysqlRpcCalls') lines.push(String(message));
      },
      error: () => undefined,
      warn: () => undefined,
    };
    const spans: Array<MysqlCallStart & Partial<MysqlCallEnd>> = [];
    const server = await startTestServer(
      {
        users: USERS,
        callTimeout: 100,
        callLog: { arguments: true },
        tracer: {
          start(call) {
            const span: MysqlCallStart & Partial<MysqlCallEnd> = { ...call };
            spans.push(span);
            return { end: (result) => Object.assign(span, result) };
          },
        },
      },
      logger,
    );
    const admin = await connect(server.port, 'boss', 'bosspass');
    await admin.query('SET GLOBAL general_log = OFF');
    const conn = await connect(server.port);
    await conn.query("CALL myadd(1, 'two')");
    expect(lines).toEqual([]);
    await admin.query('SET GLOBAL general_log = ON');
    await conn.query('CALL myadd(1, 2)');
    await failure(conn.query('CALL sleep_ms(1000)'));
    await failure(conn.query('CALL crash()'));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      new RegExp(
        `^call rpc\\.myadd id=${conn.threadId} user=testuser host=127\\.0\\.0\\.1 ms=\\d+\\.\\d{3} outcome=ok args=\\(1, 2\\)$`,
      ),
    );
    expect(lines[1]).toMatch(/^call rpc\.sleep_ms .* outcome=timeout error=3024 args=\(1000\)$/);
    expect(lines[2]).toMatch(/ outcome=error error=1644 /);
    expect(spans.map((s) => [s.procedure, s.user, s.outcome, s.errorCode])).toEqual([
      ['myadd', 'testuser', 'ok', null],
      ['myadd', 'testuser', 'ok', null],
      ['sleep_ms', 'testuser', 'timeout', 3024],
      ['crash', 'testuser', 'error', 1644],
    ]);
    for (const s of spans) expect(s.durationMs).toBeGreaterThanOrEqual(0);
    await Promise.all([conn.end(), admin.end()]);
    await server.close();
  });
});
