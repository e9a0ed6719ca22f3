/**
 * Kind `login`: the client's first bytes after the greeting. Seeds are
 * HandshakeResponse41 packets as real clients send them (captured from
 * mysql2, mysql, mariadb, the mysql CLI and mysqladmin; PyMySQL and HAProxy
 * shapes built from their sources), SSLRequest, pre-4.1 logins, AuthSwitch
 * triggers and logins with pipelined commands. Mutations work on the
 * fields (caps, lengths, names, attributes) and on the frames and bytes.
 * Each input runs on a fresh connection.
 */
import { mutateBytes, mutateFrames, lyingLenenc } from '../core/mutate.mjs';
import {
  buildLogin,
  buildOldLogin,
  CLIENT,
  COM,
  command,
  frame,
  lenencBytes,
  SCRAMBLE_PLACEHOLDER,
} from '../core/wire.mjs';

const NATIVE = 'mysql_native_password';

const PYMYSQL_CAPS =
  CLIENT.LONG_PASSWORD |
  CLIENT.LONG_FLAG |
  CLIENT.PROTOCOL_41 |
  CLIENT.TRANSACTIONS |
  CLIENT.SECURE_CONNECTION |
  CLIENT.MULTI_RESULTS |
  CLIENT.PLUGIN_AUTH |
  CLIENT.PLUGIN_AUTH_LENENC_CLIENT_DATA |
  CLIENT.CONNECT_ATTRS;
const HAPROXY_CAPS = CLIENT.PROTOCOL_41 | CLIENT.SECURE_CONNECTION;
const BASE = PYMYSQL_CAPS & ~CLIENT.CONNECT_ATTRS;

const PYMYSQL_ATTRS = [
  ['_client_name', 'pymysql'],
  ['_client_version', '1.1.1'],
  ['_pid', '4242'],
  ['program_name', 'fuzz.py'],
];

/** Built seeds: fields kept so that structure-aware mutation can rebuild them. */
function builtSeeds() {
  const s = [];
  const add = (fields, extra = Buffer.alloc(0), expect) => s.push({ fields, extra, expect });
  add(
    { caps: PYMYSQL_CAPS, plugin: NATIVE, attrs: PYMYSQL_ATTRS, maxPacket: 0xffffff },
    undefined,
    'ok',
  );
  add(
    {
      caps: PYMYSQL_CAPS | CLIENT.CONNECT_WITH_DB,
      database: 'rpc',
      plugin: NATIVE,
      attrs: PYMYSQL_ATTRS,
      charset: 255,
    },
    undefined,
    'ok',
  );
  add({ caps: BASE, plugin: NATIVE }, undefined, 'ok');
  add(
    { caps: BASE | CLIENT.DEPRECATE_EOF, plugin: NATIVE },
    command(COM.QUERY, 'CALL stats()'),
    'ok',
  );
  add({ caps: BASE & ~CLIENT.MULTI_RESULTS, plugin: NATIVE }, command(COM.QUERY, 'CALL series(2)'));
  add(
    { caps: BASE & ~CLIENT.PLUGIN_AUTH & ~CLIENT.PLUGIN_AUTH_LENENC_CLIENT_DATA },
    undefined,
    'ok',
  );
  add({ caps: BASE, plugin: '' }, undefined, 'ok');
  add(
    { caps: BASE, plugin: 'caching_sha2_password', auth: Buffer.alloc(32, 0x42) },
    undefined,
    'ok',
  );
  add({ caps: BASE, plugin: 'mysql_clear_password', auth: Buffer.from('testpass\0') });
  add({ caps: BASE, plugin: 'sha256_password', auth: Buffer.from([1]) });
  add({ caps: BASE | CLIENT.CONNECT_WITH_DB, database: 'nope', plugin: NATIVE });
  add({ caps: BASE, plugin: NATIVE, auth: Buffer.alloc(20, 0x41) });
  add({ caps: BASE, plugin: NATIVE, user: 'nobody' });
  add({ caps: BASE, plugin: NATIVE, user: '' });
  add({ caps: BASE, plugin: NATIVE, auth: Buffer.alloc(0) });
  // HAProxy `option mysql-check`: empty auth, then COM_QUIT in the same write.
  add({ caps: HAPROXY_CAPS, user: 'haproxy', auth: Buffer.alloc(0) }, command(COM.QUIT));
  add(
    { caps: BASE, plugin: NATIVE },
    Buffer.concat([command(COM.QUERY, 'CALL myadd(3,4)'), command(COM.QUIT)]),
    'ok',
  );
  add({ caps: BASE | CLIENT.CONNECT_ATTRS, plugin: NATIVE, attrs: manyAttrs(80) });
  add({ caps: BASE | CLIENT.CONNECT_ATTRS, plugin: NATIVE, attrs: [['k', 'v'.repeat(2000)]] });
  add({ caps: BASE | CLIENT.SSL, sslOnly: true });
  add({
    caps: BASE | CLIENT.COMPRESS | CLIENT.LOCAL_FILES | CLIENT.MULTI_STATEMENTS,
    plugin: NATIVE,
  });
  add({ caps: 0xffffffff, plugin: NATIVE, database: 'rpc', attrs: [['a', 'b']] });
  return s;
}

function manyAttrs(n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push([`k${i}`, `v${i}`]);
  return out;
}

const render = (e) =>
  Buffer.concat([frame(e.seq ?? 1, buildLogin(e.fields)), e.extra ?? Buffer.alloc(0)]);

/** Structure-aware: change one field of a built login and rebuild it. */
function mutateFields(rng, e, ctx) {
  const f = { ...e.fields };
  const extra = e.extra;
  let seq = e.seq ?? 1;
  const op = rng.weighted([
    [3, 'capBit'],
    [2, 'user'],
    [3, 'auth'],
    [2, 'authStyle'],
    [2, 'database'],
    [2, 'plugin'],
    [3, 'attrs'],
    [1, 'header'],
    [1, 'tail'],
    [1, 'seq'],
  ]);
  switch (op) {
    case 'capBit':
      f.caps = (f.caps ^ (1 << rng.below(32))) >>> 0;
      break;
    case 'user':
      f.user = rng.pick([
        '',
        'testuser',
        'TESTUSER',
        'testuser ',
        "o'brien",
        'u'.repeat(rng.size(ctx.preAuthCap)),
        '\u00e9\u{1F600}',
        'undefined',
        '%s',
        '../../etc/passwd',
      ]);
      break;
    case 'auth':
      f.auth = rng.pick([
        () => Buffer.alloc(0),
        () => SCRAMBLE_PLACEHOLDER.subarray(0, 19),
        () => Buffer.concat([SCRAMBLE_PLACEHOLDER, Buffer.from([0])]),
        () => rng.bytes(rng.size(300)),
        () => Buffer.alloc(255, 0xff),
        () => SCRAMBLE_PLACEHOLDER,
      ])();
      break;
    case 'authStyle':
      f.authStyle = rng.pick(['lenenc', 'u8', 'nul']);
      break;
    case 'database':
      f.caps = (f.caps | CLIENT.CONNECT_WITH_DB) >>> 0;
      f.database = rng.pick(['rpc', 'RPC', '', 'nope', 'x'.repeat(rng.size(300)), "'; drop", '`']);
      break;
    case 'plugin':
      f.caps = (f.caps | CLIENT.PLUGIN_AUTH) >>> 0;
      f.plugin = rng.pick([
        NATIVE,
        '',
        'caching_sha2_password',
        'sha256_password',
        'mysql_clear_password',
        'auth_gssapi_client',
        'dialog',
        'x'.repeat(rng.size(500)),
        'mysql_native_password\u0001',
      ]);
      break;
    case 'attrs': {
      f.caps = (f.caps | CLIENT.CONNECT_ATTRS) >>> 0;
      const attrs = [...(f.attrs ?? [])];
      const kind = rng.below(4);
      if (kind === 0) attrs.push([rng.bytes(rng.size(40)).toString('latin1'), 'v']);
      else if (kind === 1) attrs.push(['k', 'v'.repeat(rng.size(ctx.preAuthCap))]);
      else if (kind === 2) attrs.push(...manyAttrs(rng.size(200)));
      else attrs.splice(0, attrs.length);
      f.attrs = attrs;
      if (rng.chance(0.3)) {
        // The attributes' total length lies.
        const kv = Buffer.concat(attrs.flatMap(([k, v]) => [lenencBytes(k), lenencBytes(v)]));
        f.attrs = undefined;
        f.tail = Buffer.concat([lyingLenenc(rng, kv.length), kv]);
      }
      break;
    }
    case 'header':
      f.maxPacket = rng.pick([0, 1, 1024, 0xffffff, 0x1000000, 0xffffffff]);
      f.charset = rng.pick([0, 8, 33, 45, 63, 255, 254]);
      if (rng.chance(0.5)) f.filler = rng.bytes(23);
      break;
    case 'tail':
      f.tail = rng.bytes(rng.size(64));
      break;
    case 'seq':
      seq = rng.pick([0, 2, 3, 255]);
      break;
  }
  return { fields: f, extra, seq };
}

const EXTRA_FRAMES = [
  () => command(COM.QUIT),
  () => command(COM.PING),
  () => command(COM.QUERY, 'CALL myadd(3,4)'),
  () => frame(1, buildLogin({ caps: BASE | CLIENT.SSL, sslOnly: true })),
  () => frame(2, buildLogin({ caps: BASE, plugin: NATIVE })),
  () => frame(3, SCRAMBLE_PLACEHOLDER),
];

export default {
  name: 'login',
  description: 'login packets on fresh connections',
  weight: 3,
  session: 'greeting',
  seeds(ctx) {
    const out = builtSeeds().map((e) => ({ ...e, bytes: render(e) }));
    for (const l of ctx.captured.logins) {
      out.push({ bytes: frame(l.seq, Buffer.from(l.hex, 'hex')), expect: 'ok', client: l.client });
    }
    // Pre-4.1 login, and an SSLRequest followed by a login in clear (garbage to the TLS layer;
    // kind `auth` does the real handshake).
    out.push({ bytes: frame(1, buildOldLogin()) });
    out.push({
      bytes: Buffer.concat([
        frame(1, buildLogin({ caps: BASE | CLIENT.SSL, sslOnly: true })),
        frame(2, buildLogin({ caps: BASE | CLIENT.SSL, plugin: NATIVE })),
      ]),
    });
    return out;
  },
  mutate(rng, entry, ctx) {
    if (entry.fields && rng.chance(0.5)) {
      const e = mutateFields(rng, entry, ctx);
      return { ...e, bytes: render(e) };
    }
    const c = { ...ctx, extraFrames: (r) => r.pick(EXTRA_FRAMES)() };
    const bytes = rng.chance(0.85)
      ? mutateFrames(rng, entry.bytes, c, (r, p, x) => mutateBytes(r, p, x))
      : mutateBytes(rng, entry.bytes, c);
    return { bytes };
  },
  /** Sent as it is: the input is the byte stream after the greeting. */
  wire: (bytes) => bytes,
  /** Unmutated logins that real clients send must succeed. */
  check(out, entry) {
    if (entry.expect === 'ok' && !entry.mutated && out.fatal) {
      return `a valid ${entry.client ?? 'built'} login was refused: ${JSON.stringify(out.fatal)}`;
    }
    return null;
  },
};
