import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as mysql2 from 'mysql2/promise';
import { PASSWORDS, compatAccounts } from './accounts.js';
import { MYSQLADMIN, PYTHON, haveClients, loginArgs, mysqlCli, runProcess } from './clients.js';
import { PacketTap, exchanges, sequenceFaults, type TappedConnection } from './packet-tap.js';
import { sleeps, startTestServer, type TestServer } from '../support/test-app.js';

/**
 * The operations side of mysqladmin and the mysql CLI (MariaDB 10.11):
 * status, processlist, extended-status and kill, as an admin and as a
 * plain account. What mysqladmin sends (seen through the packet tap):
 * `status` is COM_STATISTICS; `processlist` the query `show processlist`
 * (`show full processlist` with -v); `extended-status` SHOW GLOBAL
 * STATUS with GLOBAL in a versioned comment; `kill <id>` the query
 * `KILL <id>` (mysqladmin avoids mysql_kill, whose ids are 32-bit).
 * Of the clients here only PyMySQL's kill() sends COM_PROCESS_KILL.
 */
const haveTools = haveClients('mysql', 'mysqladmin');
const suite = haveTools ? describe : describe.skip;
const havePython = haveTools && haveClients('pymysql', 'MySQLdb');
const pythonSuite = havePython ? describe : describe.skip;

const COM_QUIT = 0x01;
const COM_QUERY = 0x03;
const COM_STATISTICS = 0x09;
const COM_PROCESS_KILL = 0x0c;

const mysqladmin = (port: number, user: string, password: string, ...commands: string[]) =>
  runProcess(MYSQLADMIN, [...loginArgs(port, user, password), ...commands]);
const asAdmin = (...commands: string[]) =>
  mysqladmin(server.port, 'admin', PASSWORDS.admin, ...commands);
/** The same through the tap, without TLS, so its packets can be read. */
const tappedAdmin = (...commands: string[]) =>
  mysqladmin(tap.port, 'admin', PASSWORDS.admin, '--skip-ssl', ...commands);
const asTestuser = (...commands: string[]) =>
  mysqladmin(server.port, 'testuser', PASSWORDS.testuser, ...commands);

/** COM_STATISTICS' answer as mysqladmin prints it: uptime, threads, questions captured. */
const STATUS_LINE = new RegExp(
  '^Uptime: (\\d+) {2}Threads: (\\d+) {2}Questions: (\\d+) {2}Slow queries: 0 {2}Opens: 0 {2}' +
    'Flush tables: 1 {2}Open tables: 0 {2}Queries per second avg: \\d+\\.\\d{3}\\n$',
);

/** mysqladmin's report of a failed command: a BEL, its own path, its words, the server's text. */
const failure = (text: string) => `\x07${MYSQLADMIN}: ${text}\n`;

/** A `mysql -e` run whose statement failed: the CLI echoes the statement, then the error line. */
const cliFailed = (sql: string, error: string) => ({
  code: 1,
  stdout: '',
  stderr: `--------------\n${sql}\n--------------\n\n${error}\n`,
});

/** The commands one tapped connection sent after its login: first byte, then the rest as text. */
function commandsOf(connection: TappedConnection): Array<[number, string]> {
  return exchanges(connection)
    .slice(1)
    .map(([first]) => [first!.payload[0]!, first!.payload.toString('utf8', 1)]);
}

/** The one connection the tap saw since the last take(). */
function onlyTapped(): TappedConnection {
  const connections = tap.take();
  expect(connections).toHaveLength(1);
  expect(sequenceFaults(connections[0]!)).toEqual([]);
  return connections[0]!;
}

/** The rows of a table mysqladmin draws (`| a | b |`), header first, cells trimmed. */
function tableRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
}

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

/** A mysql2 connection busy in a call, as a victim to look at and kill. */
interface Held {
  readonly id: number;
  readonly connection: mysql2.Connection;
  /** How the call ended: `finished`, or the error its client got. */
  readonly outcome: Promise<{ errno: number; message: string } | 'finished'>;
  /** Resolves when the server has closed the connection. */
  readonly closed: Promise<void>;
}

let server: TestServer;
let tap: PacketTap;
const held: mysql2.Connection[] = [];

/** Connects `user`; through the tap when `tapped`, so its packets are recorded too. */
async function connect(user: keyof typeof PASSWORDS, tapped = false): Promise<mysql2.Connection> {
  const connection = await mysql2.createConnection({
    host: '127.0.0.1',
    port: tapped ? tap.port : server.port,
    user,
    password: PASSWORDS[user],
  });
  // A killed connection reports its loss here; the tests look at `closed` instead.
  connection.on('error', () => undefined);
  held.push(connection);
  return connection;
}

/** Waits until the server shows connection `id` running a statement. */
async function untilRunning(id: number): Promise<void> {
  const running = () =>
    server.strategy.report().clients.some((c) => c.id === id && c.command === 'Query');
  while (!running()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * Waits until the server no longer lists connection `id`: a killed
 * connection half-closes and leaves the list when its client's side of
 * the socket closes too, which can come after the client saw the end.
 */
async function untilGone(id: number): Promise<void> {
  const listed = () => server.strategy.report().clients.some((c) => c.id === id);
  while (listed()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Starts `sql` (a long CALL) on a connection of `user` and waits until the server runs it. */
async function holdCall(
  user: keyof typeof PASSWORDS,
  sql = 'CALL sleep_ms(10000)',
  tapped = false,
): Promise<Held> {
  const connection = await connect(user, tapped);
  const id = connection.threadId!;
  // mysql2 emits `end` when the server ends the socket.
  const closed = new Promise<void>((resolve) => connection.once('end', () => resolve()));
  const outcome = connection.query(sql).then(
    () => 'finished' as const,
    (error: { errno: number; message: string }) => ({ errno: error.errno, message: error.message }),
  );
  await untilRunning(id);
  return { id, connection, outcome, closed };
}

const INTERRUPTED = { errno: 1317, message: 'Query execution was interrupted' };

beforeAll(async () => {
  if (!haveTools) return;
  server = await startTestServer({ users: compatAccounts() });
  tap = await PacketTap.start(server.port);
});
beforeEach(() => tap?.take());
afterEach(() => {
  // Calls left running would hold the server's close() for its grace period.
  for (const connection of held.splice(0)) connection.destroy();
});
afterAll(async () => {
  await tap?.close();
  await server?.close();
});

suite('mysqladmin status', () => {
  it("sends COM_STATISTICS and prints the server's one line", async () => {
    await holdCall('native'); // one more connection, busy in a call
    const result = await tappedAdmin('status');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const line = STATUS_LINE.exec(result.stdout);
    expect(line).not.toBeNull();
    const [, uptime, threads, questions] = line!.map(Number);
    expect(uptime).toBeLessThanOrEqual(server.strategy.stats.uptimeSeconds());
    // The held connection and mysqladmin's own.
    expect(threads).toBeGreaterThanOrEqual(2);
    expect(questions).toBeGreaterThanOrEqual(1);
    expect(questions).toBeLessThanOrEqual(server.strategy.stats.questions);
    expect(commandsOf(onlyTapped()).map(([command]) => command)).toEqual([
      COM_STATISTICS,
      COM_QUIT,
    ]);
  });
});

suite('mysqladmin processlist', () => {
  const LONG = `CALL sleep_ms(10000, '${'x'.repeat(120)}')`;

  it('lists every connection for an admin, with Info cut to 100 characters', async () => {
    const victim = await holdCall('native', LONG);
    const result = await tappedAdmin('processlist');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [header, ...rows] = tableRows(result.stdout);
    expect(header).toEqual(['Id', 'User', 'Host', 'db', 'Command', 'Time', 'State', 'Info']);
    const row = rows.find(([id]) => id === String(victim.id));
    expect(row).toEqual([
      String(victim.id),
      'native',
      expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      '',
      'Query',
      expect.stringMatching(/^\d+$/),
      'executing',
      LONG.slice(0, 100),
    ]);
    // mysqladmin sees itself running its own statement.
    expect(rows).toContainEqual([
      expect.any(String),
      'admin',
      expect.any(String),
      '',
      'Query',
      expect.any(String),
      'executing',
      'show processlist',
    ]);
    expect(commandsOf(onlyTapped())).toEqual([
      [COM_QUERY, 'show processlist'],
      [COM_QUIT, ''],
    ]);
  });

  it('-v processlist sends SHOW FULL PROCESSLIST and shows Info whole', async () => {
    const victim = await holdCall('native', LONG);
    const result = await tappedAdmin('-v', 'processlist');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const rows = tableRows(result.stdout);
    expect(rows.find(([id]) => id === String(victim.id))?.[7]).toBe(LONG);
    expect(rows.map((r) => r[7])).toContain('show full processlist');
    expect(commandsOf(onlyTapped())).toEqual([
      [COM_QUERY, 'show full processlist'],
      [COM_QUIT, ''],
    ]);
  });

  it("shows a plain account only its own user's connections", async () => {
    const other = await holdCall('native');
    const own = await connect('testuser');
    const result = await asTestuser('processlist');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [, ...rows] = tableRows(result.stdout);
    // Its idle connection and mysqladmin's own, and no one else's.
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every(([, user]) => user === 'testuser')).toBe(true);
    const ids = rows.map(([id]) => Number(id));
    expect(ids).toContain(own.threadId);
    expect(ids).not.toContain(other.id);
  });
});

suite('mysqladmin extended-status', () => {
  it('shows the global status variables to an admin, with plausible values', async () => {
    await holdCall('native'); // one more connection, busy in a call
    const before = server.strategy.stats.uptimeSeconds();
    const result = await tappedAdmin('extended-status');
    const after = server.strategy.stats.uptimeSeconds();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [header, ...rows] = tableRows(result.stdout);
    expect(header).toEqual(['Variable_name', 'Value']);
    const status = new Map(rows.map(([name, value]) => [name!, value!]));
    const count = (name: string): number => {
      expect([name, status.get(name)]).toEqual([name, expect.stringMatching(/^\d+$/)]);
      return Number(status.get(name));
    };
    const stats = server.strategy.stats;

    expect(count('Uptime')).toBeGreaterThanOrEqual(before);
    expect(count('Uptime')).toBeLessThanOrEqual(after);
    // The held connection, and mysqladmin's own.
    expect(count('Threads_connected')).toBeGreaterThanOrEqual(2);
    expect(count('Threads_running')).toBeGreaterThanOrEqual(2);
    expect(count('Connections')).toBeGreaterThanOrEqual(count('Threads_connected'));
    // mysqladmin made one connection: the total is still the one it read.
    expect(count('Connections')).toBe(stats.connectionsTotal);
    expect(count('Max_used_connections')).toBeGreaterThanOrEqual(count('Threads_connected'));
    expect(count('Questions')).toBeGreaterThanOrEqual(1);
    expect(count('Queries')).toBe(count('Questions'));
    expect(count('Com_call_procedure')).toBeGreaterThanOrEqual(1);
    expect(count('Com_call_procedure')).toBe(stats.callsTotal);
    // At least the held CALL's statement has been read.
    expect(count('Bytes_received')).toBeGreaterThan('CALL sleep_ms(10000)'.length);
    expect(count('Bytes_sent')).toBeGreaterThan(0);

    expect(count('Rpc_calls_running')).toBeGreaterThanOrEqual(1);
    expect(count('Rpc_calls_total')).toBe(count('Com_call_procedure'));
    expect(count('Rpc_sessions_open')).toBeGreaterThanOrEqual(2);
    expect(count('Rpc_logins_ok')).toBeGreaterThanOrEqual(2);
    expect(count('Rpc_max_calls_in_flight')).toBe(0);
    for (const name of ['Rpc_calls_ok', 'Rpc_calls_failed', 'Rpc_calls_killed', 'Aborted_clients'])
      count(name);
    expect(status.get('Rpc_version')).toBe(PACKAGE_VERSION);
    expect(status.get('Rpc_node_version')).toBe(process.version);
    expect(status.get('Rpc_nest_version')).toMatch(/^\d+\.\d+\.\d+/);
    expect(status.get('Rpc_started_at')).toBe(
      new Date(stats.startedAt).toISOString().slice(0, 19).replace('T', ' '),
    );
    // Sorted by name, as MySQL lists them.
    const names = [...status.keys()];
    expect(names).toEqual(
      [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())),
    );

    expect(commandsOf(onlyTapped())).toEqual([
      [COM_QUERY, 'show /*!50002 GLOBAL */ status'],
      [COM_QUIT, ''],
    ]);
  });

  it("is refused to a plain account with MySQL's ERR 1227 text", async () => {
    expect(await asTestuser('extended-status')).toEqual({
      code: 1,
      stdout: '',
      stderr: failure(
        "unable to show status; error: 'Access denied; you need (at least one of) " +
          "the PROCESS privilege(s) for this operation'",
      ),
    });
  });
});

suite('mysqladmin kill', () => {
  it("sends KILL <id> as a query; the victim's call gets ERR 1317, then its connection closes", async () => {
    const victim = await holdCall('native', 'CALL sleep_ms(10000)', true);
    tap.take(); // the victim's record (read in the next test); mysqladmin's is taken below
    const seen = sleeps.length;
    const result = await tappedAdmin('kill', String(victim.id));
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(commandsOf(onlyTapped())).toEqual([
      [COM_QUERY, `KILL ${victim.id}`],
      [COM_QUIT, ''],
    ]);
    expect(await victim.outcome).toEqual(INTERRUPTED);
    await victim.closed;
    await untilGone(victim.id);
    // The handler's signal fired with the ERR's code.
    expect(sleeps.slice(seen)).toContainEqual({ ms: 10000, aborted: true, code: 1317 });
  });

  it('shows the victim the ERR 1317 packet as the last one before the close', async () => {
    const victim = await holdCall('native', 'CALL sleep_ms(10000)', true);
    const [recorded] = tap.connections;
    expect(await asAdmin('kill', String(victim.id))).toEqual({ code: 0, stdout: '', stderr: '' });
    await victim.closed;
    expect(sequenceFaults(recorded!)).toEqual([]);
    const last = recorded!.packets.at(-1)!;
    expect(last.from).toBe('server');
    expect(last.payload[0]).toBe(0xff);
    expect(last.payload.readUInt16LE(1)).toBe(1317);
    expect(last.payload.toString('latin1', 3)).toBe('#70100Query execution was interrupted');
    // The CALL was the victim's last command: the ERR answers it.
    expect(commandsOf(recorded!).at(-1)).toEqual([COM_QUERY, 'CALL sleep_ms(10000)']);
  });

  it('kills several ids given as a list', async () => {
    const first = await holdCall('native');
    const second = await holdCall('testuser');
    const result = await asAdmin('kill', `${first.id},${second.id}`);
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await first.outcome).toEqual(INTERRUPTED);
    expect(await second.outcome).toEqual(INTERRUPTED);
    await Promise.all([first.closed, second.closed]);
  });

  it("lets a plain account kill its own user's connection", async () => {
    const own = await holdCall('testuser');
    expect(await asTestuser('kill', String(own.id))).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await own.outcome).toEqual(INTERRUPTED);
    await own.closed;
  });

  it("refuses a plain account another user's thread with ERR 1095, and the call goes on", async () => {
    const other = await holdCall('native');
    expect(await asTestuser('kill', String(other.id))).toEqual({
      code: 1,
      stdout: '',
      stderr: failure(
        `kill failed on ${other.id}; error: 'You are not owner of thread ${other.id}'`,
      ),
    });
    // Still in its call.
    expect(server.strategy.report().clients.find((c) => c.id === other.id)?.command).toBe('Query');
    expect(await asAdmin('kill', String(other.id))).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await other.outcome).toEqual(INTERRUPTED);
  });

  it('answers an id that is not open with ERR 1094', async () => {
    const id = 999_999;
    expect(await asAdmin('kill', String(id))).toEqual({
      code: 1,
      stdout: '',
      stderr: failure(`kill failed on ${id}; error: 'Unknown thread id: ${id}'`),
    });
  });
});

suite('mysql CLI: status and kill statements', () => {
  it("SHOW GLOBAL STATUS LIKE 'Uptime' gives one row", async () => {
    const before = server.strategy.stats.uptimeSeconds();
    const result = await mysqlCli(
      server.port,
      'admin',
      PASSWORDS.admin,
      "SHOW GLOBAL STATUS LIKE 'Uptime'",
    );
    const after = server.strategy.stats.uptimeSeconds();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const match = /^Variable_name\tValue\nUptime\t(\d+)\n$/.exec(result.stdout);
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThanOrEqual(before);
    expect(Number(match![1])).toBeLessThanOrEqual(after);
  });

  it('SHOW GLOBAL STATUS is ERR 1227 for a plain account', async () => {
    const sql = "SHOW GLOBAL STATUS LIKE 'Uptime'";
    expect(await mysqlCli(server.port, 'testuser', PASSWORDS.testuser, sql)).toEqual(
      cliFailed(
        sql,
        'ERROR 1227 (42000) at line 1: Access denied; you need (at least one of) ' +
          'the PROCESS privilege(s) for this operation',
      ),
    );
  });

  it('KILL QUERY stops the call with ERR 1317 and leaves its connection open', async () => {
    const victim = await holdCall('native');
    const killedBefore = server.strategy.stats.calls.killed;
    const result = await mysqlCli(server.port, 'admin', PASSWORDS.admin, `KILL QUERY ${victim.id}`);
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await victim.outcome).toEqual(INTERRUPTED);
    expect(server.strategy.stats.calls.killed).toBe(killedBefore + 1);
    // The same connection goes on.
    const [rows] = await victim.connection.query('CALL myadd(1, 2)');
    expect((rows as unknown[][])[0]).toEqual([{ sum: 3 }]);
    expect(victim.connection.threadId).toBe(victim.id);
  });

  it("KILL QUERY of another user's thread is ERR 1095 for a plain account", async () => {
    const other = await holdCall('native');
    const sql = `KILL QUERY ${other.id}`;
    expect(await mysqlCli(server.port, 'testuser', PASSWORDS.testuser, sql)).toEqual(
      cliFailed(sql, `ERROR 1095 (HY000) at line 1: You are not owner of thread ${other.id}`),
    );
  });

  it('KILL of its own connection is ERR 1317 to the one asking', async () => {
    for (const sql of ['KILL CONNECTION_ID()', 'KILL QUERY CONNECTION_ID()']) {
      expect(await mysqlCli(server.port, 'testuser', PASSWORDS.testuser, sql)).toEqual(
        cliFailed(sql, 'ERROR 1317 (70100) at line 1: Query execution was interrupted'),
      );
    }
  });

  it('information_schema.PROCESSLIST lists every connection to an admin', async () => {
    const victim = await holdCall('native');
    const sql = 'SELECT * FROM information_schema.PROCESSLIST';
    const result = await mysqlCli(server.port, 'admin', PASSWORDS.admin, sql);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split('\t'));
    expect(header).toEqual(['ID', 'USER', 'HOST', 'DB', 'COMMAND', 'TIME', 'STATE', 'INFO']);
    expect(rows).toContainEqual([
      String(victim.id),
      'native',
      expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      'NULL',
      'Query',
      expect.stringMatching(/^\d+$/),
      'executing',
      'CALL sleep_ms(10000)',
    ]);
    expect(rows.map((r) => [r[1], r[4], r[7]])).toContainEqual(['admin', 'Query', sql]);
    // Ids in order, as SHOW PROCESSLIST lists them.
    const ids = rows.map(([id]) => Number(id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });
});

/**
 * Connects with PyMySQL or MySQLdb and calls its kill(id). Prints
 * `{"ok": true}` or `{"error": [errno, message]}`.
 */
const PY_KILL = `
import json, sys
spec = json.loads(sys.argv[1])
if spec['driver'] == 'pymysql':
    import pymysql as db
    conn = db.connect(host='127.0.0.1', port=spec['port'], user=spec['user'], password=spec['password'])
else:
    import MySQLdb as db
    conn = db.connect(host='127.0.0.1', port=spec['port'], user=spec['user'], passwd=spec['password'])
try:
    conn.kill(spec['id'])
    print(json.dumps({'ok': True}))
except db.MySQLError as e:
    print(json.dumps({'error': [e.args[0], e.args[1]]}))
`;

/** What kill(id) gave, run by `driver` as `user`. */
async function pyKill(
  driver: 'pymysql' | 'MySQLdb',
  port: number,
  user: keyof typeof PASSWORDS,
  id: number,
): Promise<unknown> {
  const spec = { driver, port, user, password: PASSWORDS[user], id };
  const result = await runProcess(PYTHON, ['-c', PY_KILL, JSON.stringify(spec)]);
  if (result.code !== 0) throw new Error(`python failed (${result.code}):\n${result.stderr}`);
  return JSON.parse(result.stdout) as unknown;
}

/**
 * The packet each driver's kill(id) sends: PyMySQL's is COM_PROCESS_KILL
 * with a 4-byte id; MySQLdb's goes through libmariadb's mysql_kill, which
 * (in 10.11) sends the query `KILL <id>`.
 */
const KILL_PACKETS = {
  pymysql: (id: number) => {
    const packet = Buffer.alloc(5);
    packet[0] = COM_PROCESS_KILL;
    packet.writeUInt32LE(id, 1);
    return packet;
  },
  MySQLdb: (id: number) => Buffer.from(`\x03KILL ${id}`, 'latin1'),
};

pythonSuite('kill() of PyMySQL (COM_PROCESS_KILL) and MySQLdb', () => {
  for (const driver of ['pymysql', 'MySQLdb'] as const) {
    it(`${driver}: an admin's kill is answered OK; the victim gets ERR 1317, then the close`, async () => {
      const victim = await holdCall('native');
      expect(await pyKill(driver, tap.port, 'admin', victim.id)).toEqual({ ok: true });
      const expected = KILL_PACKETS[driver](victim.id);
      // Both drivers set autocommit first: the kill is the exchange that starts with its packet.
      const kill = exchanges(onlyTapped()).find(([first]) => first!.payload.equals(expected));
      expect(kill?.map((p) => [p.from, p.payload[0]])).toEqual([
        ['client', expected[0]],
        ['server', 0x00],
      ]);
      expect(await victim.outcome).toEqual(INTERRUPTED);
      await victim.closed;
    });

    it(`${driver}: a plain account's kill of another user's thread is ERR 1095`, async () => {
      const other = await holdCall('native');
      expect(await pyKill(driver, server.port, 'testuser', other.id)).toEqual({
        error: [1095, `You are not owner of thread ${other.id}`],
      });
      expect(server.strategy.report().clients.find((c) => c.id === other.id)?.command).toBe(
        'Query',
      );
    });
  }
});
