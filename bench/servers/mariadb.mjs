// Peer "MariaDB": a throwaway real server running the same procedures
// (`CREATE PROCEDURE myadd(a INT, b INT) SELECT a + b AS sum`, and `series`
// and `numbers` over the sequence engine), so the tables show what a C
// server doing the same work costs. Its data directory lives
// under bench/.tmp/ and is removed when the run ends, however it ends.
//
// It checks logins and privileges as ours does: the bench's account is
// `testuser`@`%` with password `testpass` on mysql_native_password (MariaDB
// has no server-side caching_sha2_password) and EXECUTE on rpc.*; the
// procedures are created by root (no password, on 127.0.0.1 only) and run
// with its rights. Where `openssl` is installed it also gets a self-signed
// RSA 2048 certificate made at start, like the one ours generates, so the
// connect scenario can compare logins over TLS; without it TLS stays off.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { URL, fileURLToPath } from 'node:url';
import mysql from 'mysql2';
import { exited, onExit, spawnTracked } from '../procs.mjs';

const TMP_ROOT = fileURLToPath(new URL('../.tmp/', import.meta.url));

/** Path of an executable found on PATH or in the usual sbin directories, or null. */
export function findExecutable(name) {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin']) {
    const path = join(dir || '.', name);
    if (existsSync(path)) return path;
  }
  return null;
}

/** `mariadbd --version`, or null when it is not installed. */
export function mariadbVersion() {
  const mariadbd = findExecutable('mariadbd');
  if (!mariadbd) return null;
  try {
    return execFileSync(mariadbd, ['--version'], { encoding: 'utf8' })
      .trim()
      .replace(/^\S*\//, '');
  } catch {
    return null;
  }
}

/** The bench's account on MariaDB, the one every load generator logs in with. */
export const MARIADB_ACCOUNT = { user: 'testuser', password: 'testpass' };

/** Runs one statement as root (no password, from 127.0.0.1: made by mariadb-install-db). */
function setupQuery(port, sql) {
  return new Promise((resolve, reject) => {
    const conn = mysql.createConnection({ host: '127.0.0.1', port, user: 'root' });
    conn.once('error', reject);
    conn.query(sql, (error) => {
      conn.destroy();
      if (error) reject(error);
      else resolve();
    });
  });
}

/**
 * A self-signed certificate and key (RSA 2048, sha256) in `dir`, made with
 * the openssl command; null (TLS stays off) when it is not installed.
 */
function makeCertificate(dir) {
  const openssl = findExecutable('openssl');
  if (!openssl) return null;
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  try {
    execFileSync(
      openssl,
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-sha256',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    return { cert, key };
  } catch {
    return null;
  }
}

/**
 * Starts mariadbd on `port`; resolves with { pid, tls, alive(), stop() } once
 * the account and the procedures exist (`tls`: it accepts TLS).
 */
export async function startMariadb(port) {
  const mariadbd = findExecutable('mariadbd');
  const installDb = findExecutable('mariadb-install-db');
  if (!mariadbd || !installDb) throw new Error('mariadbd / mariadb-install-db not installed');
  mkdirSync(TMP_ROOT, { recursive: true });
  const dir = mkdtempSync(join(TMP_ROOT, 'mariadb-'));
  onExit(() => rmSync(dir, { recursive: true, force: true }));
  const datadir = join(dir, 'data');
  execFileSync(
    installDb,
    [
      '--no-defaults',
      '--auth-root-authentication-method=normal',
      `--datadir=${datadir}`,
      '--user=root',
      '--skip-test-db',
    ],
    { stdio: 'ignore' },
  );
  const certificate = makeCertificate(dir);
  const child = spawnTracked(
    mariadbd,
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--socket=${join(dir, 'sock')}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--user=root',
      '--skip-name-resolve',
      ...(certificate ? [`--ssl-cert=${certificate.cert}`, `--ssl-key=${certificate.key}`] : []),
      `--log-error=${join(dir, 'error.log')}`,
    ],
    { stdio: 'ignore' },
  );
  // mariadbd cannot notice that we died, and our exit handlers do not run on
  // SIGKILL: a watchdog shell checks once a second that we (and it) are still
  // there, and otherwise kills it and removes the data directory.
  spawnTracked(
    'sh',
    [
      '-c',
      'while kill -0 "$0" && kill -0 "$1"; do sleep 1; done 2>/dev/null; kill -9 "$1" 2>/dev/null; rm -rf "$2"',
      String(process.pid),
      String(child.pid),
      dir,
    ],
    { stdio: 'ignore' },
  );
  // With --log-error it prints nothing: poll the port until it answers.
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await setupQuery(port, 'SELECT 1');
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`mariadbd did not start: ${error.message} (see ${dir}/error.log)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  await setupQuery(port, 'CREATE DATABASE rpc');
  const { user, password } = MARIADB_ACCOUNT;
  await setupQuery(
    port,
    `CREATE USER '${user}'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('${password}')`,
  );
  await setupQuery(port, `GRANT EXECUTE ON rpc.* TO '${user}'@'%'`);
  await setupQuery(port, 'CREATE PROCEDURE rpc.myadd(a INT, b INT) SELECT a + b AS sum');
  // The sample's `series(n)` and `numbers(n)`, row for row, from the
  // sequence engine: the same columns, types and text on the wire.
  await setupQuery(
    port,
    `CREATE PROCEDURE rpc.series(n INT)
       SELECT seq AS id, seq * seq AS square, seq / 2e0 AS half, CONCAT('row ', seq) AS label,
              seq % 2 = 0 AS even,
              CAST(TIMESTAMP'2026-01-01 00:00:00' + INTERVAL seq - 1 SECOND AS DATETIME(3)) AS at
       FROM seq_1_to_100000 WHERE seq <= n`,
  );
  await setupQuery(
    port,
    `CREATE PROCEDURE rpc.numbers(n INT)
       SELECT seq AS id, CONCAT('row ', seq) AS label, seq / 8e0 AS value,
              CAST(TIMESTAMP'2026-01-01 00:00:00' + INTERVAL seq SECOND AS DATETIME(3)) AS at
       FROM seq_1_to_10000000 WHERE seq <= n`,
  );
  return {
    pid: child.pid,
    tls: certificate !== null,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      child.kill('SIGTERM'); // a clean shutdown, then the directory goes
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited(child);
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
