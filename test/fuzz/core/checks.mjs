/**
 * Checks that run beside the campaign, each on connections of its own.
 *
 * throttleCheck: the failed-login throttle, on a second server started with
 *   it on. The campaign's server runs with `loginThrottle: false` so that
 *   each input is judged on its own (a host that failed 3 times waits a
 *   growing delay for every later answer, right or wrong, and after
 *   maxConnectErrors gets ERR 1129 before the greeting, so with the sample's
 *   defaults almost every input after the first few would be a multi-second
 *   delay or a 1129, replays would depend on what ran before them, and the
 *   minimizer could not shrink anything). The throttle itself is checked
 *   here instead, with the sample's shape of settings (delays after 3
 *   failures) scaled down so that a round takes seconds, not minutes
 *   (THROTTLE below): failures of every hostile kind are answered with a
 *   well-formed ERR; the first three at once, later ones after at least the
 *   configured delay; a right password after failures is delayed too, and
 *   forgives the host; maxConnectErrors failures (sent at once) block the
 *   host: ERR 1129 before any greeting, then close; the block is per host
 *   (127.0.0.2 still logs in) and leaves open sessions working; a non-admin
 *   cannot FLUSH HOSTS (ERR 1227); an admin's FLUSH HOSTS (or COM_REFRESH
 *   with REFRESH_HOSTS) unblocks it. It also notes, without failing, which
 *   other broken logins count against the host.
 *
 * stallChecks: the login clock (connectTimeout, 10 s in the sample) ends a
 *   login that stops at any step: after the greeting, after an SSLRequest,
 *   in the middle of a TLS record, after the TLS handshake, after `01 04`,
 *   after the public key, after an AuthSwitchRequest, inside a packet.
 */
import { ReplyReader, Violation } from './replies.mjs';
import { ServerProcess } from './server.mjs';
import { Session } from './session.mjs';
import {
  buildLogin,
  buildOldLogin,
  CLIENT,
  COM,
  command,
  frame,
  marker,
  SHA2_PLACEHOLDER,
} from './wire.mjs';

export const THROTTLE = {
  delayAfterFailures: 3,
  minDelayMs: 700,
  maxDelayMs: 1500,
  maxConnectErrors: 12,
};

const CAPS =
  CLIENT.LONG_PASSWORD |
  CLIENT.PROTOCOL_41 |
  CLIENT.TRANSACTIONS |
  CLIENT.SECURE_CONNECTION |
  CLIENT.MULTI_RESULTS |
  CLIENT.PLUGIN_AUTH |
  CLIENT.PLUGIN_AUTH_LENENC_CLIENT_DATA;

const login = (o) => buildLogin({ caps: CAPS, plugin: 'caching_sha2_password', ...o });

/**
 * Broken logins that count against the host (Access denied, Bad handshake), each a fresh
 * connection; the third field says a password was tried (those answers are the delayed ones).
 */
const FAILURES = [
  [
    'wrong scramble, then a wrong RSA blob',
    () =>
      Buffer.concat([
        frame(1, login({ auth: Buffer.alloc(32, 1) })),
        frame(3, Buffer.from([2])),
        frame(5, marker('rsa-wrongpass')),
      ]),
    true,
  ],
  ['unknown user', () => frame(1, login({ user: 'nobody', auth: SHA2_PLACEHOLDER })), true],
  [
    'wrong native scramble',
    () => frame(1, login({ auth: Buffer.alloc(20, 7), plugin: 'mysql_native_password' })),
    true,
  ],
  [
    'RSA blob of the wrong key',
    () =>
      Buffer.concat([
        frame(1, login({ user: 'sha2hash', auth: Buffer.alloc(32, 1) })),
        frame(3, marker('rsa-wrongkey')),
      ]),
    true,
  ],
  ['malformed login', () => frame(1, Buffer.from([0x00, 0x02, 0x00, 0x00, 0x01]))],
  ['pre-4.1 login', () => frame(1, buildOldLogin())],
  [
    'REQUIRE SSL account without TLS',
    () => frame(1, login({ user: 'secure', auth: SHA2_PLACEHOLDER })),
    true,
  ],
];

/** Broken logins that may or may not count: noted, not judged. */
const OTHER_BREAKAGE = [
  ['a login out of sequence (ERR 1156)', () => frame(2, login({ auth: Buffer.alloc(32, 1) }))],
  ['a login over the pre-auth packet cap (ERR 1153)', () => frame(1, Buffer.alloc(70000, 0x41))],
  [
    'SSLRequest then garbage',
    () =>
      Buffer.concat([
        frame(1, buildLogin({ caps: CAPS | CLIENT.SSL, sslOnly: true })),
        Buffer.from('GET / HTTP/1.0\r\n\r\n'),
      ]),
  ],
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One failing login on a fresh connection: its ERR (checked by the shared oracle) and how long it took. */
async function failOnce(env, bytes, localAddress) {
  const s = await Session.open(env, { localAddress });
  try {
    const t0 = Date.now();
    const out = await s.play(bytes, { ping: false });
    const ms = Date.now() - t0;
    if (s.phase === 'ready') throw new Violation('throttle', 'a login meant to fail got in');
    return { ms, err: out.fatal ?? null, closed: out.closed };
  } finally {
    s.close();
  }
}

/** Connects; returns { greeting: true } or { err } for an ERR instead of the greeting (checked). */
async function greetingOrErr(env, localAddress) {
  try {
    const s = await Session.open(env, { localAddress });
    s.close();
    return { greeting: true };
  } catch (e) {
    if (e instanceof Violation && e.err) return { err: e.err };
    throw e;
  }
}

export async function throttleCheck({ root, baseEnv, rounds = 1, log }) {
  const server = new ServerProcess(root, { throttle: THROTTLE });
  const problems = [];
  const notes = [];
  const stats = { failures: 0, delayed: 0, refused1129: 0, flushes: 0, rounds: 0 };
  const fail = (what) => problems.push(what);
  const {
    delayAfterFailures: after,
    minDelayMs: min,
    maxDelayMs: max,
    maxConnectErrors,
  } = THROTTLE;
  const expected = (prior) => (prior < after ? 0 : Math.min(max, (prior - after + 1) * min));
  let admin = null;
  let observer = null;
  try {
    const port = await server.start();
    const env = { ...baseEnv, port, publicKey: null };
    admin = await Session.open(env);
    await admin.login(CAPS, { user: 'root' });
    observer = await Session.open(env);
    await observer.login(CAPS, { user: 'testuser' });
    const flush = async (how) => {
      const out = await admin.play(
        how === 'refresh'
          ? command(COM.REFRESH, Buffer.from([0x08]))
          : command(COM.QUERY, 'FLUSH HOSTS'),
        { ping: false },
      );
      if (out.errors.length > 0) fail(`admin ${how} FLUSH HOSTS: ${JSON.stringify(out.errors[0])}`);
      stats.flushes++;
    };
    for (let round = 0; round < rounds; round++) {
      stats.rounds++;
      await flush(round % 2 ? 'refresh' : 'query');
      // A: delays grow with the failures in a row; a right password waits too, and forgives.
      const passwordFailures = FAILURES.filter(([, , pw]) => pw);
      for (let k = 0; k < after + 2; k++) {
        const [what, make] = passwordFailures[(k + round) % passwordFailures.length];
        const { ms, err } = await failOnce(env, make());
        stats.failures++;
        const want = expected(k);
        if (!err) fail(`${what}: closed without an ERR`);
        if (want === 0 && ms >= min)
          fail(`failure ${k + 1} (${what}) waited ${ms} ms; the first ${after} are not delayed`);
        if (want > 0) {
          stats.delayed++;
          if (ms < want - 50)
            fail(
              `failure ${k + 1} (${what}) answered after ${ms} ms, before its delay of ${want} ms`,
            );
          if (ms > want + 4000)
            fail(`failure ${k + 1} (${what}) answered after ${ms} ms; its delay is ${want} ms`);
        }
      }
      {
        const s = await Session.open(env);
        const t0 = Date.now();
        await s.login(CAPS, { user: 'testuser' });
        const ms = Date.now() - t0;
        s.close();
        const want = expected(after + 2);
        if (ms < want - 50)
          fail(
            `a right password after ${after + 2} failures got in after ${ms} ms, before the delay of ${want} ms`,
          );
      }
      {
        const { ms } = await failOnce(env, passwordFailures[round % passwordFailures.length][1]());
        if (ms >= min)
          fail(
            `a failure right after a successful login waited ${ms} ms: the success did not forgive the host`,
          );
      }
      if (round === 0) {
        // Noted: whether an answer that tried no password (Bad handshake) waits too.
        for (let k = 0; k < after + 1; k++) await failOnce(env, passwordFailures[0][1]());
        const bad = await failOnce(env, FAILURES.find(([w]) => w === 'malformed login')[1]());
        notes.push(
          `a Bad handshake after ${after + 2} failures in a row is answered after ${bad.ms} ms ` +
            `(ERR ${bad.err?.code}; a password failure then waits ${expected(after + 2)} ms)`,
        );
      }
      // B: maxConnectErrors failures at once block the host.
      await flush('query');
      const all = await Promise.all(
        Array.from({ length: maxConnectErrors }, (_, i) =>
          failOnce(env, FAILURES[i % FAILURES.length][1]()),
        ),
      );
      stats.failures += all.length;
      if (all.some((r) => !r.err)) fail('a failure during the burst closed without an ERR');
      for (let i = 0; i < 3; i++) {
        const r = await greetingOrErr(env);
        if (r.greeting)
          fail(`after ${maxConnectErrors} failures a new connection still got a greeting`);
        else if (r.err.code !== 1129) fail(`a blocked host got ERR ${r.err.code}, not 1129`);
        else stats.refused1129++;
      }
      // The block is 127.0.0.1's only.
      try {
        const s = await Session.open(env, { localAddress: '127.0.0.2' });
        await s.login(CAPS, { user: 'fuzzroot' });
        s.close();
      } catch (e) {
        if (e?.code === 'EADDRNOTAVAIL' || e?.code === 'EINVAL')
          notes.push('127.0.0.2 not usable here: per-host check skipped');
        else fail(`from 127.0.0.2 while 127.0.0.1 is blocked: ${e.message}`);
      }
      // Sessions already open go on; a non-admin cannot unblock.
      const row = await observer.query('CALL myadd(20, 22)');
      if (row?.[0] !== '42')
        fail(`an open session's CALL myadd(20,22) during the block gave ${JSON.stringify(row)}`);
      const denied = await observer.play(command(COM.QUERY, 'FLUSH HOSTS'), { ping: false });
      if (denied.errors[0]?.code !== 1227)
        fail(`a non-admin's FLUSH HOSTS got ${JSON.stringify(denied.errors[0] ?? denied.trace)}`);
      if ((await greetingOrErr(env)).greeting) fail("a non-admin's FLUSH HOSTS unblocked the host");
      await flush(round % 2 ? 'query' : 'refresh');
      const after1 = await greetingOrErr(env);
      if (!after1.greeting) fail(`after FLUSH HOSTS the host still gets ERR ${after1.err.code}`);
      else {
        const s = await Session.open(env);
        const t0 = Date.now();
        await s.login(CAPS, { user: 'testuser' });
        if (Date.now() - t0 >= min)
          fail(`after FLUSH HOSTS a login still waited ${Date.now() - t0} ms`);
        s.close();
      }
    }
    // C (noted): which other broken logins count against the host.
    for (const [what, make] of OTHER_BREAKAGE) {
      await flush('query');
      await Promise.all(
        Array.from({ length: maxConnectErrors }, async () => {
          const s = await Session.open(env).catch(() => null);
          try {
            await s?.play(make(), { ping: false });
          } catch {
            // Not judged here: the campaign judges these inputs.
          } finally {
            s?.close();
          }
        }),
      );
      await sleep(100);
      const r = await greetingOrErr(env);
      notes.push(
        `${maxConnectErrors} x ${what}: ${r.greeting ? 'not counted (host not blocked)' : `counted (ERR ${r.err.code})`}`,
      );
    }
    await flush('query');
  } catch (e) {
    fail(`${e?.cls ?? 'error'}: ${e?.detail ?? e?.stack ?? e}`);
  } finally {
    admin?.close();
    observer?.close();
    if (!server.alive && server.exit)
      fail(`the throttle server exited: ${JSON.stringify(server.exit)}\n${server.tail(20)}`);
    await server.stop();
  }
  log?.(
    `throttle check: ${stats.rounds} round(s), ${stats.failures} failed logins, ${stats.delayed} delayed, ${stats.refused1129} x ERR 1129, ${stats.flushes} FLUSH HOSTS; ${problems.length} problem(s)`,
  );
  return { problems, notes, stats };
}

// ---- the login clock ----------------------------------------------------------------

const CONNECT_TIMEOUT_MS = 10000;

/** Each scenario takes a fresh Session and leaves the login waiting at some step. */
const STALLS = {
  'after the greeting': async () => {},
  'after an SSLRequest': async (s) =>
    s.conn.write(frame(1, buildLogin({ caps: CAPS | CLIENT.SSL, sslOnly: true }))),
  'inside a TLS record': async (s) => {
    s.conn.write(frame(1, buildLogin({ caps: CAPS | CLIENT.SSL, sslOnly: true })));
    s.conn.write(Buffer.from([0x16, 0x03, 0x01]));
  },
  'after the TLS handshake': async (s) => {
    s.conn.write(frame(1, buildLogin({ caps: CAPS | CLIENT.SSL, sslOnly: true })));
    const problem = await s.conn.startTls(5000);
    if (problem) throw new Violation('tls', problem);
  },
  'after 01 04 inside TLS': async (s, r) => {
    s.conn.write(frame(1, buildLogin({ caps: CAPS | CLIENT.SSL, sslOnly: true })));
    const problem = await s.conn.startTls(5000);
    if (problem) throw new Violation('tls', problem);
    s.conn.write(
      frame(2, login({ caps: CAPS | CLIENT.SSL, user: 'testuser', auth: Buffer.alloc(32, 1) })),
    );
    r.expect = 3;
    const p = await r.must('01 04');
    if (p[0] !== 1 || p[1] !== 4)
      throw new Violation('spec', `expected 01 04, got ${p.toString('hex')}`);
  },
  'after the public key': async (s, r) => {
    s.conn.write(
      Buffer.concat([
        frame(1, login({ user: 'sha2hash', auth: Buffer.alloc(32, 1) })),
        frame(3, Buffer.from([2])),
      ]),
    );
    r.expect = 2;
    await r.must('01 04');
    r.expect = 4;
    const pem = await r.must('the public key');
    if (pem[0] !== 1 || pem[1] !== 0x2d) throw new Violation('spec', 'expected the public key');
  },
  'after an AuthSwitchRequest': async (s, r) => {
    s.conn.write(
      frame(
        1,
        login({ user: 'sha2only', auth: Buffer.alloc(20, 1), plugin: 'mysql_native_password' }),
      ),
    );
    r.expect = 2;
    const p = await r.must('the AuthSwitchRequest');
    if (p[0] !== 0xfe)
      throw new Violation('spec', `expected an AuthSwitchRequest, got ${p.toString('hex')}`);
  },
  'inside the login packet': async (s) => {
    const l = frame(1, login({ auth: SHA2_PLACEHOLDER }));
    s.conn.write(l.subarray(0, 20));
  },
};

/** Starts every stall at once; resolves to the problems once each connection has been dropped (or not). */
export async function stallChecks(env) {
  const problems = [];
  const results = await Promise.all(
    Object.entries(STALLS).map(async ([what, run]) => {
      let s;
      try {
        s = await Session.open(env);
        const r = new ReplyReader(s.conn, { ...env, caps: 0, input: null });
        await run(s, r);
        const t0 = Date.now();
        const { closed, bytes } = await s.conn.untilClose(CONNECT_TIMEOUT_MS + 4000);
        if (!closed)
          problems.push(
            `login stopped ${what}: still open ${Date.now() - t0} ms later (connectTimeout ${CONNECT_TIMEOUT_MS} ms)`,
          );
        else if (bytes.length > 0 && !what.includes('SSLRequest') && !what.includes('TLS record')) {
          problems.push(
            `login stopped ${what}: the server sent ${bytes.subarray(0, 16).toString('hex')} before closing`,
          );
        }
        return what;
      } catch (e) {
        problems.push(`login stopped ${what}: ${e?.message ?? e}`);
        return what;
      } finally {
        s?.close();
      }
    }),
  );
  return { problems, scenarios: results.length };
}
