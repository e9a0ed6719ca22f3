import type { WireError } from '../protocol/errors.js';
import type { SqlValue } from '../sql/index.js';

/** `@@name` is read in the session's scope unless written `@@global.name`. */
export type VariableScope = 'session' | 'global';

/** Where a session's system variables are read: `SELECT @@x`, `SHOW VARIABLES`, expressions. */
export interface SystemVariableSource {
  /**
   * The value of `@@name` in `scope` (null: as written without a scope,
   * the session's value, else the global one, as MySQL reads it);
   * undefined when it cannot be read so (see readError).
   */
  read(name: string, scope: VariableScope | null): SqlValue | undefined;
  /** Why `@@name` cannot be read in `scope`, or null: ERR 1193 for an unknown variable, ERR 1238 for the wrong scope. */
  readError(name: string, scope: VariableScope | null): WireError | null;
  /** Every variable with its value in `scope`, sorted by name. */
  list(scope: VariableScope): ReadonlyArray<readonly [name: string, value: SqlValue]>;
}
