/**
 * Regenerates seeds/captured.json: runs real clients (mysql2, mysql,
 * mariadb connectors, the mysql CLI and mysqladmin when installed) against
 * the sample through a recording proxy and keeps what they sent: their
 * login packets (scramble replaced by the placeholder) and their commands.
 *
 *   node test/fuzz/tools/capture-seeds.mjs [--root DIR]
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ServerProcess } from '../core/server.mjs';
import { nativeScramble, parseGreeting, PASSWORD, SCRAMBLE_PLACEHOLDER } from '../core/wire.mjs';
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
const cli = (bin, args) => run(bin, args, { timeout: 5000 }).catch((e) => ({ stdout: e.message }));
const base = ['-h127.0.0.1', `-P${port}`, '-utestuser', `-p${PASSWORD}`];
if (existsSync('/usr/bin/mysql')) {
  await attempt('mysql-cli', () => cli('/usr/bin/mysql', [...base, '-e', 'call myadd(3,4)']));
  await attempt('mysql-cli-db', () => cli('/usr/bin/mysql', [...base, '-Drpc', '-e', 'status']));
}
if (existsSync('/usr/bin/mysqladmin')) {
  await attempt('mysqladmin', () => cli('/usr/bin/mysqladmin', [...base, 'ping', 'status']));
}
await settle();
proxy.close();
await server.stop();

const logins = [];
const commands = [];
for (const s of sessions) {
  const down = Buffer.concat(s.down);
  const up = Buffer.concat(s.up);
  const g = splitFrames(down).frames[0];
  if (!g) continue;
  const { salt } = parseGreeting(g.payload);
  const real = nativeScramble(PASSWORD, salt);
  const { frames } = splitFrames(up);
  for (const [i, f] of frames.entries()) {
    let payload = Buffer.from(f.payload);
    for (let at = payload.indexOf(real); at >= 0; at = payload.indexOf(real, at + 20)) {
      SCRAMBLE_PLACEHOLDER.copy(payload, at);
    }
    if (i === 0) logins.push({ client: s.client, seq: f.seq, hex: payload.toString('hex') });
    else if (f.seq === 0) commands.push({ client: s.client, hex: payload.toString('hex') });
  }
}
const out = join(here, '../seeds/captured.json');
writeFileSync(out, JSON.stringify({ logins, commands }, null, 2) + '\n');
console.log(`${logins.length} logins, ${commands.length} commands -> ${out}`);
