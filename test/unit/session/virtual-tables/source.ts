import type {
  CatalogParameter,
  CatalogProcedure,
} from '../../../../lib/session/procedure-catalog.js';
import type { ProcessRow } from '../../../../lib/session/process-list.js';
import type { IntrospectionSource } from '../../../../lib/session/virtual-tables/introspection-source.js';
import type { SqlValue } from '../../../../lib/sql/index.js';

const int = (position: number, name: string, mode: CatalogParameter['mode']): CatalogParameter => ({
  position,
  name,
  mode,
  dataType: 'int',
  dtdIdentifier: 'int',
  characterMaximumLength: null,
  characterOctetLength: null,
  numericPrecision: 10,
  numericScale: 0,
  datetimePrecision: null,
  characterSetName: null,
  collationName: null,
  column: { name, type: 3, charset: 63, length: 11, flags: 0, decimals: 0 },
});

const CREATED = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));

/** A procedure of the catalog, with defaults. */
export function procedure(name: string, extra: Partial<CatalogProcedure> = {}): CatalogProcedure {
  return {
    schema: 'rpc',
    name,
    params: null,
    columns: null,
    comment: '',
    event: false,
    public: false,
    created: CREATED,
    ...extra,
  };
}

/** Procedures of every shape: no signature, a signature, a comment, an event, odd names. */
export const PROCEDURES: CatalogProcedure[] = [
  procedure('add', {
    params: [
      int(1, 'a', 'IN'),
      int(2, 'b', 'IN'),
      { ...int(3, 's', 'OUT'), dataType: 'bigint', dtdIdentifier: 'bigint', numericPrecision: 19 },
    ],
    comment: "sums 'em",
  }),
  procedure('audit', { event: true }),
  procedure('free'),
  procedure('odd name', { params: [int(1, 'select', 'INOUT'), int(2, 'my arg', 'IN')] }),
];

const VARIABLES: Record<string, SqlValue> = {
  sql_mode: 'STRICT_TRANS_TABLES',
  character_set_client: 'utf8mb4',
  collation_connection: 'utf8mb4_general_ci',
  character_set_database: 'utf8mb4',
  collation_database: 'utf8mb4_general_ci',
  license: 'MIT',
  lower_case_table_names: 0,
  version_comment: 'x',
};

const STATUS: ReadonlyArray<readonly [string, SqlValue]> = [
  ['Bytes_received', 120],
  ['Ssl_cipher', ''],
  ['Uptime', 42n],
];

/** Two connections: the viewer running a statement, and another idle one. */
export const PROCESSES: readonly ProcessRow[] = [
  {
    id: 3,
    user: 'u',
    host: '127.0.0.1:50000',
    db: 'rpc',
    command: 'Query',
    time: 0,
    state: 'executing',
    info: 'SELECT * FROM information_schema.PROCESSLIST',
  },
  {
    id: 9,
    user: 'u',
    host: '127.0.0.1:50002',
    db: null,
    command: 'Sleep',
    time: 12,
    state: '',
    info: null,
  },
];

/** A session's view for the tables, over PROCEDURES. */
export function source(overrides: Partial<IntrospectionSource> = {}): IntrospectionSource {
  return {
    database: 'rpc',
    currentDatabase: 'rpc',
    procedures: () => PROCEDURES,
    variables: {
      read: (name) => (Object.hasOwn(VARIABLES, name) ? VARIABLES[name] : undefined),
      readError: () => null,
      list: () => Object.entries(VARIABLES).sort(([a], [b]) => (a < b ? -1 : 1)),
    },
    status: () => STATUS,
    processes: () => PROCESSES,
    authPlugins: ['caching_sha2_password', 'mysql_native_password'],
    utc: true,
    ...overrides,
  };
}
