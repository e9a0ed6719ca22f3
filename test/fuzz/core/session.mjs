/**
 * The conversation half of the oracle. A Session is one client connection;
 * `play()` sends one input (a byte stream of client packets), follows the
 * server through it packet by packet the way the server's own framer and
 * state machine must (login, auth switch, commands, one at a time, in
 * order) and checks every reply. Then, unless the input legitimately
 * closed the connection, a COM_PING must get exactly one OK: anything
 * else means the server's state and the client's came apart.
 */
import { FATAL_CODES, hexHead, ReplyReader, shapeOf, Violation } from './replies.mjs';
import { Rng } from './prng.mjs';
import {
  authResponse,
  buildLogin,
  CLIENT,
  COM,
  command,
  fillScramble,
  frame,
  FuzzConn,
  MAX_CHUNK,
  parseGreeting,
  TimeoutError,
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
  get atEnd() {
    return this.off >= this.buf.length;
  }
  next(cap) {
    const buf = this.buf;
    let off = this.off;
    if (off >= buf.length) return null;
    const parts = [];
    let partsLength = 0;
    let firstSeq = -1;
    let lastSeq = -1;
    for (;;) {
      if (buf.length - off < 4) return { incomplete: true };
      const len = buf.readUIntLE(off, 3);
      const seq = buf[off + 3];
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
      return { seq: firstSeq, lastSeq, payload };
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

export class Session {
  /**
   * env: { port, catalog, timeoutMs, maxReplyBytes, preAuthCap, maxPacket }.
   * Reads and checks the greeting.
   */
  static async open(env) {
    const s = new Session(env);
    s.conn = await FuzzConn.open(env.port, '127.0.0.1', env.timeoutMs);
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
      throw new Violation('greeting', `${greeting.problem}: ${hexHead(g)}`);
    }
    s.salt = greeting.salt;
    s.serverCaps = greeting.capabilities;
    s.plugin = greeting.plugin;
    return s;
  }

  constructor(env) {
    this.env = env;
    this.phase = 'login';
    this.caps = 0;
    this.history = [];
  }

  get closed() {
    return this.conn.closed;
  }

  close() {
    this.conn.close();
  }

  /**
   * The standard login: `caps` as the client's flags, the greeting's plugin,
   * the right answer to an AuthSwitchRequest. Must end in OK.
   */
  async login(caps) {
    const plugin = this.plugin || 'mysql_native_password';
    const auth = authResponse(plugin, this.salt) ?? authResponse('', this.salt);
    const payload = buildLogin({ caps, user: USER, auth, plugin });
    const out = await this.play(frame(1, payload), { ping: false, label: 'login' });
    if (this.phase !== 'ready') {
      throw new Violation('health', `standard login failed: ${JSON.stringify(out.errors)}`);
    }
    return out;
  }

  /**
   * Sends one input and follows the server through it. Returns
   * { closed, legitClose, incomplete, capped, errors, units } or throws a Violation.
   */
  async play(input, opts = {}) {
    const env = this.env;
    const stream = fillScramble(input, this.salt);
    const reader = new ReplyReader(this.conn, {
      ...env,
      caps: this.caps,
      input: opts.echo ?? input,
    });
    this.reader = reader;
    const plan = chaosPlan(opts.chaos, stream.length);
    const cursor = new FrameCursor(stream);
    const out = { closed: false, legitClose: false, incomplete: false, capped: false, units: 0 };
    out.errors = reader.errors;
    out.trace = reader.trace;
    let sent = stream;
    let pingSent = false;
    // Only a logged-in session can pipeline the PING: during login it would be taken as auth data.
    if (opts.ping !== false && plan.pipelinePing && this.phase === 'ready' && endsOnFrame(stream)) {
      const ping = command(COM.PING);
      // The PING rides in the same write; its reply is read after the input's.
      sent = Buffer.concat([stream, ping]);
      pingSent = true;
    }
    if (plan.cuts.length > 0) await this.conn.writeSliced(sent, plan.cuts, plan.pauses);
    else this.conn.write(sent);
    if (plan.stall > 0) await this.conn.stall(plan.stall);

    let mayClose = false;
    const cap = () => (this.phase === 'ready' ? env.maxPacket : env.preAuthCap);
    const expectFatal = async (seqs, what) => {
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
      const f = cursor.next(cap());
      if (f === null) break;
      if (f.incomplete) {
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
      out.units++;
      const seqs = [(f.lastSeq + 1) & 0xff, (f.seq + 1) & 0xff];
      reader.requireState =
        this.phase !== 'login' ||
        (f.payload.length >= 4 && (f.payload.readUInt32LE(0) & CLIENT.PROTOCOL_41) !== 0);
      if (this.phase === 'login') {
        if (f.seq !== 1) return expectFatal(seqs, 'login packet with sequence id != 1');
        const p = await this.readFirst(reader, seqs);
        if (p === null) return this.closedBy(out, true);
        const r = reader.classify(p, ['ok', 'err', 'switch', 'more']);
        if (r.end === 'err') return this.refused(out, reader, r);
        if (r.end === 'ok') {
          this.loggedIn(f.payload);
          continue;
        }
        if (r.end === 'switch' || r.end === 'more') {
          this.pendingLogin = f.payload;
          const next = await this.onAuthStep(r, reader, cursor, out);
          if (next === 'closed') return out;
          this.phase = next;
        }
        continue;
      }
      if (this.phase === 'auth-switch') {
        if (f.seq !== reader.expect) {
          return expectFatal(seqs, 'auth switch response with the wrong sequence id');
        }
        reader.expect = (f.lastSeq + 1) & 0xff;
        const r = await this.authReply(reader);
        if (r === null) return this.closedBy(out, true);
        if (r.end === 'err') return this.refused(out, reader, r);
        if (r.end === 'ok') {
          this.loggedIn(this.pendingLogin);
          continue;
        }
        const next = await this.onAuthStep(r, reader, cursor, out);
        if (next === 'closed') return out;
        continue;
      }
      // Ready: one command, one reply.
      if (f.seq !== 0) return expectFatal(seqs, 'command with sequence id != 0');
      reader.expect = seqs[0];
      const cmd = f.payload.length > 0 ? f.payload[0] : -1;
      const shape = (opts.shapeOf ?? shapeOf)(cmd, f.payload);
      let r;
      try {
        r = await reader.reply(shape);
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
      if (r.end === 'err' && FATAL_CODES.has(r.err.code)) mayClose = true;
      if (r.end === 'switch' || r.end === 'more') {
        this.pendingLogin = null;
        const next = await this.onAuthStep(r, reader, cursor, out);
        if (next === 'closed') return out;
        this.phase = next;
      }
    }

    if (out.incomplete || (opts.ping === false && this.phase !== 'ready')) {
      // The server is waiting for the rest of a packet (or of the login): nothing more to ask.
      if (this.conn.buffered > 0) {
        const stray = await reader.next().catch(() => null);
        if (stray) throw new Violation('desync', `unrequested packet ${hexHead(stray)}`);
      }
      if (out.incomplete) {
        // The next input would complete the packet: this connection is spent.
        this.conn.close();
        out.closed = out.legitClose = true;
      }
      return out;
    }
    if (this.phase !== 'ready') return out;
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
    if (this.conn.buffered > 0) {
      throw new Violation('desync', 'bytes after the reply to COM_PING');
    }
    return out;
  }

  /** First packet of a reply whose sequence id may be one of `seqs`. */
  async readFirst(reader, seqs) {
    reader.expect = seqs[0];
    reader.expectAlt = seqs.slice(1);
    return reader.next();
  }

  /** Login done; a COM_CHANGE_USER (no login payload) keeps the session's capabilities. */
  loggedIn(loginPayload) {
    this.phase = 'ready';
    if (!loginPayload) return;
    const clientCaps = loginPayload && loginPayload.length >= 4 ? loginPayload.readUInt32LE(0) : 0;
    this.caps = (clientCaps & this.serverCaps) >>> 0;
    if (this.reader) this.reader.caps = this.caps;
  }

  refused(out, reader, r) {
    out.fatal = r.err;
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
    if (r.end === 'switch') {
      this.salt = r.data.length >= 20 ? r.data.subarray(0, 20) : r.data;
      if (cursor.atEnd) {
        const answer = authResponse(r.plugin, this.salt);
        if (answer === null) {
          this.conn.close();
          out.closed = out.legitClose = true;
          return 'closed';
        }
        const bytes = frame(reader.expect, answer);
        cursor.append(bytes);
        this.conn.write(bytes);
      }
      return 'auth-switch';
    }
    // AuthMoreData: 01 03 (fast auth done, OK follows); anything else needs
    // a full-auth exchange this harness does not speak yet.
    if (r.payload.length === 2 && r.payload[1] === 0x03) {
      const p = await reader.must('the OK after fast auth');
      const ok = reader.classify(p, ['ok', 'err']);
      if (ok.end === 'err') {
        await this.refused(out, reader, ok);
        return 'closed';
      }
      this.loggedIn(this.pendingLogin);
      return 'ready';
    }
    this.conn.close();
    out.closed = out.legitClose = true;
    return 'closed';
  }
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
