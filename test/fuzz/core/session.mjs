/**
 * The conversation half of the oracle. A Session is one client connection;
 * `play()` sends one input (a byte stream of client packets), follows the
 * server through it packet by packet the way the server's own framer and
 * state machine must (SSLRequest and TLS, login, AuthSwitchRequest, the
 * caching_sha2_password exchange, commands one at a time in order,
 * COM_CHANGE_USER) and checks every reply. Then, unless the input
 * legitimately closed the connection, a COM_PING must get exactly one OK:
 * anything else means the server's state and the client's came apart.
 *
 * Login states, as the protocol has them (the model, not the server's code):
 *
 *   login       the server waits for HandshakeResponse41 (seq 1, or 2 after
 *               an SSLRequest) or an SSLRequest (32 bytes with CLIENT_SSL)
 *   tls-wait    an SSLRequest was accepted: nothing comes back; the next
 *               bytes are a TLS ClientHello (directive `tls`) or garbage
 *   auth-switch after an AuthSwitchRequest (0xFE): the client's answer
 *   auth-more   after AuthMoreData `01 04` (send the password) or `01`+PEM
 *   ready       logged in: commands
 *
 * When the input ends in the middle of a login, the harness answers as a
 * real client would (the right scramble, `02`, the RSA-encrypted password,
 * the password in clear over TLS). Every OK that ends a login is checked
 * against what was sent (the auth-bypass oracle): the account must exist
 * and admit 127.0.0.1, an account that REQUIRES SSL needs TLS, and unless
 * its password is empty a correct proof for that account and that login's
 * salt must have been sent during the login.
 */
import { FATAL_CODES, hexHead, ReplyReader, shapeOf, Violation } from './replies.mjs';
import { Rng } from './prng.mjs';
import {
  authResponse,
  buildLogin,
  changeUserClaim,
  clipUser,
  CLIENT,
  COM,
  command,
  directive,
  fillScramble,
  frame,
  FuzzConn,
  isSslRequest,
  loginClaim,
  markerPayload,
  MAX_CHUNK,
  nul,
  parseGreeting,
  PASSWORD,
  rsaPassword,
  SCRAMBLE_PLACEHOLDER,
  SHA2_PLACEHOLDER,
  specialOf,
  TimeoutError,
  usablePublicKey,
  USER,
} from './wire.mjs';

/** Mirrors the server's framer: logical packets, cap and order checked at each header. */
class FrameCursor {
  constructor(stream) {
    this.buf = stream;
    this.off = 0;
  }
  append(bytes) {
    this.buf = Buffer.concat([this.buf, bytes]);
  }
  /** No client packet left: at the end, or only directives (never sent) remain. */
  get atEnd() {
    let off = this.off;
    const buf = this.buf;
    while (off < buf.length) {
      if (buf.length - off < 4) return false;
      const len = buf.readUIntLE(off, 3);
      if (buf.length - off - 4 < len || len === MAX_CHUNK) return false;
      if (!specialOf(buf.subarray(off + 4, off + 4 + len))?.directive) return false;
      off += 4 + len;
    }
    return true;
  }
  /** The directive the next frame is, or null (without moving). */
  peekDirective() {
    const buf = this.buf;
    if (buf.length - this.off < 4) return null;
    const len = buf.readUIntLE(this.off, 3);
    if (buf.length - this.off - 4 < len || len === MAX_CHUNK) return null;
    const sp = specialOf(buf.subarray(this.off + 4, this.off + 4 + len));
    return sp?.directive ? { ...sp, end: this.off + 4 + len } : null;
  }
  next(cap) {
    const buf = this.buf;
    let off = this.off;
    if (off >= buf.length) return null;
    const start = off;
    const parts = [];
    let partsLength = 0;
    let firstSeq = -1;
    let lastSeq = -1;
    for (;;) {
      if (buf.length - off < 4) return { incomplete: true };
      const len = buf.readUIntLE(off, 3);
      const seq = buf[off + 3];
      if (firstSeq < 0 && len < MAX_CHUNK && buf.length - off - 4 >= len) {
        // Directives are the harness's, never sent: no cap, no sequence.
        const sp = specialOf(buf.subarray(off + 4, off + 4 + len));
        if (sp?.directive) {
          this.off = off + 4 + len;
          return { directive: sp.name, arg: sp.arg, start };
        }
      }
      if (partsLength + len > cap) return { tooLarge: true, seq };
      if (firstSeq >= 0 && seq !== ((lastSeq + 1) & 0xff)) return { outOfOrder: true, seq };
      if (buf.length - off - 4 < len) return { incomplete: true };
      parts.push(buf.subarray(off + 4, off + 4 + len));
      off += 4 + len;
      if (firstSeq < 0) firstSeq = seq;
      lastSeq = seq;
      if (len === MAX_CHUNK) {
        partsLength += len;
        continue;
      }
      this.off = off;
      const payload = parts.length === 1 ? parts[0] : Buffer.concat(parts);
      return { seq: firstSeq, lastSeq, payload, start };
    }
  }
}

/** How an input is put on the wire: slices with pauses, and whether the PING rides along. */
export function chaosPlan(chaos, length) {
  if (!chaos || length === 0) return { cuts: [], pauses: [], pipelinePing: false, stall: 0 };
  const rng = new Rng(chaos);
  const mode = rng.pick(['split', 'split', 'bytewise', 'pipeline', 'split+pipeline']);
  const cuts = new Set();
  if (mode.startsWith('split') && length > 1) {
    for (let n = rng.int(1, Math.min(8, length - 1)); n > 0; n--) cuts.add(rng.int(1, length - 1));
  } else if (mode === 'bytewise') {
    const step = Math.max(1, Math.ceil(length / 64));
    for (let i = step; i < length; i += step) cuts.add(i);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  // Mostly short pauses (a few ms: separate reads on the server), now and then a long one.
  let budget = rng.chance(0.05) ? 120 : 30;
  const pauses = sorted.map(() => {
    const ms = rng.chance(0.3) ? rng.int(1, 4) : rng.chance(0.03) ? rng.int(20, 100) : 0;
    const take = Math.min(ms, budget);
    budget -= take;
    return take;
  });
  // Now and then a client that stops reading for a while after sending.
  const stall = rng.chance(0.05) ? rng.int(20, 120) : 0;
  return { cuts: sorted, pauses, pipelinePing: mode.endsWith('pipeline'), stall };
}

/** Is `bytes` a run of whole TLS records (what a TLS server may send before it closes)? */
function tlsRecords(bytes) {
  let off = 0;
  while (off < bytes.length) {
    if (bytes.length - off < 5) return false;
    const type = bytes[off];
    if (type < 20 || type > 24 || bytes[off + 1] !== 3) return false;
    off += 5 + bytes.readUInt16BE(off + 3);
  }
  return off === bytes.length;
}

/**
 * The server's RSA public key (PEM), as a client gets it: `02` after a
 * failed fast path. Kept per server port; markers need it before the input
 * has asked for it.
 */
export async function fetchPublicKey(env) {
  if (env.publicKey && env.publicKeyPort === env.port) return env.publicKey;
  const s = await Session.open(env);
  try {
    const caps =
      CLIENT.LONG_PASSWORD | CLIENT.PROTOCOL_41 | CLIENT.SECURE_CONNECTION | CLIENT.PLUGIN_AUTH;
    const login = buildLogin({
      caps,
      user: 'nobody-fetching-the-key',
      auth: Buffer.alloc(32, 0x41),
      plugin: 'caching_sha2_password',
    });
    s.conn.write(Buffer.concat([frame(1, login), frame(3, Buffer.from([2]))]));
    const r = new ReplyReader(s.conn, { ...env, caps: 0, input: null });
    r.expect = 2;
    const more = await r.must('01 04');
    r.expect = 4;
    const pem = await r.must('the public key');
    if (more[0] !== 1 || more[1] !== 4 || pem[0] !== 1 || !usablePublicKey(pem.subarray(1))) {
      throw new Violation('spec', `no public key after 02: ${hexHead(more)} ${hexHead(pem)}`);
    }
    env.publicKey = Buffer.from(pem.subarray(1));
    env.publicKeyPort = env.port;
    return env.publicKey;
  } finally {
    s.close();
  }
}

export class Session {
  /**
   * env: { port, catalog, timeoutMs, maxReplyBytes, preAuthCap, maxPacket,
   * accounts, publicKey? }. Reads and checks the greeting.
   */
  static async open(env, { localAddress } = {}) {
    const s = new Session(env);
    s.conn = await FuzzConn.open(env.port, '127.0.0.1', env.timeoutMs, localAddress);
    const reader = new ReplyReader(s.conn, { ...env, caps: 0, input: null });
    let g;
    try {
      g = await reader.next();
    } catch (e) {
      s.conn.close();
      throw e instanceof Violation && e.cls === 'hang' ? new Violation('hang', 'no greeting') : e;
    }
    if (g === null) {
      throw new Violation('unexpected-close', 'connection closed before the greeting');
    }
    const greeting = parseGreeting(g);
    if (greeting.problem) {
      s.conn.close();
      const v = new Violation('greeting', `${greeting.problem}: ${hexHead(g)}`);
      // An ERR instead of the greeting (ERR 1129 from a blocked host): checked like any ERR.
      if (greeting.err) v.err = reader.checkErr(g);
      throw v;
    }
    env.sessions?.add(s);
    s.conn.closedPromise?.then(() => env.sessions?.delete(s));
    s.salt = greeting.salt;
    s.greetingSalt = greeting.salt;
    s.serverCaps = greeting.capabilities;
    s.plugin = greeting.plugin;
    s.greetingPlugin = greeting.plugin;
    return s;
  }

  constructor(env) {
    this.env = env;
    this.phase = 'login';
    this.loginSeq = 1;
    this.caps = 0;
    this.history = [];
    /** Logged in as (after an OK that ended a login or COM_CHANGE_USER). */
    this.user = null;
    /** Has logged in once: the server's packet cap is max_allowed_packet from then on. */
    this.authenticated = false;
    /** The login in progress: { user, start, salts, secureAtStart }. */
    this.claim = null;
    /** What resolving placeholders uses: the user claimed in the last login packet sent, the salt. */
    this.tx = { user: USER, salt: null };
    /** COM_CHANGE_USERs that succeeded. */
    this.changes = 0;
    /** Correct proofs sent: { offset, user, salt } (offsets into the current input). */
    this.proofs = [];
    this.publicKey = null;
    this.lastClientAuth = null;
    /**
     * Prepared statements this connection holds, as the replies say (ids of
     * PREPARE_OKs not closed since), the id of the last one prepared
     * (0xffffffff names it), and every id ever handed out here.
     */
    this.stmts = new Set();
    this.lastStmt = null;
    this.stmtIdsSeen = new Set();
    this.maxStmtId = 0;
    /** Open cursors by statement id: the columns their rows come in (COM_STMT_FETCH). */
    this.cursors = new Map();
  }

  /** The statement a COM_STMT_* payload names (0xffffffff: the last prepared), or null. */
  stmtIdOf(payload) {
    if (payload.length < 5) return null;
    const id = payload.readUInt32LE(1);
    return id === 0xffffffff ? this.lastStmt : id;
  }

  /** Statements the server must count for this connection (none once it is closed). */
  get openStatements() {
    return this.conn.closed ? 0 : this.stmts.size;
  }

  /** Keeps `stmts` in step with one command and its reply (the count oracle's model). */
  trackStatements(cmd, payload, r) {
    if (cmd === COM.STMT_PREPARE && r.end === 'prepared') {
      if (r.id === 0 || r.id === 0xffffffff || this.stmtIdsSeen.has(r.id)) {
        throw new Violation(
          'spec',
          `PREPARE_OK with statement id ${r.id}, ${r.id === 0 || r.id === 0xffffffff ? 'a reserved id' : 'an id this connection had before'}`,
        );
      }
      this.stmtIdsSeen.add(r.id);
      this.maxStmtId = Math.max(this.maxStmtId, r.id);
      this.stmts.add(r.id);
      this.lastStmt = r.id;
    } else if (cmd === COM.STMT_CLOSE && payload.length >= 5) {
      const id = this.stmtIdOf(payload);
      this.stmts.delete(id);
      this.cursors.delete(id);
    } else if (cmd === COM.RESET_CONNECTION && r.end === 'ok') {
      this.stmts.clear();
      this.cursors.clear();
    } else if (cmd === COM.STMT_EXECUTE) {
      // A new execute closes the statement's cursor, and may open another.
      const id = this.stmtIdOf(payload);
      if (id === null || !this.stmts.has(id)) return;
      this.cursors.delete(id);
      if (r.end === 'cursor') this.cursors.set(id, r.columns);
    } else if (cmd === COM.STMT_FETCH) {
      const id = this.stmtIdOf(payload);
      if (r.end === 'err' || (r.end === 'fetched' && r.status & 0x0080)) this.cursors.delete(id);
    } else if (cmd === COM.STMT_RESET && r.end === 'ok') {
      this.cursors.delete(this.stmtIdOf(payload));
    }
  }

  get closed() {
    return this.conn.closed;
  }

  get secure() {
    return this.conn.secure;
  }

  close() {
    this.conn.close();
  }

  /** Counts a login state reached (the summary shows them: what the campaign covered). */
  count(what) {
    const c = this.env.counts;
    if (c) c[what] = (c[what] ?? 0) + 1;
  }

  passwordOf(user) {
    return this.env.accounts?.get(user)?.password ?? PASSWORD;
  }

  /**
   * The standard login: `caps` as the client's flags, the greeting's plugin,
   * the right answer to an AuthSwitchRequest and to the full path. Must end
   * in OK. `as`: { user, tls } (default testuser, plain).
   */
  async login(caps, as = {}) {
    const user = as.user ?? USER;
    const password = this.passwordOf(user);
    const plugin = this.plugin || 'mysql_native_password';
    const auth =
      password === ''
        ? Buffer.alloc(0)
        : plugin === 'caching_sha2_password'
          ? SHA2_PLACEHOLDER
          : SCRAMBLE_PLACEHOLDER;
    const parts = [];
    let seq = 1;
    if (as.tls) {
      caps = (caps | CLIENT.SSL) >>> 0;
      parts.push(frame(1, buildLogin({ caps, sslOnly: true })), frame(0, directive('tls')));
      seq = 2;
    }
    parts.push(frame(seq, buildLogin({ caps, user, auth, plugin })));
    const out = await this.play(Buffer.concat(parts), { ping: false, label: 'login' });
    if (this.phase !== 'ready') {
      throw new Violation(
        'health',
        `standard login as ${user}${as.tls ? ' over TLS' : ''} failed: ${JSON.stringify(out.errors)}`,
      );
    }
    return out;
  }

  /** COM_CHANGE_USER to `user` with the right answers; must end in OK as that user. */
  async becomeUser(user) {
    if (this.user === user) return;
    const body = Buffer.concat([
      nul(user),
      Buffer.from([20]),
      SCRAMBLE_PLACEHOLDER,
      nul('rpc'),
      Buffer.from([45, 0]),
      nul('mysql_native_password'),
    ]);
    const password = this.passwordOf(user);
    const payload =
      password === ''
        ? Buffer.concat([Buffer.from([COM.CHANGE_USER]), nul(user), Buffer.from([0]), nul('rpc')])
        : Buffer.concat([Buffer.from([COM.CHANGE_USER]), body]);
    const out = await this.play(frame(0, payload), { ping: false, label: 'change user' });
    if (this.phase !== 'ready' || this.user !== user) {
      throw new Violation(
        'health',
        `COM_CHANGE_USER to ${user} failed: ${JSON.stringify(out.errors)}${this.closed ? ' (closed)' : ''}`,
      );
    }
  }

  /** One statement's first row (cells as strings), on this session; null on ERR. */
  async query(sql) {
    const out = await this.play(command(COM.QUERY, sql), { ping: false, label: sql });
    if (out.closed) throw new Violation('unexpected-close', `closed after ${sql}`);
    return out.firstRow ? out.firstRow.map((c) => (c === null ? null : c.toString('utf8'))) : null;
  }

  // ---- writing ------------------------------------------------------------------

  /**
   * Writes the input's bytes up to `end` (an offset in the stream, at a
   * frame boundary), resolving markers and placeholders with what is known
   * now; directives are not sent. Pipelined inputs write everything up to
   * the next `tls` directive at once, stepwise ones only what is asked.
   */
  async send(cursor, end, plan = null, extra = null) {
    const buf = cursor.buf;
    end = Math.min(end, buf.length);
    if (end <= this.written && !extra) return;
    const target = this.stepwise
      ? end
      : Math.min(buf.length, Math.max(end, this.nextBarrier(buf, this.written)));
    let bytes =
      target > this.written ? await this.resolve(buf, this.written, target) : Buffer.alloc(0);
    this.written = Math.max(this.written, target);
    if (extra) bytes = Buffer.concat([bytes, extra]);
    if (bytes.length === 0) return;
    if (plan && plan.cuts.length > 0) {
      const cuts = [];
      const pauses = [];
      plan.cuts.forEach((c, i) => {
        if (c < bytes.length) {
          cuts.push(c);
          pauses.push(plan.pauses[i]);
        }
      });
      await this.conn.writeSliced(bytes, cuts, pauses);
    } else this.conn.write(bytes);
  }

  /** Offset of the next `tls` directive at or after `from`, or the end. */
  nextBarrier(buf, from) {
    let off = from;
    while (buf.length - off >= 4) {
      const len = buf.readUIntLE(off, 3);
      if (buf.length - off - 4 < len) break;
      if (len < MAX_CHUNK && specialOf(buf.subarray(off + 4, off + 4 + len))?.name === 'tls') {
        return off;
      }
      off += 4 + len;
    }
    return buf.length;
  }

  async resolve(buf, from, to) {
    const pieces = [];
    let off = from;
    // Only whole frames' payloads are resolved: headers and a cut-off tail go as they are,
    // so that the server frames exactly what the model (which reads the input) frames.
    while (off < to) {
      if (to - off < 4) {
        pieces.push(buf.subarray(off, to));
        break;
      }
      const len = buf.readUIntLE(off, 3);
      const stop = off + 4 + len;
      if (stop > to) {
        pieces.push(buf.subarray(off, to));
        break;
      }
      const seq = buf[off + 3];
      const payload = buf.subarray(off + 4, stop);
      const sp = len < MAX_CHUNK ? specialOf(payload) : null;
      if (sp?.directive) {
        // The harness's, never sent.
      } else if (sp) {
        const publicKey =
          this.publicKey ?? (sp.name.startsWith('rsa') ? await fetchPublicKey(this.env) : null);
        const user = this.tx.user;
        const m = markerPayload(sp.name, {
          password: this.passwordOf(user),
          salt: this.tx.salt,
          publicKey,
          secure: this.conn.secure,
        });
        if (m.proof) this.proofs.push({ offset: off, user, salt: this.tx.salt.toString('hex') });
        this.count(`marker ${sp.name}`);
        pieces.push(frame(seq, m.payload));
      } else {
        this.noteClaim(seq, payload);
        pieces.push(buf.subarray(off, off + 4), this.fill(payload, off));
      }
      off = stop;
    }
    return Buffer.concat(pieces);
  }

  /** A login packet or COM_CHANGE_USER about to be sent: its user is whom placeholders answer for. */
  noteClaim(seq, payload) {
    if (this.phase === 'ready' || this.authenticated) {
      if (seq === 0 && payload[0] === COM.CHANGE_USER) {
        this.tx.user = clipUser(changeUserClaim(payload).user);
        this.tx.salt = this.greetingSalt;
      }
      return;
    }
    if (isSslRequest(payload)) return;
    const c = loginClaim(payload);
    if (c) this.tx.user = clipUser(c.user);
  }

  fill(bytes, offset) {
    const { bytes: out, proofs } = fillScramble(bytes, this.tx.salt, this.passwordOf(this.tx.user));
    for (let i = 0; i < proofs; i++) {
      this.proofs.push({ offset, user: this.tx.user, salt: this.tx.salt.toString('hex') });
    }
    return out;
  }

  /** The harness answers for the client: appended to the input and sent. */
  async answer(cursor, bytes, proof) {
    const offset = cursor.buf.length;
    cursor.append(bytes);
    if (proof) {
      this.proofs.push({ offset, user: this.tx.user, salt: this.tx.salt.toString('hex') });
    }
    this.written = cursor.buf.length;
    this.conn.write(bytes);
  }

  // ---- following the server ---------------------------------------------------------

  /**
   * Sends one input and follows the server through it. Returns
   * { closed, legitClose, incomplete, capped, errors, units } or throws a Violation.
   */
  async play(input, opts = {}) {
    const env = this.env;
    // A leading `as:USER` directive: log in as USER first (COM_CHANGE_USER).
    {
      const c = new FrameCursor(input);
      const d = c.peekDirective();
      if (d?.name === 'as' && this.phase === 'ready') {
        // Only accounts the harness knows (a mutated name is no account to become).
        if (this.env.accounts?.has(d.arg)) await this.becomeUser(d.arg);
        input = input.subarray(d.end);
      }
    }
    const reader = new ReplyReader(this.conn, {
      ...env,
      caps: this.caps,
      input: opts.echo ?? input,
    });
    this.reader = reader;
    reader.collect = this.collect === true;
    this.tx.salt ??= this.salt;
    this.proofs = [];
    this.written = 0;
    const cursor = new FrameCursor(input);
    const first = cursor.peekDirective();
    this.stepwise = first?.name === 'step' || opts.stepwise === true;
    const out = { closed: false, legitClose: false, incomplete: false, capped: false, units: 0 };
    const changesBefore = this.changes;
    // A COM_CHANGE_USER of this input succeeded.
    Object.defineProperty(out, 'changedUser', { get: () => this.changes > changesBefore });
    out.errors = reader.errors;
    out.trace = reader.trace;
    const plan = chaosPlan(opts.chaos, input.length);
    let pingSent = false;
    if (!this.stepwise) {
      const barrier = this.nextBarrier(input, 0);
      // Only a logged-in session can pipeline the PING: during login it would be
      // taken as auth data, and so it would after a COM_CHANGE_USER.
      let ping = null;
      if (
        opts.ping !== false &&
        plan.pipelinePing &&
        this.phase === 'ready' &&
        barrier === input.length &&
        endsOnFrame(input) &&
        !hasChangeUser(input)
      ) {
        // The PING rides in the same write; its reply is read after the input's.
        ping = command(COM.PING);
        pingSent = true;
      }
      await this.send(cursor, barrier, plan, ping);
      if (plan.stall > 0) await this.conn.stall(plan.stall);
    }

    let mayClose = false;
    /** Commands that have no reply (COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA) in this input. */
    let silent = 0;
    /** Each command of the input as the server framed it, with its reply: { cmd, payload, shape, r, units }. */
    out.replies = [];
    const cap = () =>
      this.phase === 'ready' || this.authenticated ? env.maxPacket : env.preAuthCap;
    const expectFatal = async (seqs, what) => {
      await this.send(cursor, cursor.buf.length);
      const p = await this.readFirst(reader, seqs);
      if (p !== null) {
        if (p[0] !== 0xff) {
          throw new Violation('spec', `${what}: expected ERR and close, got ${hexHead(p)}`);
        }
        const err = reader.checkErr(p);
        if (opts.expectCode && err.code !== opts.expectCode) {
          throw new Violation('spec', `${what}: expected ERR ${opts.expectCode}, got ${err.code}`);
        }
        out.fatal = err;
        await this.expectClose(reader, what);
      }
      out.closed = out.legitClose = true;
      return out;
    };

    for (;;) {
      if (this.phase === 'tls-wait') {
        const d = cursor.peekDirective();
        if (d?.name === 'tls') {
          cursor.off = d.end;
          this.written = Math.max(this.written, d.end);
          const problem = await this.conn.startTls(env.timeoutMs);
          if (problem) throw new Violation('tls', problem);
          this.count('TLS handshakes');
          this.phase = 'login';
          // Whatever was pipelined behind the handshake goes now.
          if (!this.stepwise) await this.send(cursor, cursor.off);
          continue;
        }
        return this.garbageIntoTls(cursor, out);
      }
      const f = cursor.next(cap());
      if (f === null) break;
      if (f.directive) continue;
      if (f.incomplete) {
        await this.send(cursor, cursor.buf.length);
        out.incomplete = true;
        break;
      }
      if (f.tooLarge) {
        const over = await expectFatal([(f.seq + 1) & 0xff], 'packet over the size cap');
        if (over.fatal && over.fatal.code !== 1153) {
          throw new Violation('spec', `packet over the cap answered ${over.fatal.code}, not 1153`);
        }
        return over;
      }
      if (f.outOfOrder) return expectFatal([(f.seq + 1) & 0xff], 'split packet out of order');
      await this.send(cursor, cursor.off);
      out.units++;
      const seqs = [(f.lastSeq + 1) & 0xff, (f.seq + 1) & 0xff];
      reader.requireState =
        this.phase !== 'login' ||
        (f.payload.length >= 4 && (f.payload.readUInt32LE(0) & CLIENT.PROTOCOL_41) !== 0);
      if (this.phase === 'login') {
        if (f.seq !== this.loginSeq) {
          return expectFatal(seqs, `login packet with sequence id != ${this.loginSeq}`);
        }
        if (isSslRequest(f.payload) && this.serverCaps & CLIENT.SSL && !this.conn.secure) {
          // Accepted: no answer; TLS (or garbage) comes next.
          this.phase = 'tls-wait';
          this.loginSeq = (f.lastSeq + 1) & 0xff;
          continue;
        }
        this.startClaim(f, 'login');
        const p = await this.readFirst(reader, seqs);
        if (p === null) return this.closedBy(out, true);
        const r = reader.classify(p, ['ok', 'err', 'switch', 'more']);
        if (r.end === 'err') return this.refused(out, reader, r);
        if (r.end === 'ok') {
          this.loggedIn(f.payload);
          continue;
        }
        this.pendingLogin = f.payload;
        const next = await this.onAuthStep(r, reader, cursor, out);
        if (next === 'closed') return out;
        continue;
      }
      if (this.phase === 'auth-switch' || this.phase === 'auth-more') {
        if (f.seq !== reader.expect) {
          return expectFatal(seqs, `${this.phase} answer with the wrong sequence id`);
        }
        reader.expect = (f.lastSeq + 1) & 0xff;
        this.lastClientAuth = f.payload;
        const wasSwitch = this.phase === 'auth-switch';
        const r = await this.authReply(reader);
        if (r === null) return this.closedBy(out, true);
        if (r.end === 'err') return this.refused(out, reader, r);
        if (r.end === 'ok') {
          this.loggedIn(this.pendingLogin);
          continue;
        }
        if (r.end === 'switch' && !wasSwitch) {
          throw new Violation(
            'spec',
            `AuthSwitchRequest in the middle of ${this.plugin}'s exchange`,
          );
        }
        if (r.end === 'switch') {
          throw new Violation('spec', 'a second AuthSwitchRequest in one login');
        }
        const next = await this.onAuthStep(r, reader, cursor, out);
        if (next === 'closed') return out;
        continue;
      }
      // Ready: one command, one reply.
      if (f.seq !== 0) return expectFatal(seqs, 'command with sequence id != 0');
      reader.expect = seqs[0];
      const cmd = f.payload.length > 0 ? f.payload[0] : -1;
      if (cmd === COM.CHANGE_USER) this.startClaim(f, 'change-user');
      const shape = (opts.shapeOf ?? shapeOf)(cmd, f.payload);
      if (shape === 'none') silent++;
      reader.units = [];
      if (cmd === COM.STMT_FETCH)
        reader.fetchColumns = this.cursors.get(this.stmtIdOf(f.payload)) ?? null;
      let r;
      try {
        r = await reader.reply(shape);
        this.trackStatements(cmd, f.payload, r);
        if (out.replies.length < 4096) {
          out.replies.push({ cmd, payload: f.payload, shape, r, units: reader.units });
        }
      } catch (e) {
        // After a fatal ERR the server may close before reading what was pipelined.
        if (mayClose && e instanceof Violation && e.cls === 'unexpected-close') {
          return this.closedBy(out, true);
        }
        throw e;
      }
      if (r.end === 'quit') {
        await this.expectClose(reader, 'COM_QUIT');
        out.closed = out.legitClose = true;
        return out;
      }
      if (r.end === 'capped') {
        this.conn.close();
        out.closed = out.legitClose = out.capped = true;
        return out;
      }
      if (r.end === 'err' && (FATAL_CODES.has(r.err.code) || cmd === COM.CHANGE_USER)) {
        // A failed COM_CHANGE_USER ends the old login too: the server may close.
        mayClose = true;
      }
      if (cmd === COM.CHANGE_USER && r.end === 'ok') this.loggedIn(null);
      if (r.end === 'switch' || r.end === 'more') {
        this.pendingLogin = null;
        const next = await this.onAuthStep(r, reader, cursor, out);
        if (next === 'closed') return out;
      }
    }

    if (out.incomplete || (opts.ping === false && this.phase !== 'ready')) {
      // The server is waiting for the rest of a packet (or of the login): nothing more to ask.
      if (this.conn.buffered > 0) {
        const stray = await reader.next().catch(() => null);
        if (stray) throw new Violation('desync', `unrequested packet ${hexHead(stray)}`);
      }
      if (out.incomplete || this.phase !== 'ready') {
        // The next input would complete the packet (or the login): this connection is spent.
        this.conn.close();
        out.closed = out.legitClose = true;
        if (!out.incomplete) out.incomplete = true;
      }
      return out;
    }
    if (this.phase !== 'ready') {
      // The input stopped in the middle of a login: the server waits, the connection is spent.
      this.conn.close();
      out.closed = out.legitClose = out.incomplete = true;
      return out;
    }
    out.replyHash = reader.digest();
    out.firstRow = reader.firstRow;
    if (opts.ping === false) return out;
    // The PING: exactly one OK, sequence id 1, on the same connection.
    if (!pingSent) {
      if (this.conn.closed && this.conn.buffered === 0) return this.closedBy(out, mayClose);
      this.conn.write(command(COM.PING));
    }
    reader.expect = 1;
    let p;
    try {
      p = await reader.next();
    } catch (e) {
      if (e instanceof Violation && e.cls === 'seq') throw new Violation('desync', e.detail);
      throw e;
    }
    if (p === null) return this.closedBy(out, mayClose);
    if (p[0] !== 0x00 || p.length < 7) {
      throw new Violation('desync', `COM_PING after the input got ${hexHead(p)}, not OK`);
    }
    const pingStatus = reader.parsePingStatus(p);
    if (pingStatus & 0x0008) {
      throw new Violation(
        'desync',
        `COM_PING after the input got an OK flagged SERVER_MORE_RESULTS_EXISTS: ${hexHead(p)}`,
      );
    }
    if (silent > 0 && this.conn.buffered === 0) {
      // A command that has no reply must get none: a stray one would have been taken for the
      // next command's, and the last of them would arrive after the PING's.
      await this.conn.quiet(5);
    }
    if (this.conn.buffered > 0) {
      throw new Violation('desync', 'bytes after the reply to COM_PING');
    }
    return out;
  }

  /**
   * After an accepted SSLRequest the input goes on with something that is
   * not a TLS handshake: it is sent raw into the server's TLS layer. The
   * server must close (a TLS alert first is fine, MySQL packets are not) or,
   * when the bytes could still be the start of a ClientHello, keep waiting;
   * its login clock ends that (the stall checks in run.mjs).
   */
  async garbageIntoTls(cursor, out) {
    // What follows the SSLRequest (a pipelined input has sent it already).
    const after = cursor.buf.length - cursor.off;
    const rest = cursor.buf.subarray(Math.max(this.written, cursor.off));
    this.written = cursor.buf.length;
    cursor.off = cursor.buf.length;
    if (rest.length > 0) this.conn.write(rest);
    // Nothing after the SSLRequest: the server waits for a ClientHello (the stall checks see
    // that its login clock ends the wait). Otherwise a TLS layer refuses non-TLS bytes at once;
    // still open after a short while means it waits for the rest of a record.
    const { closed, bytes } =
      after === 0 && this.conn.buffered === 0
        ? { closed: this.conn.closed, bytes: Buffer.alloc(0) }
        : await this.conn.untilClose(Math.min(400, this.env.timeoutMs));
    if (bytes.length > 0 && !tlsRecords(bytes)) {
      throw new Violation(
        'desync',
        `after an SSLRequest and non-TLS bytes the server sent ${hexHead(bytes)}, not TLS records`,
      );
    }
    this.conn.close();
    out.closed = out.legitClose = true;
    out.incomplete = !closed;
    out.tlsGarbage = closed ? 'closed' : 'waiting';
    this.count(`non-TLS bytes after SSLRequest (${out.tlsGarbage})`);
    return out;
  }

  /** A login (the login packet or COM_CHANGE_USER) starts: whom it claims, with which salt. */
  startClaim(f, how) {
    const user =
      how === 'login'
        ? clipUser(loginClaim(f.payload)?.user ?? '\u0000unparsed')
        : clipUser(changeUserClaim(f.payload).user);
    if (how === 'change-user') this.salt = this.greetingSalt;
    const c = how === 'login' ? loginClaim(f.payload) : null;
    this.plugin =
      how === 'login'
        ? c && c.caps & CLIENT.PLUGIN_AUTH && c.plugin
          ? c.plugin
          : 'mysql_native_password'
        : 'mysql_native_password';
    this.claim = { user, how, start: f.start, salts: new Set([this.salt.toString('hex')]) };
    this.lastClientAuth = f.payload;
  }

  /** The auth-bypass oracle, at the OK that ends a login. */
  checkLoginOk() {
    const c = this.claim;
    if (!c) return;
    const accounts = this.env.accounts;
    if (!accounts) return;
    const account = accounts.get(c.user);
    const name = JSON.stringify(c.user);
    if (!account) {
      throw new Violation('auth-bypass', `${c.how} as ${name}, who has no account, got OK`);
    }
    if (!account.reachable) {
      throw new Violation(
        'auth-bypass',
        `${c.how} as ${name} from 127.0.0.1 (host ${account.host}) got OK`,
      );
    }
    if (account.requireSsl && !this.conn.secure) {
      throw new Violation('auth-bypass', `${c.how} as ${name} (REQUIRE SSL) without TLS got OK`);
    }
    if (account.password === '') return;
    const proven = this.proofs.some(
      (p) => p.offset >= c.start && p.user === c.user && c.salts.has(p.salt),
    );
    if (!proven) {
      throw new Violation(
        'auth-bypass',
        `${c.how} as ${name} got OK, but no correct proof of its password was sent for this login's salt`,
      );
    }
  }

  /** First packet of a reply whose sequence id may be one of `seqs`. */
  async readFirst(reader, seqs) {
    reader.expect = seqs[0];
    reader.expectAlt = seqs.slice(1);
    return reader.next();
  }

  /** Login done; a COM_CHANGE_USER (no login payload) keeps the session's capabilities. */
  loggedIn(loginPayload) {
    this.checkLoginOk();
    // A new login on the connection (COM_CHANGE_USER) starts without prepared statements.
    if (this.claim?.how === 'change-user') {
      this.stmts.clear();
      this.cursors.clear();
    }
    if (this.claim)
      this.count(this.claim.how === 'change-user' ? 'COM_CHANGE_USER OK' : 'login OK');
    if (this.claim?.how === 'change-user') this.changes++;
    this.phase = 'ready';
    this.authenticated = true;
    this.user = this.claim?.user ?? this.user;
    this.claim = null;
    if (!loginPayload) return;
    const clientCaps = loginPayload && loginPayload.length >= 4 ? loginPayload.readUInt32LE(0) : 0;
    this.caps = (clientCaps & this.serverCaps) >>> 0;
    if (this.reader) this.reader.caps = this.caps;
  }

  refused(out, reader, r) {
    out.fatal = r.err;
    this.count(`${this.claim?.how ?? 'login'} refused with ${r.err.code}`);
    return this.expectClose(reader, `login refused with ${r.err.code}`).then(() => {
      out.closed = out.legitClose = true;
      return out;
    });
  }

  closedBy(out, legit) {
    out.closed = true;
    out.legitClose = legit;
    if (!legit) throw new Violation('unexpected-close', 'the server closed the connection');
    return out;
  }

  async expectClose(reader, what) {
    let p;
    try {
      p = await reader.next();
    } catch (e) {
      if (e instanceof Violation && e.cls === 'hang') {
        throw new Violation('hang', `connection left open after ${what}`);
      }
      throw e;
    }
    if (p !== null) throw new Violation('desync', `packet after ${what}: ${hexHead(p)}`);
  }

  async authReply(reader) {
    const p = await reader.next();
    if (p === null) return null;
    return reader.classify(p, ['ok', 'err', 'switch', 'more']);
  }

  /**
   * The server asked for more authentication (AuthSwitchRequest or
   * AuthMoreData). When the input has no more bytes, the harness answers as
   * a real client would; otherwise the input's next packet is the answer.
   */
  async onAuthStep(r, reader, cursor, out) {
    const ended = cursor.atEnd;
    const password = this.passwordOf(this.claim?.user ?? this.tx.user);
    if (r.end === 'switch') {
      if (!['caching_sha2_password', 'mysql_native_password'].includes(r.plugin)) {
        throw new Violation(
          'spec',
          `AuthSwitchRequest to ${r.plugin}, a plugin the server does not have`,
        );
      }
      if (r.data.length !== 20) {
        throw new Violation('spec', `AuthSwitchRequest with a ${r.data.length}-byte salt`);
      }
      this.count(`AuthSwitchRequest to ${r.plugin}`);
      this.salt = r.data;
      this.tx.salt = r.data;
      this.plugin = r.plugin;
      this.claim?.salts.add(r.data.toString('hex'));
      this.phase = 'auth-switch';
      if (ended) {
        await this.answer(
          cursor,
          frame(reader.expect, authResponse(r.plugin, this.salt, password)),
          password !== '',
        );
      }
      return 'auth-switch';
    }
    const p = r.payload;
    if (p.length === 2 && p[1] === 0x03) {
      this.count('fast path (01 03)');
      // Fast path: an OK follows at once.
      const ok = await reader.must('the OK after fast auth');
      const end = reader.classify(ok, ['ok', 'err']);
      if (end.end === 'err') {
        await this.refused(out, reader, end);
        return 'closed';
      }
      this.loggedIn(this.pendingLogin);
      return 'ready';
    }
    this.phase = 'auth-more';
    if (p.length === 2 && p[1] === 0x04) {
      this.count(this.conn.secure ? 'full path (01 04) over TLS' : 'full path (01 04) without TLS');
      if (ended) {
        const clear = Buffer.from(`${password}\0`, 'utf8');
        if (this.conn.secure) await this.answer(cursor, frame(reader.expect, clear), true);
        else await this.answer(cursor, frame(reader.expect, Buffer.from([2])), false);
      }
      return 'auth-more';
    }
    if (p.length > 1 && p[1] === 0x2d) {
      const pem = p.subarray(1);
      if (!usablePublicKey(pem))
        throw new Violation('malformed', `AuthMoreData with a bad public key ${hexHead(p)}`);
      if (this.conn.secure) throw new Violation('spec', 'the public key was sent over TLS');
      const asked = this.lastClientAuth;
      if (!asked || asked.length !== 1 || asked[0] !== 2) {
        throw new Violation(
          'spec',
          `the public key was sent after ${asked ? hexHead(asked) : 'nothing'}, not 02`,
        );
      }
      this.publicKey = Buffer.from(pem);
      this.count('public key sent');
      if (ended) {
        await this.answer(
          cursor,
          frame(reader.expect, rsaPassword(pem, password, this.salt)),
          true,
        );
      }
      return 'auth-more';
    }
    throw new Violation('malformed', `AuthMoreData ${hexHead(p)} is none of 01 03, 01 04, 01+PEM`);
  }
}

/** Does the stream hold a COM_CHANGE_USER (a frame of sequence 0 starting with 0x11)? */
function hasChangeUser(stream) {
  let off = 0;
  while (stream.length - off >= 5) {
    const len = stream.readUIntLE(off, 3);
    if (stream[off + 3] === 0 && len > 0 && stream[off + 4] === COM.CHANGE_USER) return true;
    off += 4 + len;
  }
  return false;
}

function endsOnFrame(stream) {
  let off = 0;
  while (stream.length - off >= 4) {
    const len = stream.readUIntLE(off, 3);
    off += 4 + len;
  }
  return off === stream.length;
}

export { TimeoutError };
