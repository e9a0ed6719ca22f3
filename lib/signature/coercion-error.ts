import { Buffer } from 'node:buffer';
import { ER, formatError, type ErrorSpec, type WireError } from '../protocol/errors.js';
import { numberText } from './numeric-text.js';

/**
 * A value a parameter's type refused, with the error MySQL 8 in strict
 * mode gives for it. Thrown by coercers, caught where a CALL's arguments
 * or OUT values are bound, and answered as that ERR.
 */
export class CoercionError extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message);
    this.name = 'CoercionError';
  }
}

/** MySQL numbers the row of a parameter 1, as for a single-row INSERT. */
const ROW = 1;
/** MySQL quotes at most this many characters of a value in a message (`%-.128s`). */
const SHOWN_CHARS = 128;

/** A value as MySQL quotes it in an error message: its text, cut at 128 characters. */
export function shownValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number') text = numberText(value);
  else if (typeof value === 'bigint') text = value.toString();
  else if (typeof value === 'boolean') text = value ? '1' : '0';
  else if (value instanceof Uint8Array) text = Buffer.from(value).toString('latin1');
  else text = String(value);
  if (text.length <= SHOWN_CHARS) return text;
  return Array.from(text.slice(0, SHOWN_CHARS * 2))
    .slice(0, SHOWN_CHARS)
    .join('');
}

const fail = (spec: ErrorSpec, ...args: Array<string | number>): never => {
  throw new CoercionError(formatError(spec, ...args));
};

/** ERR 1264: the value is beyond the type's range. */
export const outOfRange = (column: string): never => fail(ER.WARN_DATA_OUT_OF_RANGE, column, ROW);

/** ERR 1265: part of the text was not a number (or a BIT/… lost part of its value). */
export const truncated = (column: string): never => fail(ER.WARN_DATA_TRUNCATED, column, ROW);

/** ERR 1366: no number at all (`'abc'` for an INT), or bytes that are not UTF-8 for a string. */
export const incorrectValue = (typeName: string, value: string, column: string): never =>
  fail(ER.TRUNCATED_WRONG_VALUE_FOR_FIELD, typeName, value, column, ROW);

/** ERR 1292: not a valid date, datetime or time. */
export const incorrectTemporal = (typeName: string, value: unknown, column: string): never =>
  fail(ER.WRONG_TEMPORAL_VALUE, typeName, shownValue(value), column, ROW);

/** ERR 1406: longer than the declared length. */
export const tooLong = (column: string): never => fail(ER.DATA_TOO_LONG, column, ROW);
