import { isDigit, isSpace } from '../sql/char-codes.js';

/**
 * A number read from the front of a string, as MySQL reads a string into
 * a numeric parameter: leading spaces, a sign, digits, a fraction and an
 * exponent; whatever follows is noted, not fatal here.
 */
export interface NumericText {
  readonly negative: boolean;
  /** Significant digits of the mantissa, no leading or trailing zeros; '' for zero. */
  readonly digits: string;
  /** The value is `digits × 10^exponent`. */
  readonly exponent: number;
  /** At least one digit was read. */
  readonly found: boolean;
  /** Nothing but spaces follows the number. */
  readonly complete: boolean;
  /** The number's own text, for Number(). */
  readonly text: string;
}

/** Exponents are clamped here: far beyond any type's range, yet safe to add to. */
const EXPONENT_LIMIT = 1_000_000_000;

/** Reads the number at the front of `s`; linear in its length, no regular expressions. */
export function readNumericText(s: string): NumericText {
  const n = s.length;
  let i = 0;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  const start = i;
  let negative = false;
  if (i < n && (s[i] === '-' || s[i] === '+')) {
    negative = s[i] === '-';
    i++;
  }
  const intStart = i;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  const intDigits = s.slice(intStart, i);
  let fracDigits = '';
  if (i < n && s[i] === '.') {
    const fracStart = i + 1;
    let j = fracStart;
    while (j < n && isDigit(s.charCodeAt(j))) j++;
    // A lone '.' with no digit on either side is not a number.
    if (intDigits.length > 0 || j > fracStart) {
      fracDigits = s.slice(fracStart, j);
      i = j;
    }
  }
  const found = intDigits.length + fracDigits.length > 0;
  let exponent = 0;
  if (found && i < n && (s[i] === 'e' || s[i] === 'E')) {
    let j = i + 1;
    let expNegative = false;
    if (j < n && (s[j] === '-' || s[j] === '+')) {
      expNegative = s[j] === '-';
      j++;
    }
    const expStart = j;
    while (j < n && isDigit(s.charCodeAt(j))) j++;
    if (j > expStart) {
      let e = 0;
      for (let k = expStart; k < j && e < EXPONENT_LIMIT; k++)
        e = e * 10 + (s.charCodeAt(k) - 0x30);
      exponent = expNegative ? -Math.min(e, EXPONENT_LIMIT) : Math.min(e, EXPONENT_LIMIT);
      i = j;
    }
  }
  const text = found ? s.slice(start, i) : '';
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  const complete = i === n;
  if (!found) return { negative, digits: '', exponent: 0, found, complete, text };
  // Normalise: one run of significant digits and the power of ten it is scaled by.
  let mantissa = intDigits + fracDigits;
  exponent -= fracDigits.length;
  let lead = 0;
  while (lead < mantissa.length && mantissa.charCodeAt(lead) === 0x30) lead++;
  let tail = mantissa.length;
  while (tail > lead && mantissa.charCodeAt(tail - 1) === 0x30) tail--;
  exponent += mantissa.length - tail;
  mantissa = mantissa.slice(lead, tail);
  return { negative, digits: mantissa, exponent: mantissa ? exponent : 0, found, complete, text };
}

/** The text MySQL would read from a JS number: no `+` in exponents. */
export function numberText(n: number): string {
  const s = String(n);
  return s.includes('e+') ? s.replace('e+', 'e') : s;
}

/**
 * The value rounded half away from zero to `scale` decimals, as an
 * integer count of 10^-scale units; null when its integer part would need
 * more than `maxIntDigits` digits. Works on the digit string, so a huge
 * exponent or a long run of digits costs no big arithmetic.
 */
export function scaledInteger(n: NumericText, scale: number, maxIntDigits: number): bigint | null {
  if (n.digits === '') return 0n;
  const intLength = n.digits.length + n.exponent;
  if (intLength > maxIntDigits) return null;
  // Digits that stay, counted from the first significant one.
  const keep = intLength + scale;
  let units: bigint;
  if (keep < 0) {
    units = 0n;
  } else if (keep >= n.digits.length) {
    units = BigInt(n.digits + '0'.repeat(keep - n.digits.length));
  } else {
    const kept = keep === 0 ? 0n : BigInt(n.digits.slice(0, keep));
    units = n.digits.charCodeAt(keep) >= 0x35 ? kept + 1n : kept;
  }
  if (units !== 0n && units.toString().length - scale > maxIntDigits) return null;
  return n.negative ? -units : units;
}

/** `units × 10^-scale` as decimal text with exactly `scale` digits after the point. */
export function decimalText(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const text = scale > 0 ? `${int}.${digits.slice(digits.length - scale)}` : int;
  return negative ? '-' + text : text;
}
