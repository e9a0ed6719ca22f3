/**
 * Kind `auth`: whole login conversations on fresh connections, beyond the
 * first packet (kind `login`): SSLRequest and a real TLS handshake (Node's
 * tls over the raw socket, directive `tls`), or garbage where the ClientHello
 * belongs, or a second SSLRequest; the login packet offering either plugin
 * (or none, or one the server lacks) for every kind of account; then the
 * client's further packets: the AuthSwitchResponse (of every length), and
 * caching_sha2_password's full path after `01 04` (`02`, the RSA-encrypted
 * password right or wrong in every way, the password in clear with and
 * without NUL, junk, empty and oversized packets), each at its right
 * sequence id or not.
 *
 * An input is a script rendered to bytes: frames with their sequence ids
 * as a client following the exchange would number them (login at 1, or 2
 * inside TLS; each further packet two more), markers for what depends on
 * the server (RSA with its key, scrambles with its salt) and a leading
 * `step` directive when a packet must wait for the server's answer (after
 * an AuthSwitchRequest's new salt). Where the script stops mid-login, the
 * harness answers as a real client would. Mutations change the script's
 * fields (account, plugin, answers, transport, sequence ids) or, once in a
 * while, the bytes.
 *
 * Oracles, besides the shared ones (well-formed replies, known error texts,
 * sequence ids, no hang, no crash): unmutated scripts that a real client
 * would complete must log in; a login's OK must be earned (the session's
 * auth-bypass check); once in, `SELECT CURRENT_USER()` names the account
 * logged in as and COM_PING answers.
 */
import { mutateBytes, mutateFrames } from '../core/mutate.mjs';
import {
  buildLogin,
  CLIENT,
  directive,
  expectationOf,
  frame,
  marker,
  MARKERS,
  SCRAMBLE_PLACEHOLDER,
  SHA2_PLACEHOLDER,
  withExpectation,
  withoutExpectation,
} from '../core/wire.mjs';

const SHA2 = 'caching_sha2_password';
const NATIVE = 'mysql_native_password';

export const LOGIN_CAPS =
  CLIENT.LONG_PASSWORD |
  CLIENT.LONG_FLAG |
  CLIENT.PROTOCOL_41 |
  CLIENT.TRANSACTIONS |
  CLIENT.SECURE_CONNECTION |
  CLIENT.MULTI_RESULTS |
  CLIENT.PLUGIN_AUTH |
  CLIENT.PLUGIN_AUTH_LENENC_CLIENT_DATA |
  CLIENT.CONNECT_ATTRS;

/** Users a script may claim: every account, and names that are none. */
const OTHER_USERS = [
  'nobody',
  '',
  'TESTUSER',
  'testuser ',
  'testuser\u0001',
  'u'.repeat(40),
  '\u00e9\u{1F600}',
];

/** The first answer, by what it offers. */
const OFFERS = {
  sha2: { plugin: SHA2, auth: SHA2_PLACEHOLDER },
  'sha2-wrong': { plugin: SHA2, auth: Buffer.alloc(32, 0x42) },
  'sha2-empty': { plugin: SHA2, auth: Buffer.alloc(0) },
  'sha2-20': { plugin: SHA2, auth: SCRAMBLE_PLACEHOLDER },
  native: { plugin: NATIVE, auth: SCRAMBLE_PLACEHOLDER },
  'native-wrong': { plugin: NATIVE, auth: Buffer.alloc(20, 0x41) },
  'native-32': { plugin: NATIVE, auth: SHA2_PLACEHOLDER },
  'native-empty': { plugin: NATIVE, auth: Buffer.alloc(0) },
  'no-plugin-auth': { plugin: undefined, auth: SCRAMBLE_PLACEHOLDER, noPluginAuth: true },
  'empty-name': { plugin: '', auth: SCRAMBLE_PLACEHOLDER },
  sha256: { plugin: 'sha256_password', auth: Buffer.from([1]) },
  clear: { plugin: 'mysql_clear_password', auth: Buffer.from('testpass\0') },
  unknown: { plugin: 'auth_gssapi_client', auth: Buffer.alloc(0) },
  'long-name': { plugin: 'p'.repeat(300), auth: SHA2_PLACEHOLDER },
};

/** What a client may send after the login packet: right, wrong, odd and hostile. */
const ANSWERS = [
  () => Buffer.from([2]),
  () => marker('rsa'),
  () => marker('clear'),
  ...[...MARKERS].filter((m) => m !== 'rsa' && m !== 'clear').map((m) => () => marker(m)),
  () => SHA2_PLACEHOLDER,
  () => SCRAMBLE_PLACEHOLDER,
  () => Buffer.alloc(0),
  () => Buffer.from([0]),
  () => Buffer.from([1]),
  () => Buffer.from([3]),
  () => Buffer.from([4]),
  () => Buffer.from([2, 2]),
  () => Buffer.from([2, 0]),
  () => Buffer.from('testpass'),
  () => Buffer.from('testpass\0\0'),
];

const RSA_SIZES = [255, 256, 257, 512];

/** A payload of `n` bytes, not a marker. */
const junk = (rng, n) =>
  rng.chance(0.5) ? rng.bytes(n) : Buffer.alloc(n, rng.pick([0, 0x41, 0xff]));

function answer(rng, ctx) {
  const r = rng.below(10);
  if (r < 6) return rng.pick(ANSWERS)();
  if (r < 8) return junk(rng, rng.size(300));
  if (r < 9) return junk(rng, rng.pick(RSA_SIZES));
  // Oversized: at, just under and far past the pre-login packet cap (ERR 1153).
  return junk(rng, rng.pick([ctx.preAuthCap - 1, ctx.preAuthCap, ctx.preAuthCap + 1, 1 << 20]));
}

/** What goes where the TLS ClientHello belongs. */
const GARBAGE = [
  () => Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
  () => Buffer.from([0x16]),
  () => Buffer.from([0x16, 0x03, 0x01, 0xff, 0xff, 0x01, 0x00]),
  () => Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00]),
  () => Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]),
  () => Buffer.from([0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10]),
  () => Buffer.from([0x17, 0x03, 0x03, 0x00, 0x10, ...Buffer.alloc(16, 0x41)]),
  () => frame(2, buildLogin({ caps: LOGIN_CAPS | CLIENT.SSL, plugin: NATIVE })),
  () => Buffer.alloc(16384, 0),
  () => Buffer.alloc(3, 0x16),
  // A second SSLRequest, in clear.
  () => frame(2, buildLogin({ caps: LOGIN_CAPS | CLIENT.SSL, sslOnly: true })),
];

/**
 * A script: { user, offer, tls, garbage, sslAgain, step, caps, answers,
 * seqShift: [step, delta] | null, expect }. Rendered to the byte stream.
 */
export function render(sc) {
  const parts = [];
  if (sc.step) parts.push(frame(0, directive('step')));
  const offer = OFFERS[sc.offer] ?? OFFERS.sha2;
  let caps = (sc.caps ?? LOGIN_CAPS) >>> 0;
  if (offer.noPluginAuth) caps &= ~(CLIENT.PLUGIN_AUTH | CLIENT.PLUGIN_AUTH_LENENC_CLIENT_DATA);
  let seq = 1;
  const shift = (k, s) => (sc.seqShift && sc.seqShift[0] === k ? (s + sc.seqShift[1]) & 0xff : s);
  if (sc.tls || sc.garbage !== undefined) {
    caps = (caps | CLIENT.SSL) >>> 0;
    parts.push(frame(shift(-2, 1), buildLogin({ caps, sslOnly: true })));
    seq = 2;
    if (sc.garbage !== undefined) {
      parts.push(GARBAGE[sc.garbage % GARBAGE.length]());
      return Buffer.concat(parts);
    }
    parts.push(frame(0, directive('tls')));
    if (sc.sslAgain) {
      // A second SSLRequest, inside TLS: Bad handshake.
      parts.push(frame(shift(-1, 2), buildLogin({ caps, sslOnly: true })));
      seq = 3;
    }
  }
  const login = buildLogin({
    caps,
    user: sc.user,
    auth: offer.auth,
    plugin: offer.plugin,
    attrs: caps & CLIENT.CONNECT_ATTRS ? [['_client_name', 'fuzz']] : undefined,
  });
  parts.push(frame(shift(0, seq), login));
  sc.answers.forEach((a, k) => parts.push(frame(shift(k + 1, seq + 2 * (k + 1)), a)));
  // An unmutated seed says what must come of it (not sent; checked by `check`, replays too).
  const expect = sc.expectCode ?? sc.expect;
  const bytes = Buffer.concat(parts);
  return expect === undefined ? bytes : withExpectation(bytes, String(expect));
}

/**
 * What a real client's login as account `a` offering `offer` ends in, when
 * the harness completes what the script leaves open: 'ok', 'refused', or
 * undefined when the script's own answers decide (an empty password, whose
 * placeholders stay wrong answers).
 */
function expectFor(a, tls, offer) {
  if (!a.reachable || (a.requireSsl && !tls)) return 'refused';
  const o = OFFERS[offer];
  const plugin = o.noPluginAuth ? NATIVE : o.plugin || NATIVE;
  if (!a.plugins.includes(plugin)) {
    // Another plugin: an AuthSwitchRequest (the harness answers it), or, without
    // CLIENT_PLUGIN_AUTH, no way to switch.
    if (o.noPluginAuth) return 'refused';
    return a.password === '' ? undefined : 'ok';
  }
  if (a.password === '') return offer.endsWith('-empty') ? 'ok' : undefined;
  switch (offer) {
    case 'sha2': // fast path
    case 'sha2-wrong': // 01 04, the full path
    case 'native':
    case 'no-plugin-auth':
    case 'empty-name':
      return 'ok';
    case 'native-wrong':
      return 'refused';
    default:
      // An empty answer, or a scramble of the wrong length: the server may refuse, or ask
      // again (an AuthSwitchRequest the harness answers). Only the bypass oracle applies.
      return undefined;
  }
}

function seedScripts(ctx) {
  const out = [];
  const add = (sc) => out.push({ script: sc });
  const accounts = ctx.accounts;
  for (const a of accounts.values()) {
    for (const tls of [false, true]) {
      // First answers of every kind; the harness completes a switch or the full path.
      for (const offer of Object.keys(OFFERS)) {
        add({ user: a.user, offer, tls, answers: [], expect: expectFor(a, tls, offer) });
      }
      const expect = expectFor(a, tls, 'sha2-wrong');
      if (a.plugins.includes(SHA2) && a.password !== '') {
        // The full path spelt out: over TLS in clear, without TLS with the key asked for or not.
        if (tls) {
          add({ user: a.user, offer: 'sha2-wrong', tls, answers: [marker('clear')], expect });
          for (const bad of ['clear-nonul', 'clear-wrong', 'rsa']) {
            add({
              user: a.user,
              offer: 'sha2-wrong',
              tls,
              answers: [marker(bad)],
              expect: 'refused',
            });
          }
          add({
            user: a.user,
            offer: 'sha2-wrong',
            tls,
            answers: [Buffer.from([2])],
            expect: 'refused',
          });
        } else {
          for (const step of [false, true]) {
            add({
              user: a.user,
              offer: 'sha2-wrong',
              step,
              answers: [Buffer.from([2]), marker('rsa')],
              expect,
            });
            add({ user: a.user, offer: 'sha2-wrong', step, answers: [marker('rsa')], expect });
          }
          for (const m of [...MARKERS].filter((x) => x !== 'rsa')) {
            add({
              user: a.user,
              offer: 'sha2-wrong',
              answers: [Buffer.from([2]), marker(m)],
              expect: 'refused',
            });
          }
        }
      }
      if (a.plugins.length === 1) {
        // The account uses one plugin: offering the other gets an AuthSwitchRequest,
        // answered for its new salt (step), or pipelined for the old one.
        const other = a.plugins[0] === SHA2 ? 'native' : 'sha2';
        const right = a.plugins[0] === SHA2 ? SHA2_PLACEHOLDER : SCRAMBLE_PLACEHOLDER;
        add({
          user: a.user,
          offer: other,
          tls,
          step: true,
          answers: [right],
          expect: expectFor(a, tls, other),
        });
        add({ user: a.user, offer: other, tls, answers: [right] });
      }
    }
  }
  for (const u of OTHER_USERS) {
    add({ user: u, offer: 'sha2', answers: [], expect: 'refused' });
    add({
      user: u,
      offer: 'sha2-wrong',
      answers: [Buffer.from([2]), marker('rsa')],
      expect: 'refused',
    });
    add({ user: u, offer: 'native', tls: true, answers: [], expect: 'refused' });
  }
  // AuthSwitchResponse of every length, both ways.
  for (let n = 0; n <= 40; n++) {
    add({
      user: 'nativeonly',
      offer: 'sha2',
      step: true,
      answers: [Buffer.alloc(n, 0x41)],
      expect: 'refused',
    });
    // A wrong 32-byte scramble is answered with 01 04; the harness then completes the full path.
    add({
      user: 'sha2only',
      offer: 'native',
      step: true,
      answers: [Buffer.alloc(n, 0x42)],
      expect: n === 32 ? 'ok' : 'refused',
    });
  }
  // caching_sha2's steps with the wrong thing at each.
  for (const bad of [
    Buffer.alloc(0),
    Buffer.from([0]),
    Buffer.from([2, 2]),
    Buffer.alloc(300, 0x33),
  ]) {
    add({ user: 'sha2hash', offer: 'sha2-wrong', answers: [bad], expect: 'refused' });
    add({
      user: 'sha2hash',
      offer: 'sha2-wrong',
      answers: [Buffer.from([2]), bad],
      expect: 'refused',
    });
    add({ user: 'sha2hash', offer: 'sha2-wrong', tls: true, answers: [bad], expect: 'refused' });
  }
  add({
    user: 'sha2hash',
    offer: 'sha2-wrong',
    answers: [Buffer.from([2]), Buffer.from([2])],
    expect: 'refused',
  });
  add({
    user: 'testuser',
    offer: 'sha2-wrong',
    answers: [Buffer.from([2]), Buffer.alloc(1 << 20, 0x61)],
    expect: 'refused',
  });
  add({
    user: 'testuser',
    offer: 'sha2-wrong',
    tls: true,
    answers: [Buffer.alloc(1 << 20, 0x61)],
    expect: 'refused',
  });
  // Out of order at each step.
  for (const k of [-2, 0, 1, 2]) {
    for (const d of [-1, 1, 2, 0x80]) {
      add({
        user: 'sha2hash',
        offer: 'sha2-wrong',
        tls: k === -2,
        answers: [Buffer.from([2]), marker('rsa')],
        seqShift: [k, d],
        expect: 'refused',
      });
    }
  }
  // SSLRequest twice: inside TLS (Bad handshake), and back to back in clear.
  add({
    user: 'testuser',
    offer: 'sha2',
    tls: true,
    sslAgain: true,
    answers: [],
    expect: 'refused',
    expectCode: 1043,
  });
  // SSLRequest, then anything but a ClientHello.
  for (let g = 0; g < GARBAGE.length; g++)
    add({ user: 'testuser', offer: 'sha2', garbage: g, answers: [] });
  return out;
}

/** Structure-aware: change one thing in the script. */
function mutateScript(rng, sc, ctx) {
  const s = { ...sc, answers: [...sc.answers] };
  delete s.expect;
  delete s.expectCode;
  const users = [...ctx.accounts.keys(), ...OTHER_USERS];
  switch (
    rng.weighted([
      [3, 'user'],
      [3, 'offer'],
      [2, 'transport'],
      [1, 'step'],
      [5, 'answer'],
      [2, 'switchLength'],
      [2, 'seq'],
      [1, 'caps'],
      [1, 'truncate'],
    ])
  ) {
    case 'user':
      s.user = rng.pick(users);
      break;
    case 'offer':
      s.offer = rng.pick(Object.keys(OFFERS));
      break;
    case 'transport': {
      const t = rng.below(4);
      s.tls = t === 1 || t === 3;
      s.sslAgain = t === 3;
      if (t === 2) s.garbage = rng.below(GARBAGE.length);
      else delete s.garbage;
      break;
    }
    case 'step':
      s.step = !s.step;
      break;
    case 'answer': {
      const k = rng.below(s.answers.length + 1);
      const a = answer(rng, ctx);
      if (k === s.answers.length || rng.chance(0.3)) s.answers.splice(k, 0, a);
      else s.answers[k] = a;
      if (s.answers.length > 4) s.answers.length = 4;
      break;
    }
    case 'switchLength':
      s.step = true;
      s.user = rng.pick(['nativeonly', 'sha2only', 'sha2hash', 'testuser']);
      s.offer = rng.pick(['sha2', 'native']);
      s.answers = [junk(rng, rng.chance(0.8) ? rng.below(70) : rng.size(ctx.preAuthCap + 8))];
      break;
    case 'seq':
      s.seqShift = [rng.int(-2, s.answers.length), rng.pick([-2, -1, 1, 2, 3, 0x7f, 0xff])];
      break;
    case 'caps':
      s.caps = ((s.caps ?? LOGIN_CAPS) ^ (1 << rng.below(32))) >>> 0;
      break;
    case 'truncate':
      s.answers.length = rng.below(s.answers.length + 1);
      break;
  }
  return s;
}

export default {
  name: 'auth',
  description: 'login conversations: TLS, AuthSwitch, caching_sha2 fast and full path',
  weight: 3,
  session: 'greeting',
  seeds(ctx) {
    return seedScripts(ctx).map((e) => ({ ...e, bytes: render(e.script) }));
  },
  mutate(rng, entry, ctx) {
    if (entry.script && rng.chance(0.8)) {
      const script = mutateScript(rng, entry.script, ctx);
      return { script, bytes: render(script) };
    }
    const plain = withoutExpectation(entry.bytes);
    const bytes = rng.chance(0.85)
      ? mutateFrames(rng, plain, ctx, (r, p, x) => mutateBytes(r, p, x))
      : mutateBytes(rng, plain, ctx);
    return { bytes };
  },
  wire: (bytes) => bytes,
  /** Unmutated scripts a real client completes must log in; the others must not. */
  check(out, entry, session) {
    const expect = expectationOf(entry.bytes)?.plain;
    if (expect == null) return null;
    const loggedIn = session?.phase === 'ready' && !out.closed;
    if (expect === 'ok' && !loggedIn) {
      // How it ended, so that a minimized input must end the same way.
      const how = out.fatal
        ? `ERR ${out.fatal.code}`
        : `${out.closed ? (out.legitClose ? 'closed by the server' : 'closed') : 'open'}` +
          `${out.incomplete ? ', waiting' : ''}${out.tlsGarbage ? `, TLS ${out.tlsGarbage}` : ''}` +
          ` in state ${session?.phase} after ${out.units} packet(s)`;
      return `a login a real client completes was refused (${how}): ${JSON.stringify(out.fatal ?? out.trace)}`;
    }
    if (expect !== 'ok' && loggedIn) {
      return `a login that must fail got in as ${JSON.stringify(session.user)}`;
    }
    if (typeof expect === 'number' && out.fatal?.code !== expect) {
      return `expected ERR ${expect}, got ${JSON.stringify(out.fatal ?? out.trace)}`;
    }
    return null;
  },
  /** Once in: the session is the account it claimed, and it still answers. */
  async after(session) {
    if (session.phase !== 'ready' || session.closed) return null;
    const row = await session.query('SELECT CURRENT_USER()');
    if (!row || !row[0]?.startsWith(`${session.user}@`)) {
      return `logged in as ${JSON.stringify(session.user)}, but CURRENT_USER() is ${JSON.stringify(row)}`;
    }
    return null;
  },
};
