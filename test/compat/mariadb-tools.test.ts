import { join } from 'node:path';
import { PYTHON, haveClients } from './clients.js';
import { LARGE_LENGTH, UNICODE, describeProgram, runChecks } from './harness/checks.js';
import { ANY_INT, ANY_TEXT, escapeRegExp, rx } from './harness/expected.js';

/**
 * The MariaDB 10.11 tools through test/compat/cli/client.py: the mariadb
 * CLI in batch mode and interactively under a pseudo-terminal (start-up,
 * `use`, `status`, completing a procedure name with TAB, several result
 * sets, an error, `source`), mysqladmin, and mariadb-slap with 8 clients
 * at once. All with their default TLS.
 */
const PROGRAM = join(__dirname, 'cli', 'client.py');

/** A batch run that succeeded, printing `stdout`. */
const ok = (stdout: unknown) => ({ code: 0, stdout, stderr: '' });
/** A batch run whose statement failed: the CLI shows the statement, then MySQL's error line. */
const failed = (sql: string, error: string) => ({
  code: 1,
  stdout: '',
  stderr: `--------------\n${sql}\n--------------\n\n${error}\n`,
});

const SERIES = [
  'id\tsquare\thalf\tlabel\teven\tat',
  '1\t1\t0.5\trow 1\t0\t2026-01-01 00:00:00.000',
  '2\t4\t1\trow 2\t1\t2026-01-01 00:00:01.000',
  '3\t9\t1.5\trow 3\t0\t2026-01-01 00:00:02.000',
];

/** What `status` prints (the CLI's own version line aside) in database rpc, after `before`, then `after`. */
const status = (before: string, after: string) => rx`${escapeRegExp(before)}--------------
${ANY_TEXT}mariadb  Ver ${ANY_TEXT}

Connection id:\t\t${ANY_INT}
Current database:\trpc
Current user:\t\ttestuser@127.0.0.1
SSL:\t\t\tCipher in use is ${'\\S+'}
Current pager:\t\tstdout
Using outfile:\t\t''
Using delimiter:\t;
Server:\t\t\tMySQL
Server version:\t\t8.0.36-nestjs-mysql-rpc nestjs-mysql-rpc
Protocol version:\t10
Connection:\t\t127.0.0.1 via TCP/IP
Server characterset:\tutf8mb4
Db     characterset:\tutf8mb4
Client characterset:\tutf8mb4
Conn.  characterset:\tutf8mb4
TCP port:\t\t${ANY_INT}
Uptime:\t\t\t${ANY_TEXT}

Threads: ${ANY_INT}  Questions: ${ANY_INT}  Slow queries: 0  Opens: 0  Flush tables: 1  Open tables: 0  Queries per second avg: ${'\\d+\\.\\d{3}'}
--------------

${escapeRegExp(after)}`;

/** The result of `call myadd(..)` as the interactive CLI draws it. */
const SUM_TABLE = (n: number) =>
  `+-----+\n| sum |\n+-----+\n|   ${n} |\n+-----+\n1 row in set (N sec)\n\nQuery OK, 0 rows affected (N sec)\n\n`;

describeProgram(
  'MariaDB tools: mariadb CLI, mysqladmin, mariadb-slap',
  haveClients('mysql', 'mysqladmin', 'mariadb-slap'),
  (env) => runChecks(PYTHON, [PROGRAM], env),
  {
    'batch.login': ok(
      rx`user\taccount\troles\ttls\tclient\tconnection_id\tdatabase\tprocedure
testuser\ttestuser@%\t\t1\t127.0.0.1:${ANY_INT}\t${ANY_INT}\tNULL\twhoami
`,
    ),
    'batch.myadd': ok('sum\n7\n'),
    'batch.table': ok('+-----+\n| sum |\n+-----+\n|   7 |\n+-----+\n'),
    'batch.series': ok(`${SERIES.join('\n')}\n`),
    'batch.stats': ok(
      rx`metric\tvalue\nuptime_s\t${ANY_INT}\nheap_used\trss\n${ANY_INT}\t${ANY_INT}\n`,
    ),
    'batch.unicode': ok(`v\n${UNICODE}\n`),
    'batch.null': ok('v\nNULL\n'),
    'batch.large': { code: 0, length: LARGE_LENGTH, same: true, stderr: '' },
    'batch.out_param': ok('@s\n7\n'),
    'batch.error_unknown': failed(
      'call nosuch()',
      'ERROR 1305 (42000) at line 1: PROCEDURE rpc.nosuch does not exist',
    ),
    'batch.error_denied': failed(
      'call secret()',
      "ERROR 1370 (42000) at line 1: execute command denied to user 'testuser'@'%' for routine 'rpc.secret'",
    ),
    'batch.error_failing': failed(
      "call fail('dup')",
      "ERROR 1062 (23000) at line 1: Duplicate entry 'x' for key 'PRIMARY'",
    ),
    'batch.source': ok(`sum\n3\nv\n${UNICODE}\n${SERIES.slice(0, 3).join('\n')}\n`),
    'batch.use_and_status': ok(status('', '')),

    'interactive.startup': rx`Welcome to the MariaDB monitor.  Commands end with ; or \\g.
Your MySQL connection id is ${ANY_INT}
Server version: 8.0.36-nestjs-mysql-rpc nestjs-mysql-rpc

Copyright (c) 2000, 2018, Oracle, MariaDB Corporation Ab and others.

Type 'help;' or '\\h' for help. Type '\\c' to clear the current input statement.

MySQL [(none)]> `,
    // Reading the names for completion (SHOW DATABASES, SHOW TABLES, COM_FIELD_LIST) may print
    // a notice first; then the database is changed.
    'interactive.use': rx`MySQL [(none)]> use rpc\n${'(?:(?!ERROR)[\\s\\S])*'}Database changed\nMySQL [rpc]> `,
    'interactive.status': status('MySQL [rpc]> status\n', 'MySQL [rpc]> '),
    // TAB completes database names: "use inf" + TAB + ";" selects information_schema.
    'interactive.completion': rx`MySQL [rpc]> use information_schema ;\n${'(?:(?!ERROR)[\\s\\S])*'}Database changed\nMySQL [information_schema]> `,
    'interactive.completion_back': rx`MySQL [information_schema]> use rpc ;\n${'(?:(?!ERROR)[\\s\\S])*'}Database changed\nMySQL [rpc]> `,
    'interactive.call': `MySQL [rpc]> call myadd(3,4);\n${SUM_TABLE(7)}MySQL [rpc]> `,
    'interactive.multi_results': rx`MySQL [rpc]> call stats();
${'\\+-+\\+-+\\+'}
| metric   | value |
${'\\+-+\\+-+\\+'}
| uptime_s | ${' *\\d+'} |
${'\\+-+\\+-+\\+'}
1 row in set (N sec)

${'\\+-+\\+-+\\+'}
| heap_used${' +'}| rss${' +'}|
${'\\+-+\\+-+\\+'}
|${' +\\d+'} |${' +\\d+'} |
${'\\+-+\\+-+\\+'}
1 row in set (N sec)

Query OK, 0 rows affected (N sec)

MySQL [rpc]> `,
    'interactive.error':
      'MySQL [rpc]> call nosuch();\nERROR 1305 (42000): PROCEDURE rpc.nosuch does not exist\nMySQL [rpc]> ',
    'interactive.source': [
      'MySQL [rpc]> source <calls.sql>\n',
      SUM_TABLE(3),
      '+---------------------------+\n',
      '| v                         |\n',
      '+---------------------------+\n',
      `| ${UNICODE}               |\n`,
      '+---------------------------+\n',
      '1 row in set (N sec)\n\nQuery OK, 0 rows affected (N sec)\n\n',
      '+----+--------+------+-------+------+-------------------------+\n',
      '| id | square | half | label | even | at                      |\n',
      '+----+--------+------+-------+------+-------------------------+\n',
      '|  1 |      1 |  0.5 | row 1 |    0 | 2026-01-01 00:00:00.000 |\n',
      '|  2 |      4 |    1 | row 2 |    1 | 2026-01-01 00:00:01.000 |\n',
      '+----+--------+------+-------+------+-------------------------+\n',
      '2 rows in set (N sec)\n\nQuery OK, 0 rows affected (N sec)\n\n',
      'MySQL [rpc]> ',
    ].join(''),
    'interactive.quit': 'MySQL [rpc]> quit\nBye\n',

    'mysqladmin.ping': ok('mysqld is alive\n'),
    'mysqladmin.status': ok(
      rx`Uptime: ${ANY_INT}  Threads: ${ANY_INT}  Questions: ${ANY_INT}  Slow queries: 0  Opens: 0  Flush tables: 1  Open tables: 0  Queries per second avg: ${'\\d+\\.\\d{3}'}\n`,
    ),
    // SHOW PROCESSLIST: MySQL's eight columns, this connection running it.
    'mysqladmin.processlist': ok(
      expect.stringMatching(
        new RegExp(
          [
            '^(\\+-+)+\\+\\n',
            '\\| Id +\\| User +\\| Host +\\| db +\\| Command +\\| Time +\\| State +\\| Info +\\|\\n',
            '(\\+-+)+\\+\\n',
            '(\\|[^\\n]*\\|\\n)*',
            '\\| +\\d+ \\| testuser +\\| 127\\.0\\.0\\.1:\\d+ +\\| +\\| Query +\\| *0 *\\| [^|\\n]*\\| show processlist +\\|\\n',
            '(\\|[^\\n]*\\|\\n)*',
            '(\\+-+)+\\+\\n$',
          ].join(''),
        ),
      ),
    ),
    // 8 clients at once, 2 iterations, 48 statements (CALLs of one, two and three result sets) per iteration.
    'slap.concurrency': ok(
      rx`Benchmark
\tAverage number of seconds to run all queries: ${'\\d+\\.\\d+'} seconds
\tMinimum number of seconds to run all queries: ${'\\d+\\.\\d+'} seconds
\tMaximum number of seconds to run all queries: ${'\\d+\\.\\d+'} seconds
\tNumber of clients running queries: 8
\tAverage number of queries per client: 6

`,
    ),
  },
);
