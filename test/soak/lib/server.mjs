// The server under test: the sample app (dist/sample, through
// server-entry.mjs, which adds the soak's accounts and an IPC channel) as a
// child process, its memory read from /proc, its open-connection count read
// the way an operator would (COM_STATISTICS, `mysqladmin status`), its own
// counters over IPC.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath, URL } from 'node:url';
import { STATISTICS_PACKET, WireConn, queryPacket } from './wire.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const entry = fileURLToPath(new URL('./server-entry.mjs', import.meta.url));
/** The sample app's build; SOAK_SERVER_MAIN may point at another build of it. */
export const MAIN = process.env.SOAK_SERVER_MAIN || `${root}dist/sample/main.js`;

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts the sample server; resolves once it listens. */
export async function startServer({ startTimeoutMs = 30000 } = {}) {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build:sample\` first`);
  const port = await freePort();
  const child = spawn(process.execPath, ['--expose-gc', entry], {
    cwd: root,
    env: {
      ...process.env,
      SOAK_SERVER_MAIN: MAIN,
      PORT: String(port),
      HOST: '127.0.0.1',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.on('error', () => {});
  const server = {
    child,
    pid: child.pid,
    port,
    exit: null,
    logTail: [],
    errorLines: [],
  };
  const onLine = (stream) => (line) => {
    server.logTail.push(`${stream}: ${line}`);
    if (server.logTail.length > 40) server.logTail.shift();
    // Nest's logger marks errors with ERROR; anything on stderr counts too.
    // Nest's logger marks an error with ERROR (its stack follows on more lines).
    const isError = /\bERROR\b/.test(line);
    if (isError) server.errorCount = (server.errorCount ?? 0) + 1;
    if ((isError || (stream === 'stderr' && line.trim())) && server.errorLines.length < 200)
      server.errorLines.push(line);
  };
  lines(child.stdout, onLine('stdout'));
  lines(child.stderr, onLine('stderr'));
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      server.exit = { code, signal, at: Date.now() };
      resolve(server.exit);
    }),
  );
  server.exited = exited;
  const listening = new Promise((resolve) => {
    const check = (chunk) => {
      if (String(chunk).includes('listening on')) {
        child.stdout.off('data', check);
        resolve();
      }
    };
    child.stdout.on('data', check);
  });
  let timer;
  const outcome = await Promise.race([
    listening.then(() => 'up'),
    exited.then(() => 'exited'),
    new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), startTimeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome !== 'up') {
    stopServer(server);
    throw new Error(`server did not start (${outcome}):\n${server.logTail.join('\n')}`);
  }
  return server;
}

function lines(stream, onLine) {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop();
    // eslint-disable-next-line no-control-regex
    for (const l of parts) onLine(l.replace(/\x1b\[[0-9;]*m/g, ''));
  });
}

export async function stopServer(server, timeoutMs = 5000) {
  if (!server || server.exit) return;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), timeoutMs);
  await server.exited;
  clearTimeout(timer);
}

/** { rss, hwm } in KiB from /proc/<pid>/status; null once the process is gone. */
export function memory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
  } catch {
    return null;
  }
}

let gcRequests = 0;
/**
 * Full GC in the server (see server-entry.mjs); resolves to its
 * process.memoryUsage() right after, or null when it does not answer.
 */
export function collectGarbage(server, timeoutMs = 10000) {
  if (server.exit || !server.child.connected) return Promise.resolve(null);
  const id = ++gcRequests;
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(null), timeoutMs);
    const onMessage = (m) => m?.type === 'gc-done' && m.id === id && done(m.memory);
    const done = (value) => {
      clearTimeout(timer);
      server.child.off('message', onMessage);
      resolve(value);
    };
    server.child.on('message', onMessage);
    server.child.send({ type: 'gc', id }, (error) => error && done(null));
  });
}

let statsRequests = 0;
/**
 * The server's own counters (see server-entry.mjs): { sessionsTotal,
 * connectionsOpen, questions, loginsFailed, auth: { nativeChecks,
 * fastChecks, fullChecks, rsaDecrypts }, loginThrottle: { delayed, refused,
 * blockedHosts } }, or null when it does not answer.
 */
export function serverStats(server, timeoutMs = 10000) {
  if (server.exit || !server.child.connected) return Promise.resolve(null);
  const id = ++statsRequests;
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(null), timeoutMs);
    const onMessage = (m) => m?.type === 'stats-done' && m.id === id && done(m.stats);
    const done = (value) => {
      clearTimeout(timer);
      server.child.off('message', onMessage);
      resolve(value);
    };
    server.child.on('message', onMessage);
    server.child.send({ type: 'stats', id }, (error) => error && done(null));
  });
}

let preparedRequests = 0;
/**
 * The server's prepared statements (see server-entry.mjs): { count, limit }
 * (open across every connection, max_prepared_stmt_count), or null when it
 * does not answer.
 */
export function preparedStatements(server, timeoutMs = 10000) {
  if (server.exit || !server.child.connected) return Promise.resolve(null);
  const id = ++preparedRequests;
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(null), timeoutMs);
    const onMessage = (m) => m?.type === 'prepared-done' && m.id === id && done(m.prepared);
    const done = (value) => {
      clearTimeout(timer);
      server.child.off('message', onMessage);
      resolve(value);
    };
    server.child.on('message', onMessage);
    server.child.send({ type: 'prepared', id }, (error) => error && done(null));
  });
}

/** CPU seconds (user + system) the process has used; null once it is gone. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 Hz on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** The COM_STATISTICS line over `conn`, parsed: { line, threads, questions }. */
export async function statistics(conn, timeoutMs = 10000) {
  const [res] = conn.send([{ packet: STATISTICS_PACKET, raw: true }], timeoutMs);
  const { outcome, parser } = await res;
  if (outcome !== 'reply' || parser.seqError)
    throw new Error(`COM_STATISTICS: ${outcome} ${parser.seqError ?? ''}`);
  const line = parser.raw;
  const threads = /\bThreads: (\d+)/.exec(line);
  const questions = /\bQuestions: (\d+)/.exec(line);
  if (!threads) throw new Error(`COM_STATISTICS: no Threads in ${JSON.stringify(line)}`);
  return { line, threads: Number(threads[1]), questions: Number(questions?.[1] ?? NaN) };
}

/** The server's own view of its memory (`CALL stats()`): { heapUsed, rss } in bytes. */
export async function serverMemory(conn, timeoutMs = 10000) {
  const [res] = conn.send([{ packet: queryPacket('CALL stats()') }], timeoutMs);
  const { outcome, parser } = await res;
  const row = parser?.resultSets?.[1]?.first;
  if (outcome !== 'reply' || !row) throw new Error(`CALL stats(): ${outcome}`);
  return { heapUsed: Number(row[0]), rss: Number(row[1]) };
}

/** Opens a fresh connection, reads Threads, closes it. */
export async function threadsNow(port) {
  const conn = await WireConn.open(port);
  try {
    return await statistics(conn);
  } finally {
    await conn.quit();
  }
}
