import mariadb from 'mariadb';
import mysql from 'mysql';
import * as mysql2 from 'mysql2/promise';
import { hashPassword, type MysqlAccountOptions } from '../../lib/index.js';
import { createTestCa, issueClientCertificate } from '../support/certificates.js';
import { RawClient, frame, parseErr } from '../support/raw-client.js';
import { startSecurityServer, type SecurityServer } from '../support/security-app.js';

/** The error a refused login or call gave mysql2. */
async function refusal(
  p: Promise<unknown>,
): Promise<{ errno: number; sqlState: string; message: string }> {
  try {
    const c = await p;
    if (c && typeof (c as mysql2.Connection).end === 'function')
      await (c as mysql2.Connection).end();
  } catch (e) {
    const { errno, sqlState, message } = e as { errno: number; sqlState: string; message: string };
    return { errno, sqlState, message };
  }
  throw new Error('expected a refusal');
}

const accessDenied = (user: string, usingPassword = 'YES') => ({
  errno: 1045,
  sqlState: '28000',
  message: `Access denied for user '${user}'@'127.0.0.1' (using password: ${usingPassword})`,
});

const TLS = { ssl: { rejectUnauthorized: false } };

function connect(
  s: SecurityServer,
  user: string,
  password: string,
  extra: Partial<mysql2.ConnectionOptions> = {},
) {
  return mysql2.createConnection({ host: '127.0.0.1', port: s.port, user, password, ...extra });
}

async function currentUser(c: mysql2.Connection): Promise<string> {
  const [r] = (await c.query('SELECT CURRENT_USER() AS u')) as unknown as [Array<{ u: string }>];
  return r[0]!.u;
}

/** Runs `f` and returns how the server's auth work counters moved. */
async function workOf(s: SecurityServer, f: () => Promise<unknown>) {
  const before = { ...s.strategy.stats.auth };
  await f();
  const after = s.strategy.stats.auth;
  return {
    nativeChecks: after.nativeChecks - before.nativeChecks,
    fastChecks: after.fastChecks - before.fastChecks,
    fullChecks: after.fullChecks - before.fullChecks,
    rsaDecrypts: after.rsaDecrypts - before.rsaDecrypts,
  };
}

const loginAndQuit = async (p: Promise<mysql2.Connection>) => (await p).end();

/** A verifier Percona Server 8.0.32 printed in SHOW CREATE USER for this password (see the sha256-crypt unit test). */
const REAL_MYSQL_VERIFIER =
  '0x2441243030352446274D6E7F57015B673B1E4E5C272728022C585F6B6F2E2E6135484A706D' +
  '5841467345543749447250477A6F764B5269734C6A59494333474663334B307044';
const REAL_MYSQL_PASSWORD = 'wH4FLM97jCkbhPcFy6Ip8YL';

describe('caching_sha2_password and mysql_native_password', () => {
  let s: SecurityServer;
  const verifierOnly: MysqlAccountOptions = {
    user: 'stored',
    cachingSha2PasswordHash: hashPassword('pw-stored').cachingSha2PasswordHash,
    grants: ['rpc.*'],
  };
  beforeAll(async () => {
    s = await startSecurityServer({
      users: [
        { user: 'granted', password: 'pw-granted', grants: ['rpc.*'] },
        { user: 'root', host: 'localhost', password: 'pw-root', grants: ['*.*'], admin: true },
        {
          user: 'native',
          password: 'pw-native',
          plugin: 'mysql_native_password',
          grants: ['rpc.*'],
        },
        { user: 'bob', host: '127.0.0.1', password: 'near', grants: ['rpc.*'] },
        { user: 'bob', host: '%', password: 'far', grants: ['rpc.*'] },
        { user: 'elsewhere', host: '10.0.0.0/8', password: 'pw-elsewhere', grants: ['rpc.*'] },
        { user: 'real', cachingSha2PasswordHash: REAL_MYSQL_VERIFIER, grants: ['rpc.*'] },
        verifierOnly,
      ],
    });
  });
  afterAll(() => s.close());

  it('takes the fast path on the very first login of an account configured with a password', async () => {
    const work = await workOf(s, () => loginAndQuit(connect(s, 'granted', 'pw-granted')));
    expect(work).toEqual({ nativeChecks: 0, fastChecks: 1, fullChecks: 0, rsaDecrypts: 0 });
  });

  it('runs the full path inside TLS for a stored verifier, then caches it for the fast path', async () => {
    const full = await workOf(s, () => loginAndQuit(connect(s, 'stored', 'pw-stored', TLS)));
    expect(full).toEqual({ nativeChecks: 0, fastChecks: 1, fullChecks: 1, rsaDecrypts: 0 });
    const fast = await workOf(s, () => loginAndQuit(connect(s, 'stored', 'pw-stored')));
    expect(fast).toEqual({ nativeChecks: 0, fastChecks: 1, fullChecks: 0, rsaDecrypts: 0 });
  });

  it('runs the full path through the RSA key exchange without TLS, after FLUSH PRIVILEGES', async () => {
    const root = await connect(s, 'root', 'pw-root');
    await root.query('FLUSH PRIVILEGES');
    await root.end();
    const rsa = await workOf(s, () => loginAndQuit(connect(s, 'stored', 'pw-stored')));
    expect(rsa).toEqual({ nativeChecks: 0, fastChecks: 1, fullChecks: 1, rsaDecrypts: 1 });
    expect(await refusal(connect(s, 'stored', 'wrong'))).toEqual(accessDenied('stored'));
  });

  it('logs in with a verifier pasted from a real MySQL server', async () => {
    const c = await connect(s, 'real', REAL_MYSQL_PASSWORD, TLS);
    expect(await currentUser(c)).toBe('real@%');
    await c.end();
  });

  it('moves a caching_sha2 client to mysql_native_password for an account that needs it', async () => {
    const work = await workOf(s, () => loginAndQuit(connect(s, 'native', 'pw-native')));
    expect(work).toEqual({ nativeChecks: 1, fastChecks: 0, fullChecks: 0, rsaDecrypts: 0 });
  });

  it('logs in the mysql and mariadb connectors with their defaults', async () => {
    const mariadbConn = await mariadb.createConnection({
      host: '127.0.0.1',
      port: s.port,
      user: 'granted',
      password: 'pw-granted',
    });
    try {
      const [first] = (await mariadbConn.query('CALL plain()')) as [Array<{ ok: unknown }>];
      expect(Number(first[0]!.ok)).toBe(1);
    } finally {
      await mariadbConn.end();
    }
    const legacy = mysql.createConnection({
      host: '127.0.0.1',
      port: s.port,
      user: 'granted',
      password: 'pw-granted',
    });
    legacy.on('error', () => undefined);
    try {
      const result = await new Promise<unknown[]>((resolve, reject) =>
        legacy.query('CALL plain()', (e: unknown, r: unknown[]) => (e ? reject(e) : resolve(r))),
      );
      expect(JSON.parse(JSON.stringify(result[0]))).toEqual([{ ok: 1 }]);
    } finally {
      await new Promise((r) => legacy.end(r));
    }
  });

  it('picks the most specific host match, and CURRENT_USER() names it', async () => {
    const near = await connect(s, 'bob', 'near');
    expect(await currentUser(near)).toBe('bob@127.0.0.1');
    await near.end();
    expect(await refusal(connect(s, 'bob', 'far'))).toEqual(accessDenied('bob'));
  });

  it('gives one answer and the same work for a wrong password, an unknown user and a wrong host', async () => {
    const cases = [
      ['granted', 'wrong'],
      ['nobody', 'wrong'],
      ['elsewhere', 'pw-elsewhere'],
    ] as const;
    const works = [];
    for (const [user, password] of cases) {
      let error: unknown;
      works.push(
        await workOf(s, async () => {
          error = await refusal(connect(s, user, password));
        }),
      );
      expect(error).toEqual(accessDenied(user));
    }
    // Each one: the fast check fails, the client sends its password through RSA, the full check fails.
    for (const work of works) {
      expect(work).toEqual({ nativeChecks: 0, fastChecks: 1, fullChecks: 1, rsaDecrypts: 1 });
    }
    expect(await refusal(connect(s, 'granted', ''))).toEqual(accessDenied('granted', 'NO'));
  });

  it('switches a client that starts with mysql_native_password to caching_sha2_password', async () => {
    const native = await startSecurityServer({
      authPlugin: 'mysql_native_password',
      users: [verifierOnly],
    });
    const work = await workOf(native, () =>
      loginAndQuit(connect(native, 'stored', 'pw-stored', TLS)),
    );
    expect(work).toEqual({ nativeChecks: 0, fastChecks: 1, fullChecks: 1, rsaDecrypts: 0 });
    await native.close();
  });
});

describe('TLS requirements', () => {
  it('refuses an account that requires TLS on a plain connection with the uniform ERR 1045', async () => {
    const s = await startSecurityServer();
    expect(await refusal(connect(s, 'tlsonly', 'pw-tlsonly'))).toEqual(accessDenied('tlsonly'));
    const c = await connect(s, 'tlsonly', 'pw-tlsonly', TLS);
    expect(await currentUser(c)).toBe('tlsonly@%');
    await c.end();
    await s.close();
  });

  it('refuses every plain login with ERR 3159 under requireSecureTransport', async () => {
    const s = await startSecurityServer({ requireSecureTransport: true });
    expect(await refusal(connect(s, 'granted', 'pw-granted'))).toEqual({
      errno: 3159,
      sqlState: 'HY000',
      message:
        'Connections using insecure transport are prohibited while --require_secure_transport=ON.',
    });
    await (await connect(s, 'granted', 'pw-granted', TLS)).end();
    await s.close();
  });

  it('checks client certificates: REQUIRE X509 and REQUIRE SUBJECT', async () => {
    const ca = await createTestCa();
    const alice = await issueClientCertificate(ca, '/C=SE/O=Test/CN=alice');
    const otherCa = await createTestCa('/C=SE/O=Elsewhere/CN=Other CA');
    const mallory = await issueClientCertificate(otherCa, '/C=SE/O=Test/CN=alice');
    // Claims to be signed by the trusted CA's name, with another key: refused in the TLS handshake.
    const forged = await issueClientCertificate(await createTestCa(), '/C=SE/O=Test/CN=alice');
    const s = await startSecurityServer({
      tls: { ca: ca.cert },
      users: [
        { user: 'x509', password: 'pw', grants: ['rpc.*'], requireCertificate: { x509: true } },
        {
          user: 'subject',
          password: 'pw',
          grants: ['rpc.*'],
          requireCertificate: { subject: '/C=SE/O=Test/CN=alice' },
        },
      ],
    });
    const withCert = (cert?: { cert: string; key: string }) => ({
      ssl: { rejectUnauthorized: false, ...(cert ? { cert: cert.cert, key: cert.key } : {}) },
    });
    const c = await connect(s, 'x509', 'pw', withCert(alice));
    const [info] = (await c.query('CALL session_info()')) as unknown as [
      Array<Array<{ cert_cn: string }>>,
    ];
    expect(info[0]![0]!.cert_cn).toBe('alice');
    await c.end();
    await (await connect(s, 'subject', 'pw', withCert(alice))).end();
    expect(await refusal(connect(s, 'x509', 'pw', withCert()))).toEqual(accessDenied('x509'));
    // Same subject, but signed by a CA the server does not trust.
    expect(await refusal(connect(s, 'subject', 'pw', withCert(mallory)))).toEqual(
      accessDenied('subject'),
    );
    expect((await refusal(connect(s, 'subject', 'pw', withCert(forged)))).errno).not.toBe(0);
    await (await connect(s, 'subject', 'pw', withCert(alice))).end();
    await s.close();
  });
});

describe('COM_CHANGE_USER', () => {
  it('logs in again as another account and clears the session', async () => {
    const s = await startSecurityServer();
    const c = await connect(s, 'granted', 'pw-granted');
    await c.query("SET @kept = 'x'");
    await c.changeUser({ user: 'root', password: 'pw-root' });
    expect(await currentUser(c)).toBe('root@localhost');
    const [vars] = (await c.query('SELECT @kept AS v')) as unknown as [Array<{ v: unknown }>];
    expect(vars[0]!.v).toBeNull();
    const [rows] = (await c.query('CALL admin_only()')) as unknown as [unknown[][]];
    expect(rows[0]).toEqual([{ secret: 42 }]);
    await c.changeUser({ user: 'native', password: 'pw-native' });
    expect(await currentUser(c)).toBe('native@%');
    await c.end();
    await s.close();
  });

  it('refuses a wrong password with ERR 1045 and closes the connection', async () => {
    const s = await startSecurityServer();
    const c = await connect(s, 'granted', 'pw-granted');
    expect(await refusal(c.changeUser({ user: 'root', password: 'nope' }))).toEqual(
      accessDenied('root'),
    );
    await expect(c.query('SELECT 1')).rejects.toThrow();
    await s.close();
  });
});

describe('failed logins and limits', () => {
  it('delays a failing host, blocks it with ERR 1129, and FLUSH HOSTS unblocks it', async () => {
    const s = await startSecurityServer({
      loginThrottle: { delayAfterFailures: 2, minDelayMs: 1, maxDelayMs: 5, maxConnectErrors: 4 },
    });
    const counts = s.strategy.stats.loginThrottle;
    const root = await connect(s, 'root', 'pw-root');
    for (let i = 1; i <= 4; i++) {
      expect(await refusal(connect(s, 'granted', 'wrong'))).toEqual(accessDenied('granted'));
      // The third and fourth answers were held back.
      expect(counts.delayed).toBe(Math.max(0, i - 2));
    }
    expect(await refusal(connect(s, 'granted', 'pw-granted'))).toEqual({
      errno: 1129,
      // Sent in place of the greeting, before the client said it reads SQLSTATEs.
      sqlState: '',
      message:
        "Host '127.0.0.1' is blocked because of many connection errors; unblock with 'mysqladmin flush-hosts'",
    });
    expect(counts.refused).toBe(1);
    await root.query('FLUSH HOSTS');
    await (await connect(s, 'granted', 'pw-granted')).end();
    await root.end();
    await s.close();
  });

  it('counts broken handshakes against the host: out of order, oversized, malformed', async () => {
    const s = await startSecurityServer({
      loginThrottle: { delayAfterFailures: 0, maxConnectErrors: 3 },
    });
    const broken = [
      frame(2, Buffer.alloc(40)),
      frame(1, Buffer.alloc(70_000)),
      frame(1, Buffer.from([0, 2, 0, 0, 1])),
    ];
    const codes = [];
    for (const packet of broken) {
      const c = await RawClient.connect(s.port);
      await c.read();
      c.write(packet);
      codes.push(parseErr((await c.read())!.payload).code);
      c.close();
    }
    expect(codes).toEqual([1156, 1153, 1043]);
    expect(await refusal(connect(s, 'granted', 'pw-granted'))).toMatchObject({ errno: 1129 });
    await s.close();
  });

  it('forgives a host after a successful login', async () => {
    const s = await startSecurityServer({
      loginThrottle: { delayAfterFailures: 2, minDelayMs: 1, maxDelayMs: 5 },
    });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) await refusal(connect(s, 'granted', 'wrong'));
      await (await connect(s, 'granted', 'pw-granted')).end();
    }
    expect(s.strategy.stats.loginThrottle.delayed).toBe(3);
    await s.close();
  });

  it('enforces an account’s own limit (ERR 1226) and the server-wide one (ERR 1203)', async () => {
    const s = await startSecurityServer({
      maxUserConnections: 2,
      users: [
        { user: 'one', password: 'pw', grants: ['rpc.*'], maxUserConnections: 1 },
        { user: 'many', password: 'pw', grants: ['rpc.*'] },
      ],
    });
    const first = await connect(s, 'one', 'pw');
    expect(await refusal(connect(s, 'one', 'pw'))).toEqual({
      errno: 1226,
      sqlState: '42000',
      message: "User 'one' has exceeded the 'max_user_connections' resource (current value: 1)",
    });
    await first.end();
    await new Promise((r) => setTimeout(r, 50));
    await (await connect(s, 'one', 'pw')).end();
    const held = [await connect(s, 'many', 'pw'), await connect(s, 'many', 'pw')];
    expect(await refusal(connect(s, 'many', 'pw'))).toEqual({
      errno: 1203,
      sqlState: '42000',
      message: "User many already has more than 'max_user_connections' active connections",
    });
    await Promise.all(held.map((c) => c.end()));
    await s.close();
  });
});
