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
//   tls        mysql2 over TLS (testuser, `secure` which REQUIRES SSL, or
//              soakhash), whoami() and tls_info() checked for the transport
//   hash       mysql2 without TLS as soakhash (a caching_sha2 verifier only):
//              short sessions, so logins churn; after each FLUSH PRIVILEGES
//              (the flusher in run.mjs) they take the full path with RSA
//   changeUser mysql2, plain or TLS, COM_CHANGE_USER between accounts; after
//              each, whoami() must name the new account and a user variable
//              set before must be gone; the calls mix every procedure, so
//              those the account may not call get ERR 1370
//   mysql2Exec mysql2's execute(): prepared statements (binary protocol),
//              cached per SQL text and reused, now and then unprepared
//              (COM_STMT_CLOSE) and prepared again
//   mariadbExec mariadb's execute() and prepare(): statements reused, closed
//              and prepared again (half the connections without a prepare
//              cache: PREPARE, EXECUTE, CLOSE per call); OUT parameters
//              come back to it (CLIENT_PS_MULTI_RESULTS)
// The pipelined clients also send multi-statement batches (several CALLs in
// one COM_QUERY) on connections with multi-statements on (at login or by
// COM_SET_OPTION).
// The raw clients (pipelined, abrupt, slow) log in in varied ways too:
// mysql_native_password or caching_sha2_password, fast or full path, with
// or without TLS, as testuser, soakhash or secure.
import mariadb from 'mariadb';
import mysql from 'mysql2';
import { connect } from 'node:net';
import { ACCOUNT_MIX, makeCall, makeExecCall, makeMultiCall, soakAccounts } from './calls.mjs';
import { AUTH_UNCERTAIN, MULTI_STATEMENTS_ON_PACKET, WireConn } from './wire.mjs';

export const SESSION_WEIGHTS = {
  mysql2: 26,
  pipelined: 28,
  abrupt: 11,
  slow: 5,
  tls: 7,
  hash: 5,
  changeUser: 7,
  mysql2Exec: 6,
  mariadbExec: 5,
};

export const ACCOUNTS = soakAccounts();

/**
 * What the mysql2 clients' logins made the server check (the raw clients
 * count theirs in wire.mjs). mysql2 is not given an auth plugin of ours
 * (given one, it answers the greeting with mysql_native_password instead):
 * the server's packets of each login are watched, and mysql2's answers
 * follow from them (a caching_sha2 scramble first at connect, a native one
 * in COM_CHANGE_USER, the switched plugin's after an AuthSwitchRequest, `02`
 * then RSA without TLS, the password in clear over TLS).
 */
export const MYSQL2_AUTH = { nativeChecks: 0, fastChecks: 0, fullChecks: 0, rsaDecrypts: 0 };
/** mysql2 logins (connect and changeUser) by path. */
export const MYSQL2_PATHS = {};

const SHA2 = 'caching_sha2_password';

/** Follows one mysql2 login from the server's packets: { work, path, pending, done, ok }. */
function watchLogin(conn, how, account, secure, firstPlugin = null) {
  const first = firstPlugin ?? (how === 'connect' ? SHA2 : 'mysql_native_password');
  const w = { nativeChecks: 0, fastChecks: 0, fullChecks: 0, rsaDecrypts: 0 };
  const check = (plugin) =>
    !account.password ? null : plugin === SHA2 ? 'fastChecks' : 'nativeChecks';
  const watch = { work: w, path: first === SHA2 ? 'fast' : 'native', pending: check(first) };
  conn._soakWatch = (p) => {
    if (watch.done || p.length === 0) return;
    const b = p[0];
    if (b === 0x0a && how === 'connect' && !watch.greeted) {
      watch.greeted = true; // the greeting
    } else if (b === 0xfe && p.length > 1) {
      // AuthSwitchRequest: the scramble sent was not checked; the switched plugin's will be.
      const plugin = p.toString('latin1', 1, p.indexOf(0, 1));
      watch.path = `${plugin === SHA2 ? 'fast' : 'native'}+switch`;
      watch.pending = check(plugin);
    } else if (b === 0x01 && p[1] === 0x04) {
      if (watch.pending) w[watch.pending]++;
      watch.path = secure ? 'full-tls' : 'full-rsa';
      watch.pending = secure ? 'fullChecks' : null;
    } else if (b === 0x01 && p[1] === 0x2d) {
      w.rsaDecrypts++;
      watch.pending = 'fullChecks';
    } else if (b === 0x00 || b === 0xff) {
      if (b === 0x00 && watch.pending) w[watch.pending]++;
      watch.ok = b === 0x00;
      watch.done = true;
    }
  };
  return watch;
}

/** A mysql2 login ended: its checks count (ok), or may have happened (cut off by the harness). */
function settleLogin(conn, watch, ok, cutOff) {
  conn._soakWatch = null;
  const into = ok ? MYSQL2_AUTH : cutOff ? AUTH_UNCERTAIN : null;
  if (!into) return;
  for (const k of Object.keys(MYSQL2_AUTH)) into[k] += watch.work[k];
  if (ok) MYSQL2_PATHS[watch.path] = (MYSQL2_PATHS[watch.path] ?? 0) + 1;
  if (cutOff && !watch.done) {
    // Whatever came next may have run too: the pending check, a full path, the login itself.
    if (watch.pending) AUTH_UNCERTAIN[watch.pending]++;
    AUTH_UNCERTAIN.fullChecks++;
    AUTH_UNCERTAIN.rsaDecrypts++;
    AUTH_UNCERTAIN.logins++;
  }
}

/** Lets the connection show every packet it reads to the current login's watcher. */
function watchPackets(conn) {
  const handle = conn.handlePacket.bind(conn);
  conn.handlePacket = (packet) => {
    if (packet && conn._soakWatch)
      conn._soakWatch(packet.buffer.subarray(packet.offset, packet.end));
    return handle(packet);
  };
}

/** A gap this long between reply bytes is reported as a slow reply. */
export const SLOW_REPLY_MS = 10000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counters shared by every client. */
export class Stats {
  constructor() {
    this.sessions = Object.fromEntries(Object.keys(SESSION_WEIGHTS).map((k) => [k, 0]));
    /** mysql2 and mariadb connections that logged in (raw ones are counted in wire.mjs). */
    this.mysql2Logins = 0;
    /** Of those, mariadb's. */
    this.mariadbLogins = 0;
    /** COM_STMT_CLOSE the prepared-statement clients asked for (unprepare, close). */
    this.stmtCloses = 0;
    /** COM_CHANGE_USER done, by target account, and checks of what followed. */
    this.changeUsers = {};
    /** Logins abandoned right after the login packet was sent (the server may complete them). */
    this.loginsAbandonedAfterSend = 0;
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

/** How a raw client logs in: mostly as before, often caching_sha2, sometimes over TLS or full path. */
function rawLogin(r) {
  const how = r.pick({
    native: 55,
    sha2: 15,
    hashSha2: 10,
    hashNative: 5,
    tls: 8,
    hashTls: 4,
    secure: 3,
  });
  const sha2 = 'caching_sha2_password';
  switch (how) {
    case 'sha2':
      return { plugin: sha2 };
    case 'hashSha2':
      return { user: 'soakhash', password: 'soakhashpass', plugin: sha2 };
    case 'hashNative':
      return { user: 'soakhash', password: 'soakhashpass' };
    case 'tls':
      return { plugin: sha2, tls: true };
    case 'hashTls':
      return { user: 'soakhash', password: 'soakhashpass', plugin: sha2, tls: true };
    case 'secure':
      return { user: 'secure', password: 'securepass', plugin: sha2, tls: true };
    default:
      return {};
  }
}

async function openWire(ctx, r, kind, extra = {}) {
  if (!(await ctx.gate.acquire(ctx.connects.signal))) {
    ctx.stats.connectsAbandoned++;
    return null;
  }
  ctx.stats.connecting++;
  const t0 = Date.now();
  try {
    const login = rawLogin(r);
    const conn = await WireConn.open(ctx.port, {
      ...login,
      ...extra,
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
  // Half the connections take multi-statement batches: the option at login, or COM_SET_OPTION.
  const multi = r() < 0.5 ? r.pick({ login: 1, option: 1 }) : null;
  const conn = await openWire(ctx, r, 'pipelined', { multiStatements: multi === 'login' });
  if (!conn) return;
  if (multi === 'option') {
    const [res] = conn.send(
      [{ packet: MULTI_STATEMENTS_ON_PACKET, raw: 'eof', sql: 'COM_SET_OPTION' }],
      ctx.replyTimeoutMs,
    );
    const out = await res;
    if (out.outcome !== 'reply' || out.parser.err || out.parser.malformed || out.parser.seqError) {
      ctx.stats.wrong++;
      ctx.stats.sample(
        `WRONG ${where}: COM_SET_OPTION(multi-statements on): ${out.outcome} ${out.parser?.malformed ?? out.parser?.seqError ?? JSON.stringify(out.parser?.err ?? '')}`,
      );
      return closeWire(conn, r);
    }
  }
  const batches = r() < 0.2 ? r.int(1, 5) : r.int(20, 250);
  for (let b = 0; b < batches && live(ctx) && !conn.closed; b++) {
    const calls = Array.from({ length: r.int(1, 16) }, () =>
      multi && r() < 0.15 ? makeMultiCall(r) : makeCall(r, ctx.callOptions),
    );
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
      if (when === 'login') ctx.stats.loginsAbandonedAfterSend++;
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

/**
 * A mysql2 connection, logged in (through the gate, timed, tracked), or null
 * when it could not (a login failure is counted, unless the harness gave up).
 */
async function openMysql2(ctx, r, kind, { user = 'testuser', ssl = false } = {}) {
  if (!(await ctx.gate.acquire(ctx.connects.signal))) {
    ctx.stats.connectsAbandoned++;
    return null;
  }
  const conn = mysql.createConnection({
    host: '127.0.0.1',
    port: ctx.port,
    user,
    password: ACCOUNTS.get(user).password,
    dateStrings: true,
    connectTimeout: ctx.loginTimeoutMs,
    ...(ssl ? { ssl: { rejectUnauthorized: false } } : {}),
  });
  watchPackets(conn);
  const watch = watchLogin(conn, 'connect', ACCOUNTS.get(user), ssl);
  const state = { conn, fatal: null, lastData: { at: Date.now() }, secure: ssl, user };
  conn.on('error', (error) => {
    state.fatal = error;
  });
  state.closed = new Promise((resolve) => conn.stream.once('close', resolve));
  conn.stream.on('data', () => (state.lastData.at = Date.now()));
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
    ctx.stats.loginTime(kind, Date.now() - t0);
    settleLogin(conn, watch, true, false);
  } catch (error) {
    settleLogin(conn, watch, false, ctx.connects.signal.aborted);
    loginFailed(ctx, kind, error);
    conn.destroy();
    return null;
  } finally {
    ctx.stats.connecting--;
    ctx.connects.signal.removeEventListener('abort', giveUp);
    ctx.gate.release();
  }
  ctx.stats.mysql2Logins++;
  ctx.stats.connectionsOpened++;
  ctx.stats.open++;
  ctx.stats.maxOpen = Math.max(ctx.stats.maxOpen, ctx.stats.open);
  state.closed.then(() => ctx.stats.open--);
  return state;
}

/** Ends a mysql2 connection: COM_QUIT most of the time, else a plain close. */
async function closeMysql2(state, r) {
  const { conn } = state;
  if (r() < 0.8 && !state.fatal) {
    await new Promise((resolve) => {
      const t = setTimeout(() => (conn.destroy(), resolve()), 5000);
      conn.end(() => (clearTimeout(t), resolve()));
    });
  }
  conn.destroy();
  await state.closed;
}

/** Makes `calls` calls on a mysql2 connection; false when the connection is gone. */
async function mysql2Calls(ctx, r, state, calls, where, callOptions) {
  const { conn } = state;
  for (let i = 0; i < calls && live(ctx); i++) {
    const call = makeCall(r, callOptions(i));
    const res = await mysql2Query(conn, call.sql, ctx.replyTimeoutMs, state.lastData);
    if (res.outcome === 'timeout') {
      ctx.stats.record(call, 'lost', `no byte for ${ctx.replyTimeoutMs} ms (${res.detail})`, where);
      return false;
    }
    const { err, result } = res;
    if (err?.errno) ctx.stats.code(err.errno);
    if (err && !err.errno && err.fatal) {
      // The connection went away under the call.
      ctx.stats.serverClosed++;
      ctx.stats.code(`closed:${err.code}`);
      ctx.stats.record(call, 'lost', `connection lost: ${err.code}`, where);
      return false;
    }
    const why = call.checkMysql2(err, result);
    ctx.stats.record(call, why ? 'wrong' : 'correct', why, where);
    if (state.fatal) return false;
  }
  return true;
}

export async function mysql2Session(ctx, r, where) {
  const state = await openMysql2(ctx, r, 'mysql2');
  if (!state) return;
  const calls = r() < 0.2 ? r.int(1, 20) : r.int(100, 2500);
  // Parsing 100 000 rows into objects is the client's cost, not the server's: rarely.
  const weights = { 'series:large': 0.2, 'numbers:large': 0.2, ...ctx.callOptions.weights };
  await mysql2Calls(ctx, r, state, calls, `${where} mysql2`, () => ({
    ...ctx.callOptions,
    weights,
  }));
  await closeMysql2(state, r);
}

/** mysql2 over TLS: the ordinary mix, with whoami() and tls_info() checking the transport. */
export async function tlsSession(ctx, r, where) {
  const user = r.pick({ testuser: 3, secure: 2, soakhash: 1 });
  const state = await openMysql2(ctx, r, 'tls', { user, ssl: true });
  if (!state) return;
  const account = ACCOUNTS.get(user);
  const calls = r() < 0.3 ? r.int(1, 20) : r.int(50, 800);
  const weights = {
    'series:large': 0.2,
    'numbers:large': 0.2,
    whoami: 40,
    tls_info: 30,
    ...ctx.callOptions.weights,
  };
  await mysql2Calls(ctx, r, state, calls, `${where} tls ${user}`, () => ({
    ...ctx.callOptions,
    weights,
    account,
    secure: true,
  }));
  await closeMysql2(state, r);
}

/** mysql2 without TLS as soakhash: short sessions, so that logins take the full path after flushes. */
export async function hashSession(ctx, r, where) {
  const state = await openMysql2(ctx, r, 'hash', { user: 'soakhash' });
  if (!state) return;
  const account = ACCOUNTS.get('soakhash');
  await mysql2Calls(ctx, r, state, r.int(1, 30), `${where} hash`, () => ({
    ...ctx.callOptions,
    weights: { whoami: 60, 'series:large': 0, 'numbers:large': 0 },
    account,
    secure: false,
  }));
  await closeMysql2(state, r);
}

/** Accounts a changeUser session moves between (all reachable from 127.0.0.1). */
const CHANGE_TARGETS = { testuser: 3, app: 3, analyst: 2, soakhash: 2, root: 1, secure: 1 };

/**
 * mysql2, plain or TLS: COM_CHANGE_USER between accounts mid-run. After each
 * change: whoami() names the new account; a user variable set before is gone;
 * then calls of every procedure, those the account may not call expecting
 * ERR 1370.
 */
export async function changeUserSession(ctx, r, where) {
  const ssl = r() < 0.4;
  const state = await openMysql2(ctx, r, 'changeUser', { ssl });
  if (!state) return;
  const { conn } = state;
  const rounds = r.int(2, 12);
  for (let round = 0; round < rounds && live(ctx) && !state.fatal; round++) {
    let user = r.pick(CHANGE_TARGETS);
    // `secure` REQUIRES SSL: over a plain connection the harness does not try it.
    if (user === 'secure' && !ssl) user = 'testuser';
    const account = ACCOUNTS.get(user);
    const marker = `${where}/${round}`;
    const setVar = await mysql2Query(
      conn,
      `SET @soak_marker = '${marker}'`,
      ctx.replyTimeoutMs,
      state.lastData,
    );
    if (setVar.outcome !== 'reply' || setVar.err) {
      ctx.stats.wrong++;
      ctx.stats.sample(
        `WRONG ${where} changeUser: SET before the change: ${setVar.err?.message ?? setVar.outcome}`,
      );
      break;
    }
    const watch = watchLogin(conn, 'change', account, ssl);
    const changed = await new Promise((resolve) => {
      const timer = setTimeout(
        () => resolve(new Error('changeUser: no answer')),
        ctx.replyTimeoutMs,
      );
      conn.changeUser({ user, password: account.password }, (err) => {
        clearTimeout(timer);
        resolve(err ?? null);
      });
    });
    settleLogin(conn, watch, !changed, false);
    if (changed) {
      ctx.stats.loginFailures++;
      ctx.stats.code(`changeUser:${changed.errno ?? changed.code ?? changed.message}`);
      ctx.stats.sample(`LOGIN ${where} changeUser to ${user}: ${changed.message}`);
      break;
    }
    ctx.stats.changeUsers[user] = (ctx.stats.changeUsers[user] ?? 0) + 1;
    await ctx.onChangeUser?.(user, ssl);
    const after = await mysql2Query(
      conn,
      'SELECT @soak_marker',
      ctx.replyTimeoutMs,
      state.lastData,
    );
    const left = after.result?.[0]?.['@soak_marker'];
    if (after.outcome !== 'reply' || after.err || left !== null) {
      ctx.stats.wrong++;
      ctx.stats.sample(
        `WRONG ${where} changeUser to ${user}: SELECT @soak_marker after it gave ${JSON.stringify(left ?? after.err?.message ?? after.outcome)}`,
      );
    }
    const ok = await mysql2Calls(
      ctx,
      r,
      state,
      r.int(5, 60),
      `${where} changeUser ${user}`,
      (i) => ({
        ...ctx.callOptions,
        weights: ACCOUNT_MIX,
        force: i === 0 ? 'whoami' : undefined,
        account,
        secure: ssl,
      }),
    );
    if (!ok) break;
  }
  await closeMysql2(state, r);
}

/** One driver call through a prepared statement; lost when the connection is silent for `idleMs`. */
function silentBound(run, onSilent, idleMs, lastData) {
  return new Promise((resolve) => {
    let done = false;
    const started = Date.now();
    let timer;
    const check = () => {
      if (done) return;
      const silentFor = Date.now() - Math.max(started, lastData.at);
      if (silentFor < idleMs) return void (timer = setTimeout(check, idleMs - silentFor));
      done = true;
      onSilent();
      resolve({ outcome: 'timeout', detail: `silent for ${silentFor} ms` });
    };
    timer = setTimeout(check, idleMs);
    run().then(
      (result) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve({ outcome: 'reply', err: null, result });
      },
      (err) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve({ outcome: 'reply', err, result: null });
      },
    );
  });
}

/** Settles one prepared-statement call; false when the connection is gone. */
function settleExec(ctx, call, res, where, driver) {
  if (res.outcome === 'timeout') {
    ctx.stats.record(call, 'lost', `no byte for ${ctx.replyTimeoutMs} ms (${res.detail})`, where);
    return false;
  }
  const { err, result } = res;
  if (err?.errno) ctx.stats.code(err.errno);
  if (err && !err.errno && (err.fatal || driver === 'mariadb')) {
    ctx.stats.serverClosed++;
    ctx.stats.code(`closed:${err.code}`);
    ctx.stats.record(call, 'lost', `connection lost: ${err.code} ${err.message}`, where);
    return false;
  }
  const why = call.check(err, result, driver);
  ctx.stats.record(call, why ? 'wrong' : 'correct', why, where);
  return true;
}

/**
 * mysql2 execute(): statements prepared once per SQL text and reused (the
 * driver's cache), now and then unprepared (COM_STMT_CLOSE), so the next
 * call prepares again.
 */
export async function mysql2ExecSession(ctx, r, where) {
  const state = await openMysql2(ctx, r, 'mysql2Exec');
  if (!state) return;
  const { conn } = state;
  const account = ACCOUNTS.get('testuser');
  const calls = r() < 0.2 ? r.int(1, 30) : r.int(100, 1500);
  for (let i = 0; i < calls && live(ctx) && !state.fatal; i++) {
    const call = makeExecCall(r, { account });
    const res = await silentBound(
      () =>
        new Promise((resolve, reject) =>
          conn.execute(call.sql, call.args, (err, result) => (err ? reject(err) : resolve(result))),
        ),
      () => conn.destroy(),
      ctx.replyTimeoutMs,
      state.lastData,
    );
    if (!settleExec(ctx, call, res, `${where} mysql2Exec`, 'mysql2')) break;
    if (r() < 0.03) {
      conn.unprepare(call.sql);
      ctx.stats.stmtCloses++;
    }
  }
  await closeMysql2(state, r);
}

/**
 * mariadb execute() and prepare(): held statements executed again and
 * again, some closed and prepared anew; half the connections have no
 * prepare cache, so every execute() is PREPARE, EXECUTE, CLOSE. Logged in
 * through a socket of the harness's, whose first packets are watched for
 * the login's auth checks (as mysql2's are).
 */
export async function mariadbExecSession(ctx, r, where) {
  if (!(await ctx.gate.acquire(ctx.connects.signal))) {
    ctx.stats.connectsAbandoned++;
    return;
  }
  const account = ACCOUNTS.get('testuser');
  const tap = {};
  const watch = watchLogin(tap, 'connect', account, false, 'mysql_native_password');
  const lastData = { at: Date.now() };
  let socket = null;
  let fatal = null;
  ctx.stats.connecting++;
  const t0 = Date.now();
  let conn = null;
  // At the deadline the harness gives up connecting: the socket goes, and the attempt with it
  // (without waiting for the connector to notice).
  let abandon = null;
  let gaveUp = false;
  const abandoned = new Promise((_, reject) => (abandon = reject));
  abandoned.catch(() => undefined);
  const giveUp = () => {
    gaveUp = true;
    socket?.destroy();
    abandon(new Error('gave up connecting'));
  };
  ctx.connects.signal.addEventListener('abort', giveUp);
  try {
    if (ctx.connects.signal.aborted) throw new Error('gave up connecting');
    const connecting = mariadb.createConnection({
      host: '127.0.0.1',
      port: ctx.port,
      user: 'testuser',
      password: account.password,
      dateStrings: true,
      connectTimeout: ctx.loginTimeoutMs,
      prepareCacheLength: r() < 0.5 ? 0 : 256,
      stream: (callback) => {
        socket = connect(ctx.port, '127.0.0.1');
        socket.setNoDelay(true);
        ctx.track(socket);
        let pending = Buffer.alloc(0);
        const onData = (chunk) => {
          lastData.at = Date.now();
          if (watch.done) return;
          pending = Buffer.concat([pending, chunk]);
          while (pending.length >= 4 && !watch.done) {
            const len = pending.readUIntLE(0, 3);
            if (pending.length < 4 + len) break;
            tap._soakWatch?.(pending.subarray(4, 4 + len));
            pending = pending.subarray(4 + len);
          }
        };
        socket.on('data', onData);
        callback(null, socket);
      },
    });
    // One that completes after all the same is closed at once.
    connecting.then(
      (c) => gaveUp && c.destroy(),
      () => undefined,
    );
    conn = await Promise.race([connecting, abandoned]);
    settleLogin(tap, watch, true, false);
    ctx.stats.loginTime('mariadbExec', Date.now() - t0);
  } catch (error) {
    settleLogin(tap, watch, false, ctx.connects.signal.aborted);
    loginFailed(ctx, 'mariadbExec', error);
    socket?.destroy();
    return;
  } finally {
    ctx.stats.connecting--;
    ctx.connects.signal.removeEventListener('abort', giveUp);
    ctx.gate.release();
  }
  ctx.stats.mysql2Logins++;
  ctx.stats.mariadbLogins++;
  ctx.stats.connectionsOpened++;
  ctx.stats.open++;
  ctx.stats.maxOpen = Math.max(ctx.stats.maxOpen, ctx.stats.open);
  const closed = new Promise((resolve) => socket.once('close', resolve));
  closed.then(() => ctx.stats.open--);
  conn.on('error', (e) => (fatal = e));
  const held = new Map();
  const calls = r() < 0.2 ? r.int(1, 30) : r.int(100, 1200);
  for (let i = 0; i < calls && live(ctx) && !fatal; i++) {
    const call = makeExecCall(r, { account });
    const viaPrepare = r() < 0.3;
    const res = await silentBound(
      async () => {
        if (!viaPrepare) return conn.execute(call.sql, call.args);
        let p = held.get(call.sql);
        if (!p) {
          p = await conn.prepare(call.sql);
          held.set(call.sql, p);
        }
        return p.execute(call.args);
      },
      () => conn.destroy(),
      ctx.replyTimeoutMs,
      lastData,
    );
    if (!settleExec(ctx, call, res, `${where} mariadbExec`, 'mariadb')) break;
    if (viaPrepare && r() < 0.1) {
      held.get(call.sql)?.close();
      held.delete(call.sql);
      ctx.stats.stmtCloses++;
    }
  }
  for (const p of held.values()) p.close();
  if (r() < 0.8 && !fatal) {
    await Promise.race([
      conn.end().catch(() => undefined),
      new Promise((res) => setTimeout(res, 5000)),
    ]);
  }
  conn.destroy();
  await closed;
}

const SESSIONS = {
  mysql2Exec: mysql2ExecSession,
  mariadbExec: mariadbExecSession,
  mysql2: mysql2Session,
  pipelined: pipelinedSession,
  abrupt: abruptSession,
  slow: slowSession,
  tls: tlsSession,
  hash: hashSession,
  changeUser: changeUserSession,
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
