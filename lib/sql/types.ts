import type { Buffer } from 'node:buffer';

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
  | { kind: 'set'; userVariables: Array<[name: string, value: SqlValue]> }
  | { kind: 'transaction'; action: 'begin' | 'commit' | 'rollback' }
  | { kind: 'show-warnings' }
  /** `SHOW GRANTS [FOR CURRENT_USER[()] | user[@host]]`; `account` null for the current one. */
  | { kind: 'show-grants'; account: { user: string; host: string } | null }
  /** `FLUSH [LOCAL | NO_WRITE_TO_BINLOG] HOSTS | PRIVILEGES [, ...]`. */
  | { kind: 'flush'; targets: Array<'hosts' | 'privileges'> }
  | { kind: 'select'; items: SelectItem[]; limit: number | null }
  | { kind: 'other'; keyword: string; near: string };
