import type { Value } from '../../sql/expression/index.js';
import { formatTemporal } from '../../sql/expression/functions-session.js';
import type { ColumnSpec } from '../../sql/query/index.js';
import { COLLATIONS_LIST } from './character-sets.js';
import { variableText, type IntrospectionSource } from './introspection-source.js';

/** information_schema's character set and collation, as MySQL 8 reports them. */
const SCHEMA_CHARSET = 'utf8mb3';
const SCHEMA_COLLATION = 'utf8mb3_general_ci';

/** When this module was loaded: the CREATE_TIME of information_schema's views. */
const LOADED = new Date();

/** SCHEMATA's rows: information_schema and the server's database, by name. */
export function schemaRows(source: IntrospectionSource): Value[][] {
  const rows: Value[][] = [
    ['def', 'information_schema', SCHEMA_CHARSET, SCHEMA_COLLATION, null, 'NO'],
    [
      'def',
      source.database,
      variableText(source, 'character_set_database', 'utf8mb4'),
      variableText(source, 'collation_database', 'utf8mb4_general_ci'),
      null,
      'NO',
    ],
  ];
  return rows.sort((a, b) => ((a[1] as string) < (b[1] as string) ? -1 : 1));
}

/** A table of information_schema as TABLES and SHOW TABLES list it. */
export interface ListedTable {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
}

/** TABLES' rows: information_schema's own views; the server's database has no tables. */
export function tableRows(source: IntrospectionSource, tables: readonly ListedTable[]): Value[][] {
  const created = formatTemporal(LOADED, 'DATETIME', 0, source.utc);
  return tables.map((t) => [
    'def',
    'information_schema',
    t.name,
    'SYSTEM VIEW',
    null,
    10n,
    null,
    0n,
    0n,
    0n,
    0n,
    0n,
    0n,
    null,
    created,
    null,
    null,
    null,
    null,
    '',
    'VIEW',
  ]);
}

/** What information_schema.COLUMNS says of a type written as `varchar(64)`, `bigint unsigned`... */
interface TypeFacts {
  dataType: string;
  maxLength: number | null;
  precision: number | null;
  datetimePrecision: number | null;
  character: boolean;
}

const TEXT_LENGTHS: Readonly<Record<string, number>> = {
  text: 65535,
  mediumtext: 16777215,
  longtext: 4294967295,
  set: 1024,
};

function typeFacts(sqlType: string): TypeFacts {
  const dataType = /^[a-z]+/.exec(sqlType)![0];
  const facts: TypeFacts = {
    dataType,
    maxLength: null,
    precision: null,
    datetimePrecision: null,
    character: false,
  };
  const length = /^\w+\((\d+)\)/.exec(sqlType);
  switch (dataType) {
    case 'varchar':
      return { ...facts, maxLength: Number(length![1]), character: true };
    case 'enum': {
      const values = sqlType.slice(5, -1).split(',');
      return { ...facts, maxLength: Math.max(...values.map((v) => v.length - 2)), character: true };
    }
    case 'binary':
      return { ...facts, maxLength: Number(length?.[1] ?? 0) };
    case 'int':
      return { ...facts, precision: 10 };
    case 'bigint':
      return { ...facts, precision: sqlType.endsWith('unsigned') ? 20 : 19 };
    case 'datetime':
    case 'timestamp':
      return { ...facts, datetimePrecision: 0 };
    default:
      return {
        ...facts,
        maxLength: TEXT_LENGTHS[dataType] ?? null,
        character: dataType in TEXT_LENGTHS,
      };
  }
}

const int = (n: number | null): Value => (n === null ? null : BigInt(n));

/** COLUMNS' rows: the columns of information_schema's own views. */
export function columnRows(tables: readonly ListedTable[]): Value[][] {
  const rows: Value[][] = [];
  for (const t of tables) {
    t.columns.forEach((c, i) => {
      const f = typeFacts(c.sqlType);
      rows.push([
        'def',
        'information_schema',
        t.name,
        c.name,
        BigInt(i + 1),
        null,
        c.nullable ? 'YES' : 'NO',
        f.dataType,
        int(f.maxLength),
        int(f.maxLength === null ? null : f.character ? f.maxLength * 3 : f.maxLength),
        int(f.precision),
        f.precision === null ? null : 0n,
        int(f.datetimePrecision),
        f.character ? SCHEMA_CHARSET : null,
        f.character ? (c.collation === 'bin' ? 'utf8mb3_bin' : SCHEMA_COLLATION) : null,
        c.sqlType,
        '',
        '',
        'select',
        '',
        '',
        null,
      ]);
    });
  }
  return rows;
}

/** COLLATIONS' rows, which SHOW COLLATION lists as they are. */
export function collationRows(): Value[][] {
  return COLLATIONS_LIST.map((c) => [
    c.name,
    c.charset,
    BigInt(c.id),
    c.isDefault ? 'Yes' : '',
    'Yes',
    BigInt(c.sortlen),
    c.padSpace ? 'PAD SPACE' : 'NO PAD',
  ]);
}

const PLUGIN_DESCRIPTIONS: Readonly<Record<string, string>> = {
  mysql_native_password: 'Native MySQL authentication',
  caching_sha2_password: 'Caching sha2 authentication',
};

/** PLUGINS' rows: the authentication plugins the server speaks. */
export function pluginRows(source: IntrospectionSource): Value[][] {
  const license = variableText(source, 'license', 'MIT');
  return source.authPlugins.map((name) => [
    name,
    '1.0',
    'ACTIVE',
    'AUTHENTICATION',
    '2.1',
    null,
    null,
    'nestjs-mysql-rpc',
    PLUGIN_DESCRIPTIONS[name] ?? name,
    license,
    'FORCE',
  ]);
}
