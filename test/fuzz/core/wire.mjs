/**
 * Wire-level helpers of the fuzz harness: framing, length-encoded
 * integers, the login helper and a byte-exact client socket. Written from
 * the protocol description (PROTOCOL.md), independently of lib/.
 */
import {
  constants as cryptoConstants,
  createHash,
  createPublicKey,
  generateKeyPairSync,
  publicEncrypt,
} from 'node:crypto';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { setTimeout as delay } from 'node:timers/promises';

export const CLIENT = {
  LONG_PASSWORD: 0x1,
  FOUND_ROWS: 0x2,
  LONG_FLAG: 0x4,
  CONNECT_WITH_DB: 0x8,
  NO_SCHEMA: 0x10,
  COMPRESS: 0x20,
  ODBC: 0x40,
  LOCAL_FILES: 0x80,
  IGNORE_SPACE: 0x100,
  PROTOCOL_41: 0x200,
  INTERACTIVE: 0x400,
  SSL: 0x800,
  IGNORE_SIGPIPE: 0x1000,
  TRANSACTIONS: 0x2000,
  RESERVED: 0x4000,
  SECURE_CONNECTION: 0x8000,
  MULTI_STATEMENTS: 0x10000,
  MULTI_RESULTS: 0x20000,
  PS_MULTI_RESULTS: 0x40000,
  PLUGIN_AUTH: 0x80000,
  CONNECT_ATTRS: 0x100000,
  PLUGIN_AUTH_LENENC_CLIENT_DATA: 0x200000,
  CAN_HANDLE_EXPIRED_PASSWORDS: 0x400000,
  SESSION_TRACK: 0x800000,
  DEPRECATE_EOF: 0x1000000,
  QUERY_ATTRIBUTES: 0x8000000,
};

export const COM = {
  SLEEP: 0x00,
  QUIT: 0x01,
  INIT_DB: 0x02,
  QUERY: 0x03,
  FIELD_LIST: 0x04,
  REFRESH: 0x07,
  STATISTICS: 0x09,
  PING: 0x0e,
  CHANGE_USER: 0x11,
  STMT_PREPARE: 0x16,
  STMT_EXECUTE: 0x17,
  STMT_SEND_LONG_DATA: 0x18,
  STMT_CLOSE: 0x19,
  STMT_RESET: 0x1a,
  SET_OPTION: 0x1b,
  STMT_FETCH: 0x1c,
  RESET_CONNECTION: 0x1f,
};

export const MAX_CHUNK = 0xffffff;

/** Credentials of the sample server. */
export const USER = 'testuser';
export const PASSWORD = 'testpass';

/**
 * Stands for the 20-byte auth response in stored inputs: the salt changes
 * on every connection, so the harness puts the real scramble in its place
 * just before sending (see `fillScramble`). Inputs stay replayable as hex.
 */
export const SCRAMBLE_PLACEHOLDER = Buffer.from('<<fuzz-scramble-20>>', 'latin1');
if (SCRAMBLE_PLACEHOLDER.length !== 20) throw new Error('placeholder must be 20 bytes');

const sha1 = (...parts) => {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** mysql_native_password: SHA1(pw) XOR SHA1(salt + SHA1(SHA1(pw))). */
export function nativeScramble(password, salt) {
  if (!password) return Buffer.alloc(0);
  const s1 = sha1(Buffer.from(password, 'utf8'));
  const s3 = sha1(salt, sha1(s1));
  const out = Buffer.allocUnsafe(20);
  for (let i = 0; i < 20; i++) out[i] = s1[i] ^ s3[i];
  return out;
}

const sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** caching_sha2_password: SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) || salt); empty for ''. */
export function sha2Scramble(password, salt) {
  if (!password) return Buffer.alloc(0);
  const s1 = sha256(Buffer.from(password, 'utf8'));
  const mask = sha256(sha256(s1), salt);
  for (let i = 0; i < 32; i++) s1[i] ^= mask[i];
  return s1;
}

/**
 * The auth response for `plugin` given the server's challenge (the first
 * answer: a scramble), or null for a plugin the harness does not speak.
 */
export function authResponse(plugin, salt, password = PASSWORD) {
  switch (plugin) {
    case 'mysql_native_password':
    case '':
      return nativeScramble(password, salt);
    case 'caching_sha2_password':
      return sha2Scramble(password, salt);
    default:
      return null;
  }
}

/** Stands for the 32-byte caching_sha2_password scramble, as SCRAMBLE_PLACEHOLDER does for the native one. */
export const SHA2_PLACEHOLDER = Buffer.from('<<fuzz-caching-sha2-scramble-32>', 'latin1');
if (SHA2_PLACEHOLDER.length !== 32) throw new Error('sha2 placeholder must be 32 bytes');

/**
 * Replaces every scramble placeholder in `bytes` by the right scramble of
 * `password` for `salt`. Returns { bytes, proofs }: how many were replaced.
 */
export function fillScramble(bytes, salt, password = PASSWORD) {
  let proofs = 0;
  let out = bytes;
  for (const [mark, make] of [
    [SCRAMBLE_PLACEHOLDER, () => nativeScramble(password, salt)],
    [SHA2_PLACEHOLDER, () => sha2Scramble(password, salt)],
  ]) {
    let at = out.indexOf(mark);
    if (at < 0) continue;
    const real = make();
    if (out === bytes) out = Buffer.from(bytes);
    while (at >= 0) {
      // An empty password's scramble is empty: the placeholder's bytes are then a wrong answer.
      if (real.length === mark.length) {
        real.copy(out, at);
        proofs++;
      }
      at = out.indexOf(mark, at + mark.length);
    }
  }
  return { bytes: out, proofs };
}

// ---- directives and markers ------------------------------------------------------
//
// An input is the byte stream a client sends, so that it replays as hex. A
// few frames in it are not sent as they are:
//  - directives (whole payload `<<fuzz:NAME>>` or `<<fuzz:NAME:ARG>>`) tell
//    the session what to do at that point and are never sent: `tls` runs a
//    TLS handshake over the socket (after an SSLRequest), `step` (first
//    frame) writes the login one packet at a time, each after the server's
//    answer to the one before, so that answers can depend on what the
//    server said (a new salt in an AuthSwitchRequest), `as:USER` makes the
//    session log in as USER (COM_CHANGE_USER) before the rest;
//  - markers (whole payload `<<fuzz:rsa>>`, ...) are replaced, when sent, by
//    what needs the server's state: the password RSA-encrypted with the
//    server's public key and the current salt, or in clear, right or wrong;
//  - placeholders (SCRAMBLE_PLACEHOLDER, SHA2_PLACEHOLDER) anywhere are
//    replaced in place by the right scramble for the current salt.
// A mutated directive or marker is just a frame of bytes, sent as such.

const DIRECTIVE_RE = /^<<fuzz:([a-z-]+)(?::([^>]*))?>>$/;
export const DIRECTIVES = new Set(['tls', 'step', 'as', 'expect']);
export const MARKERS = new Set([
  'rsa', // the right password, encrypted with the server's key
  'rsa-wrongkey', // encrypted with another key of the same size
  'rsa-wrongpass', // a wrong password, the server's key
  'rsa-nonul', // the right password without its NUL
  'rsa-nosalt', // not XORed with the salt
  'rsa-flip', // the right blob with one bit flipped
  'rsa-short', // the right blob less its last byte
  'rsa-long', // the right blob and one byte more
  'clear', // the password and NUL, in clear
  'clear-nonul', // the password without NUL
  'clear-wrong', // a wrong password and NUL
]);

export const directive = (name, arg) =>
  Buffer.from(arg === undefined ? `<<fuzz:${name}>>` : `<<fuzz:${name}:${arg}>>`, 'latin1');
export const marker = (name) => Buffer.from(`<<fuzz:${name}>>`, 'latin1');

/** { name, arg } when the payload is a directive or a marker, else null. */
export function specialOf(payload) {
  if (payload.length < 10 || payload.length > 80 || payload[0] !== 0x3c) return null;
  const m = DIRECTIVE_RE.exec(payload.toString('latin1'));
  if (!m || !(DIRECTIVES.has(m[1]) || MARKERS.has(m[1]))) return null;
  return { name: m[1], arg: m[2], directive: DIRECTIVES.has(m[1]) };
}

const xorSalt = (buf, salt) => {
  const out = Buffer.from(buf);
  for (let i = 0; i < out.length; i++) out[i] ^= salt[i % salt.length];
  return out;
};

const oaep = (key, plain) =>
  publicEncrypt({ key, padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, plain);

const otherKeys = new Map();
/** A public key the server does not hold, of the same size as `pem`. */
function otherKeyLike(pem) {
  const bits = createPublicKey(pem).asymmetricKeyDetails.modulusLength;
  if (!otherKeys.has(bits)) {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
    otherKeys.set(bits, publicKey);
  }
  return otherKeys.get(bits);
}

/**
 * The bytes a marker stands for: { payload, proof } where `proof` says that
 * the payload proves the password (the auth-bypass oracle counts these).
 * `state`: { password, salt, publicKey (PEM or null), secure }.
 */
export function markerPayload(name, state) {
  const { password, salt, publicKey, secure } = state;
  const pw = Buffer.from(password, 'utf8');
  const withNul = Buffer.concat([pw, Buffer.from([0])]);
  const wrong = Buffer.from(`${password}x\0`, 'utf8');
  if (name.startsWith('clear')) {
    if (name === 'clear') return { payload: withNul, proof: secure };
    if (name === 'clear-nonul') return { payload: pw, proof: false };
    return { payload: wrong, proof: false };
  }
  if (!publicKey) return { payload: Buffer.from(name, 'latin1'), proof: false };
  const right = () => oaep(publicKey, xorSalt(withNul, salt));
  switch (name) {
    case 'rsa':
      return { payload: right(), proof: true };
    case 'rsa-wrongkey':
      return { payload: oaep(otherKeyLike(publicKey), xorSalt(withNul, salt)), proof: false };
    case 'rsa-wrongpass':
      return { payload: oaep(publicKey, xorSalt(wrong, salt)), proof: false };
    case 'rsa-nonul':
      return {
        payload: pw.length ? oaep(publicKey, xorSalt(pw, salt)) : right(),
        proof: !pw.length,
      };
    case 'rsa-nosalt':
      return { payload: oaep(publicKey, withNul), proof: false };
    case 'rsa-flip': {
      const b = right();
      b[b.length >> 1] ^= 0x10;
      return { payload: b, proof: false };
    }
    case 'rsa-short':
      // Less its last byte. (Less its first would be the same number whenever that byte is 0,
      // one time in 256, and rightly decrypt.)
      return { payload: right().subarray(0, -1), proof: false };
    case 'rsa-long':
      return { payload: Buffer.concat([right(), Buffer.from([0])]), proof: false };
    default:
      return { payload: Buffer.from(name, 'latin1'), proof: false };
  }
}

/** RSA-OAEP(SHA-1) of (password NUL) XOR salt: what a client sends after the server's PEM. */
export function rsaPassword(publicKey, password, salt) {
  return oaep(publicKey, xorSalt(Buffer.from(`${password}\0`, 'utf8'), salt));
}

/** True when `pem` is a public key Node can use (the server's AuthMoreData after `02`). */
export function usablePublicKey(pem) {
  try {
    return createPublicKey(pem).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

/** One wire packet: 3-byte length, sequence id, payload (no splitting). */
export function frame(seq, payload) {
  const h = Buffer.allocUnsafe(4);
  h.writeUIntLE(payload.length, 0, 3);
  h[3] = seq & 0xff;
  return Buffer.concat([h, payload]);
}

/** A logical packet split into 0xFFFFFF chunks as the protocol requires. */
export function frameLogical(seq, payload) {
  const parts = [];
  let off = 0;
  for (;;) {
    const n = Math.min(MAX_CHUNK, payload.length - off);
    parts.push(frame(seq++, payload.subarray(off, off + n)));
    off += n;
    if (n < MAX_CHUNK) break;
  }
  return Buffer.concat(parts);
}

export function command(cmd, body = Buffer.alloc(0), seq = 0) {
  return frame(seq, Buffer.concat([Buffer.from([cmd]), Buffer.from(body)]));
}

export function lenenc(n) {
  const v = BigInt(n);
  if (v < 0xfbn) return Buffer.from([Number(v)]);
  if (v <= 0xffffn) {
    const b = Buffer.alloc(3);
    b[0] = 0xfc;
    b.writeUInt16LE(Number(v), 1);
    return b;
  }
  if (v <= 0xffffffn) {
    const b = Buffer.alloc(4);
    b[0] = 0xfd;
    b.writeUIntLE(Number(v), 1, 3);
    return b;
  }
  const b = Buffer.alloc(9);
  b[0] = 0xfe;
  b.writeBigUInt64LE(v, 1);
  return b;
}

export const lenencBytes = (b) => Buffer.concat([lenenc(b.length), Buffer.from(b)]);
export const nul = (s) => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);

/** Reads fields of a server payload; `ok` turns false on any overrun instead of throwing. */
export class Reader {
  constructor(buf, off = 0) {
    this.buf = buf;
    this.off = off;
    this.ok = true;
  }
  get remaining() {
    return this.buf.length - this.off;
  }
  need(n) {
    if (!this.ok || this.off + n > this.buf.length) {
      this.ok = false;
      return false;
    }
    return true;
  }
  u8() {
    if (!this.need(1)) return 0;
    return this.buf[this.off++];
  }
  u16() {
    if (!this.need(2)) return 0;
    const v = this.buf.readUInt16LE(this.off);
    this.off += 2;
    return v;
  }
  u32() {
    if (!this.need(4)) return 0;
    const v = this.buf.readUInt32LE(this.off);
    this.off += 4;
    return v;
  }
  /** Length-encoded integer as a Number (exact up to 2^53); null for the NULL marker 0xFB. */
  lenenc() {
    const first = this.u8();
    if (!this.ok) return 0;
    if (first < 0xfb) return first;
    if (first === 0xfb) return null;
    if (first === 0xfc) return this.u16();
    if (first === 0xfd) {
      if (!this.need(3)) return 0;
      const v = this.buf.readUIntLE(this.off, 3);
      this.off += 3;
      return v;
    }
    if (first === 0xfe) {
      if (!this.need(8)) return 0;
      const v = this.buf.readBigUInt64LE(this.off);
      this.off += 8;
      return Number(v);
    }
    this.ok = false;
    return 0;
  }
  bytes(n) {
    if (n === null || !this.need(n)) return Buffer.alloc(0);
    const b = this.buf.subarray(this.off, this.off + n);
    this.off += n;
    return b;
  }
  lenencBytes() {
    const n = this.lenenc();
    if (n === null) {
      this.ok = false;
      return Buffer.alloc(0);
    }
    return this.bytes(n);
  }
  nul() {
    const end = this.buf.indexOf(0, this.off);
    if (!this.ok || end < 0) {
      this.ok = false;
      return Buffer.alloc(0);
    }
    const b = this.buf.subarray(this.off, end);
    this.off = end + 1;
    return b;
  }
}

/**
 * Parses and checks a Handshake v10 greeting; returns { salt, capabilities,
 * plugin, problem } where `problem` names what is wrong, if anything.
 */
export function parseGreeting(p) {
  const r = new Reader(p);
  const out = { salt: null, capabilities: 0, plugin: '', problem: null };
  if (p[0] === 0xff) {
    out.problem = 'ERR instead of greeting';
    out.err = true;
    return out;
  }
  if (r.u8() !== 10) return { ...out, problem: 'protocol version is not 10' };
  const version = r.nul().toString('latin1');
  if (!/^\d+\.\d+\.\d+/.test(version)) return { ...out, problem: `odd version '${version}'` };
  r.u32();
  const salt1 = r.bytes(8);
  if (r.u8() !== 0) out.problem = 'filler after salt part 1 is not 0';
  const capLo = r.u16();
  r.u8();
  r.u16();
  const capHi = r.u16();
  const authLen = r.u8();
  const reserved = r.bytes(10);
  if (reserved.some((b) => b !== 0)) out.problem = 'reserved bytes are not zero';
  const salt2 = r.bytes(Math.max(13, authLen - 8) - 1);
  if (r.u8() !== 0) out.problem = 'salt part 2 is not NUL-terminated';
  const plugin = r.nul().toString('latin1');
  if (!r.ok) return { ...out, problem: 'greeting truncated' };
  if (r.remaining !== 0) out.problem = 'bytes after the plugin name';
  out.salt = Buffer.concat([salt1, salt2]);
  if (out.salt.length !== 20) out.problem = `salt of ${out.salt.length} bytes`;
  if (out.salt.some((b) => b === 0 || b > 127 || b === 0x24))
    out.problem = 'salt byte out of range';
  out.capabilities = (capLo | (capHi << 16)) >>> 0;
  if (!(out.capabilities & CLIENT.PROTOCOL_41)) out.problem = 'PROTOCOL_41 not advertised';
  out.plugin = plugin;
  return out;
}

/** Options of a HandshakeResponse41; every field may be a lie on purpose. */
export function buildLogin(o = {}) {
  const caps = (o.caps ?? 0) >>> 0;
  const head = Buffer.alloc(32);
  head.writeUInt32LE(caps, 0);
  head.writeUInt32LE((o.maxPacket ?? 16 * 1024 * 1024) >>> 0, 4);
  head[8] = o.charset ?? 45;
  if (o.filler) Buffer.from(o.filler).copy(head, 9, 0, 23);
  if (o.sslOnly) return head;
  const parts = [head, nul(o.user ?? USER)];
  const auth = o.auth ?? SCRAMBLE_PLACEHOLDER;
  if (o.authStyle === 'lenenc' || (!o.authStyle && caps & CLIENT.PLUGIN_AUTH_LENENC_CLIENT_DATA)) {
    parts.push(lenencBytes(auth));
  } else if (o.authStyle === 'u8' || (!o.authStyle && caps & CLIENT.SECURE_CONNECTION)) {
    parts.push(Buffer.from([auth.length & 0xff]), auth);
  } else {
    parts.push(auth, Buffer.from([0]));
  }
  if (o.database !== undefined) parts.push(nul(o.database));
  if (o.plugin !== undefined) parts.push(nul(o.plugin));
  if (o.attrs) {
    const kv = [];
    for (const [k, v] of o.attrs) kv.push(lenencBytes(Buffer.from(k)), lenencBytes(Buffer.from(v)));
    parts.push(lenencBytes(Buffer.concat(kv)));
  }
  if (o.tail) parts.push(o.tail);
  return Buffer.concat(parts);
}

/** A pre-4.1 login (no PROTOCOL_41): 2-byte caps, 3-byte max packet, user, scramble. */
export function buildOldLogin(caps = CLIENT.LONG_PASSWORD | CLIENT.LONG_FLAG) {
  const head = Buffer.alloc(5);
  head.writeUInt16LE(caps & 0xffff, 0);
  head.writeUIntLE(0xffffff, 2, 3);
  return Buffer.concat([head, nul(USER), Buffer.from('ABCDEFGH')]);
}

export class TimeoutError extends Error {}

const READ_HIGH_WATER = 8 * 1024 * 1024;

/**
 * A client socket that hands out whole packets. Keeps received chunks in a
 * list so that big replies are not copied more than once.
 */
export class FuzzConn {
  constructor(socket) {
    this.raw = socket;
    this.chunks = [];
    this.head = 0;
    this.buffered = 0;
    this.closed = false;
    this.reset = false;
    this.received = 0;
    this.waiter = null;
    this.paused = false;
    this.secure = false;
    /** Resolves when the connection is closed (by either side). */
    this.closedPromise = new Promise((resolve) => (this.onClosed = resolve));
    this.attach(socket);
  }

  /** Reads from `socket` (the raw one, or the TLS one over it). */
  attach(socket) {
    this.socket = socket;
    this.handlers = {
      data: (d) => {
        this.chunks.push(d);
        this.buffered += d.length;
        this.received += d.length;
        // Do not let a huge reply pile up here faster than it is checked.
        if (this.buffered > READ_HIGH_WATER && !this.paused) {
          this.paused = true;
          socket.pause();
        }
        this.wake();
      },
      end: () => {
        this.closed = true;
        this.onClosed();
        this.wake();
      },
      close: () => {
        this.closed = true;
        this.onClosed();
        this.wake();
      },
      error: (e) => {
        if (e.code === 'ECONNRESET') this.reset = true;
        this.closed = true;
        this.onClosed();
        this.wake();
      },
    };
    for (const [event, fn] of Object.entries(this.handlers)) socket.on(event, fn);
  }

  detach() {
    for (const [event, fn] of Object.entries(this.handlers)) this.socket.off(event, fn);
  }

  /**
   * Runs a TLS client handshake over the connection (after an SSLRequest)
   * and reads from the TLS socket from then on. Resolves null, or what went
   * wrong. Bytes the server sent before the handshake are a problem: it
   * must answer an SSLRequest with nothing.
   */
  startTls(timeoutMs = 5000) {
    if (this.buffered > 0) {
      return Promise.resolve(
        `the server sent ${this.buffered} bytes after the SSLRequest: ${this.take(Math.min(this.buffered, 24)).toString('hex')}`,
      );
    }
    if (this.closed) return Promise.resolve('closed before the TLS handshake');
    const raw = this.socket;
    this.detach();
    raw.on('error', () => undefined);
    return new Promise((resolve) => {
      const secure = tlsConnect({ socket: raw, rejectUnauthorized: false });
      secure.on('error', () => undefined);
      let settled = false;
      const done = (problem) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (problem) {
          this.closed = true;
          this.onClosed();
          secure.destroy();
          raw.destroy();
          this.attach(secure);
        } else {
          this.secure = true;
          this.attach(secure);
        }
        resolve(problem);
      };
      const timer = setTimeout(() => done(`no TLS handshake within ${timeoutMs} ms`), timeoutMs);
      secure.once('secureConnect', () => done(null));
      secure.once('error', (e) => done(`TLS handshake failed: ${e.code ?? e.message}`));
      secure.once('close', () => done('closed during the TLS handshake'));
    });
  }

  /** Waits `ms` for bytes to arrive (or the peer to close); true when none came. */
  async quiet(ms) {
    if (this.buffered > 0) return false;
    const before = this.received;
    if (this.paused && !this.stalled) {
      this.paused = false;
      this.socket.resume();
    }
    await new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.waiter = () => {
        clearTimeout(t);
        resolve();
      };
    });
    return this.received === before;
  }

  /** Waits up to `ms` for the server to close; returns { closed, bytes } with what it sent meanwhile. */
  async untilClose(ms) {
    const deadline = Date.now() + ms;
    if (this.paused) {
      this.paused = false;
      this.socket.resume();
    }
    while (!this.closed && Date.now() < deadline) {
      await new Promise((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
    const bytes = this.buffered > 0 ? this.take(this.buffered) : Buffer.alloc(0);
    return { closed: this.closed, bytes };
  }

  static open(port, host = '127.0.0.1', timeoutMs = 5000, localAddress = undefined) {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host, noDelay: true, localAddress });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new TimeoutError('connect timed out'));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new FuzzConn(socket));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  wake() {
    const w = this.waiter;
    this.waiter = null;
    if (w) w();
  }

  /** Waits until `n` bytes are buffered, the peer closed, or `ms` passed without new bytes. */
  async fill(n, ms) {
    if (this.paused && this.buffered < n) {
      this.paused = false;
      this.socket.resume();
    }
    while (this.buffered < n) {
      if (this.closed) return false;
      const before = this.received;
      await new Promise((resolve) => {
        const t = setTimeout(resolve, ms);
        this.waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
      if (this.received === before && !this.closed && this.buffered < n) {
        throw new TimeoutError(`no data for ${ms} ms`);
      }
    }
    return true;
  }

  take(n) {
    if (this.paused && this.buffered - n < READ_HIGH_WATER / 4) {
      this.paused = false;
      if (!this.stalled) this.socket.resume();
    }
    if (n === 0) return Buffer.alloc(0);
    const first = this.chunks[0];
    if (first.length - this.head >= n) {
      const out = first.subarray(this.head, this.head + n);
      this.head += n;
      this.buffered -= n;
      if (this.head === first.length) {
        this.chunks.shift();
        this.head = 0;
      }
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let w = 0;
    while (w < n) {
      const c = this.chunks[0];
      const k = Math.min(c.length - this.head, n - w);
      c.copy(out, w, this.head, this.head + k);
      w += k;
      this.head += k;
      if (this.head === c.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    this.buffered -= n;
    return out;
  }

  /**
   * Next logical packet { seq (first chunk), lastSeq, payload, chunkSeqs }, or null
   * when the server closed first. Throws TimeoutError after `ms` of silence, and
   * reports `partial` when the close cut a packet short.
   */
  async readPacket(ms = 5000) {
    const parts = [];
    let seq = -1;
    let lastSeq = -1;
    const gaps = [];
    for (;;) {
      if (!(await this.fill(4, ms))) return this.endOfStream(parts);
      const h = this.take(4);
      const len = h[0] | (h[1] << 8) | (h[2] << 16);
      const s = h[3];
      if (seq < 0) seq = s;
      else if (s !== ((lastSeq + 1) & 0xff)) gaps.push([lastSeq, s]);
      lastSeq = s;
      if (!(await this.fill(len, ms))) return { partial: true, seq, lastSeq };
      parts.push(this.take(len));
      if (len < MAX_CHUNK) break;
    }
    const payload = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    return { seq, lastSeq, payload, gaps };
  }

  endOfStream(parts) {
    if (parts.length > 0 || this.buffered > 0) return { partial: true, seq: -1, lastSeq: -1 };
    return null;
  }

  /** True when the server has closed and nothing is left to read. */
  async expectClose(ms = 5000) {
    const p = await this.readPacket(ms);
    return p;
  }

  write(buf) {
    if (this.closed) return false;
    try {
      return this.socket.write(buf);
    } catch {
      return false;
    }
  }

  /** Writes `buf` in pieces at `cuts` (ascending offsets) with `pauses` ms between them. */
  async writeSliced(buf, cuts, pauses) {
    let prev = 0;
    for (let i = 0; i <= cuts.length; i++) {
      const end = i < cuts.length ? cuts[i] : buf.length;
      if (end > prev) this.write(buf.subarray(prev, end));
      prev = end;
      if (i < cuts.length && pauses[i] > 0) await delay(pauses[i]);
    }
  }

  /** Stops reading for `ms` (a slow client): the server must hold its replies, not drop them. */
  async stall(ms) {
    this.stalled = true;
    this.socket.pause();
    await delay(ms);
    this.stalled = false;
    if (!this.paused) this.socket.resume();
  }

  close() {
    this.closed = true;
    this.onClosed();
    this.socket.destroy();
    this.raw.destroy();
  }
}

// ---- what a client claims ---------------------------------------------------------

/** True for a payload that is an SSLRequest: the 32-byte login prefix alone, with CLIENT_SSL and 4.1. */
export function isSslRequest(payload) {
  return (
    payload.length === 32 &&
    (payload.readUInt32LE(0) & CLIENT.SSL) !== 0 &&
    (payload.readUInt32LE(0) & CLIENT.PROTOCOL_41) !== 0
  );
}

/**
 * The user and plugin a HandshakeResponse41 claims, read as the protocol
 * describes it (fields after the user optional, a missing NUL ends the
 * field at the end of the packet); null when it is not one.
 */
export function loginClaim(payload) {
  if (payload.length < 33) return null;
  const caps = payload.readUInt32LE(0);
  if (!(caps & CLIENT.PROTOCOL_41)) return null;
  const r = new Reader(payload, 32);
  const end = payload.indexOf(0, 32);
  const user = payload.toString('utf8', 32, end < 0 ? payload.length : end);
  r.off = end < 0 ? payload.length : end + 1;
  let plugin = null;
  if (r.remaining > 0) {
    if (caps & CLIENT.PLUGIN_AUTH_LENENC_CLIENT_DATA) r.lenencBytes();
    else if (caps & CLIENT.SECURE_CONNECTION) r.bytes(r.u8());
    else r.nul();
    if (r.ok && caps & CLIENT.CONNECT_WITH_DB && r.remaining > 0) r.nul();
    if (r.ok && caps & CLIENT.PLUGIN_AUTH && r.remaining > 0) {
      const e = payload.indexOf(0, r.off);
      plugin = payload.toString('utf8', r.off, e < 0 ? payload.length : e);
    }
  }
  return { user, plugin, caps };
}

/** The user a COM_CHANGE_USER (command byte included) names. */
export function changeUserClaim(payload) {
  const end = payload.indexOf(0, 1);
  return { user: payload.toString('utf8', 1, end < 0 ? payload.length : end) };
}

/** Cuts a user name to MySQL's 32 characters, as the server looks it up. */
export function clipUser(name) {
  const chars = Array.from(name);
  return chars.length <= 32 ? name : chars.slice(0, 32).join('');
}

/** Frames of a stream, as far as its headers allow: [{ seq, payload, start, end }]. */
export function framesOf(stream) {
  const out = [];
  let off = 0;
  while (stream.length - off >= 4) {
    const len = stream.readUIntLE(off, 3);
    if (stream.length - off - 4 < len) break;
    out.push({
      seq: stream[off + 3],
      payload: stream.subarray(off + 4, off + 4 + len),
      start: off,
      end: off + 4 + len,
    });
    off += 4 + len;
  }
  return out;
}

/** A short hash of an input without its `expect` directives: what an expectation is bound to. */
function inputHash(stream) {
  return createHash('sha1').update(withoutExpectation(stream)).digest('hex').slice(0, 12);
}

/**
 * Appends an `expect` directive bound to this very input (`expect:VALUE@HASH`):
 * `value` is `ok`, `refused`, an error code, or `PLAIN/TLS` of those.
 */
export function withExpectation(stream, value) {
  return Buffer.concat([stream, frame(0, directive('expect', `${value}@${inputHash(stream)}`))]);
}

/**
 * The `expect` directive of an input: { plain, tls } (strings, or numbers for
 * error codes), or null. Only for the input it was made for: any change to
 * the rest of the bytes (a mutation, a splice of another input's tail, the
 * minimizer's cuts) voids it.
 */
export function expectationOf(stream) {
  for (const f of framesOf(stream)) {
    const sp = specialOf(f.payload);
    if (sp?.name !== 'expect' || !sp.arg) continue;
    const [value, hash] = sp.arg.split('@');
    if (hash !== inputHash(stream)) return null;
    const [plain, tls = plain] = value
      .split('/')
      .map((v) => (/^\d+$/.test(v) ? Number(v) : v || null));
    return { plain, tls };
  }
  return null;
}

/** The stream without its `expect` directives (a mutated input expects nothing). */
export function withoutExpectation(stream) {
  const frames = framesOf(stream);
  const drop = frames.filter((f) => specialOf(f.payload)?.name === 'expect');
  if (drop.length === 0) return stream;
  const parts = [];
  let off = 0;
  for (const f of drop) {
    parts.push(stream.subarray(off, f.start));
    off = f.end;
  }
  parts.push(stream.subarray(off));
  return Buffer.concat(parts);
}
