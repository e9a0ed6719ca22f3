import { generateKeyPairSync } from 'node:crypto';
import { PASSWORDS, authWorkOf, compatAccounts, sha2OnlyAccount } from './accounts.js';
import { haveClients, pyClient, type PyClientSpec } from './clients.js';
import { PacketTap, describeLogin, sequenceFaults } from './packet-tap.js';
import { startTestServer, type TestServer } from '../support/test-app.js';

/**
 * PyMySQL (Debian's 1.0.2) through every MySQL 8 login path. PyMySQL
 * raises InternalError "Packet sequence number wrong" on any sequence-id
 * gap, so each login that succeeds here also proves the ids; the packet
 * tap checks them again on plain connections. Its RSA path needs the
 * `cryptography` module (python3-cryptography); with `server_public_key`
 * it sends the encrypted password without asking for the key.
 */
const havePyMysql = haveClients('pymysql');
const haveCryptography = havePyMysql && haveClients('cryptography');
const suite = havePyMysql ? describe : describe.skip;

const rsa = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

let server: TestServer;
let tap: PacketTap;
beforeAll(async () => {
  if (!havePyMysql) return;
  server = await startTestServer({
    rsaKeys: { privateKey: rsa.privateKey },
    users: compatAccounts(
      sha2OnlyAccount('py_tls'),
      sha2OnlyAccount('py_rsa'),
      sha2OnlyAccount('py_key'),
    ),
  });
  tap = await PacketTap.start(server.port);
});
beforeEach(() => tap?.take());
afterAll(async () => {
  await tap?.close();
  await server?.close();
});

const py = (spec: Omit<PyClientSpec, 'driver' | 'port'>, port = server.port) =>
  pyClient({ driver: 'pymysql', port, ...spec });

/** The one connection the tap saw since the last call, with no sequence fault. */
function onlyConnection() {
  const connections = tap.take();
  expect(connections).toHaveLength(1);
  expect(sequenceFaults(connections[0]!)).toEqual([]);
  return connections[0]!;
}

const WHOAMI = 'CALL whoami()';
/** whoami's row (user, host, connection id, database, schema, procedure). */
const whoamiRow = (user: string, database: string | null) => [
  user,
  '127.0.0.1',
  expect.any(Number),
  database,
  'rpc',
  'whoami',
];

suite('PyMySQL: caching_sha2_password with a configured password', () => {
  it('fast path on the first login; calls, select_db and ping on the same session', async () => {
    const result = await py(
      {
        user: 'testuser',
        password: PASSWORDS.testuser,
        actions: [
          ['query', 'CALL myadd(3, 4)'],
          ['query', WHOAMI],
          ['select_db', 'rpc'],
          ['query', WHOAMI],
          ['ping'],
          ['select_db', 'other'],
          ['query', 'CALL myadd(1, 1)'],
        ],
      },
      tap.port,
    );
    expect(result).toEqual({
      tls: null,
      steps: [
        { sets: [[[7]]] },
        { sets: [[whoamiRow('testuser', null)]] },
        { ok: true },
        { sets: [[whoamiRow('testuser', 'rpc')]] },
        { ok: true },
        { error: [1049, "Unknown database 'other'"] },
        { sets: [[[2]]] },
      ],
    });
    expect(describeLogin(onlyConnection())).toEqual([
      'S0 greeting caching_sha2_password',
      'C1 login testuser caching_sha2_password auth=32',
      'S2 more 03',
      'S3 OK',
    ]);
  });

  it('logs in with a database in the login packet', async () => {
    const result = await py(
      {
        user: 'testuser',
        password: PASSWORDS.testuser,
        database: 'rpc',
        actions: [['query', WHOAMI]],
      },
      tap.port,
    );
    expect(result.steps).toEqual([{ sets: [[whoamiRow('testuser', 'rpc')]] }]);
    expect(describeLogin(onlyConnection())[1]).toBe(
      'C1 login testuser db=rpc caching_sha2_password auth=32',
    );
  });

  it('an empty password', async () => {
    const result = await py({
      user: 'nopass',
      password: '',
      actions: [['query', 'CALL myadd(1, 2)']],
    });
    expect(result.steps).toEqual([{ sets: [[[3]]] }]);
  });

  it("a wrong password is ERR 1045 with MySQL's text", async () => {
    for (const tls of [false, true]) {
      expect(await py({ user: 'testuser', password: 'wrong', tls })).toEqual({
        connectError: [1045, "Access denied for user 'testuser'@'127.0.0.1' (using password: YES)"],
      });
    }
  });
});

suite('PyMySQL: account configured only by cachingSha2PasswordHash', () => {
  it('full path over TLS (certificate not checked): the password in clear inside TLS', async () => {
    const work = await authWorkOf(server, async () => {
      const result = await py({
        user: 'py_tls',
        password: PASSWORDS.sha2,
        tls: true,
        actions: [['query', 'CALL myadd(3, 4)']],
      });
      expect(result).toEqual({
        tls: expect.stringMatching(/^TLSv1\.[23]$/),
        steps: [{ sets: [[[7]]] }],
      });
    });
    expect(work).toEqual({ nativeChecks: 0, fastChecks: 1, fullChecks: 1, rsaDecrypts: 0 });
    // Cached now: the fast path.
    const again = await authWorkOf(server, () =>
      py({ user: 'py_tls', password: PASSWORDS.sha2, tls: true }),
    );
    expect(again).toEqual({ nativeChecks: 0, fastChecks: 1, fullChecks: 0, rsaDecrypts: 0 });
  });

  (haveCryptography ? it : it.skip)(
    'full path over RSA without TLS: PyMySQL asks for the public key',
    async () => {
      const result = await py(
        { user: 'py_rsa', password: PASSWORDS.sha2, actions: [['query', 'CALL myadd(3, 4)']] },
        tap.port,
      );
      expect(result).toEqual({ tls: null, steps: [{ sets: [[[7]]] }] });
      expect(describeLogin(onlyConnection())).toEqual([
        'S0 greeting caching_sha2_password',
        'C1 login py_rsa caching_sha2_password auth=32',
        'S2 more 04',
        'C3 02',
        'S4 more -----BEGIN PUBLIC KEY-----',
        'C5 256 bytes',
        'S6 OK',
      ]);
    },
  );

  (haveCryptography ? it : it.skip)(
    'full path over RSA with server_public_key: the encrypted password at once',
    async () => {
      const result = await py(
        {
          user: 'py_key',
          password: PASSWORDS.sha2,
          serverPublicKey: rsa.publicKey,
          actions: [['query', 'CALL myadd(3, 4)']],
        },
        tap.port,
      );
      expect(result).toEqual({ tls: null, steps: [{ sets: [[[7]]] }] });
      expect(describeLogin(onlyConnection())).toEqual([
        'S0 greeting caching_sha2_password',
        'C1 login py_key caching_sha2_password auth=32',
        'S2 more 04',
        'C3 256 bytes',
        'S4 OK',
      ]);
    },
  );
});

suite('PyMySQL: mysql_native_password account', () => {
  it('is switched to mysql_native_password and logs in, with and without TLS', async () => {
    const plain = await py(
      { user: 'native', password: PASSWORDS.native, actions: [['query', 'CALL myadd(3, 4)']] },
      tap.port,
    );
    expect(plain).toEqual({ tls: null, steps: [{ sets: [[[7]]] }] });
    expect(describeLogin(onlyConnection())).toEqual([
      'S0 greeting caching_sha2_password',
      'C1 login native caching_sha2_password auth=32',
      'S2 switch mysql_native_password',
      'C3 20 bytes',
      'S4 OK',
    ]);
    const tls = await py({
      user: 'native',
      password: PASSWORDS.native,
      tls: true,
      actions: [['query', 'CALL myadd(3, 4)']],
    });
    expect(tls.steps).toEqual([{ sets: [[[7]]] }]);
  });
});

suite('PyMySQL: TLS', () => {
  it('a REQUIRE SSL account logs in over TLS and is refused without', async () => {
    const secure = await py({
      user: 'secure',
      password: PASSWORDS.secure,
      tls: true,
      actions: [['query', 'CALL myadd(3, 4)']],
    });
    expect(secure.steps).toEqual([{ sets: [[[7]]] }]);
    expect(await py({ user: 'secure', password: PASSWORDS.secure })).toEqual({
      connectError: [1045, "Access denied for user 'secure'@'127.0.0.1' (using password: YES)"],
    });
  });

  it('checking the generated self-signed certificate fails', async () => {
    const result = await py({
      user: 'testuser',
      password: PASSWORDS.testuser,
      ca: '/etc/ssl/certs/ca-certificates.crt',
    });
    expect(result.connectError?.[0]).toBe(2003);
    expect(result.connectError?.[1]).toContain('CERTIFICATE_VERIFY_FAILED');
  });

  it('an ungranted procedure is ERR 1370', async () => {
    const result = await py({
      user: 'limited',
      password: PASSWORDS.limited,
      tls: true,
      actions: [
        ['query', 'CALL myadd(1, 2)'],
        ['query', 'CALL whoami()'],
      ],
    });
    expect(result.steps).toEqual([
      { sets: [[[3]]] },
      {
        error: [
          1370,
          expect.stringMatching(
            /^execute command denied to user 'limited'@'[^']+' for routine 'rpc\.whoami'$/,
          ),
        ],
      },
    ]);
  });
});

suite('PyMySQL: change of user', () => {
  // PyMySQL 1.0.2 (Debian 12) has no change_user(): COM_CHANGE_USER
  // from a real client is covered by mysqlclient in mysqlclient-change-user.test.ts.
  it.skip('PyMySQL exposes no COM_CHANGE_USER', () => undefined);
});
