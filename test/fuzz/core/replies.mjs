/**
 * The reply half of the oracle: reads the packets of one reply and checks
 * that they are well-formed, in an order the protocol allows, with
 * sequence ids that continue from the command's without a gap.
 */
import { createHash } from 'node:crypto';
import { Echo } from './catalog.mjs';
import { CLIENT, COM, Reader, TimeoutError } from './wire.mjs';

/** A broken expectation; `cls` groups failures in the summary. */
export class Violation extends Error {
  constructor(cls, detail) {
    super(`${cls}: ${detail}`);
    this.cls = cls;
    this.detail = detail;
  }
}

/** What a command's reply must look like, by command byte. */
export const SHAPES = new Map([
  [COM.QUIT, 'quit'],
  [COM.STMT_SEND_LONG_DATA, 'none'],
  [COM.STMT_CLOSE, 'none'],
  [COM.QUERY, 'query'],
  [COM.STMT_EXECUTE, 'execute'],
  [COM.STMT_FETCH, 'execute'],
  [COM.STMT_PREPARE, 'prepare'],
  [COM.STATISTICS, 'stats'],
  [COM.FIELD_LIST, 'fields'],
  [COM.SET_OPTION, 'eof'],
  [COM.PING, 'ok'],
  [COM.INIT_DB, 'ok'],
  [COM.RESET_CONNECTION, 'ok'],
  [COM.STMT_RESET, 'ok'],
  [COM.CHANGE_USER, 'auth'],
]);

/** Anything not listed must still get exactly one OK or ERR: never silence. */
export const shapeOf = (cmd) => SHAPES.get(cmd) ?? 'ok';

/**
 * Errors after which the server may (and for framing/login errors must)
 * close the connection. Any other ERR leaves the session usable.
 */
export const FATAL_CODES = new Set([1040, 1043, 1045, 1053, 1129, 1153, 1156, 4031]);

export function parseErr(p) {
  if (p.length < 3) throw new Violation('malformed', `ERR packet of ${p.length} bytes`);
  const code = p.readUInt16LE(1);
  if (p.length >= 4 && p[3] === 0x23) {
    if (p.length < 9) throw new Violation('malformed', 'ERR with a short SQLSTATE');
    const sqlState = p.toString('latin1', 4, 9);
    if (!/^[0-9A-Z]{5}$/.test(sqlState)) {
      throw new Violation('malformed', `ERR SQLSTATE ${JSON.stringify(sqlState)}`);
    }
    return { code, sqlState, message: p.toString('utf8', 9) };
  }
  return { code, sqlState: null, message: p.toString('utf8', 3) };
}

export function parseOk(p, marker = 0x00) {
  const r = new Reader(p, 1);
  const affectedRows = r.lenenc();
  const insertId = r.lenenc();
  const status = r.u16();
  const warnings = r.u16();
  if (p[0] !== marker || !r.ok || affectedRows === null || insertId === null) {
    throw new Violation('malformed', `bad OK packet ${hexHead(p)}`);
  }
  return { affectedRows, insertId, status, warnings };
}

const MORE_RESULTS = 0x0008;

export const hexHead = (b, n = 48) =>
  b.subarray(0, n).toString('hex') + (b.length > n ? `...(${b.length} bytes)` : '');

const isClassicEof = (p) => p[0] === 0xfe && p.length < 9;

/**
 * Reads replies on one connection. `expect` is the sequence id the next
 * packet must carry; the session sets it from each command's last id.
 */
export class ReplyReader {
  constructor(conn, opts) {
    this.conn = conn;
    this.catalog = opts.catalog;
    this.caps = opts.caps;
    this.timeoutMs = opts.timeoutMs;
    this.maxReplyBytes = opts.maxReplyBytes;
    this.echo = new Echo(opts.input);
    this.expect = 0;
    /** Other sequence ids the next packet may carry (set for one packet only). */
    this.expectAlt = null;
    /** The client speaks 4.1: every ERR must carry '#' and a SQLSTATE. */
    this.requireState = false;
    this.bytes = 0;
    this.capped = false;
    this.errors = [];
    /** A short description of every reply seen (for the campaign's novelty feedback). */
    this.trace = [];
    /** Cells of the first text row of the reply, as sent. */
    this.firstRow = null;
    /** SHA-1 of every reply packet read so far, for differential checks. */
    this.hash = createHash('sha1');
  }

  /** The reply hash so far; later packets (the PING's reply) are not hashed. */
  digest() {
    const h = this.hash;
    this.hash = null;
    return h ? h.digest('hex') : null;
  }

  get deprecateEof() {
    return (this.caps & CLIENT.DEPRECATE_EOF) !== 0;
  }

  /** The next packet, or null when the server closed the connection cleanly. */
  async next() {
    let p;
    try {
      p = await this.conn.readPacket(this.timeoutMs);
    } catch (e) {
      if (e instanceof TimeoutError) {
        throw new Violation('hang', `no reply within ${this.timeoutMs} ms`);
      }
      throw e;
    }
    if (p === null) return null;
    if (p.partial) throw new Violation('malformed', 'the connection closed inside a packet');
    if (p.gaps.length > 0) throw new Violation('seq', `gap inside a split packet ${p.gaps[0]}`);
    const alt = this.expectAlt;
    this.expectAlt = null;
    if (p.seq !== this.expect && !(alt && alt.includes(p.seq))) {
      throw new Violation(
        'seq',
        `packet has sequence id ${p.seq}, expected ${this.expect} (${hexHead(p.payload, 16)})`,
      );
    }
    this.expect = (p.lastSeq + 1) & 0xff;
    this.bytes += p.payload.length + 4;
    this.hash?.update(p.payload);
    return p.payload;
  }

  /** Like next(), but a close here is a violation. */
  async must(what) {
    const p = await this.next();
    if (p === null) throw new Violation('unexpected-close', `connection closed before ${what}`);
    return p;
  }

  checkErr(p) {
    const err = parseErr(p);
    const problems = this.catalog.checkError(err, this.echo);
    if (problems.length > 0) {
      throw new Violation('leak', `${problems.join('; ')}: ${JSON.stringify(err)}`);
    }
    if (this.requireState && err.sqlState === null) {
      throw new Violation('malformed', `ERR ${err.code} without SQLSTATE to a 4.1 client`);
    }
    if (err.code === 1105 && err.message === 'Unknown error') {
      throw new Violation(
        'internal',
        'ERR 1105 Unknown error: the server caught an unexpected exception',
      );
    }
    this.errors.push(err);
    this.note(`E${err.code}`);
    return err;
  }

  note(t) {
    if (this.trace.length < 16) this.trace.push(t);
  }

  textLeaks(text, what) {
    const leaks = this.catalog.leaks(text, this.echo, !/info/.test(what));
    if (leaks.length > 0) throw new Violation('leak', `${what}: ${leaks.join('; ')}`);
  }

  /**
   * Reads one command's reply by shape. Returns { end: 'ok'|'err'|'eof'|'none'|
   * 'closed'|'capped'|'switch'|'more', err?, payload? }.
   */
  async reply(shape) {
    switch (shape) {
      case 'none':
        return { end: 'none' };
      case 'quit':
        return { end: 'quit' };
      case 'ok':
        return this.single(['ok', 'err']);
      case 'eof':
        return this.single(['ok', 'err', 'eof']);
      case 'stats':
        return this.statistics();
      case 'fields':
        return this.fieldList();
      case 'prepare':
        return this.prepare();
      case 'query':
        return this.resultSets('text');
      case 'execute':
        return this.resultSets('binary');
      case 'auth':
        return this.single(['ok', 'err', 'switch', 'more']);
      default:
        throw new Error(`unknown reply shape ${shape}`);
    }
  }

  async single(allowed) {
    const p = await this.must('the reply');
    return this.classify(p, allowed);
  }

  classify(p, allowed) {
    const first = p[0];
    if (first === 0xff && allowed.includes('err')) return { end: 'err', err: this.checkErr(p) };
    if (first === 0x00 && allowed.includes('ok')) {
      const ok = parseOk(p);
      this.checkOkInfo(p);
      this.note('OK');
      return { end: 'ok', ok };
    }
    if (first === 0xfe && allowed.includes('eof')) {
      if (isClassicEof(p) && p.length === 5) return { end: 'eof' };
      if (this.deprecateEof && p.length >= 7) return { end: 'eof', ok: parseOk(p, 0xfe) };
      throw new Violation('malformed', `bad EOF packet ${hexHead(p)}`);
    }
    if (first === 0xfe && allowed.includes('switch')) {
      const r = new Reader(p, 1);
      const plugin = r.nul().toString('latin1');
      const data = r.bytes(r.remaining);
      if (!r.ok || !/^[a-z0-9_]+$/.test(plugin)) {
        throw new Violation('malformed', `bad AuthSwitchRequest ${hexHead(p)}`);
      }
      return { end: 'switch', plugin, data: data.at(-1) === 0 ? data.subarray(0, -1) : data };
    }
    if (first === 0x01 && allowed.includes('more')) return { end: 'more', payload: p };
    throw new Violation('malformed', `unexpected packet ${hexHead(p)} (allowed: ${allowed})`);
  }

  checkOkInfo(p) {
    const r = new Reader(p, 1);
    r.lenenc();
    r.lenenc();
    r.u16();
    r.u16();
    if (r.remaining > 0) this.textLeaks(p.toString('utf8', r.off), 'OK info');
  }

  async statistics() {
    const p = await this.must('the statistics line');
    if (p[0] === 0xff) return { end: 'err', err: this.checkErr(p) };
    const text = p.toString('utf8');
    if (!/^Uptime: \d+ {2}Threads: \d+ {2}Questions: \d+/.test(text)) {
      throw new Violation('malformed', `statistics line ${JSON.stringify(text.slice(0, 80))}`);
    }
    return { end: 'stats', text };
  }

  async fieldList() {
    for (let i = 0; ; i++) {
      const p = await this.must('the end of the field list');
      if (p[0] === 0xff) return { end: 'err', err: this.checkErr(p) };
      if (p[0] === 0xfe && p.length < 0xffffff && (isClassicEof(p) || this.deprecateEof)) {
        return this.classify(p, ['eof']);
      }
      this.columnDefinition(p, true);
      if (i > 4096) throw new Violation('malformed', 'endless field list');
    }
  }

  async prepare() {
    const p = await this.must('the prepare reply');
    if (p[0] === 0xff) return { end: 'err', err: this.checkErr(p) };
    const r = new Reader(p);
    const status = r.u8();
    r.u32();
    const columns = r.u16();
    const params = r.u16();
    r.u8();
    r.u16();
    if (status !== 0 || !r.ok) throw new Violation('malformed', `bad PREPARE_OK ${hexHead(p)}`);
    for (const n of [params, columns]) {
      if (n === 0) continue;
      for (let i = 0; i < n; i++) this.columnDefinition(await this.must('a column definition'));
      if (!this.deprecateEof) this.classify(await this.must('an EOF'), ['eof']);
    }
    return { end: 'prepared', columns, params };
  }

  columnDefinition(p, fieldList = false) {
    const r = new Reader(p);
    const catalog = r.lenencBytes().toString('latin1');
    for (let i = 0; i < 5; i++) r.lenencBytes();
    const fixed = r.lenenc();
    r.u16();
    r.u32();
    const type = r.u8();
    r.u16();
    r.u8();
    r.u16();
    if (fieldList && r.remaining > 0) r.lenencBytes();
    if (!r.ok || catalog !== 'def' || fixed !== 0x0c || r.remaining !== 0) {
      throw new Violation('malformed', `bad column definition ${hexHead(p)}`);
    }
    return type;
  }

  /** Result sets (text or binary rows) until a final OK or ERR; checks MORE_RESULTS chaining. */
  async resultSets(rowFormat) {
    for (let set = 0; ; set++) {
      const p = await this.must(set === 0 ? 'the reply' : 'the next result set');
      if (p[0] === 0x00) {
        const ok = parseOk(p);
        this.checkOkInfo(p);
        if (ok.status & MORE_RESULTS) continue;
        return { end: 'ok', ok, sets: set };
      }
      if (p[0] === 0xff) return { end: 'err', err: this.checkErr(p), sets: set };
      if (p[0] === 0xfb) throw new Violation('malformed', 'LOCAL INFILE request (not advertised)');
      const r = new Reader(p);
      const count = r.lenenc();
      if (!r.ok || r.remaining !== 0 || !count || count > 0xffff) {
        throw new Violation('malformed', `bad column count packet ${hexHead(p)}`);
      }
      this.note(`R${count}`);
      const types = [];
      for (let i = 0; i < count; i++)
        types.push(this.columnDefinition(await this.must('a column')));
      if (!this.deprecateEof) {
        const eof = await this.must('the EOF after the columns');
        if (!(isClassicEof(eof) && eof.length === 5)) {
          throw new Violation('malformed', `expected EOF after columns, got ${hexHead(eof)}`);
        }
      }
      for (;;) {
        if (this.bytes > this.maxReplyBytes) {
          this.capped = true;
          return { end: 'capped' };
        }
        const row = await this.must('the end of the rows');
        if (row[0] === 0xff) return { end: 'err', err: this.checkErr(row), sets: set };
        if (
          row[0] === 0xfe &&
          (isClassicEof(row) || (this.deprecateEof && row.length < 0xffffff))
        ) {
          let status;
          if (this.deprecateEof) status = parseOk(row, 0xfe).status;
          else if (row.length === 5) status = row.readUInt16LE(3);
          else throw new Violation('malformed', `bad EOF after rows ${hexHead(row)}`);
          if (!(status & MORE_RESULTS)) return { end: 'eof-final', sets: set + 1 };
          break;
        }
        if (rowFormat === 'text') this.textRow(row, count);
        else this.binaryRow(row, types);
      }
    }
  }

  textRow(p, count) {
    const r = new Reader(p);
    const cells = this.firstRow === null ? [] : null;
    for (let i = 0; i < count; i++) {
      if (p[r.off] === 0xfb) {
        r.off++;
        cells?.push(null);
      } else {
        const cell = r.lenencBytes();
        cells?.push(cell);
      }
    }
    if (cells) this.firstRow = cells;
    if (!r.ok || r.remaining !== 0) {
      throw new Violation('malformed', `text row does not hold ${count} cells: ${hexHead(p)}`);
    }
    if (p.length < 4096) this.textLeaks(p.toString('utf8'), 'row');
  }

  binaryRow(p, types) {
    const r = new Reader(p);
    if (r.u8() !== 0x00) throw new Violation('malformed', `binary row header ${hexHead(p)}`);
    const bitmap = r.bytes((types.length + 7 + 2) >> 3);
    for (let i = 0; i < types.length; i++) {
      const bit = i + 2;
      if (bitmap[bit >> 3] & (1 << (bit & 7))) continue;
      const t = types[i];
      if (t === 0x01) r.bytes(1);
      else if (t === 0x02 || t === 0x0d) r.bytes(2);
      else if (t === 0x03 || t === 0x09 || t === 0x04) r.bytes(4);
      else if (t === 0x08 || t === 0x05) r.bytes(8);
      else if (t === 0x07 || t === 0x0a || t === 0x0c || t === 0x0b) r.bytes(r.u8());
      else if (t === 0x06) continue;
      else r.lenencBytes();
    }
    if (!r.ok || r.remaining !== 0) {
      throw new Violation('malformed', `binary row does not match its columns: ${hexHead(p)}`);
    }
  }
}
