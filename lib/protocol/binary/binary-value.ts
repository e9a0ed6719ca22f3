import { Buffer } from 'node:buffer';
import { isDigit, isSpace } from '../../sql/char-codes.js';
import { integerValue } from '../../sql/numeric-value.js';
import type { SqlValue } from '../../sql/types.js';
import { ColumnType, PARAMETER_UNSIGNED } from '../constants.js';
import { MalformedPacketError, type PayloadReader } from '../payload-reader.js';

/*
 * One parameter value of COM_STMT_EXECUTE (or of a bulk row) as a handler
 * receives it. The rule is that a value means what the same literal means
 * in a text `CALL`, so a handler cannot tell the two protocols apart:
 * integers are numbers when safe and bigints beyond; DECIMAL text is read
 * as the numeric literal it spells (`1.50` -> 1.5, `123` -> 123); text
 * types are strings; blob, BIT and GEOMETRY types are bytes (MySQL binds
 * them in the binary charset, as `_binary'..'` or `x'..'` would be).
 * Temporal values become the text MySQL shows for them.
 */

/** Type codes a parameter may be bound as: every column type of the protocol table. */
const BINDABLE = new Uint8Array(256);
for (const code of Object.values(ColumnType)) BINDABLE[code] = 1;

/** Whether a 2-byte bound type names a type this codec can read (flag bits other than unsigned are ignored). */
export function isBindableType(type: number): boolean {
  return BINDABLE[type & 0xff] === 1;
}

/** A bound type as kept in `BoundParameters.types`: the type code, | PARAMETER_UNSIGNED when unsigned. */
export function boundType(typeByte: number, flagByte: number): number {
  return (flagByte & 0x80) !== 0 ? typeByte | PARAMETER_UNSIGNED : typeByte;
}

const TWO_32 = 4294967296;
/** |hi| below this keeps hi * 2^32 + lo within a double's exact integers. */
const SAFE_HIGH = 0x200000;

/** Offset of the next `n` bytes, which the reader then skips (so a short packet throws). */
function take(r: PayloadReader, n: number): number {
  const at = r.offset;
  r.skip(n);
  return at;
}

/** Reads one value of a bound type (type code, | PARAMETER_UNSIGNED when unsigned). */
export function readBinaryValue(r: PayloadReader, type: number): SqlValue {
  const unsigned = (type & PARAMETER_UNSIGNED) !== 0;
  switch (type & 0xff) {
    case ColumnType.NULL:
      return null;
    case ColumnType.TINY: {
      const v = r.u8();
      return unsigned ? v : (v << 24) >> 24;
    }
    case ColumnType.SHORT:
    case ColumnType.YEAR: {
      const v = r.u16();
      return unsigned ? v : (v << 16) >> 16;
    }
    case ColumnType.LONG:
    case ColumnType.INT24: {
      const v = r.u32();
      return unsigned ? v : v | 0;
    }
    case ColumnType.LONGLONG:
      return readInt64(r, unsigned);
    case ColumnType.FLOAT:
      // Widened exactly, as MySQL binds a FLOAT parameter: 0.1f is 0.10000000149011612.
      return finite(r.payload.readFloatLE(take(r, 4)));
    case ColumnType.DOUBLE:
      return finite(r.payload.readDoubleLE(take(r, 8)));
    case ColumnType.DATE:
      return readDateTime(r, false);
    case ColumnType.DATETIME:
    case ColumnType.TIMESTAMP:
      return readDateTime(r, true);
    case ColumnType.TIME:
      return readTime(r);
    default:
      return lengthCodedValue(type, r.lenencBytes(), true);
  }
}

/**
 * The value of a parameter sent with COM_STMT_SEND_LONG_DATA: the joined
 * pieces, read as the in-packet bytes of its type would be. Any
 * length-coded type takes it (MySQL only blob and string types; DECIMAL,
 * JSON or BIT read just as well); fixed-width types refuse it, as MySQL
 * refuses them with a malformed-packet error.
 */
export function longDataValue(type: number, data: Buffer): SqlValue {
  // Long data was copied when it arrived: no second copy.
  return lengthCodedValue(type, data, false);
}

/** The value of a length-coded type's bytes; other types are malformed here. */
function lengthCodedValue(type: number, bytes: Buffer, copy: boolean): SqlValue {
  switch (type & 0xff) {
    case ColumnType.VARCHAR:
    case ColumnType.VAR_STRING:
    case ColumnType.STRING:
    case ColumnType.ENUM:
    case ColumnType.SET:
    case ColumnType.JSON:
      return bytes.toString('utf8');
    case ColumnType.TINY_BLOB:
    case ColumnType.MEDIUM_BLOB:
    case ColumnType.LONG_BLOB:
    case ColumnType.BLOB:
    case ColumnType.BIT:
    case ColumnType.GEOMETRY:
      // The packet's buffer may be a view of a socket chunk: a kept value needs its own bytes.
      return copy ? Buffer.from(bytes) : bytes;
    case ColumnType.DECIMAL:
    case ColumnType.NEWDECIMAL:
      return decimalValue(bytes.toString('latin1'));
    default:
      throw new MalformedPacketError();
  }
}

/** MySQL has no NaN or infinity; a text CALL refuses them too (ER 1367), so the execute is refused. */
function finite(v: number): number {
  if (!Number.isFinite(v)) throw new MalformedPacketError();
  return v;
}

/** An 8-byte integer: a number when safe, else an exact bigint (as integer literals are). */
function readInt64(r: PayloadReader, unsigned: boolean): number | bigint {
  const lo = r.u32();
  const hiBits = r.u32();
  const hi = unsigned ? hiBits : hiBits | 0;
  if (hi < SAFE_HIGH && hi >= -SAFE_HIGH) {
    const v = hi * TWO_32 + lo;
    if (Number.isSafeInteger(v)) return v;
  }
  const bits = (BigInt(hiBits) << 32n) | BigInt(lo);
  return unsigned ? bits : BigInt.asIntN(64, bits);
}

/**
 * DECIMAL text as the numeric literal it spells in a text CALL: digits
 * alone are an integer (exact, bigint when large), a point makes a double
 * (`1.50` -> 1.5), an exponent too. Like MySQL's decimal conversion, leading
 * spaces are skipped and reading stops at the first character that cannot
 * continue the number; text with no number at all is 0.
 */
export function decimalValue(text: string): number | bigint {
  const n = text.length;
  let p = 0;
  while (p < n && isSpace(text.charCodeAt(p))) p++;
  const signAt = p;
  let negative = false;
  const sign = text.charCodeAt(p);
  if (sign === 0x2d || sign === 0x2b) {
    negative = sign === 0x2d;
    p++;
  }
  const intStart = p;
  while (p < n && isDigit(text.charCodeAt(p))) p++;
  const intEnd = p;
  let point = false;
  if (text.charCodeAt(p) === 0x2e) {
    const fracStart = p + 1;
    let q = fracStart;
    while (q < n && isDigit(text.charCodeAt(q))) q++;
    if (q > fracStart || intEnd > intStart) {
      point = true;
      p = q;
    }
  }
  if (!point && intEnd === intStart) return 0;
  const e = text.charCodeAt(p) | 0x20;
  if (e === 0x65) {
    let q = p + 1;
    const s = text.charCodeAt(q);
    if (s === 0x2b || s === 0x2d) q++;
    if (isDigit(text.charCodeAt(q))) {
      while (q < n && isDigit(text.charCodeAt(q))) q++;
      return finite(parseFloat(text.slice(signAt, q)));
    }
  }
  if (!point) return integerValue(text, intStart, intEnd, negative);
  // Negated after parsing, as the literal path does (so `-0.0` is -0 there and here).
  const v = parseFloat(text.slice(intStart, p));
  return negative ? -v : v;
}

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));
const pad4 = (n: number): string => (n < 1000 ? ('000' + n).slice(-4) : String(n));
const micros = (n: number): string => ('00000' + n).slice(-6);

const ZERO_DATE = '0000-00-00';
const ZERO_DATETIME = '0000-00-00 00:00:00';
const ZERO_TIME = '00:00:00';
/** MySQL's TIME range ends at 838:59:59. */
const MAX_TIME_HOURS = 838;

/**
 * DATE (`YYYY-MM-DD`) or DATETIME/TIMESTAMP (`YYYY-MM-DD HH:MM:SS`, then
 * `.ffffff` when there are microseconds: MySQL gives such a parameter six
 * decimals, and none otherwise). Lengths 0, 4, 7 and 11 only. A field out
 * of range makes the zero value, as MySQL's range check does.
 */
function readDateTime(r: PayloadReader, withTime: boolean): string {
  const length = r.u8();
  if (length !== 0 && length !== 4 && length !== 7 && length !== 11) {
    throw new MalformedPacketError();
  }
  if (length === 0) return withTime ? ZERO_DATETIME : ZERO_DATE;
  const at = take(r, length);
  const b = r.payload;
  const year = b.readUInt16LE(at);
  const month = b[at + 2]!;
  const day = b[at + 3]!;
  const hour = length >= 7 ? b[at + 4]! : 0;
  const minute = length >= 7 ? b[at + 5]! : 0;
  const second = length >= 7 ? b[at + 6]! : 0;
  const micro = length === 11 ? b.readUInt32LE(at + 7) : 0;
  if (
    year > 9999 ||
    month > 12 ||
    day > 31 ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    micro > 999999
  ) {
    return withTime ? ZERO_DATETIME : ZERO_DATE;
  }
  const date = `${pad4(year)}-${pad2(month)}-${pad2(day)}`;
  if (!withTime) return date;
  const time = `${date} ${pad2(hour)}:${pad2(minute)}:${pad2(second)}`;
  return micro === 0 ? time : `${time}.${micros(micro)}`;
}

/**
 * TIME as `[-]HH:MM:SS[.ffffff]`, days folded into the hours. Beyond
 * 838:59:59 it is clamped there, as MySQL clamps a TIME parameter; other
 * fields out of range make 00:00:00. Lengths 0, 8 and 12 only.
 */
function readTime(r: PayloadReader): string {
  const length = r.u8();
  if (length !== 0 && length !== 8 && length !== 12) throw new MalformedPacketError();
  if (length === 0) return ZERO_TIME;
  const at = take(r, length);
  const b = r.payload;
  const negative = b[at] !== 0;
  let hours = b.readUInt32LE(at + 1) * 24 + b[at + 5]!;
  let minute = b[at + 6]!;
  let second = b[at + 7]!;
  let micro = length === 12 ? b.readUInt32LE(at + 8) : 0;
  if (hours > MAX_TIME_HOURS) {
    hours = MAX_TIME_HOURS;
    minute = 59;
    second = 59;
    micro = 0;
  }
  if (minute > 59 || second > 59 || micro > 999999) return ZERO_TIME;
  const sign = negative && (hours | minute | second | micro) !== 0 ? '-' : '';
  const time = `${sign}${pad2(hours)}:${pad2(minute)}:${pad2(second)}`;
  return micro === 0 ? time : `${time}.${micros(micro)}`;
}
