// `npm run bench`: this transport against its peers, in one run, on one
// machine. Each server runs in its own child process (so its CPU can be read
// apart from the load generator's); rounds are interleaved (every peer once
// per round, then again) and each figure is the median over rounds, because
// a small shared machine drifts and only same-run ratios are worth quoting.
// See bench/README.md for the rules it follows and how to run it.
//
// Settings (environment):
//   BENCH_SECONDS          timed window of one measurement (default 1.5)
//   BENCH_WARMUP_SECONDS   warm-up before it, Node clients (default 0.5)
//   BENCH_SERVER_WARMUP_SECONDS  load on each fresh server before round 1 (default 2)
//   BENCH_ROUNDS           interleaved rounds; medians over them (default 5)
//   BENCH_CONCURRENCY      connections of the throughput scenario (default 32)
//   BENCH_PEERS            comma list to run a subset: ours,nest-tcp,canned,mariadb
//   BENCH_SLAP=0           do not use mariadb-slap even if installed
import { existsSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';
import {
  cpuAccounting,
  cpuMicros,
  exited,
  installExitHandlers,
  otherLoad,
  peakRssKiB,
  resetPeakRss,
  spawnTracked,
} from './procs.mjs';
import { PEERS } from './peers.mjs';
import { findSlap, runSlap } from './load/slap.mjs';
import { mariadbVersion } from './servers/mariadb.mjs';
import { machineInfo, writeReport } from './report.mjs';

const env = process.env;
const positive = (value, fallback) => (Number(value) > 0 ? Number(value) : fallback);
const config = {
  seconds: positive(env.BENCH_SECONDS, 1.5),
  warmup: positive(env.BENCH_WARMUP_SECONDS, 0.5),
  serverWarmup: positive(env.BENCH_SERVER_WARMUP_SECONDS, 2),
  rounds: Math.round(positive(env.BENCH_ROUNDS, 5)),
  concurrency: Math.round(positive(env.BENCH_CONCURRENCY, 32)),
};
const onlyPeers = env.BENCH_PEERS ? new Set(env.BENCH_PEERS.split(',').map((s) => s.trim())) : null;

const SCENARIOS = [
  { id: 'seq', title: '`myadd`, 1 connection, sequential calls', connections: 1 },
  {
    id: 'conc',
    title: `\`myadd\`, ${config.concurrency} connections, each sequential`,
    connections: config.concurrency,
  },
];

const notes = [];
const note = (text) => {
  notes.push(text);
  console.log(`note: ${text}`);
};

/** One measurement with a Node client in a worker process; see load/worker.mjs. */
async function measureWithWorker(peer, scenario, timing = config) {
  resetPeakRss(peer.server.pid);
  const worker = spawnTracked(
    process.execPath,
    [
      fileURLToPath(new URL('./load/worker.mjs', import.meta.url)),
      JSON.stringify({
        client: peer.client,
        port: peer.server.port,
        // Nest's ClientProxy multiplexes one socket: N calls in flight on it.
        connections: scenario.connections,
        seconds: timing.seconds,
        warmup: timing.warmup,
      }),
    ],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  let cpuBefore = 0;
  const result = await new Promise((resolve, reject) => {
    worker.on('message', (message) => {
      if (message.type === 'warm') {
        // The timed window starts now: connection set-up and warm-up are out.
        cpuBefore = cpuMicros(peer.server.pid);
        worker.send({ type: 'go' });
      } else if (message.type === 'done') {
        const cpu = cpuMicros(peer.server.pid) - cpuBefore;
        resolve({ ...message.result, cpuUsPerCall: cpu / message.result.calls });
      } else if (message.type === 'error') {
        reject(new Error(message.message));
      }
    });
    worker.once('exit', (code) => reject(new Error(`load worker exited (${code}) early`)));
  });
  await exited(worker);
  return { ...result, peakRssKiB: peakRssKiB(peer.server.pid) };
}

/** Queries per mariadb-slap run, per peer and scenario, sized by a first short run. */
const slapQueries = new Map();

async function measureWithSlap(slap, peer, scenario) {
  const concurrency = scenario.connections;
  const key = `${peer.id}|${scenario.id}`;
  if (!slapQueries.has(key)) {
    // Calibration, which also warms up: a short run tells how many queries
    // fill the timed window at this peer's pace.
    const probe = await runSlap(slap.path, {
      port: peer.server.port,
      concurrency,
      queries: concurrency * Math.max(100, Math.ceil(2000 / concurrency)),
    });
    const perClient = Math.max(100, Math.round((probe.qps * config.seconds) / concurrency));
    slapQueries.set(key, perClient * concurrency);
  }
  resetPeakRss(peer.server.pid);
  const cpuBefore = cpuMicros(peer.server.pid);
  const result = await runSlap(slap.path, {
    port: peer.server.port,
    concurrency,
    queries: slapQueries.get(key),
  });
  const cpu = cpuMicros(peer.server.pid) - cpuBefore;
  return {
    ...result,
    p50us: NaN,
    p99us: NaN,
    cpuUsPerCall: cpu / result.calls,
    peakRssKiB: peakRssKiB(peer.server.pid),
  };
}

async function main() {
  installExitHandlers();
  const accountingBefore = cpuAccounting();
  for (const file of ['../dist/lib/index.js', '../dist/sample/app.module.js']) {
    if (!existsSync(fileURLToPath(new URL(file, import.meta.url)))) {
      throw new Error(`${file.slice(3)} is missing: run \`npm run bench\` (it builds first)`);
    }
  }
  const slap = env.BENCH_SLAP === '0' ? null : findSlap();
  if (!slap) note('mariadb-slap is not installed (or BENCH_SLAP=0): only the Node clients ran.');

  // Start every peer up front; they stay up for the whole run.
  const peers = [];
  for (const peer of PEERS) {
    if (onlyPeers && !onlyPeers.has(peer.id) && peer.id !== 'ours') continue;
    const why = peer.unavailable?.();
    if (why) {
      note(`${peer.label} skipped: ${why}.`);
      continue;
    }
    try {
      console.log(`starting ${peer.label}...`);
      peers.push({ ...peer, server: await peer.start(), failed: new Map() });
    } catch (error) {
      // Without our own server there is nothing to compare.
      if (peer.id === 'ours') throw new Error(`${peer.label} did not start: ${error.message}`);
      note(`${peer.label} skipped: it did not start (${error.message}).`);
    }
  }

  // A freshly started Node server runs its first calls unoptimised, and JIT
  // compilation would be billed to whichever measurement comes first: load
  // every peer for a while before round 1 and throw the figures away. This is
  // also where a wrong answer from any peer shows up first.
  console.log(`warming up the servers (${config.serverWarmup} s each)...`);
  for (const peer of [...peers]) {
    for (const scenario of SCENARIOS) {
      try {
        await measureWithWorker(peer, scenario, { seconds: config.serverWarmup / 2, warmup: 0.1 });
      } catch (error) {
        if (peer.id === 'ours') throw new Error(`${peer.label} failed: ${error.message}`);
        note(`${peer.label} skipped: it failed during warm-up (${error.message}).`);
        peers.splice(peers.indexOf(peer), 1);
        await peer.server.stop().catch(() => {});
        break;
      }
    }
  }

  // The measurements of one round, in order: every peer, one after another,
  // per scenario and load generator.
  const plan = [];
  for (const scenario of SCENARIOS) {
    for (const peer of peers) plan.push({ scenario, generator: 'client', peer });
    if (slap) {
      for (const peer of peers.filter((p) => p.slap))
        plan.push({ scenario, generator: 'slap', peer });
    }
  }

  const samples = new Map(); // `${scenario}|${generator}|${peer}` -> [result per round]
  let oursFailed = false;
  const started = Date.now();
  for (let round = 1; round <= config.rounds; round++) {
    console.log(`round ${round}/${config.rounds}`);
    for (const { scenario, generator, peer } of plan) {
      const key = `${scenario.id}|${generator}|${peer.id}`;
      if (peer.failed.has(generator)) continue;
      try {
        if (!peer.server.alive()) throw new Error('the server process has exited');
        const result =
          generator === 'slap'
            ? await measureWithSlap(slap, peer, scenario)
            : await measureWithWorker(peer, scenario);
        if (!samples.has(key)) samples.set(key, []);
        samples.get(key).push(result);
        console.log(
          `  ${scenario.id.padEnd(4)} ${generator.padEnd(6)} ${peer.id.padEnd(8)} ` +
            `${Math.round(result.qps).toString().padStart(7)} qps`,
        );
      } catch (error) {
        const what = `${peer.label} (${generator === 'slap' ? 'mariadb-slap' : 'Node client'})`;
        // A wrong or failed answer from our own server ends the run: the
        // ratios would mean nothing, and the exit status must say so.
        if (peer.id === 'ours' && generator === 'client') {
          throw new Error(`${what} failed in ${scenario.id}: ${error.message}`);
        }
        if (peer.id === 'ours') oursFailed = true;
        peer.failed.set(generator, error.message);
        note(
          `${what} failed in round ${round}, ${scenario.id}; dropped from the run: ${error.message}`,
        );
      }
    }
  }
  const elapsed = (Date.now() - started) / 1000;

  console.log('stopping servers...');
  await Promise.all(peers.map((peer) => peer.server.stop().catch(() => {})));

  const machine = machineInfo({ mariadb: mariadbVersion(), slap: slap?.version });
  const load = otherLoad(accountingBefore, cpuAccounting(), machine.cores);
  if (load.other > 0.1) {
    note(
      `Other processes kept ${Math.round(load.other * 100)}% of the machine's CPU busy during ` +
        'the run: absolute figures are low and noisy; the same-run ratios are what to compare.',
    );
  }
  const summary = writeReport({
    machine: { ...machine, otherLoad: load },
    config: { ...config, elapsedSeconds: elapsed },
    scenarios: SCENARIOS,
    peers,
    samples,
    notes,
  });
  console.log(`\n${summary}`);
  if (oursFailed) {
    console.error('bench: our transport failed under mariadb-slap (see notes); exit 1');
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(`bench: ${error.message}`);
  process.exit(1); // the exit handler stops every child
});
