#!/usr/bin/env node
/**
 * Fuzz harness: `npm run fuzz` (short, CI-sized), `npm run fuzz -- --long`.
 * Starts the sample app as a child process (core/server-entry.mjs: the
 * sample's module, accounts and roles from dist/, a few accounts of the
 * harness's own, and `loginThrottle: false` so that every input is judged
 * on its own) and feeds it mutated client input of several kinds; every
 * reply is checked by the oracle in core/ (well-formed packets, sequence
 * ids, known error texts only, no hang, no crash, a session that still
 * answers COM_PING, no login without a correct proof, bounded RSS, and a
 * fresh `CALL myadd(3,4)` that returns 7). Beside the campaign (core/checks.mjs):
 * the failed-login throttle on a second server started with it on, and the
 * login clock on logins stopped at each step. See test/fuzz/README.md.
 *
 * Adding an input kind: write kinds/<name>.mjs exporting { name, weight,
 * session, seeds, mutate, wire, capProfiles?, setup?, before?, after?,
 * shapeOf?, check?, variant? } as described in kinds/index.mjs (kinds
 * `prepared` and `multi` are recent examples), and add it to the KINDS list
 * there. Nothing else changes: the campaign, minimizer, replay and summary
 * pick it up by name. With `prepared` in the run, the prepared-statement
 * limits are checked beside the campaign (core/statements.mjs), and the
 * server's prepared-statement count must be 0 at the end.
 *
 * Flags: see USAGE below (`node test/fuzz/run.mjs --help`).
 */
import { randomInt } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setInterval, clearInterval } from 'node:timers';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { accountTable } from './core/accounts.mjs';
import { loadCatalog } from './core/catalog.mjs';
import { stallChecks, THROTTLE, throttleCheck } from './core/checks.mjs';
import { checkStatementCount, preparedLimits } from './core/statements.mjs';
import { splitFrames, joinFrames } from './core/mutate.mjs';
import { Rng } from './core/prng.mjs';
import { ReplyReader, Violation } from './core/replies.mjs';
import { ServerProcess } from './core/server.mjs';
import { Session } from './core/session.mjs';
import { CLIENT, COM, command, frame, MAX_CHUNK } from './core/wire.mjs';
import { KINDS } from './kinds/index.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const MiB = 1024 * 1024;

// ---- options ------------------------------------------------------------------

function parseArgs(argv) {
  const o = {
    seed: null,
    seconds: 45,
    count: Infinity,
    long: false,
    kinds: null,
    replay: null,
    kind: null,
    caps: null,
    chaos: 0,
    timeoutMs: 5000,
    // RSS may grow this much past the post-warm-up baseline. Legitimately the
    // server can hold about 64 MiB per session of user variables (capped at
    // max_allowed_packet), a framed packet plus its decoded copy (inputs here
    // stay within a few MiB, the one oversize test ~64 MiB), a 100,000-row
    // series() and V8 heap slack before a major GC: roughly 4x the largest
    // single legitimate holding. A per-input leak of even 10 KiB passes it
    // within a long campaign's ~100,000 inputs.
    rssBoundMiB: 256,
    maxBytes: 3 * MiB,
    bigBytes: 256 * 1024,
    hugeChance: 0.003,
    variantChance: 0.01,
    metamorphic: false,
    oversize: false,
    minimize: true,
    checks: true,
    root: resolve(here, '../..'),
    verbose: false,
  };
  const need = (i) => {
    if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
    return argv[i + 1];
  };
  let secondsSet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--seed':
        o.seed = Number(need(i++)) >>> 0;
        break;
      case '--seconds':
        o.seconds = Number(need(i++));
        secondsSet = true;
        break;
      case '--count':
        o.count = Number(need(i++));
        break;
      case '--long':
        o.long = true;
        break;
      case '--kinds':
        o.kinds = need(i++).split(',');
        break;
      case '--kind':
        o.kind = need(i++);
        break;
      case '--replay':
        o.replay = need(i++)
          .split(',')
          .map((h) => Buffer.from(h.trim(), 'hex'));
        break;
      case '--replay-file':
        o.replay = readFileSync(need(i++), 'utf8')
          .trim()
          .split(',')
          .map((h) => Buffer.from(h.trim(), 'hex'));
        break;
      case '--caps':
        o.caps = Number(need(i++)) >>> 0;
        break;
      case '--chaos':
        o.chaos = Number(need(i++)) >>> 0;
        break;
      case '--timeout':
        o.timeoutMs = Number(need(i++));
        break;
      case '--rss-bound':
        o.rssBoundMiB = Number(need(i++));
        break;
      case '--max-bytes':
        o.maxBytes = Number(need(i++));
        break;
      case '--oversize':
        o.oversize = true;
        break;
      case '--metamorphic':
        o.metamorphic = true;
        break;
      case '--no-minimize':
        o.minimize = false;
        break;
      case '--no-checks':
        o.checks = false;
        break;
      case '--root':
        o.root = resolve(need(i++));
        break;
      case '--verbose':
        o.verbose = true;
        break;
      case '--help':
      case '-h':
        o.help = true;
        break;
      default:
        throw new Error(`unknown flag ${a}`);
    }
  }
  if (o.long) {
    if (!secondsSet) o.seconds = 600;
    o.maxBytes = Math.max(o.maxBytes, 16 * MiB);
    o.bigBytes = MiB;
    o.hugeChance = 0.005;
    o.oversize = true;
  }
  if (o.seed === null) o.seed = randomInt(1, 2 ** 31);
  return o;
}

const USAGE = `Usage: node test/fuzz/run.mjs [flags]   (npm run fuzz -- [flags] builds the sample first)

Campaign
  --seed N           PRNG seed (default: random, always printed)
  --seconds S        fuzzing time (default 45; 600 with --long)
  --count N          stop after N inputs
  --long             long preset: 600 s, inputs up to 16 MiB, more huge statements,
                     one 16 MiB query and one packet past max_allowed_packet
  --kinds a,b        only these input kinds (${KINDS.map((k) => k.name).join(', ')})
  --timeout MS       reply bound per packet (default 5000)
  --rss-bound MiB    allowed RSS growth over the post-warm-up baseline (default 256)
  --max-bytes N      largest generated input (default 3 MiB)
  --oversize         also send the 16 MiB and the over-max_allowed_packet inputs
  --no-minimize      report failing inputs as found
  --no-checks        skip the throttle check (its own server) and the login-clock stall checks
                     (they run by default, and with --kinds only when it includes auth)
  --root DIR         repository to take dist/ (lib and sample), lib/ and sample/ from
  --verbose          progress, server heap, slowest inputs, server ERROR log lines

Replay (as printed with every failure)
  --kind K --replay HEX[,HEX...]   send these inputs in order on one connection
  --replay-file F                  the same, hex read from a file
  --caps 0xN                       client flags of the standard login (logged-in kinds;
                                   CLIENT_SSL 0x800 in them: that login goes over TLS)
  --chaos N                        the write-splitting plan used when it failed
  --metamorphic                    also send the kind's twin input and compare replies

The last line is 'fuzz: N passed, M failed'; the exit code is 1 when M > 0.`;

const opt = parseArgs(process.argv.slice(2));
if (opt.help) {
  console.log(USAGE);
  process.exit(0);
}
const fmtMiB = (b) => (b == null ? 'n/a' : `${(b / MiB).toFixed(1)} MiB`);
const log = (...a) => console.log(...a);
const vlog = (...a) => opt.verbose && console.log(...a);

// ---- set-up -------------------------------------------------------------------

const catalog = loadCatalog(opt.root);
const connectionTs = readFileSync(join(opt.root, 'lib/session/connection.ts'), 'utf8');
const preAuthMatch = /PRE_AUTH_MAX_PACKET\s*=\s*([\d_ *]+);/.exec(connectionTs);
const preAuthCap = preAuthMatch
  ? preAuthMatch[1]
      .replace(/_/g, '')
      .split('*')
      .reduce((a, b) => a * Number(b), 1)
  : 65536;
const MAX_PACKET = 64 * MiB; // the sample runs with the default max_allowed_packet
/** Statements longer than this are decoded in slices and parsed off the event loop. */
let sliceBytes = MiB;
try {
  const m = /DECODE_SLICE\s*=\s*([\d_ *]+);/.exec(
    readFileSync(join(opt.root, 'lib/session/sliced-decode.ts'), 'utf8'),
  );
  if (m)
    sliceBytes = m[1]
      .replace(/_/g, '')
      .split('*')
      .reduce((a, b) => a * Number(b), 1);
} catch {
  // no sliced decoding in this version: keep the default
}
const captured = JSON.parse(readFileSync(join(here, 'seeds/captured.json'), 'utf8'));

const kinds = KINDS.filter((k) => !opt.kinds || opt.kinds.includes(k.name));
if (kinds.length === 0) throw new Error(`no such kinds: ${opt.kinds}`);

const server = new ServerProcess(opt.root);
const env = {
  port: 0,
  catalog,
  timeoutMs: opt.timeoutMs,
  maxReplyBytes: 16 * MiB,
  preAuthCap,
  maxPacket: MAX_PACKET,
  accounts: accountTable(opt.root),
  /** Login states reached, by name (Session.count). */
  counts: {},
  root: opt.root,
  /** Every Session open on the campaign's server (the prepared-statement count oracle sums them). */
  sessions: new Set(),
  /** The server's prepared-statement count and limit, over IPC. */
  preparedCount: () => server.preparedStatements(),
};
const ctxBase = {
  root: opt.root,
  accounts: env.accounts,
  captured,
  preAuthCap,
  maxBytes: opt.maxBytes,
  bigBytes: opt.bigBytes,
  hugeChance: opt.hugeChance,
  sliceBytes,
};

/** Client flags of the standard login, one profile per logged-in connection. */
const BASE_CAPS =
  CLIENT.LONG_PASSWORD |
  CLIENT.PROTOCOL_41 |
  CLIENT.TRANSACTIONS |
  CLIENT.SECURE_CONNECTION |
  CLIENT.MULTI_RESULTS |
  CLIENT.PLUGIN_AUTH;
const CAP_PROFILES = [
  BASE_CAPS,
  BASE_CAPS | CLIENT.DEPRECATE_EOF,
  BASE_CAPS & ~CLIENT.MULTI_RESULTS,
  BASE_CAPS | CLIENT.PLUGIN_AUTH_LENENC_CLIENT_DATA | CLIENT.CONNECT_ATTRS | CLIENT.FOUND_ROWS,
  // Logged in over TLS (CLIENT_SSL in a profile means: SSLRequest, TLS, then the login).
  BASE_CAPS | CLIENT.SSL,
  BASE_CAPS | CLIENT.DEPRECATE_EOF | CLIENT.CONNECT_ATTRS | CLIENT.SSL,
];

process.on('exit', () => {
  if (server.alive) server.child.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (server.alive) server.child.kill('SIGKILL');
    process.exit(130);
  });
}

// ---- running inputs -------------------------------------------------------------

const EXTERNAL_SIGNALS = new Set(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT']);

/** Turns anything thrown while running an input into a Violation, checking for a crash first. */
async function classify(e) {
  const alive = await server.settle(e instanceof Violation ? 200 : 300);
  if (!alive) {
    const x = server.exit ?? {};
    if (EXTERNAL_SIGNALS.has(x.signal)) {
      // Node never raises these on itself: something outside the harness stopped the server.
      return new Violation('killed', `server stopped by ${x.signal} from outside the harness`);
    }
    return new Violation(
      'crash',
      `server exited (code ${x.code}, signal ${x.signal}) during ${e?.cls ?? 'input'}: ${e?.message}\n--- server log tail ---\n${server.tail(25)}`,
    );
  }
  if (e instanceof Violation) return e;
  if (e?.code === 'ECONNREFUSED' || e?.code === 'ECONNRESET') {
    return new Violation('unexpected-close', `${e.code} while connecting`);
  }
  return new Violation('harness', e?.stack ?? String(e));
}

async function openLoggedIn(kind, caps) {
  const s = await Session.open(env);
  await s.login(caps, { tls: (caps & CLIENT.SSL) !== 0 });
  s.profileCaps = caps;
  if (kind.setup) await kind.setup(s, ctxBase);
  return s;
}

/** Runs a sequence of inputs of one kind, as replay and the minimizer do; returns the Violation or null. */
async function reproduce(kind, inputs, caps, chaos, entryFlags = {}) {
  if (!server.alive) {
    await server.restart();
    env.port = server.port;
  }
  let s = null;
  try {
    for (const [i, bytes] of inputs.entries()) {
      if (kind.session === 'greeting') {
        s?.close();
        s = await Session.open(env);
      } else if (!s || s.closed) {
        s?.close();
        s = await openLoggedIn(kind, caps);
      }
      const last = i === inputs.length - 1;
      if (kind.before) await kind.before(s, ctxBase);
      const out = await s.play(kind.wire(bytes, s), {
        chaos: last ? chaos : 0,
        echo: bytes,
        shapeOf: kind.shapeOf,
      });
      const entry = { ...entryFlags, ...(last ? entryFlags.entry : {}), bytes };
      let problem = last ? kind.check?.(out, entry, s) : null;
      if (!problem && kind.after && !s.closed) problem = await kind.after(s, out, entry);
      if (problem) throw new Violation('spec', problem);
      if (last && entryFlags.metamorphic) await twin(kind, s, bytes, out);
    }
    return null;
  } catch (e) {
    return classify(e);
  } finally {
    s?.close();
  }
}

/**
 * Differential check: the kind's variant of an input (e.g. the same SQL
 * past the large-statement threshold) must get byte-identical replies.
 */
async function twin(kind, s, bytes, out) {
  const other = kind.variant?.(bytes, ctxBase);
  if (!other || out.closed || out.capped || !out.replyHash || s.closed) return false;
  const out2 = await s.play(kind.wire(other, s), { echo: other, shapeOf: kind.shapeOf });
  if (out2.capped) return true;
  if (out2.replyHash !== out.replyHash) {
    // The first part that differs leads (failures are told apart by it), then both whole traces.
    let k = 0;
    while (k < out.trace.length && out2.trace[k] === out.trace[k]) k++;
    throw new Violation(
      'differential',
      `the ${other.length}-byte variant got a different reply: ` +
        (k < Math.max(out.trace.length, out2.trace.length)
          ? `part ${k + 1} is ${out2.trace[k] ?? 'missing'}, not ${out.trace[k] ?? 'missing'}; `
          : 'the same parts, other bytes; ') +
        `${out2.trace.join(',')} vs ${out.trace.join(',')}` +
        `${out2.errors[0] ? ` (${out2.errors[0].code} ${out2.errors[0].message.slice(0, 100)})` : ''}`,
    );
  }
  return true;
}

/** A fresh connection logs in and CALL myadd(3,4) returns 7; the open-connection count is sane. */
async function healthCheck() {
  let s;
  try {
    s = await Session.open(env);
    await s.login(BASE_CAPS);
    s.conn.write(command(COM.QUERY, 'CALL myadd(3,4)'));
    const r = new ReplyReader(s.conn, { ...env, caps: s.caps, input: null });
    r.expect = 1;
    const count = await r.must('the column count');
    const col = await r.must('the column');
    await r.must('the EOF');
    const row = await r.must('the row');
    await r.must('the EOF after the row');
    const ok = await r.must('the final OK');
    const name = col.includes(Buffer.from('\x03sum')) ? 'sum' : '?';
    if (count[0] !== 1 || name !== 'sum' || row.toString('latin1') !== '\x017' || ok[0] !== 0) {
      throw new Violation('health', `CALL myadd(3,4) did not return 7: row ${row.toString('hex')}`);
    }
    s.conn.write(command(COM.STATISTICS));
    r.expect = 1;
    const st = (await r.must('the statistics')).toString('utf8');
    const threads = Number(/Threads: (\d+)/.exec(st)?.[1] ?? -1);
    if (opt.verbose) {
      // The sample's stats() reports the main thread's heap: RSS far above it is elsewhere.
      s.conn.write(command(COM.QUERY, 'CALL stats()'));
      r.expect = 1;
      const cells = [];
      for (
        let p = await r.must('stats');
        p[0] !== 0x00 || p.length < 7;
        p = await r.must('stats')
      ) {
        if (p[0] !== 0xfe && p.length < 64)
          cells.push(p.toString('latin1').replace(/[^\x20-\x7e]+/g, ' '));
      }
      vlog(`.. server says: ${cells.slice(-2).join(' | ')}`);
    }
    return { threads };
  } finally {
    s?.close();
  }
}

/**
 * Several connections send large statements at once (parsed off the event
 * loop, maybe by one shared worker): each must get its own answer. Two
 * SELECTs of distinct multi-MiB literals must come back verbatim, and a
 * malformed large statement in between must fail alone.
 */
async function parallelCheck(rng) {
  const sqlKind = KINDS.find((k) => k.name === 'sql');
  const sessions = [];
  try {
    const inputs = [];
    for (let k = 0; k < 3; k++) {
      const size = sliceBytes + rng.below(sliceBytes);
      const fill = String.fromCharCode(0x61 + k).repeat(size);
      inputs.push(
        k === 1
          ? Buffer.from(`SELECT (${' '.repeat(size)}`)
          : Buffer.from(`SELECT '${k}\u00e9${fill}\\n${k}'`, 'utf8'),
      );
      const s = await Session.open(env);
      await s.login(BASE_CAPS);
      sessions.push(s);
    }
    const outs = await Promise.all(
      sessions.map((s, k) => s.play(sqlKind.wire(inputs[k], s), { echo: inputs[k] })),
    );
    for (const [k, out] of outs.entries()) {
      const problem = sqlKind.check(out, { bytes: inputs[k] });
      if (problem)
        throw new Violation('concurrency', `connection ${k} of 3 in parallel: ${problem}`);
      if (k === 1 && out.errors[0]?.code !== 1064) {
        throw new Violation('concurrency', `the malformed statement got ${out.trace.join(',')}`);
      }
    }
  } finally {
    for (const s of sessions) s.close();
  }
}

// ---- minimizing ---------------------------------------------------------------------

/** Crashes are told apart by the first error line the server printed. */
function crashKey(detail) {
  const tail = (detail.split('--- server log tail ---')[1] ?? '').split('\n').reverse();
  const line =
    tail.find((l) => /^\s*(?:\w*Error\b|Uncaught|FATAL|Aborted|<--- Last few GCs)/.test(l)) ??
    'no error line';
  return normalizeDetail(line.trim());
}

function normalizeDetail(d) {
  return d
    .split('\n')[0]
    .replace(
      /^(the )\d+(-byte variant got a different reply: part )\d+( is \S+, not \S+);.*/,
      '$1N$2N$3',
    )
    .replace(/\([0-9a-f]*(?:\.\.\.\(\d+ bytes\))?\)/g, '(H)')
    .replace(/[0-9a-f]{8,}/g, 'H')
    .replace(/\d+/g, 'N')
    .replace(/"[^"]*"/g, 'S')
    .slice(0, 80);
}

async function minimize(f, poolMs) {
  const kind = f.kind;
  const started = Date.now();
  const budgetMs = Math.min(poolMs, f.cls === 'hang' || f.cls === 'crash' ? 40000 : 20000);
  let tries = 0;
  const maxTries = f.cls === 'crash' ? 40 : 400;
  const flags = {
    expect: f.entry.expect,
    client: f.entry.client,
    mutated: f.entry.mutated,
    metamorphic: f.cls === 'differential',
    // Kind checks read the entry's script; only for the input it was made for.
    entry: { ...f.entry, bytes: undefined },
  };
  // A kind's own expectation ('spec') or the auth-bypass oracle can fail for another reason
  // once bytes are cut: those must fail the same way, not just in the same class.
  const strict = f.cls === 'spec' || f.cls === 'auth-bypass';
  const key = (d) => d.split('\n')[0];
  const same = async (inputs, chaos) => {
    tries++;
    const v = await reproduce(kind, inputs, f.caps, chaos, flags);
    return v !== null && v.cls === f.cls && (!strict || key(v.detail) === key(f.detail)) ? v : null;
  };
  const budgetLeft = () => tries < maxTries && Date.now() - started < budgetMs;

  let inputs = [f.bytes];
  let chaos = f.chaos;
  let v = await same(inputs, chaos);
  if (!v && f.history.length > 0) {
    inputs = [...f.history, f.bytes];
    v = await same(inputs, chaos);
    // Drop what the failure does not need, oldest first.
    for (let i = 0; v && i < inputs.length - 1 && budgetLeft();) {
      const fewer = inputs.filter((_, k) => k !== i);
      const w = await same(fewer, chaos);
      if (w) {
        inputs = fewer;
        v = w;
      } else i++;
    }
  }
  if (!v) return { reproduced: false, inputs: [...f.history.slice(-5), f.bytes], chaos, tries };
  if (chaos && budgetLeft()) {
    const w = await same(inputs, 0);
    if (w) {
      chaos = 0;
      v = w;
    }
  }
  // Shrink the last input: whole frames, then chunks of bytes (ddmin-style).
  let last = inputs[inputs.length - 1];
  const tryLast = async (candidate) => {
    if (candidate.length >= last.length || !budgetLeft()) return false;
    const w = await same([...inputs.slice(0, -1), candidate], chaos);
    if (w) {
      last = candidate;
      v = w;
    }
    return Boolean(w);
  };
  if (kind.wire(Buffer.from('x')).equals(Buffer.from('x'))) {
    const sf = splitFrames(last);
    for (let i = 0; i < sf.frames.length && sf.frames.length > 1 && budgetLeft();) {
      const frames = sf.frames.filter((_, k) => k !== i);
      if (await tryLast(joinFrames({ frames, tail: sf.tail }))) sf.frames = frames;
      else i++;
    }
  }
  for (let chunk = Math.max(1, last.length >> 1); chunk >= 1 && budgetLeft();) {
    let progressed = false;
    for (let at = 0; at < last.length && budgetLeft();) {
      const candidate = Buffer.concat([last.subarray(0, at), last.subarray(at + chunk)]);
      if (await tryLast(candidate)) progressed = true;
      else at += chunk;
    }
    if (!progressed) chunk >>= 1;
  }
  inputs[inputs.length - 1] = last;
  return { reproduced: true, inputs, chaos, tries, violation: v };
}

function reproducerLine(kindName, inputs, caps, chaos, tag, metamorphic) {
  const hex = inputs.map((b) => b.toString('hex')).join(',');
  const extra =
    `${caps != null ? ` --caps 0x${caps.toString(16)}` : ''}${chaos ? ` --chaos ${chaos}` : ''}` +
    `${metamorphic ? ' --metamorphic' : ''}`;
  if (hex.length <= 4096) {
    return { hex, cmd: `node test/fuzz/run.mjs --kind ${kindName}${extra} --replay ${hex}` };
  }
  const file = join(tmpdir(), `fuzz-repro-${tag}.hex`);
  writeFileSync(file, hex + '\n');
  return {
    hex: `${hex.slice(0, 200)}... (${hex.length / 2} bytes, full hex in ${file})`,
    cmd: `node test/fuzz/run.mjs --kind ${kindName}${extra} --replay-file ${file}`,
  };
}

// ---- replay mode ----------------------------------------------------------------------

async function replayMode() {
  const kind = KINDS.find((k) => k.name === (opt.kind ?? 'sql'));
  if (!kind) throw new Error(`unknown kind ${opt.kind}; kinds: ${KINDS.map((k) => k.name)}`);
  env.port = await server.start();
  const caps = opt.caps ?? BASE_CAPS;
  log(`fuzz replay: kind ${kind.name}, ${opt.replay.length} input(s), caps 0x${caps.toString(16)}`);
  const v = await reproduce(kind, opt.replay, caps, opt.chaos, { metamorphic: opt.metamorphic });
  let ok = v === null;
  if (v) log(`FAILED ${v.cls}: ${v.detail}`);
  else log('replay: the server met the oracle');
  if (server.alive) {
    try {
      await healthCheck();
    } catch (e) {
      ok = false;
      log(`health check after replay failed: ${(await classify(e)).message}`);
    }
  } else ok = false;
  await server.stop();
  log(`fuzz: ${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
  process.exitCode = ok ? 0 : 1;
}

// ---- campaign -------------------------------------------------------------------------

async function campaign() {
  const rng = new Rng(opt.seed);
  log(
    `fuzz: seed ${opt.seed}, ${opt.long ? 'long' : 'short'} campaign, up to ${opt.seconds} s` +
      `${Number.isFinite(opt.count) ? ` / ${opt.count} inputs` : ''}, kinds ${kinds.map((k) => k.name).join(',')}`,
  );
  log(`fuzz: ${catalog.size} error templates; pre-auth packet cap ${preAuthCap} bytes`);
  env.port = await server.start();

  const states = kinds.map((kind) => {
    const seeds = kind.seeds(ctxBase).map((e) => ({ ...e, mutated: false }));
    return {
      kind,
      corpus: [...seeds],
      queue: [...seeds],
      sigs: new Set(),
      s: {
        inputs: 0,
        passed: 0,
        failed: 0,
        closed: 0,
        capped: 0,
        incomplete: 0,
        errs: 0,
        bytes: 0,
        twins: 0,
      },
    };
  });
  // Beside the campaign: the throttle on its own server, and the login clock on this one.
  const runChecks = opt.checks && (!opt.kinds || opt.kinds.includes('auth'));
  const throttleRun = runChecks
    ? throttleCheck({ root: opt.root, baseEnv: env, rounds: opt.long ? 12 : 1, log })
    : null;
  const stallRun = runChecks ? stallChecks(env) : null;
  const failures = [];
  const signatures = new Map();
  const totals = {
    passed: 0,
    failed: 0,
    crashes: 0,
    hangs: 0,
    leaks: 0,
    health: 0,
    restarts: 0,
    killed: 0,
  };
  const rss = { baseline: null, first: null, peak: 0, last: null, samples: 0 };
  const bound = opt.rssBoundMiB * MiB;
  const started = Date.now();
  const warmupMs = Math.min(5000, opt.seconds * 100);
  let rssFailure = null;
  const sampler = setInterval(() => {
    const v = server.rss();
    if (v == null) return;
    rss.last = v;
    rss.samples++;
    rss.peak = Math.max(rss.peak, v);
    if (rss.paused) return;
    if (rss.baseline === null && Date.now() - started >= warmupMs) {
      rss.baseline = v;
      rss.first ??= v;
    }
    if (rss.baseline !== null && v > rss.baseline + bound && !rssFailure) {
      rssFailure = `server RSS ${fmtMiB(v)} is more than ${opt.rssBoundMiB} MiB above the baseline ${fmtMiB(rss.baseline)}`;
    }
  }, 250);
  sampler.unref();

  // One logged-in connection per kind, kept while it stays usable, with what it was sent.
  const lives = new Map();
  let lastHealth = Date.now();
  let lastParallel = Date.now();
  let parallelRuns = 0;
  let inputs = 0;
  // Minimizing shares one time pool per campaign (it is what a failing CI run waits for).
  let minimizeUntil = Infinity;
  let oversizeDone = false;
  let limitsRun = null;
  const checkNotes = [];
  const slow = [];
  const deadline = started + opt.seconds * 1000;
  minimizeUntil = deadline + (opt.long ? 180000 : 30000);

  const ensureServer = async () => {
    if (server.alive) return;
    totals.restarts++;
    await server.restart();
    env.port = server.port;
    rss.baseline = null;
  };

  const recordFailure = async (st, entry, v, caps, chaos, hist) => {
    if (v.cls === 'killed') {
      // Not the server's fault and not the input's: note it, restart, go on.
      totals.killed++;
      log(`\n!! ${v.detail}; restarting it (input not counted)`);
      if (st) st.s.inputs--;
      await ensureServer();
      return;
    }
    totals.failed++;
    if (v.cls === 'crash') totals.crashes++;
    if (v.cls === 'hang' || v.cls === 'server-hang') totals.hangs++;
    if (v.cls === 'leak' || v.cls === 'internal') totals.leaks++;
    if (st) st.s.failed++;
    const what = v.cls === 'crash' ? crashKey(v.detail) : normalizeDetail(v.detail);
    const key = `${st?.kind.name ?? '-'}|${v.cls}|${what}`;
    const seen = signatures.get(key);
    if (seen) {
      seen.count++;
      await ensureServer();
      return;
    }
    const f = {
      kind: st?.kind,
      cls: v.cls,
      detail: v.detail,
      entry,
      bytes: entry?.bytes,
      caps,
      chaos,
    };
    f.history = hist;
    f.count = 1;
    signatures.set(key, f);
    failures.push(f);
    log(`\n!! ${st?.kind.name ?? 'check'}: ${v.cls}: ${v.detail.split('\n')[0].slice(0, 300)}`);
    if (v.cls === 'crash') log(v.detail.split('\n').slice(1).join('\n'));
    await ensureServer();
    const budget = minimizeUntil - Date.now();
    if (st && opt.minimize && budget > 1000 && v.cls !== 'harness') {
      f.min = await minimize(f, budget);
    }
    if (st) {
      const m = f.min;
      const r = reproducerLine(
        st.kind.name,
        m ? m.inputs : [f.bytes],
        st.kind.session === 'logged-in' ? caps : null,
        m ? m.chaos : chaos,
        `${opt.seed}-${failures.length}`,
        f.cls === 'differential',
      );
      f.repro = r;
      const how = m
        ? m.reproduced
          ? `minimized in ${m.tries} runs`
          : 'did not reproduce on a fresh connection; last inputs shown'
        : 'not minimized (minimizing time used up)';
      log(`   seed ${opt.seed}; ${how}`);
      if (m?.reproduced && !(m.inputs.length === 1 && m.inputs[0].equals(f.bytes))) {
        const orig = reproducerLine(
          st.kind.name,
          [f.bytes],
          st.kind.session === 'logged-in' ? caps : null,
          chaos,
          `${opt.seed}-${failures.length}-original`,
          f.cls === 'differential',
        );
        log(`   original input (hex): ${orig.hex}`);
      }
      log(`   input (hex): ${r.hex}`);
      log(`   replay: ${r.cmd}`);
    }
    await ensureServer();
  };

  const runParallel = async () => {
    lastParallel = Date.now();
    try {
      await parallelCheck(rng);
      totals.passed++;
      parallelRuns++;
    } catch (e) {
      const v = await classify(e);
      await recordFailure(null, null, v, null, 0, []);
    }
  };

  const runHealth = async () => {
    lastHealth = Date.now();
    try {
      let { threads } = await healthCheck();
      if (threads > 8) {
        await delay(1500);
        ({ threads } = await healthCheck());
        if (threads > 8)
          throw new Violation(
            'leak',
            `COM_STATISTICS reports ${threads} open connections; the harness holds at most 2`,
          );
      }
      totals.passed++;
    } catch (e) {
      let v = await classify(e);
      if (v.cls === 'hang') v = new Violation('server-hang', `health check: ${v.detail}`);
      totals.health++;
      await recordFailure(null, null, v, null, 0, []);
      if (server.alive && v.cls === 'server-hang') {
        await server.restart();
        env.port = server.port;
        totals.restarts++;
      }
    }
  };

  // The prepared-statement limits first: they hold 64 MiB of long data and 16,382 statements
  // for a moment, which the RSS baseline (taken after them) then includes.
  if (opt.checks && kinds.some((k) => k.name === 'prepared')) {
    rss.paused = true;
    limitsRun = await preparedLimits(env, BASE_CAPS);
    rss.paused = false;
    for (const p of limitsRun.problems) {
      await recordFailure(null, null, new Violation('prepared-limits', p), null, 0, []);
    }
    totals.passed += limitsRun.problems.length === 0 ? 1 : 0;
    checkNotes.push(...limitsRun.notes.map((n) => `prepared limits: ${n}`));
    rss.baseline = null;
  }

  while (Date.now() < deadline && inputs < opt.count) {
    if (totals.restarts > 25) {
      log('\n!! more than 25 server restarts: stopping the campaign');
      break;
    }
    if (Date.now() - lastHealth > 2000) await runHealth();
    if (!opt.kinds && Date.now() - lastParallel > 10000) await runParallel();
    if (rssFailure) {
      await recordFailure(null, null, new Violation('rss', rssFailure), null, 0, []);
      rssFailure = null;
      rss.baseline = null;
    }
    if (opt.oversize && !oversizeDone && Date.now() - started > (deadline - started) / 2) {
      oversizeDone = true;
      totals.passed += await bigInputs(recordFailure);
    }
    const st =
      states.length === 1 ? states[0] : rng.weighted(states.map((x) => [x.kind.weight, x]));
    const kind = st.kind;
    const ctx = { ...ctxBase, other: () => rng.pick(st.corpus).bytes };
    let entry;
    if (st.queue.length > 0) entry = st.queue.shift();
    else {
      const parent = rng.pick(st.corpus);
      try {
        entry = { ...kind.mutate(rng, parent, ctx), mutated: true };
        if (rng.chance(0.2)) entry = { ...kind.mutate(rng, entry, ctx), mutated: true };
      } catch (e) {
        // A bug in a mutator is the harness's, not the server's: report it once and go on.
        await recordFailure(
          null,
          null,
          new Violation('harness', `${kind.name}.mutate: ${e.stack}`),
        );
        continue;
      }
    }
    const chaos = rng.chance(0.12) ? rng.u32() || 1 : 0;
    const t0 = Date.now();
    let took = null;
    inputs++;
    st.s.inputs++;
    st.s.bytes += entry.bytes.length;
    let caps = null;
    let out;
    try {
      let problem = null;
      if (kind.session === 'logged-in') {
        let live = lives.get(kind);
        if (!live || live.closed) {
          live?.close();
          live = await openLoggedIn(kind, rng.pick(kind.capProfiles ?? CAP_PROFILES));
          live.history = [];
          lives.set(kind, live);
        }
        caps = live.profileCaps;
        if (kind.before) await kind.before(live, ctxBase);
        out = await live.play(kind.wire(entry.bytes, live), {
          chaos,
          echo: entry.bytes,
          shapeOf: kind.shapeOf,
        });
        problem = kind.check?.(out, entry, live) ?? null;
        if (!problem && kind.after && !live.closed) problem = await kind.after(live, out, entry);
      } else {
        const s = await Session.open(env);
        try {
          out = await s.play(kind.wire(entry.bytes, s), {
            chaos,
            echo: entry.bytes,
            shapeOf: kind.shapeOf,
          });
          problem = kind.check?.(out, entry, s) ?? null;
          if (!problem && kind.after && !s.closed) problem = await kind.after(s, out, entry);
        } finally {
          s.close();
        }
      }
      if (problem) throw new Violation('spec', problem);
      if (kind.variant && kind.session === 'logged-in' && rng.chance(opt.variantChance)) {
        if (await twin(kind, lives.get(kind), entry.bytes, out)) st.s.twins++;
      }
      st.s.passed++;
      totals.passed++;
      if (out.closed) st.s.closed++;
      if (out.capped) st.s.capped++;
      if (out.incomplete) st.s.incomplete++;
      st.s.errs += out.errors.length;
      // Black-box feedback: keep inputs whose replies look new.
      const sig = `${Math.min(out.units, 8)}|${out.trace.join(',')}|${out.closed}|${out.incomplete}`;
      // Huge inputs stay out of the corpus: kinds generate them fresh, and mutating MiBs is slow.
      if (!st.sigs.has(sig) && entry.bytes.length <= 64 * 1024) {
        st.sigs.add(sig);
        if (st.corpus.length >= 3000) st.corpus.splice(rng.below(st.corpus.length), 1);
        st.corpus.push(entry);
      }
      const live = lives.get(kind);
      if (live && kind.session === 'logged-in') {
        if (live.closed) lives.delete(kind);
        else live.history.push(entry.bytes);
        if (live.history.length > 30) live.history.shift();
      }
    } catch (e) {
      took = Date.now() - t0;
      const v = await classify(e);
      const live = lives.get(kind);
      const hist = kind.session === 'logged-in' && live ? [...live.history] : [];
      live?.close();
      lives.delete(kind);
      if (v.cls === 'hang') {
        // A silent connection, or the whole server stuck?
        try {
          await healthCheck();
        } catch {
          v.cls = 'server-hang';
          if (server.alive) {
            await server.restart();
            env.port = server.port;
            totals.restarts++;
          }
        }
      }
      await recordFailure(st, entry, v, caps, chaos, hist);
    }
    took ??= Date.now() - t0;
    if (took > 100) {
      slow.push({
        took,
        kind: kind.name,
        len: entry.bytes.length,
        chaos,
        head: entry.bytes.subarray(0, 40),
      });
      slow.sort((a, b) => b.took - a.took);
      slow.length = Math.min(slow.length, 5);
    }
    if (opt.verbose && inputs % 1000 === 0) {
      vlog(
        `.. ${inputs} inputs, ${((Date.now() - started) / 1000).toFixed(1)} s, rss ${fmtMiB(rss.last)}`,
      );
    }
  }
  for (const live of lives.values()) live.close();
  if (server.alive && kinds.some((k) => k.name === 'prepared' || k.name === 'command')) {
    // Every connection of the campaign is closed: the server must hold no statement.
    const left = await checkStatementCount(env, 5000);
    if (left)
      await recordFailure(null, null, new Violation('leak', `at the end: ${left}`), null, 0, []);
    else totals.passed++;
    checkNotes.push(
      `prepared statements open on the server at the end: ${left ? 'more than the harness holds' : 'none, as the harness holds none'}`,
    );
  }
  if (stallRun) {
    const { problems, scenarios } = await stallRun;
    for (const p of problems)
      await recordFailure(null, null, new Violation('login-clock', p), null, 0, []);
    totals.passed += scenarios - problems.length;
    checkNotes.push(
      `login clock: ${scenarios} logins stopped at a step, ${scenarios - problems.length} dropped by the server within connectTimeout`,
    );
  }
  if (throttleRun) {
    const { problems, notes, stats } = await throttleRun;
    for (const p of problems)
      await recordFailure(null, null, new Violation('throttle', p), null, 0, []);
    totals.passed += stats.rounds - Math.min(stats.rounds, problems.length);
    checkNotes.push(
      `throttle (own server, ${JSON.stringify(THROTTLE)}): ${stats.rounds} round(s), ${stats.failures} failed logins, ` +
        `${stats.delayed} delayed, ${stats.refused1129} x ERR 1129, ${stats.flushes} FLUSH HOSTS`,
      ...notes.map((n) => `throttle note: ${n}`),
    );
  }
  if (server.alive) await runHealth();
  clearInterval(sampler);
  const finalRss = server.rss();
  if (finalRss) rss.peak = Math.max(rss.peak, finalRss);
  if (rssFailure) await recordFailure(null, null, new Violation('rss', rssFailure), null, 0, []);
  await server.stop();
  const seconds = (Date.now() - started) / 1000;

  log('');
  for (const st of states) {
    const s = st.s;
    log(
      `kind ${st.kind.name.padEnd(8)} ${s.inputs} inputs (${(s.inputs / seconds).toFixed(0)}/s), ${s.passed} passed, ${s.failed} failed; ` +
        `closed ${s.closed}, incomplete ${s.incomplete}, capped ${s.capped}, ERR replies ${s.errs}, ` +
        `${st.kind.variant ? `differential twins ${s.twins}, ` : ''}` +
        `corpus ${st.corpus.length}, reply shapes ${st.sigs.size}`,
    );
  }
  if (failures.length > 0) {
    log('\nfailures (distinct):');
    for (const f of failures) {
      log(
        `- [${f.kind?.name ?? 'check'}] ${f.cls} x${f.count}: ${f.detail.split('\n')[0].slice(0, 240)}`,
      );
      if (f.repro) log(`    ${f.repro.cmd.slice(0, 600)}`);
    }
  }
  log(
    `\nseed ${opt.seed}; ${inputs} inputs in ${seconds.toFixed(1)} s; crashes ${totals.crashes}, hangs ${totals.hangs}, ` +
      `leaks ${totals.leaks}, server restarts ${totals.restarts}${totals.killed ? ` (${totals.killed} after an outside signal)` : ''}, ` +
      `server ERROR log lines ${server.errorLines}`,
  );
  log(
    `rss: baseline ${fmtMiB(rss.first)}, peak ${fmtMiB(rss.peak)} (bound: baseline + ${opt.rssBoundMiB} MiB), ${rss.samples} samples`,
  );
  log(
    `checks: fresh-connection CALL myadd(3,4) every 2 s; ${parallelRuns} parallel large-statement rounds`,
  );
  for (const n of checkNotes) log(`checks: ${n}`);
  const reached = Object.entries(env.counts).sort(([a], [b]) => a.localeCompare(b));
  const isKindNote = ([k]) => /^(prepared|multi): /.test(k);
  log(
    `login states reached: ${reached
      .filter((e) => !isKindNote(e))
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  const covered = reached.filter(isKindNote);
  if (covered.length) log(`oracle coverage: ${covered.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const [line, n] of server.errorKinds) vlog(`server log x${n}: ${line}`);
  for (const x of slow) {
    vlog(
      `slow: ${x.took} ms ${x.kind} ${x.len} bytes chaos ${x.chaos} ${JSON.stringify(x.head.toString('latin1'))}`,
    );
  }
  log(`fuzz: ${totals.passed} passed, ${totals.failed} failed`);
  process.exitCode = totals.failed > 0 || totals.crashes > 0 || totals.hangs > 0 ? 1 : 0;
}

/**
 * Long campaigns (or --oversize): a COM_QUERY of exactly 0xFFFFFF bytes
 * (sent as a full chunk plus an empty one) and a packet past
 * max_allowed_packet (four full chunks, then a fifth header): ERR 1153, close.
 */
async function bigInputs(recordFailure) {
  const st = { kind: KINDS.find((k) => k.name === 'command') };
  let passed = 0;
  const chunk = Buffer.alloc(MAX_CHUNK, 0x20);
  chunk[0] = COM.QUERY;
  const cases = [
    ['exact 16 MiB query', Buffer.concat([frame(0, chunk), frame(1, Buffer.alloc(0))]), null],
    [
      'over max_allowed_packet',
      Buffer.concat([0, 1, 2, 3].map((i) => frame(i, chunk)).concat([frame(4, Buffer.alloc(8))])),
      1153,
    ],
  ];
  for (const [label, bytes, code] of cases) {
    let s;
    try {
      s = await openLoggedIn(st.kind, BASE_CAPS);
      const t0 = Date.now();
      const out = await s.play(bytes, { echo: Buffer.alloc(0), expectCode: code });
      log(
        `big input: ${label}: ${out.fatal ? `ERR ${out.fatal.code}` : 'answered'} in ${Date.now() - t0} ms`,
      );
      passed++;
    } catch (e) {
      const v = await classify(e);
      v.detail = `${label}: ${v.detail}`;
      await recordFailure(null, null, v, BASE_CAPS, 0, []);
    } finally {
      s?.close();
    }
  }
  return passed;
}

try {
  if (opt.replay) await replayMode();
  else await campaign();
} catch (e) {
  console.error(e?.stack ?? e);
  if (server.alive) await server.stop();
  console.log('fuzz: 0 passed, 1 failed');
  // Open sockets or timers must not keep a failed run alive.
  process.exit(1);
}
process.exit(process.exitCode ?? 0);
