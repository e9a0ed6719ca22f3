// Paired A/B of two builds of this transport on the myadd loads: the build
// in dist/ (B) against another build of the sample (A, e.g. of an earlier
// commit), each in its own server process, measured in alternating runs with
// the same mysql2 load worker. The answer to "did this change cost anything
// on the call path?", where a full `npm run bench` compares with peers.
//
// Usage: node bench/ab.mjs <dist of A> [--b <dist of B>] [--seconds 4] [--rounds 3] [--connections 1,32] [--prepared]
// Make A with: git worktree add /tmp/a <rev> && ln -s "$PWD/node_modules" /tmp/a/ &&
//              (cd /tmp/a && node scripts/build.mjs --sample)      → A's dist is /tmp/a/dist
import { fileURLToPath, URL } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuMicros, exited, freePort, spawnTracked, waitForLine } from './procs.mjs';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '1,32' },
    prepared: { type: 'boolean', default: false },
    // B from another build too, rather than this checkout's dist/.
    b: { type: 'string' },
  },
});
if (positionals.length !== 1) {
  console.error('usage: node bench/ab.mjs <dist of A> [--seconds 4] [--rounds 3]');
  process.exit(2);
}

/** Starts bench/servers/ours.mjs on the build in `dist` (null: this checkout's). */
async function start(dist) {
  const port = await freePort();
  const env = { ...process.env };
  if (dist) env.BENCH_DIST = dist;
  else delete env.BENCH_DIST;
  const child = spawnTracked(
    process.execPath,
    [fileURLToPath(new URL('./servers/ours.mjs', import.meta.url)), String(port)],
    { stdio: ['pipe', 'pipe', 'inherit'], env },
  );
  await waitForLine(child, /^READY (\d+)/, 30_000, dist ?? 'B');
  return {
    port,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

/** One timed run of the mysql2 load worker: calls per second, and the server's CPU µs per call. */
async function measure({ port, pid }, connections) {
  const worker = spawnTracked(
    process.execPath,
    [
      fileURLToPath(new URL('./load/worker.mjs', import.meta.url)),
      JSON.stringify({
        client: 'mysql2',
        prepared: values.prepared,
        port,
        connections,
        seconds: Number(values.seconds),
        warmup: 1,
      }),
    ],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  let cpuBefore = 0;
  const result = await new Promise((resolve, reject) => {
    worker.on('message', (m) => {
      if (m.type === 'warm') {
        cpuBefore = cpuMicros(pid);
        worker.send({ type: 'go' });
      } else if (m.type === 'done') {
        resolve({ qps: m.result.qps, cpu: (cpuMicros(pid) - cpuBefore) / m.result.calls });
      } else if (m.type === 'error') reject(new Error(m.message));
    });
  });
  await exited(worker);
  return result;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const a = await start(positionals[0]);
const b = await start(values.b ?? null);
try {
  for (const connections of values.connections.split(',').map(Number)) {
    const runs = { a: [], b: [] };
    const cpu = { a: [], b: [] };
    for (let round = 0; round < Number(values.rounds); round++) {
      // Alternate which goes first, so drift over a round favours neither.
      const order = round % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
      for (const which of order) {
        const { qps, cpu: us } = await measure(which === 'a' ? a : b, connections);
        runs[which].push(qps);
        cpu[which].push(us);
      }
    }
    const [ma, mb] = [median(runs.a), median(runs.b)];
    const show = (xs) => xs.map((x) => Math.round(x)).join(' ');
    console.log(
      `${connections} connection(s)${values.prepared ? ', prepared' : ''}: ` +
        `A ${Math.round(ma)}/s [${show(runs.a)}]  B ${Math.round(mb)}/s [${show(runs.b)}]  ` +
        `B/A ${(mb / ma).toFixed(3)}; server CPU per call A ${median(cpu.a).toFixed(1)} µs, ` +
        `B ${median(cpu.b).toFixed(1)} µs`,
    );
  }
} finally {
  await a.stop();
  await b.stop();
}
