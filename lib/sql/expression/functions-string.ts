import { Buffer } from 'node:buffer';
import { compareStrings, foldCase } from './compare.js';
import {
  anyNull,
  built,
  fitsPacket,
  fn,
  type CallSite,
  type FunctionSpec,
} from './function-spec.js';
import { lengthOf, stringType, Types, type ResultType } from './result-type.js';
import { toInteger, toText, type Value } from './value.js';

// Positions and lengths count characters (code points), as MySQL's do for utf8mb4.

const SURROGATE = /[\uD800-\uDFFF]/;

/** The characters of `s`: the string itself when it has no surrogate pairs, else its code points. */
function chars(s: string): string | string[] {
  return SURROGATE.test(s) ? Array.from(s) : s;
}

function charCount(s: string): number {
  return SURROGATE.test(s) ? Array.from(s).length : s.length;
}

function slice(s: string | string[], from: number, to?: number): string {
  return typeof s === 'string' ? s.slice(from, to) : s.slice(from, to).join('');
}

function text(v: Value): string {
  return toText(v)!;
}

/** An integer argument as a JS number, clamped to a safe range. */
function int(v: Value): number {
  const n = toInteger(v!);
  return n > 2n ** 53n ? 2 ** 53 : n < -(2n ** 53n) ? -(2 ** 53) : Number(n);
}

/** Length in characters of a string result over these arguments, summed. */
function sumLengths(args: readonly ResultType[]): ResultType {
  let total = 0;
  for (const a of args) {
    const n = lengthOf(a);
    if (n === null) return Types.STRING;
    total += n;
  }
  return stringType(total);
}

const firstLength = (args: readonly ResultType[]): ResultType =>
  stringType(args[0] ? lengthOf(args[0]) : null);

function concat(args: readonly Value[], site: CallSite): Value {
  if (anyNull(args)) return null;
  if (args.some((a) => Buffer.isBuffer(a))) {
    const bytes = Buffer.concat(args.map((a) => (Buffer.isBuffer(a) ? a : Buffer.from(text(a)))));
    return bytes.length > site.ctx.session.maxAllowedPacket ? null : bytes;
  }
  let length = 0;
  for (const a of args) length += text(a).length;
  if (!fitsPacket(length, site)) return null;
  return built(args.map(text).join(''), site);
}

function concatWs(args: readonly Value[], site: CallSite): Value {
  if (args[0] === null) return null;
  const parts = args
    .slice(1)
    .filter((a) => a !== null)
    .map(text);
  const separator = text(args[0]!);
  const length = parts.reduce((n, p) => n + p.length, 0) + separator.length * parts.length;
  if (!fitsPacket(length, site)) return null;
  return built(parts.join(separator), site);
}

/** SUBSTRING(s, pos[, len]): positions from 1, negative from the end; 0 gives ''. */
function substring(args: readonly Value[]): Value {
  if (anyNull(args)) return null;
  const s = chars(text(args[0]!));
  const n = s.length;
  let pos = int(args[1]!);
  const len = args.length > 2 ? int(args[2]!) : n;
  if (pos === 0 || len <= 0 || pos > n || -pos > n) return '';
  if (pos < 0) pos = n + pos + 1;
  return slice(s, pos - 1, Math.min(n, pos - 1 + len));
}

function left(args: readonly Value[]): Value {
  if (anyNull(args)) return null;
  const s = chars(text(args[0]!));
  const n = int(args[1]!);
  return n <= 0 ? '' : slice(s, 0, n);
}

function right(args: readonly Value[]): Value {
  if (anyNull(args)) return null;
  const s = chars(text(args[0]!));
  const n = int(args[1]!);
  return n <= 0 ? '' : slice(s, Math.max(0, s.length - n));
}

/** REPLACE(s, from, to): case-sensitive in MySQL whatever the collation. */
function replace(args: readonly Value[], site: CallSite): Value {
  if (anyNull(args)) return null;
  const s = text(args[0]!);
  const from = text(args[1]!);
  const to = text(args[2]!);
  if (from === '') return s;
  const count = s.split(from).length - 1;
  if (!fitsPacket(s.length + count * (to.length - from.length), site)) return null;
  return built(s.split(from).join(to), site);
}

/** The 1-based character position of `needle` in `haystack` from `start`, 0 when absent. */
function locate(needle: string, haystack: string, start: number, ci: boolean): number {
  const h = ci ? foldCase(haystack) : haystack;
  const n = ci ? foldCase(needle) : needle;
  const hs = chars(h);
  if (start < 1 || start > hs.length + 1) return 0;
  const offset = typeof hs === 'string' ? start - 1 : slice(hs, 0, start - 1).length;
  const found = h.indexOf(n, offset);
  if (found < 0) return 0;
  return charCount(h.slice(0, found)) + 1;
}

function repeat(args: readonly Value[], site: CallSite): Value {
  if (anyNull(args)) return null;
  const s = text(args[0]!);
  const n = int(args[1]!);
  if (n <= 0 || s === '') return '';
  if (!fitsPacket(s.length * n, site)) return null;
  return built(s.repeat(n), site);
}

function pad(args: readonly Value[], site: CallSite, atLeft: boolean): Value {
  if (anyNull(args)) return null;
  const s = chars(text(args[0]!));
  const n = int(args[1]!);
  const filler = text(args[2]!);
  if (n < 0) return null;
  if (n <= s.length) return slice(s, 0, n);
  if (filler === '') return null;
  if (!fitsPacket(n * 2, site)) return null;
  const fill = chars(filler.repeat(Math.ceil((n - s.length) / charCount(filler))));
  const padding = slice(fill, 0, n - s.length);
  const whole = typeof s === 'string' ? s : s.join('');
  return built(atLeft ? padding + whole : whole + padding, site);
}

function trimSide(s: string, remove: string, leading: boolean, trailing: boolean): string {
  if (remove === '') return s;
  let start = 0;
  let end = s.length;
  if (leading) while (s.startsWith(remove, start)) start += remove.length;
  if (trailing)
    while (end - remove.length >= start && s.endsWith(remove, end)) end -= remove.length;
  return s.slice(start, end);
}

/** TRIM's body, also used by the evaluator for TRIM(.. FROM ..). */
export function trimText(s: string, remove: string, mode: 'BOTH' | 'LEADING' | 'TRAILING'): string {
  return trimSide(s, remove, mode !== 'TRAILING', mode !== 'LEADING');
}

function findInSet(args: readonly Value[], site: CallSite): Value {
  if (anyNull(args)) return null;
  const needle = text(args[0]!);
  if (needle.includes(',')) return 0n;
  const list = text(args[1]!);
  if (list === '') return 0n;
  const items = list.split(',');
  for (let i = 0; i < items.length; i++) {
    if (compareStrings(items[i]!, needle, site.ci) === 0) return BigInt(i + 1);
  }
  return 0n;
}

function quote(args: readonly Value[], site: CallSite): Value {
  if (args[0] === null) return 'NULL';
  let escaped = '';
  for (const c of text(args[0]!)) {
    if (c === '\\' || c === "'") escaped += '\\' + c;
    else if (c === '\u0000') escaped += '\\0';
    else if (c === '\u001a') escaped += '\\Z';
    else escaped += c;
  }
  return built(`'${escaped}'`, site);
}

function substringIndex(args: readonly Value[]): Value {
  if (anyNull(args)) return null;
  const s = text(args[0]!);
  const delimiter = text(args[1]!);
  const count = int(args[2]!);
  if (delimiter === '' || count === 0) return '';
  const parts = s.split(delimiter);
  return count > 0
    ? parts.slice(0, count).join(delimiter)
    : parts.slice(Math.max(0, parts.length + count)).join(delimiter);
}

const stringFn = (
  min: number,
  max: number,
  run: (args: readonly Value[], site: CallSite) => Value,
  type: ResultType | ((args: readonly ResultType[]) => ResultType) = firstLength,
): FunctionSpec => fn(min, max, type, run);

const unary = (f: (s: string) => Value, type?: ResultType) =>
  stringFn(1, 1, (args) => (args[0] === null ? null : f(text(args[0]!))), type);

/** The string functions, by upper-case name. */
export const STRING_FUNCTIONS: ReadonlyArray<readonly [string, FunctionSpec]> = [
  ['CONCAT', stringFn(1, Infinity, concat, sumLengths)],
  [
    'CONCAT_WS',
    stringFn(2, Infinity, concatWs, (a) => sumLengths([...a, ...a.slice(2).map(() => a[0]!)])),
  ],
  ['LOWER', unary((s) => s.toLowerCase())],
  ['LCASE', unary((s) => s.toLowerCase())],
  ['UPPER', unary((s) => s.toUpperCase())],
  ['UCASE', unary((s) => s.toUpperCase())],
  ['LENGTH', unary((s) => BigInt(Buffer.byteLength(s)), Types.INT)],
  ['OCTET_LENGTH', unary((s) => BigInt(Buffer.byteLength(s)), Types.INT)],
  ['CHAR_LENGTH', unary((s) => BigInt(charCount(s)), Types.INT)],
  ['CHARACTER_LENGTH', unary((s) => BigInt(charCount(s)), Types.INT)],
  ['SUBSTRING', stringFn(2, 3, substring)],
  ['SUBSTR', stringFn(2, 3, substring)],
  ['MID', stringFn(3, 3, substring)],
  ['LEFT', stringFn(2, 2, left)],
  ['RIGHT', stringFn(2, 2, right)],
  ['REPLACE', stringFn(3, 3, replace, Types.STRING)],
  ['LTRIM', unary((s) => trimText(s, ' ', 'LEADING'))],
  ['RTRIM', unary((s) => trimText(s, ' ', 'TRAILING'))],
  [
    'LOCATE',
    stringFn(
      2,
      3,
      (args, site) =>
        anyNull(args)
          ? null
          : BigInt(
              locate(text(args[0]!), text(args[1]!), args.length > 2 ? int(args[2]!) : 1, site.ci),
            ),
      Types.INT,
    ),
  ],
  [
    'INSTR',
    stringFn(
      2,
      2,
      (args, site) =>
        anyNull(args) ? null : BigInt(locate(text(args[1]!), text(args[0]!), 1, site.ci)),
      Types.INT,
    ),
  ],
  ['REPEAT', stringFn(2, 2, repeat, Types.STRING)],
  [
    'SPACE',
    stringFn(
      1,
      1,
      (args, site) => (args[0] === null ? null : repeat([' ', args[0]], site)),
      Types.STRING,
    ),
  ],
  ['LPAD', stringFn(3, 3, (args, site) => pad(args, site, true), Types.STRING)],
  ['RPAD', stringFn(3, 3, (args, site) => pad(args, site, false), Types.STRING)],
  ['REVERSE', unary((s) => Array.from(s).reverse().join(''))],
  ['ASCII', unary((s) => BigInt(Buffer.from(s.slice(0, 2), 'utf8')[0] ?? 0), Types.INT)],
  ['HEX', stringFn(1, 1, (args) => (args[0] === null ? null : hex(args[0]!)), Types.STRING)],
  [
    'STRCMP',
    stringFn(
      2,
      2,
      (args, site) =>
        anyNull(args) ? null : BigInt(compareStrings(text(args[0]!), text(args[1]!), site.ci)),
      Types.INT,
    ),
  ],
  ['FIND_IN_SET', stringFn(2, 2, findInSet, Types.INT)],
  ['QUOTE', stringFn(1, 1, quote, Types.STRING)],
  ['SUBSTRING_INDEX', stringFn(3, 3, substringIndex)],
];

/** HEX(): bytes and strings digit by digit, numbers as their integer in base 16. */
function hex(value: Exclude<Value, null>): string {
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    return Buffer.from(value as string)
      .toString('hex')
      .toUpperCase();
  }
  return BigInt.asUintN(64, toInteger(value)).toString(16).toUpperCase();
}
