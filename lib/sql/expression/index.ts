// The expression module: parse with parseExpression(lexer), check and evaluate with
// evaluate(expr, context). The query engine and the session use the rest.
export type { CastTarget, CompareOp, Expr, ExprOf, VariableScope } from './ast.js';
export { childrenOf, isAggregate, walk } from './ast.js';
export {
  DEFAULT_MAX_STEPS,
  EvaluationBudget,
  type ColumnCollation,
  type EvaluationContext,
  type SessionFacts,
} from './context.js';
export { Decimal } from './decimal.js';
export {
  EvaluationError,
  EvaluationLimitError,
  ExpressionSyntaxError,
  InvalidGroupFunctionError,
  UnknownColumnError,
  UnknownFunctionError,
  UnknownSystemVariableError,
  UnsupportedExpressionError,
  ValueOutOfRangeError,
  WrongArgumentCountError,
} from './errors.js';
export {
  caseInsensitive,
  checkExpression,
  columnText,
  evaluate,
  evaluateValue,
} from './evaluate.js';
export { compareStrings, compareValues, foldCase, likeMatch } from './compare.js';
export { outputCell, type OutputCell } from './output.js';
export {
  ExpressionParser,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_NODES,
  parseExpression,
} from './parse-expression.js';
export { printExpression } from './print.js';
export { lengthOf, stringType, Types, unionType, type ResultType } from './result-type.js';
export { typeOf, type TypeScope } from './type-of.js';
export { fromSqlValue, Temporal, toSqlValue, toText, truth, type Value } from './value.js';
