/**
 * The binary protocol as the harness reads and writes it, from the
 * protocol description (PROTOCOL.md, the MySQL manual's COM_STMT_EXECUTE
 * and binary-row pages), independently of lib/:
 *
 *  - column types, which of them a value of which width;
 *  - parameter values: encoding for the generators, an SQL literal of the
 *    same value for the differential oracle, and a model decoder of a whole
 *    COM_STMT_EXECUTE (what the server must accept, must refuse, or may do
 *    either way) with the value a handler must then receive;
 *  - binary result rows: strict reading (NULL bitmap at offset 2, each
 *    type's length, temporal fields in range) into values;
 *  - presentation: a text cell and a binary cell of the same column made
 *    comparable the way a client (mysql2) would present them.
 */
import { Reader } from './wire.mjs';

export const TYPE = {
  DECIMAL: 0x00,
  TINY: 0x01,
  SHORT: 0x02,
  LONG: 0x03,
  FLOAT: 0x04,
  DOUBLE: 0x05,
  NULL: 0x06,
  TIMESTAMP: 0x07,
  LONGLONG: 0x08,
  INT24: 0x09,
  DATE: 0x0a,
  TIME: 0x0b,
  DATETIME: 0x0c,
  YEAR: 0x0d,
  NEWDATE: 0x0e,
  VARCHAR: 0x0f,
  BIT: 0x10,
  TIMESTAMP2: 0x11,
  DATETIME2: 0x12,
  TIME2: 0x13,
  TYPED_ARRAY: 0x14,
  VECTOR: 0xf2,
  INVALID: 0xf3,
  BOOL: 0xf4,
  JSON: 0xf5,
  NEWDECIMAL: 0xf6,
  ENUM: 0xf7,
  SET: 0xf8,
  TINY_BLOB: 0xf9,
  MEDIUM_BLOB: 0xfa,
  LONG_BLOB: 0xfb,
  BLOB: 0xfc,
  VAR_STRING: 0xfd,
  STRING: 0xfe,
  GEOMETRY: 0xff,
};

export const TYPE_NAME = Object.fromEntries(Object.entries(TYPE).map(([k, v]) => [v, k]));

/** Types a column definition of MySQL 8 may carry (enum_field_types as sent on the wire). */
export const COLUMN_TYPES = new Set([
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0f, 0x10,
  0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
]);

/** Parameter types every MySQL client library binds (the documented binary protocol value table). */
export const PARAM_TYPES = COLUMN_TYPES;

export const UNSIGNED_FLAG = 0x20;
export const PS_OUT_PARAMS = 0x1000;
export const MORE_RESULTS = 0x0008;
export const CURSOR_EXISTS = 0x0040;
export const LAST_ROW_SENT = 0x0080;
/** COM_STMT_EXECUTE's cursor types (READ_ONLY, FOR_UPDATE, SCROLLABLE). */
export const CURSOR_TYPES = 0x07;

const FIXED = new Map([
  [TYPE.TINY, 1],
  [TYPE.SHORT, 2],
  [TYPE.YEAR, 2],
  [TYPE.LONG, 4],
  [TYPE.INT24, 4],
  [TYPE.FLOAT, 4],
  [TYPE.LONGLONG, 8],
  [TYPE.DOUBLE, 8],
]);

export const isInteger = (t) =>
  t === TYPE.TINY ||
  t === TYPE.SHORT ||
  t === TYPE.LONG ||
  t === TYPE.INT24 ||
  t === TYPE.LONGLONG ||
  t === TYPE.YEAR;
export const isTemporal = (t) =>
  t === TYPE.DATE || t === TYPE.DATETIME || t === TYPE.TIMESTAMP || t === TYPE.TIME;
const TEXT_TYPES = new Set([
  TYPE.VARCHAR,
  TYPE.VAR_STRING,
  TYPE.STRING,
  TYPE.ENUM,
  TYPE.SET,
  TYPE.JSON,
]);
const BYTE_TYPES = new Set([
  TYPE.TINY_BLOB,
  TYPE.MEDIUM_BLOB,
  TYPE.LONG_BLOB,
  TYPE.BLOB,
  TYPE.BIT,
  TYPE.GEOMETRY,
]);
export const isDecimal = (t) => t === TYPE.DECIMAL || t === TYPE.NEWDECIMAL;
/** Types whose value is a length-encoded string of bytes. */
export const isLengthCoded = (t) => TEXT_TYPES.has(t) || BYTE_TYPES.has(t) || isDecimal(t);

// ---- encoding parameters ---------------------------------------------------------

export function lenencLength(n) {
  if (n < 0xfb) return Buffer.from([n]);
  if (n <= 0xffff) return Buffer.from([0xfc, n & 0xff, n >> 8]);
  if (n <= 0xffffff) return Buffer.from([0xfd, n & 0xff, (n >> 8) & 0xff, n >> 16]);
  const b = Buffer.alloc(9);
  b[0] = 0xfe;
  b.writeBigUInt64LE(BigInt(n), 1);
  return b;
}

const lenencOf = (bytes) => Buffer.concat([lenencLength(bytes.length), bytes]);

/** Fields of a temporal value: { year, month, day, hour, minute, second, micro, negative, days }. */
export function temporalBytes(type, f, length = null) {
  if (type === TYPE.TIME) {
    const len = length ?? (f.micro ? 12 : f.days || f.hour || f.minute || f.second ? 8 : 0);
    const b = Buffer.alloc(1 + len);
    b[0] = len;
    if (len >= 8) {
      b[1] = f.negative ? 1 : 0;
      b.writeUInt32LE(f.days >>> 0, 2);
      b[6] = f.hour;
      b[7] = f.minute;
      b[8] = f.second;
    }
    if (len >= 12) b.writeUInt32LE(f.micro >>> 0, 9);
    return b;
  }
  const len =
    length ??
    (f.micro ? 11 : f.hour || f.minute || f.second ? 7 : f.year || f.month || f.day ? 4 : 0);
  const b = Buffer.alloc(1 + len);
  b[0] = len;
  if (len >= 4) {
    b.writeUInt16LE(f.year, 1);
    b[3] = f.month;
    b[4] = f.day;
  }
  if (len >= 7) {
    b[5] = f.hour;
    b[6] = f.minute;
    b[7] = f.second;
  }
  if (len >= 11) b.writeUInt32LE(f.micro >>> 0, 8);
  return b;
}

/**
 * The bytes of one parameter value of `type`. `value`: a number or bigint
 * for integer and floating types, a string for text and DECIMAL, a Buffer
 * for byte types, temporal fields for temporal types.
 */
export function encodeParam(type, value) {
  switch (type) {
    case TYPE.NULL:
      return Buffer.alloc(0);
    case TYPE.TINY: {
      const b = Buffer.alloc(1);
      b[0] = Number(BigInt.asUintN(8, BigInt(value)));
      return b;
    }
    case TYPE.SHORT:
    case TYPE.YEAR: {
      const b = Buffer.alloc(2);
      b.writeUInt16LE(Number(BigInt.asUintN(16, BigInt(value))));
      return b;
    }
    case TYPE.LONG:
    case TYPE.INT24: {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(Number(BigInt.asUintN(32, BigInt(value))));
      return b;
    }
    case TYPE.LONGLONG: {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(value)));
      return b;
    }
    case TYPE.FLOAT: {
      const b = Buffer.alloc(4);
      b.writeFloatLE(value);
      return b;
    }
    case TYPE.DOUBLE: {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(value);
      return b;
    }
    case TYPE.DATE:
    case TYPE.DATETIME:
    case TYPE.TIMESTAMP:
    case TYPE.TIME:
      return Buffer.isBuffer(value) ? value : temporalBytes(type, value);
    default:
      return lenencOf(Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8'));
  }
}

// ---- what a handler receives (the model) --------------------------------------------

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const exactInteger = (big) => (big <= MAX_SAFE && big >= -MAX_SAFE ? Number(big) : big);

const pad = (n, w = 2) => String(n).padStart(w, '0');

/**
 * A parameter's value as a handler must receive it: what the same literal
 * means in a text CALL (PROTOCOL.md: a value means the same in both
 * protocols). { value, sure } where `sure` is false where MySQL itself
 * leaves room (unusual lengths, text that is not a clean number).
 */
export function paramValue(type, bytes, unsigned) {
  switch (type) {
    case TYPE.NULL:
      return { value: null, sure: true };
    case TYPE.TINY:
      return { value: unsigned ? bytes[0] : (bytes[0] << 24) >> 24, sure: true };
    case TYPE.SHORT:
    case TYPE.YEAR: {
      const v = bytes.readUInt16LE(0);
      return { value: unsigned ? v : (v << 16) >> 16, sure: true };
    }
    case TYPE.LONG:
    case TYPE.INT24: {
      const v = bytes.readUInt32LE(0);
      return { value: unsigned ? v : v | 0, sure: true };
    }
    case TYPE.LONGLONG:
      return {
        value: exactInteger(unsigned ? bytes.readBigUInt64LE(0) : bytes.readBigInt64LE(0)),
        sure: true,
      };
    case TYPE.FLOAT:
      return { value: bytes.readFloatLE(0), sure: true };
    case TYPE.DOUBLE:
      return { value: bytes.readDoubleLE(0), sure: true };
    case TYPE.DATE:
    case TYPE.DATETIME:
    case TYPE.TIMESTAMP:
      return dateParam(type, bytes);
    case TYPE.TIME:
      return timeParam(bytes);
    default:
      if (TEXT_TYPES.has(type)) return { value: bytes.toString('utf8'), sure: true };
      if (BYTE_TYPES.has(type)) return { value: Buffer.from(bytes), sure: true };
      if (isDecimal(type)) return decimalParam(bytes.toString('latin1'));
      return { value: undefined, sure: false };
  }
}

/** DECIMAL text as the numeric literal it spells; only clean numbers are sure. */
export function decimalParam(text) {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[2] === '' && !m[3]) || text.length > 60) return { value: undefined, sure: false };
  const [, sign, int, frac, exp] = m;
  if (exp !== undefined || frac !== undefined) {
    const v = parseFloat(text);
    if (!Number.isFinite(v)) return { value: undefined, sure: false, invalid: 'maybe' };
    return { value: v, sure: true };
  }
  const big = BigInt(int);
  return { value: exactInteger(sign === '-' ? -big : big), sure: true };
}

function dateParam(type, b) {
  const len = b[0];
  const withTime = type !== TYPE.DATE;
  const zero = withTime ? '0000-00-00 00:00:00' : '0000-00-00';
  const standard = withTime ? [0, 4, 7, 11] : [0, 4];
  const sure = standard.includes(len);
  if (len === 0) return { value: zero, sure };
  if (len < 4) return { value: undefined, sure: false };
  const year = b.readUInt16LE(1);
  const [month, day] = [b[3], b[4]];
  const [hour, minute, second] = len >= 7 ? [b[5], b[6], b[7]] : [0, 0, 0];
  const micro = len >= 11 ? b.readUInt32LE(8) : 0;
  if (
    year > 9999 ||
    month > 12 ||
    day > 31 ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    micro > 999999
  ) {
    // MySQL's range check makes it a zero value (with a warning); not the harness's to insist on.
    return { value: undefined, sure: false };
  }
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (!withTime) return { value: date, sure };
  const t = `${date} ${pad(hour)}:${pad(minute)}:${pad(second)}`;
  return { value: micro ? `${t}.${pad(micro, 6)}` : t, sure };
}

function timeParam(b) {
  const len = b[0];
  const sure = len === 0 || len === 8 || len === 12;
  if (len === 0) return { value: '00:00:00', sure };
  if (len < 8) return { value: undefined, sure: false };
  const negative = b[1] !== 0;
  let hours = b.readUInt32LE(2) * 24 + b[6];
  let [minute, second] = [b[7], b[8]];
  let micro = len >= 12 ? b.readUInt32LE(9) : 0;
  if (b[1] > 1 || b[6] > 23 || minute > 59 || second > 59 || micro > 999999) {
    return { value: undefined, sure: false };
  }
  if (hours > 838) {
    // TIME's range ends at 838:59:59; MySQL clamps a parameter beyond it.
    hours = 838;
    minute = 59;
    second = 59;
    micro = 0;
  }
  const sign = negative && (hours || minute || second || micro) ? '-' : '';
  const t = `${sign}${pad(hours)}:${pad(minute)}:${pad(second)}`;
  return { value: micro ? `${t}.${pad(micro, 6)}` : t, sure };
}

/** How the sample's argtypes() shows a value: [js_type, text]. */
export function argtypesRow(value) {
  if (value === null) return ['null', null];
  if (Buffer.isBuffer(value)) return ['buffer', value.toString('hex')];
  return [typeof value, String(value)];
}

/** The SQL literal a text CALL spells the same value with. */
export function literalOf(value) {
  if (value === null) return 'NULL';
  if (Buffer.isBuffer(value)) return `X'${value.toString('hex')}'`;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Object.is(value, -0) && Math.abs(value) < 2 ** 53) {
      return String(value);
    }
    // A float literal: an integer-looking double stays a double (and -0 keeps its sign).
    return Object.is(value, -0) ? '-0e0' : value.toExponential();
  }
  const s = String(value).replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/\0/g, '\\0');
  return `'${s}'`;
}

// ---- the execute request (model) ------------------------------------------------------

/**
 * Decodes COM_STMT_EXECUTE (command byte included) against a statement of
 * the model: { params, boundTypes: null | 'unknown' | [{type, unsigned}] },
 * and the long data sent for it (array of Buffers or null by parameter).
 *
 * Returns { verdict: 'valid' | 'invalid' | 'either', why, types?, newTypes,
 * values? ([{ value, sure }]) }. 'valid': the server must run the statement
 * (no ERR 1210 / 1835 for the request); 'invalid': it must answer ERR 1210
 * (or 1835); 'either': MySQL itself could go both ways.
 */
export function decodeExecute(payload, stmt, longData) {
  const out = { verdict: 'valid', why: '', newTypes: false };
  let verdict = 'valid';
  const either = (why) => {
    if (verdict === 'valid') {
      verdict = 'either';
      out.why = why;
    }
  };
  const invalid = (why) => ({ ...out, verdict: 'invalid', why });
  if (payload.length < 10) return invalid('shorter than its fixed fields');
  const flags = payload[5];
  if (flags !== 0) either(`flags 0x${flags.toString(16)} (a cursor)`);
  if (payload.readUInt32LE(6) !== 1) either('iteration count not 1');
  const n = stmt.params;
  if (n === 0) return { ...out, verdict, values: [] };
  const r = new Reader(payload, 10);
  const bitmap = r.bytes((n + 7) >> 3);
  const bound = r.u8();
  if (!r.ok) return invalid('truncated in the NULL bitmap or the bound flag');
  let types;
  if (bound !== 0) {
    out.newTypes = true;
    if (bound !== 1) either('new-params-bound flag neither 0 nor 1');
    types = [];
    for (let i = 0; i < n; i++) {
      const type = r.u8();
      const flag = r.u8();
      if (!r.ok) return invalid('truncated in the parameter types');
      if (!PARAM_TYPES.has(type)) either(`parameter type 0x${type.toString(16)}`);
      if (flag & 0x7f) either('parameter flag bits besides unsigned');
      types.push({ type, unsigned: (flag & 0x80) !== 0 });
    }
    out.types = types;
  } else if (stmt.boundTypes === null) {
    return invalid('no types sent and none bound before');
  } else if (stmt.boundTypes === 'unknown') {
    return { ...out, verdict: 'either', why: 'types bound before are not known for sure' };
  } else types = stmt.boundTypes;
  if (verdict !== 'valid' && types.some((t) => !PARAM_TYPES.has(t.type))) {
    // A type the harness cannot size: nothing more to say about the rest.
    return { ...out, verdict };
  }
  const values = [];
  for (let i = 0; i < n; i++) {
    const { type, unsigned } = types[i];
    const long = longData?.[i] ?? null;
    if (long) {
      if (!isLengthCoded(type)) {
        // MySQL takes long data for string and blob types; for others it is not the harness's to say.
        either(`long data for a ${TYPE_NAME[type] ?? type} parameter`);
        values.push({ value: undefined, sure: false });
      } else values.push(paramValue(type, long, unsigned));
      continue;
    }
    if (bitmap[i >> 3] & (1 << (i & 7))) {
      values.push({ value: null, sure: true });
      continue;
    }
    let bytes;
    const width = FIXED.get(type);
    if (type === TYPE.NULL) bytes = Buffer.alloc(0);
    else if (width !== undefined) bytes = r.bytes(width);
    else if (isTemporal(type)) {
      const len = r.u8();
      const body = r.bytes(len);
      bytes = Buffer.concat([Buffer.from([len]), body]);
    } else {
      const len = r.lenenc();
      if (len === null) {
        // 0xFB as a length: MySQL reads it as 251 bytes; not a form any client writes.
        either('a length of 0xFB');
        return { ...out, verdict };
      }
      bytes = r.bytes(len);
    }
    if (!r.ok) return invalid(`truncated in parameter ${i + 1} (${TYPE_NAME[type]})`);
    const v = paramValue(type, bytes, unsigned);
    if ((type === TYPE.FLOAT || type === TYPE.DOUBLE) && !Number.isFinite(v.value)) {
      either('a NaN or infinite floating-point value');
      v.sure = false;
    }
    if (isTemporal(type) && !v.sure) either(`an unusual ${TYPE_NAME[type]} length or field`);
    if (v.invalid) either('a DECIMAL beyond the double range');
    values.push(v);
  }
  return { ...out, verdict, values, types };
}

// ---- binary result rows ------------------------------------------------------------------

/**
 * Reads one binary-protocol row strictly: 0x00, the NULL bitmap (columns
 * + 2 bits, the first two and the padding zero), then each non-NULL value
 * in its type's form. Returns the cells ({ t: type, ... } per column, null
 * for NULL) or a string saying what is wrong.
 */
export function readBinaryRow(p, columns) {
  if (p.length === 0 || p[0] !== 0x00) return 'binary row does not start with 0x00';
  const n = columns.length;
  const bitmapLen = (n + 9) >> 3;
  if (p.length < 1 + bitmapLen) return 'binary row shorter than its NULL bitmap';
  const bitmap = p.subarray(1, 1 + bitmapLen);
  if (bitmap[0] & 0x03) return 'the two reserved bits of the NULL bitmap are set';
  for (let bit = n + 2; bit < bitmapLen * 8; bit++) {
    if (bitmap[bit >> 3] & (1 << (bit & 7))) return `padding bit ${bit} of the NULL bitmap is set`;
  }
  const r = new Reader(p, 1 + bitmapLen);
  const cells = [];
  for (let i = 0; i < n; i++) {
    const bit = i + 2;
    const col = columns[i];
    const t = col.type;
    if (bitmap[bit >> 3] & (1 << (bit & 7))) {
      cells.push(null);
      continue;
    }
    if (t === TYPE.NULL) return `column ${i + 1} has type NULL but its NULL bit is clear`;
    const width = FIXED.get(t);
    if (width !== undefined) {
      const b = r.bytes(width);
      if (!r.ok) return `column ${i + 1} (${TYPE_NAME[t]}) cut short`;
      cells.push({ t, bytes: b, unsigned: (col.flags & UNSIGNED_FLAG) !== 0 });
      continue;
    }
    if (isTemporal(t)) {
      const len = r.u8();
      const body = r.bytes(len);
      if (!r.ok) return `column ${i + 1} (${TYPE_NAME[t]}) cut short`;
      const f = temporalFields(t, len, body);
      if (typeof f === 'string') return `column ${i + 1}: ${f}`;
      cells.push({ t, fields: f });
      continue;
    }
    if (!COLUMN_TYPES.has(t))
      return `column ${i + 1} has type 0x${t.toString(16)}, not a MySQL type`;
    const first = p[r.off];
    if (first === 0xfb || first === 0xff) {
      return `column ${i + 1} (${TYPE_NAME[t]}) has length byte 0x${first.toString(16)}`;
    }
    const b = r.lenencBytes();
    if (!r.ok) return `column ${i + 1} (${TYPE_NAME[t]}) cut short`;
    cells.push({ t, bytes: b });
  }
  if (r.remaining !== 0) return `${r.remaining} bytes after the last value`;
  return cells;
}

function temporalFields(t, len, b) {
  if (t === TYPE.TIME) {
    if (len !== 0 && len !== 8 && len !== 12) return `TIME of length ${len} (0, 8 or 12)`;
    if (len === 0) return { negative: false, hours: 0, minute: 0, second: 0, micro: 0 };
    const f = {
      negative: b[0] === 1,
      hours: b.readUInt32LE(1) * 24 + b[5],
      minute: b[6],
      second: b[7],
      micro: len === 12 ? b.readUInt32LE(8) : 0,
    };
    if (b[0] > 1) return `TIME sign byte ${b[0]}`;
    if (b[5] > 23 || f.minute > 59 || f.second > 59 || f.micro > 999999) {
      return `TIME field out of range ${b.toString('hex')}`;
    }
    if (len === 12 && f.micro === 0) return 'TIME of length 12 with no microseconds';
    return f;
  }
  const allowed = t === TYPE.DATE ? [0, 4] : [0, 4, 7, 11];
  if (!allowed.includes(len)) return `${TYPE_NAME[t]} of length ${len} (${allowed.join(', ')})`;
  const f = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, micro: 0 };
  if (len >= 4) {
    f.year = b.readUInt16LE(0);
    f.month = b[2];
    f.day = b[3];
  }
  if (len >= 7) {
    f.hour = b[4];
    f.minute = b[5];
    f.second = b[6];
  }
  if (len >= 11) f.micro = b.readUInt32LE(7);
  if (
    f.year > 9999 ||
    f.month > 12 ||
    f.day > 31 ||
    f.hour > 23 ||
    f.minute > 59 ||
    f.second > 59 ||
    f.micro > 999999
  ) {
    return `${TYPE_NAME[t]} field out of range ${b.toString('hex')}`;
  }
  return f;
}

// ---- presentation (both protocols made comparable) -------------------------------------

const INT_RANGE = {
  [TYPE.TINY]: [-128n, 127n, 255n],
  [TYPE.SHORT]: [-32768n, 32767n, 65535n],
  [TYPE.INT24]: [-8388608n, 8388607n, 16777215n],
  [TYPE.LONG]: [-2147483648n, 2147483647n, 4294967295n],
  [TYPE.LONGLONG]: [-(2n ** 63n), 2n ** 63n - 1n, 2n ** 64n - 1n],
  [TYPE.YEAR]: [0n, 9999n, 9999n],
};

/** A binary cell (from readBinaryRow) as a client would present it: a comparable string, or null. */
export function presentBinary(cell) {
  if (cell === null) return null;
  const t = cell.t;
  if (isInteger(t)) {
    const b = cell.bytes;
    let v;
    if (t === TYPE.TINY) v = cell.unsigned ? b[0] : (b[0] << 24) >> 24;
    else if (t === TYPE.SHORT) v = cell.unsigned ? b.readUInt16LE(0) : b.readInt16LE(0);
    else if (t === TYPE.YEAR) v = b.readUInt16LE(0);
    else if (t === TYPE.LONG || t === TYPE.INT24) {
      v = cell.unsigned ? b.readUInt32LE(0) : b.readInt32LE(0);
    } else v = cell.unsigned ? b.readBigUInt64LE(0) : b.readBigInt64LE(0);
    return `int:${v}`;
  }
  if (t === TYPE.FLOAT) return `float:${b4(cell.bytes)}`;
  if (t === TYPE.DOUBLE) return `double:${cell.bytes.readDoubleLE(0)}`;
  if (isTemporal(t)) return `time:${temporalKey(t, cell.fields)}`;
  if (isDecimal(t)) return `decimal:${cell.bytes.toString('latin1')}`;
  return `bytes:${cell.bytes.toString('hex')}`;
}

const b4 = (b) => b.readFloatLE(0);

function temporalKey(t, f) {
  if (t === TYPE.TIME) {
    const zero = !f.hours && !f.minute && !f.second && !f.micro;
    return `${f.negative && !zero ? '-' : ''}${f.hours}:${f.minute}:${f.second}.${f.micro}`;
  }
  const date = `${f.year}-${f.month}-${f.day}`;
  return t === TYPE.DATE ? date : `${date} ${f.hour}:${f.minute}:${f.second}.${f.micro}`;
}

/**
 * A text cell of column `col` presented like presentBinary() presents the
 * same value; a string starting with '!' when the text cannot be a value
 * of the column's type at all.
 */
export function presentText(cell, col) {
  if (cell === null) return null;
  const t = col.type;
  const s = cell.toString('latin1');
  if (isInteger(t)) {
    if (!/^-?\d+$/.test(s)) return `!integer column holds ${JSON.stringify(s.slice(0, 40))}`;
    const v = BigInt(s);
    const [lo, hi, uhi] = INT_RANGE[t];
    const unsigned = (col.flags & UNSIGNED_FLAG) !== 0 || t === TYPE.YEAR;
    if (v < (unsigned ? 0n : lo) || v > (unsigned ? uhi : hi)) {
      return `!${TYPE_NAME[t]}${unsigned ? ' UNSIGNED' : ''} column holds ${s}`;
    }
    return `int:${v}`;
  }
  if (t === TYPE.FLOAT || t === TYPE.DOUBLE) {
    if (!/^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
      return `!${TYPE_NAME[t]} column holds ${JSON.stringify(s.slice(0, 40))}`;
    }
    return t === TYPE.FLOAT ? `float:${Math.fround(parseFloat(s))}` : `double:${parseFloat(s)}`;
  }
  if (isTemporal(t)) {
    const f = parseTemporalText(t, s);
    if (!f) return `!${TYPE_NAME[t]} column holds ${JSON.stringify(s.slice(0, 40))}`;
    return `time:${temporalKey(t, f)}`;
  }
  if (isDecimal(t)) {
    if (!/^-?\d+(\.\d+)?$/.test(s)) {
      return `!DECIMAL column holds ${JSON.stringify(s.slice(0, 40))}`;
    }
    return `decimal:${s}`;
  }
  return `bytes:${cell.toString('hex')}`;
}

function parseTemporalText(t, s) {
  if (t === TYPE.TIME) {
    const m = /^(-?)(\d{2,3}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(s);
    if (!m) return null;
    return {
      negative: m[1] === '-',
      hours: Number(m[2]),
      minute: Number(m[3]),
      second: Number(m[4]),
      micro: m[5] ? Number(m[5].padEnd(6, '0')) : 0,
    };
  }
  const m =
    t === TYPE.DATE
      ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
      : /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(s);
  if (!m) return null;
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    micro: m[7] ? Number(m[7].padEnd(6, '0')) : 0,
  };
}

/** Do two presented cells (from presentText/presentBinary) show the same value? */
export function samePresented(a, b) {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (a.startsWith('float:') && b.startsWith('float:')) {
    // MySQL prints a FLOAT's text with about 6 significant digits; mysql2 shows both as numbers.
    const x = Number(a.slice(6));
    const y = Number(b.slice(6));
    return x === y || Math.abs(x - y) <= Math.abs(x) * 1e-6;
  }
  return false;
}
