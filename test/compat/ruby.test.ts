import { join } from 'node:path';
import { RUBY, haveClients } from './clients.js';
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
 * The mysql2 gem 0.5.3 (on libmariadb) through test/compat/ruby/client.rb.
 * DATETIME comes back as a Time (written "YYYY-MM-DD HH:MM:SS.mmm" UTC),
 * TINYINT(1) as an Integer (cast_booleans is off by default).
 */
const INSTALLED = haveClients('ruby-mysql2');
const PROGRAM = join(__dirname, 'ruby', 'client.rb');

describeProgram('Ruby: mysql2', INSTALLED, (env) => runChecks(RUBY, [PROGRAM], env), {
  // Client#escape into the SQL; Date and Time written as quoted text, BigDecimal as its digits.
  ...variant('query', {
    ...loginChecks(NATIVE),
    ...callChecks(NATIVE, [
      ...firstArgRows(),
      decoded.bytesAsText(9),
      ...DATE_ROWS,
      decoded.decimal(12),
    ]),
  }),
  // Statement#execute: LONGLONG, DOUBLE, STRING (a binary String too), DATE, DATETIME,
  // NEWDECIMAL. mysql2 0.5.3 reads only the first result set of a prepared CALL.
  ...variant('prepare', {
    ...callChecks(NATIVE, [
      ...firstArgRows(),
      decoded.bytesAsText(9),
      ...DATE_ROWS,
      decoded.decimal(12),
    ]),
    stats: stats(NATIVE).slice(0, 1),
  }),
});

describeFullPathLogins(
  'Ruby: mysql2',
  INSTALLED,
  ['ruby'],
  (env) => runChecks(RUBY, [PROGRAM], env),
  { 'query.login_full_path': sum(NATIVE, 3) },
);
