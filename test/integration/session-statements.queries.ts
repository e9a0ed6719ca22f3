// The texts drivers and tools send on connect and while browsing, as their sources build
// them, with the database `rpc` and the procedure `myadd` filled in where they take
// arguments (client-side prepared statements put quoted strings in place of `?`).
// Sources (read at the commits noted):
// - MariaDB Connector/J 3.x, mariadb-corporation/mariadb-connector-j @ c9377bc86:
//   src/main/java/org/mariadb/jdbc/client/impl/StandardClient.java (handleTimezone,
//   postConnectionQueries) and src/main/java/org/mariadb/jdbc/DatabaseMetaData.java
//   (getProcedures, getProcedureColumns, getFunctions, getCatalogs, getSchemas, getTables,
//   getUDTs), with its defaults: useCatalogTerm=CATALOG, tinyInt1isBit, transformedBitIsBoolean,
//   yearIsDateType; java.sql.DatabaseMetaData's constants written out.
// - MySQL Connector/J 8, mysql/mysql-connector-j @ cf2917ea:
//   NativeSession.loadServerVariables, DatabaseMetaData.getProceduresAndOrFunctions and
//   getCallStmtParameterTypes (the default, useInformationSchema=false), and
//   DatabaseMetaDataUsingInfoSchema.getProcedureColumns / getSQLKeywords (useInformationSchema=true;
//   its CASE over every MysqlType is cut to a few arms of the same shape).
// - go-sql-driver/mysql @ 416cd99: connection.go getSystemVar.
// - DBeaver, dbeaver/dbeaver @ 2428359b74: plugins/org.jkiss.dbeaver.ext.mysql,
//   MySQLDataSource.initialize / CatalogCache and MySQLCatalog (tables, procedures, triggers,
//   schema info).
// - DataGrip's connection probe, JetBrains/dekaf MysqlIntermediateFacade.CONNECTION_INFO_QUERY.
// - The mysql / mariadb CLI: on connect, `status`, and the tab-completion rehash
//   (observed with a general log: `show databases`, `show tables`, then COM_FIELD_LIST).

/** MariaDB Connector/J 3.x. */
export const MARIADB_CONNECTOR_J = {
  timezone: 'SELECT @@time_zone, @@system_time_zone',
  timezoneFallback: "SHOW VARIABLES WHERE Variable_name in ('system_time_zone','time_zone')",
  autoIncrement: 'SELECT @@auto_increment_increment',
  getProcedures:
    'SELECT ROUTINE_SCHEMA PROCEDURE_CAT, NULL PROCEDURE_SCHEM, ROUTINE_NAME PROCEDURE_NAME,' +
    ' NULL RESERVED1, NULL RESERVED2, NULL RESERVED3, ROUTINE_COMMENT REMARKS, CASE ROUTINE_TYPE ' +
    "  WHEN 'FUNCTION' THEN 2  WHEN 'PROCEDURE' THEN 1  ELSE 0 END PROCEDURE_TYPE," +
    ' SPECIFIC_NAME  FROM INFORMATION_SCHEMA.ROUTINES ' +
    " WHERE ROUTINE_SCHEMA='rpc' AND ROUTINE_NAME LIKE 'my%'",
  getProcedureColumns:
    'SELECT SPECIFIC_SCHEMA PROCEDURE_CAT, NULL PROCEDURE_SCHEM, SPECIFIC_NAME PROCEDURE_NAME,' +
    " PARAMETER_NAME COLUMN_NAME,  CASE PARAMETER_MODE   WHEN 'IN' THEN 1  WHEN 'OUT' THEN 4" +
    "  WHEN 'INOUT' THEN 2  ELSE IF(PARAMETER_MODE IS NULL,5,0) END COLUMN_TYPE," +
    " CASE data_type WHEN 'bit' THEN -7 WHEN 'tinyblob' THEN -3 WHEN 'mediumblob' THEN -4" +
    " WHEN 'longblob' THEN -4 WHEN 'blob' THEN -4 WHEN 'tinytext' THEN 12 WHEN 'mediumtext' THEN -1" +
    " WHEN 'longtext' THEN -1 WHEN 'text' THEN -1 WHEN 'date' THEN 91 WHEN 'datetime' THEN 93" +
    " WHEN 'decimal' THEN 3 WHEN 'double' THEN 8 WHEN 'enum' THEN 12 WHEN 'float' THEN 7" +
    " WHEN 'int' THEN IF( DTD_IDENTIFIER like '%unsigned%', 4,4) WHEN 'bigint' THEN -5" +
    " WHEN 'mediumint' THEN 4 WHEN 'null' THEN 0 WHEN 'set' THEN 12" +
    " WHEN 'smallint' THEN IF( DTD_IDENTIFIER like '%unsigned%', 5,5) WHEN 'varchar' THEN 12" +
    " WHEN 'varbinary' THEN -3 WHEN 'char' THEN 1 WHEN 'binary' THEN -2 WHEN 'time' THEN 92" +
    " WHEN 'timestamp' THEN 93 WHEN 'tinyint' THEN IF(DTD_IDENTIFIER like 'tinyint(1)%',16,-6) " +
    " WHEN 'year' THEN 91 ELSE 1111 END  DATA_TYPE,DATA_TYPE TYPE_NAME, CASE DATA_TYPE" +
    "  WHEN 'time' THEN IF(DATETIME_PRECISION = 0, 10, CAST(11 + DATETIME_PRECISION as signed integer))" +
    "  WHEN 'date' THEN 10" +
    "  WHEN 'datetime' THEN IF(DATETIME_PRECISION = 0, 19, CAST(20 + DATETIME_PRECISION as signed integer))" +
    "  WHEN 'timestamp' THEN IF(DATETIME_PRECISION = 0, 19, CAST(20 + DATETIME_PRECISION as signed integer))" +
    '  ELSE   IF(NUMERIC_PRECISION IS NULL, LEAST(CHARACTER_MAXIMUM_LENGTH,2147483647), NUMERIC_PRECISION) ' +
    ' END `PRECISION`, CASE DATA_TYPE' +
    "  WHEN 'time' THEN IF(DATETIME_PRECISION = 0, 10, CAST(11 + DATETIME_PRECISION as signed integer))" +
    "  WHEN 'date' THEN 10" +
    "  WHEN 'datetime' THEN IF(DATETIME_PRECISION = 0, 19, CAST(20 + DATETIME_PRECISION as signed integer))" +
    "  WHEN 'timestamp' THEN IF(DATETIME_PRECISION = 0, 19, CAST(20 + DATETIME_PRECISION as signed integer))" +
    '  ELSE   IF(NUMERIC_PRECISION IS NULL, LEAST(CHARACTER_MAXIMUM_LENGTH,2147483647), NUMERIC_PRECISION) ' +
    ' END `LENGTH`, CASE DATA_TYPE' +
    "  WHEN 'time' THEN CAST(DATETIME_PRECISION as signed integer)" +
    "  WHEN 'datetime' THEN CAST(DATETIME_PRECISION as signed integer)" +
    "  WHEN 'timestamp' THEN CAST(DATETIME_PRECISION as signed integer)" +
    '  ELSE NUMERIC_SCALE  END `SCALE`,10 RADIX,2 NULLABLE,NULL REMARKS,NULL COLUMN_DEF,0 SQL_DATA_TYPE,0' +
    " SQL_DATETIME_SUB,CHARACTER_OCTET_LENGTH CHAR_OCTET_LENGTH ,ORDINAL_POSITION, ''" +
    ' IS_NULLABLE, SPECIFIC_NAME  FROM INFORMATION_SCHEMA.PARAMETERS' +
    " WHERE SPECIFIC_SCHEMA='rpc' AND SPECIFIC_NAME='myadd'" +
    ' ORDER BY SPECIFIC_SCHEMA, SPECIFIC_NAME, ORDINAL_POSITION',
  getFunctions:
    'SELECT ROUTINE_SCHEMA FUNCTION_CAT,NULL FUNCTION_SCHEM, ROUTINE_NAME FUNCTION_NAME, ' +
    'ROUTINE_COMMENT REMARKS, 1 FUNCTION_TYPE, SPECIFIC_NAME  FROM INFORMATION_SCHEMA.ROUTINES' +
    " WHERE ROUTINE_SCHEMA='rpc' AND  ROUTINE_TYPE='FUNCTION'" +
    ' ORDER BY FUNCTION_CAT,FUNCTION_SCHEM,FUNCTION_NAME,SPECIFIC_NAME',
  getCatalogs:
    'SELECT SCHEMA_NAME TABLE_CAT FROM INFORMATION_SCHEMA.SCHEMATA  ORDER BY SCHEMA_NAME',
  getSchemas: "SELECT '' TABLE_SCHEM, '' TABLE_CATALOG  FROM DUAL WHERE 1=0",
  getTables:
    'SELECT TABLE_SCHEMA TABLE_CAT, NULL TABLE_SCHEM, TABLE_NAME,' +
    "   IF(TABLE_SCHEMA IN ('mysql', 'performance_schema', 'sys')," +
    " IF(TABLE_TYPE='BASE TABLE', 'SYSTEM TABLE', IF(TABLE_TYPE='VIEW', 'SYSTEM" +
    " VIEW', TABLE_TYPE)), IF(TABLE_TYPE='BASE TABLE' or TABLE_TYPE='SYSTEM" +
    " VERSIONED', 'TABLE', IF(TABLE_TYPE='TEMPORARY', 'LOCAL TEMPORARY'," +
    ' TABLE_TYPE))) as TABLE_TYPE,  TABLE_COMMENT REMARKS, NULL TYPE_CAT, NULL' +
    ' TYPE_SCHEM, NULL TYPE_NAME, NULL SELF_REFERENCING_COL_NAME,  NULL' +
    ' REF_GENERATION FROM INFORMATION_SCHEMA.TABLES' +
    " WHERE TABLE_SCHEMA='information_schema' AND TABLE_NAME LIKE 'R%'" +
    ' ORDER BY TABLE_TYPE,TABLE_CAT,TABLE_SCHEMA,TABLE_NAME',
  /** A CallableStatement's parameters: mysql.proc first; ERR 1146 makes it use information_schema. */
  callableMysqlProc:
    "SELECT param_list, `returns` FROM mysql.proc WHERE name = 'sig_out_ctx' AND db = 'rpc'",
  callableParameters:
    'SELECT PARAMETER_NAME, PARAMETER_MODE, DATA_TYPE, DTD_IDENTIFIER,' +
    ' NUMERIC_PRECISION, NUMERIC_SCALE, CHARACTER_MAXIMUM_LENGTH' +
    ' FROM information_schema.PARAMETERS' +
    " WHERE SPECIFIC_NAME = 'sig_out_ctx' AND SPECIFIC_SCHEMA = 'rpc'" +
    ' ORDER BY ORDINAL_POSITION',
  getUDTs:
    "SELECT ' ' TYPE_CAT, NULL TYPE_SCHEM, ' ' TYPE_NAME, ' ' CLASS_NAME, 0 DATA_TYPE, ' '" +
    ' REMARKS, 0 BASE_TYPE FROM DUAL WHERE 1=0',
} as const;

/** MySQL Connector/J 8. */
export const MYSQL_CONNECTOR_J = {
  serverVariables:
    '/* mysql-connector-j-8.4.0 (Revision: 1c3f5c149e0bfe31c7fbeb24e2d260cd890972c4) */SELECT' +
    '  @@session.auto_increment_increment AS auto_increment_increment' +
    ', @@character_set_client AS character_set_client' +
    ', @@character_set_connection AS character_set_connection' +
    ', @@character_set_results AS character_set_results' +
    ', @@character_set_server AS character_set_server' +
    ', @@collation_server AS collation_server' +
    ', @@collation_connection AS collation_connection' +
    ', @@init_connect AS init_connect' +
    ', @@interactive_timeout AS interactive_timeout' +
    ', @@license AS license' +
    ', @@lower_case_table_names AS lower_case_table_names' +
    ', @@max_allowed_packet AS max_allowed_packet' +
    ', @@net_write_timeout AS net_write_timeout' +
    ', @@performance_schema AS performance_schema' +
    ', @@sql_mode AS sql_mode' +
    ', @@system_time_zone AS system_time_zone' +
    ', @@time_zone AS time_zone' +
    ', @@transaction_isolation AS transaction_isolation' +
    ', @@wait_timeout AS wait_timeout',
  /** Tried first; MySQL 8 has no mysql.proc either, and the driver falls back to SHOW ... STATUS. */
  mysqlProc:
    "SELECT db, name, type, comment FROM mysql.proc WHERE type = 'PROCEDURE' AND  db = 'rpc'" +
    " AND name LIKE 'myadd' ORDER BY name, type",
  functionStatus: "SHOW FUNCTION STATUS WHERE Db = 'rpc' AND Name LIKE 'myadd'",
  procedureStatus: "SHOW PROCEDURE STATUS WHERE Db = 'rpc' AND Name LIKE 'myadd'",
  showCreateProcedure: 'SHOW CREATE PROCEDURE `rpc`.`myadd`',
  getProcedureColumnsInfoSchema:
    'SELECT SPECIFIC_SCHEMA AS PROCEDURE_CAT, NULL AS `PROCEDURE_SCHEM`,' +
    " SPECIFIC_NAME AS `PROCEDURE_NAME`, IFNULL(PARAMETER_NAME, '') AS `COLUMN_NAME`," +
    " CASE WHEN PARAMETER_MODE = 'IN' THEN 1 WHEN PARAMETER_MODE = 'OUT' THEN 4" +
    " WHEN PARAMETER_MODE = 'INOUT' THEN 2 WHEN ORDINAL_POSITION = 0 THEN 5 ELSE 0 END AS `COLUMN_TYPE`, " +
    "CASE  WHEN UPPER(DATA_TYPE)='DECIMAL' THEN 3 WHEN UPPER(DATA_TYPE)='TINYINT' THEN CASE" +
    " WHEN LOCATE('ZEROFILL', UPPER(DTD_IDENTIFIER)) = 0 AND LOCATE('UNSIGNED', UPPER(DTD_IDENTIFIER)) = 0" +
    " AND LOCATE('(1)', DTD_IDENTIFIER) != 0 THEN -7 ELSE -6 END " +
    " WHEN UPPER(DATA_TYPE)='INT' THEN 4 WHEN UPPER(DATA_TYPE)='BIGINT' THEN -5" +
    " WHEN UPPER(DATA_TYPE)='VARCHAR' THEN 12 WHEN UPPER(DATA_TYPE)='POINT' THEN -2 ELSE 1111 END AS `DATA_TYPE`, " +
    "UPPER(CASE WHEN UPPER(DATA_TYPE)='TINYINT' THEN CASE WHEN LOCATE('ZEROFILL', UPPER(DTD_IDENTIFIER)) = 0" +
    " AND LOCATE('UNSIGNED', UPPER(DTD_IDENTIFIER)) = 0 AND LOCATE('(1)', DTD_IDENTIFIER) != 0 THEN 'BIT'" +
    " WHEN LOCATE('UNSIGNED', UPPER(DTD_IDENTIFIER)) != 0 AND LOCATE('UNSIGNED', UPPER(DATA_TYPE)) = 0" +
    " THEN 'TINYINT UNSIGNED' ELSE DATA_TYPE END " +
    " WHEN LOCATE('UNSIGNED', UPPER(DTD_IDENTIFIER)) != 0 AND LOCATE('UNSIGNED', UPPER(DATA_TYPE)) = 0" +
    " AND LOCATE('SET', UPPER(DATA_TYPE)) <> 1 AND LOCATE('ENUM', UPPER(DATA_TYPE)) <> 1" +
    " THEN CONCAT(DATA_TYPE, ' UNSIGNED') WHEN UPPER(DATA_TYPE)='POINT' THEN 'GEOMETRY'" +
    ' ELSE UPPER(DATA_TYPE) END) AS TYPE_NAME,' +
    " CASE WHEN LCASE(DATA_TYPE)='date' THEN 0" +
    " WHEN LCASE(DATA_TYPE)='time' OR LCASE(DATA_TYPE)='datetime' OR LCASE(DATA_TYPE)='timestamp' THEN DATETIME_PRECISION" +
    " WHEN (UPPER(DATA_TYPE)='TINYINT' AND LOCATE('ZEROFILL', UPPER(DTD_IDENTIFIER)) = 0)" +
    " AND LOCATE('UNSIGNED', UPPER(DTD_IDENTIFIER)) = 0 AND LOCATE('(1)', DTD_IDENTIFIER) != 0 THEN 1" +
    " WHEN UPPER(DATA_TYPE)='MEDIUMINT' AND LOCATE('UNSIGNED', UPPER(DTD_IDENTIFIER)) != 0 THEN 8" +
    " WHEN UPPER(DATA_TYPE)='JSON' THEN 1073741824 ELSE NUMERIC_PRECISION END AS `PRECISION`," +
    " CASE WHEN LCASE(DATA_TYPE)='date' THEN 10" +
    " WHEN LCASE(DATA_TYPE)='time' THEN 8+(CASE WHEN DATETIME_PRECISION>0 THEN DATETIME_PRECISION+1 ELSE DATETIME_PRECISION END)" +
    " WHEN LCASE(DATA_TYPE)='datetime' OR LCASE(DATA_TYPE)='timestamp'" +
    '  THEN 19+(CASE WHEN DATETIME_PRECISION>0 THEN DATETIME_PRECISION+1 ELSE DATETIME_PRECISION END)' +
    " WHEN (UPPER(DATA_TYPE)='TINYINT' OR UPPER(DATA_TYPE)='TINYINT UNSIGNED') AND LOCATE('ZEROFILL', UPPER(DTD_IDENTIFIER)) = 0" +
    " AND LOCATE('UNSIGNED', UPPER(DTD_IDENTIFIER)) = 0 AND LOCATE('(1)', DTD_IDENTIFIER) != 0 THEN 1" +
    " WHEN UPPER(DATA_TYPE)='MEDIUMINT' AND LOCATE('UNSIGNED', UPPER(DTD_IDENTIFIER)) != 0 THEN 8" +
    " WHEN UPPER(DATA_TYPE)='JSON' THEN 1073741824" +
    ' WHEN CHARACTER_MAXIMUM_LENGTH IS NULL THEN NUMERIC_PRECISION' +
    ' WHEN CHARACTER_MAXIMUM_LENGTH > 2147483647 THEN 2147483647' +
    ' ELSE CHARACTER_MAXIMUM_LENGTH END AS LENGTH,' +
    'NUMERIC_SCALE AS `SCALE`, 10 AS RADIX,1 AS `NULLABLE`, NULL AS `REMARKS`, NULL AS `COLUMN_DEF`,' +
    ' NULL AS `SQL_DATA_TYPE`, NULL AS `SQL_DATETIME_SUB`,' +
    ' CASE WHEN CHARACTER_OCTET_LENGTH > 2147483647 THEN 2147483647 ELSE CHARACTER_OCTET_LENGTH END AS `CHAR_OCTET_LENGTH`,' +
    " ORDINAL_POSITION, 'YES' AS `IS_NULLABLE`, SPECIFIC_NAME FROM INFORMATION_SCHEMA.PARAMETERS" +
    " WHERE ROUTINE_TYPE = 'PROCEDURE' AND SPECIFIC_SCHEMA = 'rpc' AND SPECIFIC_NAME LIKE 'myadd'" +
    " AND (PARAMETER_NAME LIKE '%' OR PARAMETER_NAME IS NULL)" +
    ' ORDER BY SPECIFIC_SCHEMA, SPECIFIC_NAME, ROUTINE_TYPE, ORDINAL_POSITION',
  keywords: 'SELECT WORD FROM INFORMATION_SCHEMA.KEYWORDS WHERE RESERVED=1 ORDER BY WORD',
  showDatabases: 'SHOW DATABASES',
} as const;

/** go-sql-driver/mysql: getSystemVar, when maxAllowedPacket is 0. */
export const GO_DRIVER = {
  maxAllowedPacket: 'SELECT @@max_allowed_packet',
} as const;

/** DBeaver's MySQL plugin. */
export const DBEAVER = {
  engines: 'SHOW ENGINES',
  charsets: 'SHOW CHARSET',
  collations: 'SHOW COLLATION',
  serverCharset: 'SELECT @@GLOBAL.character_set_server,@@GLOBAL.collation_server',
  plugins: 'SHOW PLUGINS',
  lowerCaseTableNames: "SHOW VARIABLES LIKE 'lower_case_table_names'",
  databases: 'show databases',
  checkConstraintsTable:
    'SELECT * FROM information_schema.TABLES t\n' +
    'WHERE\n' +
    "\tt.TABLE_SCHEMA = 'information_schema'\n" +
    "\tAND t.TABLE_NAME = 'CHECK_CONSTRAINTS'",
  schemaInfo: "SELECT * FROM information_schema.SCHEMATA WHERE SCHEMA_NAME='rpc'",
  schemaSize:
    'SELECT SUM((DATA_LENGTH+INDEX_LENGTH))\n' +
    'FROM INFORMATION_SCHEMA.TABLES \n' +
    "WHERE TABLE_SCHEMA='rpc'",
  tables: 'SHOW FULL TABLES FROM `rpc`',
  tableStatus: 'SHOW TABLE STATUS FROM `rpc`',
  createDatabase: 'SHOW CREATE DATABASE `rpc`',
  routines:
    'SELECT * FROM information_schema.ROUTINES\n' +
    "WHERE ROUTINE_SCHEMA='rpc' AND ROUTINE_TYPE IN ('PROCEDURE','FUNCTION')\n" +
    'ORDER BY ROUTINE_NAME',
  triggers: "SELECT * FROM INFORMATION_SCHEMA.TRIGGERS\nWHERE TRIGGER_SCHEMA = 'rpc'",
} as const;

/** DataGrip's connection probe (JetBrains dekaf). */
export const DATAGRIP = {
  connectionInfo:
    "select database(), schema(), left(user(),instr(concat(user(),'@'),'@')-1), @@version_comment",
} as const;

/** The mysql and mariadb command-line clients. */
export const MYSQL_CLI = {
  versionComment: 'select @@version_comment limit 1',
  database: 'SELECT DATABASE()',
  status: 'select DATABASE(), USER() limit 1',
  statusCharsets:
    'select @@character_set_client, @@character_set_connection, @@character_set_server, @@character_set_database limit 1',
  rehashDatabases: 'show databases',
  rehashTables: 'show tables',
} as const;
