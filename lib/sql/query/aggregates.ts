import { Buffer } from 'node:buffer';
import type { ExprOf } from '../expression/ast.js';
import { compareValues, foldCase } from '../expression/compare.js';
import { Decimal, MAX_DECIMAL_SCALE } from '../expression/decimal.js';
import { Types, type ResultType } from '../expression/result-type.js';
import { Temporal, toDecimal, toDouble, type Value } from '../expression/value.js';

/**
 * A key equal for values MySQL counts as equal (numbers by value, strings by their
 * collation, trailing spaces ignored), for DISTINCT, GROUP BY and COUNT(DISTINCT).
 */
export function valueKey(value: Value, ci: boolean): string {
  if (value === null) return 'N';
  if (typeof value === 'bigint') return 'n' + value.toString();
  if (value instanceof Decimal) return 'n' + value.normalize().toString();
  if (typeof value === 'number') return 'n' + Decimal.fromDouble(value).normalize().toString();
  if (Buffer.isBuffer(value)) return 'b' + value.toString('hex');
  const text = withoutTrailingSpaces(value instanceof Temporal ? value.text : value);
  return 's' + (ci ? foldCase(text) : text);
}

function withoutTrailingSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x20) end--;
  return text.slice(0, end);
}

/** A key for a row of values. */
export function rowKey(values: readonly Value[], ci: readonly boolean[]): string {
  let key = '';
  for (let i = 0; i < values.length; i++) {
    const k = valueKey(values[i]!, ci[i] ?? true);
    key += k.length + ':' + k;
  }
  return key;
}

/** The type of an aggregate over an argument of type `arg`. */
export function aggregateType(name: string, arg: ResultType): ResultType {
  switch (name) {
    case 'COUNT':
      return Types.INT;
    case 'SUM':
      if (arg.kind === 'int') return { kind: 'decimal', scale: 0 };
      if (arg.kind === 'decimal') return arg;
      return arg.kind === 'null' ? Types.NULL : Types.DOUBLE;
    case 'AVG':
      if (arg.kind === 'int' || arg.kind === 'decimal') {
        const scale = arg.kind === 'decimal' ? arg.scale : 0;
        return { kind: 'decimal', scale: Math.min(scale + 4, MAX_DECIMAL_SCALE) };
      }
      return arg.kind === 'null' ? Types.NULL : Types.DOUBLE;
    default:
      return arg;
  }
}

/**
 * An aggregate over one group: `values` are its argument's values row by row (one array
 * per argument for COUNT(DISTINCT a, b)), `rows` how many rows the group has.
 */
export function aggregate(
  call: ExprOf<'call'>,
  values: readonly (readonly Value[])[],
  rows: number,
  ci: boolean,
): Value {
  const name = call.name.toUpperCase();
  if (call.star) return BigInt(rows);
  let kept: Value[][] = [];
  // Rows where an argument is NULL do not count.
  for (let r = 0; r < rows; r++) {
    const tuple: Value[] = values.map((column) => column[r] ?? null);
    if (!tuple.includes(null)) kept.push(tuple);
  }
  if (call.distinct) {
    const seen = new Set<string>();
    kept = kept.filter((tuple) => {
      const key = rowKey(
        tuple,
        tuple.map(() => ci),
      );
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  if (name === 'COUNT') return BigInt(kept.length);
  if (kept.length === 0) return null;
  const column = kept.map((tuple) => tuple[0]!) as Exclude<Value, null>[];
  switch (name) {
    case 'MIN':
    case 'MAX': {
      let best = column[0]!;
      for (const v of column) {
        const c = compareValues(v, best, ci);
        if (name === 'MIN' ? c < 0 : c > 0) best = v;
      }
      return best;
    }
    case 'SUM':
    case 'AVG': {
      const exact = column.every((v) => typeof v === 'bigint' || v instanceof Decimal);
      if (exact) {
        let sum = new Decimal(0n, 0);
        for (const v of column) sum = sum.add(toDecimal(v));
        if (name === 'SUM') return sum;
        return sum.divide(
          Decimal.fromInteger(BigInt(column.length)),
          Math.min(sum.scale + 4, MAX_DECIMAL_SCALE),
        );
      }
      let sum = 0;
      for (const v of column) sum += toDouble(v);
      return name === 'SUM' ? sum : sum / column.length;
    }
    default:
      return null;
  }
}
