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
//   BENCH_SCENARIOS        comma list to run a subset: seq,conc,seq-exec,conc-exec,fairness,stream,connect
//   BENCH_CONNECT_CLIENTS  comma list of client counts of the connect scenario (default 1,8)
//   BENCH_SLAP=0           do not use mariadb-slap even if installed
//   BENCH_FAIRNESS_SECONDS timed window of each half of the fairness scenario (default 3)
//   BENCH_STREAM_ROWS      rows of the streaming scenario (default 1000000)
//   BENCH_STREAM_ROUNDS    rounds of the streaming scenario (default 3, at most BENCH_ROUNDS)
//   BENCH_OUTPUT           directory for RESULTS.md and results.svg (default bench/)
//   BENCH_DIST             build to serve as "ours" (default dist/, what `npm run bench` built)
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { URL, fileURLToPath } from 'node:url';
import {
  cpuAccounting,
  cpuMicros,
  exited,
  installExitHandlers,
  otherLoad,
  peakRssKiB,
  resetPeakRss,
  rssKiB,
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
  fairnessSeconds: positive(env.BENCH_FAIRNESS_SECONDS, 3),
  seriesRows: 100_000, // the sample's cap on `series(n)`
  streamRows: Math.round(positive(env.BENCH_STREAM_ROWS, 1_000_000)),
  streamRounds: Math.round(positive(env.BENCH_STREAM_ROUNDS, 3)),
  connectClients: [
    ...new Set(
      (env.BENCH_CONNECT_CLIENTS ?? '1,8')
        .split(',')
        .map((n) => Math.round(Number(n)))
        .filter((n) => n > 0),
    ),
  ],
};
if (config.connectClients.length === 0) config.connectClients = [1, 8];
config.streamRounds = Math.min(config.streamRounds, config.rounds);
const list = (value) => (value ? new Set(value.split(',').map((s) => s.trim())) : null);
const onlyPeers = list(env.BENCH_PEERS);
const outDir = env.BENCH_OUTPUT
  ? resolve(env.BENCH_OUTPUT)
  : fileURLToPath(new URL('.', import.meta.url));
const dist = env.BENCH_DIST
  ? resolve(env.BENCH_DIST)
  : fileURLToPath(new URL('../dist/', import.meta.url));

// `kind` says how a scenario is measured and reported: qps (the myadd load
// loop), fairness (myadd latency alone, then beside a big result set on
// another connection), stream (one huge streamed result set) or connect (a
// fresh connection, login and quit per call, once per row of the peer's
// `connect` list and client count). Fairness and stream need the sample's
// other procedures: only peers with `procedures` run them.
const ALL_SCENARIOS = [
  { id: 'seq', kind: 'qps', title: '`myadd`, 1 connection, sequential calls', connections: 1 },
  {
    id: 'conc',
    kind: 'qps',
    title: `\`myadd\`, ${config.concurrency} connections, each sequential`,
    connections: config.concurrency,
  },
  {
    id: 'seq-exec',
    kind: 'qps',
    prepared: true,
    title: '`myadd` prepared (`execute()`), 1 connection, sequential calls',
    connections: 1,
  },
  {
    id: 'conc-exec',
    kind: 'qps',
    prepared: true,
    title: `\`myadd\` prepared (\`execute()\`), ${config.concurrency} connections, each sequential`,
    connections: config.concurrency,
  },
  {
    id: 'fairness',
    kind: 'fairness',
    title: `Fairness: \`myadd\` on 1 connection while another loops \`CALL series(${config.seriesRows})\``,
    connections: 1,
  },
  {
    id: 'stream',
    kind: 'stream',
    title: `Streaming: \`CALL numbers(${config.streamRows})\`, 4 columns, to mysql2`,
  },
  {
    id: 'connect',
    kind: 'connect',
    title: 'Connect + login + `CALL myadd(1,2)` + quit, a fresh connection per call',
  },
];
const onlyScenarios = list(env.BENCH_SCENARIOS);
if (onlyScenarios) {
  const unknown = [...onlyScenarios].filter((id) => !ALL_SCENARIOS.some((s) => s.id === id));
  if (unknown.length) {
    console.error(
      `bench: unknown BENCH_SCENARIOS ${unknown.join(',')} (known: ${ALL_SCENARIOS.map((s) => s.id).join(',')})`,
    );
    process.exit(2);
  }
}
const SCENARIOS = ALL_SCENARIOS.filter((s) => !onlyScenarios || onlyScenarios.has(s.id));
// Prepared scenarios run on the peers that prepare a CALL (not Nest's TCP, nor the canned server).
const runsIn = (peer, scenario) =>
  (scenario.kind === 'qps' && (!scenario.prepared || peer.prepares === true)) ||
  (scenario.kind === 'connect' ? Boolean(peer.connect?.length) : peer.procedures);
/** The connect scenario's rows this peer's started server can run. */
const connectRows = (peer) =>
  (peer.connect ?? []).filter((row) => !row.available || row.available(peer.server));
const slapConnectRows = (peer) => (peer.slap ? connectRows(peer).filter((row) => row.slap) : []);

const notes = [];
const note = (text) => {
  notes.push(text);
  console.log(`note: ${text}`);
};

/**
 * One measurement with a Node client in a worker process; see load/worker.mjs
 * (or, with `load`, another script that speaks the same IPC protocol, such as
 * load/connect.mjs).
 */
async function measureWithWorker(peer, scenario, timing = config, load = null) {
  resetPeakRss(peer.server.pid);
  const worker = spawnTracked(
    process.execPath,
    [
      fileURLToPath(new URL(load?.script ?? './load/worker.mjs', import.meta.url)),
      JSON.stringify(
        load?.options ?? {
          client: peer.client,
          prepared: scenario.prepared === true,
          port: peer.server.port,
          // Nest's ClientProxy multiplexes one socket: N calls in flight on it.
          connections: scenario.connections,
          seconds: timing.seconds,
          warmup: timing.warmup,
        },
      ),
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

/**
 * One fairness measurement: myadd latency on one connection alone, then
 * again while a second connection loops `CALL series(100000)` (load/drain.mjs,
 * a raw-protocol reader that costs little CPU). Same worker, same window.
 */
async function measureFairness(peer) {
  const timing = { seconds: config.fairnessSeconds, warmup: config.warmup };
  const probe = { connections: 1 };
  const alone = await measureWithWorker(peer, probe, timing);
  const loader = spawnTracked(
    process.execPath,
    [
      fileURLToPath(new URL('./load/drain.mjs', import.meta.url)),
      JSON.stringify({
        port: peer.server.port,
        user: 'testuser',
        password: 'testpass',
        database: 'rpc',
        sql: `CALL series(${config.seriesRows})`,
        expectRows: config.seriesRows,
      }),
    ],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const messages = [];
  let wake = null;
  loader.on('message', (message) => {
    messages.push(message);
    wake?.();
  });
  loader.once('exit', (code) => {
    messages.push({ type: 'error', message: `load process exited (${code}) early` });
    wake?.();
  });
  const next = async (type) => {
    for (;;) {
      const message = messages.shift();
      if (message?.type === type) return message;
      if (message?.type === 'error') throw new Error(message.message);
      if (!message) await new Promise((resolve) => (wake = resolve));
    }
  };
  try {
    // Steady state: the first big call has come back whole.
    await next('loaded');
    const loaded = await measureWithWorker(peer, probe, timing);
    loader.send({ type: 'stop' });
    const { result: load } = await next('done');
    return { alone, loaded, load };
  } finally {
    loader.kill('SIGKILL'); // no-op when it has exited already
    await exited(loader);
  }
}

/**
 * One streaming measurement: `CALL numbers(n)` read row by row by mysql2 in a
 * worker (load/stream.mjs). The server's peak RSS growth is VmHWM after the
 * call minus VmRSS at its start (the peak is reset to it first). It runs on
 * the peer's streaming instance when there is one (see main()).
 */
async function measureStream(peer, rows = config.streamRows) {
  const server = peer.streamServer ?? peer.server;
  const worker = spawnTracked(
    process.execPath,
    [
      fileURLToPath(new URL('./load/stream.mjs', import.meta.url)),
      JSON.stringify({ port: server.port, rows }),
    ],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  let before = null;
  const result = await new Promise((resolve, reject) => {
    worker.on('message', (message) => {
      if (message.type === 'ready') {
        resetPeakRss(server.pid);
        before = { rssKiB: rssKiB(server.pid), cpu: cpuMicros(server.pid) };
        worker.send({ type: 'go' });
      } else if (message.type === 'done') {
        const peak = peakRssKiB(server.pid);
        resolve({
          ...message.result,
          serverCpuSeconds: (cpuMicros(server.pid) - before.cpu) / 1e6,
          rssBeforeKiB: before.rssKiB,
          peakRssKiB: peak,
          // RSS can shrink a little between the reset and the read: growth >= 0.
          rssGrowthKiB: Math.max(0, peak - before.rssKiB),
        });
      } else if (message.type === 'error') {
        reject(new Error(message.message));
      }
    });
    worker.once('exit', (code) => reject(new Error(`stream worker exited (${code}) early`)));
  });
  await exited(worker);
  return result;
}

/**
 * One connect measurement with a Node client (load/connect.mjs): `clients`
 * loops, each connect + login + CALL myadd(1,2) + quit, over and over, with
 * the account (and TLS or not) of one row of the peer's `connect` list.
 */
function measureConnect(peer, row, clients, timing = config) {
  return measureWithWorker(peer, null, timing, {
    script: './load/connect.mjs',
    options: {
      client: peer.client,
      port: peer.server.port,
      user: row.user,
      password: row.password ?? 'testpass',
      args: row.args ?? [1, 2],
      tls: Boolean(row.tls),
      clients,
      seconds: timing.seconds,
      warmup: timing.warmup,
    },
  });
}

/** Queries per mariadb-slap run, per peer and scenario, sized by a first short run. */
const slapQueries = new Map();

/**
 * One mariadb-slap measurement: the scenario's connections each sequential,
 * or, with `connectRow`, `clients` clients that reconnect before every query
 * (`--detach=1`) with that row's account.
 */
async function measureWithSlap(slap, peer, scenario, connectRow = null, clients = 0) {
  const concurrency = connectRow ? clients : scenario.connections;
  const key = `${peer.id}|${scenario.id}|${connectRow?.id ?? ''}|${concurrency}`;
  const job = {
    port: peer.server.port,
    concurrency,
    ...(connectRow && {
      query: `CALL myadd(${(connectRow.args ?? [1, 2]).join(',')})`,
      user: connectRow.user,
      password: connectRow.password ?? 'testpass',
      detach: 1,
    }),
  };
  if (!slapQueries.has(key)) {
    // Calibration, which also warms up: a short run tells how many queries
    // fill the timed window at this peer's pace (400 connects, or 2,000 calls
    // on open connections).
    const least = connectRow ? 20 : 100;
    const probe = await runSlap(slap.path, {
      ...job,
      queries: concurrency * Math.max(least, Math.ceil((connectRow ? 400 : 2000) / concurrency)),
    });
    const perClient = Math.max(least, Math.round((probe.qps * config.seconds) / concurrency));
    slapQueries.set(key, perClient * concurrency);
  }
  resetPeakRss(peer.server.pid);
  const cpuBefore = cpuMicros(peer.server.pid);
  const result = await runSlap(slap.path, { ...job, queries: slapQueries.get(key) });
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
  for (const file of ['lib/index.js', 'sample/app.module.js']) {
    if (!existsSync(resolve(dist, file))) {
      throw new Error(`${resolve(dist, file)} is missing: run \`npm run bench\` (it builds first)`);
    }
  }
  if (env.BENCH_DIST) console.log(`ours: the build in ${dist}`);
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
  let oursFailed = false;
  const connectFailed = (peer, row, generator, round, error) => {
    if (peer.id === 'ours') oursFailed = true;
    peer.failed.set(`connect|${generator}|${row.id}`, error.message);
    note(
      `${peer.label} (${row.label}, ${generator === 'slap' ? 'mariadb-slap' : 'Node client'}) ` +
        `failed in connect${round ? `, round ${round}` : ' (warm-up)'}; dropped from that ` +
        `scenario: ${error.message}`,
    );
  };
  for (const peer of [...peers]) {
    let gone = false;
    for (const scenario of SCENARIOS.filter((s) => s.kind === 'qps' && runsIn(peer, s))) {
      try {
        await measureWithWorker(peer, scenario, { seconds: config.serverWarmup / 2, warmup: 0.1 });
      } catch (error) {
        if (peer.id === 'ours') throw new Error(`${peer.label} failed: ${error.message}`);
        note(`${peer.label} skipped: it failed during warm-up (${error.message}).`);
        peers.splice(peers.indexOf(peer), 1);
        await peer.server.stop().catch(() => {});
        gone = true;
        break;
      }
    }
    // The connect scenario: each of its rows (login paths differ: sha2,
    // native, TLS) at 1 client for a while.
    if (gone || !SCENARIOS.some((s) => s.kind === 'connect')) continue;
    for (const row of connectRows(peer)) {
      try {
        await measureConnect(peer, row, 1, { seconds: config.serverWarmup / 4, warmup: 0.1 });
      } catch (error) {
        connectFailed(peer, row, 'client', 0, error);
      }
    }
  }

  const streamScenario = SCENARIOS.find((s) => s.kind === 'stream');
  const failedIn = (peer, scenario, round, error) => {
    if (peer.id === 'ours') oursFailed = true;
    peer.failed.set(scenario.id, error.message);
    note(
      `${peer.label} failed in ${scenario.id}` +
        (round ? `, round ${round}` : ' (warm-up)') +
        `; dropped from that scenario: ${error.message}`,
    );
  };
  // Streaming is measured on a server instance of its own: the heap a Node
  // server grew for the other scenarios (100,000-row results in fairness)
  // stays resident for a while and would hide the streaming call's growth.
  if (streamScenario && SCENARIOS.length > 1) {
    for (const peer of peers.filter((p) => runsIn(p, streamScenario))) {
      try {
        console.log(`starting ${peer.label} (streaming instance)...`);
        peer.streamServer = await peer.start();
      } catch (error) {
        failedIn(
          peer,
          streamScenario,
          0,
          new Error(`its instance did not start: ${error.message}`),
        );
      }
    }
  }
  // The streaming scenario's first call is slow (JIT, the sequence engine's
  // first pass): one call of a tenth of the rows per peer, discarded. It is
  // also where a wrong shape shows up first.
  if (streamScenario) {
    for (const peer of peers.filter((p) => runsIn(p, streamScenario))) {
      if (peer.failed.has(streamScenario.id)) continue;
      try {
        await measureStream(peer, Math.max(1, Math.round(config.streamRows / 10)));
      } catch (error) {
        failedIn(peer, streamScenario, 0, error);
      }
    }
  }
  for (const scenario of SCENARIOS.filter((s) => s.kind !== 'qps')) {
    if (!peers.some((p) => runsIn(p, scenario) && p.id !== 'ours')) {
      note(
        `${scenario.id}: no peer besides ours runs it` +
          (scenario.kind === 'connect' ? '.' : ' (MariaDB is the one that does).'),
      );
    }
  }
  if (SCENARIOS.some((s) => s.kind === 'connect')) {
    const maria = peers.find((p) => p.id === 'mariadb');
    if (maria && !connectRows(maria).some((row) => row.tls)) {
      note('connect: MariaDB has no certificate (openssl is not installed): no TLS row for it.');
    }
  }

  // The measurements of one round, in order: every peer, one after another,
  // per scenario and load generator.
  const plan = [];
  for (const scenario of SCENARIOS) {
    if (scenario.kind === 'connect') {
      // Every row at each client count: Node clients, then mariadb-slap.
      for (const clients of config.connectClients) {
        for (const peer of peers) {
          for (const row of connectRows(peer)) {
            plan.push({ scenario, generator: 'client', peer, row, clients });
          }
        }
        if (!slap) continue;
        for (const peer of peers) {
          for (const row of slapConnectRows(peer)) {
            plan.push({ scenario, generator: 'slap', peer, row, clients });
          }
        }
      }
      continue;
    }
    for (const peer of peers.filter((p) => runsIn(p, scenario))) {
      plan.push({ scenario, generator: 'client', peer });
    }
    // mariadb-slap sends text queries only.
    if (scenario.kind !== 'qps' || scenario.prepared) continue;
    if (slap) {
      for (const peer of peers.filter((p) => p.slap))
        plan.push({ scenario, generator: 'slap', peer });
    }
  }

  const samples = new Map(); // `${scenario}|${generator}|${peer}` -> [result per round]
  const started = Date.now();
  for (let round = 1; round <= config.rounds; round++) {
    console.log(`round ${round}/${config.rounds}`);
    for (const { scenario, generator, peer, row, clients } of plan) {
      const key = `${scenario.id}|${generator}|${peer.id}`;
      if (peer.failed.has(generator) || peer.failed.has(scenario.id)) continue;
      if (scenario.kind === 'connect') {
        if (peer.failed.has(`connect|${generator}|${row.id}`)) continue;
        try {
          if (!peer.server.alive()) throw new Error('the server process has exited');
          const result =
            generator === 'slap'
              ? await measureWithSlap(slap, peer, scenario, row, clients)
              : await measureConnect(peer, row, clients);
          const rowKey = `${key}|${row.id}|${clients}`;
          if (!samples.has(rowKey)) samples.set(rowKey, []);
          samples.get(rowKey).push(result);
          console.log(
            `  ${scenario.id.padEnd(8)} ${generator.padEnd(6)} ${peer.id.padEnd(8)} ` +
              `${row.short.padEnd(10)} ${String(clients).padStart(2)} cl. ` +
              `${Math.round(result.qps).toString().padStart(7)} connects/s`,
          );
        } catch (error) {
          connectFailed(peer, row, generator, round, error);
        }
        continue;
      }
      if (scenario.kind === 'fairness' || scenario.kind === 'stream') {
        if (scenario.kind === 'stream' && round > config.streamRounds) continue;
        try {
          const server = (scenario.kind === 'stream' && peer.streamServer) || peer.server;
          if (!server.alive()) throw new Error('the server process has exited');
          const result =
            scenario.kind === 'stream' ? await measureStream(peer) : await measureFairness(peer);
          if (!samples.has(key)) samples.set(key, []);
          samples.get(key).push(result);
          console.log(
            `  ${scenario.id.padEnd(8)} ${peer.id.padEnd(8)} ` +
              (scenario.kind === 'stream'
                ? `${Math.round(result.rowsPerSecond).toString().padStart(8)} rows/s, ` +
                  `first row ${Math.round(result.firstRowMs)} ms, ` +
                  `RSS +${(result.rssGrowthKiB / 1024).toFixed(1)} MiB`
                : `myadd p50/p99 ${Math.round(result.alone.p50us)}/${Math.round(result.alone.p99us)} µs alone, ` +
                  `${Math.round(result.loaded.p50us)}/${Math.round(result.loaded.p99us)} µs under load ` +
                  `(${result.load.calls} series calls)`),
          );
        } catch (error) {
          failedIn(peer, scenario, round, error);
        }
        continue;
      }
      try {
        if (!peer.server.alive()) throw new Error('the server process has exited');
        const result =
          generator === 'slap'
            ? await measureWithSlap(slap, peer, scenario)
            : await measureWithWorker(peer, scenario);
        if (!samples.has(key)) samples.set(key, []);
        samples.get(key).push(result);
        console.log(
          `  ${scenario.id.padEnd(8)} ${generator.padEnd(6)} ${peer.id.padEnd(8)} ` +
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
  await Promise.all(
    peers
      .flatMap((peer) => [peer.server, peer.streamServer])
      .filter(Boolean)
      .map((server) => server.stop().catch(() => {})),
  );

  const machine = machineInfo({ mariadb: mariadbVersion(), slap: slap?.version });
  const load = otherLoad(accountingBefore, cpuAccounting(), machine.cores);
  if (load.other > 0.1) {
    note(
      `Other processes kept ${Math.round(load.other * 100)}% of the machine's CPU busy during ` +
        'the run: absolute figures are low and noisy; the same-run ratios are what to compare.',
    );
  }
  mkdirSync(outDir, { recursive: true });
  const summary = writeReport({
    machine: { ...machine, otherLoad: load },
    config: { ...config, elapsedSeconds: elapsed, dist: env.BENCH_DIST ? dist : null },
    scenarios: SCENARIOS,
    peers,
    samples,
    notes,
    outDir,
  });
  console.log(`\n${summary}`);
  if (oursFailed) {
    console.error('bench: our transport failed a measurement (see notes); exit 1');
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(`bench: ${error.message}`);
  process.exit(1); // the exit handler stops every child
});
