import { DEFAULT_SQL_MODE } from './sql-mode.js';

/** A variable's value as the server keeps it: booleans as 0/1, sets and enums by name. */
export type StoredValue = number | bigint | string | null;

/** What values a variable takes, and how they are checked. */
export type VariableType =
  /** ON/OFF or 1/0; read as 1/0 by `SELECT @@x`, shown ON/OFF by SHOW VARIABLES. */
  | { readonly kind: 'bool' }
  /** An integer; out-of-range values are clamped, as MySQL does (with a warning). */
  | { readonly kind: 'int'; readonly min: bigint; readonly max: bigint }
  /** One of `values` (any letter case), or its index. */
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  /** sql_mode. */
  | { readonly kind: 'sql-mode' }
  | { readonly kind: 'string'; readonly nullable: boolean }
  /** A character set name, or a collation id. */
  | { readonly kind: 'charset'; readonly nullable: boolean }
  /** A collation name or id. */
  | { readonly kind: 'collation' }
  | { readonly kind: 'time-zone' };

/** One system variable. */
export interface VariableDefinition {
  /** Its name, lower case. */
  readonly name: string;
  readonly type: VariableType;
  /** Where it exists: a global value, a session value, or both (the session's starts as the global one). */
  readonly scope: 'global' | 'session' | 'both';
  /** `session`: only SET GLOBAL may change it (ERR 1621), as max_allowed_packet. */
  readonly readOnly: boolean | 'session';
  /**
   * Where its value lives: its own name, another variable's for an alias
   * (tx_isolation), or the collation a `character_set_*` variable is the
   * character set of (character_set_connection of collation_connection).
   */
  readonly storage: string;
  /** The storage holds a collation, which this variable reads as its character set. */
  readonly charsetView: boolean;
  /** The compiled-in value, where the server's options give none. */
  readonly value: StoredValue;
}

const U32 = 4294967295n;
const U64 = 18446744073709551615n;
/** One year in seconds: MySQL's bound for its timeouts. */
const YEAR = 31536000n;

const BOOL: VariableType = { kind: 'bool' };
const int = (min: bigint, max: bigint): VariableType => ({ kind: 'int', min, max });
const enumOf = (...values: string[]): VariableType => ({ kind: 'enum', values });
const STRING: VariableType = { kind: 'string', nullable: false };

type Options = Partial<Pick<VariableDefinition, 'scope' | 'readOnly' | 'storage'>> & {
  view?: string;
};

const definitions: VariableDefinition[] = [];

function define(name: string, type: VariableType, value: StoredValue, o: Options = {}): void {
  definitions.push({
    name,
    type,
    scope: o.scope ?? 'both',
    readOnly: o.readOnly ?? false,
    storage: o.view ?? o.storage ?? name,
    charsetView: o.view !== undefined,
    value,
  });
}

const GLOBAL = { scope: 'global' } as const;
// Read-only: the server's options decide them, and a SET GLOBAL that answered
// OK without acting would mislead (require_secure_transport above all).
const FIXED = { scope: 'global', readOnly: true } as const;

// What drivers, pools and tools read on connect (Connector/J's start-up SELECT,
// MariaDB Connector/J, go-sql-driver, the mysql CLI, GUI tools), with MySQL 8.0's
// defaults, scopes and ranges; the values the server's options decide are set in
// globalValues.
define('auto_increment_increment', int(1n, 65535n), 1);
define('auto_increment_offset', int(1n, 65535n), 1);
define('autocommit', BOOL, 1);
define('big_tables', BOOL, 0);
define('character_set_client', { kind: 'charset', nullable: false }, 'utf8mb4');
define('character_set_connection', { kind: 'charset', nullable: false }, null, {
  view: 'collation_connection',
});
define('character_set_database', { kind: 'charset', nullable: false }, null, {
  view: 'collation_database',
});
define('character_set_results', { kind: 'charset', nullable: true }, 'utf8mb4');
define('character_set_server', { kind: 'charset', nullable: false }, null, {
  view: 'collation_server',
});
define('character_set_system', STRING, 'utf8mb3', FIXED);
// utf8mb4_general_ci, as the greeting announces (collation 45).
define('collation_connection', { kind: 'collation' }, 'utf8mb4_general_ci');
define('collation_database', { kind: 'collation' }, 'utf8mb4_general_ci');
define('collation_server', { kind: 'collation' }, 'utf8mb4_general_ci');
define('connect_timeout', int(2n, YEAR), 10, GLOBAL);
define('cte_max_recursion_depth', int(0n, U32), 1000);
define('default_authentication_plugin', STRING, 'caching_sha2_password', FIXED);
define(
  'default_storage_engine',
  enumOf('InnoDB', 'MyISAM', 'MEMORY', 'CSV', 'ARCHIVE', 'BLACKHOLE', 'MRG_MYISAM'),
  'InnoDB',
);
define('default_week_format', int(0n, 7n), 0);
define('div_precision_increment', int(0n, 30n), 4);
define('event_scheduler', enumOf('OFF', 'ON', 'DISABLED'), 'DISABLED', FIXED);
define('explicit_defaults_for_timestamp', BOOL, 1);
define('foreign_key_checks', BOOL, 1);
define('group_concat_max_len', int(4n, U64), 1024);
// The per-call log (user, host, procedure, duration, outcome), as MySQL's general query log.
define('general_log', BOOL, 0, GLOBAL);
define('have_openssl', STRING, 'DISABLED', FIXED);
define('have_ssl', STRING, 'DISABLED', FIXED);
define('hostname', STRING, 'localhost', FIXED);
define('information_schema_stats_expiry', int(0n, YEAR), 86400);
define('init_connect', STRING, '', FIXED);
define('innodb_lock_wait_timeout', int(1n, 1073741824n), 50);
define('innodb_read_only', BOOL, 0, FIXED);
define('insert_id', int(0n, U64), 0, { scope: 'session' });
define('interactive_timeout', int(1n, YEAR), 28800);
define('lc_time_names', enumOf('en_US'), 'en_US');
define('license', STRING, 'MIT', FIXED);
define('local_infile', BOOL, 0, FIXED);
define('lock_wait_timeout', int(1n, YEAR), 31536000);
define('log_bin', BOOL, 0, FIXED);
define('lower_case_file_system', BOOL, 0, FIXED);
define('lower_case_table_names', int(0n, 2n), 0, FIXED);
define('max_allowed_packet', int(1024n, 1073741824n), 64 * 1024 * 1024, { readOnly: 'session' });
define('max_connections', int(1n, 100000n), 151, GLOBAL);
define('max_error_count', int(0n, 65535n), 1024);
define('max_execution_time', int(0n, U32), 0);
define('max_prepared_stmt_count', int(0n, 4194304n), 16382, GLOBAL);
define('max_user_connections', int(0n, U32), 0, GLOBAL);
define('net_buffer_length', int(1024n, 1048576n), 16384, { readOnly: 'session' });
define('net_read_timeout', int(1n, YEAR), 30);
define('net_write_timeout', int(1n, YEAR), 60);
define('performance_schema', BOOL, 0, FIXED);
define('port', int(0n, 65535n), 3306, FIXED);
define('protocol_version', int(0n, U32), 10, FIXED);
// Gone from MySQL 8.0, but Connector/J before 8.0.3 and 5.1 read them: 0 and OFF, as a server without a cache.
define('query_cache_size', int(0n, U64), 0, FIXED);
define('query_cache_type', enumOf('OFF', 'ON', 'DEMAND'), 'OFF', FIXED);
define('read_only', BOOL, 0, FIXED);
// This server's own limits, named as MySQL would: calls running at once
// across connections (0: no cap), and close()'s grace period in ms.
define('rpc_max_calls_in_flight', int(0n, U32), 0, GLOBAL);
define('rpc_shutdown_grace_period', int(0n, U32), 10000, GLOBAL);
define('require_secure_transport', BOOL, 0, FIXED);
define('session_track_gtids', enumOf('OFF', 'OWN_GTID', 'ALL_GTIDS'), 'OFF');
define('session_track_schema', BOOL, 1);
define('session_track_state_change', BOOL, 0);
define(
  'session_track_system_variables',
  { kind: 'string', nullable: true },
  'time_zone,autocommit,character_set_client,character_set_results,character_set_connection',
);
define('session_track_transaction_info', enumOf('OFF', 'STATE', 'CHARACTERISTICS'), 'OFF');
define('sql_auto_is_null', BOOL, 0);
define('sql_big_selects', BOOL, 1);
define('sql_buffer_result', BOOL, 0);
define('sql_mode', { kind: 'sql-mode' }, DEFAULT_SQL_MODE);
define('sql_notes', BOOL, 1);
define('sql_quote_show_create', BOOL, 1);
define('sql_safe_updates', BOOL, 0);
define('sql_select_limit', int(0n, U64), U64);
define('sql_warnings', BOOL, 0);
define('super_read_only', BOOL, 0, FIXED);
define('system_time_zone', STRING, 'UTC', FIXED);
define('time_zone', { kind: 'time-zone' }, 'SYSTEM');
define(
  'transaction_isolation',
  enumOf('READ-UNCOMMITTED', 'READ-COMMITTED', 'REPEATABLE-READ', 'SERIALIZABLE'),
  'REPEATABLE-READ',
);
define('transaction_read_only', BOOL, 0);
// Removed in MySQL 8.0.3, still read by older drivers (and MariaDB's names): the same values.
define(
  'tx_isolation',
  enumOf('READ-UNCOMMITTED', 'READ-COMMITTED', 'REPEATABLE-READ', 'SERIALIZABLE'),
  null,
  { storage: 'transaction_isolation' },
);
define('tx_read_only', BOOL, null, { storage: 'transaction_read_only' });
define('unique_checks', BOOL, 1);
define('version', STRING, '', FIXED);
define('version_comment', STRING, '', FIXED);
define('version_compile_machine', STRING, 'x86_64', FIXED);
define('version_compile_os', STRING, 'Linux', FIXED);
define('wait_timeout', int(1n, YEAR), 28800);

/** Every system variable the server has, by name. */
export const VARIABLES: ReadonlyMap<string, VariableDefinition> = new Map(
  definitions.map((d) => [d.name, d]),
);

/** Variable names in the order SHOW VARIABLES lists them. */
export const VARIABLE_NAMES: readonly string[] = [...VARIABLES.keys()].sort();

/** The transaction characteristics, for which `SET @@x` means the next transaction only. */
export const TRANSACTION_STORAGE: ReadonlySet<string> = new Set([
  'transaction_isolation',
  'transaction_read_only',
]);
