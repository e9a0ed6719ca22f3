// `npm run soak`: the sample server in a child process under hundreds of
// connections (mysql2 and raw-socket clients, pipelining, multi-statement
// batches, prepared statements through mysql2's and mariadb's execute(),
// large replies, disconnects mid-reply, clients that stop reading; logins
// over TLS and not, caching_sha2_password's fast and full path,
// COM_CHANGE_USER between accounts, CALLs the account may not make), bounded in time, while an
// admin empties the caching_sha2 cache (FLUSH PRIVILEGES) in waves. It
// checks every reply against its call (zero wrong, zero lost), that the
// server's own login counters reconcile with what the clients did, that its
// open-connection and prepared-statement counts return to zero, and that its
// RSS returns near the baseline. See test/soak/README.md.
//
//   node test/soak/run.mjs [--seconds S] [--connections N] [--seed N] [--long]
//                          [--reply-timeout MS] [--rss-slack MiB] [--no-numbers]
import { setMaxListeners } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { makeCall, rng } from './lib/calls.mjs';
import {
  Gate,
  MYSQL2_AUTH,
  SESSION_WEIGHTS,
  MYSQL2_PATHS,
  SLOW_REPLY_MS,
  Stats,
  slot,
  slotKind,
} from './lib/clients.mjs';
import {
  collectGarbage,
  cpuSeconds,
  memory,
  preparedStatements,
  serverMemory,
  serverStats,
  startServer,
  statistics,
  stopServer,
} from './lib/server.mjs';
import {
  AUTH_UNCERTAIN,
  AUTH_WORK,
  frame,
  LOGIN_PATHS,
  queryPacket,
  WireConn,
} from './lib/wire.mjs';

const USAGE = `usage: node test/soak/run.mjs [options]
  --seconds S        load phase length (default 35; about 60 s in all)
  --connections N    concurrent client connections (default 200)
  --seed N           seed of every random choice (default: random, printed)
  --long             preset: --seconds 600 --connections 500
  --reply-timeout MS a waiting connection silent this long loses its calls (default 60000)
  --rss-slack MiB    final RSS may exceed the baseline by this much (default 128)
  --heap-slack MiB   V8 heap in use after a full GC may exceed its baseline by this much (default 16)
  --max-connecting N connection attempts in flight at once (default 32)
  --no-numbers       leave out numbers(n) (the streamed result set)
  --sessions a,b     only these client kinds (mysql2, pipelined, abrupt, slow, tls, hash, changeUser,
                     mysql2Exec, mariadbExec)
  --flush-every S    seconds between the admin's FLUSH PRIVILEGES waves (default 2, 5 with --long)
  --progress S       seconds between progress lines (default 5, 15 with --long)`;

function parseArgs(argv) {
  const o = {
    seconds: 35,
    connections: 200,
    seed: null,
    replyTimeoutMs: 60000,
    rssSlackMiB: 128,
    heapSlackMiB: 16,
    maxConnecting: 32,
    noNumbers: false,
    progress: null,
    flushEvery: null,
    sessions: null,
  };
  const long = argv.includes('--long');
  if (long) Object.assign(o, { seconds: 600, connections: 500 });
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a number`);
      return v;
    };
    if (a === '--long') continue;
    else if (a === '--seconds') o.seconds = num();
    else if (a === '--connections') o.connections = Math.max(1, Math.round(num()));
    else if (a === '--seed') o.seed = Math.round(num());
    else if (a === '--reply-timeout') o.replyTimeoutMs = num();
    else if (a === '--rss-slack') o.rssSlackMiB = num();
    else if (a === '--heap-slack') o.heapSlackMiB = num();
    else if (a === '--no-numbers') o.noNumbers = true;
    else if (a === '--max-connecting') o.maxConnecting = Math.max(1, Math.round(num()));
    else if (a === '--progress') o.progress = num();
    else if (a === '--flush-every') o.flushEvery = num();
    else if (a === '--sessions') {
      const kinds = String(argv[++i] ?? '').split(',');
      for (const k of kinds)
        if (!(k in SESSION_WEIGHTS)) throw new Error(`unknown session kind ${k}\n${USAGE}`);
      o.sessions = Object.fromEntries(kinds.map((k) => [k, SESSION_WEIGHTS[k]]));
    } else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  o.seed ??= Math.floor(Math.random() * 2 ** 31);
  o.progress ??= long ? 15 : 5;
  o.flushEvery ??= long ? 5 : 2;
  o.warmupSeconds = long ? 10 : 3;
  o.settleSeconds = long ? 20 : 8;
  return o;
}

let maxThreads = 0;
/** The most prepared statements the server held at a progress line. */
let maxPrepared = 0;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (kib) => (kib / 1024).toFixed(1);
const started = Date.now();
const elapsed = () => ((Date.now() - started) / 1000).toFixed(1);
const log = (text) => console.log(`[${elapsed().padStart(6)}s] ${text}`);

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (error) {
  console.error(error.message);
  process.exit(2);
}

const stats = new Stats();
const checks = [];
const check = (name, pass, detail) => checks.push({ name, pass: Boolean(pass), detail });
let server = null;
const rssSamples = { baseline: null, peak: 0, final: null, last: null };
// The server's V8 heap (from CALL stats()): tells a JS leak from memory the allocator keeps.
const heap = { baseline: null, final: null, external: null };

// Every socket the clients opened; at the end none may be left open.
const sockets = new Set();
const ctx = {
  port: 0,
  stats,
  deadline: 0,
  stopping: false,
  replyTimeoutMs: opts.replyTimeoutMs,
  // Under load the server accepts one connection per event-loop turn (libuv),
  // so a connection may wait long in the accept queue: generous, and the
  // times are reported.
  loginTimeoutMs: 60000,
  // Aborted at the deadline: connection attempts still waiting are given up.
  connects: new globalThis.AbortController(),
  gate: new Gate(opts.maxConnecting),
  callOptions: { noNumbers: opts.noNumbers },
  track(socket) {
    if (socket.closed) return;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  },
};

function finish(exitCode) {
  const failedChecks = checks.filter((c) => !c.pass).length;
  const passed = stats.correct + checks.length - failedChecks;
  const failed = stats.wrong + stats.lost + failedChecks;
  console.log(`soak: ${passed} passed, ${failed} failed`);
  process.exit(exitCode ?? (failed > 0 ? 1 : 0));
}

// The whole run is bounded, whatever happens.
const hardCapMs =
  (opts.warmupSeconds + opts.seconds + opts.settleSeconds + 60) * 1000 + 3 * opts.replyTimeoutMs;
const watchdog = setTimeout(async () => {
  log(`watchdog: the soak overran its bound of ${(hardCapMs / 1000).toFixed(0)} s`);
  check('finished within its time bound', false, `${(hardCapMs / 1000).toFixed(0)} s`);
  await stopServer(server).catch(() => {});
  finish(1);
}, hardCapMs);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server?.child.kill('SIGKILL');
    process.exit(130);
  });
}

function sampleRss() {
  const m = server && memory(server.pid);
  if (!m) return null;
  rssSamples.last = m.rss;
  if (m.rss > rssSamples.peak) rssSamples.peak = m.rss;
  return m;
}

/** Runs `count` slots until `seconds` have passed, starting them over `rampMs`. */
async function load(count, seconds, seedBase, rampMs) {
  ctx.deadline = Date.now() + seconds * 1000;
  ctx.connects = new globalThis.AbortController();
  // Every connection attempt in flight listens to it.
  setMaxListeners(0, ctx.connects.signal);
  const giveUp = setTimeout(() => ctx.connects.abort(), seconds * 1000);
  const slots = [];
  for (let i = 0; i < count; i++) {
    const r = rng(seedBase + i * 7919);
    const delay = Math.floor((i * rampMs) / count);
    slots.push(sleep(delay).then(() => slot(ctx, r, i, slotKind(i, opts.sessions ?? undefined))));
  }
  // Every call and close is bounded by a timeout; this bounds the stragglers.
  const cap = opts.replyTimeoutMs + 15000;
  let timer;
  const all = Promise.all(slots).then(() => true);
  const inTime = await Promise.race([
    all,
    new Promise((r) => (timer = setTimeout(() => r(false), ctx.deadline - Date.now() + cap))),
  ]);
  clearTimeout(timer);
  clearTimeout(giveUp);
  ctx.connects.abort();
  return inTime;
}

async function waitClientSocketsClosed(timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (sockets.size > 0 && Date.now() < until) await sleep(50);
  return sockets.size;
}

/** A few light calls on a fresh connection; counted like every other call. */
async function lightCalls(conn, count, r) {
  for (let i = 0; i < count && !conn.closed; i++) {
    const call = makeCall(r, { force: i % 5 === 4 ? 'stats' : 'myadd' });
    const [res] = conn.send([call], opts.replyTimeoutMs);
    const out = await res;
    const why = out.outcome === 'reply' ? call.checkRaw(out.parser) : `outcome ${out.outcome}`;
    stats.record(
      call,
      out.outcome === 'reply' ? (why ? 'wrong' : 'correct') : 'lost',
      why,
      'end check',
    );
  }
}

/**
 * The admin's waves: every `everyS` seconds, as root, FLUSH PRIVILEGES (or
 * COM_REFRESH with REFRESH_GRANT), which empties caching_sha2_password's
 * cache, so that soakhash's next logins (the load's) take the full path
 * again. Around each flush, `soakprobe` (a verifier-only account no other
 * client uses) logs in: before the flush it must take the fast path (its
 * digest was cached by the last full login), right after it the full path
 * (RSA without TLS and in clear over TLS in turn). Every fifth wave also
 * SHOW GRANTS. Runs until `until()`.
 */
async function flusher(everyS, until) {
  const out = { waves: 0, probes: { fast: 0, 'full-rsa': 0, 'full-tls': 0 }, problems: [] };
  let conn = null;
  try {
    conn = await WireConn.open(server.port, { user: 'root', password: 'rootpass' });
  } catch (error) {
    out.problems.push(`root could not log in: ${error.message}`);
    return out;
  }
  const ask = async (packet, what) => {
    const [res] = conn.send([{ packet, sql: what }], opts.replyTimeoutMs);
    const { outcome, parser } = await res;
    if (outcome !== 'reply' || parser.seqError || parser.malformed || parser.err) {
      out.problems.push(
        `${what}: ${outcome} ${parser?.seqError ?? parser?.malformed ?? JSON.stringify(parser?.err ?? '')}`,
      );
      return null;
    }
    return parser;
  };
  /** soakprobe logs in; its path must be `want` ('fast' or 'full'). */
  const probe = async (want, tls, when) => {
    try {
      const p = await WireConn.open(server.port, {
        user: 'soakprobe',
        password: 'soakprobepass',
        plugin: 'caching_sha2_password',
        tls,
        timeoutMs: ctx.loginTimeoutMs,
      });
      out.probes[p.loginPath] = (out.probes[p.loginPath] ?? 0) + 1;
      if (!p.loginPath.startsWith(want))
        out.problems.push(
          `soakprobe ${when}${tls ? ' over TLS' : ''} took the ${p.loginPath} path`,
        );
      await p.quit();
    } catch (error) {
      out.problems.push(`soakprobe ${when}: ${error.message}`);
    }
  };
  for (let i = 0; until() && !conn.closed; i++) {
    await sleep(everyS * 1000);
    if (!until() || conn.closed) break;
    // The last wave's full login cached the digest (none yet before the first).
    if (i > 0) await probe('fast', i % 2 === 0, 'before a flush');
    const refresh = i % 3 === 2;
    const flushed = await ask(
      refresh ? frame(0, Buffer.from([0x07, 0x01])) : queryPacket('FLUSH PRIVILEGES'),
      refresh ? 'COM_REFRESH(REFRESH_GRANT)' : 'FLUSH PRIVILEGES',
    );
    if (!flushed) continue;
    out.waves++;
    await probe('full', i % 2 === 1, 'right after a flush');
    if (i % 5 === 4) {
      const shown = await ask(queryPacket('SHOW GRANTS'), 'SHOW GRANTS');
      const first = shown?.resultSets[0]?.first?.[0] ?? '';
      if (shown && (!first.startsWith('GRANT ') || !first.includes('`root`@`localhost`')))
        out.problems.push(`SHOW GRANTS as root: first row ${JSON.stringify(first)}`);
    }
  }
  await conn.quit();
  return out;
}

async function main() {
  console.log(
    `soak: seed ${opts.seed}, ${opts.connections} connections, ${opts.seconds} s of load, ` +
      `reply timeout ${opts.replyTimeoutMs} ms, RSS slack ${opts.rssSlackMiB} MiB${opts.noNumbers ? ', no numbers()' : ''}`,
  );
  server = await startServer();
  ctx.port = server.port;
  log(`server pid ${server.pid} listening on 127.0.0.1:${server.port}`);
  server.exited.then((e) => {
    if (!ctx.finishing) log(`SERVER EXITED (code ${e.code}, signal ${e.signal}); stopping`);
    ctx.stopping = true;
  });
  const rssTimer = setInterval(sampleRss, 250);

  // Warm-up: the same mix on a few connections, so code is compiled and
  // pools are sized before the baseline is taken.
  const warm = Math.min(20, opts.connections);
  log(`warm-up: ${warm} connections for ${opts.warmupSeconds} s`);
  await load(warm, opts.warmupSeconds, opts.seed ^ 0x5bd1e995, 200);
  await waitClientSocketsClosed(5000);
  await sleep(1500);
  const afterGc = await collectGarbage(server);
  heap.baseline = afterGc?.heapUsed ?? null;
  await sleep(500);
  const base = [];
  for (let i = 0; i < 3; i++) {
    base.push(sampleRss()?.rss ?? NaN);
    await sleep(300);
  }
  rssSamples.baseline = base.sort((a, b) => a - b)[1];
  rssSamples.peak = rssSamples.baseline;
  log(
    `RSS baseline ${mib(rssSamples.baseline)} MiB; warm-up: ${stats.correct} correct, ${stats.wrong} wrong, ${stats.lost} lost`,
  );

  // Progress: calls/s, open connections (ours, and the server's Threads over a monitor connection).
  let monitor = null;
  try {
    monitor = await WireConn.open(server.port);
  } catch (error) {
    log(`monitor connection failed: ${error.message}`);
  }
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  let lastSent = stats.sent;
  let lastAt = Date.now();
  const progress = setInterval(async () => {
    const now = Date.now();
    const rate = ((stats.sent - lastSent) * 1000) / (now - lastAt);
    lastSent = stats.sent;
    lastAt = now;
    let threads = '?';
    let heapUsed = '?';
    let rtt = '?';
    const prepared = await preparedStatements(server, 2000);
    if (prepared) maxPrepared = Math.max(maxPrepared, prepared.count);
    const ownLag = (loopDelay.max / 1e6).toFixed(0);
    loopDelay.reset();
    if (monitor && !monitor.closed) {
      try {
        const t0 = Date.now();
        threads = (await statistics(monitor, 5000)).threads;
        maxThreads = Math.max(maxThreads, threads);
        rtt = Date.now() - t0;
        heapUsed = mib((await serverMemory(monitor, 5000)).heapUsed / 1024);
      } catch (error) {
        threads = `? (${error.message})`;
      }
    }
    log(
      `calls ${stats.sent} (${rate.toFixed(0)}/s) correct ${stats.correct} wrong ${stats.wrong} lost ${stats.lost} ` +
        `aborted ${stats.aborted} | conns open ${stats.open} connecting ${stats.connecting} (+${ctx.gate.waiting} queued) opened ${stats.connectionsOpened} | ` +
        `server Threads ${threads} (in ${rtt} ms) RSS ${mib(rssSamples.last ?? 0)} MiB heap ${heapUsed} MiB ` +
        `prepared statements ${prepared?.count ?? '?'} | harness lag max ${ownLag} ms`,
    );
  }, opts.progress * 1000);

  log(`load: ${opts.connections} connections for ${opts.seconds} s`);
  const loadStart = Date.now();
  const loadEnd = loadStart + opts.seconds * 1000;
  const waves = flusher(opts.flushEvery, () => Date.now() < loadEnd && !ctx.stopping);
  const inTime = await load(
    opts.connections,
    opts.seconds,
    opts.seed,
    Math.min(3000, opts.connections * 10),
  );
  const loadSeconds = (Date.now() - loadStart) / 1000;
  clearInterval(progress);
  const flushed = await waves;
  check(
    `FLUSH PRIVILEGES waves: each answered OK, soakprobe on the fast path before and the full path after (${flushed.waves} waves)`,
    flushed.problems.length === 0 && flushed.waves > 0 && flushed.probes['full-tls'] > 0,
    flushed.problems.slice(0, 3).join('; ') || `probes ${JSON.stringify(flushed.probes)}`,
  );
  check(
    'every client finished within its bound',
    inTime,
    inTime ? '' : 'some client sessions were still running',
  );
  ctx.stopping = true;
  if (!inTime) for (const s of sockets) s.destroy();
  if (monitor) await monitor.quit();
  const leftOpen = await waitClientSocketsClosed(10000);
  check('every client socket closed', leftOpen === 0, leftOpen ? `${leftOpen} still open` : '');
  log(`load done in ${loadSeconds.toFixed(1)} s: ${stats.sent} calls; end checks`);

  const alive = !server.exit;
  check(
    'server stayed up',
    alive,
    server.exit ? `exited with code ${server.exit.code} signal ${server.exit.signal}` : '',
  );

  let threadsAtEnd = null;
  let preparedAtEnd = null;
  let finalLine = '';
  if (alive) {
    // The open-connection count must come back to one: the connection asking.
    let conn = null;
    try {
      conn = await WireConn.open(server.port);
      const until = Date.now() + 10000;
      for (;;) {
        const s = await statistics(conn);
        threadsAtEnd = s.threads;
        finalLine = s.line;
        if (s.threads === 1 || Date.now() > until) break;
        await sleep(250);
      }
    } catch (error) {
      finalLine = `failed: ${error.message}`;
    }
    check(
      'Threads back to 1 (only the asking connection)',
      threadsAtEnd === 1,
      `Threads ${threadsAtEnd ?? '?'}`,
    );
    // Every client has gone: the server must hold no prepared statement (every slot given back).
    let prepared = await preparedStatements(server);
    for (
      const until = Date.now() + 10000;
      prepared && prepared.count !== 0 && Date.now() < until;
    ) {
      await sleep(250);
      prepared = await preparedStatements(server);
    }
    preparedAtEnd = prepared?.count ?? null;
    check(
      'prepared statements back to 0 once every client has gone',
      prepared !== null && prepared.count === 0,
      prepared
        ? `count ${prepared.count} (limit ${prepared.limit}; at most ${maxPrepared} seen during the load)`
        : 'no answer (IPC)',
    );

    // Memory: idle, a few light calls, then full GCs and the lowest readings
    // over the settle window (V8 gives its spare pages back a few seconds
    // after the load stops).
    await sleep(2000);
    if (conn && !conn.closed) await lightCalls(conn, 200, rng(opts.seed + 1));
    const bound = rssSamples.baseline + opts.rssSlackMiB * 1024;
    const until = Date.now() + opts.settleSeconds * 1000;
    let low = Infinity;
    let lowHeap = Infinity;
    while (Date.now() < until) {
      const gc = await collectGarbage(server);
      if (gc && gc.heapUsed < lowHeap) {
        lowHeap = gc.heapUsed;
        heap.external = gc.external;
      }
      await sleep(500);
      const m = sampleRss();
      if (m) low = Math.min(low, m.rss);
      if (conn && !conn.closed) await lightCalls(conn, 20, rng(opts.seed + 2));
      await sleep(500);
    }
    rssSamples.final = low;
    heap.final = lowHeap === Infinity ? null : lowHeap;
    check(
      `RSS back near the baseline (≤ baseline + ${opts.rssSlackMiB} MiB)`,
      low <= bound,
      `final ${mib(low)} MiB, bound ${mib(bound)} MiB`,
    );
    check(
      `V8 heap in use after a full GC back near the baseline (≤ baseline + ${opts.heapSlackMiB} MiB)`,
      heap.final !== null &&
        heap.baseline !== null &&
        heap.final <= heap.baseline + opts.heapSlackMiB * 1048576,
      heap.final === null || heap.baseline === null
        ? 'no reading'
        : `final ${mib(heap.final / 1024)} MiB, baseline ${mib(heap.baseline / 1024)} MiB`,
    );
    if (conn) await conn.quit();
  }
  clearInterval(rssTimer);
  check(
    'no client failed to log in',
    stats.loginFailures === 0,
    `${stats.loginFailures} login failures`,
  );
  check(
    'no packets outside any reply',
    stats.unsolicited === 0,
    `${stats.unsolicited} unsolicited packets`,
  );
  check(
    'server logged no errors',
    !server.errorCount,
    server.errorCount ? `${server.errorCount} error lines` : '',
  );
  check('the load ran (calls answered)', stats.correct > 1000, `${stats.correct} correct`);

  // The server's own login counters against what the clients did.
  const sstats = alive ? await serverStats(server) : null;
  const expected = {};
  for (const k of Object.keys(AUTH_WORK)) expected[k] = AUTH_WORK[k] + MYSQL2_AUTH[k];
  const rawLogins = Object.values(LOGIN_PATHS).reduce((a, b) => a + b, 0);
  const logins = rawLogins + stats.mysql2Logins;
  const maybe = stats.loginsAbandonedAfterSend;
  if (sstats) {
    const a = sstats.auth;
    const u = AUTH_UNCERTAIN;
    // The server's count must be the clients', plus at most what logins the harness cut off may have done.
    const within = (server, client, extra) => server >= client && server <= client + extra;
    const show = (k) =>
      `server ${a[k]}, clients ${expected[k]}${u[k] ? ` (+ up to ${u[k]} cut off)` : ''}`;
    check(
      'no login failed on the server (loginsFailed 0, no throttle delay or block)',
      sstats.loginsFailed === 0 &&
        sstats.loginThrottle.delayed === 0 &&
        sstats.loginThrottle.refused === 0,
      `loginsFailed ${sstats.loginsFailed}, throttle ${JSON.stringify(sstats.loginThrottle)}`,
    );
    check(
      "RSA decryptions equal the clients' RSA-encrypted passwords",
      within(a.rsaDecrypts, expected.rsaDecrypts, u.rsaDecrypts),
      show('rsaDecrypts'),
    );
    check(
      "full-path password checks equal the clients' full-path logins (RSA, and in clear over TLS)",
      within(a.fullChecks, expected.fullChecks, u.fullChecks),
      show('fullChecks'),
    );
    check(
      'fast-path checks equal the caching_sha2 scrambles the clients sent',
      within(a.fastChecks, expected.fastChecks, u.fastChecks),
      show('fastChecks'),
    );
    check(
      `native checks equal the clients' (+ up to ${maybe} logins abandoned after sending)`,
      within(a.nativeChecks, expected.nativeChecks, maybe + u.nativeChecks),
      show('nativeChecks'),
    );
    check(
      `logins counted by the server equal the clients' (+ up to ${maybe} abandoned after sending)`,
      within(sstats.sessionsTotal, logins, maybe + u.logins),
      `server sessionsTotal ${sstats.sessionsTotal}, clients ${logins} (raw ${rawLogins}, drivers ${stats.mysql2Logins}), cut off ${u.logins}`,
    );
    check(
      'the full path ran (RSA without TLS, and in clear over TLS) and the fast path too',
      a.rsaDecrypts > 0 && a.fullChecks > a.rsaDecrypts && a.fastChecks > 0,
      `rsaDecrypts ${a.rsaDecrypts}, fullChecks ${a.fullChecks}, fastChecks ${a.fastChecks}`,
    );
  } else if (alive) check('the server answered for its counters (IPC)', false, 'no answer');
  const deniedCalls = Object.entries(stats.byProc)
    .filter(([p]) => p.endsWith('(denied)'))
    .reduce((n, [, c]) => n + c.correct, 0);
  check(
    'denied CALLs were answered ERR 1370 (some were made)',
    deniedCalls > 0,
    `${deniedCalls} denied calls`,
  );
  const changes = Object.values(stats.changeUsers).reduce((a, b) => a + b, 0);
  check('COM_CHANGE_USER between accounts ran', changes > 0, `${changes} changes`);
  const byKind = (suffix) =>
    Object.entries(stats.byProc)
      .filter(([p]) => p.endsWith(suffix))
      .reduce((n, [, c]) => n + c.correct, 0);
  if (!opts.sessions || opts.sessions.mysql2Exec || opts.sessions.mariadbExec) {
    check(
      'prepared statements ran (execute() of mysql2 and mariadb, answered correctly)',
      byKind('(prepared)') > 0,
      `${byKind('(prepared)')} prepared calls, ${stats.stmtCloses} statements closed by the clients`,
    );
  }
  if (!opts.sessions || opts.sessions.pipelined) {
    check(
      'multi-statement batches ran (several CALLs in one COM_QUERY, answered in turn)',
      (stats.byProc.multi?.correct ?? 0) > 0,
      `${stats.byProc.multi?.correct ?? 0} batches`,
    );
  }

  const hwm = memory(server.pid)?.hwm;
  const serverCpu = cpuSeconds(server.pid);
  const ownCpu = process.cpuUsage();
  ctx.finishing = true;
  await stopServer(server);
  clearTimeout(watchdog);

  // ---- summary ----
  const s = stats;
  const procs = Object.entries(s.byProc)
    .map(
      ([p, c]) =>
        `${p} ${c.correct}/${c.sent}${c.wrong ? ` wrong ${c.wrong}` : ''}${c.lost ? ` lost ${c.lost}` : ''}`,
    )
    .join(', ');
  const codes = Object.entries(s.errorCodes)
    .map(([c, n]) => `${c}×${n}`)
    .join(', ');
  console.log('\nsoak summary');
  console.log(
    `  seed ${opts.seed}; ${opts.connections} connections; load ${loadSeconds.toFixed(1)} s; total ${elapsed()} s`,
  );
  console.log(
    `  connections   opened ${s.connectionsOpened} (sessions: ${Object.entries(s.sessions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}); ` +
      `at most ${s.maxOpen} open at once (server Threads at most ${maxThreads}); ` +
      `given up during login ${s.loginAborts}; login failures ${s.loginFailures}; ` +
      `attempts still waiting at the deadline ${s.connectsAbandoned}`,
  );
  console.log(
    `  login time    ${Object.entries(s.loginMs)
      .map(([k, [n, total, max]]) => `${k} mean ${(total / n).toFixed(0)} ms, max ${max} ms`)
      .join('; ')}`,
  );
  console.log(
    `  calls         sent ${s.sent}, correct ${s.correct}, wrong ${s.wrong}, lost ${s.lost}, aborted by the client ${s.aborted}`,
  );
  console.log(`  by procedure  ${procs}`);
  console.log(
    `  disconnects mid-reply ${s.midReplyDisconnects} (right after sending ${s.beforeReadDisconnects}); closed by the server ${s.serverClosed}`,
  );
  console.log(
    `  slow replies  ${s.slowReplies} gaps of ${SLOW_REPLY_MS / 1000} s or more without a byte inside replies that came; ` +
      `longest ${(s.maxSilence.ms / 1000).toFixed(1)} s (${s.maxSilence.sql || '-'})`,
  );
  console.log(`  error codes   ${codes || 'none'}`);
  console.log(
    `  logins        raw ${Object.entries(LOGIN_PATHS)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; drivers ${stats.mysql2Logins} (mariadb ${stats.mariadbLogins}; ${Object.entries(
      MYSQL2_PATHS,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}); COM_CHANGE_USER ${Object.entries(stats.changeUsers)
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ', ',
      )}; FLUSH PRIVILEGES waves ${flushed.waves} (soakprobe ${JSON.stringify(flushed.probes)})`,
  );
  if (sstats) {
    console.log(
      `  server auth   ${JSON.stringify(sstats.auth)}; clients ${JSON.stringify(expected)}; ` +
        `sessionsTotal ${sstats.sessionsTotal}; loginsFailed ${sstats.loginsFailed}; throttle ${JSON.stringify(sstats.loginThrottle)}`,
    );
  }
  console.log(
    `  server RSS    baseline ${mib(rssSamples.baseline)} MiB, peak ${mib(Math.max(rssSamples.peak, hwm ?? 0))} MiB, ` +
      `final ${rssSamples.final === null ? '?' : mib(rssSamples.final)} MiB; ` +
      `V8 heap used after a full GC: baseline ${heap.baseline === null ? '?' : mib(heap.baseline / 1024)} MiB, final ${heap.final === null ? '?' : mib(heap.final / 1024)} MiB ` +
      `(external ${heap.external === null ? '?' : mib(heap.external / 1024)} MiB)`,
  );
  console.log(
    `  CPU           server ${serverCpu?.toFixed(1) ?? '?'} s, harness ${((ownCpu.user + ownCpu.system) / 1e6).toFixed(1)} s`,
  );
  console.log(`  Threads at end ${threadsAtEnd ?? '?'}  (${finalLine})`);
  console.log(
    `  prepared statements at end ${preparedAtEnd ?? '?'}; at most ${maxPrepared} at a progress line; ` +
      `${stats.stmtCloses} closed by the clients; mariadb logins ${stats.mariadbLogins}`,
  );
  if (s.samples.length) {
    console.log('  first problems:');
    for (const line of s.samples) console.log(`    ${line.split('\n').join('\n      ')}`);
  }
  if (server.errorLines.length) {
    console.log('  server error log (first lines):');
    for (const line of server.errorLines.slice(0, 10)) console.log(`    ${line}`);
  }
  console.log('end checks');
  for (const c of checks)
    console.log(`  ${c.pass ? 'PASS' : 'FAIL'} ${c.name}${c.detail ? ` (${c.detail})` : ''}`);
  finish();
}

main().catch(async (error) => {
  console.error(error.stack ?? error);
  check('harness ran to the end', false, error.message);
  await stopServer(server).catch(() => {});
  finish(1);
});
