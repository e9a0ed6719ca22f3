import { SqlSyntaxError, SqlUnsupportedError } from '../sql-syntax-error.js';
import { syntaxErrorAt } from '../syntax-error-at.js';

/**
 * A syntax error found by the expression parser (not by the lexer): MySQL's ER_PARSE_ERROR
 * (1064). Its own class so that a caller that only tries expressions (a SELECT the server
 * may not understand) can tell it from a lexical error, which is final.
 */
export class ExpressionSyntaxError extends SqlSyntaxError {
  constructor(sql: string, offset: number) {
    const base = syntaxErrorAt(sql, offset);
    super(base.near, base.line);
    this.name = 'ExpressionSyntaxError';
  }
}

/** Valid SQL the evaluator does not implement (a subquery, INTERVAL, REGEXP...): ER_NOT_SUPPORTED_YET (1235). */
export class UnsupportedExpressionError extends SqlUnsupportedError {
  constructor(feature: string) {
    super(feature);
    this.name = 'UnsupportedExpressionError';
  }
}

/** An error raised while checking or evaluating an expression; `code` names MySQL's error. */
export abstract class EvaluationError extends Error {
  abstract readonly code:
    | 'unknown-function'
    | 'wrong-argument-count'
    | 'unknown-system-variable'
    | 'unknown-column'
    | 'out-of-range'
    | 'invalid-group-function'
    | 'limit';
}

/** ER_SP_DOES_NOT_EXIST (1305): `FUNCTION [schema.]name does not exist`. */
export class UnknownFunctionError extends EvaluationError {
  readonly code = 'unknown-function';
  constructor(
    /** The schema written before the name, or null. */
    readonly schema: string | null,
    /** The name as written. */
    readonly functionName: string,
  ) {
    super(`FUNCTION ${schema === null ? '' : schema + '.'}${functionName} does not exist`);
    this.name = 'UnknownFunctionError';
  }
}

/** ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT (1582), naming the function in lower case as MySQL does. */
export class WrongArgumentCountError extends EvaluationError {
  readonly code = 'wrong-argument-count';
  constructor(readonly functionName: string) {
    super(
      `Incorrect parameter count in the call to native function '${functionName.toLowerCase()}'`,
    );
    this.name = 'WrongArgumentCountError';
  }
}

/** ER_UNKNOWN_SYSTEM_VARIABLE (1193). */
export class UnknownSystemVariableError extends EvaluationError {
  readonly code = 'unknown-system-variable';
  constructor(readonly variable: string) {
    super(`Unknown system variable '${variable}'`);
    this.name = 'UnknownSystemVariableError';
  }
}

/** ER_BAD_FIELD_ERROR (1054): `Unknown column 'x' in 'field list'`. */
export class UnknownColumnError extends EvaluationError {
  readonly code = 'unknown-column';
  constructor(
    /** The column as written, qualified as written. */
    readonly column: string,
    /** Where: 'field list', 'where clause', 'order clause', 'group statement'. */
    readonly clause: string,
  ) {
    super(`Unknown column '${column}' in '${clause}'`);
    this.name = 'UnknownColumnError';
  }
}

/** ER_DATA_OUT_OF_RANGE (1690): `BIGINT value is out of range in '(a + b)'`. */
export class ValueOutOfRangeError extends EvaluationError {
  readonly code = 'out-of-range';
  constructor(
    /** BIGINT, BIGINT UNSIGNED, DECIMAL or DOUBLE. */
    readonly type: string,
    /** The expression as MySQL prints it. */
    readonly expression: string,
  ) {
    super(`${type} value is out of range in '${expression}'`);
    this.name = 'ValueOutOfRangeError';
  }
}

/** ER_INVALID_GROUP_FUNC_USE (1111): an aggregate where no rows are grouped. */
export class InvalidGroupFunctionError extends EvaluationError {
  readonly code = 'invalid-group-function';
  constructor() {
    super('Invalid use of group function');
    this.name = 'InvalidGroupFunctionError';
  }
}

/**
 * One statement asked for more work or memory than the evaluator allows (see
 * EvaluationBudget); answered with ER_QUERY_TIMEOUT (3024), as if the statement had run
 * out of its time.
 */
export class EvaluationLimitError extends EvaluationError {
  readonly code = 'limit';
  constructor() {
    super('Query execution was interrupted, maximum statement execution time exceeded');
    this.name = 'EvaluationLimitError';
  }
}
