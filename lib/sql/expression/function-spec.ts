import type { Expr, ExprOf } from './ast.js';
import type { EvaluationContext } from './context.js';
import type { ResultType } from './result-type.js';
import type { Value } from './value.js';

/** What a function sees of its call besides its argument values. */
export interface CallSite {
  readonly ctx: EvaluationContext;
  /** Strings compare case-insensitively (the arguments' collation). */
  readonly ci: boolean;
  readonly call: ExprOf<'call'>;
}

/** One built-in function: its argument count, result type and body. */
export interface FunctionSpec {
  /** Fewest arguments. */
  readonly min: number;
  /** Most arguments (Infinity: any number). */
  readonly max: number;
  /** The result's type, from the arguments' types (and the arguments, for a literal scale). */
  type(args: readonly ResultType[], exprs: readonly Expr[]): ResultType;
  /**
   * The result from the evaluated arguments. Absent for the functions the evaluator runs
   * itself because they must not evaluate every argument (IF, IFNULL, COALESCE).
   */
  readonly run?: (args: readonly Value[], site: CallSite) => Value;
}

/** Builds the table entry of a function. */
export function fn(
  min: number,
  max: number,
  type: ResultType | ((args: readonly ResultType[], exprs: readonly Expr[]) => ResultType),
  run?: (args: readonly Value[], site: CallSite) => Value,
): FunctionSpec {
  return { min, max, type: typeof type === 'function' ? type : () => type, run };
}

/** Whether any argument is NULL, which makes most functions NULL. */
export function anyNull(args: readonly Value[]): boolean {
  for (const a of args) if (a === null) return true;
  return false;
}

/**
 * A built string, or NULL when longer than max_allowed_packet, as MySQL answers for
 * REPEAT, CONCAT and the like. (The evaluator charges every string result to the budget.)
 */
export function built(text: string, site: CallSite): string | null {
  return text.length > site.ctx.session.maxAllowedPacket ? null : text;
}

/** Refuses to build a string of `length` units before building it, when it would be too long. */
export function fitsPacket(length: number, site: CallSite): boolean {
  return length <= site.ctx.session.maxAllowedPacket;
}
