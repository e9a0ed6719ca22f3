import type { Expr, Value } from '../../sql/expression/index.js';
import type { ColumnSpec, ShowStatement, VirtualTable } from '../../sql/query/index.js';
import { ER, formatError } from '../../protocol/errors.js';
import { SessionRefusal } from '../session-refusal.js';
import { CHARACTER_SETS } from './character-sets.js';
import { datetime, integer, text, varchar } from './column-specs.js';
import {
  INFORMATION_SCHEMA,
  SCHEMA_TABLES,
  schemaTable,
  type SchemaTable,
} from './information-schema.js';
import type { IntrospectionSource } from './introspection-source.js';
import { createProcedureText, procedureStatusRows, routineSettings } from './routines.js';
import { collationRows, pluginRows, tableRows } from './schema-rows.js';

/** What a SHOW returns before its LIKE / WHERE: a table, and the column LIKE applies to (the first). */
export interface ShowResult {
  readonly table: VirtualTable;
  /** SHOW DATABASES and SHOW TABLES name their first column after a LIKE's pattern: `Database (a%)`. */
  readonly likeTitle: ((pattern: string) => string) | null;
  /** The column a LIKE pattern matches, when it is not the first (SHOW PROCEDURE STATUS: Name). */
  readonly likeColumn?: string;
}

const NAME = 64;

function result(name: string, columns: readonly ColumnSpec[], rows: () => Value[][]): ShowResult {
  return { table: { schema: INFORMATION_SCHEMA, name, columns, rows }, likeTitle: null };
}

const isSchemaName = (name: string): boolean => name.toLowerCase() === INFORMATION_SCHEMA;

/** The database a SHOW means: the one named, else the current one; checked to exist. */
function database(named: string | null, source: IntrospectionSource): string {
  const name = named ?? source.currentDatabase;
  if (name === null) throw new SessionRefusal(formatError(ER.NO_DB_ERROR));
  if (isSchemaName(name)) return INFORMATION_SCHEMA;
  if (name !== source.database) throw new SessionRefusal(formatError(ER.BAD_DB, name));
  return name;
}

/** The table a SHOW COLUMNS / INDEX / CREATE TABLE names: only information_schema's exist. */
function table(schema: string | null, name: string, source: IntrospectionSource): SchemaTable {
  const db = schema ?? source.currentDatabase;
  if (db === null) throw new SessionRefusal(formatError(ER.NO_DB_ERROR));
  const found = isSchemaName(db) ? schemaTable(name) : undefined;
  if (found === undefined) throw new SessionRefusal(formatError(ER.NO_SUCH_TABLE, db, name));
  return found;
}

/** The value of a system or status variable as SHOW VARIABLES / STATUS print it (NULL as ''). */
function variableValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'boolean') return value ? 'ON' : 'OFF';
  return String(value);
}

/** SHOW VARIABLES' and SHOW STATUS' columns, as MySQL 8's performance_schema tables have them. */
const NAME_VALUE_COLUMNS: readonly ColumnSpec[] = [
  varchar('Variable_name', NAME),
  varchar('Value', 1024),
];

const STATUS_COLUMNS: readonly ColumnSpec[] = [
  varchar('Name', NAME, { bin: true }),
  varchar('Engine', NAME, { nullable: true }),
  integer('Version', 'int', { nullable: true }),
  varchar('Row_format', 10, { nullable: true }),
  integer('Rows', 'bigint unsigned', { nullable: true }),
  integer('Avg_row_length', 'bigint unsigned', { nullable: true }),
  integer('Data_length', 'bigint unsigned', { nullable: true }),
  integer('Max_data_length', 'bigint unsigned', { nullable: true }),
  integer('Index_length', 'bigint unsigned', { nullable: true }),
  integer('Data_free', 'bigint unsigned', { nullable: true }),
  integer('Auto_increment', 'bigint unsigned', { nullable: true }),
  datetime('Create_time', 'timestamp', { nullable: true }),
  datetime('Update_time', 'datetime', { nullable: true }),
  datetime('Check_time', 'datetime', { nullable: true }),
  varchar('Collation', NAME, { nullable: true }),
  integer('Checksum', 'bigint', { nullable: true }),
  varchar('Create_options', 256, { nullable: true }),
  text('Comment', 'text', { nullable: true }),
];

const ROUTINE_STATUS_COLUMNS: readonly ColumnSpec[] = [
  varchar('Db', NAME, { bin: true }),
  varchar('Name', NAME),
  varchar('Type', 9),
  varchar('Definer', 288),
  datetime('Modified', 'timestamp'),
  datetime('Created', 'timestamp'),
  varchar('Security_type', 7),
  text('Comment', 'text'),
  varchar('character_set_client', 32),
  varchar('collation_connection', NAME),
  varchar('Database Collation', NAME),
];

/**
 * The table a SHOW lists, for one session: its columns as MySQL 8 names them and its rows
 * in MySQL's order. Throws SessionRefusal for an unknown database (1049), none selected (1046),
 * a table that does not exist (1146), a routine the account may not see (1305) or a status
 * scope it may not see (what IntrospectionSource.status refuses).
 */
export function showResult(show: ShowStatement, source: IntrospectionSource): ShowResult {
  switch (show.what) {
    case 'variables':
      return result('VARIABLES', NAME_VALUE_COLUMNS, () =>
        source.variables.list(show.scope).map(([name, value]) => [name, variableValue(value)]),
      );
    case 'status': {
      // Read now, so that a refused scope fails before the WHERE is looked at, as MySQL checks first.
      const rows = source.status(show.scope).map(([name, value]) => [name, variableValue(value)]);
      return result('STATUS', NAME_VALUE_COLUMNS, () => rows);
    }
    case 'collation':
      return result(
        'COLLATION',
        [
          varchar('Collation', NAME),
          varchar('Charset', NAME),
          integer('Id', 'bigint unsigned'),
          varchar('Default', 3),
          varchar('Compiled', 3),
          integer('Sortlen', 'int unsigned'),
          varchar('Pad_attribute', 9),
        ],
        collationRows,
      );
    case 'charset':
      return result(
        'CHARACTER_SETS',
        [
          varchar('Charset', NAME),
          varchar('Description', 2048),
          varchar('Default collation', NAME),
          integer('Maxlen', 'int unsigned'),
        ],
        () =>
          CHARACTER_SETS.map((c) => [c.name, c.description, c.defaultCollation, BigInt(c.maxlen)]),
      );
    case 'databases': {
      const r = result('SCHEMATA', [varchar('Database', NAME, { bin: true })], () =>
        [INFORMATION_SCHEMA, source.database].sort().map((name) => [name]),
      );
      return { ...r, likeTitle: (pattern) => `Database (${pattern})` };
    }
    case 'tables':
      return showTables(show.full, database(show.schema, source));
    case 'table-status': {
      const db = database(show.schema, source);
      return result('TABLES', STATUS_COLUMNS, () =>
        db === INFORMATION_SCHEMA
          ? tableRows(source, SCHEMA_TABLES).map((row) => row.slice(2, 3).concat(row.slice(4)))
          : [],
      );
    }
    case 'engines':
      return result(
        'ENGINES',
        [
          varchar('Engine', NAME),
          varchar('Support', 8),
          varchar('Comment', 80),
          varchar('Transactions', 3, { nullable: true }),
          varchar('XA', 3, { nullable: true }),
          varchar('Savepoints', 3, { nullable: true }),
        ],
        () => [],
      );
    case 'plugins':
      return result(
        'PLUGINS',
        [
          varchar('Name', NAME),
          varchar('Status', 10),
          varchar('Type', 80),
          varchar('Library', NAME, { nullable: true }),
          varchar('License', 80, { nullable: true }),
        ],
        () => pluginRows(source).map((r) => [r[0]!, r[2]!, r[3]!, r[5]!, r[9]!]),
      );
    case 'routine-status':
      return {
        ...result('ROUTINES', ROUTINE_STATUS_COLUMNS, () =>
          show.routine === 'PROCEDURE' ? procedureStatusRows(source) : [],
        ),
        likeColumn: 'Name',
      };
    case 'create-routine':
      return showCreateRoutine(show.routine, show.schema, show.name, source);
    case 'create-database':
      return showCreateDatabase(show.name, source);
    case 'columns':
      return showColumns(table(show.schema, show.table, source), show.full);
    case 'index':
      table(show.schema, show.table, source);
      return result('STATISTICS', INDEX_COLUMNS, () => []);
    case 'create-table':
      return showCreateTable(table(show.schema, show.table, source));
  }
}

function showTables(full: boolean, db: string): ShowResult {
  const title = `Tables_in_${db}`;
  const columns = [varchar(title, NAME, { bin: true })];
  if (full) columns.push(varchar('Table_type', 11));
  const rows = (): Value[][] =>
    db === INFORMATION_SCHEMA
      ? SCHEMA_TABLES.map((t) => (full ? [t.name, 'SYSTEM VIEW'] : [t.name]))
      : [];
  return { ...result('TABLES', columns, rows), likeTitle: (pattern) => `${title} (${pattern})` };
}

function showCreateRoutine(
  routine: 'PROCEDURE' | 'FUNCTION',
  schema: string | null,
  name: string,
  source: IntrospectionSource,
): ShowResult {
  const missing = new SessionRefusal(formatError(ER.SP_DOES_NOT_EXIST, routine, name));
  const db = schema ?? source.currentDatabase ?? source.database;
  if (routine === 'FUNCTION' || db !== source.database) throw missing;
  // Only a procedure the account may call: for others MySQL says the same as for none.
  const lower = name.toLowerCase();
  const procedure = source.procedures().find((p) => p.name.toLowerCase() === lower);
  if (procedure === undefined) throw missing;
  const s = routineSettings(source);
  return result(
    'ROUTINES',
    [
      varchar('Procedure', NAME),
      text('sql_mode', 'set'),
      text('Create Procedure', 'longtext', { nullable: true }),
      varchar('character_set_client', 32),
      varchar('collation_connection', NAME),
      varchar('Database Collation', NAME),
    ],
    () => [
      [
        procedure.name,
        s.sqlMode,
        createProcedureText(procedure),
        s.characterSetClient,
        s.collationConnection,
        s.databaseCollation,
      ],
    ],
  );
}

function showCreateDatabase(name: string, source: IntrospectionSource): ShowResult {
  let create: string;
  let db: string;
  if (isSchemaName(name)) {
    db = INFORMATION_SCHEMA;
    create =
      "CREATE DATABASE `information_schema` /*!40100 DEFAULT CHARACTER SET utf8mb3 */ /*!80016 DEFAULT ENCRYPTION='N' */";
  } else if (name === source.database) {
    db = name;
    const charset = source.variables.read('character_set_database', null) ?? 'utf8mb4';
    const collation = source.variables.read('collation_database', null) ?? 'utf8mb4_general_ci';
    create =
      `CREATE DATABASE \`${name.replace(/`/g, '``')}\` /*!40100 DEFAULT CHARACTER SET ${String(charset)} ` +
      `COLLATE ${String(collation)} */ /*!80016 DEFAULT ENCRYPTION='N' */`;
  } else {
    throw new SessionRefusal(formatError(ER.BAD_DB, name));
  }
  return result(
    'SCHEMATA',
    [varchar('Database', NAME), text('Create Database', 'longtext')],
    () => [[db, create]],
  );
}

const INDEX_COLUMNS: readonly ColumnSpec[] = [
  varchar('Table', NAME),
  integer('Non_unique', 'int'),
  varchar('Key_name', NAME),
  integer('Seq_in_index', 'int unsigned'),
  varchar('Column_name', NAME, { nullable: true }),
  varchar('Collation', 1, { nullable: true }),
  integer('Cardinality', 'bigint', { nullable: true }),
  integer('Sub_part', 'bigint', { nullable: true }),
  varchar('Packed', 10, { nullable: true }),
  varchar('Null', 3),
  varchar('Index_type', 11),
  varchar('Comment', 8),
  varchar('Index_comment', 2048),
  varchar('Visible', 3),
  text('Expression', 'longtext', { nullable: true }),
];

function showColumns(t: SchemaTable, full: boolean): ShowResult {
  const columns: ColumnSpec[] = [varchar('Field', NAME), text('Type', 'mediumtext')];
  if (full) columns.push(varchar('Collation', NAME, { nullable: true }));
  columns.push(
    varchar('Null', 3),
    varchar('Key', 3),
    text('Default', 'text', { nullable: true }),
    varchar('Extra', 256),
  );
  if (full) columns.push(varchar('Privileges', 154), text('Comment', 'text'));
  const rows = (): Value[][] =>
    t.columns.map((c) => {
      const character = /^(varchar|enum|text|mediumtext|longtext|set)/.test(c.sqlType);
      const collation = character
        ? c.collation === 'bin'
          ? 'utf8mb3_bin'
          : 'utf8mb3_general_ci'
        : null;
      const nullable = c.nullable ? 'YES' : 'NO';
      return full
        ? [c.name, c.sqlType, collation, nullable, '', null, '', 'select', '']
        : [c.name, c.sqlType, nullable, '', null, ''];
    });
  return { ...result('COLUMNS', columns, rows), likeTitle: null };
}

function showCreateTable(t: SchemaTable): ShowResult {
  const lines = t.columns.map(
    (c) => `  \`${c.name}\` ${c.sqlType}${c.nullable ? ' DEFAULT NULL' : ' NOT NULL'}`,
  );
  const create = `CREATE TEMPORARY TABLE \`${t.name}\` (\n${lines.join(',\n')}\n) ENGINE=MEMORY DEFAULT CHARSET=utf8mb3`;
  return result('TABLES', [varchar('Table', NAME), text('Create Table', 'longtext')], () => [
    [t.name, create],
  ]);
}

/** The WHERE a SHOW's LIKE stands for: `first_column LIKE 'pattern'`. */
export function likeFilter(show: ShowResult, pattern: string): Expr {
  return {
    kind: 'like',
    arg: {
      kind: 'column',
      schema: null,
      table: null,
      name: show.likeColumn ?? show.table.columns[0]!.name,
    },
    pattern: { kind: 'string', value: pattern },
    escape: null,
    not: false,
  };
}
