// mariadb-slap, the C load generator from Debian's mariadb-client: it costs
// the shared CPU far less than a Node client, so it shows more of the
// server's own limit. It reports only the time for all queries (no latency
// percentiles), so its rows have qps and CPU but no p50/p99.
import { execFileSync } from 'node:child_process';
import { exited, spawnTracked } from '../procs.mjs';
import { findExecutable } from '../servers/mariadb.mjs';

/** Path of mariadb-slap and its version line, or null when not installed. */
export function findSlap() {
  const path = findExecutable('mariadb-slap');
  if (!path) return null;
  try {
    return {
      path,
      version: execFileSync(path, ['--version'], { encoding: 'utf8' })
        .trim()
        .replace(/^\S*\//, ''),
    };
  } catch {
    return null;
  }
}

/**
 * Runs `queries` CALLs over `concurrency` connections; resolves with the
 * seconds it reports. `detach: 1` closes and reopens each client's
 * connection before every query (connect + login + CALL + quit per call).
 * mariadb-slap turns TLS on by itself whenever the server offers it (ours
 * does by default, with its generated certificate): `--skip-ssl` keeps every
 * server on plain TCP, as the mysql2 rows are. (With TLS, its client library
 * spends about 30 ms of CPU per connection setting up OpenSSL, so it could
 * not measure a server's TLS connects anyway.)
 */
export async function runSlap(
  slapPath,
  {
    port,
    concurrency,
    queries,
    query = 'CALL myadd(3,4)',
    user = 'testuser',
    password = 'testpass',
    detach = 0,
  },
) {
  const child = spawnTracked(
    slapPath,
    [
      '--no-defaults',
      '--protocol=tcp',
      '-h127.0.0.1',
      `-P${port}`,
      `-u${user}`,
      `-p${password}`,
      '--create-schema=rpc',
      `--query=${query}`,
      `--concurrency=${concurrency}`,
      `--number-of-queries=${queries}`,
      '--iterations=1',
      ...(detach ? [`--detach=${detach}`] : []),
      '--skip-ssl',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  await exited(child);
  const match = /Average number of seconds to run all queries: ([\d.]+) seconds/.exec(out);
  if (child.exitCode !== 0 || !match) {
    throw new Error(`mariadb-slap failed (${child.signalCode ?? child.exitCode}): ${out.trim()}`);
  }
  const seconds = Number(match[1]);
  return { calls: queries, seconds, qps: queries / seconds };
}
