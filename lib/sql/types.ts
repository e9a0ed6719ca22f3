import type { Buffer } from 'node:buffer';
import type { SelectQuery, ShowStatement } from './query/ast.js';
import type { Expr } from './expression/ast.js';

/** A literal value as a handler receives it: NULL, boolean, number, exact big integer, text or bytes. */
export type SqlValue = null | boolean | number | bigint | string | Buffer;

/** One column of a simple SELECT, as the client would see it. */
export interface SelectItem {
  /** What the column evaluates. */
  expr:
    | { type: 'variable'; scope: 'session' | 'global' | null; name: string }
    | { type: 'function'; name: string }
    | { type: 'literal'; value: SqlValue };
  /** The column name MySQL would report: the alias, else the item as written (a string literal names itself by its value). */
  column: string;
}

/** User variables of a session (`SET @a = 1`), by lower-cased name, for `CALL p(@a)` and `SELECT @a`. */
export interface UserVariables {
  get(name: string): SqlValue | undefined;
}

/** A parsed query: the statements the server answers itself, and `other` for the rest. */
export type Statement =
  /**
   * `CALL [schema.]name(args)`. `variables`: the user variable written at
   * each position (`@x`, lower-cased), null where none was, or null
   * altogether when no argument is one. `placeholders`: the positions of
   * `?` when parsed for COM_STMT_PREPARE, else null.
   */
  | {
      kind: 'call';
      schema: string | null;
      name: string;
      args: SqlValue[];
      variables: (string | null)[] | null;
      placeholders: number[] | null;
    }
  | { kind: 'use'; schema: string }
  /**
   * `SET ...`. `userVariables`: the `@name = literal` assignments, values read
   * at parse time. `assignments`: every other one, in statement order (absent
   * when there is none); see SetAssignment.
   */
  | {
      kind: 'set';
      userVariables: Array<[name: string, value: SqlValue]>;
      assignments?: SetAssignment[];
    }
  | { kind: 'transaction'; action: 'begin' | 'commit' | 'rollback' }
  | { kind: 'show-warnings' }
  /** `SHOW GRANTS [FOR CURRENT_USER[()] | user[@host]]`; `account` null for the current one. */
  | { kind: 'show-grants'; account: { user: string; host: string } | null }
  /** `FLUSH [LOCAL | NO_WRITE_TO_BINLOG] HOSTS | PRIVILEGES [, ...]`. */
  | { kind: 'flush'; targets: Array<'hosts' | 'privileges'> }
  | { kind: 'select'; items: SelectItem[]; limit: number | null }
  /** Any other SELECT the server evaluates: expressions, or one information_schema table. */
  | { kind: 'query'; query: SelectQuery }
  /** SHOW VARIABLES, COLLATION, DATABASES, TABLES, PROCEDURE STATUS, CREATE PROCEDURE... */
  | { kind: 'show'; show: ShowStatement }
  /** `SHOW [FULL] PROCESSLIST`. */
  | { kind: 'show-processlist'; full: boolean }
  /** `KILL [CONNECTION | QUERY] expr`: `id` is the expression naming the connection. */
  | { kind: 'kill'; target: 'connection' | 'query'; id: Expr }
  | { kind: 'other'; keyword: string; near: string };

/**
 * Scope a system variable assignment was written with; absent means the
 * session's (`SET x`, `SET SESSION x`, `SET @@session.x`). `unscoped` is
 * `SET @@x`: the session's too, except for the transaction characteristics,
 * where it means the next transaction only.
 */
export type SetScope = 'global' | 'persist' | 'persist_only' | 'unscoped';

/** A value assigned to a system variable, as written. */
export type SetValue =
  /** NULL, an integer, a string (a bare name, ON and the like read as one) or bytes. */
  | SqlValue
  /** A DECIMAL or DOUBLE literal as written, sign included. */
  | { readonly real: string }
  /** DEFAULT: the global value (for a global assignment, the compiled-in one). */
  | { readonly default: true }
  /** Any other expression, evaluated when the SET runs. */
  | { readonly expr: Expr };

/**
 * One assignment of a SET other than `@name = literal`. Tuples keep the
 * common case small (a SET may hold very many).
 */
export type SetAssignment =
  /** A system variable, name as written (ERR 1193 quotes it so; `a.b` for a component's). */
  | readonly [name: string, value: SetValue]
  | readonly [name: string, value: SetValue, scope: SetScope]
  /** `@name = expression`; `at` counts the user variable assignments of the SET before it. */
  | { readonly user: string; readonly value: Expr; readonly at: number }
  /** `NAMES charset [COLLATE collation]`, names as written; null charset for DEFAULT. */
  | { readonly names: string | null; readonly collation: string | null }
  /** `CHARACTER SET charset` / `CHARSET charset`; null for DEFAULT. */
  | { readonly charset: string | null }
  /**
   * `[GLOBAL | SESSION] TRANSACTION characteristics`; scope `next` when
   * written without one. Isolation as MySQL names it (`READ-COMMITTED`).
   */
  | {
      readonly transaction: 'session' | 'next' | 'global' | 'persist' | 'persist_only';
      readonly isolation: string | null;
      readonly readOnly: boolean | null;
    };
