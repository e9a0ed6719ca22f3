import { ER, type ErrorSpec, type WireError } from '../protocol/errors.js';
import { EvaluationError } from '../sql/expression/index.js';
import { QueryError } from '../sql/query/index.js';

/**
 * An ERR the session words itself (a SET's value, a SHOW, a variable read in a scope it
 * does not have), thrown out of the code that found it to the statement's runner.
 */
export class SessionRefusal extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message);
    this.name = 'SessionRefusal';
  }
}

const SPECS: Readonly<Record<EvaluationError['code'] | QueryError['code'], ErrorSpec>> = {
  'unknown-function': ER.SP_DOES_NOT_EXIST,
  'wrong-argument-count': ER.WRONG_PARAMCOUNT_TO_NATIVE_FCT,
  'unknown-system-variable': ER.UNKNOWN_SYSTEM_VARIABLE,
  'unknown-column': ER.BAD_FIELD_ERROR,
  'out-of-range': ER.DATA_OUT_OF_RANGE,
  'invalid-group-function': ER.INVALID_GROUP_FUNC_USE,
  limit: ER.QUERY_TIMEOUT,
  'no-such-table': ER.NO_SUCH_TABLE,
  'unknown-schema-table': ER.UNKNOWN_TABLE,
  'no-database': ER.NO_DB_ERROR,
  'no-tables': ER.NO_TABLES_USED,
  'unknown-table': ER.BAD_TABLE_ERROR,
};

/**
 * MySQL's error for what evaluating or resolving a statement threw (an unknown function,
 * column, table or variable, a value out of range, a statement past its budget, a
 * SessionRefusal), or null when the error is not one of those.
 */
export function evaluationErrorToWire(error: unknown): WireError | null {
  if (error instanceof SessionRefusal) return error.wire;
  if (!(error instanceof EvaluationError || error instanceof QueryError)) return null;
  const spec = SPECS[error.code];
  // The error's message is already MySQL's text.
  return { code: spec.code, sqlState: spec.sqlState, message: error.message };
}
