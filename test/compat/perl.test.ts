import { join } from 'node:path';
import { PERL, haveClients } from './clients.js';
import { describeFullPathLogins, describeProgram, runChecks } from './harness/checks.js';
import {
  DATE_ROWS,
  NATIVE,
  callChecks,
  decoded,
  firstArgRows,
  loginChecks,
  sum,
  stats,
  variant,
} from './harness/expected.js';

/**
 * DBI with DBD::MariaDB 1.22 (on libmariadb) through test/compat/perl/client.pl,
 * with typed binds (SQL_INTEGER, SQL_BIGINT, SQL_DOUBLE, SQL_VARCHAR,
 * SQL_BLOB, SQL_DATE, SQL_DATETIME). DBD::MariaDB hands integer and
 * floating columns over as numbers in both modes.
 */
const INSTALLED = haveClients('DBD::MariaDB');
const PROGRAM = join(__dirname, 'perl', 'client.pl');

describeProgram('Perl: DBD::MariaDB', INSTALLED, (env) => runChecks(PERL, [PROGRAM], env), {
  // Client-side placeholders: numbers unquoted, everything else quoted (SQL_BLOB too).
  ...variant('client_prepare', {
    ...loginChecks(NATIVE),
    ...callChecks(NATIVE, [...firstArgRows(), decoded.bytesAsText(9), ...DATE_ROWS]),
  }),
  // mariadb_server_prepare=1: LONG, LONGLONG, DOUBLE, STRING, BLOB; dates as STRING.
  // DBD::MariaDB reads only the first result set of a server-side prepared statement.
  ...variant('server_prepare', {
    ...callChecks(NATIVE, [...firstArgRows(), decoded.buffer(9), ...DATE_ROWS]),
    stats: stats(NATIVE).slice(0, 1),
  }),
});

describeFullPathLogins(
  'Perl: DBD::MariaDB',
  INSTALLED,
  ['perl'],
  (env) => runChecks(PERL, [PROGRAM], env),
  { 'client_prepare.login_full_path': sum(NATIVE, 3) },
);
