import { join } from 'node:path';
import { describeFullPathLogins, describeProgram, runChecks } from './harness/checks.js';
import {
  NODE,
  callChecks,
  decoded,
  firstArgRows,
  NO_OUT_SET,
  OUT_SET,
  loginChecks,
  sum,
  variant,
} from './harness/expected.js';

/**
 * The npm drivers through test/compat/node/client.mjs: mysql2 (query:
 * values escaped into the SQL; execute: COM_STMT_PREPARE/EXECUTE), mysql
 * (query) and mariadb (query, execute). DATETIME comes back as a Date,
 * written as ISO text; the program runs in UTC like the sample.
 */
const PROGRAM = join(__dirname, 'node', 'client.mjs');

/** The two date arguments as the driver wrote them into the SQL, or sent them as DATETIME. */
const dates = (date: string, datetime: string) => [
  decoded.text(10, date),
  decoded.text(11, datetime),
];
const DATETIME_PARAMS = dates('2026-01-02 00:00:00', '2026-01-02 03:04:05');

describeProgram(
  'npm drivers: mysql2, mysql, mariadb',
  true,
  (env) => runChecks(process.execPath, [PROGRAM], env),
  {
    // query: a BigInt as its digits, a Buffer as X'..', a Date as 'YYYY-MM-DD HH:MM:SS.mmm'.
    ...variant('mysql2.query', {
      ...loginChecks(NODE),
      ...callChecks(NODE, [
        ...firstArgRows(),
        decoded.buffer(9),
        ...dates('2026-01-02 00:00:00.000', '2026-01-02 03:04:05.000'),
      ]),
    }),
    // execute: numbers as DOUBLE, a BigInt as VAR_STRING (mysql2 has no integer type for it
    // unless the server's parameter definitions say so), a Buffer as BLOB, a Date as DATETIME.
    ...variant('mysql2.execute', {
      ...callChecks(NODE, [
        ...firstArgRows({ bigint: 'string' }),
        decoded.buffer(9),
        ...DATETIME_PARAMS,
      ]),
      out_param_bound: NO_OUT_SET, // mysql2 does not set CLIENT_PS_MULTI_RESULTS
    }),
    // query: a BigInt is quoted (a string), a Buffer X'..'.
    ...variant('mysql.query', {
      ...loginChecks(NODE),
      ...callChecks(NODE, [
        ...firstArgRows({ bigint: 'string' }),
        decoded.buffer(9),
        ...dates('2026-01-02 00:00:00.000', '2026-01-02 03:04:05.000'),
      ]),
    }),
    // query: a Buffer as _BINARY '..' with its raw bytes, a Date as 'Y-M-D h:m:s' unpadded.
    ...variant('mariadb.query', {
      ...loginChecks(NODE),
      ...callChecks(NODE, [
        ...firstArgRows(),
        decoded.buffer(9),
        ...dates('2026-1-2 0:0:0', '2026-1-2 3:4:5'),
      ]),
    }),
    // execute: INT, BIGINT, DOUBLE, VAR_STRING, BLOB, DATETIME.
    ...variant('mariadb.execute', {
      ...callChecks(NODE, [...firstArgRows(), decoded.buffer(9), ...DATETIME_PARAMS]),
      out_param_bound: OUT_SET,
    }),
  },
);

describeFullPathLogins(
  'npm drivers',
  true,
  ['mysql2', 'mariadb'],
  (env) => runChecks(process.execPath, [PROGRAM], env),
  {
    'mysql2.query.login_full_path': sum(NODE, 3),
    // With allowPublicKeyRetrieval (the driver's own guard).
    'mariadb.query.login_full_path': sum(NODE, 3),
  },
);
