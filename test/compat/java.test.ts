import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CONNECTOR_J, JAVA, JAVAC, haveClients } from './clients.js';
import {
  ERR_UNKNOWN,
  describeFullPathLogins,
  describeProgram,
  runChecks,
} from './harness/checks.js';
import {
  DATE_ROWS,
  JDBC,
  callChecks,
  decoded,
  firstArgRows,
  loginChecks,
  omit,
  sum,
  variant,
} from './harness/expected.js';

/**
 * MariaDB Connector/J 2.7 (Debian's libmariadb-java) through
 * test/compat/java/Client.java, compiled once per run with javac against
 * the Debian jar into a temporary folder. TINYINT(1) reads as a Boolean.
 */
const SOURCE = join(__dirname, 'java', 'Client.java');

const INSTALLED = haveClients('connector-j');

/** The program, compiled once for this file (both describes run it) into a temporary folder. */
let compiled: Promise<string> | undefined;
const dir = mkdtempSync(join(tmpdir(), 'compat-java-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function classes(): Promise<string> {
  compiled ??= promisify(execFile)(JAVAC, ['-cp', CONNECTOR_J, '-d', dir, SOURCE], {
    timeout: 180_000,
  }).then(() => dir);
  return compiled;
}

const run = async (env: NodeJS.ProcessEnv) =>
  runChecks(
    JAVA,
    ['-Duser.timezone=UTC', '-cp', `${await classes()}:${CONNECTOR_J}`, 'Client'],
    env,
  );

/** setInt, setLong, setDouble, setString, setNull, setBytes, setDate, setTimestamp, setBigDecimal. */
const argRows = (bytes: ReturnType<typeof decoded.buffer>) => [
  ...firstArgRows(),
  bytes,
  ...DATE_ROWS,
  decoded.decimal(12),
];

/** Procedures every account granted rpc.* may see (none has a guard or an admin-only decorator). */
const OPEN_PROCEDURES = [
  'argtypes',
  'echo',
  'fail',
  'greet',
  'inc_inout',
  'myadd',
  'myadd_out',
  'series',
  'stats',
  'typed_echo',
];

/** myadd_out's signature (sample/types.controller.ts): IN a INT, IN b INT, OUT sum BIGINT. */
const MYADD_OUT_PARAMS = [
  { COLUMN_NAME: 'a', COLUMN_TYPE: 1, DATA_TYPE: 4, TYPE_NAME: /^int$/i }, // procedureColumnIn, INTEGER
  { COLUMN_NAME: 'b', COLUMN_TYPE: 1, DATA_TYPE: 4, TYPE_NAME: /^int$/i },
  { COLUMN_NAME: 'sum', COLUMN_TYPE: 4, DATA_TYPE: -5, TYPE_NAME: /^bigint$/i }, // procedureColumnOut, BIGINT
];

describeProgram('Java: MariaDB Connector/J', INSTALLED, run, {
  // java.sql.Statement: literal SQL only.
  ...variant('statement', {
    ...loginChecks(JDBC),
    ...omit(callChecks(JDBC, []), 'myadd_bound', 'argtypes'),
  }),
  // The driver's default (2.x): values written into the SQL, bytes as _binary'..'.
  ...variant('client_prepared', callChecks(JDBC, argRows(decoded.buffer(9)))),
  // useServerPrepStmts=true: INTEGER, BIGINT, DOUBLE, VARCHAR, DATE, DATETIME, DECIMAL; the
  // bytes go ahead in COM_STMT_SEND_LONG_DATA, declared VAR_STRING (so a string).
  ...variant('server_prepared', callChecks(JDBC, argRows(decoded.bytesAsText(9)))),
  ...variant('callable', {
    myadd: sum(JDBC, 7),
    // registerOutParameter(3, BIGINT), then getLong(3).
    out_param: { out: 7, wasNull: false },
    error_unknown: ERR_UNKNOWN,
  }),
  ...variant('metadata', {
    // getProcedures("rpc", null, "%")
    procedures: expect.arrayContaining(
      OPEN_PROCEDURES.map((name) => ({
        PROCEDURE_CAT: 'rpc',
        PROCEDURE_NAME: name,
        PROCEDURE_TYPE: 1, // procedureNoResult: what MySQL reports for every PROCEDURE
      })),
    ),
    // getProcedureColumns("rpc", null, "myadd_out", "%"): two IN parameters, then the OUT one.
    procedure_columns: MYADD_OUT_PARAMS.map((p, i) => ({
      PROCEDURE_NAME: 'myadd_out',
      ...p,
      TYPE_NAME: expect.stringMatching(p.TYPE_NAME),
      ORDINAL_POSITION: i + 1,
    })),
  }),
});

describeFullPathLogins('Java: MariaDB Connector/J', INSTALLED, ['java'], run, {
  // With allowPublicKeyRetrieval=true (without it Connector/J refuses to ask for the key).
  'statement.login_full_path': sum(JDBC, 3),
});
