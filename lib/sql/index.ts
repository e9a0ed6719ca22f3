export { parseStatement } from './parse-statement.js';
export { SqlSyntaxError, syntaxErrorMessage } from './sql-syntax-error.js';
export { EmptyQueryError } from './empty-query-error.js';
export type { SelectItem, SqlValue, Statement, UserVariables } from './types.js';
