/**
 * Kind `multi`: multi-statement queries. An input is a stream of client
 * packets: COM_QUERY holding several `;`-separated statements (CALLs with
 * and without result sets, SET @x, SELECT @x, session statements, broken
 * statements, strings, identifiers and comments holding `;`), with
 * multi-statements turned on at login (CLIENT_MULTI_STATEMENTS in half the
 * profiles) or by COM_SET_OPTION in the input, and sometimes off again.
 * Seeds are what the drivers send (captured) and generated batches;
 * mutations work on statements, tokens, bytes and packets.
 *
 * Oracle, beyond the shared one (every packet parsed, sequence ids, the
 * PING afterwards answered and not flagged MORE_RESULTS_EXISTS):
 *  - the harness splits the query itself (only when it can be sure: no
 *    backslashes, no version comments, nothing unterminated, no empty
 *    statement in the middle) and reads the reply statement by statement
 *    (a CALL: result sets then its OK; anything else: one OK, result set
 *    or ERR): one reply per statement up to and including the first ERR,
 *    every statement's last OK/EOF flagged SERVER_MORE_RESULTS_EXISTS but
 *    the last one's, nothing after an ERR;
 *  - multi-statements off (at login, or COM_SET_OPTION(1)): a query of
 *    several statements is one ERR; COM_SET_OPTION with an option other
 *    than 0 or 1 is an ERR and changes nothing;
 *  - `SET @fuzz_x = N; ...; SELECT @fuzz_x` in one query shows N;
 *  - a query ending in `SET @fuzz_tail = 1` (before() sets it to 0) leaves
 *    it 1 when every statement succeeded and 0 when one failed: nothing
 *    after an ERR ran;
 *  - the same input past the large-statement threshold (a twin with leading
 *    blanks, parsed off the event loop) gets a byte-identical reply.
 */
import { CLIENT, COM, command, frame, frameLogical } from '../core/wire.mjs';
import { mutateBytes, mutateFrames, splitFrames, joinFrames } from '../core/mutate.mjs';
import { MORE_RESULTS } from '../core/binary.mjs';
import { mutateTokens } from './sql.mjs';

const BASE =
  CLIENT.LONG_PASSWORD |
  CLIENT.PROTOCOL_41 |
  CLIENT.TRANSACTIONS |
  CLIENT.SECURE_CONNECTION |
  CLIENT.MULTI_RESULTS |
  CLIENT.PLUGIN_AUTH;
export const MULTI_CAPS = [
  BASE | CLIENT.MULTI_STATEMENTS,
  BASE | CLIENT.MULTI_STATEMENTS | CLIENT.DEPRECATE_EOF,
  BASE | CLIENT.MULTI_STATEMENTS | CLIENT.PS_MULTI_RESULTS | CLIENT.SSL,
  BASE,
  BASE | CLIENT.DEPRECATE_EOF,
];

const SET_OPTION_ON = command(COM.SET_OPTION, Buffer.from([0, 0]));
const SET_OPTION_OFF = command(COM.SET_OPTION, Buffer.from([1, 0]));

// ---- statements ----------------------------------------------------------------

let unique = 1;
const STATEMENTS = [
  () => `CALL myadd(${unique++}, ${unique % 97})`,
  () => 'CALL series(2)',
  () => 'CALL numbers(3)',
  () => 'CALL touch(5)',
  () => 'CALL whoami()',
  () => "CALL fail('dup')",
  () => 'CALL nope()',
  () => 'CALL myadd(1)',
  () => "CALL argtypes('a;b', 2)",
  () => 'CALL myadd_out(1, 2, @fuzz_o)',
  () => `SET @fuzz_a = ${unique++}`,
  () => "SET @fuzz_b = 'x;y'",
  () => 'SET @fuzz_c := 3, @fuzz_d = 4',
  () => 'SELECT @fuzz_a',
  () => 'SELECT @fuzz_a, @fuzz_b',
  () => 'SELECT @fuzz_o',
  () => 'SELECT 1',
  () => "SELECT 'a;b' AS s",
  () => 'SELECT "q;" AS `c;d`',
  () => 'select @@version_comment limit 1',
  () => 'SHOW WARNINGS',
  () => 'USE rpc',
  () => 'USE nope',
  () => 'BEGIN',
  () => 'COMMIT',
  () => 'SET autocommit=1',
  () => 'SELEC 1',
  () => 'DO 1',
  () => 'CALL myadd(1',
  () => 'SELECT @@nope',
  () => '/* ; */ SELECT 2',
  () => 'SELECT 3 /* ; */',
  () => '# ;\nSELECT 4',
  () => '-- ;\nSELECT 5',
];

const SEPARATORS = [';', '; ', ';\n', ' ;', ';\t', '; /* between */ ', ';-- c\n', ';# c\n'];

/** A batch of statements as one query. */
function genQuery(rng, n = rng.int(2, 7), tail = rng.chance(0.5)) {
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(rng.pick(STATEMENTS)());
  if (tail) parts.push('SET @fuzz_tail = 1');
  let sql = parts[0];
  for (let i = 1; i < parts.length; i++) sql += rng.pick(SEPARATORS) + parts[i];
  if (rng.chance(0.3)) sql += rng.pick([';', '; ', ';\n', '; /* done */ ', ';;']);
  return sql;
}

const query = (sql) =>
  frameLogical(0, Buffer.concat([Buffer.from([COM.QUERY]), Buffer.from(sql, 'utf8')]));

// ---- the harness's own split -----------------------------------------------------

/**
 * Splits a query at `;` outside strings, identifiers and comments, as MySQL
 * does. { sure, statements: [{ text, call }] }; not sure (and no
 * statements) where MySQL's reading could depend on more than the text:
 * backslashes (sql_mode), version and hint comments, anything
 * unterminated, NUL, an empty statement before another.
 */
/** MySQL's blanks: ASCII only (a no-break space belongs to an identifier, as any character past 0x7F). */
const BLANK = /[ \t\n\v\f\r]/;

export function splitStatements(sql) {
  const n = sql.length;
  const statements = [];
  let start = 0;
  let content = false;
  let first = null;
  const no = { sure: false, statements: [] };
  // MySQL's lexer ends a `#` comment at a NUL and then stumbles on it: not the harness's to model.
  if (sql.includes('\0')) return no;
  const end = (i) => {
    statements.push({ text: sql.slice(start, i), content, first });
    start = i + 1;
    content = false;
    first = null;
  };
  for (let i = 0; i < n; i++) {
    const c = sql[i];
    if (c === '\0' || c === '\\') return no;
    if (BLANK.test(c)) continue;
    if (c === ';') {
      end(i);
      continue;
    }
    if (c === '#') {
      const e = sql.indexOf('\n', i);
      i = e < 0 ? n : e;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      const after = sql[i + 2];
      if (after === undefined) return no;
      if (after.charCodeAt(0) <= 0x20) {
        const e = sql.indexOf('\n', i);
        i = e < 0 ? n : e;
        continue;
      }
    }
    if (c === '/' && sql[i + 1] === '*') {
      if (sql[i + 2] === '!' || sql[i + 2] === '+') return no;
      const e = sql.indexOf('*/', i + 2);
      if (e < 0) return no;
      i = e + 1;
      continue;
    }
    if (!content) {
      content = true;
      const m = /^[A-Za-z_]+/.exec(sql.slice(i, i + 16));
      first = m ? m[0].toUpperCase() : c;
    }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      for (;;) {
        const k = sql.indexOf(c, j);
        if (k < 0) return no;
        if (sql[k + 1] === c) {
          j = k + 2;
          continue;
        }
        i = k;
        break;
      }
    }
  }
  end(n);
  // Blanks and comments after the last `;` are no statement; an empty one before another
  // (`;;` included, at the end too) is unclear.
  if (statements.length > 1 && !statements.at(-1).content) statements.pop();
  if (statements.length === 0 || statements.some((s) => !s.content)) return no;
  return {
    sure: true,
    statements: statements.map((s) => ({ text: s.text, call: s.first === 'CALL' })),
  };
}

// ---- the model ----------------------------------------------------------------------

/** Statements that succeed whatever the session's state (on a connection that may call myadd). */
const CANNOT_FAIL =
  /^[ \t\n\r]*(?:SELECT [1-9]\d{0,5}|SET @fuzz_[a-z]+ = -?\d{1,9}|CALL myadd\(\d{1,9}, \d{1,9}\))[ \t\n\r]*$/;

/**
 * Reads one query's reply statement by statement; a problem or null.
 * `units` as the reply reader recorded them.
 */
function judgeQuery(units, statements, s) {
  let u = 0;
  const total = statements.length;
  for (let i = 0; i < total; i++) {
    const last = i === total - 1;
    const at = `statement ${i + 1} of ${total} (${JSON.stringify(statements[i].text.trim().slice(0, 60))})`;
    if (u >= units.length) return `the reply ended before ${at}`;
    if (statements[i].call) {
      while (units[u]?.k === 'set') {
        if (!(units[u].status & MORE_RESULTS)) {
          return `${at}: a CALL's result set not flagged MORE_RESULTS_EXISTS`;
        }
        u++;
      }
    }
    const unit = units[u];
    if (!unit) return `the reply ended inside ${at}`;
    if (unit.k === 'err' && CANNOT_FAIL.test(statements[i].text)) {
      return `${at}: ERR ${unit.err.code} ${unit.err.message.slice(0, 100)}, for a statement that cannot fail`;
    }
    if (unit.k === 'err') {
      s.count(
        `multi: stopped at an ERR in statement ${Math.min(i + 1, 4)}${i + 1 >= 4 ? '+' : ''}`,
      );
      return u === units.length - 1 ? null : `${at}: replies after its ERR`;
    }
    const status = unit.k === 'ok' ? unit.ok.status : unit.status;
    if (Boolean(status & MORE_RESULTS) === last) {
      return `${at}: its ${unit.k === 'ok' ? 'OK' : 'result set'} is ${last ? '' : 'not '}flagged MORE_RESULTS_EXISTS`;
    }
    if (
      unit.k === 'set' &&
      unit.columnsStatus !== null &&
      Boolean(unit.columnsStatus & MORE_RESULTS) === last
    ) {
      return `${at}: the EOF after its columns is ${last ? '' : 'not '}flagged MORE_RESULTS_EXISTS`;
    }
    u++;
  }
  if (u !== units.length) return `${units.length - u} replies more than the ${total} statements`;
  s.count(`multi: ${Math.min(total, 6)}${total >= 6 ? '+' : ''} statements answered in turn`);
  return null;
}

/** `SET @fuzz_x = N` before `SELECT @fuzz_x` in one query: the SELECT shows N. */
function judgeVariables(units, statements) {
  const known = new Map();
  let u = 0;
  for (const st of statements) {
    // Units of this statement (the reply was judged well-formed already).
    const mine = [];
    if (st.call) while (units[u]?.k === 'set') mine.push(units[u++]);
    if (u >= units.length) break;
    mine.push(units[u++]);
    if (mine.at(-1).k === 'err') break;
    const set =
      /^[ \t\n\r]*SET[ \t\n\r]+@(fuzz_[a-z]+)[ \t\n\r]*:?=[ \t\n\r]*(-?\d{1,15})[ \t\n\r]*$/i.exec(
        st.text,
      );
    if (set) known.set(set[1].toLowerCase(), `int:${BigInt(set[2])}`);
    const sel = /^[ \t\n\r]*SELECT[ \t\n\r]+@(fuzz_[a-z]+)[ \t\n\r]*$/i.exec(st.text);
    const name = sel?.[1].toLowerCase();
    if (name && known.has(name)) {
      const cell = mine[0]?.cells?.[0]?.[0];
      if (cell !== undefined && cell !== known.get(name)) {
        return `SELECT @${name} after SET @${name} = ${known.get(name).slice(4)} in the same query gave ${cell}`;
      }
    }
  }
  return null;
}

function judge(out, s) {
  for (const [k, { cmd, payload, r, units }] of out.replies.entries()) {
    if (cmd === COM.SET_OPTION) {
      const option = payload.length === 3 ? payload.readUInt16LE(1) : -1;
      const done = r.end === 'eof' || r.end === 'ok';
      if (option !== 0 && option !== 1) {
        if (done) return `COM_SET_OPTION ${payload.subarray(1).toString('hex')} was accepted`;
      } else if (done) s.multiOn = option === 0;
      continue;
    }
    if (cmd === COM.CHANGE_USER) {
      // MySQL keeps the option: COM_SET_OPTION edits the session's client capabilities,
      // and COM_CHANGE_USER carries none to replace them. A failed change ends the session.
      if (r.end !== 'ok') s.multiOn = null;
      continue;
    }
    if (cmd !== COM.QUERY || r.end === 'capped') continue;
    const split = splitStatements(payload.toString('utf8', 1));
    if (!split.sure) {
      s.count('multi: queries the harness cannot split');
      continue;
    }
    const n = split.statements.length;
    if (s.multiOn === true) {
      const problem =
        judgeQuery(units, split.statements, s) ?? judgeVariables(units, split.statements);
      if (problem) return `query ${k + 1}: ${problem}`;
      s.lastSplit = split;
      s.lastUnits = units;
    } else if (s.multiOn === false && n > 1) {
      s.count('multi: several statements with the option off');
      if (units.length !== 1 || units[0].k !== 'err') {
        return `query ${k + 1}: ${n} statements with multi-statements off got ${units.map((x) => x.k).join(',')}, not one ERR`;
      }
    }
  }
  return null;
}

// ---- mutations --------------------------------------------------------------------------

function mutateQuerySql(rng, sql, ctx) {
  const parts = sql.split(';');
  switch (
    rng.weighted([
      [4, 'tokens'],
      [2, 'statements'],
      [1, 'bytes'],
    ])
  ) {
    case 'tokens':
      return mutateTokens(rng, Buffer.from(sql, 'utf8'), ctx).toString('latin1');
    case 'statements': {
      const i = rng.below(parts.length);
      const op = rng.pick(['insert', 'delete', 'dup', 'swap', 'empty']);
      if (op === 'insert') parts.splice(i, 0, ` ${rng.pick(STATEMENTS)()}`);
      else if (op === 'delete' && parts.length > 1) parts.splice(i, 1);
      else if (op === 'dup') parts.splice(i, 0, parts[i]);
      else if (op === 'swap') {
        const j = rng.below(parts.length);
        [parts[i], parts[j]] = [parts[j], parts[i]];
      } else parts.splice(i, 0, rng.pick(['', ' ', '/* */']));
      return parts.join(';');
    }
    default:
      return mutateBytes(rng, Buffer.from(sql, 'utf8'), ctx).toString('latin1');
  }
}

export default {
  name: 'multi',
  description: 'multi-statement queries',
  weight: 3,
  session: 'logged-in',
  capProfiles: MULTI_CAPS,
  seeds(ctx) {
    const out = [];
    for (const c of ctx.captured.multi ?? []) {
      out.push({ bytes: Buffer.concat(c.frames.map((h) => frame(0, Buffer.from(h, 'hex')))) });
    }
    const fixed = [
      'SET @fuzz_a = 5; SELECT @fuzz_a; CALL myadd(@fuzz_a, 2)',
      'CALL myadd(1, 2); CALL myadd(3, 4)',
      'CALL series(2); CALL stats(); SELECT 1',
      'SET @fuzz_m = 1; CALL nosuch(); SET @fuzz_m = 2',
      'SET @fuzz_c = 3; SELEC 1; SET @fuzz_c = 4',
      'SELECT 1; /* done */ ',
      'SELECT \'a;b\' AS `c;d`; SELECT "e;f"; SELECT 1 /* ; */; # ;\nSELECT 2',
      "CALL fail('dup'); SELECT 1",
      'CALL touch(3); CALL touch(4); SET @fuzz_tail = 1',
      'CALL myadd(1, 2); CALL nope(); SET @fuzz_tail = 1',
      'CALL myadd_out(3, 4, @fuzz_o); SELECT @fuzz_o; SET @fuzz_tail = 1',
      'USE rpc; BEGIN; SELECT 1; COMMIT; SET @fuzz_tail = 1',
      'SELECT 1;;SELECT 2',
      ';SELECT 1',
      'SELECT 1; SELECT 2; SELECT 3; SELECT 4; SELECT 5; SELECT 6; SELECT 7; SELECT 8; SELECT 9; SELECT 10',
    ];
    for (const sql of fixed) {
      out.push({ bytes: query(sql) });
      out.push({ bytes: Buffer.concat([SET_OPTION_ON, query(sql)]) });
    }
    out.push({
      bytes: Buffer.concat([
        SET_OPTION_ON,
        query('SELECT 1; SELECT 2'),
        SET_OPTION_OFF,
        query('SELECT 1; SELECT 2'),
      ]),
    });
    out.push({
      bytes: Buffer.concat([
        command(COM.SET_OPTION, Buffer.from([2, 0])),
        query('SELECT 1; SELECT 2'),
      ]),
    });
    out.push({
      bytes: Buffer.concat([
        command(COM.SET_OPTION, Buffer.from([0])),
        query('SELECT 1; SELECT 2'),
      ]),
    });
    out.push({
      bytes: Buffer.concat([SET_OPTION_ON, query('CALL myadd(1, 2); SELECT 1'), command(COM.PING)]),
    });
    return out;
  },
  mutate(rng, entry, ctx) {
    if (rng.chance(0.2)) {
      const sql = genQuery(rng);
      return { bytes: Buffer.concat([...(rng.chance(0.5) ? [SET_OPTION_ON] : []), query(sql)]) };
    }
    if (rng.chance(0.002)) {
      // A batch past the large-statement threshold.
      const pad = ' '.repeat(ctx.sliceBytes + rng.int(1, 4096));
      return { bytes: Buffer.concat([SET_OPTION_ON, query(pad + genQuery(rng))]) };
    }
    const parsed = splitFrames(entry.bytes);
    const queries = parsed.frames.filter((f) => f.payload[0] === COM.QUERY);
    if (queries.length > 0 && rng.chance(0.7)) {
      const f = rng.pick(queries);
      const i = parsed.frames.indexOf(f);
      const sql = mutateQuerySql(rng, f.payload.toString('utf8', 1), ctx);
      parsed.frames[i] = {
        seq: 0,
        payload: Buffer.concat([Buffer.from([COM.QUERY]), Buffer.from(sql, 'latin1')]),
      };
      return { bytes: joinFrames(parsed) };
    }
    const c = {
      ...ctx,
      extraFrames: (r) =>
        r.pick([SET_OPTION_ON, SET_OPTION_OFF, command(COM.PING), query(genQuery(r, r.int(1, 3)))]),
    };
    return { bytes: mutateFrames(rng, entry.bytes, c, (r, p, x) => mutateBytes(r, p, x)) };
  },
  wire: (bytes) => bytes,
  setup(s) {
    s.collect = true;
    s.multiOn = (s.caps & CLIENT.MULTI_STATEMENTS) !== 0;
  },
  /** The sentinel that tells whether statements after an ERR ran. */
  async before(s) {
    if (s.multiOn !== null) await s.query('SET @fuzz_tail = 0');
    s.lastSplit = null;
  },
  check(out, entry, s) {
    return judge(out, s);
  },
  async after(s, out) {
    const split = s.lastSplit;
    if (!split || s.multiOn !== true) return null;
    // Only plain queries in the input (a COM_RESET_CONNECTION would clear the sentinel).
    if (out.replies.some((x) => ![COM.QUERY, COM.SET_OPTION, COM.PING].includes(x.cmd)))
      return null;
    const queries = out.replies.filter((x) => x.cmd === COM.QUERY);
    if (queries.filter((x) => /fuzz_tail/i.test(x.payload.toString('latin1'))).length !== 1)
      return null;
    const texts = split.statements.map((x) => x.text);
    const tail = /^[ \t\n\r]*SET[ \t\n\r]+@fuzz_tail[ \t\n\r]*=[ \t\n\r]*1[ \t\n\r]*$/i;
    if (!tail.test(texts.at(-1)) || texts.slice(0, -1).some((t) => /fuzz_tail/i.test(t)))
      return null;
    const failed = s.lastUnits.some((u) => u.k === 'err');
    const row = await s.query('SELECT @fuzz_tail');
    const want = failed ? '0' : '1';
    s.count(`multi: tail sentinel ${failed ? 'after an ERR' : 'after success'}`);
    if (row?.[0] !== want) {
      return `SET @fuzz_tail = 1 ended a query ${failed ? 'that stopped at an ERR' : 'that succeeded'}; @fuzz_tail is ${JSON.stringify(row?.[0])} afterwards, not ${want}`;
    }
    return null;
  },
  /** The same input, each query behind enough blanks to take the large-statement path. */
  variant(bytes, ctx) {
    const parsed = splitFrames(bytes);
    if (parsed.tail.length > 0 || parsed.frames.some((f) => f.payload.length >= 0xffffff))
      return null;
    let any = false;
    for (const f of parsed.frames) {
      if (f.payload[0] !== COM.QUERY) continue;
      const sql = f.payload.toString('latin1', 1);
      // Replies that depend on time, or on state the input itself changes (variables, transactions).
      if (/now|stats|sysdate|uptime|@|begin|start|commit|rollback|autocommit|use\s/i.test(sql))
        return null;
      any = true;
      f.payload = Buffer.concat([
        Buffer.from([COM.QUERY]),
        Buffer.alloc(ctx.sliceBytes + 64, 0x20),
        f.payload.subarray(1),
      ]);
    }
    if (!any) return null;
    return Buffer.concat(parsed.frames.map((f) => frameLogical(f.seq, f.payload)));
  },
};
