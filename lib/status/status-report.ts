import type { MysqlCallOutcome } from './server-stats.js';

/** The server's limits as they stand (options, changed at run time by SET GLOBAL). */
export interface StatusLimits {
  /** max_connections: logins past it get ERR 1040 (one more is kept for an admin). */
  readonly maxConnections: number;
  /** max_user_connections per account, 0 for none. */
  readonly maxUserConnections: number;
  /** connect_timeout, in ms: time to finish a login. */
  readonly connectTimeoutMs: number;
  /** wait_timeout, in ms: idle time before a session is closed (ERR 4031). */
  readonly waitTimeoutMs: number;
  /** max_execution_time, in ms: a call's longest run (ERR 3024); 0 for none. */
  readonly callTimeoutMs: number;
  /** Calls running at once across connections; past it, calls wait. 0 for no cap. */
  readonly maxCallsInFlight: number;
  /** max_allowed_packet, in bytes. */
  readonly maxPacketSize: number;
  /** max_prepared_stmt_count. */
  readonly maxPreparedStatements: number;
  /** How long close() lets calls in flight finish, in ms. */
  readonly shutdownGraceMs: number;
}

/** One procedure's line in the report. */
export interface ProcedureReport {
  readonly name: string;
  readonly calls: number;
  readonly ok: number;
  readonly failed: number;
  readonly timedOut: number;
  readonly killed: number;
  /** Calls per second over the last minute. */
  readonly ratePerSecond: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** ISO time of the last call's start, or null. */
  readonly lastCallAt: string | null;
}

/** One connection in the report (the online clients). */
export interface ClientReport {
  /** CONNECTION_ID(). */
  readonly id: number;
  /** User name it logged in with, or null before login. */
  readonly user: string | null;
  /** `'user'@'host'` of the account it matched, or null before login. */
  readonly account: string | null;
  /** Client address, `ip:port`. */
  readonly address: string;
  readonly database: string | null;
  readonly secure: boolean;
  /** ISO time of its login (of the TCP accept before login). */
  readonly since: string;
  /** MySQL's command name (`Query`, `Execute`, `Sleep`, `Connect`...). */
  readonly command: string;
  /** What it is doing (`executing`, `waiting for a call slot`, `login`, `` when idle). */
  readonly state: string;
  /** Seconds in its current command or idle. */
  readonly seconds: number;
  /** The statement running, or null. */
  readonly info: string | null;
  /** Calls it has made. */
  readonly calls: number;
  /** The procedure it called last, and when (ISO), or null. */
  readonly lastCall: string | null;
  readonly lastCallAt: string | null;
}

/**
 * Everything the server reports about itself: what `CALL rpcinfo()`,
 * the HTTP status page and its JSON show. Plain data, ready for
 * JSON.stringify.
 */
export interface StatusReport {
  readonly server: {
    /** This package's version. */
    readonly version: string;
    readonly nodeVersion: string;
    /** @nestjs/core's version, or `unknown`. */
    readonly nestVersion: string;
    /** The MySQL version the server announces. */
    readonly mysqlVersion: string;
    readonly pid: number;
    /** ISO time the server started. */
    readonly startedAt: string;
    readonly uptimeSeconds: number;
    /** Where it listens (`127.0.0.1:3308`). */
    readonly listening: readonly string[];
    /** `listening`, `draining` (shutting down), or `closed`. */
    readonly state: 'starting' | 'listening' | 'draining' | 'closed';
    /** The per-call log is on. */
    readonly callLog: boolean;
  };
  readonly limits: StatusLimits;
  readonly connections: {
    readonly open: number;
    readonly loggedIn: number;
    /** Commands running now (`Threads_running`). */
    readonly running: number;
    readonly total: number;
    readonly maxUsed: number;
    readonly closedNormally: number;
    readonly closedByError: number;
    readonly refusedByLimit: number;
    readonly abortedConnects: number;
    readonly abortedClients: number;
    readonly idleTimeouts: number;
  };
  readonly logins: { readonly ok: number; readonly failed: number; readonly blocked: number };
  readonly calls: {
    readonly total: number;
    readonly ok: number;
    readonly failed: number;
    readonly timedOut: number;
    readonly killed: number;
    readonly running: number;
    readonly waiting: number;
    /** Calls per second over the last minute. */
    readonly ratePerSecond: number;
  };
  readonly bytes: { readonly received: number; readonly sent: number };
  readonly questions: number;
  readonly preparedStatements: number;
  readonly procedures: readonly ProcedureReport[];
  readonly clients: readonly ClientReport[];
}

/** What a tracer learns when a call ends. */
export interface MysqlCallEnd {
  readonly outcome: MysqlCallOutcome;
  /** Duration in ms. */
  readonly durationMs: number;
  /** The ERR's code, or null for an OK. */
  readonly errorCode: number | null;
}
