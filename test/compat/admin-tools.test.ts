import { networkInterfaces } from 'node:os';
import { PASSWORDS, authWorkOf, compatAccounts, sha2OnlyAccount } from './accounts.js';
import {
  MARIADB_SLAP,
  MYSQLADMIN,
  haveClients,
  loginArgs,
  mysqlCli,
  runProcess,
} from './clients.js';
import { PacketTap, describeLogin, exchanges, sequenceFaults } from './packet-tap.js';
import { startTestServer, type TestServer } from '../support/test-app.js';

/**
 * mysqladmin and mariadb-slap (MariaDB 10.11, from mariadb-client). Like
 * the CLI they use TLS unless given --skip-ssl. mysqladmin flush-hosts
 * sends the query `flush hosts`, flush-privileges and reload send `flush
 * privileges`, refresh sends COM_REFRESH (tables, logs, hosts, threads; not
 * grants).
 */
const haveTools = haveClients('mysql', 'mysqladmin', 'mariadb-slap');
const suite = haveTools ? describe : describe.skip;

const RELOAD_DENIED =
  "error: 'Access denied; you need (at least one of) the RELOAD privilege(s) for this operation'";
/** mysqladmin's report of a refused command: a BEL, its own path, the server's text. */
const refused = (what: string) => `\x07${MYSQLADMIN}: ${what} failed; ${RELOAD_DENIED}\n`;
const STATUS_LINE = new RegExp(
  '^Uptime: \\d+ {2}Threads: \\d+ {2}Questions: \\d+ {2}Slow queries: 0 {2}Opens: 0 {2}' +
    'Flush tables: 1 {2}Open tables: 0 {2}Queries per second avg: \\d+\\.\\d{3}$',
);

const mysqladmin = (port: number, user: string, password: string, ...commands: string[]) =>
  runProcess(MYSQLADMIN, [...loginArgs(port, user, password), ...commands]);

let server: TestServer;
let tap: PacketTap;
beforeAll(async () => {
  if (!haveTools) return;
  server = await startTestServer({
    users: compatAccounts(sha2OnlyAccount('admin_rsa'), sha2OnlyAccount('flushed')),
  });
  tap = await PacketTap.start(server.port);
});
beforeEach(() => tap?.take());
afterAll(async () => {
  await tap?.close();
  await server?.close();
});

suite('mysqladmin', () => {
  it('ping status as an admin and as a plain caching_sha2 account', async () => {
    for (const [user, password] of [
      ['admin', PASSWORDS.admin],
      ['testuser', PASSWORDS.testuser],
    ] as const) {
      const result = await mysqladmin(server.port, user, password, 'ping', 'status');
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      const [alive, status, ...rest] = result.stdout.split('\n');
      expect(alive).toBe('mysqld is alive');
      expect(status).toMatch(STATUS_LINE);
      expect(rest).toEqual(['']);
    }
  });

  it('logs a caching_sha2-only account in without TLS through the RSA exchange', async () => {
    const result = await mysqladmin(tap.port, 'admin_rsa', PASSWORDS.sha2, '--skip-ssl', 'ping');
    expect(result).toEqual({ code: 0, stdout: 'mysqld is alive\n', stderr: '' });
    const [connection] = tap.take();
    expect(sequenceFaults(connection!)).toEqual([]);
    expect(describeLogin(connection!)).toEqual([
      'S0 greeting caching_sha2_password',
      'C1 login admin_rsa caching_sha2_password auth=32',
      'S2 more 04',
      'C3 02',
      'S4 more -----BEGIN PUBLIC KEY-----',
      'C5 256 bytes',
      'S6 OK',
    ]);
  });

  it("flush-hosts works for an admin and is refused to others with MySQL's text", async () => {
    expect(await mysqladmin(server.port, 'admin', PASSWORDS.admin, 'flush-hosts')).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    expect(await mysqladmin(server.port, 'testuser', PASSWORDS.testuser, 'flush-hosts')).toEqual({
      code: 1,
      stdout: '',
      stderr: refused('flush hosts'),
    });
  });

  it('flush-privileges and refresh (COM_REFRESH) are refused to non-admins', async () => {
    expect(
      await mysqladmin(server.port, 'testuser', PASSWORDS.testuser, 'flush-privileges'),
    ).toEqual({ code: 1, stdout: '', stderr: refused('flush privileges') });
    expect(await mysqladmin(server.port, 'testuser', PASSWORDS.testuser, 'refresh')).toEqual({
      code: 1,
      stdout: '',
      stderr: refused('refresh'),
    });
  });

  it('flush-privileges and reload empty the caching_sha2 cache; refresh does not', async () => {
    const login = () =>
      mysqlCli(server.port, 'flushed', PASSWORDS.sha2, 'call myadd(1,2)', '--skip-ssl');
    const fullPaths = async (action: () => Promise<unknown>) =>
      (await authWorkOf(server, action)).fullChecks;
    expect(await fullPaths(login)).toBe(1);
    expect(await fullPaths(login)).toBe(0);
    for (const command of ['flush-privileges', 'reload', 'refresh']) {
      const result = await mysqladmin(server.port, 'admin', PASSWORDS.admin, command);
      expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
      // refresh is COM_REFRESH without REFRESH_GRANT: the digest stays.
      expect({ command, full: await fullPaths(login) }).toEqual({
        command,
        full: command === 'refresh' ? 0 : 1,
      });
    }
  });
});

suite('mariadb-slap', () => {
  const SLAP_ARGS = ['--query=call myadd(1,2)', '--concurrency=4', '--iterations=2'];

  it('runs a CALL with --create-schema=rpc (over TLS, as by default)', async () => {
    const result = await runProcess(MARIADB_SLAP, [
      ...loginArgs(server.port, 'testuser', PASSWORDS.testuser),
      ...SLAP_ARGS,
      '--create-schema=rpc',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('\tNumber of clients running queries: 4\n');
    expect(result.stdout).toContain('\tAverage number of queries per client: 1\n');
  });

  it('sends only the CALL: --create-schema names the login database, nothing is created or dropped', async () => {
    const result = await runProcess(MARIADB_SLAP, [
      ...loginArgs(tap.port, 'testuser', PASSWORDS.testuser),
      '--skip-ssl',
      ...SLAP_ARGS,
      '--create-schema=rpc',
    ]);
    expect(result.stderr).toBe('');
    const connections = tap.take();
    const queries: string[] = [];
    const commands = new Set<number>();
    const logins: string[] = [];
    for (const connection of connections) {
      expect(sequenceFaults(connection)).toEqual([]);
      const login = describeLogin(connection);
      expect(login.slice(2)).toEqual(['S2 more 03', 'S3 OK']);
      logins.push(login[1]!);
      for (const [command] of exchanges(connection).slice(1)) {
        commands.add(command!.payload[0]!);
        if (command!.payload[0] === 0x03) queries.push(command!.payload.toString('utf8', 1));
      }
    }
    // Its first connection only checks the login; each client connection uses the schema.
    expect(logins).toEqual([
      'C1 login testuser caching_sha2_password auth=32',
      ...Array(8).fill('C1 login testuser db=rpc caching_sha2_password auth=32'),
    ]);
    // COM_QUERY and COM_QUIT only; 4 clients x 2 iterations.
    expect([...commands].sort()).toEqual([0x01, 0x03]);
    expect(queries).toEqual(Array(8).fill('call myadd(1,2)'));
  });

  it('without --create-schema logs in to `mysqlslap`: ERR 1049 (and slap still exits 0)', async () => {
    const result = await runProcess(MARIADB_SLAP, [
      ...loginArgs(server.port, 'testuser', PASSWORDS.testuser),
      ...SLAP_ARGS,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      "mariadb-slap: Error when connecting to server: 1049 Unknown database 'mysqlslap'\n",
    );
  });
});

/** This machine has ::1: a second client address, to unblock 127.0.0.1 from. */
const HAVE_IPV6_LOOPBACK = Object.values(networkInterfaces())
  .flat()
  .some((i) => i?.address === '::1');
if (!HAVE_IPV6_LOOPBACK) console.warn('no IPv6 loopback: unblocking from ::1 is not tested');

suite('host blocking (ERR 1129) and mysqladmin flush-hosts', () => {
  let blocking: TestServer;
  beforeAll(async () => {
    blocking = await startTestServer({
      host: HAVE_IPV6_LOOPBACK ? '::' : '127.0.0.1',
      users: compatAccounts(),
      loginThrottle: { delayAfterFailures: 0, maxConnectErrors: 2 },
    });
  });
  afterAll(() => blocking.close());

  const BLOCKED =
    "Host '127.0.0.1' is blocked because of many connection errors; unblock with 'mysqladmin flush-hosts'";

  it('blocks a host after failed logins, then refuses even the right password before the greeting', async () => {
    for (let i = 0; i < 2; i++) {
      const failed = await mysqlCli(blocking.port, 'testuser', 'wrong', 'call myadd(1,2)');
      expect(failed.stderr).toContain('ERROR 1045 (28000)');
    }
    const plain = await mysqlCli(
      blocking.port,
      'testuser',
      PASSWORDS.testuser,
      'call myadd(1,2)',
      '--skip-ssl',
    );
    expect(plain).toEqual({ code: 1, stdout: '', stderr: `ERROR 1129 (HY000): ${BLOCKED}\n` });
    // With TLS on (the default), libmariadb reads the error where it expected the TLS handshake.
    const tls = await mysqlCli(blocking.port, 'testuser', PASSWORDS.testuser, 'call myadd(1,2)');
    expect(tls).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'ERROR 2002 (HY000): Received error packet before completion of TLS handshake. ' +
        `The authenticity of the following error cannot be verified: 1129 - ${BLOCKED}\n`,
    });
  });

  (HAVE_IPV6_LOOPBACK ? it : it.skip)(
    'is unblocked by mysqladmin flush-hosts from another address, by an admin only',
    async () => {
      const v6 = (user: string, password: string, command: string) =>
        runProcess(MYSQLADMIN, [
          '-h::1',
          `-P${blocking.port}`,
          `-u${user}`,
          `--password=${password}`,
          command,
        ]);
      const login = () =>
        mysqlCli(blocking.port, 'testuser', PASSWORDS.testuser, 'call myadd(1,2)', '--skip-ssl');
      expect(await v6('testuser', PASSWORDS.testuser, 'flush-hosts')).toEqual({
        code: 1,
        stdout: '',
        stderr: refused('flush hosts'),
      });
      expect((await login()).stderr).toBe(`ERROR 1129 (HY000): ${BLOCKED}\n`);
      expect(await v6('admin', PASSWORDS.admin, 'flush-hosts')).toEqual({
        code: 0,
        stdout: '',
        stderr: '',
      });
      expect(await login()).toEqual({ code: 0, stdout: 'sum\n3\n', stderr: '' });
      // Blocked again, then unblocked by COM_REFRESH (mysqladmin refresh includes REFRESH_HOSTS).
      for (let i = 0; i < 2; i++) await mysqlCli(blocking.port, 'testuser', 'wrong', 'select 1');
      expect((await login()).stderr).toBe(`ERROR 1129 (HY000): ${BLOCKED}\n`);
      expect(await v6('admin', PASSWORDS.admin, 'refresh')).toEqual({
        code: 0,
        stdout: '',
        stderr: '',
      });
      expect(await login()).toEqual({ code: 0, stdout: 'sum\n3\n', stderr: '' });
    },
  );
});
