import { join } from 'node:path';
import { PYTHON, haveClients } from './clients.js';
import { ERR_WRONG_PASSWORD, describeProgram, err, runChecks } from './harness/checks.js';
import {
  DATE_ROWS,
  NATIVE,
  callChecks,
  decoded,
  firstArgRows,
  loginChecks,
  variant,
} from './harness/expected.js';

/**
 * PyMySQL 1.0.2 and mysqlclient 1.4.6 (MySQLdb, on libmariadb) through
 * test/compat/python/client.py. Both write the parameters into the SQL
 * (bytes as a quoted string, dates as quoted text, Decimal as its
 * digits); callproc() passes the arguments through @_<proc>_<n> variables.
 */
const PROGRAM = join(__dirname, 'python', 'client.py');

const ARG_ROWS = [...firstArgRows(), decoded.bytesAsText(9), ...DATE_ROWS, decoded.decimal(12)];

/** callproc('myadd_out', (3, 4, 0)): SET @_myadd_out_0..2, CALL myadd_out(@_myadd_out_0, ..), then SELECT @_myadd_out_2. */
const CALLPROC_OUT = { call: [], select: [[{ '@_myadd_out_2': 7 }]] };

describeProgram(
  'Python: PyMySQL and mysqlclient',
  haveClients('pymysql', 'MySQLdb'),
  (env) => runChecks(PYTHON, [PROGRAM], env),
  {
    ...variant('pymysql', {
      ...loginChecks(NATIVE),
      ...callChecks(NATIVE, ARG_ROWS),
      callproc_out: CALLPROC_OUT,
    }),
    // A refused login leaves no connection to ask for the SQLSTATE.
    ...variant('mysqlclient', {
      ...loginChecks(NATIVE, err(1045, null, ERR_WRONG_PASSWORD.error.message)),
      ...callChecks(NATIVE, ARG_ROWS),
      callproc_out: CALLPROC_OUT,
    }),
  },
);
