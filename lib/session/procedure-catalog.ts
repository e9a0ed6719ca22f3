import type { ColumnFields } from '../protocol/result-set.js';

/** IN, OUT or INOUT, as a procedure's parameter list says. */
export type ParameterMode = 'IN' | 'OUT' | 'INOUT';

/**
 * One declared parameter of a procedure, described the way MySQL's
 * information_schema.PARAMETERS describes it.
 */
export interface CatalogParameter {
  /** 1-based position in the parameter list. */
  readonly position: number;
  readonly name: string;
  readonly mode: ParameterMode;
  /** Lower-case type name without attributes: `int`, `varchar`, `decimal`, `datetime`, `json`. */
  readonly dataType: string;
  /** The full type as a CREATE PROCEDURE would write it: `int`, `bigint unsigned`, `varchar(64)`, `decimal(10,2)`. */
  readonly dtdIdentifier: string;
  readonly characterMaximumLength: number | null;
  readonly characterOctetLength: number | null;
  readonly numericPrecision: number | null;
  readonly numericScale: number | null;
  readonly datetimePrecision: number | null;
  readonly characterSetName: string | null;
  readonly collationName: string | null;
  /** What a column of this type looks like on the wire (prepared-statement metadata, OUT result sets). */
  readonly column: ColumnFields;
}

/** A callable procedure, as introspection (SHOW PROCEDURE STATUS, information_schema) lists it. */
export interface CatalogProcedure {
  /** The schema it lives in (the server's database). */
  readonly schema: string;
  /** The name as registered with `@MessagePattern`. */
  readonly name: string;
  /** Declared parameters, or null when the handler declares no signature (any arguments, positional). */
  readonly params: readonly CatalogParameter[] | null;
  /** Declared result columns, or null when they are inferred from what the handler returns. */
  readonly columns: readonly ColumnFields[] | null;
  /** The signature's comment, else ''. */
  readonly comment: string;
  /** `@EventPattern`: acknowledged at once, returns nothing. */
  readonly event: boolean;
  /** `@MysqlPublic()`: callable without a grant. */
  readonly public: boolean;
  /** When the handler was registered (CREATED / LAST_ALTERED). */
  readonly created: Date;
}

/** The procedures a server exposes, for introspection and prepared-statement metadata. */
export interface ProcedureCatalog {
  /** Every registered procedure, in name order. */
  procedures(): readonly CatalogProcedure[];
  /** The procedure of this name (case-insensitive), if registered. */
  procedure(name: string): CatalogProcedure | undefined;
}
