import type { ColumnCollation } from '../expression/context.js';
import type { ResultType } from '../expression/result-type.js';
import type { Value } from '../expression/value.js';
import type { TableRef } from './ast.js';

/** One column of a virtual table. */
export interface ColumnSpec {
  /** The name, as the table spells it (information_schema's are upper case). */
  readonly name: string;
  readonly type: ResultType;
  /** The SQL type as information_schema.COLUMNS prints it: `varchar(64)`, `bigint unsigned`. */
  readonly sqlType: string;
  /** Strings in it compare case-sensitively (`bin`: names of schemas and tables) or not. */
  readonly collation: ColumnCollation;
  readonly nullable: boolean;
}

/** A table the server computes when asked: information_schema's, or a SHOW's result. */
export interface VirtualTable {
  /** Its schema, as error messages name it. */
  readonly schema: string;
  /** Its name, as the table spells it. */
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  /** The rows, each value in the column's type. */
  rows(): readonly (readonly Value[])[];
}

/** Finds the table a FROM clause names; throws a QueryError when there is none. */
export interface TableResolver {
  table(ref: TableRef): VirtualTable;
}
