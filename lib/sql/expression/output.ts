import { Buffer } from 'node:buffer';
import { Decimal } from './decimal.js';
import type { ResultType } from './result-type.js';
import { Temporal, toBytes, toDecimal, toDouble, toInteger, toText, type Value } from './value.js';

/** A value ready for a text-protocol row: text, bytes, a finite DOUBLE, or NULL. */
export type OutputCell = string | number | Buffer | null;

/**
 * A value as a column of type `type` shows it: converted to the column's type first (an
 * integer in a DECIMAL(2) column is `5.00`, a number in a string column its text), then
 * to text, except DOUBLEs, which the row writer formats, and bytes.
 */
export function outputCell(value: Value, type: ResultType): OutputCell {
  if (value === null) return null;
  switch (type.kind) {
    case 'int':
      return toInteger(value).toString();
    case 'decimal':
      return toDecimal(value).rescale(type.scale).toString();
    case 'double': {
      const d = toDouble(value);
      return Number.isFinite(d) ? d : null;
    }
    case 'binary':
      return toBytes(value);
    default:
      if (typeof value === 'string' || Buffer.isBuffer(value)) return value;
      if (value instanceof Temporal || value instanceof Decimal) return value.toString();
      return toText(value);
  }
}
