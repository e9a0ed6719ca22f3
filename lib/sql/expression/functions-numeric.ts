import { arithmetic } from './arithmetic.js';
import type { Expr } from './ast.js';
import { compareValues } from './compare.js';
import { Decimal, MAX_DECIMAL_SCALE } from './decimal.js';
import { anyNull, fn, type FunctionSpec } from './function-spec.js';
import { printExpression } from './print.js';
import { arithmeticType, Types, unionType, type ResultType } from './result-type.js';
import { toDecimal, toDouble, toInteger, type Value } from './value.js';

/** The integer a literal argument holds (a constant scale such as ROUND(x, 2)), or null. */
function literalInteger(expr: Expr | undefined): number | null {
  if (expr === undefined) return null;
  if (expr.kind === 'int') return Number(expr.value);
  if (expr.kind === 'unary' && expr.op === '-' && expr.arg.kind === 'int')
    return -Number(expr.arg.value);
  return null;
}

/** The type of ROUND / TRUNCATE: integers stay integers, DECIMAL takes the constant scale. */
function roundingType(args: readonly ResultType[], exprs: readonly Expr[]): ResultType {
  const t = args[0] ?? Types.NULL;
  if (t.kind !== 'decimal') return t.kind === 'int' || t.kind === 'null' ? t : Types.DOUBLE;
  const d = exprs.length > 1 ? literalInteger(exprs[1]) : 0;
  return {
    kind: 'decimal',
    scale: d === null ? t.scale : Math.max(0, Math.min(d, MAX_DECIMAL_SCALE)),
  };
}

/** Rounds a double half to even, as the C library's rint() that MySQL uses. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function round(args: readonly Value[], truncate: boolean): Value {
  if (anyNull(args)) return null;
  const value = args[0]!;
  const d = args.length > 1 ? Number(toInteger(args[1]!)) : 0;
  if (typeof value === 'bigint') {
    if (d >= 0) return value;
    const unit = 10n ** BigInt(Math.min(-d, 40));
    const q = value / unit;
    const rest = value % unit;
    if (truncate) return q * unit;
    const away = (rest < 0n ? -rest : rest) * 2n >= unit ? (value < 0n ? -1n : 1n) : 0n;
    return (q + away) * unit;
  }
  if (value instanceof Decimal) {
    const scale = Math.max(0, Math.min(d, MAX_DECIMAL_SCALE));
    if (truncate) {
      const shifted = value.rescale(Math.max(value.scale, scale));
      const unit = 10n ** BigInt(shifted.scale - scale);
      return new Decimal(shifted.unscaled / unit, scale);
    }
    return value.rescale(scale);
  }
  const x = toDouble(value);
  const factor = 10 ** d;
  return truncate ? Math.trunc(x * factor) / factor : roundHalfEven(x * factor) / factor;
}

function ceilOrFloor(value: Value, up: boolean): Value {
  if (value === null || typeof value === 'bigint') return value;
  if (value instanceof Decimal) {
    const t = value.truncate();
    const exact = toDecimal(t).compare(value) === 0;
    if (exact) return t;
    return up ? (value.sign() > 0 ? t + 1n : t) : value.sign() < 0 ? t - 1n : t;
  }
  const x = toDouble(value);
  return up ? Math.ceil(x) : Math.floor(x);
}

/** LEAST / GREATEST: NULL if any argument is; compared as MySQL compares mixed types. */
function extreme(args: readonly Value[], greatest: boolean, ci: boolean): Value {
  if (anyNull(args)) return null;
  let best = args[0]!;
  for (let i = 1; i < args.length; i++) {
    const c = compareValues(args[i]!, best, ci);
    if (greatest ? c > 0 : c < 0) best = args[i]!;
  }
  return best;
}

const sameType = (args: readonly ResultType[]) => args[0] ?? Types.NULL;
const union = (args: readonly ResultType[]) => unionType(args);
const ceilingType = (args: readonly ResultType[]) =>
  args[0]?.kind === 'decimal' ? Types.INT : sameType(args);

/** Numeric and comparison functions; IF, IFNULL and COALESCE are run by the evaluator itself. */
export const NUMERIC_FUNCTIONS: ReadonlyArray<readonly [string, FunctionSpec]> = [
  [
    'ABS',
    fn(1, 1, sameType, ([v]) => {
      if (v === null) return null;
      if (typeof v === 'bigint') return v < 0n ? -v : v;
      if (v instanceof Decimal) return v.sign() < 0 ? v.negate() : v;
      return Math.abs(toDouble(v!));
    }),
  ],
  ['CEIL', fn(1, 1, ceilingType, ([v]) => ceilOrFloor(v!, true))],
  ['CEILING', fn(1, 1, ceilingType, ([v]) => ceilOrFloor(v!, true))],
  ['FLOOR', fn(1, 1, ceilingType, ([v]) => ceilOrFloor(v!, false))],
  ['ROUND', fn(1, 2, roundingType, (args) => round(args, false))],
  ['TRUNCATE', fn(2, 2, roundingType, (args) => round(args, true))],
  [
    'SIGN',
    fn(1, 1, Types.INT, ([v]) => {
      if (v === null) return null;
      const s = v instanceof Decimal ? v.sign() : Math.sign(toDouble(v!));
      return BigInt(s);
    }),
  ],
  [
    'MOD',
    fn(
      2,
      2,
      (args) => arithmeticType('%', args[0]!, args[1]!),
      (args, site) =>
        anyNull(args)
          ? null
          : arithmetic('%', args[0]!, args[1]!, () => printExpression(site.call)),
    ),
  ],
  ['GREATEST', fn(2, Infinity, union, (args, site) => extreme(args, true, site.ci))],
  ['LEAST', fn(2, Infinity, union, (args, site) => extreme(args, false, site.ci))],
  ['IF', fn(3, 3, (args) => unionType(args.slice(1)))],
  ['IFNULL', fn(2, 2, union)],
  ['COALESCE', fn(1, Infinity, union)],
  [
    'NULLIF',
    fn(2, 2, sameType, ([a, b], site) =>
      a !== null && b !== null && compareValues(a, b, site.ci) === 0 ? null : a!,
    ),
  ],
  ['ISNULL', fn(1, 1, Types.INT, ([v]) => (v === null ? 1n : 0n))],
];
