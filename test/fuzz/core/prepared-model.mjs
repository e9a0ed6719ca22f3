/**
 * The model behind kind `prepared` (kinds/prepared.mjs): what a
 * connection's prepared statements are after each command, as the replies
 * say, and what each reply must then be. Independent of lib/: statements
 * are read with core/procedures.mjs, executes decoded with core/binary.mjs.
 *
 *  - judge(out, session, procedures): every command of one input in order
 *    (the state stays on the session from one input to the next); a
 *    problem or null;
 *  - judgeDifferential(out, caps): an execute against the text statement of
 *    the same values (seeds bound to `expect:diff`).
 */
import {
  argtypesRow,
  CURSOR_EXISTS,
  CURSOR_TYPES,
  decodeExecute,
  LAST_ROW_SENT,
  MORE_RESULTS,
  PS_OUT_PARAMS,
  samePresented,
  TYPE_NAME,
} from './binary.mjs';
import { parseSimpleCall } from './procedures.mjs';
import { CLIENT, COM } from './wire.mjs';

const LAST = 0xffffffff;
/** max_allowed_packet of the sample (its default): the most long data a statement may gather. */
const MAX_PACKET = 64 * 1024 * 1024;

// ---- the model ---------------------------------------------------------------------------------

const mysqlExecuteErr = (err) =>
  err.code === 1835 || (err.code === 1210 && /mysqld_stmt_execute/.test(err.message));

/** The statement a PREPARE's text is, as far as the harness can say. */
function describeStatement(sql, procs) {
  const call = parseSimpleCall(sql);
  if (!call) return { call: null };
  const schema = call.schema ?? 'rpc';
  const proc = procs.get(call.name) ?? null;
  // Another spelling of a name the server has, or of its schema: MySQL's rules on case are not the harness's to insist on.
  const unsure =
    (call.schema !== null && call.schema !== 'rpc' && call.schema.toLowerCase() === 'rpc') ||
    (!proc && [...procs.keys()].some((k) => k.toLowerCase() === call.name.toLowerCase()));
  const positions = [];
  call.args.forEach((a, i) => a.kind === '?' && positions.push(i));
  return unsure ? { call: null } : { call, schema, proc, positions };
}

/**
 * Runs the model over one input's commands and replies; returns a problem
 * or null. `caps`: the session's capabilities.
 */
export function judge(out, s, procs) {
  // The model lives on the connection: statements stay open from one input to the next.
  s.prepModel ??= { stmts: new Map(), lastId: null };
  const model = s.prepModel;
  const stmts = model.stmts;
  const caps = s.caps;
  const resolve = (id) => (id === LAST ? model.lastId : id);
  for (const [k, { cmd, payload, r, units }] of out.replies.entries()) {
    const at = `command ${k + 1} (0x${cmd.toString(16)})`;
    const err = r.end === 'err' ? r.err : null;
    switch (cmd) {
      case COM.STMT_PREPARE: {
        const sql = payload.toString('utf8', 1);
        const d = describeStatement(sql, procs);
        if (r.end === 'prepared') {
          if (d.call && r.params !== d.call.placeholders) {
            return `${at}: PREPARE_OK of ${JSON.stringify(sql.slice(0, 80))} has ${r.params} parameters, the statement ${d.call.placeholders} placeholders`;
          }
          if (d.call && (d.schema !== 'rpc' || !d.proc)) {
            return `${at}: ${JSON.stringify(sql.slice(0, 80))} names no procedure of the server, yet PREPARE_OK`;
          }
          stmts.set(r.id, {
            params: r.params,
            sql,
            cursor: false,
            d,
            boundTypes: null,
            long: null,
            longBytes: 0,
            longErr: null,
          });
          model.lastId = r.id;
        } else if (err && d.call && d.proc && d.schema === 'rpc' && d.call.placeholders <= 65535) {
          if (![1461, 1318, 1414].includes(err.code)) {
            return `${at}: preparing ${JSON.stringify(sql.slice(0, 80))} got ERR ${err.code} ${err.message.slice(0, 80)}`;
          }
        } else if (
          err &&
          d.call &&
          d.schema === 'rpc' &&
          !d.proc &&
          !procs.has(d.call.name.toLowerCase())
        ) {
          if (procs.size > 0 && err.code !== 1305) {
            return `${at}: preparing a CALL of an unknown procedure got ERR ${err.code}, not 1305`;
          }
        } else if (err && d.call && d.schema !== 'rpc' && err.code !== 1370 && err.code !== 1305) {
          return `${at}: preparing a CALL in schema ${d.schema} got ERR ${err.code}, not 1370`;
        } else if (err && d.call && d.call.placeholders > 65535 && err.code !== 1390) {
          return `${at}: ${d.call.placeholders} placeholders got ERR ${err.code}, not 1390`;
        }
        break;
      }
      case COM.STMT_EXECUTE: {
        if (payload.length < 5) {
          if (!err) return `${at}: an execute of ${payload.length} bytes got ${r.end}, not ERR`;
          break;
        }
        const given = payload.readUInt32LE(1);
        const st = stmts.get(resolve(given));
        if (!st) {
          s.count('prepared: execute of an unknown id');
          const want = `Unknown prepared statement handler (${given}) given to mysqld_stmt_execute`;
          if (!err || err.code !== 1243 || err.message !== want) {
            return `${at}: execute of ${given === LAST ? 'statement 0xffffffff with none prepared' : `unknown statement ${given}`} got ${err ? `ERR ${err.code} ${err.message}` : r.end}, not ERR 1243`;
          }
          break;
        }
        if (err?.code === 1243) return `${at}: execute of open statement ${given} got ERR 1243`;
        const long = st.long;
        const longErr = st.longErr;
        st.long = null;
        st.longBytes = 0;
        st.longErr = null;
        if (longErr) {
          s.count(`prepared: deferred long-data ERR ${longErr.code}`);
          if (!err || err.code !== longErr.code || !longErr.re.test(err.message)) {
            return `${at}: the long data sent before should have made this execute ERR ${longErr.code}, got ${err ? `ERR ${err.code} ${err.message}` : r.end}`;
          }
          break;
        }
        if (err && /mysqld_stmt_send_long_data/.test(err.message)) {
          // Only long data sent since the last execute or reset can make this one fail so.
          return `${at}: ERR ${err.code} ${err.message}, but no long data since the last execute of statement ${given} went wrong`;
        }
        const dec = decodeExecute(payload, st, long);
        const refused = err !== null && mysqlExecuteErr(err);
        s.count(`prepared: execute ${dec.verdict}${refused ? ' refused' : ''}`);
        if (dec.verdict === 'valid' && (refused || err?.code === 1210)) {
          return `${at}: a well-formed execute was refused with ERR ${err.code} ${err.message}`;
        }
        if (dec.verdict === 'invalid' && !refused) {
          return `${at}: an execute that cannot be read (${dec.why}) got ${err ? `ERR ${err.code} ${err.message}` : r.end}, not ERR 1210`;
        }
        if (dec.newTypes) st.boundTypes = refused ? 'unknown' : dec.types;
        // Any execute closes the statement's cursor; only a session statement asked for one opens one.
        st.cursor = false;
        if (r.end === 'cursor') {
          const call = /^[\s(]*call\b/i.test(st.sql);
          if (!(payload[5] & CURSOR_TYPES) || call) {
            return `${at}: a cursor opened by an execute ${call ? 'of a CALL' : 'that asked for none'} (flags 0x${payload[5].toString(16)})`;
          }
          s.count('prepared: cursors opened');
          st.cursor = true;
          break;
        }
        if (refused || !dec.values) break;
        const problem = judgeCall(st, dec, r, units, caps, procs, s);
        if (problem) return `${at}: ${problem}`;
        break;
      }
      case COM.STMT_SEND_LONG_DATA: {
        if (payload.length < 7) break;
        const st = stmts.get(resolve(payload.readUInt32LE(1)));
        if (!st || st.longErr) break;
        const p = payload.readUInt16LE(5);
        const data = payload.subarray(7);
        if (p >= st.params) {
          st.longErr = { code: 1210, re: /^Incorrect arguments to mysqld_stmt_send_long_data$/ };
        } else if (st.longBytes + data.length > MAX_PACKET) {
          st.longErr = { code: 1153, re: /max_allowed_packet/ };
        } else {
          st.long ??= [];
          st.long[p] = Buffer.concat([st.long[p] ?? Buffer.alloc(0), data]);
          st.longBytes += data.length;
        }
        break;
      }
      case COM.STMT_CLOSE:
        if (payload.length >= 5) stmts.delete(resolve(payload.readUInt32LE(1)));
        break;
      case COM.STMT_RESET:
      case COM.STMT_FETCH: {
        const need = cmd === COM.STMT_RESET ? 5 : 9;
        if (payload.length < need) {
          if (!err) return `${at}: a ${payload.length}-byte command got ${r.end}, not ERR`;
          break;
        }
        const given = payload.readUInt32LE(1);
        const st = stmts.get(resolve(given));
        const name = cmd === COM.STMT_RESET ? 'mysqld_stmt_reset' : 'mysqld_stmt_fetch';
        if (!st) {
          const want = `Unknown prepared statement handler (${given}) given to ${name}`;
          if (!err || err.code !== 1243 || err.message !== want) {
            return `${at}: ${name} of unknown statement ${given} got ${err ? `ERR ${err.code} ${err.message}` : r.end}, not ERR 1243`;
          }
          break;
        }
        if (cmd === COM.STMT_RESET) {
          if (r.end !== 'ok')
            return `${at}: COM_STMT_RESET of open statement ${given} got ${err ? `ERR ${err.code}` : r.end}`;
          st.long = null;
          st.longBytes = 0;
          st.longErr = null;
          // A reset closes the cursor; types bound before stay bound (PHP's mysqlnd executes
          // after a reset without sending them again).
          st.cursor = false;
          break;
        }
        const problem = judgeFetch(st, given, resolve(given), payload.readUInt32LE(5), r, s);
        if (problem) return `${at}: ${problem}`;
        break;
      }
      case COM.RESET_CONNECTION:
        if (r.end === 'ok') stmts.clear();
        break;
      case COM.CHANGE_USER:
        if (r.end === 'ok') stmts.clear();
        break;
      default:
    }
  }
  return null;
}

/**
 * COM_STMT_FETCH of an open statement: ERR 1421 naming it without a cursor;
 * with one, at most the rows asked for, and fewer only with LAST_ROW_SENT
 * (which closes it).
 */
function judgeFetch(st, given, id, asked, r, s) {
  const err = r.end === 'err' ? r.err : null;
  if (!st.cursor) {
    const names = [
      `The statement (${given}) has no open cursor.`,
      `The statement (${id}) has no open cursor.`,
    ];
    if (!err || err.code !== 1421 || !names.includes(err.message)) {
      return `COM_STMT_FETCH of statement ${given} without a cursor got ${err ? `ERR ${err.code} ${err.message}` : `${r.end} (${r.rows} rows)`}, not ERR 1421`;
    }
    return null;
  }
  if (err) {
    st.cursor = false;
    return err.code === 1153
      ? null
      : `COM_STMT_FETCH from an open cursor got ERR ${err.code} ${err.message}`;
  }
  s.count('prepared: fetches from a cursor');
  if (r.rows > asked) return `COM_STMT_FETCH of ${asked} rows got ${r.rows}`;
  const last = (r.status & LAST_ROW_SENT) !== 0;
  if (r.rows < asked && !last) {
    return `COM_STMT_FETCH of ${asked} rows got ${r.rows} without SERVER_STATUS_LAST_ROW_SENT`;
  }
  if (last && r.status & CURSOR_EXISTS)
    return 'a fetch flagged both CURSOR_EXISTS and LAST_ROW_SENT';
  if (last) st.cursor = false;
  return null;
}

/** The reply of an execute that the model could read, for a CALL it knows. */
function judgeCall(st, dec, r, units, caps, procs, s) {
  const d = st.d;
  if (!d.call || !d.proc || d.schema !== 'rpc') return null;
  const sets = units.filter((u) => u.k === 'set');
  const outSets = sets.filter((u) => u.status & PS_OUT_PARAMS);
  const final = units.at(-1);
  if (r.end === 'err') {
    if (outSets.length) return 'an OUT-parameter result set before an ERR';
    return null;
  }
  const sig = d.proc.params;
  const outPositions = d.positions.filter((p) => sig && ['OUT', 'INOUT'].includes(sig[p]?.dir));
  const want =
    outPositions.length > 0 &&
    (caps & CLIENT.PS_MULTI_RESULTS) !== 0 &&
    (caps & CLIENT.MULTI_RESULTS) !== 0;
  if (final?.k === 'ok' && sig && sig.length === d.call.args.length) {
    if (want && outSets.length !== 1) {
      return `CALL ${d.call.name} binds OUT parameters to ?, the client has CLIENT_PS_MULTI_RESULTS: ${outSets.length} OUT-parameter result sets, not 1`;
    }
    if (!want && outSets.length > 0) {
      return `an OUT-parameter result set for CALL ${d.call.name} (${outPositions.length} OUT placeholders, PS_MULTI_RESULTS ${(caps & CLIENT.PS_MULTI_RESULTS) !== 0})`;
    }
    if (outSets.length === 1) {
      s.count('prepared: OUT-parameter result sets');
      if (sets.at(-1) !== outSets[0]) return 'the OUT-parameter result set is not the last';
      if (outSets[0].columns.length !== outPositions.length) {
        return `the OUT-parameter result set has ${outSets[0].columns.length} columns for ${outPositions.length} OUT placeholders`;
      }
      if (!(outSets[0].status & MORE_RESULTS))
        return 'the OUT-parameter result set is not flagged MORE_RESULTS_EXISTS';
    }
  }
  if (d.call.name === 'argtypes' && sets.length === 1 && sets[0].cells) {
    // Each placeholder as the handler saw it: the model's decoding of the bytes.
    const rows = sets[0].cells;
    for (const [k, pos] of d.positions.entries()) {
      const v = dec.values[k];
      const row = rows[pos];
      if (!v?.sure || !row) continue;
      s.count('prepared: argtypes() values checked');
      const [wantType, wantText] = argtypesRow(v.value);
      const gotType = row[1] && Buffer.from(row[1].slice(6), 'hex').toString('utf8');
      const gotText = row[2] === null ? null : Buffer.from(row[2].slice(6), 'hex').toString('utf8');
      if (gotType !== wantType || gotText !== wantText) {
        const t = (dec.types?.[k] ?? st.boundTypes?.[k])?.type;
        return `argtypes() saw placeholder ${k + 1} (${TYPE_NAME[t] ?? t}) as ${gotType} ${JSON.stringify(gotText)}, the bytes say ${wantType} ${JSON.stringify(wantText)}`;
      }
    }
  }
  return null;
}

/** The differential: the execute against the text CALL of the same values. */
export function judgeDifferential(out, caps) {
  const reps = out.replies;
  const exec = reps.find((x) => x.cmd === COM.STMT_EXECUTE);
  const prepared = reps.find((x) => x.cmd === COM.STMT_PREPARE)?.payload.subarray(1);
  // The text twin: the CALL with literals, or the very statement prepared (a session statement).
  const calls = reps.filter(
    (x) =>
      x.cmd === COM.QUERY &&
      (/^CALL /.test(x.payload.toString('latin1', 1, 6)) ||
        (prepared && x.payload.subarray(1).equals(prepared))),
  );
  const text = calls.at(-1);
  const select = reps.find(
    (x) => x.cmd === COM.QUERY && /^SELECT @fuzz_o/.test(x.payload.toString('latin1', 1)),
  );
  if (!exec || !text) return null;
  const what = `execute vs ${JSON.stringify(text.payload.toString('utf8', 1).slice(0, 100))}`;
  const e = exec.r.end === 'err' ? exec.r.err : null;
  const t = text.r.end === 'err' ? text.r.err : null;
  if (e || t) {
    if (!e || !t || e.code !== t.code || e.message !== t.message) {
      return `${what}: ${e ? `ERR ${e.code} ${e.message}` : exec.r.end} vs ${t ? `ERR ${t.code} ${t.message}` : text.r.end}`;
    }
    return null;
  }
  const eSets = exec.units.filter((u) => u.k === 'set' && !(u.status & PS_OUT_PARAMS));
  const outSet = exec.units.find((u) => u.k === 'set' && u.status & PS_OUT_PARAMS);
  const tSets = text.units.filter((u) => u.k === 'set');
  if (eSets.length !== tSets.length)
    return `${what}: ${eSets.length} result sets vs ${tSets.length}`;
  for (let i = 0; i < eSets.length; i++) {
    const a = eSets[i];
    const b = tSets[i];
    const names = (u) => u.columns.map((c) => `${c.name}:${TYPE_NAME[c.type]}`).join(',');
    if (names(a) !== names(b)) return `${what}: set ${i + 1} columns ${names(a)} vs ${names(b)}`;
    if (a.rows !== b.rows) return `${what}: set ${i + 1} has ${a.rows} rows vs ${b.rows}`;
    for (let r = 0; r < Math.min(a.cells?.length ?? 0, b.cells?.length ?? 0); r++) {
      for (let c = 0; c < a.columns.length; c++) {
        if (!samePresented(a.cells[r][c], b.cells[r][c])) {
          return `${what}: set ${i + 1} row ${r + 1} column '${a.columns[c].name}' (${TYPE_NAME[a.columns[c].type]}): binary ${a.cells[r][c]} vs text ${b.cells[r][c]}`;
        }
      }
    }
  }
  const eOk = exec.units.at(-1);
  const tOk = text.units.at(-1);
  if (eOk?.k === 'ok' && tOk?.k === 'ok' && eOk.ok.affectedRows !== tOk.ok.affectedRows) {
    return `${what}: affected rows ${eOk.ok.affectedRows} vs ${tOk.ok.affectedRows}`;
  }
  if (outSet && select) {
    const row = outSet.cells?.[0];
    const sel = select.units.find((u) => u.k === 'set')?.cells?.[0];
    if (row && sel) {
      for (let c = 0; c < row.length; c++) {
        if (!sameValue(row[c], sel[c])) {
          return `${what}: OUT parameter ${c + 1} is ${row[c]}, SELECT of its variable after the text CALL ${sel[c]}`;
        }
      }
    }
  } else if (select && caps & CLIENT.PS_MULTI_RESULTS && caps & CLIENT.MULTI_RESULTS && !outSet) {
    return `${what}: no OUT-parameter result set for a CALL with OUT placeholders (CLIENT_PS_MULTI_RESULTS)`;
  }
  return null;
}

/** Values of possibly different column types (an OUT column, a user variable): by value. */
function sameValue(a, b) {
  if (samePresented(a, b)) return true;
  if (a === null || b === null) return false;
  const num = (x) =>
    /^(int|double|float|decimal):/.test(x) ? Number(x.slice(x.indexOf(':') + 1)) : NaN;
  if (!Number.isNaN(num(a)) && num(a) === num(b)) return true;
  return false;
}
