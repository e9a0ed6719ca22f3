import { generateKeyPairSync } from 'node:crypto';
import { PASSWORDS, compatAccounts, sha2OnlyAccount } from './accounts.js';
import { haveClients, pyClient, type PyClientSpec } from './clients.js';
import {
  PacketTap,
  authSwitchSalt,
  describeChangeUsers,
  describeLogin,
  greetingSalt,
  sequenceFaults,
} from './packet-tap.js';
import { PemFiles } from './server-certificate.js';
import { startTestServer, type TestServer } from '../support/test-app.js';

/**
 * COM_CHANGE_USER from a C client: mysqlclient (MySQLdb) on libmariadb3,
 * whose mysql_change_user() always starts with a mysql_native_password
 * scramble of the greeting's salt, whatever the login used; the server
 * answers for caching_sha2_password-only accounts with an AuthSwitch.
 * (PyMySQL has no change_user.) Also libmariadb given the server's public
 * key in an option file (`server-public-key`), which the CLI refuses.
 */
const haveMysqlClient = haveClients('MySQLdb');
const suite = haveMysqlClient ? describe : describe.skip;

const rsa = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

let server: TestServer;
let tap: PacketTap;
let files: PemFiles;
beforeAll(async () => {
  if (!haveMysqlClient) return;
  server = await startTestServer({
    rsaKeys: { privateKey: rsa.privateKey },
    users: compatAccounts(
      sha2OnlyAccount('cu_rsa'),
      sha2OnlyAccount('cu_tls'),
      sha2OnlyAccount('key_file'),
    ),
  });
  tap = await PacketTap.start(server.port);
  files = new PemFiles();
});
beforeEach(() => tap?.take());
afterAll(async () => {
  await tap?.close();
  await server?.close();
  files?.remove();
});

const mysqldb = (spec: Omit<PyClientSpec, 'driver' | 'port'>, port = tap.port) =>
  pyClient({ driver: 'MySQLdb', port, ...spec });

/** whoami's user and database. */
const WHOAMI = 'CALL whoami()';
const who = (user: string, database: string | null) => ({
  sets: [[[user, '127.0.0.1', expect.any(Number), database, 'rpc', 'whoami']]],
});

suite('mysqlclient (libmariadb): COM_CHANGE_USER', () => {
  it('changes to a native account, then to a caching_sha2-only one (AuthSwitch, RSA), with grants following', async () => {
    const result = await mysqldb({
      user: 'testuser',
      password: PASSWORDS.testuser,
      actions: [
        ['query', WHOAMI],
        ['change_user', 'limited', PASSWORDS.limited],
        ['query', 'CALL myadd(1, 2)'],
        ['query', WHOAMI],
        ['change_user', 'cu_rsa', PASSWORDS.sha2, 'rpc'],
        ['query', WHOAMI],
        ['query', 'SHOW GRANTS'],
      ],
    });
    expect(result).toEqual({
      steps: [
        who('testuser', null),
        { ok: true },
        { sets: [[[3]]] },
        {
          error: [
            1370,
            expect.stringMatching(
              /^execute command denied to user 'limited'@'[^']+' for routine 'rpc\.whoami'$/,
            ),
          ],
        },
        { ok: true },
        who('cu_rsa', 'rpc'),
        {
          sets: [
            [['GRANT USAGE ON *.* TO `cu_rsa`@`%`'], ['GRANT EXECUTE ON `rpc`.* TO `cu_rsa`@`%`']],
          ],
        },
      ],
    });
    const [connection] = tap.take();
    expect(sequenceFaults(connection!)).toEqual([]);
    expect(describeLogin(connection!)).toEqual([
      'S0 greeting caching_sha2_password',
      'C1 login testuser caching_sha2_password auth=32',
      'S2 more 03',
      'S3 OK',
    ]);
    expect(describeChangeUsers(connection!)).toEqual([
      // limited has both verifiers: its native scramble is checked as sent.
      ['C0 change-user limited mysql_native_password auth=20', 'S1 OK'],
      [
        'C0 change-user cu_rsa db=rpc mysql_native_password auth=20',
        'S1 switch caching_sha2_password',
        'C2 32 bytes',
        'S3 more 04',
        'C4 02',
        'S5 more -----BEGIN PUBLIC KEY-----',
        'C6 256 bytes',
        'S7 OK',
      ],
    ]);
  });

  // SERVER BUG (kept failing on purpose): the server's AuthSwitch carries a
  // fresh salt, where MySQL's repeats the greeting's (its scramble is made
  // once per connection; native_password_authenticate and caching_sha2
  // "reuse the old one"). libmariadb keeps the salt of the last AuthSwitch
  // and scrambles COM_CHANGE_USER with it; the server checks that against
  // the greeting's salt, so after any AuthSwitch, at login (every
  // mysql_native_password account under the default caching_sha2 greeting)
  // or in an earlier COM_CHANGE_USER, mysql_change_user() is ERR 1045.
  it('changes user after a login that took an AuthSwitch (native account)', async () => {
    const result = await mysqldb({
      user: 'native',
      password: PASSWORDS.native,
      actions: [
        ['change_user', 'native', PASSWORDS.native],
        ['query', WHOAMI],
      ],
    });
    expect(result.steps).toEqual([{ ok: true }, who('native', null)]);
  });

  it('changes user after a COM_CHANGE_USER that took an AuthSwitch', async () => {
    const result = await mysqldb({
      user: 'testuser',
      password: PASSWORDS.testuser,
      actions: [
        ['change_user', 'cu_rsa', PASSWORDS.sha2],
        ['change_user', 'testuser', PASSWORDS.testuser],
        ['query', WHOAMI],
      ],
    });
    expect(result.steps).toEqual([{ ok: true }, { ok: true }, who('testuser', null)]);
  });

  it("sends the greeting's salt again in an AuthSwitch, as MySQL does", async () => {
    await mysqldb({ user: 'native', password: PASSWORDS.native });
    const [connection] = tap.take();
    const [greeting, , authSwitch] = connection!.packets;
    expect(authSwitch!.payload[0]).toBe(0xfe);
    expect(authSwitchSalt(authSwitch!.payload).toString('hex')).toBe(
      greetingSalt(greeting!.payload).toString('hex'),
    );
  });

  it('a refused change is ERR 1045 and ends the session, as in MySQL', async () => {
    const result = await mysqldb({
      user: 'testuser',
      password: PASSWORDS.testuser,
      actions: [
        ['change_user', 'testuser', 'wrong'],
        ['query', 'CALL myadd(1, 2)'],
      ],
    });
    expect(result.steps).toEqual([
      { error: [1045, "Access denied for user 'testuser'@'127.0.0.1' (using password: YES)"] },
      { error: [2013, 'Lost connection to server during query'] },
    ]);
  });

  it('REQUIRE SSL applies to the new account: refused on a plain session, admitted over TLS', async () => {
    const plain = await mysqldb({
      user: 'testuser',
      password: PASSWORDS.testuser,
      actions: [['change_user', 'secure', PASSWORDS.secure]],
    });
    expect(plain.steps).toEqual([
      { error: [1045, "Access denied for user 'secure'@'127.0.0.1' (using password: YES)"] },
    ]);
    const tls = await mysqldb(
      {
        user: 'testuser',
        password: PASSWORDS.testuser,
        tls: true,
        actions: [
          ['change_user', 'secure', PASSWORDS.secure],
          ['query', WHOAMI],
          // Full path inside TLS: the password in clear, no RSA.
          ['change_user', 'cu_tls', PASSWORDS.sha2],
          ['query', WHOAMI],
        ],
      },
      server.port,
    );
    expect(tls.steps).toEqual([
      { ok: true },
      who('secure', null),
      { ok: true },
      who('cu_tls', null),
    ]);
  });

  it('libmariadb with the server-public-key option sends the encrypted password at once', async () => {
    const keyFile = files.write('server-public.pem', rsa.publicKey);
    const optionFile = files.write('client.cnf', `[compat]\nserver-public-key=${keyFile}\n`);
    const result = await mysqldb({
      user: 'key_file',
      password: PASSWORDS.sha2,
      defaultsFile: optionFile,
      defaultsGroup: 'compat',
      actions: [['query', 'CALL myadd(3, 4)']],
    });
    expect(result.steps).toEqual([{ sets: [[[7]]] }]);
    expect(describeLogin(tap.take()[0]!)).toEqual([
      'S0 greeting caching_sha2_password',
      'C1 login key_file caching_sha2_password auth=32',
      'S2 more 04',
      'C3 256 bytes',
      'S4 OK',
    ]);
  });
});
