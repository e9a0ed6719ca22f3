import { hashPassword } from '../../lib/index.js';
import { PASSWORDS, authWorkOf, compatAccounts, sha2OnlyAccount } from './accounts.js';
import { haveClients, mysqlCli } from './clients.js';
import { PacketTap, describeLogin, sequenceFaults } from './packet-tap.js';
import { startTestServer, type TestServer } from '../support/test-app.js';

/**
 * The MariaDB 10.11 `mysql` client (libmariadb3) against the MySQL 8
 * logins. Its `--ssl` defaults to ON: with default flags it sends an
 * SSLRequest whenever the server offers TLS (which this server does by
 * default, with a self-signed certificate) and does not check the
 * certificate. `--skip-ssl` gives a plain connection. Without TLS it asks
 * for the server's RSA public key by itself (it has no
 * --server-public-key / --get-server-public-key options, and rejects
 * `server-public-key` in an option file the CLI reads).
 */
const haveCli = haveClients('mysql');
const suite = haveCli ? describe : describe.skip;

const SUM_7 = 'sum\n7\n';
/** Passwords are UTF-8 on the wire; this one has 2-, 4-byte and combining characters. */
const UTF8_PASSWORD = 'pässwörd😀e\u0301';
/** Longer than SHA-256's block and the 20-byte salt it is XORed with before RSA. */
const LONG_PASSWORD = 'L'.repeat(150);
const denied = (user: string, used: 'YES' | 'NO') =>
  `ERROR 1045 (28000): Access denied for user '${user}'@'127.0.0.1' (using password: ${used})\n`;

let server: TestServer;
let tap: PacketTap;
beforeAll(async () => {
  if (!haveCli) return;
  server = await startTestServer({
    users: compatAccounts(
      sha2OnlyAccount('sha2_tls'),
      sha2OnlyAccount('sha2_rsa'),
      sha2OnlyAccount('sha2_wrong'),
      { user: 'utf8_pw', password: UTF8_PASSWORD, grants: ['rpc.*'] },
      {
        user: 'utf8_hash',
        cachingSha2PasswordHash: hashPassword(UTF8_PASSWORD).cachingSha2PasswordHash,
        grants: ['rpc.*'],
      },
      {
        user: 'long_hash',
        cachingSha2PasswordHash: hashPassword(LONG_PASSWORD).cachingSha2PasswordHash,
        grants: ['rpc.*'],
      },
    ),
  });
  tap = await PacketTap.start(server.port);
});
beforeEach(() => tap?.take());
afterAll(async () => {
  await tap?.close();
  await server?.close();
});

/** The ERROR lines of the CLI's stderr (it also echoes the failed statement between dashes). */
const errorLines = (stderr: string) =>
  stderr.split('\n').filter((line) => line.startsWith('ERROR'));

/** Through the packet tap, so the plain part of the exchange is recorded. */
const tapped = (user: string, password: string | null, sql: string, ...extra: string[]) =>
  mysqlCli(tap.port, user, password, sql, ...extra);
const direct = (user: string, password: string | null, sql: string, ...extra: string[]) =>
  mysqlCli(server.port, user, password, sql, ...extra);

/** The one connection the tap saw since the last call, with no sequence fault. */
function onlyConnection() {
  const connections = tap.take();
  expect(connections).toHaveLength(1);
  expect(sequenceFaults(connections[0]!)).toEqual([]);
  return connections[0]!;
}

suite('mysql CLI: transport', () => {
  it('uses TLS with default flags (MariaDB 10.11 defaults to --ssl), and status shows the cipher', async () => {
    const result = await tapped('testuser', PASSWORDS.testuser, 'status');
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^SSL:\t\t\tCipher in use is TLS_AES_\d+_GCM_SHA\d+$/m);
    expect(result.stdout).toContain('Current user:\t\ttestuser@127.0.0.1');
    const connection = onlyConnection();
    expect(connection.tls).toBe(true);
    expect(describeLogin(connection)).toEqual([
      'S0 greeting caching_sha2_password',
      'C1 ssl-request',
    ]);
  });

  it('says "Not in use" with --skip-ssl', async () => {
    const result = await tapped('testuser', PASSWORDS.testuser, 'status', '--skip-ssl');
    expect(result.stdout).toMatch(/^SSL:\t\t\tNot in use$/m);
    expect(onlyConnection().tls).toBe(false);
  });

  it('--ssl shows the cipher; TLS 1.2 works too', async () => {
    const tls13 = await direct('testuser', PASSWORDS.testuser, 'status', '--ssl');
    expect(tls13.stdout).toMatch(/^SSL:\t\t\tCipher in use is TLS_AES_\d+_GCM_SHA\d+$/m);
    const tls12 = await direct('testuser', PASSWORDS.testuser, 'status', '--tls-version=TLSv1.2');
    expect(tls12.stdout).toMatch(/^SSL:\t\t\tCipher in use is ECDHE-RSA-AES\d+-GCM-SHA\d+$/m);
  });

  it('--ssl-verify-server-cert fails against the generated self-signed certificate before any password is sent', async () => {
    const result = await tapped(
      'testuser',
      PASSWORDS.testuser,
      'call myadd(3,4)',
      '--ssl-verify-server-cert',
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^ERROR 2026 \(HY000\): TLS\/SSL error: self[- ]signed certificate\n$/,
    );
    const connection = onlyConnection();
    // The login packet (with the scramble) never crossed in the clear.
    expect(connection.tls).toBe(true);
    expect(describeLogin(connection)).toEqual([
      'S0 greeting caching_sha2_password',
      'C1 ssl-request',
    ]);
  });
});

suite('mysql CLI: caching_sha2_password account with a configured password', () => {
  it('takes the fast path on its first login, without TLS', async () => {
    const result = await tapped('testuser', PASSWORDS.testuser, 'call myadd(3,4)', '--skip-ssl');
    expect(result).toEqual({ code: 0, stdout: SUM_7, stderr: '' });
    expect(describeLogin(onlyConnection())).toEqual([
      'S0 greeting caching_sha2_password',
      'C1 login testuser caching_sha2_password auth=32',
      'S2 more 03',
      'S3 OK',
    ]);
  });

  it('takes the fast path over TLS (default flags)', async () => {
    const work = await authWorkOf(server, async () => {
      expect(await direct('testuser', PASSWORDS.testuser, 'call myadd(3,4)')).toEqual({
        code: 0,
        stdout: SUM_7,
        stderr: '',
      });
    });
    expect(work).toEqual({ nativeChecks: 0, fastChecks: 1, fullChecks: 0, rsaDecrypts: 0 });
  });

  it('logs in with an empty password and no -p', async () => {
    expect(await direct('nopass', null, 'call myadd(3,4)')).toEqual({
      code: 0,
      stdout: SUM_7,
      stderr: '',
    });
    expect(await direct('nopass', 'x', 'call myadd(3,4)')).toEqual({
      code: 1,
      stdout: '',
      stderr: denied('nopass', 'YES'),
    });
  });
});

suite('mysql CLI: mysql_native_password account', () => {
  it('is switched to mysql_native_password (AuthSwitch) and logs in', async () => {
    const result = await tapped('native', PASSWORDS.native, 'call myadd(3,4)', '--skip-ssl');
    expect(result).toEqual({ code: 0, stdout: SUM_7, stderr: '' });
    expect(describeLogin(onlyConnection())).toEqual([
      'S0 greeting caching_sha2_password',
      'C1 login native caching_sha2_password auth=32',
      'S2 switch mysql_native_password',
      'C3 20 bytes',
      'S4 OK',
    ]);
  });

  it('logs in over TLS (default flags)', async () => {
    const work = await authWorkOf(server, async () => {
      expect(await direct('native', PASSWORDS.native, 'call myadd(3,4)')).toEqual({
        code: 0,
        stdout: SUM_7,
        stderr: '',
      });
    });
    expect(work).toEqual({ nativeChecks: 1, fastChecks: 0, fullChecks: 0, rsaDecrypts: 0 });
  });
});

suite('mysql CLI: account configured only by cachingSha2PasswordHash', () => {
  it('default flags: full path on the first login, the password in clear inside TLS; fast path after', async () => {
    const first = await authWorkOf(server, async () => {
      expect(await direct('sha2_tls', PASSWORDS.sha2, 'call myadd(3,4)')).toEqual({
        code: 0,
        stdout: SUM_7,
        stderr: '',
      });
    });
    // The scramble cannot be checked without a cached digest: full path, no RSA inside TLS.
    expect(first).toEqual({ nativeChecks: 0, fastChecks: 1, fullChecks: 1, rsaDecrypts: 0 });
    const second = await authWorkOf(server, () =>
      direct('sha2_tls', PASSWORDS.sha2, 'call myadd(3,4)'),
    );
    expect(second).toEqual({ nativeChecks: 0, fastChecks: 1, fullChecks: 0, rsaDecrypts: 0 });
  });

  it('--skip-ssl: libmariadb asks for the RSA public key by itself and sends the password encrypted', async () => {
    const result = await tapped('sha2_rsa', PASSWORDS.sha2, 'call myadd(3,4)', '--skip-ssl');
    expect(result).toEqual({ code: 0, stdout: SUM_7, stderr: '' });
    expect(describeLogin(onlyConnection())).toEqual([
      'S0 greeting caching_sha2_password',
      'C1 login sha2_rsa caching_sha2_password auth=32',
      'S2 more 04',
      'C3 02',
      'S4 more -----BEGIN PUBLIC KEY-----',
      'C5 256 bytes',
      'S6 OK',
    ]);
    // Now cached: the fast path, still without TLS.
    await tapped('sha2_rsa', PASSWORDS.sha2, 'call myadd(3,4)', '--skip-ssl');
    expect(describeLogin(onlyConnection())).toEqual([
      'S0 greeting caching_sha2_password',
      'C1 login sha2_rsa caching_sha2_password auth=32',
      'S2 more 03',
      'S3 OK',
    ]);
  });

  it('--skip-ssl with a wrong password: the RSA exchange, then ERR 1045; the cache is not poisoned', async () => {
    const result = await tapped('sha2_wrong', 'nope', 'call myadd(3,4)', '--skip-ssl');
    expect(result).toEqual({ code: 1, stdout: '', stderr: denied('sha2_wrong', 'YES') });
    expect(describeLogin(onlyConnection())).toEqual([
      'S0 greeting caching_sha2_password',
      'C1 login sha2_wrong caching_sha2_password auth=32',
      'S2 more 04',
      'C3 02',
      'S4 more -----BEGIN PUBLIC KEY-----',
      'C5 256 bytes',
      'S6 ERR 1045',
    ]);
    const right = await tapped('sha2_wrong', PASSWORDS.sha2, 'call myadd(3,4)', '--skip-ssl');
    expect(right.stdout).toBe(SUM_7);
    expect(describeLogin(onlyConnection())).toContain('S2 more 04');
  });
});

suite('mysql CLI: passwords beyond ASCII and 20 bytes', () => {
  it('a UTF-8 password: fast path (configured) and RSA full path (verifier only)', async () => {
    for (const user of ['utf8_pw', 'utf8_hash']) {
      expect(await tapped(user, UTF8_PASSWORD, 'call myadd(3,4)', '--skip-ssl')).toEqual({
        code: 0,
        stdout: SUM_7,
        stderr: '',
      });
    }
    const [fast, full] = tap.take();
    expect(describeLogin(fast!)).toContain('S2 more 03');
    expect(describeLogin(full!)).toContain('C5 256 bytes');
    // Another normalisation of the same text is another password.
    const composed = await direct('utf8_pw', UTF8_PASSWORD.normalize('NFC'), 'select 1');
    expect(composed).toEqual({ code: 1, stdout: '', stderr: denied('utf8_pw', 'YES') });
  });

  it('a 150-character password through the RSA exchange', async () => {
    expect(await tapped('long_hash', LONG_PASSWORD, 'call myadd(3,4)', '--skip-ssl')).toEqual({
      code: 0,
      stdout: SUM_7,
      stderr: '',
    });
    expect(describeLogin(onlyConnection())).toContain('C5 256 bytes');
  });
});

suite('mysql CLI: REQUIRE SSL account', () => {
  it('logs in with --ssl', async () => {
    const result = await direct('secure', PASSWORDS.secure, 'call myadd(3,4)', '--ssl');
    expect(result).toEqual({ code: 0, stdout: SUM_7, stderr: '' });
  });

  it('is refused with ERR 1045 without TLS (--skip-ssl)', async () => {
    const result = await direct('secure', PASSWORDS.secure, 'call myadd(3,4)', '--skip-ssl');
    expect(result).toEqual({ code: 1, stdout: '', stderr: denied('secure', 'YES') });
  });
});

suite('mysql CLI: refusals', () => {
  it("a wrong password: exit code 1 and MySQL's text, over TLS and without", async () => {
    for (const flags of [[], ['--skip-ssl']]) {
      const result = await direct('testuser', 'wrong', 'call myadd(3,4)', ...flags);
      expect(result).toEqual({ code: 1, stdout: '', stderr: denied('testuser', 'YES') });
    }
  });

  it('no password for an account that has one, and an unknown user', async () => {
    expect(await direct('testuser', null, 'select 1')).toEqual({
      code: 1,
      stdout: '',
      stderr: denied('testuser', 'NO'),
    });
    expect(await direct('nosuch', 'x', 'select 1')).toEqual({
      code: 1,
      stdout: '',
      stderr: denied('nosuch', 'YES'),
    });
  });

  it('an unknown user goes through the same exchange as a wrong password', async () => {
    await tapped('testuser', 'wrong', 'select 1', '--skip-ssl');
    const wrong = describeLogin(onlyConnection());
    await tapped('nobody', 'wrong', 'select 1', '--skip-ssl');
    const unknown = describeLogin(onlyConnection());
    expect(unknown).toEqual(wrong.map((line) => line.replace('testuser', 'nobody')));
    expect(unknown).toEqual([
      'S0 greeting caching_sha2_password',
      'C1 login nobody caching_sha2_password auth=32',
      'S2 more 04',
      'C3 02',
      'S4 more -----BEGIN PUBLIC KEY-----',
      'C5 256 bytes',
      'S6 ERR 1045',
    ]);
  });

  it('an ungranted procedure is ERR 1370, whether or not it exists', async () => {
    const call = await direct('limited', PASSWORDS.limited, "call myadd(1,2); call echo('x')");
    expect(call.code).toBe(1);
    expect(call.stdout).toBe('sum\n3\n');
    expect(errorLines(call.stderr)).toEqual([
      expect.stringMatching(
        /^ERROR 1370 \(42000\) at line 1: execute command denied to user 'limited'@'[^']+' for routine 'rpc\.echo'$/,
      ),
    ]);
    const missing = await direct('limited', PASSWORDS.limited, 'call nosuch()');
    expect(errorLines(missing.stderr)).toEqual([
      expect.stringMatching(
        /^ERROR 1370 \(42000\) at line 1: execute command denied to user 'limited'@'[^']+' for routine 'rpc\.nosuch'$/,
      ),
    ]);
  });

  // SERVER BUG (kept failing on purpose): MySQL 8 names the account in ERR
  // 1370 by its host pattern (check_grant_routine passes
  // sctx->priv_host(), here '%'), not by the client's address as ERR 1045
  // does; the server prints 'limited'@'127.0.0.1'.
  it("ERR 1370 names the account as MySQL does: 'user'@'%'", async () => {
    const call = await direct('limited', PASSWORDS.limited, "call echo('x')");
    expect(errorLines(call.stderr)).toEqual([
      "ERROR 1370 (42000) at line 1: execute command denied to user 'limited'@'%' for routine 'rpc.echo'",
    ]);
  });
});

suite('mysql CLI: SHOW GRANTS', () => {
  it("prints the account's grants as MySQL 8 does", async () => {
    expect(await direct('testuser', PASSWORDS.testuser, 'show grants', '-t')).toEqual({
      code: 0,
      stdout: [
        '+--------------------------------------------+',
        '| Grants for testuser@%                      |',
        '+--------------------------------------------+',
        '| GRANT USAGE ON *.* TO `testuser`@`%`       |',
        '| GRANT EXECUTE ON `rpc`.* TO `testuser`@`%` |',
        '+--------------------------------------------+',
        '',
      ].join('\n'),
      stderr: '',
    });
    const limited = await direct('limited', PASSWORDS.limited, 'show grants for current_user()');
    expect(limited.stdout).toBe(
      [
        'Grants for limited@%',
        'GRANT USAGE ON *.* TO `limited`@`%`',
        'GRANT EXECUTE ON PROCEDURE `rpc`.`myadd` TO `limited`@`%`',
        '',
      ].join('\n'),
    );
  });

  it("refuses another account's grants to a non-admin (ERR 1044); an admin sees them, or ERR 1141", async () => {
    const other = await direct('limited', PASSWORDS.limited, "show grants for 'testuser'@'%'");
    expect(other.code).toBe(1);
    expect(errorLines(other.stderr)).toEqual([
      expect.stringMatching(
        /^ERROR 1044 \(42000\) at line 1: Access denied for user 'limited'@'[^']+' to database 'mysql'$/,
      ),
    ]);
    const admin = await direct('admin', PASSWORDS.admin, "show grants for 'testuser'@'%'");
    expect(admin.stdout).toBe(
      'Grants for testuser@%\nGRANT USAGE ON *.* TO `testuser`@`%`\nGRANT EXECUTE ON `rpc`.* TO `testuser`@`%`\n',
    );
    const none = await direct('admin', PASSWORDS.admin, "show grants for 'testuser'@'localhost'");
    expect(errorLines(none.stderr)).toEqual([
      "ERROR 1141 (42000) at line 1: There is no such grant defined for user 'testuser' on host 'localhost'",
    ]);
  });

  // SERVER BUG (kept failing on purpose): as for ERR 1370, MySQL's
  // check_access names the account by sctx->priv_host() ('%'); the server
  // prints the client's address.
  it("ERR 1044 names the account as MySQL does: 'user'@'%'", async () => {
    const other = await direct('limited', PASSWORDS.limited, "show grants for 'testuser'@'%'");
    expect(errorLines(other.stderr)).toEqual([
      "ERROR 1044 (42000) at line 1: Access denied for user 'limited'@'%' to database 'mysql'",
    ]);
  });
});

suite('mysql CLI: a server that announces mysql_native_password', () => {
  let nativeServer: TestServer;
  let nativeTap: PacketTap;
  beforeAll(async () => {
    nativeServer = await startTestServer({
      authPlugin: 'mysql_native_password',
      users: compatAccounts(sha2OnlyAccount('sha2_switch')),
    });
    nativeTap = await PacketTap.start(nativeServer.port);
  });
  afterAll(async () => {
    await nativeTap.close();
    await nativeServer.close();
  });

  it('logs an account with both verifiers in with mysql_native_password at once', async () => {
    const result = await mysqlCli(
      nativeTap.port,
      'testuser',
      PASSWORDS.testuser,
      'call myadd(3,4)',
      '--skip-ssl',
    );
    expect(result.stdout).toBe(SUM_7);
    const [connection] = nativeTap.take();
    expect(describeLogin(connection!)).toEqual([
      'S0 greeting mysql_native_password',
      'C1 login testuser mysql_native_password auth=20',
      'S2 OK',
    ]);
  });

  it('switches a caching_sha2-only account to caching_sha2_password: full path, RSA', async () => {
    const result = await mysqlCli(
      nativeTap.port,
      'sha2_switch',
      PASSWORDS.sha2,
      'call myadd(3,4)',
      '--skip-ssl',
    );
    expect(result).toEqual({ code: 0, stdout: SUM_7, stderr: '' });
    const [connection] = nativeTap.take();
    expect(sequenceFaults(connection!)).toEqual([]);
    expect(describeLogin(connection!)).toEqual([
      'S0 greeting mysql_native_password',
      'C1 login sha2_switch mysql_native_password auth=20',
      'S2 switch caching_sha2_password',
      'C3 32 bytes',
      'S4 more 04',
      'C5 02',
      'S6 more -----BEGIN PUBLIC KEY-----',
      'C7 256 bytes',
      'S8 OK',
    ]);
  });
});
