import { PASSWORDS, compatAccounts, sha2OnlyAccount } from './accounts.js';
import { MYSQLADMIN, haveClients, loginArgs, mysqlCli, pyClient, runProcess } from './clients.js';
import { PacketTap, describeLogin } from './packet-tap.js';
import { startTestServer, type TestServer } from '../support/test-app.js';

/**
 * requireSecureTransport (MySQL's require_secure_transport=ON): every
 * login without TLS is ERR 3159, whatever the account. The MariaDB 10.11
 * CLI uses TLS by default, so "without TLS" needs --skip-ssl.
 */
const haveCli = haveClients('mysql', 'mysqladmin');
const havePyMysql = haveClients('pymysql');

const INSECURE =
  'Connections using insecure transport are prohibited while --require_secure_transport=ON.';

let server: TestServer;
let tap: PacketTap;
beforeAll(async () => {
  if (!haveCli && !havePyMysql) return;
  server = await startTestServer({
    requireSecureTransport: true,
    users: compatAccounts(sha2OnlyAccount('sha2_secure')),
  });
  tap = await PacketTap.start(server.port);
});
beforeEach(() => tap?.take());
afterAll(async () => {
  await tap?.close();
  await server?.close();
});

(haveCli ? describe : describe.skip)('requireSecureTransport: MariaDB tools', () => {
  it("the CLI without TLS (--skip-ssl) gets ERR 3159 with MySQL's text, right after its login packet", async () => {
    const result = await mysqlCli(
      tap.port,
      'testuser',
      PASSWORDS.testuser,
      'call myadd(3,4)',
      '--skip-ssl',
    );
    expect(result).toEqual({ code: 1, stdout: '', stderr: `ERROR 3159 (HY000): ${INSECURE}\n` });
    const [connection] = tap.take();
    expect(describeLogin(connection!)).toEqual([
      'S0 greeting caching_sha2_password',
      'C1 login testuser caching_sha2_password auth=32',
      'S2 ERR 3159',
    ]);
  });

  it('the CLI with --ssl (and with default flags, which use TLS) works', async () => {
    for (const flags of [['--ssl'], []]) {
      const result = await mysqlCli(
        server.port,
        'testuser',
        PASSWORDS.testuser,
        'call myadd(3,4)',
        ...flags,
      );
      expect(result).toEqual({ code: 0, stdout: 'sum\n7\n', stderr: '' });
    }
  });

  it('every plugin path works over TLS: native AuthSwitch, caching_sha2 full path', async () => {
    expect(
      await mysqlCli(server.port, 'native', PASSWORDS.native, 'call myadd(3,4)', '--ssl'),
    ).toEqual({
      code: 0,
      stdout: 'sum\n7\n',
      stderr: '',
    });
    expect(
      await mysqlCli(server.port, 'sha2_secure', PASSWORDS.sha2, 'call myadd(3,4)', '--ssl'),
    ).toEqual({ code: 0, stdout: 'sum\n7\n', stderr: '' });
  });

  it('mysqladmin without TLS is refused the same way', async () => {
    const result = await runProcess(MYSQLADMIN, [
      ...loginArgs(server.port, 'admin', PASSWORDS.admin),
      '--skip-ssl',
      'status',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: '${INSECURE}'`);
  });
});

(havePyMysql ? describe : describe.skip)('requireSecureTransport: PyMySQL', () => {
  it('is refused with ERR 3159 without ssl and logs in with it', async () => {
    expect(
      await pyClient({
        driver: 'pymysql',
        port: server.port,
        user: 'testuser',
        password: PASSWORDS.testuser,
      }),
    ).toEqual({ connectError: [3159, INSECURE] });
    const tls = await pyClient({
      driver: 'pymysql',
      port: server.port,
      user: 'testuser',
      password: PASSWORDS.testuser,
      tls: true,
      actions: [['query', 'CALL myadd(3, 4)']],
    });
    expect(tls).toEqual({
      tls: expect.stringMatching(/^TLSv1\.[23]$/),
      steps: [{ sets: [[[7]]] }],
    });
  });
});
