import { Buffer } from 'node:buffer';
import { formatDateTime, toJsonText } from '../results/cell-encoder.js';
import { incorrectValue, tooLong } from './coercion-error.js';
import { toBytes } from './coerce-number.js';
import { numberText } from './numeric-text.js';
import type { SqlType } from './sql-type.js';

/** MySQL shows at most this many bytes of a string it cannot convert. */
const SHOWN_BAD_BYTES = 6;

/**
 * Index of the first byte that does not start a well-formed UTF-8
 * sequence (overlong forms, surrogates and code points past U+10FFFF
 * included), or -1 when all of it is well formed.
 */
export function invalidUtf8At(b: Uint8Array): number {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= n) return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const d = b[i + k]!;
      if ((d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** The bytes MySQL quotes for a string it cannot convert: `\xC3\x28...`. */
function shownBytes(b: Uint8Array, from: number): string {
  let out = '';
  const end = Math.min(b.length, from + SHOWN_BAD_BYTES);
  for (let i = from; i < end; i++) {
    const c = b[i]!;
    out +=
      c >= 0x20 && c < 0x7f
        ? String.fromCharCode(c)
        : '\\x' + c.toString(16).toUpperCase().padStart(2, '0');
  }
  return end < b.length ? out + '...' : out;
}

/**
 * A value as text for a string parameter: bytes must be UTF-8 (ERR 1366
 * `Incorrect string value` otherwise), numbers as MySQL writes them, a
 * Date in the server's time zone, objects as JSON.
 */
export function textValue(value: unknown, column: string, utc: boolean): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return numberText(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? '1' : '0';
    default:
      if (value instanceof Uint8Array) {
        const bad = invalidUtf8At(value);
        if (bad >= 0) incorrectValue('string', shownBytes(value, bad), column);
        return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
      }
      if (value instanceof Date) return formatDateTime(value, utc) ?? 'Invalid Date';
      return toJsonText(value) ?? String(value);
  }
}

/** Length in characters (code points), as utf8mb4 counts them. */
function characters(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** UTF-16 index just past the first `count` characters of `s`. */
function indexAfter(s: string, count: number): number {
  let i = 0;
  for (let k = 0; k < count && i < s.length; k++) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
  }
  return i;
}

/** Trailing spaces of `s` from index `from` on, only spaces: MySQL cuts them with a note. */
function onlySpacesFrom(s: string, from: number): boolean {
  for (let i = from; i < s.length; i++) if (s.charCodeAt(i) !== 0x20) return false;
  return true;
}

/** Index where the trailing spaces of `s` start. */
function trailingSpacesAt(s: string): number {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x20) end--;
  return end;
}

/**
 * CHAR(n), VARCHAR(n), TEXT: at most n characters (TEXT: bytes), else ERR
 * 1406, unless what is over is spaces, which are cut as MySQL does; CHAR
 * loses its trailing spaces, as MySQL reads it back.
 */
export function stringCoercer(
  t: SqlType,
  column: string,
  utc: boolean,
): (value: unknown) => string {
  return (value) => {
    let s = textValue(value, column, utc);
    if (t.kind === 'text') {
      if (s.length > t.length / 3) {
        const excess = Buffer.byteLength(s, 'utf8') - t.length;
        if (excess > 0) {
          if (s.length - trailingSpacesAt(s) < excess) tooLong(column);
          s = s.slice(0, s.length - excess);
        }
      }
    } else if (s.length > t.length && characters(s) > t.length) {
      const cut = indexAfter(s, t.length);
      if (!onlySpacesFrom(s, cut)) tooLong(column);
      s = s.slice(0, cut);
    }
    return t.kind === 'char' ? s.slice(0, trailingSpacesAt(s)) : s;
  };
}

/**
 * BINARY(n), VARBINARY(n), BLOB: the bytes (text as UTF-8), at most n,
 * else ERR 1406; BINARY(n) is padded with zero bytes to n.
 */
export function bytesCoercer(t: SqlType, column: string): (value: unknown) => Buffer {
  return (value) => {
    const bytes = toBytes(value);
    if (bytes.length > t.length) tooLong(column);
    if (t.kind === 'binary' && bytes.length < t.length) {
      const padded = Buffer.alloc(t.length);
      bytes.copy(padded);
      return padded;
    }
    return bytes;
  };
}
