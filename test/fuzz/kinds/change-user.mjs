/**
 * Kind `change-user`: COM_CHANGE_USER (0x11) on a logged-in connection,
 * which runs a whole login again: the account lookup, an AuthSwitchRequest
 * when the account uses the other plugin, caching_sha2_password's fast or
 * full path. Payloads are built field by field (user, auth length and
 * bytes, database, character set, plugin, attributes) and mutated the same
 * way: each field truncated or cut off, lying lengths, unknown or absurd
 * plugin names, attributes by the thousand or by the megabyte. Answers to
 * the server's further requests follow as in kind `auth` (or the harness
 * gives them when the input stops).
 *
 * The connection is kept while it lasts, so one input starts where the
 * last left it, logged in as whoever the last COM_CHANGE_USER made it.
 * Oracles: the shared ones; a failed COM_CHANGE_USER ends in ERR (the
 * server may close); a successful one must be earned (auth-bypass check)
 * and leave the session as the new account (`SELECT CURRENT_USER()`) with
 * its user variables cleared.
 */
import { mutateBytes, mutateFrames, lyingLenenc } from '../core/mutate.mjs';
import {
  COM,
  directive,
  changeUserClaim,
  expectationOf,
  frame,
  framesOf,
  lenencBytes,
  marker,
  MARKERS,
  nul,
  SCRAMBLE_PLACEHOLDER,
  SHA2_PLACEHOLDER,
  withExpectation,
  withoutExpectation,
} from '../core/wire.mjs';

const SHA2 = 'caching_sha2_password';
const NATIVE = 'mysql_native_password';

const AUTHS = {
  native: SCRAMBLE_PLACEHOLDER,
  sha2: SHA2_PLACEHOLDER,
  empty: Buffer.alloc(0),
  wrong20: Buffer.alloc(20, 0x41),
  wrong32: Buffer.alloc(32, 0x42),
  long: Buffer.alloc(255, 0x43),
};

const PLUGINS = [
  NATIVE,
  SHA2,
  '',
  'sha256_password',
  'mysql_clear_password',
  'auth_gssapi_client',
  'dialog',
  'caching_sha2_password\u0001',
  'x'.repeat(1000),
  undefined,
];

const OTHER_USERS = ['nobody', '', 'TESTUSER', 'u'.repeat(33), 'testuser\u00ff'];

/**
 * A script: { user, auth, authLen (a lie, or undefined), db, charset,
 * plugin, attrs: [[k, v]] | Buffer (raw block), cut (bytes kept, or
 * undefined), answers: [Buffer], step }.
 */
export function payloadOf(sc) {
  const auth = AUTHS[sc.auth] ?? Buffer.from(sc.auth ?? []);
  const parts = [Buffer.from([COM.CHANGE_USER]), nul(sc.user)];
  parts.push(Buffer.from([sc.authLen ?? auth.length]), auth);
  if (sc.db !== undefined) parts.push(nul(sc.db));
  if (sc.charset !== undefined) parts.push(Buffer.from([sc.charset & 0xff, sc.charset >> 8]));
  if (sc.plugin !== undefined) parts.push(nul(sc.plugin));
  if (sc.attrs !== undefined) {
    if (Buffer.isBuffer(sc.attrs)) parts.push(sc.attrs);
    else {
      const kv = sc.attrs.flatMap(([k, v]) => [
        lenencBytes(Buffer.from(k)),
        lenencBytes(Buffer.from(v)),
      ]);
      parts.push(lenencBytes(Buffer.concat(kv)));
    }
  }
  const p = Buffer.concat(parts);
  return sc.cut !== undefined ? p.subarray(0, sc.cut) : p;
}

export function render(sc) {
  const parts = [];
  if (sc.step) parts.push(frame(0, directive('step')));
  parts.push(frame(0, payloadOf(sc)));
  sc.answers.forEach((a, k) => parts.push(frame(2 + 2 * k, a)));
  // An unmutated seed says what must come of it, over a plain connection and over TLS.
  const bytes = Buffer.concat(parts);
  if (!sc.expect || !(sc.expect.plain || sc.expect.tls)) return bytes;
  return withExpectation(bytes, `${sc.expect.plain ?? ''}/${sc.expect.tls ?? ''}`);
}

const full = (user, auth, plugin, extra = {}) => ({
  user,
  auth,
  db: 'rpc',
  charset: 45,
  plugin,
  attrs: [['_client_name', 'fuzz']],
  answers: [],
  ...extra,
});

function seeds(ctx) {
  const out = [];
  // `expect` over a plain connection, and over TLS (the kept connection may be either).
  const add = (sc, expect, expectTls = expect) =>
    out.push({ script: { ...sc, expect: { plain: expect, tls: expectTls } } });
  for (const a of ctx.accounts.values()) {
    const one = (tls) =>
      a.reachable && (tls || !a.requireSsl) ? (a.password === '' ? undefined : 'ok') : 'refused';
    const expect = one(false);
    const expectTls = one(true);
    // Right answers for either plugin (a switch where the account uses the other).
    add(full(a.user, 'native', NATIVE), expect, expectTls);
    add(full(a.user, 'sha2', SHA2), expect, expectTls);
    add({ ...full(a.user, 'native', undefined), attrs: undefined }, expect, expectTls);
    if (a.password === '') {
      const ok = (tls) => (a.reachable && (tls || !a.requireSsl) ? 'ok' : 'refused');
      add(full(a.user, 'empty', NATIVE), ok(false), ok(true));
    }
    // A wrong native scramble: refused, unless the account uses caching_sha2 only (then
    // an AuthSwitchRequest, which the harness answers right).
    if (a.plugins.includes(NATIVE)) add(full(a.user, 'wrong20', NATIVE), 'refused');
    else add(full(a.user, 'wrong20', NATIVE), expect, expectTls);
    if (a.plugins.includes(SHA2) && a.password !== '') {
      add(full(a.user, 'wrong32', SHA2), expect, expectTls);
      // Without TLS: the key, then the password under it (over TLS, 02 is not a password).
      add(
        full(a.user, 'wrong32', SHA2, { answers: [Buffer.from([2]), marker('rsa')] }),
        expect,
        'refused',
      );
      add(full(a.user, 'wrong32', SHA2, { answers: [marker('clear')] }), 'refused', expectTls);
      add(full(a.user, 'wrong32', SHA2, { answers: [marker('rsa-wrongkey')] }), 'refused');
      add(
        full(a.user, 'wrong32', SHA2, { answers: [Buffer.from([2]), Buffer.alloc(256, 7)] }),
        'refused',
      );
    }
    if (a.plugins.length === 1) {
      const right = a.plugins[0] === SHA2 ? SHA2_PLACEHOLDER : SCRAMBLE_PLACEHOLDER;
      const other = a.plugins[0] === SHA2 ? 'native' : 'sha2';
      add(
        full(a.user, other, a.plugins[0] === SHA2 ? NATIVE : SHA2, {
          step: true,
          answers: [right],
        }),
        expect,
        expectTls,
      );
    }
  }
  for (const u of OTHER_USERS) add(full(u, 'native', NATIVE), 'refused');
  for (const db of ['nope', 'RPC', '', 'x'.repeat(300)])
    add(full('testuser', 'native', NATIVE, { db }));
  for (const plugin of PLUGINS) add(full('testuser', 'native', plugin));
  // Truncated at every byte of a full payload, and with every auth length.
  const whole = payloadOf(full('app', 'native', NATIVE));
  for (let cut = 1; cut <= whole.length; cut++) add({ ...full('app', 'native', NATIVE), cut });
  for (const authLen of [0, 1, 19, 21, 31, 33, 200, 255]) {
    add(full('testuser', 'native', NATIVE, { authLen }));
  }
  // Attributes: many, huge, lying.
  const many = Array.from({ length: 2000 }, (_, i) => [`k${i}`, `v${i}`]);
  add(full('testuser', 'native', NATIVE, { attrs: many }), 'ok');
  add(full('testuser', 'native', NATIVE, { attrs: [['big', 'v'.repeat(1 << 20)]] }), 'ok');
  add(
    full('testuser', 'native', NATIVE, {
      attrs: Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
    }),
  );
  add(full('testuser', 'native', NATIVE, { attrs: Buffer.from([0xfc, 0x10]) }));
  return out;
}

function mutateScript(rng, sc, ctx) {
  const s = { ...sc, answers: [...sc.answers] };
  delete s.expect;
  const users = [...ctx.accounts.keys(), ...OTHER_USERS];
  switch (
    rng.weighted([
      [3, 'user'],
      [3, 'auth'],
      [2, 'authLen'],
      [1, 'db'],
      [1, 'charset'],
      [2, 'plugin'],
      [3, 'attrs'],
      [2, 'cut'],
      [3, 'answer'],
      [1, 'step'],
    ])
  ) {
    case 'user':
      s.user = rng.pick(users);
      break;
    case 'auth':
      s.auth = rng.chance(0.8) ? rng.pick(Object.keys(AUTHS)) : [...rng.bytes(rng.size(300))];
      delete s.authLen;
      break;
    case 'authLen':
      s.authLen = rng.pick([0, 1, 19, 20, 21, 31, 32, 33, 0xfb, 0xfc, 0xff, rng.u32() & 0xff]);
      break;
    case 'db':
      s.db = rng.pick(['rpc', 'nope', '', undefined, 'd'.repeat(rng.size(2000))]);
      break;
    case 'charset':
      s.charset = rng.pick([undefined, 0, 8, 33, 45, 63, 255, 0xffff]);
      break;
    case 'plugin':
      s.plugin = rng.pick(PLUGINS);
      break;
    case 'attrs': {
      const k = rng.below(4);
      if (k === 0) s.attrs = Array.from({ length: rng.size(5000) }, (_, i) => [`a${i}`, 'v']);
      else if (k === 1) s.attrs = [['k', 'v'.repeat(rng.size(Math.min(ctx.maxBytes, 4 << 20)))]];
      else if (k === 2) {
        const kv = Buffer.concat([lenencBytes(Buffer.from('k')), lenencBytes(Buffer.from('v'))]);
        s.attrs = Buffer.concat([lyingLenenc(rng, kv.length), kv]);
      } else s.attrs = rng.bytes(rng.size(64));
      break;
    }
    case 'cut':
      s.cut = rng.below(payloadOf({ ...s, cut: undefined }).length + 1);
      break;
    case 'answer': {
      const a = rng.chance(0.6)
        ? rng.pick([
            Buffer.from([2]),
            marker('rsa'),
            marker(rng.pick([...MARKERS])),
            SHA2_PLACEHOLDER,
            SCRAMBLE_PLACEHOLDER,
            Buffer.alloc(0),
          ])
        : rng.bytes(rng.size(400));
      s.answers.splice(rng.below(s.answers.length + 1), 0, a);
      if (s.answers.length > 3) s.answers.length = 3;
      break;
    }
    case 'step':
      s.step = !s.step;
      break;
  }
  return s;
}

export default {
  name: 'change-user',
  description: 'COM_CHANGE_USER on a logged-in connection',
  weight: 2,
  session: 'logged-in',
  seeds(ctx) {
    return seeds(ctx).map((e) => ({ ...e, bytes: render(e.script) }));
  },
  mutate(rng, entry, ctx) {
    if (entry.script && rng.chance(0.8)) {
      const script = mutateScript(rng, entry.script, ctx);
      return { script, bytes: render(script) };
    }
    const plain = withoutExpectation(entry.bytes);
    return { bytes: mutateFrames(rng, plain, ctx, (r, p, x) => mutateBytes(r, p, x)) };
  },
  wire: (bytes) => bytes,
  /** Before each input: a user variable, which a successful COM_CHANGE_USER must clear. */
  async before(session) {
    if (session.phase !== 'ready' || session.closed) return;
    await session.query("SET @fuzz_before_change = 'set'");
  },
  check(out, entry, session) {
    const expect = expectationOf(entry.bytes)?.[session.secure ? 'tls' : 'plain'];
    if (!expect) return null;
    const user = changeUserClaim(
      framesOf(entry.bytes).find((f) => f.payload[0] === COM.CHANGE_USER)?.payload ??
        Buffer.from([0x11]),
    ).user;
    const loggedIn = session.phase === 'ready' && !out.closed;
    if (expect === 'ok' && !(loggedIn && out.changedUser && session.user === user)) {
      return `COM_CHANGE_USER to ${user} with the right answers failed: ${JSON.stringify(out.fatal ?? out.errors[0] ?? out.trace)}`;
    }
    if (expect === 'refused' && out.changedUser) {
      return `COM_CHANGE_USER to ${JSON.stringify(user)} that must fail logged the session in as ${session.user}`;
    }
    return null;
  },
  async after(session, out) {
    if (session.phase !== 'ready' || session.closed) return null;
    const row = await session.query('SELECT CURRENT_USER(), @fuzz_before_change');
    if (!row || !row[0]?.startsWith(`${session.user}@`)) {
      return `the session is ${JSON.stringify(session.user)} by the protocol, but CURRENT_USER() is ${JSON.stringify(row)}`;
    }
    if (out.changedUser && row[1] !== null) {
      return `a user variable survived COM_CHANGE_USER: ${JSON.stringify(row[1])}`;
    }
    return null;
  },
};
