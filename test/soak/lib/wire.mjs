// A byte-level MySQL client for the soak: login with mysql_native_password
// or caching_sha2_password (fast path; full path with the server's RSA key,
// or in clear over TLS), optionally over TLS (SSLRequest, then Node's tls on
// the same socket), answering an AuthSwitchRequest, with multi-statements
// or not; any number of COM_QUERY packets (one statement or several)
// written in one go (pipelining), and a streaming reply parser that
// checks every packet's sequence id and keeps only what the checks need
// (column names, row count, first and last row, whether column 1 counts
// 1..n), so a 200 000-row reply costs no memory. Every login also counts
// what it made the server check (AUTH_WORK), to reconcile with the server's
// own counters. Written independently of the server's code.
import { constants as cryptoConstants, createHash, publicEncrypt } from 'node:crypto';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export const CLIENT = {
  LONG_PASSWORD: 0x1,
  PROTOCOL_41: 0x200,
  SSL: 0x800,
  TRANSACTIONS: 0x2000,
  SECURE_CONNECTION: 0x8000,
  MULTI_STATEMENTS: 0x10000,
  MULTI_RESULTS: 0x20000,
  PLUGIN_AUTH: 0x80000,
  DEPRECATE_EOF: 0x1000000,
};
const BASE_CAPS =
  CLIENT.LONG_PASSWORD |
  CLIENT.PROTOCOL_41 |
  CLIENT.TRANSACTIONS |
  CLIENT.SECURE_CONNECTION |
  CLIENT.MULTI_RESULTS |
  CLIENT.PLUGIN_AUTH;
const MORE_RESULTS_EXISTS = 0x0008;
const MAX_FRAME = 0xffffff;

export function frame(seq, payload) {
  const head = Buffer.alloc(4);
  head.writeUIntLE(payload.length, 0, 3);
  head[3] = seq & 0xff;
  return Buffer.concat([head, payload]);
}

export const queryPacket = (sql) =>
  frame(0, Buffer.concat([Buffer.from([0x03]), Buffer.from(sql)]));
export const STATISTICS_PACKET = frame(0, Buffer.from([0x09]));
/** COM_SET_OPTION(MYSQL_OPTION_MULTI_STATEMENTS_ON): answered with an EOF (an OK-shaped 0xFE with DEPRECATE_EOF). */
export const MULTI_STATEMENTS_ON_PACKET = frame(0, Buffer.from([0x1b, 0x00, 0x00]));
export const QUIT_PACKET = frame(0, Buffer.from([0x01]));

const sha1 = (...parts) => {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
};

function scramble(password, salt) {
  if (!password) return Buffer.alloc(0);
  const s1 = sha1(Buffer.from(password));
  const s3 = sha1(salt, sha1(s1));
  return Buffer.from(s1.map((b, i) => b ^ s3[i]));
}

const sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** caching_sha2_password's scramble: SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) || salt). */
function sha2Scramble(password, salt) {
  if (!password) return Buffer.alloc(0);
  const s1 = sha256(Buffer.from(password));
  const mask = sha256(sha256(s1), salt);
  return Buffer.from(s1.map((b, i) => b ^ mask[i]));
}

/** The password for caching_sha2_password's full path without TLS: RSA-OAEP(SHA-1) of (pw NUL) XOR salt. */
function rsaPassword(pem, password, salt) {
  const plain = Buffer.from(`${password}\0`);
  for (let i = 0; i < plain.length; i++) plain[i] ^= salt[i % salt.length];
  return publicEncrypt(
    { key: pem, padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    plain,
  );
}

const tokenFor = (plugin, password, salt) =>
  plugin === 'caching_sha2_password' ? sha2Scramble(password, salt) : scramble(password, salt);

/**
 * What the raw clients' logins made the server check, as the server counts
 * it (ServerStats.auth): a native scramble, a fast-path scramble, a
 * full-path password, an RSA decryption. Only logins that ended in OK add.
 */
export const AUTH_WORK = { nativeChecks: 0, fastChecks: 0, fullChecks: 0, rsaDecrypts: 0 };
/**
 * What logins cut off by the harness itself (at its deadline, or a login
 * timeout) may have made the server check, and how many such logins the
 * server may have completed: the server's counters may exceed the clients'
 * by up to this much.
 */
export const AUTH_UNCERTAIN = {
  nativeChecks: 0,
  fastChecks: 0,
  fullChecks: 0,
  rsaDecrypts: 0,
  logins: 0,
};
/** Raw logins by how they went: 'native', 'fast', 'full-rsa', 'full-tls', with '+switch' when switched. */
export const LOGIN_PATHS = {};

function greetingSalt(g) {
  const p = g.indexOf(0, 1) + 1 + 4;
  const part2 = p + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10;
  return Buffer.concat([g.subarray(p, p + 8), g.subarray(part2, part2 + 12)]);
}

function loginHead(caps) {
  const head = Buffer.alloc(32);
  head.writeUInt32LE(caps >>> 0, 0);
  head.writeUInt32LE(16 * 1024 * 1024, 4);
  head[8] = 45;
  return head;
}

function loginPacket(user, auth, caps, plugin = 'mysql_native_password', seq = 1) {
  return frame(
    seq,
    Buffer.concat([
      loginHead(caps),
      Buffer.from(user + '\0'),
      Buffer.from([auth.length]),
      auth,
      Buffer.from(`${plugin}\0`),
    ]),
  );
}

/** Length-encoded integer at `pos`: [value, next position]; value null for 0xFB (NULL). */
function lenenc(buf, pos) {
  const b = buf[pos];
  if (b === undefined) throw new Error('truncated length-encoded integer');
  if (b < 0xfb) return [b, pos + 1];
  if (b === 0xfb) return [null, pos + 1];
  if (b === 0xfc) return [buf.readUInt16LE(pos + 1), pos + 3];
  if (b === 0xfd) return [buf.readUIntLE(pos + 1, 3), pos + 4];
  if (b === 0xfe) return [Number(buf.readBigUInt64LE(pos + 1)), pos + 9];
  throw new Error(`bad length-encoded integer 0x${b.toString(16)}`);
}

function lenencString(buf, pos) {
  const [len, p] = lenenc(buf, pos);
  if (len === null) return [null, p];
  if (p + len > buf.length) throw new Error('truncated length-encoded string');
  return [buf.toString('utf8', p, p + len), p + len];
}

export function parseRow(p) {
  const cells = [];
  let pos = 0;
  while (pos < p.length) {
    let cell;
    [cell, pos] = lenencString(p, pos);
    cells.push(cell);
  }
  return cells;
}

function parseOk(p) {
  let pos = 1;
  let affectedRows;
  let insertId;
  [affectedRows, pos] = lenenc(p, pos);
  [insertId, pos] = lenenc(p, pos);
  if (pos + 4 > p.length) throw new Error('truncated OK packet');
  return { affectedRows, insertId, status: p.readUInt16LE(pos), warnings: p.readUInt16LE(pos + 2) };
}

export function parseErr(p) {
  const code = p.readUInt16LE(1);
  if (p[3] === 0x23)
    return { code, sqlState: p.toString('latin1', 4, 9), message: p.toString('utf8', 9) };
  return { code, sqlState: '', message: p.toString('utf8', 3) };
}

/**
 * The reply to one command, fed packet by packet. `raw` mode takes one
 * packet as it is (COM_STATISTICS); `raw === 'eof'` one EOF (COM_SET_OPTION).
 * After `done`, exactly one of `ok`, `err`, `malformed` tells how it ended
 * (ok may follow result sets). `units` lists the result sets and OKs in
 * order, each with its status flags: a multi-statement query's reply is
 * one statement's after another, each but the last flagged
 * MORE_RESULTS_EXISTS on its final OK or EOF.
 */
export class ReplyParser {
  constructor(deprecateEof, raw = false) {
    this.deprecateEof = deprecateEof;
    this.state = raw ? 'raw' : 'start';
    this.nextSeq = 1;
    this.seqError = null;
    this.packets = 0;
    this.done = false;
    this.resultSets = [];
    this.ok = null;
    this.err = null;
    this.malformed = null;
    this.raw = null;
    this.cur = null;
    this.units = [];
    this.rawMode = raw;
  }

  /** Sequence id of a frame; a gap is recorded once. */
  seq(seq) {
    if (seq !== (this.nextSeq & 0xff) && this.seqError === null)
      this.seqError = `packet ${this.packets + 1} has sequence id ${seq}, expected ${this.nextSeq & 0xff}`;
    this.nextSeq = seq + 1;
  }

  /** One whole packet; returns true when the reply is complete. */
  feed(payload) {
    this.packets++;
    try {
      this.step(payload);
    } catch (error) {
      this.malformed = `packet ${this.packets}: ${error.message}`;
      this.done = true;
    }
    return this.done;
  }

  step(p) {
    switch (this.state) {
      case 'raw':
        if (this.rawMode === 'eof') {
          if (p[0] === 0xff) this.err = parseErr(p);
          else if (p[0] === 0xfe && (p.length === 5 || (this.deprecateEof && p.length >= 7)))
            this.ok = this.deprecateEof ? parseOk(p) : { status: p.readUInt16LE(3) };
          else throw new Error(`expected EOF, got 0x${p[0].toString(16)}`);
        } else this.raw = p.toString('utf8');
        this.done = true;
        return;
      case 'start': {
        if (p.length === 0) throw new Error('empty packet');
        if (p[0] === 0x00) {
          this.ok = parseOk(p);
          this.units.push({ k: 'ok', ok: this.ok });
          if (!(this.ok.status & MORE_RESULTS_EXISTS)) this.done = true;
          return;
        }
        if (p[0] === 0xff) {
          this.err = parseErr(p);
          this.done = true;
          return;
        }
        if (p[0] === 0xfe || p[0] === 0xfb)
          throw new Error(`unexpected 0x${p[0].toString(16)} at reply start`);
        const [count] = lenenc(p, 0);
        if (!count) throw new Error('column count 0');
        this.cur = { columns: [], rows: 0, first: null, lastPayload: null, countsUp: true };
        this.colsLeft = count;
        this.state = 'cols';
        return;
      }
      case 'cols': {
        let pos = 0;
        let name;
        for (let i = 0; i < 4; i++) [, pos] = lenencString(p, pos); // catalog, schema, table, org_table
        [name, pos] = lenencString(p, pos);
        this.cur.columns.push(name);
        if (--this.colsLeft === 0) this.state = this.deprecateEof ? 'rows' : 'colsEof';
        return;
      }
      case 'colsEof':
        if (p[0] !== 0xfe || p.length >= 9) throw new Error('no EOF after the column definitions');
        this.state = 'rows';
        return;
      case 'rows': {
        if (p[0] === 0xfe && p.length < (this.deprecateEof ? MAX_FRAME : 9)) {
          const status = this.deprecateEof ? parseOk(p).status : p.readUInt16LE(3);
          const set = this.cur;
          set.last = set.lastPayload ? parseRow(set.lastPayload) : null;
          set.lastPayload = null;
          set.status = status;
          this.resultSets.push(set);
          this.units.push({ k: 'set', set });
          this.cur = null;
          if (status & MORE_RESULTS_EXISTS) this.state = 'start';
          else this.done = true;
          return;
        }
        if (p[0] === 0xff) {
          this.err = parseErr(p);
          this.err.midResultSet = true;
          this.done = true;
          return;
        }
        const set = this.cur;
        set.rows++;
        if (set.countsUp) {
          const [id] = lenencString(p, 0);
          if (id !== String(set.rows)) set.countsUp = false;
        }
        if (set.rows === 1) set.first = parseRow(p);
        set.lastPayload = p;
        return;
      }
      default:
        throw new Error(`packet after the end of the reply`);
    }
  }
}

/**
 * One raw connection. Replies are matched to commands strictly in order:
 * packets go to the oldest command still waiting, so a reply out of place
 * shows up as a wrong answer to the command it was taken for.
 */
export class WireConn {
  constructor(socket) {
    this.socket = socket;
    /** The TCP socket (this.socket is the TLS one over it after startTls). */
    this.raw = socket;
    this.leftover = null;
    this.partial = null;
    this.pending = [];
    this.early = [];
    this.earlyWaiter = null;
    this.closed = false;
    this.destroyedByUs = false;
    this.timedOut = false;
    this.bytesIn = 0;
    /** Called with the byte count of every chunk read (abrupt clients count bytes). */
    this.onChunk = null;
    this.unsolicited = 0;
    this.deprecateEof = false;
    this.idleTimer = null;
    this.idleMs = 20000;
    this.lastDataAt = Date.now();
    this.maxSilence = 0;
    /** Called with each gap between bytes while a command waits: (ms, SQL of the oldest one). */
    this.onSilence = null;
    this.closedPromise = new Promise((resolve) => socket.once('close', resolve));
    this.onDataBound = (chunk) => this.onData(chunk);
    socket.on('data', this.onDataBound);
    socket.on('error', (error) => {
      this.lastError = error.code ?? error.message;
    });
    socket.once('close', () => this.onClose());
    this.secure = false;
  }

  /** After an SSLRequest: TLS over the same socket; reads and writes go through it from now on. */
  startTls(timeoutMs) {
    const raw = this.socket;
    raw.off('data', this.onDataBound);
    return new Promise((resolve, reject) => {
      const secure = tlsConnect({ socket: raw, rejectUnauthorized: false });
      const timer = setTimeout(() => {
        secure.destroy();
        reject(Object.assign(new Error('TLS handshake timed out'), { code: 'TLS_TIMEOUT' }));
      }, timeoutMs);
      secure.on('error', (error) => {
        this.lastError = error.code ?? error.message;
        clearTimeout(timer);
        reject(Object.assign(new Error(`TLS: ${error.message}`), { code: error.code ?? 'TLS' }));
      });
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        secure.on('data', this.onDataBound);
        this.socket = secure;
        this.secure = true;
        resolve();
      });
    });
  }

  /**
   * Connects and logs in; throws (with .code) when that fails. `plugin`: the
   * one the login packet offers; `tls`: SSLRequest and TLS first. The
   * server may switch plugins (AuthSwitchRequest) or ask for the full path.
   */
  static async open(
    port,
    {
      user = 'testuser',
      password = 'testpass',
      deprecateEof = false,
      timeoutMs = 15000,
      signal = undefined,
      plugin = 'mysql_native_password',
      tls = false,
      multiStatements = false,
    } = {},
  ) {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    const conn = new WireConn(socket);
    const timer = setTimeout(() => {
      conn.loginTimedOut = true;
      conn.socket.destroy();
    }, timeoutMs);
    // The harness gives up connecting at its deadline: not a failed login.
    const onAbort = () => {
      conn.loginAborted = true;
      conn.socket.destroy();
    };
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort);
    let work = null;
    let pending = null;
    try {
      const greeting = await conn.nextEarly();
      if (greeting.payload[0] !== 0x0a)
        throw Object.assign(new Error('no greeting'), { code: 'NO_GREETING' });
      let caps =
        BASE_CAPS |
        (deprecateEof ? CLIENT.DEPRECATE_EOF : 0) |
        (multiStatements ? CLIENT.MULTI_STATEMENTS : 0);
      conn.deprecateEof = deprecateEof;
      let salt = greetingSalt(greeting.payload);
      let seq = 1;
      if (tls) {
        caps |= CLIENT.SSL;
        conn.socket.write(frame(seq++, loginHead(caps)));
        await conn.startTls(timeoutMs);
      }
      conn.socket.write(loginPacket(user, tokenFor(plugin, password, salt), caps, plugin, seq));
      work = { nativeChecks: 0, fastChecks: 0, fullChecks: 0, rsaDecrypts: 0 };
      // What the packet just sent makes the server check (a scramble a switch discards is not checked).
      pending = password
        ? plugin === 'caching_sha2_password'
          ? 'fastChecks'
          : 'nativeChecks'
        : null;
      let path = plugin === 'caching_sha2_password' ? 'fast' : 'native';
      let switched = false;
      for (let expect = seq + 1; ;) {
        const reply = await conn.nextEarly();
        const p = reply.payload;
        if (reply.seq !== (expect & 0xff))
          throw Object.assign(new Error(`login: sequence id ${reply.seq}, expected ${expect}`), {
            code: 'LOGIN_PROTOCOL',
          });
        expect = reply.seq + 2;
        const send = (payload) => conn.socket.write(frame(reply.seq + 1, payload));
        if (p[0] === 0xff) {
          const e = parseErr(p);
          throw Object.assign(new Error(`login refused: ${e.code} ${e.message}`), {
            code: `ERR_${e.code}`,
          });
        }
        if (p[0] === 0x00) {
          if (pending) work[pending]++;
          break;
        }
        if (p[0] === 0xfe && !switched) {
          // AuthSwitchRequest: the plugin's name, then its salt (20 bytes and a NUL).
          switched = true;
          const end = p.indexOf(0, 1);
          const name = p.toString('latin1', 1, end);
          salt = p.subarray(end + 1, end + 21);
          path = name === 'caching_sha2_password' ? 'fast' : 'native';
          pending = password ? (path === 'fast' ? 'fastChecks' : 'nativeChecks') : null;
          send(tokenFor(name, password, salt));
          continue;
        }
        if (p[0] === 0x01 && p.length === 2 && p[1] === 0x03) {
          // Fast path: the OK follows.
          expect = reply.seq + 1;
          continue;
        }
        if (p[0] === 0x01 && p.length === 2 && p[1] === 0x04) {
          // Full path: the fast-path scramble was checked and did not do.
          if (pending) work[pending]++;
          if (conn.secure) {
            path = 'full-tls';
            pending = 'fullChecks';
            send(Buffer.from(`${password}\0`));
          } else {
            path = 'full-rsa';
            pending = null;
            send(Buffer.from([2]));
          }
          continue;
        }
        if (p[0] === 0x01 && p[1] === 0x2d) {
          work.rsaDecrypts++;
          pending = 'fullChecks';
          send(rsaPassword(p.subarray(1), password, salt));
          continue;
        }
        throw Object.assign(
          new Error(`login: unexpected packet ${p.subarray(0, 16).toString('hex')}`),
          { code: 'LOGIN_PROTOCOL' },
        );
      }
      for (const [k, v] of Object.entries(work)) AUTH_WORK[k] += v;
      const key = `${path}${switched ? '+switch' : ''}${conn.secure ? ' (TLS)' : ''}`;
      LOGIN_PATHS[key] = (LOGIN_PATHS[key] ?? 0) + 1;
      conn.loginPath = path;
      conn.loggedIn = true;
      return conn;
    } catch (error) {
      conn.socket.destroy();
      if ((conn.loginAborted || conn.loginTimedOut) && work) {
        // Cut off by the harness after the login was sent: the server may have gone on.
        for (const [k, v] of Object.entries(work)) AUTH_UNCERTAIN[k] += v;
        if (pending) AUTH_UNCERTAIN[pending]++;
        if (pending === 'fastChecks' || pending === 'nativeChecks') {
          // A full path may have followed (the server answers 01 04; no further packet came).
        }
        AUTH_UNCERTAIN.logins++;
      }
      if (conn.loginAborted)
        throw Object.assign(new Error('gave up connecting'), { code: 'ABANDONED' });
      if (conn.loginTimedOut)
        throw Object.assign(new Error('login timed out'), { code: 'LOGIN_TIMEOUT' });
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * A client that gives up during login: it closes (FIN, or RST when
   * `reset`) right after connecting, after the greeting, or right after
   * sending a valid login packet without waiting for the OK.
   */
  static async abandonLogin(port, when, reset, timeoutMs = 15000, signal = undefined) {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    const conn = new WireConn(socket);
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    const onAbort = () => socket.destroy();
    signal?.addEventListener('abort', onAbort);
    try {
      if (when === 'connect') await new Promise((resolve) => socket.once('connect', resolve));
      else {
        const greeting = await conn.nextEarly();
        if (when === 'login')
          socket.write(
            loginPacket(
              'testuser',
              scramble('testpass', greetingSalt(greeting.payload)),
              BASE_CAPS,
            ),
          );
      }
      return conn;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      conn.destroy(reset);
    }
  }

  nextEarly() {
    if (this.early.length) return Promise.resolve(this.early.shift());
    if (this.closed)
      return Promise.reject(
        Object.assign(new Error('closed during login'), { code: this.lastError ?? 'CLOSED' }),
      );
    return new Promise((resolve, reject) => {
      this.earlyWaiter = { resolve, reject };
    });
  }

  onData(chunk) {
    if (this.closed) return;
    this.bytesIn += chunk.length;
    const now = Date.now();
    // The longest the server kept a waiting command without a byte (our own
    // pauses excluded): a slow reply is not a lost one, but it is reported.
    if (this.pending.length > 0 && this.onSilence) {
      const gap = now - this.lastDataAt;
      if (gap > this.maxSilence) this.maxSilence = gap;
      this.onSilence(gap, this.pending[0].sql);
    }
    this.lastDataAt = now;
    if (this.onChunk) {
      this.onChunk(chunk.length);
      if (this.closed || this.socket.destroyed) return;
    }
    let buf = this.leftover ? Buffer.concat([this.leftover, chunk]) : chunk;
    let pos = 0;
    while (buf.length - pos >= 4) {
      const len = buf.readUIntLE(pos, 3);
      if (buf.length - pos - 4 < len) break;
      const seq = buf[pos + 3];
      const payload = buf.subarray(pos + 4, pos + 4 + len);
      pos += 4 + len;
      this.onFrame(seq, payload, len === MAX_FRAME);
      if (this.closed) return;
    }
    this.leftover = pos < buf.length ? buf.subarray(pos) : null;
    // Do not keep a large chunk alive for a few leftover bytes.
    if (this.leftover && this.leftover.length < 4096 && buf.length > 65536)
      this.leftover = Buffer.from(this.leftover);
  }

  onFrame(seq, payload, continued) {
    const head = this.pending[0];
    if (!this.loggedIn) {
      const item = { seq, payload };
      if (this.earlyWaiter) {
        const w = this.earlyWaiter;
        this.earlyWaiter = null;
        w.resolve(item);
      } else this.early.push(item);
      return;
    }
    if (!head) {
      this.unsolicited++;
      return;
    }
    head.parser.seq(seq);
    if (continued) {
      (this.partial ??= []).push(payload);
      return;
    }
    if (this.partial) {
      this.partial.push(payload);
      payload = Buffer.concat(this.partial);
      this.partial = null;
    }
    if (head.parser.feed(payload)) {
      this.pending.shift();
      head.resolve({ outcome: 'reply', parser: head.parser });
    }
  }

  onClose() {
    this.closed = true;
    if (this.earlyWaiter) {
      const w = this.earlyWaiter;
      this.earlyWaiter = null;
      w.reject(
        Object.assign(new Error('closed during login'), { code: this.lastError ?? 'CLOSED' }),
      );
    }
    const outcome = this.timedOut ? 'timeout' : this.destroyedByUs ? 'aborted' : 'closed';
    clearTimeout(this.idleTimer);
    this.idleTimer = null;
    for (const p of this.pending.splice(0)) {
      p.resolve({ outcome, parser: p.parser, error: this.lastError, detail: this.timeoutDetail });
    }
  }

  /**
   * Writes every packet in one socket write; returns one promise per
   * command, resolving to { outcome: 'reply'|'aborted'|'closed'|'timeout', parser }.
   * `idleMs` bounds silence, not the whole reply: while commands wait, the
   * connection times out when no byte has arrived for that long (a large
   * reply on a busy server may take long, but it keeps coming).
   */
  send(commands, idleMs) {
    const promises = commands.map(
      ({ raw, sql }) =>
        new Promise((resolve) => {
          this.pending.push({ parser: new ReplyParser(this.deprecateEof, raw), resolve, sql });
        }),
    );
    this.idleMs = idleMs;
    this.lastDataAt = Date.now();
    this.armIdle();
    if (this.closed) this.onClose();
    else
      this.socket.write(
        commands.length === 1 ? commands[0].packet : Buffer.concat(commands.map((c) => c.packet)),
      );
    return promises;
  }

  armIdle() {
    if (this.idleTimer) return;
    const check = () => {
      this.idleTimer = null;
      if (this.closed || this.pending.length === 0) return;
      // Our own pause is not the server's silence.
      const silentFor = this.socket.isPaused() ? 0 : Date.now() - this.lastDataAt;
      if (this.socket.isPaused()) this.lastDataAt = Date.now();
      if (silentFor >= this.idleMs) return this.timeout();
      this.idleTimer = setTimeout(check, Math.max(50, this.idleMs - silentFor));
    };
    this.idleTimer = setTimeout(check, this.idleMs);
  }

  /** What the oldest waiting reply has received so far (for reports of lost replies). */
  progress() {
    const head = this.pending[0];
    if (!head) return 'nothing pending';
    const p = head.parser;
    const rows = p.cur ? `, ${p.cur.rows} rows of the current result set` : '';
    return `${p.packets} packets${rows}; ${this.bytesIn} bytes on the connection; silent for ${Date.now() - this.lastDataAt} ms`;
  }

  /** Stops reading (the server's silence meanwhile is ours, not its). */
  pause() {
    this.socket.pause();
  }

  resume() {
    this.lastDataAt = Date.now();
    this.socket.resume();
  }

  timeout() {
    if (this.closed) return;
    this.timedOut = true;
    this.timeoutDetail = this.progress();
    this.socket.destroy();
  }

  /** Closes from our side; commands still waiting count as aborted, not lost. */
  destroy(reset = false) {
    if (this.closed) return this.closedPromise;
    this.destroyedByUs = true;
    // RST: on the TCP socket itself (a TLS socket has no handle of its own to reset).
    if (reset && typeof this.raw.resetAndDestroy === 'function') {
      try {
        this.raw.resetAndDestroy();
      } catch {
        this.raw.destroy();
      }
      this.socket.destroy();
    } else this.socket.destroy();
    return this.closedPromise;
  }

  /** COM_QUIT and wait for the server to close (bounded). */
  async quit(timeoutMs = 5000) {
    if (this.closed) return;
    this.destroyedByUs = true;
    this.socket.end(QUIT_PACKET);
    const timer = setTimeout(() => this.socket.destroy(), timeoutMs);
    await this.closedPromise;
    clearTimeout(timer);
  }
}
