import { isReservedWord } from '../../../../lib/sql/reserved-words.js';
import {
  CHARACTER_SETS,
  COLLATIONS_LIST,
} from '../../../../lib/session/virtual-tables/character-sets.js';
import {
  SCHEMA_TABLES,
  schemaTable,
} from '../../../../lib/session/virtual-tables/information-schema.js';
import { KEYWORDS } from '../../../../lib/session/virtual-tables/keywords.js';
import { source } from './source.js';

const columnsOf = (name: string): string[] => schemaTable(name)!.columns.map((c) => c.name);

describe('information_schema tables, with MySQL 8’s columns in its order', () => {
  it.each([
    [
      'SCHEMATA',
      'CATALOG_NAME SCHEMA_NAME DEFAULT_CHARACTER_SET_NAME DEFAULT_COLLATION_NAME SQL_PATH DEFAULT_ENCRYPTION',
    ],
    [
      'TABLES',
      'TABLE_CATALOG TABLE_SCHEMA TABLE_NAME TABLE_TYPE ENGINE VERSION ROW_FORMAT TABLE_ROWS AVG_ROW_LENGTH DATA_LENGTH MAX_DATA_LENGTH INDEX_LENGTH DATA_FREE AUTO_INCREMENT CREATE_TIME UPDATE_TIME CHECK_TIME TABLE_COLLATION CHECKSUM CREATE_OPTIONS TABLE_COMMENT',
    ],
    [
      'COLUMNS',
      'TABLE_CATALOG TABLE_SCHEMA TABLE_NAME COLUMN_NAME ORDINAL_POSITION COLUMN_DEFAULT IS_NULLABLE DATA_TYPE CHARACTER_MAXIMUM_LENGTH CHARACTER_OCTET_LENGTH NUMERIC_PRECISION NUMERIC_SCALE DATETIME_PRECISION CHARACTER_SET_NAME COLLATION_NAME COLUMN_TYPE COLUMN_KEY EXTRA PRIVILEGES COLUMN_COMMENT GENERATION_EXPRESSION SRS_ID',
    ],
    [
      'ROUTINES',
      'SPECIFIC_NAME ROUTINE_CATALOG ROUTINE_SCHEMA ROUTINE_NAME ROUTINE_TYPE DATA_TYPE CHARACTER_MAXIMUM_LENGTH CHARACTER_OCTET_LENGTH NUMERIC_PRECISION NUMERIC_SCALE DATETIME_PRECISION CHARACTER_SET_NAME COLLATION_NAME DTD_IDENTIFIER ROUTINE_BODY ROUTINE_DEFINITION EXTERNAL_NAME EXTERNAL_LANGUAGE PARAMETER_STYLE IS_DETERMINISTIC SQL_DATA_ACCESS SQL_PATH SECURITY_TYPE CREATED LAST_ALTERED SQL_MODE ROUTINE_COMMENT DEFINER CHARACTER_SET_CLIENT COLLATION_CONNECTION DATABASE_COLLATION',
    ],
    [
      'PARAMETERS',
      'SPECIFIC_CATALOG SPECIFIC_SCHEMA SPECIFIC_NAME ORDINAL_POSITION PARAMETER_MODE PARAMETER_NAME DATA_TYPE CHARACTER_MAXIMUM_LENGTH CHARACTER_OCTET_LENGTH NUMERIC_PRECISION NUMERIC_SCALE DATETIME_PRECISION CHARACTER_SET_NAME COLLATION_NAME DTD_IDENTIFIER ROUTINE_TYPE',
    ],
    ['KEYWORDS', 'WORD RESERVED'],
    [
      'COLLATIONS',
      'COLLATION_NAME CHARACTER_SET_NAME ID IS_DEFAULT IS_COMPILED SORTLEN PAD_ATTRIBUTE',
    ],
    ['CHARACTER_SETS', 'CHARACTER_SET_NAME DEFAULT_COLLATE_NAME DESCRIPTION MAXLEN'],
    ['ENGINES', 'ENGINE SUPPORT COMMENT TRANSACTIONS XA SAVEPOINTS'],
    ['PROCESSLIST', 'ID USER HOST DB COMMAND TIME STATE INFO'],
    [
      'PLUGINS',
      'PLUGIN_NAME PLUGIN_VERSION PLUGIN_STATUS PLUGIN_TYPE PLUGIN_TYPE_VERSION PLUGIN_LIBRARY PLUGIN_LIBRARY_VERSION PLUGIN_AUTHOR PLUGIN_DESCRIPTION PLUGIN_LICENSE LOAD_OPTION',
    ],
  ])('%s', (table, columns) => {
    expect(columnsOf(table)).toEqual(columns.split(' '));
    expect(schemaTable(table.toLowerCase())).toBe(schemaTable(table));
  });

  it('has every row as wide as its columns', () => {
    for (const table of SCHEMA_TABLES) {
      for (const row of table.rows(source())) expect(row).toHaveLength(table.columns.length);
    }
  });

  it('lists information_schema and the server’s database, and information_schema’s own views', () => {
    expect(
      schemaTable('SCHEMATA')!
        .rows(source())
        .map((r) => r[1]),
    ).toEqual(['information_schema', 'rpc']);
    const tables = schemaTable('TABLES')!.rows(source());
    expect(tables.map((r) => r[2])).toEqual(SCHEMA_TABLES.map((t) => t.name));
    expect(new Set(tables.map((r) => r[3]))).toEqual(new Set(['SYSTEM VIEW']));
    const columns = schemaTable('COLUMNS')!.rows(source());
    expect(
      columns.filter((r) => r[2] === 'KEYWORDS').map((r) => [r[3], r[7], r[15], r[6]]),
    ).toEqual([
      ['WORD', 'varchar', 'varchar(128)', 'YES'],
      ['RESERVED', 'int', 'int', 'YES'],
    ]);
  });

  it('has PROCESSLIST with MySQL 8’s types, one row per connection the source shows', () => {
    const table = schemaTable('processlist')!;
    expect(table.columns.map((c) => [c.sqlType, c.nullable])).toEqual([
      ['bigint unsigned', false],
      ['varchar(32)', false],
      ['varchar(261)', false],
      ['varchar(64)', true],
      ['varchar(16)', false],
      ['int', false],
      ['varchar(64)', true],
      ['longtext', true],
    ]);
    expect(table.rows(source())).toEqual([
      [
        3n,
        'u',
        '127.0.0.1:50000',
        'rpc',
        'Query',
        0n,
        'executing',
        'SELECT * FROM information_schema.PROCESSLIST',
      ],
      [9n, 'u', '127.0.0.1:50002', null, 'Sleep', 12n, '', null],
    ]);
    expect(table.rows(source({ processes: () => [] }))).toEqual([]);
  });

  it('lists MySQL 8’s reserved words, the same the lexer knows', () => {
    expect(KEYWORDS).toHaveLength(262);
    for (const word of KEYWORDS) expect(isReservedWord(word, 0, word.length)).toBe(true);
    expect(KEYWORDS).toEqual([...KEYWORDS].sort());
  });

  it('has collations whose character sets exist, one default each, ids unique', () => {
    const charsets = new Set(CHARACTER_SETS.map((c) => c.name));
    expect(charsets.size).toBe(41);
    for (const c of COLLATIONS_LIST) expect(charsets.has(c.charset)).toBe(true);
    for (const cs of CHARACTER_SETS) {
      const defaults = COLLATIONS_LIST.filter((c) => c.charset === cs.name && c.isDefault);
      expect(defaults.map((c) => c.name)).toEqual([cs.defaultCollation]);
    }
    expect(new Set(COLLATIONS_LIST.map((c) => c.id)).size).toBe(COLLATIONS_LIST.length);
    expect(COLLATIONS_LIST.find((c) => c.name === 'utf8mb4_0900_ai_ci')).toEqual({
      name: 'utf8mb4_0900_ai_ci',
      charset: 'utf8mb4',
      id: 255,
      isDefault: true,
      sortlen: 0,
      padSpace: false,
    });
    expect(COLLATIONS_LIST.find((c) => c.id === 45)?.name).toBe('utf8mb4_general_ci');
    expect(COLLATIONS_LIST.find((c) => c.id === 63)?.name).toBe('binary');
  });
});
