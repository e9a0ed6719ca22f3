// The soak's client behaviours. Each session opens one connection, makes a
// bounded number of calls (or fewer once the deadline has passed), and
// closes it; a slot runs sessions of one kind back to back until the
// deadline. mysql2 and pipelined sessions are mostly long (hundreds to
// thousands of calls), abrupt and slow ones are short, so connections churn
// without the whole load turning into logins: under load Node accepts one
// connection per event-loop turn, so a storm of reconnects mostly measures
// the accept queue.
//   mysql2     sequential calls through the mysql2 driver
//   pipelined  raw socket, batches of 1..16 COM_QUERY in one write, replies
//              matched in order with their sequence ids
//   abrupt     raw socket, a large call, then the socket is destroyed after
//              a random number of reply bytes (or at once, or while paused,
//              or during login)
//   slow       raw socket, a large call (plus small ones behind it), reading
//              paused for a while, then resumed and the whole reply checked
import mysql from 'mysql2';
import { makeCall } from './calls.mjs';
import { WireConn } from './wire.mjs';

export const SESSION_WEIGHTS = { mysql2: 42, pipelined: 36, abrupt: 14, slow: 8 };

/** A gap this long between reply bytes is reported as a slow reply. */
export const SLOW_REPLY_MS = 10000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counters shared by every client. */
export class Stats {
  constructor() {
    this.sessions = { mysql2: 0, pipelined: 0, abrupt: 0, slow: 0 };
    this.connectionsOpened = 0;
    this.loginFailures = 0;
    this.loginAborts = 0;
    /** Connection attempts still waiting at the deadline, given up by the harness. */
    this.connectsAbandoned = 0;
    this.maxOpen = 0;
    /** Gaps of SLOW_REPLY_MS or more inside replies that did arrive, and the longest one. */
    this.slowReplies = 0;
    this.maxSilence = { ms: 0, sql: '' };
    this.open = 0;
    /** Slots waiting for a connection and login to complete. */
    this.connecting = 0;
    /** Login times in ms, per client kind: [count, total, max]. */
    this.loginMs = {};
    this.sent = 0;
    this.correct = 0;
    this.wrong = 0;
    this.lost = 0;
    this.aborted = 0;
    this.midReplyDisconnects = 0;
    this.beforeReadDisconnects = 0;
    this.serverClosed = 0;
    this.unsolicited = 0;
    this.byProc = {};
    this.errorCodes = {};
    this.samples = [];
  }

  code(code) {
    this.errorCodes[code] = (this.errorCodes[code] ?? 0) + 1;
  }

  /** A gap between reply bytes while a call waited. */
  silence(ms, sql) {
    if (ms >= SLOW_REPLY_MS) this.slowReplies++;
    if (ms > this.maxSilence.ms) this.maxSilence = { ms, sql };
  }

  loginTime(kind, ms) {
    const t = (this.loginMs[kind] ??= [0, 0, 0]);
    t[0]++;
    t[1] += ms;
    t[2] = Math.max(t[2], ms);
  }

  sample(text) {
    if (this.samples.length < 20) this.samples.push(text);
  }

  /** One call's fate. */
  record(call, outcome, why, where) {
    this.sent++;
    const p = (this.byProc[call.proc] ??= { sent: 0, correct: 0, wrong: 0, lost: 0, aborted: 0 });
    p.sent++;
    if (outcome === 'correct') {
      this.correct++;
      p.correct++;
    } else if (outcome === 'aborted') {
      this.aborted++;
      p.aborted++;
    } else if (outcome === 'lost') {
      this.lost++;
      p.lost++;
      this.sample(`LOST  ${where}: ${call.sql}: ${why}`);
    } else {
      this.wrong++;
      p.wrong++;
      this.sample(`WRONG ${where}: ${call.sql}: ${why}`);
    }
  }
}

/** Settles one raw command's result into the stats. */
function settleRaw(ctx, call, result, where) {
  const { stats } = ctx;
  if (result.outcome === 'reply') {
    const p = result.parser;
    if (p.err) stats.code(p.err.code);
    const why = call.checkRaw(p);
    stats.record(call, why ? 'wrong' : 'correct', why, where);
    return !why;
  }
  if (result.outcome === 'aborted') {
    stats.record(call, 'aborted');
    return false;
  }
  if (result.outcome === 'timeout') {
    stats.record(call, 'lost', `no byte for ${ctx.replyTimeoutMs} ms (${result.detail})`, where);
    return false;
  }
  stats.serverClosed++;
  stats.code(`closed:${result.error ?? 'by server'}`);
  stats.record(call, 'lost', `server closed the connection (${result.error ?? 'FIN'})`, where);
  return false;
}

/**
 * Caps connection attempts in flight. The server accepts one connection per
 * event-loop turn, and its turns are long under load, so unbounded churn
 * would fill its accept queue (and the kernel's, 511) with attempts that
 * wait there for tens of seconds; with the cap, login time stays a measure
 * of the server and not of the queue the harness itself built up.
 */
export class Gate {
  constructor(size) {
    this.free = size;
    this.waiters = [];
    this.waiting = 0;
  }

  /** Resolves true with a place, or false when `signal` aborts first. */
  acquire(signal) {
    if (signal.aborted) return Promise.resolve(false);
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const waiter = (granted) => {
        this.waiting--;
        signal.removeEventListener('abort', onAbort);
        resolve(granted);
      };
      const onAbort = () => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter(false);
      };
      this.waiting++;
      this.waiters.push(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  release() {
    const next = this.waiters.shift();
    if (next) next(true);
    else this.free++;
  }
}

/** A failed login, unless the harness itself gave up connecting at its deadline. */
function loginFailed(ctx, kind, error) {
  if (ctx.connects.signal.aborted) {
    ctx.stats.connectsAbandoned++;
    return;
  }
  ctx.stats.loginFailures++;
  ctx.stats.code(`login:${error.code ?? error.errno ?? error.message}`);
  ctx.stats.sample(`LOGIN ${kind}: ${error.message}`);
}

async function openWire(ctx, r, kind) {
  if (!(await ctx.gate.acquire(ctx.connects.signal))) {
    ctx.stats.connectsAbandoned++;
    return null;
  }
  ctx.stats.connecting++;
  const t0 = Date.now();
  try {
    const conn = await WireConn.open(ctx.port, {
      deprecateEof: r() < 0.5,
      timeoutMs: ctx.loginTimeoutMs,
      signal: ctx.connects.signal,
    });
    ctx.stats.loginTime('raw', Date.now() - t0);
    ctx.stats.connectionsOpened++;
    ctx.stats.open++;
    ctx.stats.maxOpen = Math.max(ctx.stats.maxOpen, ctx.stats.open);
    ctx.track(conn.socket);
    conn.onSilence = (ms, sql) => ctx.stats.silence(ms, sql ?? '');
    conn.closedPromise.then(() => ctx.stats.open--);
    return conn;
  } catch (error) {
    loginFailed(ctx, kind, error);
    return null;
  } finally {
    ctx.stats.connecting--;
    ctx.gate.release();
  }
}

const live = (ctx) => Date.now() < ctx.deadline && !ctx.stopping;

/** Closes gracefully (COM_QUIT) most of the time, else abruptly. */
async function closeWire(conn, r) {
  if (conn.pending.length) return conn.destroy();
  const x = r();
  if (x < 0.7) return conn.quit();
  return conn.destroy(x < 0.85);
}

export async function pipelinedSession(ctx, r, where) {
  const conn = await openWire(ctx, r, 'pipelined');
  if (!conn) return;
  const batches = r() < 0.2 ? r.int(1, 5) : r.int(20, 250);
  for (let b = 0; b < batches && live(ctx) && !conn.closed; b++) {
    const calls = Array.from({ length: r.int(1, 16) }, () => makeCall(r, ctx.callOptions));
    const results = conn.send(calls, ctx.replyTimeoutMs);
    // Now and then stop reading while the replies come in.
    if (r() < 0.08) {
      conn.pause();
      await sleep(r.int(100, 1500));
      conn.resume();
    }
    const settled = await Promise.all(results);
    let fine = true;
    for (let i = 0; i < calls.length; i++)
      fine =
        settleRaw(ctx, calls[i], settled[i], `${where} pipelined #${i + 1}/${calls.length}`) &&
        fine;
    if (conn.unsolicited) {
      ctx.stats.unsolicited += conn.unsolicited;
      ctx.stats.sample(`WRONG ${where}: ${conn.unsolicited} packets after the last reply`);
      ctx.stats.wrong++;
      conn.unsolicited = 0;
      fine = false;
    }
    if (!fine && conn.pending.length === 0 && !conn.closed) break;
  }
  await closeWire(conn, r);
}

export async function slowSession(ctx, r, where) {
  const conn = await openWire(ctx, r, 'slow');
  if (!conn) return;
  const big = makeCall(r, {
    ...ctx.callOptions,
    force: r() < 0.5 ? 'series:large' : 'numbers:large',
  });
  const calls = [
    big,
    ...Array.from({ length: r.int(0, 3) }, () =>
      makeCall(r, { ...ctx.callOptions, force: 'myadd' }),
    ),
  ];
  // Pause before the reply starts, or after some of it.
  const pauseAfter = r() < 0.5 ? 0 : r.int(1, 2_000_000);
  const pauseMs = r.int(300, 3000);
  let paused = false;
  const startPause = () => {
    paused = true;
    conn.onChunk = null;
    conn.pause();
    setTimeout(() => conn.resume(), pauseMs);
  };
  if (pauseAfter === 0) startPause();
  else {
    let seen = 0;
    conn.onChunk = (n) => {
      if ((seen += n) >= pauseAfter && !paused) startPause();
    };
  }
  const results = conn.send(calls, ctx.replyTimeoutMs);
  const settled = await Promise.all(results);
  for (let i = 0; i < calls.length; i++)
    settleRaw(ctx, calls[i], settled[i], `${where} slow #${i + 1}`);
  // The connection must still be in step afterwards.
  if (!conn.closed) {
    const after = makeCall(r, ctx.callOptions);
    const [res] = conn.send([after], ctx.replyTimeoutMs);
    settleRaw(ctx, after, await res, `${where} slow, after`);
  }
  await closeWire(conn, r);
}

export async function abruptSession(ctx, r, where) {
  const variant = r.pick({
    bytes: 40,
    instantly: 15,
    pipelinedBytes: 20,
    pausedThenGone: 15,
    duringLogin: 10,
  });
  if (variant === 'duringLogin') {
    // Leave right after connecting, after the greeting, or with the login
    // packet sent but its OK not read (the server may count it open first).
    const when = r.pick({ connect: 1, greeting: 1, login: 2 });
    if (!(await ctx.gate.acquire(ctx.connects.signal))) {
      ctx.stats.connectsAbandoned++;
      return;
    }
    try {
      const conn = await WireConn.abandonLogin(
        ctx.port,
        when,
        r() < 0.5,
        ctx.loginTimeoutMs,
        ctx.connects.signal,
      );
      ctx.track(conn.socket);
      ctx.stats.loginAborts++;
      await conn.closedPromise;
    } catch (error) {
      loginFailed(ctx, 'abandon-login', error);
    } finally {
      ctx.gate.release();
    }
    return;
  }
  const conn = await openWire(ctx, r, 'abrupt');
  if (!conn) return;
  const big = makeCall(r, {
    ...ctx.callOptions,
    force: r() < 0.5 ? 'series:large' : 'numbers:large',
  });
  let calls = [big];
  let checkFirst = 0;
  if (variant === 'pipelinedBytes') {
    checkFirst = r.int(1, 4);
    const before = Array.from({ length: checkFirst }, () =>
      makeCall(r, { ...ctx.callOptions, force: 'myadd' }),
    );
    const after = Array.from({ length: r.int(0, 4) }, () => makeCall(r, ctx.callOptions));
    calls = [...before, big, ...after];
  }
  const reset = r() < 0.3;
  let limit = variant === 'instantly' ? 0 : r.int(0, 3_000_000);
  if (variant === 'pausedThenGone') conn.pause();
  else if (limit > 0) {
    let seen = 0;
    conn.onChunk = (n) => {
      if ((seen += n) >= limit) {
        conn.onChunk = null;
        conn.destroy(reset);
      }
    };
  }
  const results = conn.send(calls, ctx.replyTimeoutMs);
  if (variant === 'instantly' || (limit === 0 && variant !== 'pausedThenGone')) {
    ctx.stats.beforeReadDisconnects++;
    conn.destroy(reset);
  } else if (variant === 'pausedThenGone') {
    setTimeout(() => conn.destroy(reset), r.int(50, 2000));
  }
  const settled = await Promise.all(results);
  let cut = false;
  for (let i = 0; i < calls.length; i++) {
    if (settled[i].outcome === 'aborted') cut = true;
    settleRaw(ctx, calls[i], settled[i], `${where} abrupt/${variant} #${i + 1}`);
  }
  if (cut) ctx.stats.midReplyDisconnects++;
  await closeWire(conn, r);
}

/** One mysql2 query; lost when the connection is silent for `idleMs` while it waits. */
function mysql2Query(conn, sql, idleMs, lastData) {
  return new Promise((resolve) => {
    let done = false;
    const started = Date.now();
    const check = () => {
      if (done) return;
      const silentFor = Date.now() - Math.max(started, lastData.at);
      if (silentFor < idleMs) return void (timer = setTimeout(check, idleMs - silentFor));
      done = true;
      conn.destroy();
      resolve({ outcome: 'timeout', detail: `silent for ${silentFor} ms` });
    };
    let timer = setTimeout(check, idleMs);
    conn.query(sql, (err, result) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ outcome: 'reply', err, result });
    });
  });
}

export async function mysql2Session(ctx, r, where) {
  if (!(await ctx.gate.acquire(ctx.connects.signal))) {
    ctx.stats.connectsAbandoned++;
    return;
  }
  const conn = mysql.createConnection({
    host: '127.0.0.1',
    port: ctx.port,
    user: 'testuser',
    password: 'testpass',
    dateStrings: true,
    connectTimeout: ctx.loginTimeoutMs,
  });
  let fatal = null;
  conn.on('error', (error) => {
    fatal = error;
  });
  const closed = new Promise((resolve) => conn.stream.once('close', resolve));
  const lastData = { at: Date.now() };
  conn.stream.on('data', () => (lastData.at = Date.now()));
  ctx.track(conn.stream);
  ctx.stats.connecting++;
  const t0 = Date.now();
  const giveUp = () => conn.destroy();
  ctx.connects.signal.addEventListener('abort', giveUp);
  try {
    if (ctx.connects.signal.aborted) throw new Error('gave up connecting');
    await new Promise((resolve, reject) => {
      conn.connect((err) => (err ? reject(err) : resolve()));
      // A destroyed connection that never connected may not call back.
      conn.stream.once('close', () => reject(new Error('closed while connecting')));
    });
    ctx.stats.loginTime('mysql2', Date.now() - t0);
  } catch (error) {
    loginFailed(ctx, 'mysql2', error);
    conn.destroy();
    return;
  } finally {
    ctx.stats.connecting--;
    ctx.connects.signal.removeEventListener('abort', giveUp);
    ctx.gate.release();
  }
  ctx.stats.connectionsOpened++;
  ctx.stats.open++;
  ctx.stats.maxOpen = Math.max(ctx.stats.maxOpen, ctx.stats.open);
  closed.then(() => ctx.stats.open--);
  const calls = r() < 0.2 ? r.int(1, 20) : r.int(100, 2500);
  for (let i = 0; i < calls && live(ctx); i++) {
    const options = { ...ctx.callOptions };
    // Parsing 100 000 rows into objects is the client's cost, not the server's: rarely.
    options.weights = { 'series:large': 0.2, 'numbers:large': 0.2, ...options.weights };
    const call = makeCall(r, options);
    const res = await mysql2Query(conn, call.sql, ctx.replyTimeoutMs, lastData);
    if (res.outcome === 'timeout') {
      ctx.stats.record(
        call,
        'lost',
        `no byte for ${ctx.replyTimeoutMs} ms (${res.detail})`,
        `${where} mysql2`,
      );
      break;
    }
    const { err, result } = res;
    if (err?.errno) ctx.stats.code(err.errno);
    if (err && !err.errno && err.fatal) {
      // The connection went away under the call.
      ctx.stats.serverClosed++;
      ctx.stats.code(`closed:${err.code}`);
      ctx.stats.record(call, 'lost', `connection lost: ${err.code}`, `${where} mysql2`);
      break;
    }
    const why = call.checkMysql2(err, result);
    ctx.stats.record(call, why ? 'wrong' : 'correct', why, `${where} mysql2`);
    if (fatal) break;
  }
  if (r() < 0.8 && !fatal) {
    await new Promise((resolve) => {
      const t = setTimeout(() => (conn.destroy(), resolve()), 5000);
      conn.end(() => (clearTimeout(t), resolve()));
    });
  }
  conn.destroy();
  await closed;
}

const SESSIONS = {
  mysql2: mysql2Session,
  pipelined: pipelinedSession,
  abrupt: abruptSession,
  slow: slowSession,
};

/** The kind of slot `index` of `count`: a low-discrepancy spread, so even a few slots get every kind. */
export function slotKind(index, weights = SESSION_WEIGHTS) {
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  let x = ((index * 0.6180339887498949) % 1) * total;
  for (const [kind, w] of Object.entries(weights)) if ((x -= w) < 0) return kind;
  return Object.keys(weights)[0];
}

/** Runs sessions of one kind back to back until the deadline. */
export async function slot(ctx, r, index, kind) {
  let n = 0;
  while (live(ctx)) {
    ctx.stats.sessions[kind]++;
    const where = `slot ${index} session ${++n}`;
    try {
      await SESSIONS[kind](ctx, r, where);
    } catch (error) {
      ctx.stats.wrong++;
      ctx.stats.sample(`HARNESS ${where} ${kind}: ${error.stack ?? error}`);
      await sleep(100);
    }
  }
}
