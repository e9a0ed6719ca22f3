import type { ColumnFields } from '../protocol/result-set.js';
import type { SqlValue } from '../sql/index.js';

/**
 * The value an OUT or INOUT parameter ends a CALL with. A text CALL
 * assigns it to the user variable written at that position
 * (`CALL p(@x)`); a prepared CALL returns all of them as one extra result
 * set flagged SERVER_PS_OUT_PARAMS, before the final OK.
 */
export interface OutParameter {
  /** 0-based position of the argument in the CALL. */
  readonly position: number;
  /** The parameter's declared name (the OUT result set's column name). */
  readonly name: string;
  /** The parameter's type on the wire. */
  readonly column: ColumnFields;
  readonly value: SqlValue;
}
