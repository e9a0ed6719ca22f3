import type { SqlValue } from '../sql/index.js';

/** `@@name` is read in the session's scope unless written `@@global.name`. */
export type VariableScope = 'session' | 'global';

/** Where a session's system variables are read: `SELECT @@x`, `SHOW VARIABLES`, expressions. */
export interface SystemVariableSource {
  /**
   * The value of `@@name` in `scope` (null: as written without a scope,
   * the session's value, else the global one, as MySQL reads it);
   * undefined when the server has no such variable (ERR 1193).
   */
  read(name: string, scope: VariableScope | null): SqlValue | undefined;
  /** Every variable with its value in `scope`, sorted by name. */
  list(scope: VariableScope): ReadonlyArray<readonly [name: string, value: SqlValue]>;
}
