import { Buffer } from 'node:buffer';
import type { SqlValue } from '../types.js';
import { arithmetic, negate } from './arithmetic.js';
import { isAggregate, walk, type Expr, type ExprOf } from './ast.js';
import { castValue } from './cast.js';
import { compareValues, likeMatch } from './compare.js';
import type { EvaluationContext } from './context.js';
import { Decimal } from './decimal.js';
import {
  InvalidGroupFunctionError,
  UnknownColumnError,
  UnknownFunctionError,
  UnknownSystemVariableError,
  WrongArgumentCountError,
} from './errors.js';
import type { CallSite } from './function-spec.js';
import { builtinFunction } from './functions.js';
import { trimText } from './functions-string.js';
import { printExpression } from './print.js';
import {
  fromSqlValue,
  fromTruth,
  toInteger,
  toSqlValue,
  toText,
  truth,
  type Value,
} from './value.js';

/**
 * Evaluates an expression parsed by parseExpression, reading variables, the session's
 * facts and any row through `context`, and returns its value as a handler or a user
 * variable holds it (integers as numbers when safe, DECIMAL and DOUBLE as numbers, bytes
 * as a Buffer, dates as text). Throws an EvaluationError for what MySQL refuses when it
 * runs a statement: an unknown function (1305), a wrong argument count (1582), an
 * unknown system variable (1193), a column where there is no table (1054), an out of
 * range result (1690), an aggregate outside a query (1111), or a statement past its
 * budget (3024).
 */
export function evaluate(expr: Expr, context: EvaluationContext): SqlValue {
  checkExpression(expr, context.session.database);
  return toSqlValue(evaluateValue(expr, context));
}

/**
 * Checks what MySQL checks before it evaluates anything: every function exists and gets
 * a number of arguments it takes. `database` names an unknown function's schema.
 */
export function checkExpression(expr: Expr, database: string | null): void {
  walk(expr, (node) => {
    if (node.kind !== 'call') return;
    const spec = node.schema === null ? builtinFunction(node.name) : undefined;
    if (spec === undefined) throw new UnknownFunctionError(node.schema ?? database, node.name);
    const count = node.star ? 1 : node.args.length;
    if (count < spec.min || count > spec.max) throw new WrongArgumentCountError(node.name);
  });
}

/** Evaluates `expr` to the evaluator's own value (DECIMAL kept exact, temporals typed). */
export function evaluateValue(expr: Expr, ctx: EvaluationContext): Value {
  ctx.budget.step();
  switch (expr.kind) {
    case 'int':
      return expr.value;
    case 'decimal':
      return Decimal.parse(expr.text);
    case 'double':
      return expr.value;
    case 'string':
      return expr.value;
    case 'bytes':
      // A statement parsed on the worker thread brings its bytes back as a Uint8Array.
      return Buffer.isBuffer(expr.value) ? expr.value : Buffer.from(expr.value);
    case 'null':
      return null;
    case 'userVariable':
      return fromSqlValue(ctx.userVariable(expr.name));
    case 'systemVariable': {
      const value = ctx.systemVariable(expr.name, expr.scope);
      if (value === undefined) throw new UnknownSystemVariableError(expr.name);
      return fromSqlValue(value);
    }
    case 'column':
      if (!ctx.column) throw new UnknownColumnError(columnText(expr), 'field list');
      return ctx.column(expr);
    case 'unary':
      return unary(expr, ctx);
    case 'arithmetic': {
      const left = numericOperand(expr.left, ctx);
      const right = numericOperand(expr.right, ctx);
      if (left === null || right === null) return null;
      return arithmetic(expr.op, left, right, () => printExpression(expr));
    }
    case 'compare':
      return compare(expr, ctx);
    case 'logical':
      return logical(expr, ctx);
    case 'is':
      return is(expr, ctx);
    case 'like':
      return like(expr, ctx);
    case 'in':
      return inList(expr, ctx);
    case 'between':
      return between(expr, ctx);
    case 'case':
      return caseValue(expr, ctx);
    case 'call':
      return call(expr, ctx);
    case 'cast': {
      const to = expr.to;
      // CHAR(n) and BINARY(n) longer than max_allowed_packet are NULL, as MySQL makes them.
      const length = to.type === 'CHAR' || to.type === 'BINARY' ? (to.length ?? 0) : 0;
      if (length > ctx.session.maxAllowedPacket) return null;
      return charged(castValue(evaluateValue(expr.arg, ctx), to), ctx);
    }
    case 'collate':
      return evaluateValue(expr.arg, ctx);
    case 'trim': {
      const value = evaluateValue(expr.arg, ctx);
      const remove = expr.remove ? evaluateValue(expr.remove, ctx) : ' ';
      if (value === null || remove === null) return null;
      return charged(trimText(toText(value)!, toText(remove)!, expr.mode), ctx);
    }
  }
}

/** `[[schema.]table.]name` as written, for ER_BAD_FIELD_ERROR. */
export function columnText(ref: ExprOf<'column'>): string {
  return [ref.schema, ref.table, ref.name].filter((x) => x !== null).join('.');
}

/** Whether strings compared by these operands compare case-insensitively. */
export function caseInsensitive(operands: readonly Expr[], ctx: EvaluationContext): boolean {
  let level = 5;
  let ci = true;
  for (const e of operands) {
    const [l, c] = collationOf(e, ctx);
    if (l < level) {
      level = l;
      ci = c;
    } else if (l === level && !c) {
      ci = false;
    }
  }
  return ci;
}

/** MySQL's coercibility (lower wins) and whether the collation ignores case. */
function collationOf(e: Expr, ctx: EvaluationContext): [number, boolean] {
  switch (e.kind) {
    case 'collate':
      return [0, !/_(bin|cs)$/.test(e.collation) && e.collation !== 'binary'];
    case 'cast':
      return e.to.type === 'BINARY' ? [0, false] : [4, true];
    case 'bytes':
      return e.numeric ? [5, true] : [0, false];
    case 'column':
      return [2, ctx.columnCollation ? ctx.columnCollation(e) === 'ci' : true];
    default:
      return [4, true];
  }
}

/** An operand of arithmetic: a hex or bit literal reads as the unsigned number it spells. */
function numericOperand(e: Expr, ctx: EvaluationContext): Exclude<Value, null> | null {
  if (e.kind === 'bytes' && e.numeric) return bytesNumber(e.value);
  return evaluateValue(e, ctx);
}

function bytesNumber(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes.length > 8 ? bytes.subarray(bytes.length - 8) : bytes)
    n = (n << 8n) | BigInt(b);
  return n;
}

function unary(expr: ExprOf<'unary'>, ctx: EvaluationContext): Value {
  if (expr.op === 'NOT') {
    const t = truth(evaluateValue(expr.arg, ctx));
    return t === null ? null : t ? 0n : 1n;
  }
  const value = numericOperand(expr.arg, ctx);
  if (value === null) return null;
  if (expr.op === '-') return negate(value, () => printExpression(expr));
  return BigInt.asUintN(64, ~toInteger(value));
}

/**
 * Compares the value `x` of operand `a` with operand `b`; a hex literal beside a number
 * reads as a number. Null when either is NULL.
 */
function compareOperands(
  a: Expr,
  x: Value,
  b: Expr,
  ctx: EvaluationContext,
  ci: boolean,
): number | null {
  let y = evaluateValue(b, ctx);
  if (x === null || y === null) return null;
  // Comparing long strings folds and scans them: count that work too.
  if (typeof x === 'string' && typeof y === 'string') ctx.budget.step((x.length + y.length) >>> 10);
  if (a.kind === 'bytes' && a.numeric && isNumber(y)) x = bytesNumber(a.value);
  if (b.kind === 'bytes' && b.numeric && isNumber(x)) y = bytesNumber(b.value);
  return compareValues(x, y, ci);
}

function isNumber(v: Value): boolean {
  return typeof v === 'bigint' || typeof v === 'number' || v instanceof Decimal;
}

function compare(expr: ExprOf<'compare'>, ctx: EvaluationContext): Value {
  const ci = caseInsensitive([expr.left, expr.right], ctx);
  if (expr.op === '<=>') {
    const x = evaluateValue(expr.left, ctx);
    const y = evaluateValue(expr.right, ctx);
    if (x === null || y === null) return x === y ? 1n : 0n;
    return compareValues(x, y, ci) === 0 ? 1n : 0n;
  }
  const c = compareOperands(expr.left, evaluateValue(expr.left, ctx), expr.right, ctx, ci);
  if (c === null) return null;
  switch (expr.op) {
    case '=':
      return c === 0 ? 1n : 0n;
    case '<>':
      return c !== 0 ? 1n : 0n;
    case '<':
      return c < 0 ? 1n : 0n;
    case '<=':
      return c <= 0 ? 1n : 0n;
    case '>':
      return c > 0 ? 1n : 0n;
    default:
      return c >= 0 ? 1n : 0n;
  }
}

function logical(expr: ExprOf<'logical'>, ctx: EvaluationContext): Value {
  let unknown = false;
  if (expr.op === 'XOR') {
    let odd = false;
    for (const arg of expr.args) {
      const t = truth(evaluateValue(arg, ctx));
      if (t === null) return null;
      if (t) odd = !odd;
    }
    return odd ? 1n : 0n;
  }
  const stopAt = expr.op === 'OR';
  for (const arg of expr.args) {
    const t = truth(evaluateValue(arg, ctx));
    if (t === null) unknown = true;
    else if (t === stopAt) return stopAt ? 1n : 0n;
  }
  return unknown ? null : stopAt ? 0n : 1n;
}

function is(expr: ExprOf<'is'>, ctx: EvaluationContext): Value {
  const value = evaluateValue(expr.arg, ctx);
  let result: boolean;
  if (expr.test === 'NULL') result = value === null;
  else {
    const t = truth(value);
    result = expr.test === 'TRUE' ? t === true : t === false;
  }
  return expr.not !== result ? 1n : 0n;
}

function like(expr: ExprOf<'like'>, ctx: EvaluationContext): Value {
  const value = evaluateValue(expr.arg, ctx);
  const pattern = evaluateValue(expr.pattern, ctx);
  let escape = 0x5c;
  if (expr.escape) {
    const e = evaluateValue(expr.escape, ctx);
    const text = e === null ? '' : toText(e)!;
    escape = text === '' ? -1 : text.codePointAt(0)!;
  }
  if (value === null || pattern === null) return null;
  const binary = Buffer.isBuffer(value) || Buffer.isBuffer(pattern);
  const ci = !binary && caseInsensitive([expr.arg, expr.pattern], ctx);
  const matched = likeMatch(toText(value)!, toText(pattern)!, escape, ci, (n) =>
    ctx.budget.step(n),
  );
  return fromTruth(matched !== expr.not);
}

function inList(expr: ExprOf<'in'>, ctx: EvaluationContext): Value {
  const value = evaluateValue(expr.arg, ctx);
  if (value === null) return null;
  const ci = caseInsensitive([expr.arg, ...expr.list], ctx);
  let unknown = false;
  for (const item of expr.list) {
    const c = compareOperands(expr.arg, value, item, ctx, ci);
    if (c === null) unknown = true;
    else if (c === 0) return expr.not ? 0n : 1n;
  }
  return unknown ? null : expr.not ? 1n : 0n;
}

function between(expr: ExprOf<'between'>, ctx: EvaluationContext): Value {
  const ci = caseInsensitive([expr.arg, expr.low, expr.high], ctx);
  const value = evaluateValue(expr.arg, ctx);
  const low = compareOperands(expr.arg, value, expr.low, ctx, ci);
  const high = compareOperands(expr.arg, value, expr.high, ctx, ci);
  const aboveLow = low === null ? null : low >= 0;
  const belowHigh = high === null ? null : high <= 0;
  let inside: boolean | null;
  if (aboveLow === false || belowHigh === false) inside = false;
  else if (aboveLow === null || belowHigh === null) inside = null;
  else inside = true;
  return fromTruth(inside === null ? null : inside !== expr.not);
}

function caseValue(expr: ExprOf<'case'>, ctx: EvaluationContext): Value {
  if (expr.operand) {
    const ci = caseInsensitive([expr.operand, ...expr.whens.map((w) => w.when)], ctx);
    const value = evaluateValue(expr.operand, ctx);
    for (const w of expr.whens) {
      if (compareOperands(expr.operand, value, w.when, ctx, ci) === 0) {
        return evaluateValue(w.then, ctx);
      }
    }
  } else {
    for (const w of expr.whens) {
      if (truth(evaluateValue(w.when, ctx)) === true) return evaluateValue(w.then, ctx);
    }
  }
  return expr.otherwise ? evaluateValue(expr.otherwise, ctx) : null;
}

function call(expr: ExprOf<'call'>, ctx: EvaluationContext): Value {
  if (isAggregate(expr)) {
    if (!ctx.aggregate) throw new InvalidGroupFunctionError();
    return ctx.aggregate(expr);
  }
  const name = expr.name.toUpperCase();
  const args = expr.args;
  switch (name) {
    case 'IF':
      return truth(evaluateValue(args[0]!, ctx)) === true
        ? evaluateValue(args[1]!, ctx)
        : evaluateValue(args[2]!, ctx);
    case 'IFNULL': {
      const first = evaluateValue(args[0]!, ctx);
      return first !== null ? first : evaluateValue(args[1]!, ctx);
    }
    case 'COALESCE':
      for (const arg of args) {
        const value = evaluateValue(arg, ctx);
        if (value !== null) return value;
      }
      return null;
  }
  const spec = expr.schema === null ? builtinFunction(name) : undefined;
  if (spec?.run === undefined)
    throw new UnknownFunctionError(expr.schema ?? ctx.session.database, expr.name);
  if (args.length < spec.min || args.length > spec.max)
    throw new WrongArgumentCountError(expr.name);
  const values = args.map((a) => evaluateValue(a, ctx));
  const site: CallSite = { ctx, ci: caseInsensitive(args, ctx), call: expr };
  return charged(spec.run(values, site), ctx);
}

/** A result, its size counted against the statement's budget when it is a built string. */
function charged(value: Value, ctx: EvaluationContext): Value {
  if (typeof value === 'string' || Buffer.isBuffer(value)) ctx.budget.allocate(value.length);
  return value;
}
