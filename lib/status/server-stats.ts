import type { AuthWork } from '../session/login/auth-method.js';
import type { LoginThrottleCounts } from '../session/login/login-throttle.js';
import { LatencyHistogram } from './latency-histogram.js';

/** How a call ended, as the counters, the call log and tracing see it. */
export type MysqlCallOutcome =
  /** The final OK. */
  | 'ok'
  /** An ERR: the handler's error, a guard's refusal, an argument its signature refused. */
  | 'error'
  /** Stopped by max_execution_time (ERR 3024). */
  | 'timeout'
  /** Stopped by KILL, or by a shutdown whose grace period ran out. */
  | 'killed'
  /** The client went away before the reply ended. */
  | 'aborted';

/** One procedure's calls, outcomes and durations. */
export class ProcedureStats {
  calls = 0;
  ok = 0;
  failed = 0;
  timedOut = 0;
  killed = 0;
  /** performance.now() at the last call's start, or 0 (the report turns it into a time). */
  lastCallAt = 0;
  readonly latency = new LatencyHistogram();

  constructor(
    /** The name the handler is registered under. */
    readonly name: string,
  ) {}
}

/** Calls counted by outcome: the server's totals, or one procedure's. */
interface OutcomeCounts {
  ok: number;
  failed: number;
  timedOut: number;
  killed: number;
}

/** Adds one call's outcome to a set of counts. */
function countOutcome(counts: OutcomeCounts, outcome: MysqlCallOutcome): void {
  switch (outcome) {
    case 'ok':
      counts.ok++;
      return;
    case 'timeout':
      counts.timedOut++;
      return;
    case 'killed':
      counts.killed++;
      return;
    default:
      counts.failed++;
  }
}

/** Seconds of history the call rates are taken over. */
export const RATE_WINDOW_SECONDS = 60;
/** How often the call totals are sampled for the rates. */
export const RATE_SAMPLE_MS = 5000;

/** Call totals at one moment, for the rates. */
interface RateSample {
  readonly at: number;
  readonly total: number;
  readonly byProcedure: ReadonlyMap<ProcedureStats, number>;
}

/**
 * Server-wide counters. Each is a plain field bumped where the event
 * happens (no lookups, no allocation on the call path); reports, SHOW
 * STATUS and the metrics endpoint read them when asked. One instance per
 * server.
 */
export class ServerStats {
  /** Epoch ms the server was created. */
  readonly startedAt = Date.now();

  // ---- connections ----
  /** TCP connections accepted (MySQL's `Connections`). */
  connectionsTotal = 0;
  /** Connections open now, logged in or not (`Threads_connected`). */
  connectionsOpen = 0;
  /** Connections open now and logged in. */
  sessionsOpen = 0;
  /** Connections that logged in (COM_CHANGE_USER on one does not count again). */
  sessionsTotal = 0;
  /** Most connections open at once, and when (`Max_used_connections`). */
  maxUsedConnections = 0;
  maxUsedConnectionsAt = 0;
  /** Closed by the client's COM_QUIT. */
  closedNormally = 0;
  /** Closed any other way: the client vanished, a protocol error, a timeout, KILL, shutdown. */
  closedByError = 0;
  /** Refused before or at login by a limit: max_connections, max_user_connections, a blocked host. */
  refusedByLimit = 0;
  /** Of those, refused by max_connections (`Connection_errors_max_connections`). */
  refusedMaxConnections = 0;
  /** Closed before finishing a login: wrong credentials, login timeout, bad handshake (`Aborted_connects`). */
  abortedConnects = 0;
  /** Logged-in connections that ended without COM_QUIT (`Aborted_clients`). */
  abortedClients = 0;
  /** Disconnected by wait_timeout. */
  idleTimeouts = 0;
  /** Bytes read from and written to connections that have closed; open ones are added when read. */
  closedBytesReceived = 0;
  closedBytesSent = 0;

  // ---- logins ----
  /** Logins that succeeded (COM_CHANGE_USER included). */
  loginsOk = 0;
  /** Logins refused with ERR 1045. */
  loginsFailed = 0;
  /** Checks done by the auth plugins. */
  readonly auth: AuthWork = { nativeChecks: 0, fastChecks: 0, fullChecks: 0, rsaDecrypts: 0 };
  /** What the failed-login throttle did; `refused` is the logins it blocked. */
  readonly loginThrottle: LoginThrottleCounts = { delayed: 0, refused: 0, blockedHosts: 0 };

  // ---- commands and calls ----
  /** Commands received (`Questions`). */
  questions = 0;
  /** Commands received, by command byte (`Com_stmt_execute`...). */
  readonly commands = new Float64Array(256);
  /** CALL statements run, text and prepared (`Com_call_procedure`). */
  callsTotal = 0;
  /** Calls running their handler now (holding a slot under maxCallsInFlight). */
  callsRunning = 0;
  /** Calls waiting for a slot under maxCallsInFlight. */
  callsWaiting = 0;
  readonly calls: OutcomeCounts = { ok: 0, failed: 0, timedOut: 0, killed: 0 };

  private rateSamples: RateSample[] = [];

  /** Seconds since the server started. */
  uptimeSeconds(now = Date.now()): number {
    return Math.floor((now - this.startedAt) / 1000);
  }

  /** A connection was accepted. */
  connectionOpened(now = Date.now()): void {
    this.connectionsTotal++;
    const open = ++this.connectionsOpen;
    if (open > this.maxUsedConnections) {
      this.maxUsedConnections = open;
      this.maxUsedConnectionsAt = now;
    }
  }

  /** A call's reply ended after `ms`; `procedure` is null for one refused before it was found. */
  callEnded(procedure: ProcedureStats | null, outcome: MysqlCallOutcome, ms: number): void {
    countOutcome(this.calls, outcome);
    if (procedure) {
      countOutcome(procedure, outcome);
      procedure.latency.observe(ms);
    }
  }

  /** Takes a sample of the call totals, for `rates()`; the server does it every RATE_SAMPLE_MS. */
  sampleRates(procedures: Iterable<ProcedureStats>, now = Date.now()): void {
    const byProcedure = new Map<ProcedureStats, number>();
    for (const p of procedures) byProcedure.set(p, p.calls);
    this.rateSamples.push({ at: now, total: this.callsTotal, byProcedure });
    const keep = RATE_WINDOW_SECONDS * 1000 + RATE_SAMPLE_MS;
    while (this.rateSamples.length > 2 && now - this.rateSamples[0]!.at > keep) {
      this.rateSamples.shift();
    }
  }

  /**
   * Calls per second over the last minute (or since the server started,
   * if sooner), for all procedures and for `procedure`.
   */
  callRate(procedure?: ProcedureStats, now = Date.now()): number {
    const oldest = this.rateSamples[0];
    const from = oldest ?? { at: this.startedAt, total: 0, byProcedure: new Map() };
    const seconds = (now - from.at) / 1000;
    if (seconds <= 0) return 0;
    if (!procedure) return (this.callsTotal - from.total) / seconds;
    return (procedure.calls - (from.byProcedure.get(procedure) ?? 0)) / seconds;
  }

  /**
   * The one-line text MySQL answers COM_STATISTICS (and `mysqladmin
   * status`) with. Threads counts the sessions logged in: connections still
   * in their login, or closing, are in Threads_connected.
   */
  statisticsLine(now = Date.now()): string {
    const uptime = this.uptimeSeconds(now);
    const qps = uptime > 0 ? (this.questions / uptime).toFixed(3) : '0.000';
    return (
      `Uptime: ${uptime}  Threads: ${this.sessionsOpen}  Questions: ${this.questions}  ` +
      `Slow queries: 0  Opens: 0  Flush tables: 1  Open tables: 0  Queries per second avg: ${qps}`
    );
  }
}
