import type { SqlValue } from '../../sql/types.js';
import type { CatalogProcedure } from '../procedure-catalog.js';
import type { ProcessRow } from '../process-list.js';
import type { SystemVariableSource } from '../system-variable-source.js';

/**
 * What information_schema and the SHOW statements read of one session: the server's
 * database, the procedures the session's account may call, the system variables in the
 * session's view, the counters and connections the account may see. Kept apart from the
 * connection so that the tables can be built and tested without a socket.
 */
export interface IntrospectionSource {
  /** The server's one database, where every procedure lives. */
  readonly database: string;
  /** The session's current database (DATABASE()), or null. */
  readonly currentDatabase: string | null;
  /** The procedures the account may call (its grants cover them, or they are public), by name. */
  procedures(): readonly CatalogProcedure[];
  /** The session's system variables. */
  readonly variables: SystemVariableSource;
  /**
   * The status variables of SHOW STATUS in `scope`, sorted by name; throws
   * SessionRefusal when the account may not see that scope.
   */
  status(scope: 'global' | 'session'): ReadonlyArray<readonly [name: string, value: SqlValue]>;
  /** The connections the account may see (information_schema.PROCESSLIST), in id order. */
  processes(): readonly ProcessRow[];
  /** The authentication plugins the server speaks, for SHOW PLUGINS. */
  readonly authPlugins: readonly string[];
  /** Print timestamps (CREATED, LAST_ALTERED) in UTC rather than the server's zone. */
  readonly utc: boolean;
}

/** The text value of a system variable, or `fallback` when the server has none. */
export function variableText(source: IntrospectionSource, name: string, fallback: string): string {
  const value = source.variables.read(name, null);
  return value === undefined || value === null ? fallback : String(value);
}
