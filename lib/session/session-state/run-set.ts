import { ER, formatError, type WireError } from '../../protocol/errors.js';
import { evaluate, type EvaluationContext } from '../../sql/expression/index.js';
import type { SetAssignment, SetScope, SetValue, SqlValue, Statement } from '../../sql/types.js';
import { evaluationErrorToWire } from '../session-refusal.js';
import { TRANSACTION_STORAGE, type StoredValue, type VariableDefinition } from './catalog.js';
import { charsetOf, defaultCollation, lookupCharset, lookupCollation } from './charsets.js';
import { checkValue, typeError, type Operand } from './check-value.js';
import { operandOf, sessionEvaluationContext, type SetSession } from './evaluation.js';
import type { SessionSystemVariables } from './session-variables.js';

type SetStatement = Extract<Statement, { kind: 'set' }>;

/** The privilege MySQL 8 asks for to change a global value; here only an admin account holds it. */
const GLOBAL_PRIVILEGE = 'SUPER or SYSTEM_VARIABLES_ADMIN';

/** What runSet reads and changes of its session: SetSession, and whether the account is an admin (absent: not). */
export type SetRunner = SetSession & { readonly account: { readonly admin?: boolean } };

type GlobalScope = Extract<SetScope, 'global' | 'persist' | 'persist_only'>;

/** One value to store once every assignment has passed: in the session, or among the globals. */
type Change = readonly [storage: string, value: StoredValue, global: boolean];

/** One assignment once resolved, before its value is checked. */
type Resolved =
  | {
      readonly kind: 'system';
      readonly d: VariableDefinition;
      readonly operand: Operand | 'default';
      readonly nextTransaction: boolean;
      readonly global: boolean;
    }
  /** Character sets by their canonical name, a refused one as written; the collation canonical. */
  | { readonly kind: 'names'; readonly charset: string; readonly collation: string | null }
  | { readonly kind: 'charset'; readonly charset: string }
  | {
      readonly kind: 'transaction';
      readonly next: boolean;
      readonly global: boolean;
      readonly isolation: string | null;
      readonly readOnly: boolean | null;
    }
  | { readonly kind: 'user'; readonly name: string; readonly value: SqlValue; readonly at: number };

/**
 * Runs a SET on `conn` as MySQL's sql_set_variables does: names first (an
 * unknown variable, character set or collation fails the statement as
 * MySQL's parser would), then each assignment's scope, privilege, value and
 * type, then each value, and only when all pass assigns them all, in order.
 * Any failure assigns nothing. Returns the error to send, or null for OK.
 *
 * SET GLOBAL (and `SET @@global.x`) is an admin's only, as MySQL asks for
 * SUPER or SYSTEM_VARIABLES_ADMIN (ERR 1227 for anyone else): the value is
 * checked and clamped as for the session, DEFAULT is the compiled-in value,
 * and ServerGlobals.assign stores it and moves the server's limits. SET
 * PERSIST and PERSIST_ONLY are refused even for an admin, see globalRefusal.
 */
export function runSet(conn: SetRunner, statement: SetStatement): WireError | null {
  const assignments = statement.assignments;
  if (assignments === undefined) return conn.assignUserVariables(statement.userVariables);
  try {
    for (const a of assignments) {
      const refused = nameError(conn, a);
      if (refused) return refused;
    }
    let context: EvaluationContext | null = null;
    const contextOf = (): EvaluationContext => (context ??= sessionEvaluationContext(conn));
    const resolved: Resolved[] = [];
    for (const a of assignments) {
      const r = resolve(conn, a, contextOf);
      if ('code' in r) return r;
      resolved.push(r);
    }
    const changes: Change[] = [];
    for (const r of resolved) {
      const refused = check(conn, r, changes);
      if (refused) return refused;
    }
    const refused = conn.assignUserVariables(userAssignments(statement.userVariables, resolved));
    if (refused) return refused;
    for (const change of changes) apply(conn, change);
    return null;
  } catch (error) {
    const wire = evaluationErrorToWire(error);
    if (wire === null) throw error;
    return wire;
  }
}

type VariableAssignment = Extract<SetAssignment, readonly unknown[]>;

const isVariable = (a: SetAssignment): a is VariableAssignment => Array.isArray(a);

/** What MySQL's parser refuses: an unknown variable, character set or collation. */
function nameError(conn: SetSession, a: SetAssignment): WireError | null {
  if (isVariable(a)) {
    const name = a[0];
    return conn.systemVariables.definition(name)
      ? null
      : formatError(ER.UNKNOWN_SYSTEM_VARIABLE, name);
  }
  if ('names' in a) {
    if (a.names === null) return null;
    if ('unknown' in lookupCharset(a.names)) return formatError(ER.UNKNOWN_CHARACTER_SET, a.names);
    if (a.collation === null) return null;
    const collation = lookupCollation(a.collation);
    if ('unknown' in collation) return formatError(ER.UNKNOWN_COLLATION, a.collation);
    const charset = lookupCharset(a.names);
    const ok = 'ok' in charset && 'ok' in collation && charsetOf(collation.ok) === charset.ok;
    return ok || 'refused' in charset
      ? null
      : formatError(ER.COLLATION_CHARSET_MISMATCH, a.collation, a.names);
  }
  if ('charset' in a && a.charset !== null && 'unknown' in lookupCharset(a.charset)) {
    return formatError(ER.UNKNOWN_CHARACTER_SET, a.charset);
  }
  return null;
}

/** Scope, privilege, the value and its type; the value itself is checked later. */
function resolve(
  conn: SetRunner,
  a: SetAssignment,
  contextOf: () => EvaluationContext,
): Resolved | WireError {
  const variables = conn.systemVariables;
  if (isVariable(a)) {
    const [name, value, scope] = a as readonly [string, SetValue, SetScope?];
    const d = variables.definition(name)!;
    const global = scope === 'global' || scope === 'persist' || scope === 'persist_only';
    if (d.readOnly === true && scope !== 'persist_only') {
      return formatError(ER.INCORRECT_GLOBAL_LOCAL_VAR, d.name, 'read only');
    }
    if (global && d.scope === 'session') return formatError(ER.LOCAL_VARIABLE, d.name);
    if (!global && d.scope === 'global') return formatError(ER.GLOBAL_VARIABLE, d.name);
    if (global) {
      const refused = globalRefusal(conn, scope as GlobalScope);
      if (refused) return refused;
      // max_allowed_packet and net_buffer_length are fixed by the maxPacketSize option, which
      // every connection's framer was sized by: an OK here would promise what does not happen.
      if (d.readOnly === 'session') {
        return formatError(ER.INCORRECT_GLOBAL_LOCAL_VAR, d.name, 'read only');
      }
    }
    const operand = operandOf(value, contextOf());
    if (operand !== 'default') {
      const wrongType = typeError(d, operand);
      if (wrongType) return wrongType;
    }
    if (!global && d.readOnly === 'session') {
      return formatError(ER.VARIABLE_IS_READONLY, 'SESSION', d.name, 'GLOBAL');
    }
    const nextTransaction = scope === 'unscoped' && TRANSACTION_STORAGE.has(d.storage);
    return { kind: 'system', d, operand, nextTransaction, global };
  }
  if ('user' in a)
    return { kind: 'user', name: a.user, value: evaluate(a.value, contextOf()), at: a.at };
  if ('names' in a) {
    const charset = a.names === null ? globalClientCharset(conn) : charsetName(a.names);
    const collation = a.collation === null ? null : collationName(a.collation);
    return { kind: 'names', charset, collation };
  }
  if ('charset' in a) {
    const charset = a.charset === null ? globalClientCharset(conn) : charsetName(a.charset);
    return { kind: 'charset', charset };
  }
  const global = a.transaction !== 'session' && a.transaction !== 'next';
  if (global) {
    const refused = globalRefusal(conn, a.transaction as GlobalScope);
    if (refused) return refused;
  }
  return {
    kind: 'transaction',
    next: a.transaction === 'next',
    global,
    isolation: a.isolation,
    readOnly: a.readOnly,
  };
}

/**
 * Why an assignment to a global value is refused, or null when it may go
 * on: ERR 1227 unless the account is an admin (and the globals can be
 * assigned at all). Nothing here survives a restart, so SET PERSIST and
 * PERSIST_ONLY get ERR 1235 rather than an OK that promises it would, and
 * rather than being taken as SET GLOBAL behind the admin's back: the admin
 * learns at once to put the value in the server's options instead.
 */
function globalRefusal(conn: SetRunner, scope: GlobalScope): WireError | null {
  if (conn.account.admin !== true || conn.systemVariables.globals.assign === undefined) {
    return formatError(ER.SPECIFIC_ACCESS_DENIED, GLOBAL_PRIVILEGE);
  }
  if (scope === 'persist') return formatError(ER.NOT_SUPPORTED_YET, 'SET PERSIST');
  if (scope === 'persist_only') return formatError(ER.NOT_SUPPORTED_YET, 'SET PERSIST_ONLY');
  return null;
}

/** Checks a resolved assignment's value, adding what it will store to `changes`. */
function check(conn: SetSession, r: Resolved, changes: Change[]): WireError | null {
  const variables = conn.systemVariables;
  switch (r.kind) {
    case 'user':
      return null;
    case 'system': {
      if (r.nextTransaction && conn.inTransaction) {
        return formatError(ER.CANT_CHANGE_TX_CHARACTERISTICS);
      }
      const { d } = r;
      let value: StoredValue;
      if (r.operand === 'default') {
        value = defaultValue(variables, d, r.global);
      } else {
        const checked = checkValue(d, r.operand);
        if ('error' in checked) return checked.error;
        value = checked.value;
      }
      // `SET @@transaction_isolation` is for the next transaction only, which nothing here runs.
      if (!r.nextTransaction) changes.push([d.storage, value, r.global]);
      return null;
    }
    case 'names':
    case 'charset': {
      // A character set MySQL knows but this server does not speak (latin1...), as MySQL refuses ucs2.
      if (!('ok' in lookupCharset(r.charset))) {
        return formatError(ER.WRONG_VALUE_FOR_VAR, 'character_set_client', r.charset);
      }
      changes.push(
        ['character_set_client', r.charset, false],
        ['character_set_results', r.charset, false],
      );
      // SET CHARACTER SET talks to the connection in the database's character set.
      const connection =
        r.kind === 'charset'
          ? (variables.stored('collation_database') as string)
          : (r.collation ?? defaultCollation(r.charset));
      changes.push(['collation_connection', connection, false]);
      return null;
    }
    case 'transaction':
      if (r.next) {
        return conn.inTransaction ? formatError(ER.CANT_CHANGE_TX_CHARACTERISTICS) : null;
      }
      if (r.isolation !== null) changes.push(['transaction_isolation', r.isolation, r.global]);
      if (r.readOnly !== null) {
        changes.push(['transaction_read_only', r.readOnly ? 1 : 0, r.global]);
      }
      return null;
  }
}

/**
 * What DEFAULT stands for: for a global, the compiled-in value, as MySQL
 * (an alias's or a `character_set_*` view's is its storage's); for the
 * session, the global value, or its own for a session-only variable.
 */
function defaultValue(
  variables: SessionSystemVariables,
  d: VariableDefinition,
  global: boolean,
): StoredValue {
  if (global) return (variables.definition(d.storage) ?? d).value;
  return d.scope === 'session' ? d.value : (variables.globals.get(d.storage) ?? null);
}

/** A character set's canonical name, or the name as written when it is refused (see nameError). */
function charsetName(name: string): string {
  const found = lookupCharset(name);
  return 'ok' in found ? found.ok : name;
}

/** A collation's canonical name; nameError has made sure it is known. */
function collationName(name: string): string | null {
  const found = lookupCollation(name);
  return 'ok' in found ? found.ok : null;
}

/** The charset SET NAMES DEFAULT and SET CHARACTER SET DEFAULT take: the global character_set_client. */
function globalClientCharset(conn: SetSession): string {
  return conn.systemVariables.globals.get('character_set_client') as string;
}

/** The SET's user variable assignments in statement order: literals, and expressions at their places. */
function userAssignments(
  literals: ReadonlyArray<readonly [string, SqlValue]>,
  resolved: readonly Resolved[],
): ReadonlyArray<readonly [string, SqlValue]> {
  const computed = resolved.filter(
    (r): r is Extract<Resolved, { kind: 'user' }> => r.kind === 'user',
  );
  if (computed.length === 0) return literals;
  const out: Array<readonly [string, SqlValue]> = [];
  let literal = 0;
  let next = 0;
  for (let at = 0; at < literals.length + computed.length; at++) {
    const c = computed[next];
    if (c !== undefined && c.at === at) {
      out.push([c.name, c.value]);
      next++;
    } else {
      out.push(literals[literal++]!);
    }
  }
  return out;
}

/**
 * Stores a checked value; turning the session's autocommit on commits the
 * open transaction, as MySQL does.
 */
function apply(conn: SetSession, [storage, value, global]: Change): void {
  const variables = conn.systemVariables;
  if (global) {
    // globalRefusal has made sure the globals take assignments.
    variables.globals.assign!(storage, value);
    return;
  }
  if (storage === 'autocommit' && value === 1 && !variables.autocommit && conn.inTransaction) {
    conn.inTransaction = false;
    variables.noteTransaction(false);
  }
  variables.assign(storage, value);
}
