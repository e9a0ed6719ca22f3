import { join } from 'node:path';
import { RUBY, haveClients } from './clients.js';
import { clientEnv, describeProgram, runChecks } from './harness/checks.js';
import {
  DATE_ROWS,
  NATIVE,
  callChecks,
  decoded,
  firstArgRows,
  loginChecks,
  stats,
  variant,
} from './harness/expected.js';

/**
 * The mysql2 gem 0.5.3 (on libmariadb) through test/compat/ruby/client.rb.
 * DATETIME comes back as a Time (written "YYYY-MM-DD HH:MM:SS.mmm" UTC),
 * TINYINT(1) as an Integer (cast_booleans is off by default).
 */
const PROGRAM = join(__dirname, 'ruby', 'client.rb');

describeProgram(
  'Ruby: mysql2',
  haveClients('ruby-mysql2'),
  (server) => runChecks(RUBY, [PROGRAM], clientEnv(server)),
  {
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
  },
);
