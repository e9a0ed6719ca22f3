/**
 * Regenerates seeds/captured.json: runs real clients (mysql2, mysql,
 * mariadb connectors, the mysql CLI and mysqladmin, and where the machine
 * has them PHP's mysqli and PDO, go-sql-driver/mysql and Python's
 * mysqlclient and PyMySQL) against the sample through a recording proxy and
 * keeps what they sent: their login packets (scramble replaced by the
 * placeholder), their commands one by one, and whole command sequences of
 * the sessions that prepare statements (`prepared`: PREPARE, EXECUTE with
 * the drivers' own typing, SEND_LONG_DATA, RESET, CLOSE) or send several
 * statements in one query (`multi`).
 *
 *   node test/fuzz/tools/capture-seeds.mjs [--root DIR]
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ServerProcess } from '../core/server.mjs';
import {
  nativeScramble,
  parseGreeting,
  PASSWORD,
  SCRAMBLE_PLACEHOLDER,
  SHA2_PLACEHOLDER,
  sha2Scramble,
} from '../core/wire.mjs';
import { splitFrames } from '../core/mutate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const argRoot = process.argv.indexOf('--root');
const root = resolve(argRoot > 0 ? process.argv[argRoot + 1] : join(here, '../../..'));
const require = createRequire(join(root, 'package.json'));
const run = promisify(execFile);

const server = new ServerProcess(root);
const upstream = await server.start();
const sessions = [];
let label = '';

const proxy = createServer((client) => {
  const rec = { client: label, up: [], down: [] };
  sessions.push(rec);
  const s = connect(upstream, '127.0.0.1');
  client.on('data', (d) => {
    rec.up.push(d);
    s.write(d);
  });
  s.on('data', (d) => {
    rec.down.push(d);
    client.write(d);
  });
  client.on('close', () => s.destroy());
  s.on('close', () => client.destroy());
  client.on('error', () => undefined);
  s.on('error', () => undefined);
});
await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
const port = proxy.address().port;
const opts = { host: '127.0.0.1', port, user: 'testuser', password: PASSWORD };
const settle = () => new Promise((r) => setTimeout(r, 100));
const attempt = async (name, fn) => {
  label = name;
  try {
    await fn();
  } catch (e) {
    console.log(`${name}: ${e.message.split('\n')[0]}`);
  }
  await settle();
};

const mysql2 = require('mysql2/promise');
await attempt('mysql2', async () => {
  const c = await mysql2.createConnection(opts);
  await c.query('SELECT 1');
  await c.query('CALL myadd(3, 4)');
  await c.query("SET @a = 1, @b = 'x'");
  await c.ping();
  await c.execute('CALL myadd(?, ?)', [1, 2]).catch(() => undefined);
  await c.end();
});
await attempt('mysql2-db', async () => {
  const c = await mysql2.createConnection({ ...opts, database: 'rpc', multipleStatements: false });
  await c.query('CALL series(2)');
  await c.changeUser({ user: 'testuser', password: PASSWORD }).catch(() => undefined);
  c.destroy();
});
const mysql = require('mysql');
await attempt('mysql', async () => {
  const c = mysql.createConnection(opts);
  const q = (sql) => new Promise((res, rej) => c.query(sql, (e, r) => (e ? rej(e) : res(r))));
  await q('CALL whoami()');
  await new Promise((res) => c.ping(() => res()));
  await new Promise((res) => c.changeUser({ user: 'testuser', password: PASSWORD }, () => res()));
  await new Promise((res) => c.end(() => res()));
});
await attempt('mariadb', async () => {
  const mariadb = require('mariadb');
  const c = await mariadb.createConnection({ ...opts, database: 'rpc', connectTimeout: 2000 });
  await c.query('CALL myadd(1, 2)');
  await c.execute('CALL myadd(?, ?)', [1, 2]).catch(() => undefined);
  await c.reset().catch(() => undefined);
  await c.end();
});
// Prepared statements as the drivers type their values, reused, closed and prepared again.
const never = () => undefined;
await attempt('mysql2-execute', async () => {
  const c = await mysql2.createConnection(opts);
  const sql = 'CALL argtypes(?, ?, ?, ?, ?, ?, ?, ?)';
  const args = [
    7,
    -1.5,
    'héllo 😀',
    null,
    Buffer.from([0, 0xff]),
    true,
    9007199254740993n,
    new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
  ];
  await c.execute(sql, args).catch(never);
  await c.execute(sql, [0, 0, '', null, Buffer.alloc(0), false, 0n, new Date(0)]).catch(never);
  await c.execute('CALL myadd(?, ?)', [3, 4]).catch(never);
  await c.execute('CALL myadd_out(?, ?, ?)', [3, 4, null]).catch(never);
  await c.execute('SELECT @@version_comment').catch(never);
  c.unprepare('CALL myadd(?, ?)');
  await c.execute('CALL myadd(?, ?)', ['5', 6]).catch(never);
  await c.execute('CALL nope(?)', [1]).catch(never);
  await c.end();
});
await attempt('mariadb-execute', async () => {
  const mariadb = require('mariadb');
  const c = await mariadb.createConnection({ ...opts, connectTimeout: 2000 });
  const args = [
    7,
    -1.5,
    'héllo 😀',
    null,
    Buffer.from([0, 0xff]),
    true,
    9007199254740993n,
    new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
  ];
  await c.execute('CALL argtypes(?, ?, ?, ?, ?, ?, ?, ?)', args).catch(never);
  await c.execute('CALL myadd(?, ?)', [1, 2]).catch(never);
  await c.execute('CALL myadd(?, ?)', [3, 4]).catch(never);
  const p = await c.prepare('CALL echo(?)').catch(() => null);
  if (p) {
    await p.execute(['x']).catch(never);
    await p.execute([12.5]).catch(never);
    p.close();
  }
  await c.execute('CALL inc_inout(?)', [41]).catch(never);
  await c.end();
});
// Several statements in one COM_QUERY.
await attempt('mysql2-multi', async () => {
  const c = await mysql2.createConnection({ ...opts, multipleStatements: true });
  await c.query('SET @a = 5; SELECT @a AS a; CALL myadd(@a, 2)').catch(never);
  await c.query("CALL myadd(1, 2); CALL nope(); SELECT 'not reached'").catch(never);
  await c.end();
});
await attempt('mariadb-multi', async () => {
  const mariadb = require('mariadb');
  const c = await mariadb.createConnection({
    ...opts,
    multipleStatements: true,
    connectTimeout: 2000,
  });
  await c.query("CALL myadd(1, 2); CALL series(2); SELECT 'a;b' AS s").catch(never);
  await c.end();
});
const cli = (bin, args) => run(bin, args, { timeout: 5000 }).catch((e) => ({ stdout: e.message }));
const base = ['-h127.0.0.1', `-P${port}`, '-utestuser', `-p${PASSWORD}`];
if (existsSync('/usr/bin/mysql')) {
  await attempt('mysql-cli', () => cli('/usr/bin/mysql', [...base, '-e', 'call myadd(3,4)']));
  await attempt('mysql-cli-db', () => cli('/usr/bin/mysql', [...base, '-Drpc', '-e', 'status']));
}
if (existsSync('/usr/bin/mysqladmin')) {
  await attempt('mysqladmin', () => cli('/usr/bin/mysqladmin', [...base, 'ping', 'status']));
}
const scratch = mkdtempSync(join(tmpdir(), 'capture-seeds-'));
const script = (name, text) => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};
if (existsSync('/usr/bin/php')) {
  // mysqli's prepared statements (long data for 'b'), PDO's native ones, mysqli::multi_query.
  const php = script(
    'capture.php',
    `<?php
mysqli_report(MYSQLI_REPORT_OFF);
$m = new mysqli('127.0.0.1', 'testuser', '${PASSWORD}', 'rpc', ${port});
$s = $m->prepare('CALL argtypes(?, ?, ?, ?)');
if ($s) {
  $i = 7; $d = 1.5; $t = 'héllo'; $b = null;
  $s->bind_param('idsb', $i, $d, $t, $b);
  $s->send_long_data(3, 'long ');
  $s->send_long_data(3, 'data');
  $drain = function ($s) {
    if ($r = $s->get_result()) $r->free();
    while ($s->more_results()) { $s->next_result(); if ($r = $s->get_result()) $r->free(); }
  };
  $s->execute();
  $drain($s);
  $s->reset();
  $i = -1; $t = '';
  $s->execute();
  $drain($s);
  $s->close();
}
if ($m->multi_query("SET @x = 1; SELECT @x; CALL myadd(1, 2)")) {
  do { if ($r = $m->store_result()) $r->free(); } while ($m->more_results() && $m->next_result());
}
$m->close();
$p = new PDO('mysql:host=127.0.0.1;port=${port};dbname=rpc', 'testuser', '${PASSWORD}', [PDO::ATTR_EMULATE_PREPARES => false]);
$q = $p->prepare('CALL myadd(?, ?)');
$q->execute([3, 4]);
$q->closeCursor();
$q->execute(['5', null]);
`,
  );
  await attempt('php', () => cli('/usr/bin/php', [php]));
}
const gopath = '/usr/share/gocode';
if (existsSync('/usr/bin/go') && existsSync(join(gopath, 'src/github.com/go-sql-driver/mysql'))) {
  // database/sql prepares every query with arguments: PREPARE, EXECUTE, CLOSE per call.
  const dir = join(scratch, 'go');
  const src = script(
    'capture.go',
    `package main
import ("database/sql"; "time"; _ "github.com/go-sql-driver/mysql")
func main() {
  db, err := sql.Open("mysql", "testuser:${PASSWORD}@tcp(127.0.0.1:${port})/rpc")
  if err != nil { return }
  db.SetMaxOpenConns(1)
  rows, err := db.Query("CALL argtypes(?, ?, ?, ?, ?, ?)", int64(7), 1.5, "héllo", []byte{0, 255}, nil, time.Date(2026, 1, 2, 3, 4, 5, 678000000, time.UTC))
  if err == nil { rows.Close() }
  st, err := db.Prepare("CALL myadd(?, ?)")
  if err == nil {
    for i := 0; i < 2; i++ { if r, e := st.Query(i, 2); e == nil { r.Close() } }
    st.Close()
  }
  db.Close()
}
`,
  );
  const env = {
    ...process.env,
    GO111MODULE: 'off',
    GOPATH: gopath,
    GOCACHE: join(scratch, 'gocache'),
  };
  const built = await run('/usr/bin/go', ['build', '-o', dir, src], { env, timeout: 120000 }).then(
    () => true,
    (e) => console.log(`go build: ${e.message.split('\n')[0]}`),
  );
  if (built) await attempt('go', () => cli(dir, []));
}
if (existsSync('/usr/bin/python3')) {
  // mysqlclient and PyMySQL: multi-statement queries (neither prepares on the server).
  const py = script(
    'capture.py',
    `import sys
for mod in ('MySQLdb', 'pymysql'):
    try:
        lib = __import__(mod)
        kw = dict(host='127.0.0.1', port=${port}, user='testuser', db='rpc')
        kw['passwd' if mod == 'MySQLdb' else 'password'] = '${PASSWORD}'
        if mod == 'pymysql':
            from pymysql.constants import CLIENT
            kw['client_flag'] = CLIENT.MULTI_STATEMENTS
        c = lib.connect(**kw)
        cur = c.cursor()
        cur.execute("SET @x = 2; CALL myadd(@x, 3); SELECT @x")
        while cur.nextset():
            pass
        c.close()
    except Exception as e:
        print(mod, e, file=sys.stderr)
`,
  );
  await attempt('python', () => cli('/usr/bin/python3', [py]));
}
rmSync(scratch, { recursive: true, force: true });
await settle();
proxy.close();
await server.stop();

const logins = [];
const commands = [];
const prepared = [];
const multi = [];
for (const s of sessions) {
  const down = Buffer.concat(s.down);
  const up = Buffer.concat(s.up);
  const g = splitFrames(down).frames[0];
  if (!g) continue;
  const { salt } = parseGreeting(g.payload);
  // The scrambles for this connection's salt (either plugin) become placeholders, filled in when sent.
  const real = [
    [nativeScramble(PASSWORD, salt), SCRAMBLE_PLACEHOLDER],
    [sha2Scramble(PASSWORD, salt), SHA2_PLACEHOLDER],
  ];
  const { frames } = splitFrames(up);
  for (const [i, f] of frames.entries()) {
    let payload = Buffer.from(f.payload);
    for (const [scramble, placeholder] of real) {
      for (let at = payload.indexOf(scramble); at >= 0; at = payload.indexOf(scramble, at + 1)) {
        placeholder.copy(payload, at);
      }
    }
    if (i === 0) logins.push({ client: s.client, seq: f.seq, hex: payload.toString('hex') });
    else if (f.seq === 0) commands.push({ client: s.client, hex: payload.toString('hex') });
  }
  // The whole command sequence of a session (COM_QUIT left out), for the kinds that need state.
  const sequence = frames
    .filter((f, i) => i > 0 && f.seq === 0 && f.payload.length > 0 && f.payload[0] !== 0x01)
    .map((f) => f.payload);
  const hex = sequence.map((p) => p.toString('hex'));
  if (sequence.some((p) => p[0] === 0x16)) prepared.push({ client: s.client, frames: hex });
  const several = (p) => p[0] === 0x03 && /;\s*\S/.test(p.toString('latin1', 1));
  if (sequence.some((p) => several(p) || p[0] === 0x1b)) {
    multi.push({ client: s.client, frames: hex.filter((h, i) => sequence[i][0] !== 0x16) });
  }
}
const out = join(here, '../seeds/captured.json');
writeFileSync(out, JSON.stringify({ logins, commands, prepared, multi }, null, 2) + '\n');
console.log(
  `${logins.length} logins, ${commands.length} commands, ${prepared.length} prepared-statement sessions, ` +
    `${multi.length} multi-statement sessions -> ${out}`,
);
