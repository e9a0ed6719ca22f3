/**
 * The reply half of the oracle: reads the packets of one reply and checks
 * that they are well-formed, in an order the protocol allows, with
 * sequence ids that continue from the command's without a gap.
 */
import { createHash } from 'node:crypto';
import {
  COLUMN_TYPES,
  CURSOR_EXISTS,
  LAST_ROW_SENT,
  PS_OUT_PARAMS,
  presentBinary,
  presentText,
  readBinaryRow,
  TYPE,
  TYPE_NAME,
} from './binary.mjs';
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
  [COM.STMT_FETCH, 'fetch'],
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
    /**
     * The parts of the reply being read, in order (the session starts a new
     * list per command): { k: 'set', columns, status, columnsStatus, rows,
     * cells? } for a result set, { k: 'ok', ok } and { k: 'err', err }.
     */
    this.units = [];
    /** Keep presented cells of result sets (up to 64 rows a set, 16 sets) for differential checks. */
    this.collect = false;
    /** The columns of the cursor a COM_STMT_FETCH reads from (the session sets it), or null. */
    this.fetchColumns = null;
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

  /** The status flags of an OK packet (COM_PING's). */
  parsePingStatus(p) {
    return parseOk(p).status;
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
      case 'fetch':
        return this.fetchRows();
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

  /**
   * COM_STMT_PREPARE's reply: ERR, or PREPARE_OK (0x00, statement id u32,
   * columns u16, params u16, a 0x00 filler, warnings u16: 12 bytes, as no
   * CLIENT_OPTIONAL_RESULTSET_METADATA is advertised), then the parameter
   * definitions and the column definitions, each list followed by an EOF
   * unless DEPRECATE_EOF, an empty list by nothing at all.
   */
  async prepare() {
    const p = await this.must('the prepare reply');
    if (p[0] === 0xff) return { end: 'err', err: this.checkErr(p) };
    const r = new Reader(p);
    const status = r.u8();
    const id = r.u32();
    const columns = r.u16();
    const params = r.u16();
    const filler = r.u8();
    const warnings = r.u16();
    if (status !== 0 || !r.ok || filler !== 0 || r.remaining !== 0) {
      throw new Violation('malformed', `bad PREPARE_OK ${hexHead(p)}`);
    }
    const definitions = [];
    for (const [n, what] of [
      [params, 'parameter'],
      [columns, 'column'],
    ]) {
      const defs = [];
      definitions.push(defs);
      if (n === 0) continue;
      for (let i = 0; i < n; i++) {
        const d = await this.must(`${what} definition ${i + 1} of ${n}`);
        if (d[0] === 0xfe && d.length < 9) {
          throw new Violation(
            'malformed',
            `PREPARE_OK announced ${n} ${what}s, the list ended after ${i}`,
          );
        }
        const def = this.columnDefinition(d);
        // Only a few definitions are kept: a statement may have 65,535 of them.
        if (defs.length < 512) defs.push(def);
      }
      if (!this.deprecateEof) {
        const eof = await this.must(`the EOF after the ${what}s`);
        if (!(isClassicEof(eof) && eof.length === 5)) {
          throw new Violation('malformed', `expected EOF after the ${what}s, got ${hexHead(eof)}`);
        }
      }
    }
    this.note(`P${params}/${columns}`);
    return {
      end: 'prepared',
      id,
      columns,
      params,
      warnings,
      paramDefs: definitions[0],
      columnDefs: definitions[1],
    };
  }

  /** A column (or parameter) definition, strictly: { name, type, flags, decimals, charset, length }. */
  columnDefinition(p, fieldList = false) {
    const r = new Reader(p);
    const catalog = r.lenencBytes().toString('latin1');
    for (let i = 0; i < 3; i++) r.lenencBytes();
    const name = r.lenencBytes().toString('utf8');
    r.lenencBytes();
    const fixed = r.lenenc();
    const charset = r.u16();
    const length = r.u32();
    const type = r.u8();
    const flags = r.u16();
    const decimals = r.u8();
    r.u16();
    if (fieldList && r.remaining > 0) r.lenencBytes();
    if (!r.ok || catalog !== 'def' || fixed !== 0x0c || r.remaining !== 0) {
      throw new Violation('malformed', `bad column definition ${hexHead(p)}`);
    }
    if (!COLUMN_TYPES.has(type)) {
      throw new Violation(
        'malformed',
        `column definition of type 0x${type.toString(16)}: ${hexHead(p)}`,
      );
    }
    return { name, type, flags, decimals, charset, length };
  }

  /**
   * Result sets (text or binary rows) until a final OK or ERR; checks
   * MORE_RESULTS chaining. SERVER_PS_OUT_PARAMS only ever flags a set of
   * binary rows; every set and OK is recorded in `units`.
   */
  async resultSets(rowFormat) {
    for (let set = 0; ; set++) {
      const p = await this.must(set === 0 ? 'the reply' : 'the next result set');
      if (p[0] === 0x00) {
        const ok = parseOk(p);
        this.checkOkInfo(p);
        this.units.push({ k: 'ok', ok });
        if (ok.status & PS_OUT_PARAMS) {
          throw new Violation('spec', `an OK flagged SERVER_PS_OUT_PARAMS: ${hexHead(p)}`);
        }
        if (ok.status & MORE_RESULTS) continue;
        return { end: 'ok', ok, sets: set };
      }
      if (p[0] === 0xff) {
        const err = this.checkErr(p);
        this.units.push({ k: 'err', err });
        return { end: 'err', err, sets: set };
      }
      if (p[0] === 0xfb) throw new Violation('malformed', 'LOCAL INFILE request (not advertised)');
      const r = new Reader(p);
      const count = r.lenenc();
      if (!r.ok || r.remaining !== 0 || !count || count > 0xffff) {
        throw new Violation('malformed', `bad column count packet ${hexHead(p)}`);
      }
      this.note(`R${count}`);
      const columns = [];
      for (let i = 0; i < count; i++)
        columns.push(this.columnDefinition(await this.must('a column')));
      const unit = { k: 'set', columns, status: 0, columnsStatus: null, rows: 0 };
      if (this.collect && this.units.length < 16) unit.cells = [];
      this.units.push(unit);
      if (!this.deprecateEof) {
        const eof = await this.must('the EOF after the columns');
        if (!(isClassicEof(eof) && eof.length === 5)) {
          throw new Violation('malformed', `expected EOF after columns, got ${hexHead(eof)}`);
        }
        unit.columnsStatus = eof.readUInt16LE(3);
        if (unit.columnsStatus & CURSOR_EXISTS) {
          // An execute that opened a cursor: its metadata only, rows come with COM_STMT_FETCH.
          if (rowFormat !== 'binary') {
            throw new Violation('spec', 'SERVER_STATUS_CURSOR_EXISTS on a text result set');
          }
          unit.cursor = true;
          return { end: 'cursor', sets: set + 1, columns };
        }
      }
      for (;;) {
        if (this.bytes > this.maxReplyBytes) {
          this.capped = true;
          return { end: 'capped' };
        }
        const row = await this.must('the end of the rows');
        if (row[0] === 0xff) {
          const err = this.checkErr(row);
          this.units.push({ k: 'err', err, midSet: true });
          return { end: 'err', err, sets: set };
        }
        if (
          row[0] === 0xfe &&
          (isClassicEof(row) || (this.deprecateEof && row.length < 0xffffff))
        ) {
          let status;
          if (this.deprecateEof) status = parseOk(row, 0xfe).status;
          else if (row.length === 5) status = row.readUInt16LE(3);
          else throw new Violation('malformed', `bad EOF after rows ${hexHead(row)}`);
          unit.status = status;
          if (status & CURSOR_EXISTS) {
            if (rowFormat !== 'binary' || unit.rows > 0 || !this.deprecateEof) {
              throw new Violation(
                'spec',
                `SERVER_STATUS_CURSOR_EXISTS on the end of a ${rowFormat} result set of ${unit.rows} rows`,
              );
            }
            // With DEPRECATE_EOF the marker after the columns is the cursor's.
            unit.cursor = true;
            return { end: 'cursor', sets: set + 1, columns };
          }
          if (status & PS_OUT_PARAMS) {
            if (rowFormat !== 'binary') {
              throw new Violation('spec', 'SERVER_PS_OUT_PARAMS on a text result set');
            }
            if (unit.rows !== 1) {
              throw new Violation('spec', `an OUT-parameter result set of ${unit.rows} rows`);
            }
          }
          if (
            unit.columnsStatus !== null &&
            (unit.columnsStatus & PS_OUT_PARAMS) !== (status & PS_OUT_PARAMS)
          ) {
            throw new Violation('spec', "SERVER_PS_OUT_PARAMS on one of the set's two EOFs only");
          }
          if (!(status & MORE_RESULTS)) return { end: 'eof-final', sets: set + 1 };
          break;
        }
        unit.rows++;
        if (rowFormat === 'text') this.textRow(row, columns, unit);
        else this.binaryRow(row, columns, unit);
      }
    }
  }

  /**
   * COM_STMT_FETCH's reply: ERR, or binary rows of the cursor's columns then
   * an end marker flagged CURSOR_EXISTS (more may follow) or LAST_ROW_SENT.
   */
  async fetchRows() {
    const columns = this.fetchColumns;
    const unit = { k: 'set', columns: columns ?? [], status: 0, columnsStatus: null, rows: 0 };
    if (this.collect) unit.cells = [];
    for (;;) {
      if (this.bytes > this.maxReplyBytes) {
        this.capped = true;
        return { end: 'capped' };
      }
      const p = await this.must('the end of the fetched rows');
      if (p[0] === 0xff) {
        const err = this.checkErr(p);
        this.units.push({ k: 'err', err, midSet: unit.rows > 0 });
        return { end: 'err', err, rows: unit.rows };
      }
      if (p[0] === 0xfe && (isClassicEof(p) || (this.deprecateEof && p.length < 0xffffff))) {
        let status;
        if (this.deprecateEof) status = parseOk(p, 0xfe).status;
        else if (p.length === 5) status = p.readUInt16LE(3);
        else throw new Violation('malformed', `bad EOF after fetched rows ${hexHead(p)}`);
        if (!(status & (CURSOR_EXISTS | LAST_ROW_SENT))) {
          throw new Violation(
            'spec',
            `a fetch ended with status 0x${status.toString(16)}: neither CURSOR_EXISTS nor LAST_ROW_SENT`,
          );
        }
        unit.status = status;
        this.units.push(unit);
        this.note(`F${Math.min(unit.rows, 9)}`);
        return { end: 'fetched', rows: unit.rows, status };
      }
      if (!columns) {
        throw new Violation('spec', `a row for COM_STMT_FETCH with no cursor open: ${hexHead(p)}`);
      }
      unit.rows++;
      this.binaryRow(p, columns, unit);
    }
  }

  textRow(p, columns, unit) {
    const count = columns.length;
    const r = new Reader(p);
    const cells = this.firstRow === null ? [] : null;
    const keep = unit?.cells && unit.cells.length < 64 ? [] : null;
    for (let i = 0; i < count; i++) {
      let cell = null;
      if (p[r.off] === 0xfb) r.off++;
      else cell = r.lenencBytes();
      cells?.push(cell);
      if (!r.ok) break;
      const shown = presentText(cell, columns[i]);
      if (shown !== null && shown[0] === '!') {
        throw new Violation(
          'malformed',
          `text row, column ${i + 1} '${columns[i].name}': ${shown.slice(1)}`,
        );
      }
      keep?.push(shown);
    }
    if (cells) this.firstRow = cells;
    if (keep) unit.cells.push(keep);
    if (!r.ok || r.remaining !== 0) {
      throw new Violation('malformed', `text row does not hold ${count} cells: ${hexHead(p)}`);
    }
    if (p.length < 4096) this.textLeaks(p.toString('utf8'), 'row');
  }

  binaryRow(p, columns, unit) {
    const cells = readBinaryRow(p, columns);
    if (typeof cells === 'string') {
      throw new Violation(
        'malformed',
        `${cells} (columns ${columns.map((c) => TYPE_NAME[c.type] ?? c.type).join(',')}): ${hexHead(p)}`,
      );
    }
    if (this.firstRow === null) {
      this.firstRow = cells.map((c) =>
        c === null ? null : (c.bytes ?? Buffer.from(JSON.stringify(c.fields))),
      );
    }
    if (unit?.cells && unit.cells.length < 64) unit.cells.push(cells.map(presentBinary));
    if (p.length < 4096) this.textLeaks(p.toString('utf8'), 'row');
  }
}

export { TYPE };
