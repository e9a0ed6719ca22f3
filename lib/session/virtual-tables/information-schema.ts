import type { Value } from '../../sql/expression/index.js';
import type { ColumnSpec, VirtualTable } from '../../sql/query/index.js';
import { CHARACTER_SETS } from './character-sets.js';
import { alwaysNull, datetime, enumeration, integer, text, varchar } from './column-specs.js';
import type { IntrospectionSource } from './introspection-source.js';
import { KEYWORDS } from './keywords.js';
import { parameterRows, routineRows } from './routines.js';
import { collationRows, columnRows, pluginRows, schemaRows, tableRows } from './schema-rows.js';

/** The schema name, as MySQL spells it. */
export const INFORMATION_SCHEMA = 'information_schema';

/** A table of information_schema: its columns, and its rows for one session. */
export interface SchemaTable {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  rows(source: IntrospectionSource): Value[][];
}

const NAME = 64;
const none = (): Value[][] => [];
const catalog = (name: string) => varchar(name, NAME);
const schemaName = (name: string, nullable = false) => varchar(name, NAME, { bin: true, nullable });
const nullable = { nullable: true } as const;

const SCHEMATA: SchemaTable = {
  name: 'SCHEMATA',
  columns: [
    catalog('CATALOG_NAME'),
    schemaName('SCHEMA_NAME'),
    varchar('DEFAULT_CHARACTER_SET_NAME', NAME),
    varchar('DEFAULT_COLLATION_NAME', NAME),
    alwaysNull('SQL_PATH'),
    enumeration('DEFAULT_ENCRYPTION', ['NO', 'YES']),
  ],
  rows: schemaRows,
};

const TABLES: SchemaTable = {
  name: 'TABLES',
  columns: [
    catalog('TABLE_CATALOG'),
    schemaName('TABLE_SCHEMA'),
    schemaName('TABLE_NAME'),
    enumeration('TABLE_TYPE', ['BASE TABLE', 'VIEW', 'SYSTEM VIEW']),
    varchar('ENGINE', NAME, nullable),
    integer('VERSION', 'int', nullable),
    enumeration(
      'ROW_FORMAT',
      ['Fixed', 'Dynamic', 'Compressed', 'Redundant', 'Compact', 'Paged'],
      nullable,
    ),
    integer('TABLE_ROWS', 'bigint unsigned', nullable),
    integer('AVG_ROW_LENGTH', 'bigint unsigned', nullable),
    integer('DATA_LENGTH', 'bigint unsigned', nullable),
    integer('MAX_DATA_LENGTH', 'bigint unsigned', nullable),
    integer('INDEX_LENGTH', 'bigint unsigned', nullable),
    integer('DATA_FREE', 'bigint unsigned', nullable),
    integer('AUTO_INCREMENT', 'bigint unsigned', nullable),
    datetime('CREATE_TIME', 'timestamp', nullable),
    datetime('UPDATE_TIME', 'datetime', nullable),
    datetime('CHECK_TIME', 'datetime', nullable),
    varchar('TABLE_COLLATION', NAME, nullable),
    integer('CHECKSUM', 'bigint', nullable),
    varchar('CREATE_OPTIONS', 256, nullable),
    text('TABLE_COMMENT', 'text', nullable),
  ],
  rows: (source) => tableRows(source, SCHEMA_TABLES),
};

const COLUMNS: SchemaTable = {
  name: 'COLUMNS',
  columns: [
    catalog('TABLE_CATALOG'),
    schemaName('TABLE_SCHEMA'),
    schemaName('TABLE_NAME'),
    varchar('COLUMN_NAME', NAME, nullable),
    integer('ORDINAL_POSITION', 'int unsigned'),
    text('COLUMN_DEFAULT', 'text', nullable),
    varchar('IS_NULLABLE', 3),
    text('DATA_TYPE', 'longtext', nullable),
    integer('CHARACTER_MAXIMUM_LENGTH', 'bigint', nullable),
    integer('CHARACTER_OCTET_LENGTH', 'bigint', nullable),
    integer('NUMERIC_PRECISION', 'bigint unsigned', nullable),
    integer('NUMERIC_SCALE', 'bigint unsigned', nullable),
    integer('DATETIME_PRECISION', 'int unsigned', nullable),
    varchar('CHARACTER_SET_NAME', NAME, nullable),
    varchar('COLLATION_NAME', NAME, nullable),
    text('COLUMN_TYPE', 'mediumtext'),
    enumeration('COLUMN_KEY', ['', 'PRI', 'UNI', 'MUL']),
    varchar('EXTRA', 256, nullable),
    varchar('PRIVILEGES', 154, nullable),
    text('COLUMN_COMMENT', 'text'),
    text('GENERATION_EXPRESSION', 'longtext'),
    integer('SRS_ID', 'int unsigned', nullable),
  ],
  rows: () => columnRows(SCHEMA_TABLES),
};

const ROUTINES: SchemaTable = {
  name: 'ROUTINES',
  columns: [
    varchar('SPECIFIC_NAME', NAME),
    catalog('ROUTINE_CATALOG'),
    schemaName('ROUTINE_SCHEMA'),
    varchar('ROUTINE_NAME', NAME),
    enumeration('ROUTINE_TYPE', ['FUNCTION', 'PROCEDURE']),
    text('DATA_TYPE', 'longtext'),
    integer('CHARACTER_MAXIMUM_LENGTH', 'bigint', nullable),
    integer('CHARACTER_OCTET_LENGTH', 'bigint', nullable),
    integer('NUMERIC_PRECISION', 'int unsigned', nullable),
    integer('NUMERIC_SCALE', 'int unsigned', nullable),
    integer('DATETIME_PRECISION', 'int unsigned', nullable),
    varchar('CHARACTER_SET_NAME', NAME, nullable),
    varchar('COLLATION_NAME', NAME, nullable),
    text('DTD_IDENTIFIER', 'longtext', nullable),
    varchar('ROUTINE_BODY', 8),
    text('ROUTINE_DEFINITION', 'longtext', nullable),
    varchar('EXTERNAL_NAME', NAME, nullable),
    varchar('EXTERNAL_LANGUAGE', NAME),
    varchar('PARAMETER_STYLE', 3),
    varchar('IS_DETERMINISTIC', 3),
    enumeration('SQL_DATA_ACCESS', [
      'CONTAINS SQL',
      'NO SQL',
      'READS SQL DATA',
      'MODIFIES SQL DATA',
    ]),
    varchar('SQL_PATH', NAME, nullable),
    enumeration('SECURITY_TYPE', ['DEFAULT', 'INVOKER', 'DEFINER']),
    datetime('CREATED', 'timestamp'),
    datetime('LAST_ALTERED', 'timestamp'),
    text('SQL_MODE', 'set'),
    text('ROUTINE_COMMENT', 'text'),
    varchar('DEFINER', 288),
    varchar('CHARACTER_SET_CLIENT', NAME),
    varchar('COLLATION_CONNECTION', NAME),
    varchar('DATABASE_COLLATION', NAME),
  ],
  rows: routineRows,
};

const PARAMETERS: SchemaTable = {
  name: 'PARAMETERS',
  columns: [
    catalog('SPECIFIC_CATALOG'),
    schemaName('SPECIFIC_SCHEMA'),
    varchar('SPECIFIC_NAME', NAME),
    integer('ORDINAL_POSITION', 'bigint unsigned'),
    varchar('PARAMETER_MODE', 5, nullable),
    varchar('PARAMETER_NAME', NAME, nullable),
    text('DATA_TYPE', 'longtext', nullable),
    integer('CHARACTER_MAXIMUM_LENGTH', 'bigint', nullable),
    integer('CHARACTER_OCTET_LENGTH', 'bigint', nullable),
    integer('NUMERIC_PRECISION', 'int unsigned', nullable),
    integer('NUMERIC_SCALE', 'bigint', nullable),
    integer('DATETIME_PRECISION', 'int unsigned', nullable),
    varchar('CHARACTER_SET_NAME', NAME, nullable),
    varchar('COLLATION_NAME', NAME, nullable),
    text('DTD_IDENTIFIER', 'mediumtext'),
    enumeration('ROUTINE_TYPE', ['FUNCTION', 'PROCEDURE']),
  ],
  rows: parameterRows,
};

const KEYWORDS_TABLE: SchemaTable = {
  name: 'KEYWORDS',
  columns: [varchar('WORD', 128, nullable), integer('RESERVED', 'int', nullable)],
  rows: () => KEYWORDS.map((word) => [word, 1n]),
};

const COLLATIONS: SchemaTable = {
  name: 'COLLATIONS',
  columns: [
    varchar('COLLATION_NAME', NAME),
    varchar('CHARACTER_SET_NAME', NAME),
    integer('ID', 'bigint unsigned'),
    varchar('IS_DEFAULT', 3),
    varchar('IS_COMPILED', 3),
    integer('SORTLEN', 'int unsigned'),
    enumeration('PAD_ATTRIBUTE', ['PAD SPACE', 'NO PAD']),
  ],
  rows: collationRows,
};

const CHARACTER_SETS_TABLE: SchemaTable = {
  name: 'CHARACTER_SETS',
  columns: [
    varchar('CHARACTER_SET_NAME', NAME),
    varchar('DEFAULT_COLLATE_NAME', NAME),
    varchar('DESCRIPTION', 2048),
    integer('MAXLEN', 'int unsigned'),
  ],
  rows: () =>
    CHARACTER_SETS.map((c) => [c.name, c.defaultCollation, c.description, BigInt(c.maxlen)]),
};

/** No storage engine: the server keeps no tables. */
const ENGINES: SchemaTable = {
  name: 'ENGINES',
  columns: [
    varchar('ENGINE', NAME),
    varchar('SUPPORT', 8),
    varchar('COMMENT', 80),
    varchar('TRANSACTIONS', 3, nullable),
    varchar('XA', 3, nullable),
    varchar('SAVEPOINTS', 3, nullable),
  ],
  rows: none,
};

const PLUGINS: SchemaTable = {
  name: 'PLUGINS',
  columns: [
    varchar('PLUGIN_NAME', NAME),
    varchar('PLUGIN_VERSION', 20),
    varchar('PLUGIN_STATUS', 10),
    varchar('PLUGIN_TYPE', 80),
    varchar('PLUGIN_TYPE_VERSION', 20),
    varchar('PLUGIN_LIBRARY', NAME, nullable),
    varchar('PLUGIN_LIBRARY_VERSION', 20, nullable),
    varchar('PLUGIN_AUTHOR', NAME, nullable),
    text('PLUGIN_DESCRIPTION', 'longtext', nullable),
    varchar('PLUGIN_LICENSE', 80, nullable),
    varchar('LOAD_OPTION', NAME),
  ],
  rows: pluginRows,
};

/**
 * The connections, as SHOW FULL PROCESSLIST shows them (Info whole): every one for an
 * admin, the account's own user's for any other, as MySQL without the PROCESS privilege.
 */
const PROCESSLIST: SchemaTable = {
  name: 'PROCESSLIST',
  columns: [
    integer('ID', 'bigint unsigned'),
    varchar('USER', 32),
    varchar('HOST', 261),
    varchar('DB', NAME, nullable),
    varchar('COMMAND', 16),
    integer('TIME', 'int'),
    varchar('STATE', NAME, nullable),
    text('INFO', 'longtext', nullable),
  ],
  rows: (source) =>
    source
      .processes()
      .map((p) => [BigInt(p.id), p.user, p.host, p.db, p.command, BigInt(p.time), p.state, p.info]),
};

/** Tables metadata readers ask for; always empty here, as there are no tables. */
const STATISTICS: SchemaTable = {
  name: 'STATISTICS',
  columns: [
    catalog('TABLE_CATALOG'),
    schemaName('TABLE_SCHEMA'),
    schemaName('TABLE_NAME'),
    integer('NON_UNIQUE', 'int'),
    schemaName('INDEX_SCHEMA'),
    varchar('INDEX_NAME', NAME, nullable),
    integer('SEQ_IN_INDEX', 'int unsigned'),
    varchar('COLUMN_NAME', NAME, nullable),
    varchar('COLLATION', 1, nullable),
    integer('CARDINALITY', 'bigint', nullable),
    integer('SUB_PART', 'bigint', nullable),
    alwaysNull('PACKED'),
    varchar('NULLABLE', 3),
    varchar('INDEX_TYPE', 11),
    varchar('COMMENT', 8),
    varchar('INDEX_COMMENT', 2048),
    varchar('IS_VISIBLE', 3),
    text('EXPRESSION', 'longtext', nullable),
  ],
  rows: none,
};

const VIEWS: SchemaTable = {
  name: 'VIEWS',
  columns: [
    catalog('TABLE_CATALOG'),
    schemaName('TABLE_SCHEMA'),
    schemaName('TABLE_NAME'),
    text('VIEW_DEFINITION', 'longtext', nullable),
    enumeration('CHECK_OPTION', ['NONE', 'LOCAL', 'CASCADED'], nullable),
    enumeration('IS_UPDATABLE', ['NO', 'YES'], nullable),
    varchar('DEFINER', 288, nullable),
    enumeration('SECURITY_TYPE', ['DEFAULT', 'INVOKER', 'DEFINER'], nullable),
    varchar('CHARACTER_SET_CLIENT', NAME),
    varchar('COLLATION_CONNECTION', NAME),
  ],
  rows: none,
};

const TRIGGERS: SchemaTable = {
  name: 'TRIGGERS',
  columns: [
    catalog('TRIGGER_CATALOG'),
    schemaName('TRIGGER_SCHEMA'),
    varchar('TRIGGER_NAME', NAME),
    enumeration('EVENT_MANIPULATION', ['INSERT', 'UPDATE', 'DELETE']),
    catalog('EVENT_OBJECT_CATALOG'),
    schemaName('EVENT_OBJECT_SCHEMA'),
    schemaName('EVENT_OBJECT_TABLE'),
    integer('ACTION_ORDER', 'int unsigned'),
    alwaysNull('ACTION_CONDITION'),
    text('ACTION_STATEMENT', 'longtext'),
    varchar('ACTION_ORIENTATION', 3),
    enumeration('ACTION_TIMING', ['BEFORE', 'AFTER']),
    alwaysNull('ACTION_REFERENCE_OLD_TABLE'),
    alwaysNull('ACTION_REFERENCE_NEW_TABLE'),
    varchar('ACTION_REFERENCE_OLD_ROW', 3),
    varchar('ACTION_REFERENCE_NEW_ROW', 3),
    datetime('CREATED', 'timestamp'),
    text('SQL_MODE', 'set'),
    varchar('DEFINER', 288),
    varchar('CHARACTER_SET_CLIENT', NAME),
    varchar('COLLATION_CONNECTION', NAME),
    varchar('DATABASE_COLLATION', NAME),
  ],
  rows: none,
};

/** The information_schema tables this server has, by name. */
export const SCHEMA_TABLES: readonly SchemaTable[] = [
  CHARACTER_SETS_TABLE,
  COLLATIONS,
  COLUMNS,
  ENGINES,
  KEYWORDS_TABLE,
  PARAMETERS,
  PLUGINS,
  PROCESSLIST,
  ROUTINES,
  SCHEMATA,
  STATISTICS,
  TABLES,
  TRIGGERS,
  VIEWS,
];

const BY_NAME = new Map(SCHEMA_TABLES.map((t) => [t.name.toLowerCase(), t]));

/** The information_schema table of this name (any case), or undefined. */
export function schemaTable(name: string): SchemaTable | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** A table of information_schema as the query engine reads it, for one session. */
export function schemaVirtualTable(table: SchemaTable, source: IntrospectionSource): VirtualTable {
  return {
    schema: INFORMATION_SCHEMA,
    name: table.name,
    columns: table.columns,
    rows: () => table.rows(source),
  };
}
