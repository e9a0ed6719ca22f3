// The servers compared in one run, in the order each round visits them.
// `client` is the load generator that speaks the peer's protocol; `slap` says
// whether mariadb-slap (a C MySQL client) can load it too; `procedures` that
// it also runs the sample's `series(n)` and `numbers(n)` (the fairness and
// streaming scenarios).
import { URL, fileURLToPath } from 'node:url';
import { exited, freePort, spawnTracked, waitForLine } from './procs.mjs';
import { mariadbVersion, startMariadb } from './servers/mariadb.mjs';

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
    procedures: true,
    start: () => startNodeServer('ours', './servers/ours.mjs'),
  },
  {
    id: 'nest-tcp',
    label: 'Nest TCP transport',
    client: 'nest-tcp',
    slap: false,
    start: () => startNodeServer('nest-tcp', './servers/nest-tcp.mjs'),
  },
  {
    id: 'canned',
    label: 'canned-reply ceiling',
    client: 'mysql2',
    slap: true,
    start: () => startNodeServer('canned', './canned-server.mjs'),
  },
  {
    id: 'mariadb',
    label: 'MariaDB',
    client: 'mysql2',
    slap: true,
    procedures: true,
    // Why it is skipped, or null when it can run.
    unavailable: () => (mariadbVersion() ? null : 'mariadbd is not installed'),
    async start() {
      const port = await freePort();
      const server = await startMariadb(port);
      return { ...server, port };
    },
  },
];
