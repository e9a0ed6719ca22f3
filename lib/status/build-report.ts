import { performance } from 'node:perf_hooks';
import type { MysqlConnection } from '../session/connection.js';
import type { PreparedStatementBudget } from '../session/prepared/prepared-statement.js';
import { processRow } from '../session/process-list.js';
import type { ServerLimits } from '../session/server-limits.js';
import type { ProcedureStats, ServerStats } from './server-stats.js';
import type { ClientReport, ProcedureReport, StatusReport } from './status-report.js';
import { nestVersion, PACKAGE_VERSION } from './versions.js';

/** What a report is built from: the server's counters, limits and connections. */
export interface StatusSource {
  readonly stats: ServerStats;
  readonly limits: ServerLimits;
  readonly maxPacketSize: number;
  readonly preparedStatements: PreparedStatementBudget;
  readonly maxUserConnections: number;
  readonly procedures: Iterable<ProcedureStats>;
  readonly sessions: Iterable<MysqlConnection>;
  readonly listening: readonly string[];
  readonly state: StatusReport['server']['state'];
  readonly callLog: boolean;
  readonly mysqlVersion: string;
}

const iso = (ms: number): string | null => (ms > 0 ? new Date(ms).toISOString() : null);
/** Durations are reported to the microsecond. */
const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/**
 * Bytes in and out since start (closed connections' totals plus the open
 * ones' sockets), and the logged-in sessions running a command now.
 */
export function liveTotals(
  stats: ServerStats,
  sessions: Iterable<MysqlConnection>,
): { received: number; sent: number; running: number } {
  let received = stats.closedBytesReceived;
  let sent = stats.closedBytesSent;
  let running = 0;
  for (const s of sessions) {
    received += s.bytesReceived;
    sent += s.bytesSent;
    if (s.isBusy && s.isLoggedIn) running++;
  }
  return { received, sent, running };
}

/** The whole status report, now. */
export function buildStatusReport(source: StatusSource, now = Date.now()): StatusReport {
  const { stats, limits } = source;
  const sessions = [...source.sessions];
  const { received, sent, running } = liveTotals(stats, sessions);
  return {
    server: {
      version: PACKAGE_VERSION,
      nodeVersion: process.version,
      nestVersion: nestVersion(),
      mysqlVersion: source.mysqlVersion,
      pid: process.pid,
      startedAt: new Date(stats.startedAt).toISOString(),
      uptimeSeconds: stats.uptimeSeconds(now),
      listening: source.listening,
      state: source.state,
      callLog: source.callLog,
    },
    limits: {
      maxConnections: limits.maxConnections,
      maxUserConnections: source.maxUserConnections,
      connectTimeoutMs: limits.connectTimeoutMs,
      waitTimeoutMs: limits.waitTimeoutMs,
      callTimeoutMs: limits.callTimeoutMs,
      maxCallsInFlight: limits.maxCallsInFlight,
      maxPacketSize: source.maxPacketSize,
      maxPreparedStatements: source.preparedStatements.limit,
      shutdownGraceMs: limits.shutdownGraceMs,
    },
    connections: {
      open: stats.connectionsOpen,
      loggedIn: stats.sessionsOpen,
      running,
      total: stats.connectionsTotal,
      maxUsed: stats.maxUsedConnections,
      closedNormally: stats.closedNormally,
      closedByError: stats.closedByError,
      refusedByLimit: stats.refusedByLimit,
      abortedConnects: stats.abortedConnects,
      abortedClients: stats.abortedClients,
      idleTimeouts: stats.idleTimeouts,
    },
    logins: {
      ok: stats.loginsOk,
      failed: stats.loginsFailed,
      blocked: stats.loginThrottle.refused,
    },
    calls: {
      total: stats.callsTotal,
      ok: stats.calls.ok,
      failed: stats.calls.failed,
      timedOut: stats.calls.timedOut,
      killed: stats.calls.killed,
      running: stats.callsRunning,
      waiting: stats.callsWaiting,
      ratePerSecond: round(stats.callRate(undefined, now)),
    },
    bytes: { received, sent },
    questions: stats.questions,
    preparedStatements: source.preparedStatements.count,
    procedures: [...source.procedures]
      .map((p) => procedureReport(stats, p, now))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    clients: sessions.map((s) => clientReport(s, now)).sort((a, b) => a.id - b.id),
  };
}

function procedureReport(stats: ServerStats, p: ProcedureStats, now: number): ProcedureReport {
  const h = p.latency;
  return {
    name: p.name,
    calls: p.calls,
    ok: p.ok,
    failed: p.failed,
    timedOut: p.timedOut,
    killed: p.killed,
    ratePerSecond: round(stats.callRate(p, now)),
    meanMs: round(h.mean),
    p50Ms: round(h.quantile(0.5)),
    p95Ms: round(h.quantile(0.95)),
    p99Ms: round(h.quantile(0.99)),
    maxMs: round(h.max),
    lastCallAt: p.lastCallAt > 0 ? iso(performance.timeOrigin + p.lastCallAt) : null,
  };
}

function clientReport(conn: MysqlConnection, now: number): ClientReport {
  const row = processRow(conn, null, now);
  const loggedIn = conn.isLoggedIn;
  return {
    id: conn.connectionId,
    user: loggedIn ? conn.user : null,
    account: loggedIn ? conn.account.name : null,
    address: row.host,
    database: row.db,
    secure: conn.secure,
    since: new Date(conn.since).toISOString(),
    command: row.command,
    state: row.state,
    seconds: row.time,
    info: row.info,
    calls: conn.calls,
    lastCall: conn.lastCall,
    lastCallAt: iso(conn.lastCallAt),
  };
}
