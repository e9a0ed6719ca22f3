import { isDigit, isSpace } from './char-codes.js';
import { SqlSyntaxError } from './sql-syntax-error.js';
import { syntaxErrorAt } from './syntax-error-at.js';

const STAR = 0x2a;
const SLASH = 0x2f;

// MySQL 8.1 started reading six-digit versions (for 10.0 and later); 8.0 reads five.
const SIX_DIGITS_FROM = 80100;

// Enough UTF-16 units for the 80 characters of a `near` text.
const NEAR_UNITS = 160;

/**
 * How many version digits follow `/*!` at `from` (0 when it has none), read as the server
 * of `serverVersionId` reads them: five digits; from 8.1 on six when the sixth is a digit
 * followed by white space. Anything after them is SQL.
 */
export function versionDigits(sql: string, from: number, serverVersionId: number): number {
  for (let i = 0; i < 5; i++) if (!isDigit(sql.charCodeAt(from + i))) return 0;
  const six =
    serverVersionId >= SIX_DIGITS_FROM &&
    isDigit(sql.charCodeAt(from + 5)) &&
    isSpace(sql.charCodeAt(from + 6));
  return six ? 6 : 5;
}

/** The version written as `count` digits at `from`. */
export function versionNumber(sql: string, from: number, count: number): number {
  let version = 0;
  for (let p = from; p < from + count; p++) version = version * 10 + sql.charCodeAt(p) - 0x30;
  return version;
}

/**
 * Skips a version comment the server does not run, whose body starts at `from`, and
 * returns the offset after its `*\/`. As MySQL's consume_comment: the first `*\/` ends
 * it, strings included, except that it may hold plain comments one level deep.
 * `commentStart` is its `/*!`, where an unterminated one is reported.
 */
export function skipVersionComment(sql: string, commentStart: number, from: number): number {
  const end = scan(sql, from, sql.length, null);
  if (end === -1) throw unterminated(sql, commentStart, from);
  return end;
}

/**
 * Scans a skipped comment from `from`, stopping by `limit`; returns the offset after its
 * end, or -1. `patches` collects where MySQL overwrites a nested comment's `/*` with `(*`
 * (as 2 * offset) and its `*\/` with `*)` (as 2 * offset + 1).
 */
function scan(sql: string, from: number, limit: number, patches: number[] | null): number {
  let nested = false;
  let p = from;
  while (p < limit) {
    const c = sql.charCodeAt(p);
    const d = sql.charCodeAt(p + 1);
    if (c === STAR && d === SLASH) {
      if (!nested) return p + 2;
      patches?.push(2 * (p + 1) + 1);
      nested = false;
      p += 2;
    } else if (!nested && c === SLASH && d === STAR) {
      patches?.push(2 * p);
      nested = true;
      p += 2;
    } else {
      p++;
    }
  }
  return -1;
}

// MySQL reports from the comment's start, in its buffer as patched while scanning.
function unterminated(sql: string, commentStart: number, from: number): SqlSyntaxError {
  const plain = syntaxErrorAt(sql, commentStart);
  const patches: number[] = [];
  scan(sql, from, Math.min(sql.length, commentStart + NEAR_UNITS), patches);
  if (patches.length === 0) return plain;
  let near = '';
  let segment = 0;
  for (const patch of patches) {
    const i = Math.floor(patch / 2) - commentStart;
    if (i >= plain.near.length) break;
    near += plain.near.slice(segment, i) + (patch % 2 === 0 ? '(' : ')');
    segment = i + 1;
  }
  return new SqlSyntaxError(near + plain.near.slice(segment), plain.line);
}
