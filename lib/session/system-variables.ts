import type { SqlValue } from '../sql/index.js';
import type { SystemVariableSource, VariableScope } from './system-variable-source.js';

/** Values the server reports for `SELECT @@name`, given the session. */
export interface VariableContext {
  readonly serverVersion: string;
  readonly versionComment: string;
  readonly maxPacketSize: number;
  readonly autocommit: boolean;
}

type Reader = (c: VariableContext) => SqlValue;

const constant =
  (v: SqlValue): Reader =>
  () =>
    v;

/**
 * The system variables clients and pools read on connect. Values are what
 * a stock MySQL 8 server with utf8mb4 defaults reports, so that drivers
 * make their usual choices.
 */
const VARIABLES: ReadonlyMap<string, Reader> = new Map<string, Reader>([
  ['version', (c) => c.serverVersion],
  ['version_comment', (c) => c.versionComment],
  ['max_allowed_packet', (c) => c.maxPacketSize],
  ['autocommit', (c) => (c.autocommit ? 1 : 0)],
  ['auto_increment_increment', constant(1)],
  ['auto_increment_offset', constant(1)],
  ['character_set_client', constant('utf8mb4')],
  ['character_set_connection', constant('utf8mb4')],
  ['character_set_results', constant('utf8mb4')],
  ['character_set_server', constant('utf8mb4')],
  ['character_set_database', constant('utf8mb4')],
  ['collation_connection', constant('utf8mb4_general_ci')],
  ['collation_server', constant('utf8mb4_general_ci')],
  ['collation_database', constant('utf8mb4_general_ci')],
  ['init_connect', constant('')],
  ['interactive_timeout', constant(28800)],
  ['wait_timeout', constant(28800)],
  ['net_write_timeout', constant(60)],
  ['net_buffer_length', constant(16384)],
  ['license', constant('MIT')],
  ['lower_case_table_names', constant(0)],
  ['performance_schema', constant(0)],
  ['query_cache_size', constant(0)],
  ['query_cache_type', constant('OFF')],
  [
    'sql_mode',
    constant(
      'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION',
    ),
  ],
  ['system_time_zone', constant('UTC')],
  ['time_zone', constant('SYSTEM')],
  ['transaction_isolation', constant('REPEATABLE-READ')],
  ['tx_isolation', constant('REPEATABLE-READ')],
  ['transaction_read_only', constant(0)],
  ['tx_read_only', constant(0)],
  ['session_track_schema', constant(0)],
  ['max_execution_time', constant(0)],
]);

/** The variables of one session, read from the server's settings. */
export class SessionSystemVariables implements SystemVariableSource {
  constructor(private readonly context: VariableContext) {}

  read(name: string, _scope: VariableScope | null): SqlValue | undefined {
    return readSystemVariable(name, this.context);
  }

  list(_scope: VariableScope): ReadonlyArray<readonly [string, SqlValue]> {
    return [...VARIABLES.keys()].sort().map((name) => [name, VARIABLES.get(name)!(this.context)]);
  }
}

/** The variable's value, or undefined when the server has no such variable. */
export function readSystemVariable(name: string, context: VariableContext): SqlValue | undefined {
  const reader = VARIABLES.get(name.toLowerCase());
  return reader ? reader(context) : undefined;
}
