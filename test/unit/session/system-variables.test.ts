import fc from 'fast-check';
import { ER, formatError } from '../../../lib/protocol/errors.js';
import { VARIABLES, type StoredValue } from '../../../lib/session/session-state/catalog.js';
import {
  charsetOf,
  lookupCharset,
  lookupCollation,
} from '../../../lib/session/session-state/charsets.js';
import {
  checkValue,
  typeError,
  type Operand,
} from '../../../lib/session/session-state/check-value.js';
import type { SetSession } from '../../../lib/session/session-state/evaluation.js';
import type { GlobalValues } from '../../../lib/session/session-state/global-values.js';
import { runSet } from '../../../lib/session/session-state/run-set.js';
import { SessionSystemVariables } from '../../../lib/session/session-state/session-variables.js';
import {
  DEFAULT_SQL_MODE,
  sqlModeFromNumber,
  sqlModeFromText,
} from '../../../lib/session/session-state/sql-mode.js';
import { timeZoneValue } from '../../../lib/session/session-state/time-zone.js';
import { SessionVariables } from '../../../lib/session/user-variables.js';
import { parseStatement, type Statement } from '../../../lib/sql/index.js';

/** The compiled-in globals, as a server without options would have them. */
const GLOBALS: GlobalValues = new Map(
  [...VARIABLES.values()].filter((d) => d.storage === d.name).map((d) => [d.name, d.value]),
);

const int = (n: number | bigint): Operand => ({ type: 'int', value: BigInt(n) });
const str = (value: string): Operand => ({ type: 'string', value, shown: value });
const NULL: Operand = { type: 'null' };
const REAL: Operand = { type: 'real' };

const definition = (name: string) => {
  const d = VARIABLES.get(name);
  if (!d) throw new Error(`no variable ${name}`);
  return d;
};

describe('the variable catalog', () => {
  it('has what Connector/J, MariaDB Connector/J and the Go driver read on connect', () => {
    for (const name of [
      'auto_increment_increment',
      'character_set_client',
      'character_set_connection',
      'character_set_results',
      'character_set_server',
      'collation_server',
      'collation_connection',
      'init_connect',
      'interactive_timeout',
      'license',
      'lower_case_table_names',
      'max_allowed_packet',
      'net_write_timeout',
      'performance_schema',
      'sql_mode',
      'system_time_zone',
      'time_zone',
      'transaction_isolation',
      'tx_isolation',
      'wait_timeout',
      'version',
      'version_comment',
    ]) {
      expect(VARIABLES.has(name)).toBe(true);
    }
  });

  it('names every variable in lower case and stores each in a variable that holds its own value', () => {
    for (const d of VARIABLES.values()) {
      expect(d.name).toBe(d.name.toLowerCase());
      const storage = definition(d.storage);
      expect(storage.storage).toBe(storage.name);
      if (d.charsetView) expect(storage.type.kind).toBe('collation');
    }
  });

  it('gives every variable a compiled-in value its own check accepts', () => {
    for (const d of VARIABLES.values()) {
      if (d.storage !== d.name) continue;
      const value = d.value;
      const operand: Operand =
        value === null ? NULL : typeof value === 'string' ? str(value) : int(value);
      expect([d.name, typeError(d, operand)]).toEqual([d.name, null]);
      expect([d.name, checkValue(d, operand)]).toEqual([d.name, { value }]);
    }
  });
});

describe('SessionSystemVariables', () => {
  it('reads the session value, else the global one, in each scope', () => {
    const v = new SessionSystemVariables(GLOBALS);
    v.assign('wait_timeout', 5);
    expect(v.read('wait_timeout', null)).toBe(5);
    expect(v.read('WAIT_TIMEOUT', 'session')).toBe(5);
    expect(v.read('wait_timeout', 'global')).toBe(28800);
    expect(v.read('max_connections', null)).toBe(151);
    expect(v.read('max_connections', 'global')).toBe(151);
    expect(v.read('insert_id', null)).toBe(0);
    expect(v.read('nope', null)).toBeUndefined();
  });

  it('refuses @@session.x of a global variable and @@global.x of a session one with ERR 1238', () => {
    const v = new SessionSystemVariables(GLOBALS);
    expect(v.read('max_connections', 'session')).toBeUndefined();
    expect(v.readError('max_connections', 'session')).toEqual(
      formatError(ER.INCORRECT_GLOBAL_LOCAL_VAR, 'max_connections', 'GLOBAL'),
    );
    expect(v.readError('Insert_Id', 'global')).toEqual(
      formatError(ER.INCORRECT_GLOBAL_LOCAL_VAR, 'insert_id', 'SESSION'),
    );
    expect(v.readError('Nope', null)).toEqual(formatError(ER.UNKNOWN_SYSTEM_VARIABLE, 'Nope'));
    expect(v.readError('wait_timeout', 'global')).toBeNull();
  });

  it('keeps booleans as 1/0, autocommit apart, and character sets as views of their collations', () => {
    const v = new SessionSystemVariables(GLOBALS);
    expect(v.read('autocommit', null)).toBe(1);
    v.assign('autocommit', 0);
    expect(v.autocommit).toBe(false);
    expect(v.read('autocommit', null)).toBe(0);
    expect(v.read('autocommit', 'global')).toBe(1);
    v.assign('collation_connection', 'utf8mb3_bin');
    expect(v.read('character_set_connection', null)).toBe('utf8mb3');
    v.assign('transaction_isolation', 'SERIALIZABLE');
    expect(v.read('tx_isolation', null)).toBe('SERIALIZABLE');
  });

  it('lists every variable sorted, booleans as ON/OFF; the global list leaves out session-only ones', () => {
    const v = new SessionSystemVariables(GLOBALS);
    v.assign('autocommit', 0);
    const session = new Map(v.list('session'));
    const names = v.list('session').map(([n]) => n);
    expect(names).toEqual([...names].sort());
    expect(session.get('autocommit')).toBe('OFF');
    expect(session.get('foreign_key_checks')).toBe('ON');
    expect(session.get('wait_timeout')).toBe(28800);
    expect(session.has('max_connections')).toBe(true);
    expect(session.has('insert_id')).toBe(true);
    const global = new Map(v.list('global'));
    expect(global.get('autocommit')).toBe('ON');
    expect(global.has('insert_id')).toBe(false);
    expect(session.size).toBe(VARIABLES.size);
  });

  it('forgets the session on reset', () => {
    const v = new SessionSystemVariables(GLOBALS);
    v.assign('autocommit', 0);
    v.assign('transaction_read_only', 1);
    v.noteTransaction(true);
    v.assign('time_zone', '+01:00');
    expect(v.readOnlyTransaction).toBe(true);
    v.reset();
    expect([v.autocommit, v.readOnlyTransaction, v.read('time_zone', null)]).toEqual([
      true,
      false,
      'SYSTEM',
    ]);
  });
});

describe('checking a value against a variable', () => {
  const wrongValue = (name: string, shown: string) => ({
    error: formatError(ER.WRONG_VALUE_FOR_VAR, name, shown),
  });

  it.each<[string, Operand, StoredValue | { error: unknown }]>([
    ['autocommit', int(0), 0],
    ['autocommit', str('oN'), 1],
    ['autocommit', int(2), wrongValue('autocommit', '2')],
    ['autocommit', int(-1), wrongValue('autocommit', '-1')],
    ['autocommit', str('1'), wrongValue('autocommit', '1')],
    ['autocommit', str('true'), wrongValue('autocommit', 'true')],
    ['autocommit', NULL, wrongValue('autocommit', 'NULL')],
    ['wait_timeout', int(0), 1],
    ['wait_timeout', int(10n ** 30n), 31536000],
    ['sql_select_limit', int(2n ** 64n - 1n), 2n ** 64n - 1n],
    ['transaction_isolation', int(3), 'SERIALIZABLE'],
    ['transaction_isolation', str('read-committed'), 'READ-COMMITTED'],
    ['transaction_isolation', int(4), wrongValue('transaction_isolation', '4')],
    ['sql_mode', str(''), ''],
    ['sql_mode', int(0), ''],
    ['sql_mode', NULL, wrongValue('sql_mode', 'NULL')],
    ['init_connect', str('x'), 'x'],
    ['init_connect', NULL, wrongValue('init_connect', 'NULL')],
    ['session_track_system_variables', NULL, null],
    ['character_set_client', str('UTF8'), 'utf8mb3'],
    ['character_set_client', int(45), 'utf8mb4'],
    ['character_set_client', NULL, wrongValue('character_set_client', 'NULL')],
    ['character_set_results', NULL, null],
    ['character_set_results', str('binary'), 'binary'],
    ['character_set_connection', str('utf8mb4'), 'utf8mb4_0900_ai_ci'],
    ['character_set_connection', int(224), 'utf8mb4_unicode_ci'],
    ['character_set_client', str('latin1'), wrongValue('character_set_client', 'latin1')],
    ['character_set_client', str('nope'), { error: formatError(ER.UNKNOWN_CHARACTER_SET, 'nope') }],
    ['collation_connection', str('utf8_general_ci'), 'utf8mb3_general_ci'],
    ['collation_connection', str('UTF8MB4_BIN'), 'utf8mb4_bin'],
    ['collation_connection', int(255), 'utf8mb4_0900_ai_ci'],
    [
      'collation_connection',
      str('latin1_swedish_ci'),
      wrongValue('collation_connection', 'latin1_swedish_ci'),
    ],
    ['collation_connection', str('nope'), { error: formatError(ER.UNKNOWN_COLLATION, 'nope') }],
    ['collation_connection', int(9999), { error: formatError(ER.UNKNOWN_COLLATION, '9999') }],
    ['time_zone', str('+5:30'), '+05:30'],
    ['time_zone', NULL, wrongValue('time_zone', 'NULL')],
    ['time_zone', str('x'), { error: formatError(ER.UNKNOWN_TIME_ZONE, 'x') }],
    ['lc_time_names', str('EN_us'), 'en_US'],
    ['lc_time_names', str('fr_FR'), wrongValue('lc_time_names', 'fr_FR')],
  ])('%s = %p', (name, operand, expected) => {
    const d = definition(name);
    expect(typeError(d, operand)).toBeNull();
    const checked = checkValue(d, operand);
    expect(checked).toEqual(
      typeof expected === 'object' && expected !== null && 'error' in expected
        ? expected
        : { value: expected },
    );
  });

  it.each<[string, Operand]>([
    ['wait_timeout', str('10')],
    ['wait_timeout', NULL],
    ['wait_timeout', REAL],
    ['autocommit', REAL],
    ['sql_mode', REAL],
    ['init_connect', int(1)],
    ['time_zone', int(1)],
    ['character_set_client', REAL],
  ])('%s refuses %p by its type (ERR 1232)', (name, operand) => {
    expect(typeError(definition(name), operand)).toEqual(formatError(ER.WRONG_TYPE_FOR_VAR, name));
  });
});

describe('sql_mode', () => {
  it('reads names in any case, ignoring empty ones and trailing blanks, in bit order', () => {
    expect(sqlModeFromText('no_zero_date, ')).toEqual({ mode: 'NO_ZERO_DATE' });
    expect(sqlModeFromText('NO_ZERO_DATE,,strict_trans_tables  ')).toEqual({
      mode: 'STRICT_TRANS_TABLES,NO_ZERO_DATE',
    });
    expect(sqlModeFromText(' NO_ZERO_DATE')).toEqual({ bad: ' NO_ZERO_DATE' });
    expect(sqlModeFromText(DEFAULT_SQL_MODE)).toEqual({ mode: DEFAULT_SQL_MODE });
  });

  it('expands TRADITIONAL as MySQL 8 does, and refuses what it removed', () => {
    expect(sqlModeFromText('TRADITIONAL')).toEqual({
      mode: 'STRICT_TRANS_TABLES,STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,TRADITIONAL,NO_ENGINE_SUBSTITUTION',
    });
    expect(sqlModeFromText('NO_AUTO_CREATE_USER')).toEqual({ bad: 'NO_AUTO_CREATE_USER' });
    expect(sqlModeFromText('POSTGRESQL')).toEqual({ bad: 'POSTGRESQL' });
  });

  it('refuses the modes that would change how statements are read, naming them as written', () => {
    for (const mode of [
      'NO_BACKSLASH_ESCAPES',
      'ansi_quotes',
      'PIPES_AS_CONCAT',
      'HIGH_NOT_PRECEDENCE',
      'Ansi',
    ]) {
      expect(sqlModeFromText(`STRICT_TRANS_TABLES,${mode}`)).toEqual({ bad: mode });
    }
  });

  it('reads a bit mask, refusing unknown bits', () => {
    expect(sqlModeFromNumber(1n | 8n)).toEqual({ mode: 'REAL_AS_FLOAT,IGNORE_SPACE' });
    expect(sqlModeFromNumber(256n)).toEqual({ bad: '256' });
    expect(sqlModeFromNumber(2n)).toEqual({ bad: '2' });
    expect(sqlModeFromNumber(-1n)).toEqual({ bad: '-1' });
  });

  it('property: what it stores reads back as itself', () => {
    const names = fc.subarray([
      'REAL_AS_FLOAT',
      'IGNORE_SPACE',
      'ONLY_FULL_GROUP_BY',
      'NO_UNSIGNED_SUBTRACTION',
      'NO_AUTO_VALUE_ON_ZERO',
      'STRICT_TRANS_TABLES',
      'NO_ZERO_DATE',
      'TRADITIONAL',
      'TIME_TRUNCATE_FRACTIONAL',
    ]);
    fc.assert(
      fc.property(names, (list) => {
        const first = sqlModeFromText(list.join(','));
        if (!('mode' in first)) throw new Error('refused');
        expect(sqlModeFromText(first.mode)).toEqual(first);
      }),
    );
  });
});

describe('time_zone', () => {
  it.each<[string, string | null]>([
    ['SYSTEM', 'SYSTEM'],
    ['system', 'SYSTEM'],
    ['+00:00', '+00:00'],
    ['-0:00', '+00:00'],
    ['+1:5', '+01:05'],
    ['+001:00', '+01:00'],
    ['-13:59', '-13:59'],
    ['+14:00', '+14:00'],
    ['-14:00', null],
    ['+14:01', null],
    ['+10:60', null],
    ['+10', null],
    ['10:00', null],
    ['+10:00:00', null],
    ['Europe/Paris', 'Europe/Paris'],
    ['UTC', 'UTC'],
    ['Nowhere/Land', null],
    ['', null],
  ])('%j → %j', (text, expected) => {
    expect(timeZoneValue(text)).toBe(expected);
  });
});

describe('character sets and collations', () => {
  it('knows MySQL’s character sets, and takes only those the server speaks', () => {
    expect(lookupCharset('UTF8MB4')).toEqual({ ok: 'utf8mb4' });
    expect(lookupCharset('utf8')).toEqual({ ok: 'utf8mb3' });
    expect(lookupCharset('Binary')).toEqual({ ok: 'binary' });
    expect(lookupCharset('latin1')).toEqual({ refused: true });
    expect(lookupCharset('ucs2')).toEqual({ refused: true });
    expect(lookupCharset('klingon')).toEqual({ unknown: true });
    expect(lookupCollation('utf8mb4_de_pb_0900_ai_ci')).toEqual({ ok: 'utf8mb4_de_pb_0900_ai_ci' });
    expect(lookupCollation('latin1_bin')).toEqual({ refused: true });
    expect(lookupCollation('utf8mb4_klingon_ci')).toEqual({ unknown: true });
    expect(charsetOf('utf8mb3_unicode_ci')).toBe('utf8mb3');
    expect(charsetOf('binary')).toBe('binary');
  });
});

type SetStatement = Extract<Statement, { kind: 'set' }>;

/** A session as runSet sees one, with real variable stores. */
function session(): SetSession & { userVariables: SessionVariables } {
  const userVariables = new SessionVariables(4, 1024);
  return {
    systemVariables: new SessionSystemVariables(GLOBALS),
    userVariables,
    inTransaction: false,
    assignUserVariables: (a) =>
      userVariables.assign(a) ? null : formatError(ER.USER_VARIABLES_LIMIT, 4, 1024),
    database: 'rpc',
    user: 'u',
    host: '127.0.0.1',
    account: { name: 'u@%' },
    connectionId: 7,
    lastInsertId: 0,
    maxPacketSize: 1 << 20,
    services: { settings: { serverVersion: '8.0.36-test', encode: { utc: true } } },
  };
}

function run(s: SetSession & { userVariables: SessionVariables }, sql: string) {
  const statement = parseStatement(sql, s.userVariables);
  if (statement.kind !== 'set') throw new Error('not a SET');
  return runSet(s, statement as SetStatement);
}

describe('runSet', () => {
  it('assigns user variables in statement order, computed ones at their places', () => {
    const s = session();
    expect(run(s, 'SET @a = 1, @a = @a + 10, @b = @a, @a = 3')).toBeNull();
    // Every value is read before any is assigned: @a + 10 and @b read the old @a (NULL).
    expect([s.userVariables.get('a'), s.userVariables.get('b')]).toEqual([3, null]);
    expect(run(s, 'SET @a = @a * 2, @a = 100, @c = CONCAT(@a, "x")')).toBeNull();
    expect([s.userVariables.get('a'), s.userVariables.get('c')]).toEqual([100, '3x']);
  });

  it('assigns nothing when the user variable limit refuses the SET', () => {
    const s = session();
    expect(run(s, 'SET @a = 1, @b = 2, @c = 3, @d = 4')).toBeNull();
    expect(run(s, 'SET wait_timeout = 5, @e = 1')).toEqual(
      formatError(ER.USER_VARIABLES_LIMIT, 4, 1024),
    );
    expect(s.systemVariables.read('wait_timeout', null)).toBe(28800);
  });

  it('reports the first unknown name before any other error, as MySQL’s parser would', () => {
    const s = session();
    expect(run(s, "SET wait_timeout = 'x', NAMES klingon, nope = 1")).toEqual(
      formatError(ER.UNKNOWN_CHARACTER_SET, 'klingon'),
    );
    expect(run(s, "SET wait_timeout = 'x', nope = 1")).toEqual(
      formatError(ER.UNKNOWN_SYSTEM_VARIABLE, 'nope'),
    );
  });

  it('commits an open transaction when autocommit goes from off to on', () => {
    const s = session();
    expect(run(s, 'SET autocommit = 0')).toBeNull();
    s.inTransaction = true;
    expect(run(s, 'SET autocommit = 1')).toBeNull();
    expect([s.inTransaction, s.systemVariables.autocommit]).toEqual([false, true]);
    s.inTransaction = true;
    expect(run(s, 'SET autocommit = 1')).toBeNull();
    expect(s.inTransaction).toBe(true);
  });

  it('restores the global value for DEFAULT, and the compiled one for a session-only variable', () => {
    const s = session();
    expect(
      run(s, 'SET insert_id = 5, character_set_connection = utf8mb3, wait_timeout = 9'),
    ).toBeNull();
    expect(
      run(s, 'SET insert_id = DEFAULT, character_set_connection = DEFAULT, wait_timeout = DEFAULT'),
    ).toBeNull();
    const v = s.systemVariables;
    expect([
      v.read('insert_id', null),
      v.read('collation_connection', null),
      v.read('wait_timeout', null),
    ]).toEqual([0, 'utf8mb4_general_ci', 28800]);
  });

  it('sets NAMES DEFAULT and CHARACTER SET DEFAULT from the global character_set_client', () => {
    const s = session();
    expect(run(s, 'SET NAMES utf8mb3')).toBeNull();
    expect(run(s, 'SET NAMES DEFAULT')).toBeNull();
    expect(s.systemVariables.read('collation_connection', null)).toBe('utf8mb4_0900_ai_ci');
    expect(run(s, 'SET CHARSET utf8mb3, CHARACTER SET DEFAULT')).toBeNull();
    expect(s.systemVariables.read('character_set_results', null)).toBe('utf8mb4');
  });

  it('takes SET @@x of a transaction characteristic as the next transaction’s, and refuses it inside one', () => {
    const s = session();
    expect(run(s, "SET @@transaction_isolation = 'SERIALIZABLE', @@tx_read_only = 1")).toBeNull();
    expect(s.systemVariables.read('transaction_isolation', null)).toBe('REPEATABLE-READ');
    expect(run(s, "SET @@transaction_isolation = 'nope'")).toEqual(
      formatError(ER.WRONG_VALUE_FOR_VAR, 'transaction_isolation', 'nope'),
    );
    s.inTransaction = true;
    expect(run(s, 'SET @@tx_read_only = 1')).toEqual(
      formatError(ER.CANT_CHANGE_TX_CHARACTERISTICS),
    );
    expect(run(s, 'SET tx_read_only = 1, SESSION transaction_isolation = 0')).toBeNull();
    expect(s.systemVariables.read('transaction_isolation', null)).toBe('READ-UNCOMMITTED');
  });

  it('refuses @@session.x of a global-only variable in a value with ERR 1238', () => {
    const s = session();
    expect(run(s, 'SET @a = @@session.max_connections')).toEqual(
      formatError(ER.INCORRECT_GLOBAL_LOCAL_VAR, 'max_connections', 'GLOBAL'),
    );
    expect(run(s, 'SET @a = @@max_connections, @b = @@global.wait_timeout')).toBeNull();
    expect([s.userVariables.get('a'), s.userVariables.get('b')]).toEqual([151, 28800]);
  });

  it('runs a SET parsed on the worker thread, whose bytes come back as Uint8Array', () => {
    const s = session();
    const parsed = parseStatement("SET autocommit = X'4f6646', @b = CONCAT(0x41, 'b'), @c = 1");
    const cloned = structuredClone(parsed) as SetStatement;
    expect(runSet(s, cloned)).toBeNull();
    // CONCAT with bytes is a binary string, as in MySQL.
    expect([s.systemVariables.autocommit, s.userVariables.get('b')]).toEqual([
      false,
      Buffer.from('Ab'),
    ]);
  });

  it('keeps a bare name and bytes as text, and shows bytes in messages as MySQL does', () => {
    const s = session();
    expect(run(s, "SET autocommit = X'4f6646', time_zone = _binary'+01:00'")).toBeNull();
    expect(s.systemVariables.read('autocommit', null)).toBe(0);
    expect(s.systemVariables.read('time_zone', null)).toBe('+01:00');
    expect(run(s, "SET autocommit = X'01ff'")).toEqual(
      formatError(ER.WRONG_VALUE_FOR_VAR, 'autocommit', '\\x01\\xFF'),
    );
  });
});
