import { Command } from '../protocol/constants.js';
import { ER, formatError } from '../protocol/errors.js';
import type { MysqlConnection } from '../session/connection.js';
import { SessionRefusal } from '../session/session-refusal.js';
import type { SqlValue } from '../sql/index.js';
import { liveTotals } from './build-report.js';
import { nestVersion, PACKAGE_VERSION } from './versions.js';

type Row = readonly [name: string, value: SqlValue];

/** Commands MySQL counts as `Com_stmt_*`, by command byte. */
const STATEMENT_COMMANDS: ReadonlyArray<readonly [string, number]> = [
  ['Com_stmt_close', Command.STMT_CLOSE],
  ['Com_stmt_execute', Command.STMT_EXECUTE],
  ['Com_stmt_fetch', Command.STMT_FETCH],
  ['Com_stmt_prepare', Command.STMT_PREPARE],
  ['Com_stmt_reset', Command.STMT_RESET],
  ['Com_stmt_send_long_data', Command.STMT_SEND_LONG_DATA],
];

const byName = (a: Row, b: Row): number => {
  const x = a[0].toLowerCase();
  const y = b[0].toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * SHOW [GLOBAL | SESSION] STATUS: MySQL's status variables where this
 * server has their meaning, and `Rpc_*` for its own counters. The server's
 * counters need the admin privilege (MySQL's PROCESS): any other account
 * asking for GLOBAL gets ERR 1227, and its SESSION list holds only its own
 * connection's values. An admin's SESSION list is its own values over the
 * global ones, as MySQL shows the global-only variables in either scope.
 */
export function statusVariables(conn: MysqlConnection, scope: 'global' | 'session'): Row[] {
  const admin = conn.account.admin;
  if (scope === 'global' && !admin) {
    throw new SessionRefusal(formatError(ER.SPECIFIC_ACCESS_DENIED, 'PROCESS'));
  }
  const own = sessionRows(conn);
  if (!admin) return own.sort(byName);
  const rows = new Map<string, SqlValue>(globalRows(conn));
  if (scope === 'session') for (const [name, value] of own) rows.set(name, value);
  return [...rows].sort(byName);
}

/** The values that belong to one connection. */
function sessionRows(conn: MysqlConnection): Row[] {
  const tls = conn.tlsInfo;
  return [
    ['Bytes_received', conn.bytesReceived],
    ['Bytes_sent', conn.bytesSent],
    ['Com_call_procedure', conn.calls],
    ['Ssl_cipher', tls?.cipher ?? ''],
    ['Ssl_version', tls?.version ?? ''],
    ['Uptime', conn.services.stats.uptimeSeconds()],
  ];
}

/** The server's counters. */
function globalRows(conn: MysqlConnection): Row[] {
  const { stats, limits, preparedStatements } = conn.services;
  const live = liveTotals(stats, conn.services.sessions());
  // The asking session runs this SHOW, synchronously: it is never marked busy.
  const running = live.running + (conn.isBusy ? 0 : 1);
  const uptime = stats.uptimeSeconds();
  const maxUsedAt = stats.maxUsedConnectionsAt;
  return [
    ['Aborted_clients', stats.abortedClients],
    ['Aborted_connects', stats.abortedConnects],
    ['Bytes_received', live.received],
    ['Bytes_sent', live.sent],
    ['Com_call_procedure', stats.callsTotal],
    ...STATEMENT_COMMANDS.map(([name, byte]): Row => [name, stats.commands[byte]!]),
    ['Connection_errors_max_connections', stats.refusedMaxConnections],
    ['Connections', stats.connectionsTotal],
    ['Max_execution_time_exceeded', stats.calls.timedOut],
    ['Max_used_connections', stats.maxUsedConnections],
    ['Max_used_connections_time', maxUsedAt > 0 ? mysqlTime(maxUsedAt) : ''],
    ['Prepared_stmt_count', preparedStatements.count],
    ['Queries', stats.questions],
    ['Questions', stats.questions],
    ['Rpc_calls_failed', stats.calls.failed],
    ['Rpc_calls_killed', stats.calls.killed],
    ['Rpc_calls_ok', stats.calls.ok],
    ['Rpc_calls_running', stats.callsRunning],
    ['Rpc_calls_timed_out', stats.calls.timedOut],
    ['Rpc_calls_total', stats.callsTotal],
    ['Rpc_calls_waiting', stats.callsWaiting],
    ['Rpc_connections_closed_by_error', stats.closedByError],
    ['Rpc_connections_closed_normally', stats.closedNormally],
    ['Rpc_connections_refused', stats.refusedByLimit],
    ['Rpc_idle_timeouts', stats.idleTimeouts],
    ['Rpc_logins_blocked', stats.loginThrottle.refused],
    ['Rpc_logins_failed', stats.loginsFailed],
    ['Rpc_logins_ok', stats.loginsOk],
    ['Rpc_max_calls_in_flight', limits.maxCallsInFlight],
    ['Rpc_nest_version', nestVersion()],
    ['Rpc_node_version', process.version],
    ['Rpc_sessions_open', stats.sessionsOpen],
    ['Rpc_started_at', mysqlTime(stats.startedAt)],
    ['Rpc_version', PACKAGE_VERSION],
    ['Threads_connected', stats.connectionsOpen],
    ['Threads_running', running],
    ['Uptime', uptime],
    ['Uptime_since_flush_status', uptime],
  ];
}

/** `YYYY-MM-DD hh:mm:ss` in UTC. */
const mysqlTime = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
