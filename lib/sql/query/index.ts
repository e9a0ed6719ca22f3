// SELECT over virtual tables: the parser (parse-query.ts, reached through parseSelect),
// the engine, and what tables and their columns look like.
export type {
  OrderItem,
  SelectListItem,
  SelectQuery,
  ShowFilter,
  ShowStatement,
  TableRef,
} from './ast.js';
export {
  NoDatabaseSelectedError,
  NoSuchTableError,
  NoTablesUsedError,
  QueryError,
  UnknownSchemaTableError,
  UnknownTableError,
} from './errors.js';
export { runQuery, type QueryResult, type ResultColumn } from './run-query.js';
export type { ColumnSpec, TableResolver, VirtualTable } from './table.js';
export { stringType, Types, type ResultType } from '../expression/result-type.js';
