// The servers compared in one run, in the order each round visits them.
// `client` is the load generator that speaks the peer's protocol; `slap` says
// whether mariadb-slap (a C MySQL client) can load it too; `prepares` that
// it runs `CALL myadd(?, ?)` as a prepared statement; `procedures` that
// it also runs the sample's `series(n)` and `numbers(n)` (the fairness and
// streaming scenarios).
//
// `connect` lists the rows of the connect scenario (connect + login + CALL +
// quit per call): the account a row logs in with, whether over TLS, whether
// mariadb-slap runs it too, and, for a peer's rows, which of our rows it is
// compared with (`versus`, ids of ours's rows). `available(server)` leaves a
// row out when the started server cannot run it (MariaDB without a
// certificate). Labels name the authentication the row measures. Rows call
// `myadd(1,2)` unless `args` says otherwise.
import { URL, fileURLToPath } from 'node:url';
import { exited, freePort, spawnTracked, waitForLine } from './procs.mjs';
import { MARIADB_ACCOUNT, mariadbVersion, startMariadb } from './servers/mariadb.mjs';

/** Starts a Node child entry point with a free port; resolves once it prints READY. */
async function startNodeServer(id, script) {
  const port = await freePort();
  const child = spawnTracked(
    process.execPath,
    [fileURLToPath(new URL(script, import.meta.url)), String(port)],
    // stdin stays open as the child's lifeline: EOF means we are gone.
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  await waitForLine(child, /^READY (\d+)/, 30_000, id);
  return {
    pid: child.pid,
    port,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
}

export const PEERS = [
  {
    id: 'ours',
    label: 'nestjs-mysql-rpc',
    client: 'mysql2',
    slap: true,
    prepares: true,
    procedures: true,
    connect: [
      {
        id: 'sha2',
        label: 'caching_sha2_password (fast path)',
        short: 'sha2',
        user: 'sha2user',
        slap: true,
      },
      {
        id: 'native',
        label: 'mysql_native_password (after an AuthSwitch)',
        short: 'native',
        user: 'nativeuser',
        slap: true,
      },
      {
        id: 'tls',
        label: 'caching_sha2_password over TLS',
        short: 'sha2+TLS',
        user: 'sha2user',
        tls: true,
      },
    ],
    start: () => startNodeServer('ours', './servers/ours.mjs'),
  },
  {
    id: 'nest-tcp',
    label: 'Nest TCP transport',
    client: 'nest-tcp',
    slap: false,
    connect: [{ id: 'tcp', label: 'no login', short: 'TCP', versus: ['sha2'] }],
    start: () => startNodeServer('nest-tcp', './servers/nest-tcp.mjs'),
  },
  {
    id: 'canned',
    label: 'canned-reply ceiling',
    client: 'mysql2',
    slap: true,
    connect: [
      {
        id: 'any',
        label: 'mysql_native_password, not checked',
        short: 'canned',
        user: 'testuser',
        // It answers every query with the bytes of myadd(3, 4)'s reply.
        args: [3, 4],
        slap: true,
        versus: ['sha2', 'native'],
      },
    ],
    start: () => startNodeServer('canned', './canned-server.mjs'),
  },
  {
    id: 'mariadb',
    label: 'MariaDB',
    client: 'mysql2',
    slap: true,
    prepares: true,
    procedures: true,
    connect: [
      {
        id: 'native',
        label: 'mysql_native_password',
        short: 'native',
        ...MARIADB_ACCOUNT,
        slap: true,
        versus: ['sha2', 'native'],
      },
      {
        id: 'tls',
        label: 'mysql_native_password over TLS',
        short: 'native+TLS',
        ...MARIADB_ACCOUNT,
        tls: true,
        versus: ['tls'],
        available: (server) => server.tls,
      },
    ],
    // Why it is skipped, or null when it can run.
    unavailable: () => (mariadbVersion() ? null : 'mariadbd is not installed'),
    async start() {
      const port = await freePort();
      const server = await startMariadb(port);
      return { ...server, port };
    },
  },
];
