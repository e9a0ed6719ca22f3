export { parseStatement } from './parse-statement.js';
export { SqlSyntaxError, SqlUnsupportedError, syntaxErrorMessage } from './sql-syntax-error.js';
export { EmptyQueryError } from './empty-query-error.js';
export type { SelectItem, SqlValue, Statement, UserVariables } from './types.js';
