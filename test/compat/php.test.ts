import { join } from 'node:path';
import { PHP, haveClients } from './clients.js';
import { describeFullPathLogins, describeProgram, err, runChecks } from './harness/checks.js';
import {
  DATE_ROWS,
  NATIVE,
  TEXT,
  callChecks,
  decoded,
  firstArgRows,
  NO_OUT_SET,
  loginChecks,
  sum,
  variant,
} from './harness/expected.js';

/**
 * PHP 8.2's PDO and mysqli (both on mysqlnd) through test/compat/php/client.php.
 * mysqlnd keeps no SQLSTATE from an ERR packet during the login (it
 * reports HY000), and PDO gives numbers as numbers in both modes, mysqli
 * only from prepared statements.
 */
const INSTALLED = haveClients('php');
const PROGRAM = join(__dirname, 'php', 'client.php');

const WRONG_PASSWORD = err(
  1045,
  'HY000',
  "Access denied for user 'testuser'@'127.0.0.1' (using password: YES)",
);

/** PDO binds: PARAM_INT for integers, PARAM_STR for 1.5 and the dates, PARAM_LOB for the bytes (a plain string to mysqlnd). */
const PDO_ARGS = [...firstArgRows({ double: 'string' }), decoded.bytesAsText(9), ...DATE_ROWS];

/**
 * PDO with native prepares shows the CALL's final OK as one more, empty
 * rowset: after nextRowset() onto it, columnCount() still gives the
 * previous result's count (mysqlnd keeps a prepared statement's field
 * count over an OK). The server's bytes are MySQL's: the last result set
 * ends with MORE_RESULTS_EXISTS, then the OK without it (mysqli_stmt reads
 * exactly the result sets from the same bytes).
 */
function withStatusRowset(checks: Record<string, unknown>): Record<string, unknown> {
  const calls = ['myadd', 'myadd_bound', 'argtypes', 'series', 'stats', 'unicode', 'null'];
  return Object.fromEntries(
    Object.entries(checks).map(([k, v]) => [k, calls.includes(k) ? [...(v as unknown[]), []] : v]),
  );
}

describeProgram('PHP: PDO and mysqli', INSTALLED, (env) => runChecks(PHP, [PROGRAM], env), {
  ...variant('pdo_emulated', {
    ...loginChecks(NATIVE, WRONG_PASSWORD),
    ...callChecks(NATIVE, PDO_ARGS),
  }),
  ...variant('pdo_native', withStatusRowset(callChecks(NATIVE, PDO_ARGS))),
  // real_escape_string into the SQL: the bytes become a quoted string.
  ...variant('mysqli', {
    ...loginChecks(TEXT, WRONG_PASSWORD),
    ...callChecks(TEXT, [...firstArgRows(), decoded.bytesAsText(9), ...DATE_ROWS]),
  }),
  // bind_param 'i', 'd', 's' and 'b' (the bytes and the large argument through send_long_data).
  ...variant('mysqli_stmt', {
    ...callChecks(NATIVE, [...firstArgRows(), decoded.buffer(9), ...DATE_ROWS]),
    out_param_bound: NO_OUT_SET, // mysqlnd does not set CLIENT_PS_MULTI_RESULTS
  }),
});

describeFullPathLogins(
  'PHP: PDO and mysqli',
  INSTALLED,
  ['pdo', 'mysqli'],
  (env) => runChecks(PHP, [PROGRAM], env),
  {
    'pdo_emulated.login_full_path': sum(NATIVE, 3),
    'mysqli.login_full_path': sum(TEXT, 3),
  },
);
