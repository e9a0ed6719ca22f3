import type { SqlValue } from '../../../lib/sql/index.js';

/** Deterministic choices for one rendering, so fast-check can shrink and replay it. */
export class Choices {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    // xorshift32: plenty for picking spellings.
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state % n;
  }

  /** True with probability 1/n. */
  oneIn(n: number): boolean {
    return this.below(n) === 0;
  }

  /** One of `options`. */
  pick<T>(options: readonly T[]): T {
    return options[this.below(options.length)] as T;
  }
}

// Everything SQL treats as nothing between two tokens; each is safe next to any token.
const GAPS = [
  ' ',
  '\n',
  '\t',
  '\r\n',
  '\f',
  '\v',
  '/* c */',
  '/**/',
  '-- c\n',
  '--\n',
  '# c\n',
  '/*! */',
  '/*+ hint */',
  ' /* a\nb */ ',
];

/** White space or comments, possibly empty when `mayBeEmpty`. */
export function gap(ch: Choices, mayBeEmpty: boolean): string {
  if (mayBeEmpty && ch.oneIn(2)) return '';
  let out = ch.pick(GAPS);
  while (ch.oneIn(4)) out += ch.pick(GAPS);
  return out;
}

function randomCase(ch: Choices, word: string): string {
  let out = '';
  for (const c of word) out += ch.oneIn(2) ? c.toLowerCase() : c.toUpperCase();
  return out;
}

/** Unary signs giving `negative`; gaps between signs are never empty, as `--` then a blank is a comment. */
function signs(ch: Choices, negative: boolean): string {
  let minus = negative ? 1 : 0;
  minus += 2 * ch.below(2);
  const plus = ch.below(2);
  const parts: string[] = [];
  for (let i = 0; i < minus; i++) parts.push('-');
  for (let i = 0; i < plus; i++) parts.splice(ch.below(parts.length + 1), 0, '+');
  return parts.map((s, i) => s + gap(ch, i === parts.length - 1)).join('');
}

function leadingZeros(ch: Choices): string {
  return ch.oneIn(4) ? '0'.repeat(1 + ch.below(3)) : '';
}

function renderInteger(ch: Choices, value: bigint): string {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  return signs(ch, negative) + leadingZeros(ch) + magnitude.toString();
}

function renderDouble(ch: Choices, value: number): string {
  const negative = value < 0 || Object.is(value, -0);
  const magnitude = Math.abs(value);
  let text: string;
  if (magnitude === 0) {
    text = ch.pick(['0.0', '0e0', '.0', '0.', '0E+0']);
  } else {
    text = ch.oneIn(2) ? String(magnitude) : magnitude.toExponential();
    if (!text.includes('.') && !text.includes('e')) text += '.0';
    if (ch.oneIn(2)) text = text.replace('e', 'E');
  }
  return signs(ch, negative) + text;
}

// Escapes MySQL maps to a control character; everything else after a backslash stands for itself.
const CONTROL_ESCAPES = new Map([
  ['\0', '\\0'],
  ['\b', '\\b'],
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\t', '\\t'],
  ['\x1a', '\\Z'],
]);
const MEANINGFUL_AFTER_BACKSLASH = new Set(['0', 'b', 'n', 'r', 't', 'Z', '%', '_']);

function quoteSegment(ch: Choices, text: string, quote: string): string {
  let out = quote;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === quote) out += ch.oneIn(2) ? quote + quote : '\\' + quote;
    else if (c === '\\') out += '\\\\';
    else if (CONTROL_ESCAPES.has(c) && ch.oneIn(2)) out += CONTROL_ESCAPES.get(c);
    else if (!MEANINGFUL_AFTER_BACKSLASH.has(c) && ch.oneIn(8)) out += '\\' + c;
    else out += c;
  }
  return out + quote;
}

/** A string literal spelled with random quotes, escapes, prefixes and concatenated segments. */
function renderString(ch: Choices, text: string): string {
  const prefix = ch.below(4);
  const segments: string[] = [];
  let rest = text;
  while (rest.length > 0 && ch.oneIn(3)) {
    const cut = ch.below(rest.length + 1);
    segments.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  segments.push(rest);
  const quoted = segments.map((segment, i) => {
    const quote = i === 0 && prefix === 1 ? "'" : ch.pick(["'", '"']);
    return quoteSegment(ch, segment, quote);
  });
  // Adjacent segments need a gap: with none, '' inside would read as a doubled quote.
  let out = quoted.map((q, i) => (i === 0 ? q : gap(ch, false) + q)).join('');
  if (prefix === 1) out = ch.pick(['N', 'n']) + out;
  if (prefix === 2)
    out = ch.pick(['_utf8mb4', '_UTF8MB4', '_utf8', '_latin1']) + gap(ch, true) + out;
  return out;
}

function hexDigits(ch: Choices, bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return ch.oneIn(2) ? hex.toUpperCase() : hex;
}

function bitDigits(ch: Choices, bytes: Buffer): string {
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  // Dropping up to 7 leading zero bits keeps the byte count, as MySQL pads to whole bytes.
  let drop = 0;
  while (drop < 7 && bits.charAt(drop) === '0' && bits.length - drop > 1 && ch.oneIn(2)) drop++;
  return bits.slice(drop);
}

function isUtf8RoundTrip(bytes: Buffer): boolean {
  return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
}

/** Bytes spelled as X'..', 0x.., b'..', 0b.. or a _binary string. */
function renderBytes(ch: Choices, bytes: Buffer): string {
  const introducer = ch.oneIn(3) ? ch.pick(['_binary', '_BINARY', '_latin1']) : '';
  const form = ch.below(5);
  if (form === 1 && bytes.length > 0) {
    let hex = hexDigits(ch, bytes);
    if (hex.startsWith('0') && ch.oneIn(2)) hex = hex.slice(1);
    return (introducer === '' ? '' : introducer + gap(ch, false)) + '0x' + hex;
  }
  // An introducer glued to b'..' or X'..' would read as one longer word.
  const afterIntroducer = introducer + gap(ch, introducer === '');
  if (form === 2) {
    return afterIntroducer + ch.pick(['b', 'B']) + "'" + bitDigits(ch, bytes) + "'";
  }
  if (form === 3 && bytes.length > 0) {
    return (introducer === '' ? '' : introducer + gap(ch, false)) + '0b' + bitDigits(ch, bytes);
  }
  if (form === 4 && isUtf8RoundTrip(bytes)) {
    return (
      ch.pick(['_binary', '_BINARY']) +
      gap(ch, true) +
      quoteSegment(ch, bytes.toString('utf8'), ch.pick(["'", '"']))
    );
  }
  return afterIntroducer + ch.pick(['X', 'x']) + "'" + hexDigits(ch, bytes) + "'";
}

/** `value` written as a MySQL literal in a randomly chosen spelling. */
export function renderLiteral(ch: Choices, value: SqlValue): string {
  if (value === null) return ch.oneIn(4) ? '\\N' : randomCase(ch, 'null');
  if (typeof value === 'boolean') return randomCase(ch, value ? 'true' : 'false');
  if (typeof value === 'bigint') return renderInteger(ch, value);
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && !Object.is(value, -0) && ch.oneIn(2)) {
      return renderInteger(ch, BigInt(value));
    }
    return renderDouble(ch, value);
  }
  if (typeof value === 'string') return renderString(ch, value);
  return renderBytes(ch, value);
}

/** What the parser returns for `value`: integers within ±(2^53-1) come back as numbers. */
export function expectedValue(value: SqlValue): SqlValue {
  if (typeof value === 'bigint') {
    const limit = BigInt(Number.MAX_SAFE_INTEGER);
    return value >= -limit && value <= limit ? Number(value) : value;
  }
  return value;
}
