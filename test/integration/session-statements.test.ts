import * as mysql2 from 'mysql2/promise';
import { CLIENTS, expectClientError, type TestClient } from '../support/clients.js';
import { startSecurityServer, type SecurityServer } from '../support/security-app.js';
import { startTestServer, type TestServer } from '../support/test-app.js';
import {
  DATAGRIP,
  DBEAVER,
  GO_DRIVER,
  MARIADB_CONNECTOR_J,
  MYSQL_CLI,
  MYSQL_CONNECTOR_J,
} from './session-statements.queries.js';

type Row = Record<string, string | null>;

/** A row as text, so that the three drivers compare alike. */
const text = (row: Record<string, unknown>): Row =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k,
      v === null ? null : Buffer.isBuffer(v) ? v.toString('utf8') : String(v),
    ]),
  );

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe.each(CLIENTS)('with the %s client', (_name, connect) => {
  let client: TestClient;
  beforeAll(async () => {
    client = await connect({ port: server.port, database: 'rpc' });
  });
  afterAll(() => client.close());

  const rows = async (sql: string): Promise<Row[]> => {
    const out = await client.query(sql);
    return (out.sets[0] ?? []).map(text);
  };
  /** The column names of a result, also when it has no rows (read with mysql2, which reports fields). */
  const columns = async (sql: string): Promise<string[]> => {
    const conn = await mysql2.createConnection({
      host: '127.0.0.1',
      port: server.port,
      user: 'testuser',
      password: 'testpass',
      database: 'rpc',
    });
    try {
      const [, fields] = await conn.query(sql);
      return (fields ?? []).map((f) => f.name);
    } finally {
      await conn.end();
    }
  };

  it('answers the mysql CLI on connect, for status and for tab completion', async () => {
    expect(await rows(MYSQL_CLI.versionComment)).toEqual([
      { '@@version_comment': 'nestjs-mysql-rpc' },
    ]);
    expect(await rows(MYSQL_CLI.database)).toEqual([{ 'DATABASE()': 'rpc' }]);
    expect(await rows(MYSQL_CLI.status)).toEqual([
      { 'DATABASE()': 'rpc', 'USER()': 'testuser@127.0.0.1' },
    ]);
    expect(Object.keys((await rows(MYSQL_CLI.statusCharsets))[0]!)).toHaveLength(4);
    expect(await rows(MYSQL_CLI.rehashDatabases)).toEqual([
      { Database: 'information_schema' },
      { Database: 'rpc' },
    ]);
    expect(await rows(MYSQL_CLI.rehashTables)).toEqual([]);
    expect(await columns(MYSQL_CLI.rehashTables)).toEqual(['Tables_in_rpc']);
  });

  it('answers the start-up queries of the Connector/Js, the Go driver and DataGrip', async () => {
    const variables = (await rows(MYSQL_CONNECTOR_J.serverVariables))[0]!;
    expect(variables).toMatchObject({ auto_increment_increment: '1', wait_timeout: '28800' });
    expect(Object.keys(variables)).toHaveLength(19);
    expect(await rows(MARIADB_CONNECTOR_J.timezone)).toEqual([
      { '@@time_zone': 'SYSTEM', '@@system_time_zone': 'UTC' },
    ]);
    expect(await rows(MARIADB_CONNECTOR_J.timezoneFallback)).toEqual([
      { Variable_name: 'system_time_zone', Value: 'UTC' },
      { Variable_name: 'time_zone', Value: 'SYSTEM' },
    ]);
    expect(await rows(MARIADB_CONNECTOR_J.autoIncrement)).toEqual([
      { '@@auto_increment_increment': '1' },
    ]);
    expect(await rows(GO_DRIVER.maxAllowedPacket)).toEqual([
      { '@@max_allowed_packet': String(64 * 1024 * 1024) },
    ]);
    expect(await rows(DATAGRIP.connectionInfo)).toEqual([
      {
        'database()': 'rpc',
        'schema()': 'rpc',
        "left(user(),instr(concat(user(),'@'),'@')-1)": 'testuser',
        '@@version_comment': 'nestjs-mysql-rpc',
      },
    ]);
  });

  it("answers DBeaver's connect queries", async () => {
    expect(await rows(DBEAVER.engines)).toEqual([]);
    expect(await columns(DBEAVER.engines)).toEqual([
      'Engine',
      'Support',
      'Comment',
      'Transactions',
      'XA',
      'Savepoints',
    ]);
    const charsets = await rows(DBEAVER.charsets);
    expect(charsets).toContainEqual({
      Charset: 'utf8mb4',
      Description: 'UTF-8 Unicode',
      'Default collation': 'utf8mb4_0900_ai_ci',
      Maxlen: '4',
    });
    const collations = await rows(DBEAVER.collations);
    expect(collations).toContainEqual({
      Collation: 'utf8mb4_general_ci',
      Charset: 'utf8mb4',
      Id: '45',
      Default: '',
      Compiled: 'Yes',
      Sortlen: '1',
      Pad_attribute: 'PAD SPACE',
    });
    // DBeaver drops collations whose character set SHOW CHARSET did not list.
    const names = new Set(charsets.map((c) => c.Charset));
    for (const c of collations) expect(names.has(c.Charset)).toBe(true);
    expect(await rows(DBEAVER.serverCharset)).toEqual([
      {
        '@@GLOBAL.character_set_server': 'utf8mb4',
        '@@GLOBAL.collation_server': 'utf8mb4_general_ci',
      },
    ]);
    expect(await rows(DBEAVER.plugins)).toEqual([
      {
        Name: 'caching_sha2_password',
        Status: 'ACTIVE',
        Type: 'AUTHENTICATION',
        Library: null,
        License: 'MIT',
      },
      {
        Name: 'mysql_native_password',
        Status: 'ACTIVE',
        Type: 'AUTHENTICATION',
        Library: null,
        License: 'MIT',
      },
    ]);
    expect(await rows(DBEAVER.lowerCaseTableNames)).toEqual([
      { Variable_name: 'lower_case_table_names', Value: '0' },
    ]);
    expect(await rows(DBEAVER.databases)).toEqual([
      { Database: 'information_schema' },
      { Database: 'rpc' },
    ]);
    expect(await rows(DBEAVER.checkConstraintsTable)).toEqual([]);
  });

  it("answers DBeaver's browse queries", async () => {
    expect(await rows(DBEAVER.schemaInfo)).toEqual([
      {
        CATALOG_NAME: 'def',
        SCHEMA_NAME: 'rpc',
        DEFAULT_CHARACTER_SET_NAME: 'utf8mb4',
        DEFAULT_COLLATION_NAME: 'utf8mb4_general_ci',
        SQL_PATH: null,
        DEFAULT_ENCRYPTION: 'NO',
      },
    ]);
    expect(await rows(DBEAVER.schemaSize)).toEqual([{ 'SUM((DATA_LENGTH+INDEX_LENGTH))': null }]);
    expect(await rows(DBEAVER.tables)).toEqual([]);
    expect(await columns(DBEAVER.tables)).toEqual(['Tables_in_rpc', 'Table_type']);
    expect(await rows(DBEAVER.tableStatus)).toEqual([]);
    expect(await columns(DBEAVER.tableStatus)).toEqual([
      'Name',
      'Engine',
      'Version',
      'Row_format',
      'Rows',
      'Avg_row_length',
      'Data_length',
      'Max_data_length',
      'Index_length',
      'Data_free',
      'Auto_increment',
      'Create_time',
      'Update_time',
      'Check_time',
      'Collation',
      'Checksum',
      'Create_options',
      'Comment',
    ]);
    expect(await rows(DBEAVER.createDatabase)).toEqual([
      {
        Database: 'rpc',
        'Create Database':
          "CREATE DATABASE `rpc` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci */ /*!80016 DEFAULT ENCRYPTION='N' */",
      },
    ]);
    const routines = await rows(DBEAVER.routines);
    expect(routines.map((r) => r.ROUTINE_NAME)).toContain('myadd');
    // Routine names compare case-insensitively, as MySQL's do.
    const listed = routines.map((r) => r.ROUTINE_NAME!);
    expect(listed).toEqual(
      // ROUTINE_NAME sorts as utf8mb3_general_ci compares: by upper case, so `I` < `_`.
      [...listed].sort((a, b) => {
        const [x, y] = [a.toUpperCase(), b.toUpperCase()];
        return x < y ? -1 : x > y ? 1 : 0;
      }),
    );
    expect(routines.find((r) => r.ROUTINE_NAME === 'myadd')).toMatchObject({
      SPECIFIC_NAME: 'myadd',
      ROUTINE_CATALOG: 'def',
      ROUTINE_SCHEMA: 'rpc',
      ROUTINE_TYPE: 'PROCEDURE',
      DATA_TYPE: '',
      ROUTINE_BODY: 'SQL',
      SECURITY_TYPE: 'DEFINER',
      DEFINER: 'nestjs-mysql-rpc@localhost',
    });
    expect(await rows(DBEAVER.triggers)).toEqual([]);
  });

  it('lists procedures and parameters as MariaDB Connector/J asks', async () => {
    expect(await rows(MARIADB_CONNECTOR_J.getProcedures)).toEqual(
      ['myadd', 'mysql_error'].map((name) => ({
        PROCEDURE_CAT: 'rpc',
        PROCEDURE_SCHEM: null,
        PROCEDURE_NAME: name,
        RESERVED1: null,
        RESERVED2: null,
        RESERVED3: null,
        REMARKS: '',
        PROCEDURE_TYPE: '1',
        SPECIFIC_NAME: name,
      })),
    );
    // myadd has no signature: no parameter rows, and Connector/J then describes the CALL's own.
    expect(await rows(MARIADB_CONNECTOR_J.getProcedureColumns)).toEqual([]);
    const params = await rows(
      MARIADB_CONNECTOR_J.getProcedureColumns.replace("'myadd'", "'sig_out_ctx'"),
    );
    expect(
      params.map((p) => [
        p.COLUMN_NAME,
        p.COLUMN_TYPE,
        p.DATA_TYPE,
        p.TYPE_NAME,
        p.PRECISION,
        p.ORDINAL_POSITION,
      ]),
    ).toEqual([
      ['a', '1', '4', 'int', '10', '1'],
      ['b', '1', '4', 'int', '10', '2'],
      ['s', '4', '-5', 'bigint', '19', '3'],
    ]);
    // A CallableStatement's parameters: mysql.proc is refused as by MySQL 8, which makes the
    // driver ask information_schema.
    expect(
      await expectClientError(client.query(MARIADB_CONNECTOR_J.callableMysqlProc)),
    ).toMatchObject({
      errno: 1146,
      message: "Table 'mysql.proc' doesn't exist",
    });
    expect(await rows(MARIADB_CONNECTOR_J.callableParameters)).toEqual([
      {
        PARAMETER_NAME: 'a',
        PARAMETER_MODE: 'IN',
        DATA_TYPE: 'int',
        DTD_IDENTIFIER: 'int',
        NUMERIC_PRECISION: '10',
        NUMERIC_SCALE: '0',
        CHARACTER_MAXIMUM_LENGTH: null,
      },
      {
        PARAMETER_NAME: 'b',
        PARAMETER_MODE: 'IN',
        DATA_TYPE: 'int',
        DTD_IDENTIFIER: 'int',
        NUMERIC_PRECISION: '10',
        NUMERIC_SCALE: '0',
        CHARACTER_MAXIMUM_LENGTH: null,
      },
      {
        PARAMETER_NAME: 's',
        PARAMETER_MODE: 'OUT',
        DATA_TYPE: 'bigint',
        DTD_IDENTIFIER: 'bigint',
        NUMERIC_PRECISION: '19',
        NUMERIC_SCALE: '0',
        CHARACTER_MAXIMUM_LENGTH: null,
      },
    ]);
    expect(await rows(MARIADB_CONNECTOR_J.getFunctions)).toEqual([]);
    expect(await rows(MARIADB_CONNECTOR_J.getCatalogs)).toEqual([
      { TABLE_CAT: 'information_schema' },
      { TABLE_CAT: 'rpc' },
    ]);
    expect(await rows(MARIADB_CONNECTOR_J.getSchemas)).toEqual([]);
    expect(await rows(MARIADB_CONNECTOR_J.getTables)).toEqual([
      {
        TABLE_CAT: 'information_schema',
        TABLE_SCHEM: null,
        TABLE_NAME: 'ROUTINES',
        TABLE_TYPE: 'SYSTEM VIEW',
        REMARKS: 'VIEW',
        TYPE_CAT: null,
        TYPE_SCHEM: null,
        TYPE_NAME: null,
        SELF_REFERENCING_COL_NAME: null,
        REF_GENERATION: null,
      },
    ]);
    expect(await rows(MARIADB_CONNECTOR_J.getUDTs)).toEqual([]);
    expect(await columns(MARIADB_CONNECTOR_J.getUDTs)).toEqual([
      'TYPE_CAT',
      'TYPE_SCHEM',
      'TYPE_NAME',
      'CLASS_NAME',
      'DATA_TYPE',
      'REMARKS',
      'BASE_TYPE',
    ]);
  });

  it('describes procedures as MySQL Connector/J asks', async () => {
    // Connector/J tries mysql.proc first, as before MySQL 8, and falls back on MySQL 8's error.
    expect(await expectClientError(client.query(MYSQL_CONNECTOR_J.mysqlProc))).toMatchObject({
      errno: 1146,
      sqlState: '42S02',
      message: "Table 'mysql.proc' doesn't exist",
    });
    expect(await rows(MYSQL_CONNECTOR_J.functionStatus)).toEqual([]);
    const [status] = await rows(MYSQL_CONNECTOR_J.procedureStatus);
    expect(status).toMatchObject({
      Db: 'rpc',
      Name: 'myadd',
      Type: 'PROCEDURE',
      Definer: 'nestjs-mysql-rpc@localhost',
      Security_type: 'DEFINER',
      Comment: '',
      character_set_client: 'utf8mb4',
      collation_connection: 'utf8mb4_general_ci',
      'Database Collation': 'utf8mb4_general_ci',
    });
    expect(status!.Created).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const [create] = await rows(MYSQL_CONNECTOR_J.showCreateProcedure);
    // The parameter list Connector/J parses is empty: it then takes the CALL's placeholders.
    expect(create!['Create Procedure']).toBe(
      'CREATE DEFINER=`nestjs-mysql-rpc`@`localhost` PROCEDURE `myadd`()\n' +
        'BEGIN\n' +
        "  -- answered by the NestJS handler of @MessagePattern('myadd')\n" +
        '  -- no declared signature: takes any arguments\n' +
        'END',
    );
    expect(Object.keys(create!)).toEqual([
      'Procedure',
      'sql_mode',
      'Create Procedure',
      'character_set_client',
      'collation_connection',
      'Database Collation',
    ]);
    const [signed] = await rows('SHOW CREATE PROCEDURE rpc.sig_out_ctx');
    expect(signed!['Create Procedure']).toMatch(
      /^CREATE DEFINER=`nestjs-mysql-rpc`@`localhost` PROCEDURE `sig_out_ctx`\(IN a int, IN b int, OUT s bigint\)\nBEGIN\n/,
    );
    const params = await rows(
      MYSQL_CONNECTOR_J.getProcedureColumnsInfoSchema.replace("'myadd'", "'sig_out_ctx'"),
    );
    expect(
      params.map((p) => [
        p.COLUMN_NAME,
        p.COLUMN_TYPE,
        p.DATA_TYPE,
        p.TYPE_NAME,
        p.PRECISION,
        p.IS_NULLABLE,
      ]),
    ).toEqual([
      ['a', '1', '4', 'INT', '10', 'YES'],
      ['b', '1', '4', 'INT', '10', 'YES'],
      ['s', '4', '-5', 'BIGINT', '19', 'YES'],
    ]);
    const keywords = await rows(MYSQL_CONNECTOR_J.keywords);
    expect(keywords[0]).toEqual({ WORD: 'ACCESSIBLE' });
    expect(keywords.map((k) => k.WORD)).toContain('SELECT');
    expect(await rows(MYSQL_CONNECTOR_J.showDatabases)).toHaveLength(2);
  });

  it('evaluates expressions without a table', async () => {
    await client.query("SET @x = 'yz'");
    expect(
      await rows(
        "SELECT @@wait_timeout + 1, CONCAT('a', @x) AS c, 3/2, 1.50*2, 7 DIV 2, 1e0/4 d, 'a' = 'A' ci," +
          " COALESCE(NULL, 'b'), CASE WHEN 1 > 2 THEN 'no' ELSE 'yes' END, CAST('12ab' AS SIGNED) n",
      ),
    ).toEqual([
      {
        '@@wait_timeout + 1': '28801',
        c: 'ayz',
        '3/2': '1.5000',
        '1.50*2': '3.00',
        '7 DIV 2': '3',
        d: '0.25',
        ci: '1',
        "COALESCE(NULL, 'b')": 'b',
        "CASE WHEN 1 > 2 THEN 'no' ELSE 'yes' END": 'yes',
        n: '12',
      },
    ]);
    expect(await rows('SELECT 1 + 1 AS two FROM DUAL WHERE 1 = 1 ORDER BY 1 LIMIT 5')).toEqual([
      { two: '2' },
    ]);
    expect(await rows('SELECT 1 WHERE 0')).toEqual([]);
    expect(await rows('SELECT CONNECTION_ID() > 0 AS id, VERSION() = @@version AS v')).toEqual([
      { id: '1', v: '1' },
    ]);
  });

  it('queries information_schema with WHERE, ORDER BY, LIMIT, aliases and aggregates', async () => {
    expect(
      await rows(
        "SELECT COLLATION_NAME AS name, ID FROM information_schema.COLLATIONS c WHERE c.CHARACTER_SET_NAME = 'utf8mb4'" +
          ' AND ID < 250 ORDER BY ID DESC LIMIT 2',
      ),
    ).toEqual([
      { name: 'utf8mb4_unicode_520_ci', ID: '246' },
      { name: 'utf8mb4_unicode_ci', ID: '224' },
    ]);
    expect(
      await rows(
        'SELECT CHARACTER_SET_NAME, COUNT(*) n FROM information_schema.COLLATIONS' +
          " WHERE CHARACTER_SET_NAME LIKE 'utf8%' GROUP BY CHARACTER_SET_NAME HAVING n > 4 ORDER BY n DESC, 1",
      ),
    ).toEqual([
      { CHARACTER_SET_NAME: 'utf8mb4', n: '8' },
      { CHARACTER_SET_NAME: 'utf8mb3', n: '5' },
    ]);
    expect(
      await rows("select schema_name from information_schema.schemata where schema_name = 'RPC'"),
    ).toEqual([]);
    expect(await rows('SELECT DISTINCT TABLE_TYPE FROM information_schema.TABLES')).toEqual([
      { TABLE_TYPE: 'SYSTEM VIEW' },
    ]);
  });

  it('answers what it cannot have with MySQL’s errors', async () => {
    const cases: Array<[string, number, string, string]> = [
      ['SELECT foo(1)', 1305, '42000', 'FUNCTION rpc.foo does not exist'],
      [
        "SELECT CONCAT_WS('x')",
        1582,
        '42000',
        "Incorrect parameter count in the call to native function 'concat_ws'",
      ],
      ['SELECT * FROM t', 1146, '42S02', "Table 'rpc.t' doesn't exist"],
      ['SELECT a FROM other.t WHERE b = 1', 1146, '42S02', "Table 'other.t' doesn't exist"],
      [
        'SELECT * FROM information_schema.NOPE',
        1109,
        '42S02',
        "Unknown table 'NOPE' in information_schema",
      ],
      [
        'SELECT nope FROM information_schema.SCHEMATA',
        1054,
        '42S22',
        "Unknown column 'nope' in 'field list'",
      ],
      [
        'SELECT 1 FROM information_schema.SCHEMATA WHERE x = 1',
        1054,
        '42S22',
        "Unknown column 'x' in 'where clause'",
      ],
      ['SELECT USER', 1054, '42S22', "Unknown column 'USER' in 'field list'"],
      ['SELECT *', 1096, 'HY000', 'No tables used'],
      [
        'SELECT 9223372036854775807 + 1',
        1690,
        '22003',
        "BIGINT value is out of range in '(9223372036854775807 + 1)'",
      ],
      ['SELECT @@nope + 1', 1193, 'HY000', "Unknown system variable 'nope'"],
      // Resolved before anything is evaluated, as MySQL resolves it: even where it is never read.
      ['SELECT IF(1, 2, @@nope)', 1193, 'HY000', "Unknown system variable 'nope'"],
      [
        'SELECT @@session.version_compile_os + 0',
        1238,
        'HY000',
        "Variable 'version_compile_os' is a GLOBAL variable",
      ],
      ['SHOW TABLES FROM nodb', 1049, '42000', "Unknown database 'nodb'"],
      ['SHOW CREATE PROCEDURE nope', 1305, '42000', 'PROCEDURE nope does not exist'],
      ['SHOW CREATE FUNCTION myadd', 1305, '42000', 'FUNCTION myadd does not exist'],
      ['SHOW COLUMNS FROM t', 1146, '42S02', "Table 'rpc.t' doesn't exist"],
    ];
    for (const [sql, errno, sqlState, message] of cases) {
      expect({ sql, ...(await expectClientError(client.query(sql))) }).toEqual({
        sql,
        errno,
        sqlState,
        message,
      });
    }
    // Still beyond the evaluator: the answer to any statement the server does not run.
    const union = await expectClientError(client.query('SELECT 1 UNION SELECT 2'));
    expect(union).toMatchObject({ errno: 1064, sqlState: '42000' });
    expect(union.message).toContain('this server runs CALL statements only');
  });
});

describe('introspection shows only what the account may call', () => {
  let security: SecurityServer;
  beforeAll(async () => {
    security = await startSecurityServer();
  });
  afterAll(() => security.close());

  const names = async (user: string, password: string, sql: string): Promise<string[]> => {
    const conn = await mysql2.createConnection({
      host: '127.0.0.1',
      port: security.port,
      user,
      password,
      database: 'rpc',
    });
    try {
      const [result] = await conn.query(sql);
      return (result as Array<Record<string, string>>).map((r) => Object.values(r)[0]!);
    } finally {
      await conn.end();
    }
  };

  it('in ROUTINES, SHOW PROCEDURE STATUS and SHOW CREATE PROCEDURE', async () => {
    const routines = 'SELECT ROUTINE_NAME FROM information_schema.ROUTINES ORDER BY ROUTINE_NAME';
    expect(await names('listed', 'pw-listed', routines)).toEqual([
      'open_to_all',
      'plain',
      'report_daily',
    ]);
    expect(await names('nogrants', 'pw-nogrants', routines)).toEqual(['open_to_all']);
    expect(await names('nogrants', 'pw-nogrants', 'SHOW PROCEDURE STATUS')).toEqual(['rpc']);
    // LIKE matches the Name column, as in MySQL (not Db, the first).
    const status = (like: string) => `SHOW PROCEDURE STATUS LIKE '${like}'`;
    expect(await names('listed', 'pw-listed', status('re%'))).toEqual(['rpc']);
    expect(await names('listed', 'pw-listed', status('rpc'))).toEqual([]);
    expect(await names('granted', 'pw-granted', routines)).toContain('admin_only');
    const conn = await mysql2.createConnection({
      host: '127.0.0.1',
      port: security.port,
      user: 'nogrants',
      password: 'pw-nogrants',
    });
    try {
      // Not granted: the same answer as for a procedure that does not exist.
      await expect(conn.query('SHOW CREATE PROCEDURE rpc.plain')).rejects.toMatchObject({
        errno: 1305,
        message: 'PROCEDURE plain does not exist',
      });
      const [rows] = await conn.query('SHOW CREATE PROCEDURE rpc.open_to_all');
      expect((rows as Array<Record<string, string>>)[0]!.Procedure).toBe('open_to_all');
    } finally {
      await conn.end();
    }
  });
});

describe('without a current database', () => {
  it('names tables only with their schema, as MySQL', async () => {
    const conn = await mysql2.createConnection({
      host: '127.0.0.1',
      port: server.port,
      user: 'testuser',
      password: 'testpass',
    });
    try {
      await expect(conn.query('SELECT * FROM t')).rejects.toMatchObject({
        errno: 1046,
        sqlState: '3D000',
      });
      await expect(conn.query('SHOW TABLES')).rejects.toMatchObject({ errno: 1046 });
      await expect(conn.query('SELECT foo()')).rejects.toMatchObject({
        errno: 1305,
        message: 'FUNCTION foo does not exist',
      });
      const [rows] = await conn.query(
        'SELECT DATABASE() AS db, COUNT(*) AS n FROM information_schema.SCHEMATA',
      );
      expect(rows).toEqual([{ db: null, n: 2 }]);
    } finally {
      await conn.end();
    }
  });
});
