/**
 * Wire-level helpers of the fuzz harness: framing, length-encoded
 * integers, the login helper and a byte-exact client socket. Written from
 * the protocol description (PROTOCOL.md), independently of lib/.
 */
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
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

/**
 * The auth response for `plugin` given the server's challenge. The one
 * place that knows auth plugins: caching_sha2_password goes here when the
 * server grows it.
 */
export function authResponse(plugin, salt, password = PASSWORD) {
  switch (plugin) {
    case 'mysql_native_password':
    case '':
      return nativeScramble(password, salt);
    default:
      return null;
  }
}

/** Replaces every placeholder in `bytes` by the scramble for `salt`. */
export function fillScramble(bytes, salt) {
  let at = bytes.indexOf(SCRAMBLE_PLACEHOLDER);
  if (at < 0) return bytes;
  const real = nativeScramble(PASSWORD, salt);
  const out = Buffer.from(bytes);
  while (at >= 0) {
    real.copy(out, at);
    at = out.indexOf(SCRAMBLE_PLACEHOLDER, at + 20);
  }
  return out;
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
    this.socket = socket;
    this.chunks = [];
    this.head = 0;
    this.buffered = 0;
    this.closed = false;
    this.reset = false;
    this.received = 0;
    this.waiter = null;
    this.paused = false;
    socket.on('data', (d) => {
      this.chunks.push(d);
      this.buffered += d.length;
      this.received += d.length;
      // Do not let a huge reply pile up here faster than it is checked.
      if (this.buffered > READ_HIGH_WATER && !this.paused) {
        this.paused = true;
        socket.pause();
      }
      this.wake();
    });
    socket.on('end', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', (e) => {
      if (e.code === 'ECONNRESET') this.reset = true;
      this.closed = true;
      this.wake();
    });
  }

  static open(port, host = '127.0.0.1', timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host, noDelay: true });
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
    this.socket.destroy();
  }
}
