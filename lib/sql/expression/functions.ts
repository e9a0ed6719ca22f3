import type { FunctionSpec } from './function-spec.js';
import { NUMERIC_FUNCTIONS } from './functions-numeric.js';
import { SESSION_FUNCTIONS } from './functions-session.js';
import { STRING_FUNCTIONS } from './functions-string.js';
import { Types } from './result-type.js';
import { fn } from './function-spec.js';

/** Aggregates: their values come from the query engine; listed for their argument counts. */
const AGGREGATE_FUNCTIONS: ReadonlyArray<readonly [string, FunctionSpec]> = [
  ['COUNT', fn(0, Infinity, Types.INT)],
  ['SUM', fn(1, 1, Types.DOUBLE)],
  ['MIN', fn(1, 1, Types.NULL)],
  ['MAX', fn(1, 1, Types.NULL)],
  ['AVG', fn(1, 1, Types.DOUBLE)],
];

/** Every built-in function, by upper-case name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map([
  ...STRING_FUNCTIONS,
  ...NUMERIC_FUNCTIONS,
  ...SESSION_FUNCTIONS,
  ...AGGREGATE_FUNCTIONS,
]);

/** The built-in function of this name (any case), if there is one. */
export function builtinFunction(name: string): FunctionSpec | undefined {
  return FUNCTIONS.get(name.toUpperCase());
}
