import { Buffer } from 'node:buffer';
import { Decimal, MAX_DECIMAL_SCALE } from './decimal.js';
import { INT64_MAX, Temporal, type Value } from './value.js';

/** The SQL type of a result column, as far as the client sees it. */
export type ResultType =
  | { readonly kind: 'null' }
  | { readonly kind: 'int'; readonly unsigned: boolean }
  | { readonly kind: 'decimal'; readonly scale: number }
  | { readonly kind: 'double' }
  /** A character string of at most `length` characters (null: not known). */
  | { readonly kind: 'string'; readonly length: number | null }
  | { readonly kind: 'binary'; readonly length: number | null }
  | {
      readonly kind: 'temporal';
      readonly type: 'DATE' | 'TIME' | 'DATETIME';
      readonly fsp: number;
    };

/** Shared instances of the common types. */
export const Types = {
  NULL: { kind: 'null' } as ResultType,
  INT: { kind: 'int', unsigned: false } as ResultType,
  UNSIGNED: { kind: 'int', unsigned: true } as ResultType,
  DOUBLE: { kind: 'double' } as ResultType,
  STRING: { kind: 'string', length: null } as ResultType,
  BINARY: { kind: 'binary', length: null } as ResultType,
} as const;

/** A string type of `length` characters. */
export function stringType(length: number | null): ResultType {
  return { kind: 'string', length };
}

/** The type a value has on its own: a variable's type is its current value's. */
export function typeOfValue(value: Value): ResultType {
  if (value === null) return Types.NULL;
  if (typeof value === 'bigint') return value > INT64_MAX ? Types.UNSIGNED : Types.INT;
  if (typeof value === 'number') return Types.DOUBLE;
  if (typeof value === 'string') return stringType(value.length);
  if (value instanceof Decimal) return { kind: 'decimal', scale: value.scale };
  if (value instanceof Temporal) {
    const fraction = value.text.split('.')[1];
    return { kind: 'temporal', type: value.type, fsp: fraction?.length ?? 0 };
  }
  return Buffer.isBuffer(value) ? { kind: 'binary', length: value.length } : Types.BINARY;
}

function maxLength(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : Math.max(a, b);
}

/**
 * The type of a result that may come from any of `types` (CASE, IF, COALESCE, LEAST...),
 * as MySQL aggregates them: strings win, then DOUBLE, then DECIMAL, then integers; NULLs
 * do not count.
 */
export function unionType(types: readonly ResultType[]): ResultType {
  let out: ResultType = Types.NULL;
  for (const t of types) {
    if (t.kind === 'null') continue;
    out = out.kind === 'null' ? t : mergeTypes(out, t);
  }
  return out;
}

function mergeTypes(a: ResultType, b: ResultType): ResultType {
  if (a.kind === 'string' || b.kind === 'string') {
    return stringType(maxLength(lengthOf(a), lengthOf(b)));
  }
  if (a.kind === 'binary' || b.kind === 'binary') {
    return { kind: 'binary', length: maxLength(lengthOf(a), lengthOf(b)) };
  }
  if (a.kind === 'temporal' || b.kind === 'temporal') {
    if (a.kind === 'temporal' && b.kind === 'temporal' && a.type === b.type) {
      return { ...a, fsp: Math.max(a.fsp, b.fsp) };
    }
    return stringType(maxLength(lengthOf(a), lengthOf(b)));
  }
  if (a.kind === 'double' || b.kind === 'double') return Types.DOUBLE;
  if (a.kind === 'decimal' || b.kind === 'decimal') {
    return { kind: 'decimal', scale: Math.max(scaleOf(a), scaleOf(b)) };
  }
  if (a.kind === 'int' && b.kind === 'int') return a.unsigned && b.unsigned ? a : Types.INT;
  return a;
}

/** Digits after the point of a numeric type (0 for integers). */
export function scaleOf(t: ResultType): number {
  return t.kind === 'decimal' ? t.scale : 0;
}

/** Characters a value of this type prints as, when bounded. */
export function lengthOf(t: ResultType): number | null {
  switch (t.kind) {
    case 'null':
      return 0;
    case 'int':
      return 21;
    case 'decimal':
      return 67;
    case 'double':
      return 23;
    case 'temporal':
      return t.type === 'DATE' ? 10 : (t.type === 'TIME' ? 10 : 19) + (t.fsp ? t.fsp + 1 : 0);
    default:
      return t.length;
  }
}

/** The numeric type of an arithmetic result over operands of these types. */
export function arithmeticType(op: string, left: ResultType, right: ResultType): ResultType {
  if (left.kind === 'null' || right.kind === 'null') return Types.NULL;
  const approx = (t: ResultType) => t.kind !== 'int' && t.kind !== 'decimal';
  if (op === 'DIV') return Types.INT;
  if (op === '&' || op === '|' || op === '^' || op === '<<' || op === '>>') return Types.UNSIGNED;
  if (approx(left) || approx(right)) return Types.DOUBLE;
  if (op === '/') {
    return { kind: 'decimal', scale: Math.min(scaleOf(left) + 4, MAX_DECIMAL_SCALE) };
  }
  if (left.kind === 'decimal' || right.kind === 'decimal') {
    const scale =
      op === '*' ? scaleOf(left) + scaleOf(right) : Math.max(scaleOf(left), scaleOf(right));
    return { kind: 'decimal', scale: Math.min(scale, MAX_DECIMAL_SCALE) };
  }
  return left.kind === 'int' && right.kind === 'int' && (left.unsigned || right.unsigned)
    ? Types.UNSIGNED
    : Types.INT;
}
