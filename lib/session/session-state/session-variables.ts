import { ER, formatError, type WireError } from '../../protocol/errors.js';
import type { SqlValue } from '../../sql/index.js';
import type { SystemVariableSource, VariableScope } from '../system-variable-source.js';
import { charsetOf } from './charsets.js';
import { VARIABLE_NAMES, VARIABLES, type StoredValue, type VariableDefinition } from './catalog.js';
import type { GlobalValues } from './global-values.js';

/**
 * The server's global values, and how an admin's SET GLOBAL changes them
 * (ServerGlobals.assign); without `assign` no SET GLOBAL is taken.
 */
export type SessionGlobals = GlobalValues & {
  assign?(storage: string, value: StoredValue): void;
};

/**
 * One session's system variables: the server's global values, and what
 * this session has set over them (`SET x = v`). An admin's SET GLOBAL
 * changes the globals (see runSet), which every session reads for the
 * variables it has not set itself.
 */
export class SessionSystemVariables implements SystemVariableSource {
  /** autocommit, kept as a field: every OK and EOF packet reads it for its status flags. */
  autocommit: boolean;
  /** The transaction begun last is read-only (SERVER_STATUS_IN_TRANS_READONLY while it lasts). */
  readOnlyTransaction = false;
  /** Values set in this session, by storage name; null until the first SET. */
  private session: Map<string, StoredValue> | null = null;

  constructor(
    /** The server's global values. */
    readonly globals: SessionGlobals,
  ) {
    this.autocommit = globals.get('autocommit') !== 0;
  }

  /** The variable named `name` (any letter case), or undefined when the server has none. */
  definition(name: string): VariableDefinition | undefined {
    return VARIABLES.get(name.toLowerCase());
  }

  read(name: string, scope: VariableScope | null): SqlValue | undefined {
    const d = this.definition(name);
    if (d === undefined || wrongScope(d, scope)) return undefined;
    return this.valueOf(d, scope === 'global' || d.scope === 'global' ? 'global' : 'session');
  }

  /**
   * Why `@@name` cannot be read in `scope` (null: as written without one),
   * or null when it can: ERR 1193 for an unknown variable, ERR 1238 for
   * `@@session.x` of a global-only one or `@@global.x` of a session-only one.
   */
  readError(name: string, scope: VariableScope | null): WireError | null {
    const d = this.definition(name);
    if (d === undefined) return formatError(ER.UNKNOWN_SYSTEM_VARIABLE, name);
    if (!wrongScope(d, scope)) return null;
    const kind = d.scope === 'global' ? 'GLOBAL' : 'SESSION';
    return formatError(ER.INCORRECT_GLOBAL_LOCAL_VAR, d.name, kind);
  }

  /**
   * Every variable with its value in `scope`, sorted by name, as SHOW
   * [GLOBAL | SESSION] VARIABLES lists them: ON/OFF for booleans; the
   * session's list includes the global-only variables, the global one
   * leaves out the session-only ones.
   */
  list(scope: VariableScope): ReadonlyArray<readonly [name: string, value: SqlValue]> {
    const out: Array<readonly [string, SqlValue]> = [];
    for (const name of VARIABLE_NAMES) {
      const d = VARIABLES.get(name)!;
      if (scope === 'global' && d.scope === 'session') continue;
      const value = this.valueOf(
        d,
        scope === 'global' || d.scope === 'global' ? 'global' : 'session',
      );
      out.push([name, d.type.kind === 'bool' && value !== null ? (value ? 'ON' : 'OFF') : value]);
    }
    return out;
  }

  /** The value of `d` in the session or among the globals, as `SELECT @@x` reads it. */
  valueOf(d: VariableDefinition, where: 'session' | 'global'): StoredValue {
    const stored =
      where === 'global' ? (this.globals.get(d.storage) ?? null) : this.stored(d.storage);
    return d.charsetView && typeof stored === 'string' ? charsetOf(stored) : stored;
  }

  /** The session's value held at `storage`. */
  stored(storage: string): StoredValue {
    if (storage === 'autocommit') return this.autocommit ? 1 : 0;
    const own = this.session?.get(storage);
    return own !== undefined ? own : (this.globals.get(storage) ?? null);
  }

  /** The value this session has set at `storage` itself, or undefined when it reads the global one. */
  own(storage: string): StoredValue | undefined {
    return this.session?.get(storage);
  }

  /** Sets the session's value at `storage` (already checked). */
  assign(storage: string, value: StoredValue): void {
    if (storage === 'autocommit') {
      this.autocommit = value === 1;
      return;
    }
    (this.session ??= new Map()).set(storage, value);
  }

  /** The session's transactions are read-only (SET SESSION TRANSACTION READ ONLY). */
  get transactionReadOnly(): boolean {
    return this.stored('transaction_read_only') === 1;
  }

  /** Notes that a transaction began (or ended, `begun` false), for its read-only flag. */
  noteTransaction(begun: boolean): void {
    this.readOnlyTransaction = begun && this.transactionReadOnly;
  }

  /** Back to the global values: COM_RESET_CONNECTION and COM_CHANGE_USER. */
  reset(): void {
    this.session = null;
    // A session starts from the global value, which an admin's SET GLOBAL may have changed.
    this.autocommit = this.globals.get('autocommit') !== 0;
    this.readOnlyTransaction = false;
  }
}

const wrongScope = (d: VariableDefinition, scope: VariableScope | null): boolean =>
  (scope === 'global' && d.scope === 'session') || (scope === 'session' && d.scope === 'global');
