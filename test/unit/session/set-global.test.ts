import { ER, formatError } from '../../../lib/protocol/errors.js';
import { VARIABLES, type StoredValue } from '../../../lib/session/session-state/catalog.js';
import { runSet, type SetRunner } from '../../../lib/session/session-state/run-set.js';
import {
  SessionSystemVariables,
  type SessionGlobals,
} from '../../../lib/session/session-state/session-variables.js';
import { SessionVariables } from '../../../lib/session/user-variables.js';
import { parseStatement, type Statement } from '../../../lib/sql/index.js';

/** Globals as a server starts with them, but with wait_timeout and max_connections from its options. */
function globals(): Map<string, StoredValue> & { assigned: Array<[string, StoredValue]> } {
  const values = new Map<string, StoredValue>(
    [...VARIABLES.values()].filter((d) => d.storage === d.name).map((d) => [d.name, d.value]),
  );
  values.set('wait_timeout', 600);
  values.set('max_connections', 20);
  const assigned: Array<[string, StoredValue]> = [];
  return Object.assign(values, {
    assigned,
    assign(this: Map<string, StoredValue>, storage: string, value: StoredValue) {
      assigned.push([storage, value]);
      this.set(storage, value);
    },
  });
}

function session(admin: boolean, shared: SessionGlobals = globals()): SetRunner {
  const userVariables = new SessionVariables(4, 1024);
  return {
    systemVariables: new SessionSystemVariables(shared),
    userVariables,
    inTransaction: false,
    assignUserVariables: (a) =>
      userVariables.assign(a) ? null : formatError(ER.USER_VARIABLES_LIMIT, 4, 1024),
    database: 'rpc',
    user: 'u',
    host: '127.0.0.1',
    account: { name: admin ? 'boss@%' : 'u@%', admin },
    connectionId: 7,
    lastInsertId: 0,
    maxPacketSize: 1 << 20,
    services: { settings: { serverVersion: '8.0.36-test', encode: { utc: true } } },
  };
}

function run(s: SetRunner, sql: string) {
  const statement = parseStatement(sql);
  if (statement.kind !== 'set') throw new Error('not a SET');
  return runSet(s, statement as Extract<Statement, { kind: 'set' }>);
}

const DENIED = formatError(ER.SPECIFIC_ACCESS_DENIED, 'SUPER or SYSTEM_VARIABLES_ADMIN');

describe('SET GLOBAL', () => {
  it('refuses every account but an admin with ERR 1227, changing nothing', () => {
    const shared = globals();
    const s = session(false, shared);
    for (const sql of [
      'SET GLOBAL wait_timeout = 5',
      'SET @@global.max_connections = 5',
      'SET GLOBAL TRANSACTION READ ONLY',
      'SET PERSIST wait_timeout = 5',
      'SET PERSIST_ONLY max_connections = 5',
    ]) {
      expect(run(s, sql)).toEqual(DENIED);
    }
    expect(shared.assigned).toEqual([]);
  });

  it('refuses globals that cannot be assigned, whoever asks', () => {
    const s = session(true, new Map(globals()));
    expect(run(s, 'SET GLOBAL wait_timeout = 5')).toEqual(DENIED);
  });

  it('lets an admin change a global through the globals’ assign, checked and clamped as SET SESSION', () => {
    const shared = globals();
    const s = session(true, shared);
    expect(
      run(s, 'SET GLOBAL wait_timeout = 30, @@global.max_connections = 0, GLOBAL general_log = ON'),
    ).toBeNull();
    expect(shared.assigned).toEqual([
      ['wait_timeout', 30],
      ['max_connections', 1],
      ['general_log', 1],
    ]);
    expect(s.systemVariables.read('wait_timeout', 'global')).toBe(30);
    // The session has not set its own, so it reads the new global.
    expect(s.systemVariables.read('wait_timeout', null)).toBe(30);
    expect(run(s, 'SET wait_timeout = 9')).toBeNull();
    expect(s.systemVariables.read('wait_timeout', 'session')).toBe(9);
    expect(shared.get('wait_timeout')).toBe(30);
  });

  it('is seen by every session of the server', () => {
    const shared = globals();
    const admin = session(true, shared);
    const other = session(false, shared);
    expect(run(admin, "SET GLOBAL sql_mode = 'TRADITIONAL'")).toBeNull();
    expect(other.systemVariables.read('sql_mode', 'global')).toBe(
      admin.systemVariables.read('sql_mode', 'global'),
    );
    expect(other.systemVariables.read('sql_mode', 'global')).toMatch(/TRADITIONAL/);
  });

  it('takes DEFAULT as the compiled-in value, not the value the server started with', () => {
    const shared = globals();
    const s = session(true, shared);
    expect(
      run(
        s,
        'SET GLOBAL wait_timeout = DEFAULT, max_connections = DEFAULT, tx_isolation = DEFAULT',
      ),
    ).toBeNull();
    expect(shared.assigned).toEqual([
      ['wait_timeout', 28800],
      ['max_connections', 151],
      ['transaction_isolation', 'REPEATABLE-READ'],
    ]);
    expect(run(s, 'SET GLOBAL character_set_server = DEFAULT')).toBeNull();
    expect(shared.get('collation_server')).toBe(VARIABLES.get('collation_server')!.value);
  });

  it('keeps max_allowed_packet to the maxPacketSize option: read-only in either scope', () => {
    const shared = globals();
    const s = session(true, shared);
    expect(run(s, 'SET max_allowed_packet = 4096')).toEqual(
      formatError(ER.VARIABLE_IS_READONLY, 'SESSION', 'max_allowed_packet', 'GLOBAL'),
    );
    expect(run(s, 'SET GLOBAL max_allowed_packet = 4096')).toEqual(
      formatError(ER.INCORRECT_GLOBAL_LOCAL_VAR, 'max_allowed_packet', 'read only'),
    );
    expect(shared.get('max_allowed_packet')).not.toBe(4096);
  });

  it('keeps MySQL’s scope, read-only, type and value errors, checked before the privilege’s effect', () => {
    const shared = globals();
    const s = session(true, shared);
    expect(run(s, 'SET GLOBAL insert_id = 1')).toEqual(formatError(ER.LOCAL_VARIABLE, 'insert_id'));
    expect(run(s, 'SET GLOBAL version = 1')).toEqual(
      formatError(ER.INCORRECT_GLOBAL_LOCAL_VAR, 'version', 'read only'),
    );
    expect(run(s, 'SET max_connections = 1')).toEqual(
      formatError(ER.GLOBAL_VARIABLE, 'max_connections'),
    );
    expect(run(s, "SET GLOBAL wait_timeout = 'x'")).toEqual(
      formatError(ER.WRONG_TYPE_FOR_VAR, 'wait_timeout'),
    );
    expect(run(s, "SET GLOBAL wait_timeout = 5, sql_mode = 'NOPE'")).toEqual(
      formatError(ER.WRONG_VALUE_FOR_VAR, 'sql_mode', 'NOPE'),
    );
    // Any failure assigns nothing.
    expect(shared.assigned).toEqual([]);
  });

  it('sets the global transaction characteristics, even inside a transaction', () => {
    const shared = globals();
    const s = session(true, shared);
    s.inTransaction = true;
    expect(run(s, 'SET GLOBAL TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY')).toBeNull();
    expect(shared.assigned).toEqual([
      ['transaction_isolation', 'READ-COMMITTED'],
      ['transaction_read_only', 1],
    ]);
  });

  it('mixes global and session assignments in one SET, each stored where it belongs', () => {
    const shared = globals();
    const s = session(true, shared);
    expect(run(s, 'SET GLOBAL max_connections = 50, SESSION wait_timeout = 7, @a = 1')).toBeNull();
    expect(shared.assigned).toEqual([['max_connections', 50]]);
    expect(s.systemVariables.own('wait_timeout')).toBe(7);
    expect(s.userVariables.get('a')).toBe(1);
  });

  it('answers SET PERSIST and PERSIST_ONLY with ERR 1235: nothing here outlives a restart', () => {
    const shared = globals();
    const s = session(true, shared);
    expect(run(s, 'SET PERSIST wait_timeout = 5')).toEqual(
      formatError(ER.NOT_SUPPORTED_YET, 'SET PERSIST'),
    );
    expect(run(s, 'SET @@persist_only.port = 3307')).toEqual(
      formatError(ER.NOT_SUPPORTED_YET, 'SET PERSIST_ONLY'),
    );
    expect(shared.assigned).toEqual([]);
  });
});
