import { Buffer } from 'node:buffer';
import { Decimal } from './decimal.js';
import { Temporal, toDecimal, toDouble, toText, type Value } from './value.js';

// The server's collations are utf8mb4_general_ci (the connection's) and the *_bin ones of
// identifiers: a comparison is either case- and accent-insensitive or by code point, and
// both pad with spaces (trailing blanks do not count), as MySQL's PAD SPACE collations do.

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** `text` with letters folded as utf8mb4_general_ci compares them: upper case, accents dropped. */
export function foldCase(text: string): string {
  if (isAscii(text)) return text.toUpperCase();
  // Accents go with the canonical decomposition; the native calls keep long strings cheap.
  const bare = text.normalize('NFD').replace(/\p{M}/gu, '');
  const upper = bare.toUpperCase();
  if (upper.length === bare.length) return upper;
  // Some folds change the length (ß → SS) and would move LIKE's `_`: keep those characters.
  let out = '';
  for (const ch of bare) {
    const u = ch.toUpperCase();
    out += u.length === ch.length ? u : ch;
  }
  return out;
}

/** `text` without the trailing spaces a PAD SPACE collation ignores. */
function unpadded(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x20) end--;
  return end === text.length ? text : text.slice(0, end);
}

function codePointCompare(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates encode code points above every BMP one: compare them as such.
    if (x >= 0xd800 && x <= 0xdfff) x += 0x10000;
    if (y >= 0xd800 && y <= 0xdfff) y += 0x10000;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** Compares two strings under a case-insensitive (`ci`) or a binary collation. */
export function compareStrings(a: string, b: string, ci: boolean): number {
  const x = unpadded(a);
  const y = unpadded(b);
  return ci ? codePointCompare(foldCase(x), foldCase(y)) : codePointCompare(x, y);
}

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

function isStringLike(v: Value): v is string | Temporal {
  return typeof v === 'string' || v instanceof Temporal;
}

/**
 * Compares two non-null values as MySQL's comparison operators do: strings as strings
 * (under `ci` or by code point), bytes as bytes, integers exactly, integers with DECIMALs
 * as DECIMALs, anything else as DOUBLEs (a string beside a number is read as a number).
 */
export function compareValues(
  a: Exclude<Value, null>,
  b: Exclude<Value, null>,
  ci: boolean,
): number {
  if (isStringLike(a) && isStringLike(b)) {
    return compareStrings(
      toText(a)!,
      toText(b)!,
      ci && !(a instanceof Temporal && b instanceof Temporal),
    );
  }
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) {
    if ((Buffer.isBuffer(a) || isStringLike(a)) && (Buffer.isBuffer(b) || isStringLike(b))) {
      return sign(Buffer.compare(toBuffer(a), toBuffer(b)));
    }
  }
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const exactA = typeof a === 'bigint' || a instanceof Decimal;
  const exactB = typeof b === 'bigint' || b instanceof Decimal;
  if (exactA && exactB) return toDecimal(a).compare(toDecimal(b));
  const x = toDouble(a);
  const y = toDouble(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function toBuffer(v: Buffer | string | Temporal): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(toText(v)!, 'utf8');
}

/** Pattern items: a code point to match, or one of these. */
const ANY_ONE = -1;
const ANY_MANY = -2;

/** Code points of `text`, folded first under a case-insensitive collation. */
function codePoints(text: string, ci: boolean): number[] {
  const folded = ci ? foldCase(text) : text;
  const out: number[] = [];
  for (let i = 0; i < folded.length; i++) {
    const c = folded.codePointAt(i)!;
    out.push(c);
    if (c > 0xffff) i++;
  }
  return out;
}

/** The pattern's items: `%` and `_` become wildcards unless escaped by `escape` (-1: none). */
function compilePattern(pattern: string, escape: number, ci: boolean): number[] {
  const points = codePoints(pattern, ci);
  const out: number[] = [];
  for (let i = 0; i < points.length; i++) {
    const c = points[i]!;
    if (c === escape && i + 1 < points.length) {
      out.push(points[++i]!);
    } else if (c === 0x25) {
      if (out[out.length - 1] !== ANY_MANY) out.push(ANY_MANY);
    } else if (c === 0x5f) {
      out.push(ANY_ONE);
    } else {
      out.push(c);
    }
  }
  return out;
}

/**
 * Whether `text` matches the LIKE `pattern` (`%` any run, `_` one character, `escape`
 * taking the next character literally; -1 for no escape). Greedy with one backtrack point,
 * so it costs at most text × pattern steps; `step` is told of every one of them, so that
 * the caller can bound the work.
 */
export function likeMatch(
  text: string,
  pattern: string,
  escape: number,
  ci: boolean,
  step: (n: number) => void,
): boolean {
  const t = codePoints(text, ci);
  const p = compilePattern(pattern, ci && escape >= 0 ? foldEscape(escape) : escape, ci);
  let ti = 0;
  let pi = 0;
  let starP = -1;
  let starT = 0;
  let steps = 0;
  while (ti < t.length) {
    if (++steps === 4096) {
      step(steps);
      steps = 0;
    }
    const item = p[pi];
    if (pi < p.length && (item === ANY_ONE || item === t[ti])) {
      ti++;
      pi++;
    } else if (item === ANY_MANY) {
      starP = pi++;
      starT = ti;
    } else if (starP >= 0) {
      pi = starP + 1;
      ti = ++starT;
    } else {
      step(steps);
      return false;
    }
  }
  step(steps);
  while (p[pi] === ANY_MANY) pi++;
  return pi === p.length;
}

function foldEscape(escape: number): number {
  return foldCase(String.fromCodePoint(escape)).codePointAt(0)!;
}
