import type { Expr } from '../expression/ast.js';

/** `[schema.]name [[AS] alias]` after FROM, names as written (unquoted). */
export interface TableRef {
  readonly schema: string | null;
  readonly name: string;
  readonly alias: string | null;
}

/** One item of a SELECT list. */
export type SelectListItem =
  /** `*`, or `t.*` / `schema.t.*` (`qualifier`). */
  | {
      readonly kind: 'star';
      readonly qualifier: { readonly schema: string | null; readonly table: string } | null;
    }
  /**
   * An expression. `column` is the name MySQL gives the column: the alias, a string
   * literal's value, or the text as written; for a bare column reference without an alias
   * the table's own spelling of the column takes its place when the query runs.
   */
  | {
      readonly kind: 'expr';
      readonly expr: Expr;
      readonly column: string;
      readonly alias: string | null;
    };

/** One ORDER BY or GROUP BY term. */
export interface OrderItem {
  readonly expr: Expr;
  readonly descending: boolean;
}

/**
 * A SELECT the server answers itself: expressions without a table, or over one virtual
 * table (information_schema), with WHERE, GROUP BY, HAVING, ORDER BY and LIMIT.
 */
export interface SelectQuery {
  readonly distinct: boolean;
  readonly items: readonly SelectListItem[];
  /** The table, or null for none (no FROM, or FROM DUAL). */
  readonly from: TableRef | null;
  readonly where: Expr | null;
  readonly groupBy: readonly OrderItem[];
  readonly having: Expr | null;
  readonly orderBy: readonly OrderItem[];
  /** LIMIT [offset,] count, or null. */
  readonly limit: { readonly count: number; readonly offset: number } | null;
  /** Expression nodes in the statement: what evaluating one row costs, roughly. */
  readonly nodes: number;
}

/** `LIKE 'pattern'` or `WHERE expr` after a SHOW, or neither. */
export type ShowFilter = { readonly like: string } | { readonly where: Expr } | null;

/** A SHOW statement the server answers from its catalog and settings. */
export type ShowStatement =
  | {
      readonly what: 'variables';
      readonly scope: 'session' | 'global';
      readonly filter: ShowFilter;
    }
  /** SHOW [GLOBAL | SESSION] STATUS: the server's counters, or the session's own. */
  | {
      readonly what: 'status';
      readonly scope: 'session' | 'global';
      readonly filter: ShowFilter;
    }
  | { readonly what: 'collation'; readonly filter: ShowFilter }
  | { readonly what: 'charset'; readonly filter: ShowFilter }
  | { readonly what: 'databases'; readonly filter: ShowFilter }
  | {
      readonly what: 'tables';
      readonly full: boolean;
      readonly schema: string | null;
      readonly filter: ShowFilter;
    }
  | { readonly what: 'table-status'; readonly schema: string | null; readonly filter: ShowFilter }
  | { readonly what: 'engines' }
  | { readonly what: 'plugins' }
  | {
      readonly what: 'routine-status';
      readonly routine: 'PROCEDURE' | 'FUNCTION';
      readonly filter: ShowFilter;
    }
  | {
      readonly what: 'create-routine';
      readonly routine: 'PROCEDURE' | 'FUNCTION';
      readonly schema: string | null;
      readonly name: string;
    }
  | { readonly what: 'create-database'; readonly name: string }
  /** SHOW [FULL] COLUMNS, SHOW INDEX and SHOW CREATE TABLE/VIEW of a table. */
  | {
      readonly what: 'columns' | 'index' | 'create-table';
      readonly full: boolean;
      readonly schema: string | null;
      readonly table: string;
      readonly filter: ShowFilter;
    };
