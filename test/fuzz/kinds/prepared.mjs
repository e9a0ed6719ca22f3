/**
 * Kind `prepared`: prepared statements after login. An input is a
 * sequence of COM_STMT_PREPARE / EXECUTE / SEND_LONG_DATA / RESET / CLOSE /
 * FETCH (and a few COM_QUERY, COM_PING, COM_RESET_CONNECTION), built field
 * by field: every parameter type with edge values, NULL bitmaps of every
 * length, the new-params-bound flag with and without types bound before,
 * long data to parameters that exist and do not and past max_allowed_packet,
 * statement ids that exist, were closed, never existed, 0 and 0xffffffff,
 * truncation at every byte, lying lengths. Seeds are the real drivers'
 * bytes (seeds/captured.json: mysql2 and mariadb execute(), PHP and Python
 * where the machine has them) and generated programs. Statement ids in an
 * input count from 1 as on a fresh connection, so that an input would
 * mean the same on every replay (on a connection kept from earlier inputs,
 * wire() moves them past the ids it has handed out).
 *
 * Oracle, beyond the shared one (every reply strictly parsed: PREPARE_OK
 * with its definitions, binary rows by column type, sequence ids):
 *  - a model of the connection's statements (core/binary.mjs decodes each
 *    COM_STMT_EXECUTE independently): ERR 1243 naming the id exactly for
 *    unknown or closed ids (0xffffffff is the last prepared), never
 *    otherwise; ERR 1210 for an execute that cannot be read, never for one
 *    that can; deferred long-data errors (1210 send_long_data, 1153) at the
 *    next execute; RESET answers OK; a cursor only for an execute of a
 *    session statement that asks for one, FETCH from it at most the rows
 *    asked for (fewer only with LAST_ROW_SENT), ERR 1421 without one;
 *    PREPARE_OK's parameter count is the statement's `?` count; 1305 /
 *    1370 / 1390 where due;
 *  - `CALL argtypes(?, ...)`: each parameter as the handler saw it (js
 *    type and value) is the model's decoding of the bytes;
 *  - SERVER_PS_OUT_PARAMS: an OUT-parameter result set exactly when the
 *    procedure binds OUT/INOUT parameters to `?` and the client has
 *    CLIENT_PS_MULTI_RESULTS, last before the final OK;
 *  - differential (unmutated seeds, `expect:diff`): the execute's values
 *    equal those of the text `CALL p(literals)` of the same arguments, cell
 *    by cell as a client presents them, OUT values equal `SELECT @var`;
 *  - the server's prepared-statement count (IPC) equals what the harness's
 *    open connections hold, after every input.
 */
import { encodeParam, literalOf, paramValue, TYPE } from '../core/binary.mjs';
import { INTERESTING_32, lyingLenenc, mutateBytes, mutateFrames } from '../core/mutate.mjs';
import { judge, judgeDifferential } from '../core/prepared-model.mjs';
import { loadProcedures } from '../core/procedures.mjs';
import { checkStatementCount } from '../core/statements.mjs';
import {
  CLIENT,
  COM,
  expectationOf,
  frame,
  withExpectation,
  withoutExpectation,
} from '../core/wire.mjs';

const LAST = 0xffffffff;

// ---- values -------------------------------------------------------------------------

const u32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const u16 = (n) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n & 0xffff);
  return b;
};

const dt = (year, month, day, hour = 0, minute = 0, second = 0, micro = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
  micro,
});
const tm = (negative, days, hour, minute, second, micro = 0) => ({
  negative,
  days,
  hour,
  minute,
  second,
  micro,
});

/** Edge values by type: [value, unsigned?] pairs; temporal ones as fields or raw bytes. */
const EDGES = {
  [TYPE.TINY]: [[0], [1], [-1], [-128], [127], [255, true], [128, true], [0, true]],
  [TYPE.SHORT]: [[0], [-32768], [32767], [65535, true], [-1], [256]],
  [TYPE.YEAR]: [[0], [1901], [2026], [2155], [9999], [65535, true]],
  [TYPE.INT24]: [[0], [-8388608], [8388607], [16777215, true], [-1]],
  [TYPE.LONG]: [[0], [-2147483648], [2147483647], [4294967295, true], [-1], [123456]],
  [TYPE.LONGLONG]: [
    [0],
    [1],
    [-1],
    [9007199254740991n],
    [9007199254740993n],
    [-9007199254740993n],
    [-(2n ** 63n)],
    [2n ** 63n - 1n],
    [2n ** 64n - 1n, true],
    [2n ** 63n, true],
  ],
  [TYPE.FLOAT]: [[0], [-0], [0.1], [1.5], [-2], [3.4028234663852886e38], [1.4e-45], [1e-10]],
  [TYPE.DOUBLE]: [
    [0],
    [-0],
    [0.1],
    [2.5],
    [1e308],
    [5e-324],
    [-1.7976931348623157e308],
    [9007199254740994],
    [123.456],
  ],
  [TYPE.NEWDECIMAL]: [
    ['0'],
    ['1.50'],
    ['-12.345'],
    ['123456789012345678901234567890'],
    ['99999999999999999999999999999999999999999999999999999999999999999'],
    ['1e3'],
    ['.5'],
    ['-0.0'],
    ['+7'],
  ],
  [TYPE.DECIMAL]: [['3.14'], ['-1'], ['9007199254740993']],
  [TYPE.VAR_STRING]: [
    [''],
    ['x'],
    ['héllo 😀'],
    ["it's"],
    ['a"b'],
    ['\u0000z'],
    ['é'.repeat(200)],
    ['y'.repeat(300)],
  ],
  [TYPE.STRING]: [['abc'], [' ']],
  [TYPE.VARCHAR]: [['varchar']],
  [TYPE.JSON]: [['{"a":1}'], ['[1,2]'], ['null']],
  [TYPE.ENUM]: [['a']],
  [TYPE.SET]: [['a,b']],
  [TYPE.BLOB]: [
    [Buffer.alloc(0)],
    [Buffer.from([0, 1, 0xfe, 0xff])],
    [Buffer.from([0xfb, 0xfc, 0xfd])],
    [Buffer.alloc(260, 0xab)],
  ],
  [TYPE.TINY_BLOB]: [[Buffer.from('tiny')]],
  [TYPE.MEDIUM_BLOB]: [[Buffer.from([0x80, 0x81])]],
  [TYPE.LONG_BLOB]: [[Buffer.from('long')]],
  [TYPE.BIT]: [[Buffer.from([0])], [Buffer.from([1])], [Buffer.alloc(8, 0xff)]],
  [TYPE.GEOMETRY]: [[Buffer.from('000000000101000000000000000000f03f000000000000f03f', 'hex')]],
  [TYPE.DATE]: [[dt(0, 0, 0)], [dt(2026, 1, 2)], [dt(9999, 12, 31)], [dt(1000, 1, 1)]],
  [TYPE.DATETIME]: [
    [dt(0, 0, 0)],
    [dt(2026, 1, 2)],
    [dt(2026, 1, 2, 3, 4, 5)],
    [dt(2026, 1, 2, 3, 4, 5, 678900)],
    [dt(9999, 12, 31, 23, 59, 59, 999999)],
    [dt(2026, 1, 2, 0, 0, 0, 1)],
  ],
  [TYPE.TIMESTAMP]: [[dt(2026, 6, 30, 12, 0, 0)], [dt(1970, 1, 1, 0, 0, 1, 5)]],
  [TYPE.TIME]: [
    [tm(false, 0, 0, 0, 0)],
    [tm(false, 0, 1, 2, 3)],
    [tm(true, 0, 1, 2, 3, 400000)],
    [tm(false, 34, 22, 59, 59)],
    [tm(true, 34, 22, 59, 59, 999999)],
    [tm(false, 35, 0, 0, 0)],
    [tm(false, 0, 0, 0, 0, 1)],
  ],
  // A NULL-typed parameter with its NULL bit clear has no bytes: it is NULL all the same.
  [TYPE.NULL]: [[null], [0]],
};

/** Values MySQL itself may take or refuse: the model answers 'either' for them. */
const ODD = {
  [TYPE.FLOAT]: [NaN, Infinity, -Infinity],
  [TYPE.DOUBLE]: [NaN, Infinity, -Infinity],
  [TYPE.NEWDECIMAL]: ['', 'abc', ' 12', '1e999', '1.2.3', '--1', '0x10'],
  [TYPE.DATE]: [
    Buffer.from([7, 0xea, 7, 1, 2, 3, 4, 5]),
    Buffer.from([11, 0xea, 7, 1, 2, 3, 4, 5, 1, 0, 0, 0]),
    Buffer.from([4, 0xea, 7, 13, 2]),
    Buffer.from([1, 0]),
    Buffer.from([5, 0xea, 7, 1, 2, 0]),
  ],
  [TYPE.DATETIME]: [
    Buffer.from([7, 0xea, 7, 1, 2, 24, 0, 0]),
    Buffer.from([11, 0xea, 7, 1, 2, 0, 0, 0, 0x40, 0x42, 0x0f, 0]),
    Buffer.from([3, 1, 2, 3]),
    Buffer.from([12, 0xea, 7, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0]),
  ],
  [TYPE.TIME]: [
    Buffer.from([8, 2, 0, 0, 0, 0, 1, 2, 3]),
    Buffer.from([8, 0, 0, 0, 0, 0, 24, 0, 0]),
    Buffer.from([5, 0, 0, 0, 0, 0]),
    Buffer.from([8, 0, 0xff, 0xff, 0xff, 0xff, 23, 59, 59]),
  ],
  [TYPE.VAR_STRING]: [Buffer.from([0xc3, 0x28]), Buffer.from([0xff, 0xfe])],
};

const ALL_TYPES = Object.keys(EDGES).map(Number);
/** Type codes outside the documented table (MySQL reads some of them, the harness cannot size them). */
const UNKNOWN_TYPES = [0x0e, 0x11, 0x12, 0x13, 0x14, 0x20, 0x7f, 0xf0, 0xf2, 0xf3, 0xf4];

/**
 * One parameter: { type, unsigned, enc (its bytes, or null for a NULL bit),
 * literal (the same value in a text CALL, or null when there is none) }.
 */
function param(type, value, unsigned = false) {
  if (value === null) return { type, unsigned, enc: null, literal: 'NULL' };
  const enc = encodeParam(type, value);
  const v = paramValue(
    type,
    type === TYPE.NULL || isLength(type) ? stripLen(type, enc) : enc,
    unsigned,
  );
  const sure = v.sure && !(typeof v.value === 'number' && !Number.isFinite(v.value));
  return { type, unsigned, enc, literal: sure ? literalOf(v.value) : null };
}

const isLength = (t) =>
  !(
    [
      TYPE.TINY,
      TYPE.SHORT,
      TYPE.YEAR,
      TYPE.LONG,
      TYPE.INT24,
      TYPE.LONGLONG,
      TYPE.FLOAT,
      TYPE.DOUBLE,
    ].includes(t) || [TYPE.DATE, TYPE.DATETIME, TYPE.TIMESTAMP, TYPE.TIME, TYPE.NULL].includes(t)
  );

/** The value bytes inside a length-encoded parameter. */
function stripLen(type, enc) {
  if (type === TYPE.NULL) return enc;
  const first = enc[0];
  const skip = first < 0xfb ? 1 : first === 0xfc ? 3 : first === 0xfd ? 4 : 9;
  return enc.subarray(skip);
}

function randomParam(rng, type = rng.pick(ALL_TYPES)) {
  if (rng.chance(0.1)) return param(type, null);
  if (ODD[type] && rng.chance(0.12)) {
    const odd = rng.pick(ODD[type]);
    if (Buffer.isBuffer(odd) && type !== TYPE.VAR_STRING) {
      return { type, unsigned: false, enc: odd, literal: null };
    }
    return { ...param(type, odd), literal: null };
  }
  const [value, unsigned] = rng.pick(EDGES[type]);
  if (typeof value === 'number' && [TYPE.LONGLONG].includes(type) && rng.chance(0.3)) {
    return param(type, BigInt(rng.u32()) * BigInt(rng.u32()), rng.chance(0.5));
  }
  return param(type, value, unsigned === true);
}

// ---- statements --------------------------------------------------------------------------

const qs = (n) => Array.from({ length: n }, () => '?').join(', ');

/** Statements to prepare: [sql, placeholders]. */
function statementPool(procs) {
  const out = [
    ['CALL myadd(?, ?)', 2],
    ['CALL myadd(?, 4)', 1],
    ['call myadd(1, ?);', 1],
    ['CALL rpc.myadd(?, ?)', 2],
    ['CALL `myadd`(?, ?)', 2],
    ['CALL myadd(?)', 1],
    ['CALL myadd(?, ?, ?)', 3],
    ['CALL echo(?)', 1],
    ['CALL argtypes(?)', 1],
    ['CALL argtypes(?, ?, ?, ?)', 4],
    [`CALL argtypes(${qs(9)})`, 9],
    [`CALL argtypes(1, ?, 'x', ?, NULL, ?)`, 3],
    [`CALL argtypes(${qs(300)})`, 300],
    ['CALL argtypes(@fuzz_a, ?)', 1],
    ['CALL argtypes()', 0],
    ['CALL whoami()', 0],
    ['CALL whoami', 0],
    ['CALL series(?)', 1],
    ['CALL numbers(?)', 1],
    ['CALL stats()', 0],
    ['CALL touch(?)', 1],
    ['CALL fail(?)', 1],
    ['CALL secret()', 0],
    ['CALL tls_info()', 0],
    ['CALL nope(?)', 1],
    ['CALL other.myadd(?, ?)', 2],
    ['SELECT @@version_comment', 0],
    ['SELECT @fuzz_a', 0],
    ["SET @fuzz_a = 'prepared'", 0],
    ['SHOW WARNINGS', 0],
    ['SELECT 1', 0],
    ['SELECT ?', 1],
    ['DO 1', 0],
    ['', 0],
    ['CALL myadd(?, ?) /* c */', 2],
    ["CALL myadd('?', ?)", 1],
  ];
  if (procs.has('myadd_out'))
    out.push(['CALL myadd_out(?, ?, ?)', 3], ['CALL myadd_out(1, 2, ?)', 1]);
  if (procs.has('myadd_out'))
    out.push(['CALL myadd_out(?, ?, @fuzz_o)', 2], ['CALL myadd_out(1, 2, 3)', 0]);
  if (procs.has('inc_inout')) out.push(['CALL inc_inout(?)', 1]);
  if (procs.has('greet')) out.push(['CALL greet(?)', 1]);
  if (procs.has('typed_echo')) out.push([`CALL typed_echo(${qs(6)})`, 6]);
  return out;
}

// ---- programs: ops -> bytes -----------------------------------------------------------------

/**
 * ops: { op: 'prepare', sql } | { op: 'exec', id, params, bound, flags, iter, count?,
 * extra?, noise?, cut?, lie? } | { op: 'long', id, param, data } | { op: 'close'|'reset', id }
 * | { op: 'fetch', id, rows } | { op: 'query', sql } | { op: 'ping' } | { op: 'resetConn' }
 * | { op: 'raw', payload }.
 */
function encodeOp(o) {
  let p;
  switch (o.op) {
    case 'prepare':
      p = Buffer.concat([Buffer.from([COM.STMT_PREPARE]), Buffer.from(o.sql, 'utf8')]);
      break;
    case 'exec':
      p = encodeExecute(o);
      break;
    case 'long':
      p = Buffer.concat([Buffer.from([COM.STMT_SEND_LONG_DATA]), u32(o.id), u16(o.param), o.data]);
      break;
    case 'close':
      p = Buffer.concat([Buffer.from([COM.STMT_CLOSE]), u32(o.id)]);
      break;
    case 'reset':
      p = Buffer.concat([Buffer.from([COM.STMT_RESET]), u32(o.id)]);
      break;
    case 'fetch':
      p = Buffer.concat([Buffer.from([COM.STMT_FETCH]), u32(o.id), u32(o.rows ?? 1)]);
      break;
    case 'query':
      p = Buffer.concat([Buffer.from([COM.QUERY]), Buffer.from(o.sql, 'utf8')]);
      break;
    case 'ping':
      p = Buffer.from([COM.PING]);
      break;
    case 'resetConn':
      p = Buffer.from([COM.RESET_CONNECTION]);
      break;
    default:
      p = o.payload;
  }
  if (o.cut !== undefined) p = p.subarray(0, Math.min(o.cut, p.length));
  return frame(0, p);
}

function encodeExecute(o) {
  const head = Buffer.alloc(10);
  head[0] = COM.STMT_EXECUTE;
  head.writeUInt32LE(o.id >>> 0, 1);
  head[5] = o.flags ?? 0;
  head.writeUInt32LE((o.iter ?? 1) >>> 0, 6);
  const params = o.params;
  const n = o.count ?? params.length;
  if (n === 0 && params.length === 0) return Buffer.concat([head, o.extra ?? Buffer.alloc(0)]);
  const bitmap = Buffer.alloc((n + 7) >> 3);
  params.forEach((q, i) => {
    if (q.enc === null && i < n) bitmap[i >> 3] |= 1 << (i & 7);
  });
  if (o.noise && bitmap.length > 0 && n % 8 !== 0) bitmap[bitmap.length - 1] |= 0xff << (n % 8);
  const parts = [head, bitmap, Buffer.from([o.bound ?? 1])];
  if ((o.bound ?? 1) !== 0) {
    for (let i = 0; i < n; i++) {
      const q = params[i] ?? params[params.length - 1] ?? { type: TYPE.NULL, unsigned: false };
      parts.push(Buffer.from([q.rawType ?? q.type, q.unsigned ? 0x80 : 0]));
    }
  }
  for (let i = 0; i < Math.min(n, params.length); i++) {
    const q = params[i];
    if (q.enc === null || q.long) continue;
    let enc = q.enc;
    if (o.lie === i && enc.length > 0 && isLength(q.type))
      enc = Buffer.concat([o.lieWith, stripLen(q.type, enc)]);
    parts.push(enc);
  }
  if (o.extra) parts.push(o.extra);
  return Buffer.concat(parts);
}

const encodeProgram = (ops) => Buffer.concat(ops.map(encodeOp));

/** A fresh program: a few statements prepared, then things done with them. */
function genProgram(rng, procs) {
  const pool = statementPool(procs);
  const ops = [];
  const stmts = [];
  const prepare = () => {
    const [sql, n] = rng.pick(pool);
    ops.push({ op: 'prepare', sql });
    stmts.push({ id: stmts.length + 1, n, closed: false });
  };
  for (let k = rng.int(1, 3); k > 0; k--) prepare();
  const idOf = () => {
    const x = rng.float();
    if (x < 0.7) return rng.pick(stmts).id;
    if (x < 0.8) return LAST;
    if (x < 0.87) return 0;
    if (x < 0.93) return stmts.length + rng.int(1, 3);
    return rng.pick(INTERESTING_32);
  };
  const nOf = (id) => stmts.find((s) => s.id === id)?.n ?? rng.int(0, 3);
  for (let k = rng.int(1, 10); k > 0; k--) {
    const what = rng.weighted([
      [10, 'exec'],
      [3, 'long'],
      [2, 'close'],
      [2, 'reset'],
      [1, 'fetch'],
      [1, 'prepare'],
      [1, 'query'],
      [1, 'ping'],
      [0.3, 'resetConn'],
    ]);
    const id = idOf();
    switch (what) {
      case 'exec':
        ops.push(genExec(rng, id, nOf(id === LAST ? stmts.length : id)));
        break;
      case 'long': {
        const n = nOf(id === LAST ? stmts.length : id);
        const pieces = rng.int(1, 3);
        for (let i = 0; i < pieces; i++) {
          ops.push({
            op: 'long',
            id,
            param: rng.chance(0.8) ? rng.below(Math.max(1, n)) : rng.pick([n, n + 1, 0xffff]),
            data: rng.chance(0.7)
              ? Buffer.from(rng.pick(['abc', 'é😀', '', '{"a":1}', '12.5']))
              : rng.bytes(rng.size(300)),
          });
        }
        if (rng.chance(0.7)) ops.push(genExec(rng, id, n, true));
        break;
      }
      case 'close':
      case 'reset':
        ops.push({ op: what, id });
        break;
      case 'fetch':
        ops.push({ op: 'fetch', id, rows: rng.pick([0, 1, 10, 0xffffffff]) });
        break;
      case 'prepare':
        prepare();
        break;
      case 'query':
        ops.push({
          op: 'query',
          sql: rng.pick([
            "SET @fuzz_a = 'a'",
            'SET @fuzz_a = 42',
            'SELECT @fuzz_a',
            'CALL myadd(1, 2)',
          ]),
        });
        break;
      case 'ping':
        ops.push({ op: 'ping' });
        break;
      default:
        ops.push({ op: 'resetConn' });
    }
  }
  return ops;
}

/** An execute of statement `id` with `n` placeholders: mostly well-formed, some of it on purpose not. */
function genExec(rng, id, n, withLong = false) {
  const count = rng.chance(0.85) ? n : rng.pick([0, Math.max(0, n - 1), n + 1, n + 8]);
  const types = rng.chance(0.3) ? [rng.pick(ALL_TYPES)] : null;
  const params = [];
  for (let i = 0; i < count; i++) {
    const p = randomParam(rng, types ? types[0] : undefined);
    if (rng.chance(0.03)) p.rawType = rng.pick(UNKNOWN_TYPES);
    if (withLong && rng.chance(0.5)) p.long = true;
    params.push(p);
  }
  const o = {
    op: 'exec',
    id,
    params,
    bound: rng.chance(0.8) ? 1 : rng.chance(0.7) ? 0 : rng.pick([2, 0x80, 0xff]),
    flags: rng.chance(0.9) ? 0 : rng.pick([1, 2, 4, 8, 0xff]),
    iter: rng.chance(0.95) ? 1 : rng.pick([0, 2, 0xffffffff]),
  };
  if (rng.chance(0.05)) o.noise = true;
  if (rng.chance(0.05)) o.extra = rng.bytes(rng.int(1, 8));
  if (rng.chance(0.08)) o.cut = rng.below(encodeExecute(o).length);
  if (rng.chance(0.05) && params.length > 0) {
    o.lie = rng.below(params.length);
    o.lieWith = lyingLenenc(rng, 4);
  }
  return o;
}

/** Mutates one op of a program, field by field. */
function mutateOp(rng, o, procs) {
  const x = { ...o };
  switch (o.op) {
    case 'exec': {
      const what = rng.weighted([
        [4, 'value'],
        [2, 'null'],
        [2, 'id'],
        [2, 'bound'],
        [1, 'type'],
        [1, 'count'],
        [2, 'cut'],
        [1, 'lie'],
        [1, 'flags'],
        [1, 'noise'],
        [1, 'extra'],
      ]);
      x.params = o.params.map((p) => ({ ...p }));
      const i = rng.below(Math.max(1, x.params.length));
      switch (what) {
        case 'value':
          if (x.params.length) x.params[i] = randomParam(rng, x.params[i].type);
          break;
        case 'null':
          if (x.params.length) x.params[i] = param(x.params[i].type, null);
          break;
        case 'id':
          x.id = rng.pick([0, 1, 2, 3, LAST, 99, ...INTERESTING_32]);
          break;
        case 'bound':
          x.bound = rng.pick([0, 1, 2, 0xff]);
          break;
        case 'type':
          if (x.params.length) {
            x.params[i] = rng.chance(0.3)
              ? { ...x.params[i], rawType: rng.pick(UNKNOWN_TYPES) }
              : randomParam(rng);
          }
          break;
        case 'count':
          x.count = rng.pick([0, x.params.length + 1, Math.max(0, x.params.length - 1), 65535]);
          break;
        case 'cut':
          x.cut = rng.below(encodeExecute(x).length + 1);
          break;
        case 'lie':
          if (x.params.length) {
            x.lie = i;
            x.lieWith = lyingLenenc(rng, 4);
          }
          break;
        case 'flags':
          x.flags = rng.pick([0, 1, 2, 4, 8, 0x80, 0xff]);
          x.iter = rng.pick([1, 0, 2, 0xffffffff]);
          break;
        case 'noise':
          x.noise = !x.noise;
          break;
        default:
          x.extra = rng.bytes(rng.int(1, 16));
      }
      return x;
    }
    case 'long':
      if (rng.chance(0.4)) x.param = rng.pick([0, 1, 2, 0xffff, o.param + 1]);
      else if (rng.chance(0.5)) x.id = rng.pick([0, 1, LAST, 77]);
      else x.data = rng.chance(0.5) ? rng.bytes(rng.size(4096)) : Buffer.alloc(0);
      if (rng.chance(0.1)) x.cut = rng.below(8);
      return x;
    case 'prepare': {
      if (rng.chance(0.5)) x.sql = rng.pick(statementPool(procs))[0];
      else {
        const b = mutateBytes(rng, Buffer.from(o.sql, 'latin1'), { maxBytes: 4096 });
        x.sql = b.toString('latin1');
      }
      return x;
    }
    case 'close':
    case 'reset':
    case 'fetch':
      x.id = rng.pick([0, 1, 2, LAST, 1000, ...INTERESTING_32]);
      if (rng.chance(0.2)) x.cut = rng.below(9);
      return x;
    default:
      return x;
  }
}

function mutateProgram(rng, ops, procs) {
  const out = ops.map((o) => ({ ...o }));
  const op = rng.weighted([
    [6, 'field'],
    [2, 'insert'],
    [1, 'delete'],
    [1, 'dup'],
    [1, 'swap'],
  ]);
  const i = rng.below(out.length);
  switch (op) {
    case 'field':
      if (out.length) out[i] = mutateOp(rng, out[i], procs);
      break;
    case 'insert': {
      const extra = genProgram(rng, procs);
      out.splice(rng.below(out.length + 1), 0, ...extra.slice(rng.below(extra.length)));
      break;
    }
    case 'delete':
      if (out.length > 1) out.splice(i, 1);
      break;
    case 'dup':
      if (out.length) out.splice(i, 0, out[i]);
      break;
    default: {
      const j = rng.below(out.length);
      [out[i], out[j]] = [out[j], out[i]];
    }
  }
  return out;
}

// ---- differential seeds ----------------------------------------------------------------------

/**
 * `CALL proc(?, ...)` executed with `params`, then the same CALL in text
 * with each value's literal (OUT/INOUT positions through `@fuzz_oN`, read
 * back with one SELECT), bound to the expectation `diff`.
 */
function differential(proc, params, procs, sqlArgs = null) {
  const sig = procs.get(proc)?.params ?? null;
  const n = params.length;
  const texts = [];
  const outVars = [];
  const pre = [];
  for (let i = 0; i < n; i++) {
    const dir = sig?.[i]?.dir ?? 'IN';
    if (dir === 'IN') texts.push(params[i].literal);
    else {
      const v = `@fuzz_o${i + 1}`;
      outVars.push(v);
      texts.push(v);
      pre.push(`SET ${v} = ${dir === 'INOUT' ? params[i].literal : 'NULL'}`);
    }
  }
  if (texts.some((t) => t === null)) return null;
  const ops = [
    { op: 'prepare', sql: `CALL ${proc}(${sqlArgs ?? qs(n)})` },
    { op: 'exec', id: 1, params, bound: 1, flags: 0, iter: 1 },
    { op: 'close', id: 1 },
    ...pre.map((sql) => ({ op: 'query', sql })),
    { op: 'query', sql: `CALL ${proc}(${texts.join(', ')})` },
  ];
  if (outVars.length) ops.push({ op: 'query', sql: `SELECT ${outVars.join(', ')}` });
  return { bytes: withExpectation(encodeProgram(ops), 'diff'), ops };
}

function differentialSeeds(procs) {
  const out = [];
  const add = (proc, params) => {
    const e = differential(proc, params, procs);
    if (e) out.push(e);
  };
  // Every edge value of every type, alone through argtypes() and echo(), and all of a type at once.
  for (const t of ALL_TYPES) {
    const all = [];
    for (const [v, unsigned] of EDGES[t]) {
      const p = param(t, v, unsigned === true);
      add('argtypes', [p]);
      add('echo', [p]);
      all.push(p);
    }
    add('argtypes', [...all, param(t, null)]);
  }
  add('myadd', [param(TYPE.LONGLONG, 3), param(TYPE.LONGLONG, 4)]);
  add('myadd', [param(TYPE.DOUBLE, 2.5), param(TYPE.NEWDECIMAL, '0.25')]);
  add('myadd', [param(TYPE.VAR_STRING, '3'), param(TYPE.TINY, -4)]);
  add('myadd', [param(TYPE.LONG, 4294967295, true), param(TYPE.SHORT, 1)]);
  add('myadd', [param(TYPE.NULL, null), param(TYPE.LONG, 1)]);
  add('series', [param(TYPE.LONG, 3)]);
  add('numbers', [param(TYPE.LONGLONG, 4)]);
  add('touch', [param(TYPE.VAR_STRING, '7')]);
  add('fail', [param(TYPE.VAR_STRING, 'dup')]);
  add('fail', [param(TYPE.STRING, 'rpc')]);
  add('whoami', []);
  add('secret', []);
  if (procs.has('myadd_out')) {
    add('myadd_out', [param(TYPE.LONGLONG, 3), param(TYPE.LONGLONG, 4), param(TYPE.NULL, null)]);
    add('myadd_out', [
      param(TYPE.TINY, -3),
      param(TYPE.VAR_STRING, '10'),
      param(TYPE.LONGLONG, 99),
    ]);
  }
  if (procs.has('inc_inout')) {
    add('inc_inout', [param(TYPE.LONG, 5)]);
    add('inc_inout', [param(TYPE.NULL, null)]);
  }
  if (procs.has('greet')) {
    add('greet', [param(TYPE.VAR_STRING, 'Ada')]);
    add('greet', [param(TYPE.VAR_STRING, 'x'.repeat(65))]);
  }
  if (procs.has('typed_echo')) {
    add('typed_echo', [
      param(TYPE.LONG, 7),
      param(TYPE.NEWDECIMAL, '1.005'),
      param(TYPE.VAR_STRING, 'héllo'),
      param(TYPE.DATETIME, dt(2026, 1, 2, 3, 4, 5, 678900)),
      param(TYPE.JSON, '{"a":1}'),
      param(TYPE.TINY, 5),
    ]);
    add('typed_echo', [
      param(TYPE.VAR_STRING, '7'),
      param(TYPE.DOUBLE, 1.005),
      param(TYPE.BLOB, Buffer.from('bytes')),
      param(TYPE.DATE, dt(2026, 1, 2)),
      param(TYPE.VAR_STRING, '[1, 2]'),
      param(TYPE.NULL, null),
    ]);
    add('typed_echo', [
      param(TYPE.VAR_STRING, 'abc'),
      param(TYPE.NEWDECIMAL, '1'),
      param(TYPE.VAR_STRING, 's'),
      param(TYPE.VAR_STRING, 'not a date'),
      param(TYPE.VAR_STRING, '{'),
      param(TYPE.LONG, 2),
    ]);
  }
  return out;
}

/**
 * Session statements prepared and executed (binary rows) against the same
 * text in COM_QUERY, with a user variable of each kind of value.
 */
function sessionDifferentials() {
  const values = [
    '42',
    '-9223372036854775808',
    '18446744073709551615',
    '1.50',
    '2.5e300',
    "'héllo ; 😀'",
    "X'00ff'",
    'NULL',
    "''",
    'TRUE',
  ];
  const statements = [
    'SELECT @fuzz_a',
    "SELECT @fuzz_a AS x, 1 AS one, 'lit', NULL, 2.5, -1, 0x41",
    'SELECT @@version_comment, @@max_allowed_packet, @@autocommit, @@sql_mode',
    'SELECT DATABASE(), USER(), CONNECTION_ID(), CURRENT_USER()',
    'SHOW WARNINGS',
  ];
  const out = [];
  for (const v of values) {
    for (const sql of v === '42' ? statements : statements.slice(0, 2)) {
      const ops = [
        { op: 'query', sql: `SET @fuzz_a = ${v}` },
        { op: 'prepare', sql },
        { op: 'exec', id: 1, params: [], bound: 1 },
        { op: 'close', id: 1 },
        { op: 'query', sql },
      ];
      out.push({ bytes: withExpectation(encodeProgram(ops), 'diff'), ops });
    }
  }
  return out;
}

/** Long data joined into a string parameter, checked against the literal of the whole. */
function longDataDifferential() {
  const ops = [
    { op: 'prepare', sql: 'CALL argtypes(?, ?)' },
    { op: 'long', id: 1, param: 1, data: Buffer.from('héllo ') },
    { op: 'long', id: 1, param: 1, data: Buffer.from('wörld') },
    {
      op: 'exec',
      id: 1,
      params: [param(TYPE.LONG, 1), { ...param(TYPE.VAR_STRING, ''), long: true }],
      bound: 1,
    },
    { op: 'query', sql: "CALL argtypes(1, 'héllo wörld')" },
  ];
  return { bytes: withExpectation(encodeProgram(ops), 'diff'), ops };
}

// ---- the kind ------------------------------------------------------------------------------------

/** Logins of this kind: PS_MULTI_RESULTS mostly (OUT parameters), classic EOF or not, TLS or not. */
const BASE =
  CLIENT.LONG_PASSWORD |
  CLIENT.PROTOCOL_41 |
  CLIENT.TRANSACTIONS |
  CLIENT.SECURE_CONNECTION |
  CLIENT.MULTI_RESULTS |
  CLIENT.PLUGIN_AUTH;
export const PREPARED_CAPS = [
  BASE | CLIENT.PS_MULTI_RESULTS,
  BASE | CLIENT.PS_MULTI_RESULTS | CLIENT.DEPRECATE_EOF,
  BASE,
  BASE | CLIENT.PS_MULTI_RESULTS | CLIENT.SSL,
  BASE | CLIENT.PS_MULTI_RESULTS | CLIENT.DEPRECATE_EOF | CLIENT.MULTI_STATEMENTS,
  BASE & ~CLIENT.MULTI_RESULTS,
];

function seedPrograms(procs) {
  const P = (ops) => ops;
  const ex = (id, params, extra = {}) => ({ op: 'exec', id, params, bound: 1, ...extra });
  const L = (n) => param(TYPE.LONGLONG, n);
  const S = (s) => param(TYPE.VAR_STRING, s);
  return [
    P([
      { op: 'prepare', sql: 'CALL myadd(?, ?)' },
      ex(1, [L(3), L(4)]),
      ex(1, [L(5), L(6)], { bound: 0 }),
    ]),
    // Bound flag 0 on the first execute: no types to reuse.
    P([{ op: 'prepare', sql: 'CALL myadd(?, ?)' }, ex(1, [L(3), L(4)], { bound: 0 })]),
    // MariaDB's pipelining: PREPARE and EXECUTE of 0xffffffff in one write.
    P([
      { op: 'prepare', sql: 'CALL myadd(?, ?)' },
      ex(LAST, [L(1), L(2)]),
      { op: 'close', id: LAST },
      ex(LAST, [L(1), L(2)]),
    ]),
    P([ex(LAST, [])]),
    P([ex(0, [])]),
    P([{ op: 'prepare', sql: 'CALL myadd(1, 2)' }, { op: 'close', id: 1 }, ex(1, [])]),
    P([
      { op: 'prepare', sql: 'CALL myadd(1, 2)' },
      { op: 'close', id: 1 },
      { op: 'close', id: 1 },
      { op: 'ping' },
    ]),
    // Long data: pieces joined, to a missing parameter, reset in between, then a bad one.
    P([
      { op: 'prepare', sql: 'CALL argtypes(?, ?)' },
      { op: 'long', id: 1, param: 0, data: Buffer.from('abc') },
      { op: 'long', id: 1, param: 0, data: Buffer.from('def') },
      ex(1, [{ ...S(''), long: true }, L(1)]),
      { op: 'long', id: 1, param: 5, data: Buffer.from('x') },
      ex(1, [S('a'), L(2)]),
      ex(1, [S('b'), L(3)]),
      { op: 'long', id: 1, param: 1, data: Buffer.from('stale') },
      { op: 'reset', id: 1 },
      ex(1, [S('fresh'), S('fresh')]),
      { op: 'long', id: 1, param: 1, data: Buffer.from('12') },
      ex(1, [S(''), { ...L(0), long: true }]),
    ]),
    P([
      { op: 'prepare', sql: 'CALL myadd(?, ?)' },
      { op: 'long', id: 9, param: 0, data: Buffer.from('x') },
      ex(1, [L(1), L(1)]),
    ]),
    P([
      { op: 'prepare', sql: 'CALL myadd(1, 2)' },
      { op: 'fetch', id: 1, rows: 10 },
      { op: 'fetch', id: 2, rows: 1 },
      { op: 'reset', id: 7 },
    ]),
    P([
      { op: 'prepare', sql: 'SELECT @fuzz_a' },
      { op: 'query', sql: "SET @fuzz_a = 'late'" },
      ex(1, []),
    ]),
    P([
      { op: 'prepare', sql: "SET @fuzz_a = 'from a prepared SET'" },
      ex(1, []),
      { op: 'query', sql: 'SELECT @fuzz_a' },
    ]),
    P([{ op: 'prepare', sql: 'SELECT @@version_comment' }, ex(1, []), ex(1, [])]),
    P([
      { op: 'prepare', sql: 'CALL argtypes(@fuzz_a, ?)' },
      { op: 'query', sql: 'SET @fuzz_a = 5' },
      ex(1, [S('x')]),
    ]),
    P([
      { op: 'prepare', sql: 'CALL nope(?)' },
      { op: 'prepare', sql: 'CALL other.myadd(?, ?)' },
      { op: 'prepare', sql: 'CALL myadd(?, ?)' },
      ex(1, [L(1), L(1)]),
    ]),
    P([{ op: 'prepare', sql: 'CALL myadd(?, ?)' }, { op: 'resetConn' }, ex(1, [L(1), L(1)])]),
    P([
      { op: 'prepare', sql: 'CALL secret()' },
      ex(1, []),
      { op: 'prepare', sql: 'CALL tls_info()' },
      ex(2, []),
    ]),
    P([
      { op: 'prepare', sql: 'CALL series(?)' },
      ex(1, [L(3)]),
      ex(1, [L(0)], { bound: 0 }),
      ex(1, [S('2')]),
    ]),
    P([{ op: 'prepare', sql: 'CALL stats()' }, ex(1, [])]),
    P([
      { op: 'prepare', sql: 'CALL myadd(?, ?)' },
      ex(1, [L(1), L(2)], { flags: 1 }),
      ex(1, [L(1), L(2)], { iter: 0 }),
    ]),
    // Fewer and more parameters than placeholders; the NULL bitmap of 8, 9 and 16 parameters.
    P([{ op: 'prepare', sql: 'CALL myadd(?, ?)' }, ex(1, [L(1)]), ex(1, [L(1), L(2), L(3)])]),
    P([
      { op: 'prepare', sql: `CALL argtypes(${qs(8)})` },
      { op: 'prepare', sql: `CALL argtypes(${qs(9)})` },
      { op: 'prepare', sql: `CALL argtypes(${qs(16)})` },
      ex(
        1,
        Array.from({ length: 8 }, (_, i) => (i % 3 ? L(i) : param(TYPE.LONG, null))),
      ),
      ex(
        2,
        Array.from({ length: 9 }, (_, i) => (i % 2 ? S(String(i)) : param(TYPE.LONG, null))),
      ),
      ex(
        3,
        Array.from({ length: 16 }, () => param(TYPE.LONG, null)),
      ),
      ex(
        2,
        Array.from({ length: 9 }, () => L(1)),
        { noise: true },
      ),
    ]),
    ...(procs.has('myadd_out')
      ? [
          P([
            { op: 'prepare', sql: 'CALL myadd_out(?, ?, ?)' },
            ex(1, [L(3), L(4), param(TYPE.NULL, null)]),
          ]),
          P([
            { op: 'prepare', sql: 'CALL myadd_out(?, ?, @fuzz_o)' },
            ex(1, [L(3), L(4)]),
            { op: 'query', sql: 'SELECT @fuzz_o' },
          ]),
          P([{ op: 'prepare', sql: 'CALL myadd_out(1, 2, 3)' }, ex(1, [])]),
        ]
      : []),
    // Cursors: a session statement's rows kept for COM_STMT_FETCH, a CALL's sent at once.
    P([
      { op: 'prepare', sql: "SELECT @@version_comment, 1 AS one, 'x'" },
      ex(1, [], { flags: 1 }),
      { op: 'fetch', id: 1, rows: 1 },
      { op: 'fetch', id: 1, rows: 1 },
      { op: 'fetch', id: 1, rows: 1 },
    ]),
    P([
      { op: 'prepare', sql: 'SHOW WARNINGS' },
      ex(1, [], { flags: 1 }),
      { op: 'fetch', id: 1, rows: 10 },
      { op: 'prepare', sql: 'SELECT @fuzz_a' },
      { op: 'query', sql: 'SET @fuzz_a = 7' },
      ex(2, [], { flags: 2 }),
      { op: 'fetch', id: 2, rows: 0 },
      { op: 'reset', id: 2 },
      { op: 'fetch', id: 2, rows: 1 },
      ex(LAST, [], { flags: 4 }),
      ex(LAST, []),
      { op: 'fetch', id: LAST, rows: 1 },
    ]),
    P([
      { op: 'prepare', sql: 'CALL series(?)' },
      ex(1, [L(3)], { flags: 1 }),
      { op: 'fetch', id: 1, rows: 5 },
      { op: 'prepare', sql: 'SELECT 1' },
      ex(2, [], { flags: 1 }),
      { op: 'close', id: 2 },
      { op: 'fetch', id: 2, rows: 5 },
    ]),
    ...(procs.has('inc_inout')
      ? [P([{ op: 'prepare', sql: 'CALL inc_inout(?)' }, ex(1, [param(TYPE.LONG, 41)])])]
      : []),
  ];
}

/** A canonical execute of every type at once, cut at every byte (the truncation seeds). */
function truncationSeeds() {
  const params = ALL_TYPES.filter((t) => t !== TYPE.NULL).map((t) => {
    const [v, u] = EDGES[t][Math.min(1, EDGES[t].length - 1)];
    return param(t, v, u === true);
  });
  const prep = encodeOp({ op: 'prepare', sql: `CALL argtypes(${qs(params.length)})` });
  const exec = encodeExecute({ op: 'exec', id: 1, params, bound: 1 });
  const out = [];
  for (let cut = 0; cut < exec.length; cut++) {
    out.push(Buffer.concat([prep, frame(0, exec.subarray(0, cut))]));
  }
  return out;
}

export default {
  name: 'prepared',
  description: 'prepared statements: COM_STMT_* sequences, binary protocol',
  weight: 4,
  session: 'logged-in',
  capProfiles: PREPARED_CAPS,
  seeds(ctx) {
    const procs = loadProcedures(ctx.root);
    const out = [];
    for (const c of ctx.captured.prepared ?? []) {
      out.push({ bytes: Buffer.concat(c.frames.map((h) => frame(0, Buffer.from(h, 'hex')))) });
    }
    for (const ops of seedPrograms(procs)) out.push({ bytes: encodeProgram(ops), ops });
    out.push(...differentialSeeds(procs), longDataDifferential(), ...sessionDifferentials());
    for (const b of truncationSeeds()) out.push({ bytes: b });
    // The most placeholders a statement may have, and one more (ERR 1390).
    for (const n of [65535, 65536]) {
      out.push({
        bytes: encodeOp({ op: 'prepare', sql: `CALL argtypes(${'?,'.repeat(n - 1)}?)` }),
      });
    }
    return out;
  },
  mutate(rng, entry, ctx) {
    const procs = loadProcedures(ctx.root);
    if (rng.chance(0.15)) {
      const ops = genProgram(rng, procs);
      return { bytes: encodeProgram(ops), ops };
    }
    if (rng.chance(0.003)) return { bytes: hugePlaceholders(rng) };
    if (entry.ops && rng.chance(0.7)) {
      const ops = mutateProgram(rng, entry.ops, procs);
      return { bytes: encodeProgram(ops), ops };
    }
    const bytes = withoutExpectation(entry.bytes);
    const c = { ...ctx, extraFrames: (r) => encodeProgram(genProgram(r, procs).slice(0, 2)) };
    return { bytes: mutateFrames(rng, bytes, c, (r, p, x) => mutateBytes(r, p, x)) };
  },
  /**
   * Statement ids in an input count from 1 on a fresh connection; on a
   * connection kept from earlier inputs they are moved past the ids it has
   * handed out already (the server numbers a connection's statements in
   * order), so that an input means the same there as on replay. 0 and
   * 0xffffffff stay as they are.
   */
  wire(bytes, s) {
    const base = s?.maxStmtId ?? 0;
    if (base === 0) return bytes;
    const out = Buffer.from(bytes);
    let off = 0;
    while (out.length - off >= 4) {
      const len = out.readUIntLE(off, 3);
      if (len >= 0xffffff || out.length - off - 4 < len) break;
      const p = off + 4;
      if (out[off + 3] === 0 && len >= 5 && ID_COMMANDS.has(out[p])) {
        const id = out.readUInt32LE(p + 1);
        if (id !== 0 && id !== LAST && id + base < LAST) out.writeUInt32LE(id + base, p + 1);
      }
      off = p + len;
    }
    return out;
  },
  setup(s) {
    s.collect = true;
    s.inputs = 0;
  },
  check(out, entry, s) {
    out.judged = true;
    return judgeInput(out, entry, s);
  },
  /**
   * The model sees every input (a replay checks only the last one), then the
   * server's count of prepared statements. A connection is kept for 200
   * inputs or until it holds 500 statements.
   */
  async after(s, out, entry) {
    const problem = out.judged ? null : judgeInput(out, entry, s);
    if (problem) return problem;
    const count = await checkStatementCount(s.env);
    if (count) return count;
    if (++s.inputs >= 200 || s.stmts.size > 500) s.close();
    return null;
  },
};

const ID_COMMANDS = new Set([
  COM.STMT_EXECUTE,
  COM.STMT_SEND_LONG_DATA,
  COM.STMT_CLOSE,
  COM.STMT_RESET,
  COM.STMT_FETCH,
]);

function judgeInput(out, entry, s) {
  const procs = loadProcedures(s.env.root);
  const problem = judge(out, s, procs);
  if (problem) return problem;
  if (expectationOf(entry.bytes)?.plain === 'diff' && !out.closed) {
    s.count('prepared: differential execute vs text CALL');
    return judgeDifferential(out, s.caps);
  }
  return null;
}

/** 65,535 placeholders (the most a statement may have) or 65,536 (ERR 1390). */
function hugePlaceholders(rng) {
  const n = rng.pick([65535, 65536]);
  return encodeOp({ op: 'prepare', sql: `CALL argtypes(${'?,'.repeat(n - 1)}?)` });
}

export { encodeProgram, param };
