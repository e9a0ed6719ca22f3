export {
  parseNextStatement,
  parseStatement,
  type NextStatement,
  type ParseOptions,
} from './parse-statement.js';
export { SqlSyntaxError, SqlUnsupportedError, syntaxErrorMessage } from './sql-syntax-error.js';
export { EmptyQueryError } from './empty-query-error.js';
export { IllegalDoubleError } from './illegal-double-error.js';
export {
  TooManyCallArgumentsError,
  TooManyPlaceholdersError,
  TooManySelectItemsError,
} from './limit-errors.js';
export { MAX_CALL_ARGUMENTS, MAX_SELECT_ITEMS } from './limits.js';
export { DEFAULT_SERVER_VERSION_ID, serverVersionId } from './server-version.js';
export type { SelectItem, SqlValue, Statement, UserVariables } from './types.js';
