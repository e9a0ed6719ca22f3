import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PYTHON, haveClients } from './clients.js';
import { startTestServer, type TestServer } from '../support/test-app.js';

const run = promisify(execFile);

/**
 * Clients outside Node: the mysql command-line client and PyMySQL (which
 * aborts on any sequence-id gap). CI installs both (see .ci/run); on a
 * machine without them these tests are skipped with a notice, but under
 * CI a missing client is a failure, not a skip. The MariaDB 10.11 CLI uses
 * TLS by default; the logins themselves are covered in the other files here.
 */
const haveCli = haveClients('mysql');
const havePyMysql = haveClients('pymysql');

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const mysqlCli = (sql: string, ...extra: string[]) =>
  run('/usr/bin/mysql', [
    '-h127.0.0.1',
    `-P${server.port}`,
    '-utestuser',
    '-ptestpass',
    ...extra,
    '-e',
    sql,
  ]);

(haveCli ? describe : describe.skip)('mysql command-line client', () => {
  it('prints the sum as a table', async () => {
    const { stdout } = await mysqlCli('call myadd(3,4)', '-t');
    expect(stdout).toBe('+-----+\n| sum |\n+-----+\n|   7 |\n+-----+\n');
  });

  it('prints several result sets and unicode', async () => {
    const { stdout } = await mysqlCli("call multi(); call echo('😀 ok')", '--batch');
    expect(stdout).toBe('a\n1\n2\nb\nx\nresult\n😀 ok\n');
  });

  it('runs status, use and the version banner', async () => {
    const { stdout } = await mysqlCli(
      'use rpc; status; select @@version_comment limit 1; select database()',
    );
    expect(stdout).toContain('Current user:\t\ttestuser@127.0.0.1');
    expect(stdout).toContain('Server version:\t\t8.0.36-nestjs-mysql-rpc');
    expect(stdout).toContain('nestjs-mysql-rpc');
    expect(stdout).toMatch(/database\(\)\nrpc\n$/);
  });

  it('reports errors with code and SQLSTATE', async () => {
    await expect(mysqlCli('call nosuch()')).rejects.toMatchObject({
      stderr: expect.stringContaining(
        'ERROR 1305 (42000) at line 1: PROCEDURE rpc.nosuch does not exist',
      ),
    });
    await expect(
      run('/usr/bin/mysql', [
        '-h127.0.0.1',
        `-P${server.port}`,
        '-utestuser',
        '-pwrong',
        '-e',
        'select 1',
      ]),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining(
        "ERROR 1045 (28000): Access denied for user 'testuser'@'127.0.0.1' (using password: YES)",
      ),
    });
  });
});

const PY_SCRIPT = String.raw`
import json, sys, pymysql
port = int(sys.argv[1])
c = pymysql.connect(host='127.0.0.1', port=port, user='testuser', password='testpass', database='rpc')
cur = c.cursor()
out = {}
cur.execute('CALL myadd(3, 4)')
out['sum'] = cur.fetchall()
cur.execute('CALL multi()')
sets = [cur.fetchall()]
while cur.nextset():
    sets.append(cur.fetchall())
out['multi'] = sets
cur.execute('CALL make_rows(10000)')
out['rows'] = len(cur.fetchall())
cur.execute('CALL echo(%s)', ('it\'s 😀',))
out['echo'] = cur.fetchall()
try:
    cur.execute('CALL mysql_error()')
except pymysql.MySQLError as e:
    out['error'] = list(e.args)
cur.execute('CALL myadd(1, 1)')
out['after_error'] = cur.fetchall()
cur.callproc('myadd', (5, 6))
out['callproc'] = cur.fetchall()
while cur.nextset():
    pass
cur.execute('SELECT @_myadd_0, @_myadd_1')
out['callproc_args'] = cur.fetchall()
c.close()
print(json.dumps(out, ensure_ascii=False))
`;

(havePyMysql ? describe : describe.skip)('PyMySQL', () => {
  it('calls procedures, reads every result set and errors', async () => {
    const { stdout } = await run(PYTHON, ['-c', PY_SCRIPT, String(server.port)]);
    expect(JSON.parse(stdout)).toEqual({
      sum: [[7]],
      multi: [[[1], [2]], [['x']], []],
      rows: 10000,
      echo: [["it's 😀"]],
      error: [1062, "Duplicate entry 'a' for key 'PRIMARY'"],
      after_error: [[2]],
      callproc: [[11]],
      callproc_args: [[5, 6]],
    });
  });
});
