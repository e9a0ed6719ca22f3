import type { StoredValue } from './session-state/catalog.js';

/**
 * The server's limits and timeouts as they stand: set from the options,
 * changed at run time by an admin's SET GLOBAL. Times are in ms here; the
 * system variables that show them use MySQL's units (seconds for the
 * timeouts, ms for max_execution_time).
 */
export interface ServerLimits {
  /** max_connections: logins past it get ERR 1040; one more is kept for an admin. */
  maxConnections: number;
  /** Time to finish a login (connect_timeout); 0 for none. */
  connectTimeoutMs: number;
  /** Idle time before a session is closed with ERR 4031 (wait_timeout); 0 for none. */
  waitTimeoutMs: number;
  /** The same for clients that logged in with CLIENT_INTERACTIVE (interactive_timeout). */
  interactiveTimeoutMs: number;
  /** A call's longest run before ERR 3024 (max_execution_time); 0 for none. */
  callTimeoutMs: number;
  /** Calls running at once across connections; past it, calls wait their turn. 0 for no cap. */
  maxCallsInFlight: number;
  /** How long close() lets calls in flight finish before stopping them. */
  shutdownGraceMs: number;
}

/** A limit shown as a system variable: how it reads and how SET GLOBAL writes it. */
export interface LimitVariable {
  readonly name: string;
  read(limits: ServerLimits): StoredValue;
  write(limits: ServerLimits, value: number): void;
}

const seconds = (ms: number): number => Math.ceil(ms / 1000);

/** The limits that are system variables, by variable name. */
export const LIMIT_VARIABLES: ReadonlyMap<string, LimitVariable> = new Map(
  (
    [
      {
        name: 'max_connections',
        read: (l) => l.maxConnections,
        write: (l, v) => (l.maxConnections = v),
      },
      {
        name: 'connect_timeout',
        read: (l) => seconds(l.connectTimeoutMs),
        write: (l, v) => (l.connectTimeoutMs = v * 1000),
      },
      {
        name: 'wait_timeout',
        read: (l) => seconds(l.waitTimeoutMs),
        write: (l, v) => (l.waitTimeoutMs = v * 1000),
      },
      {
        name: 'interactive_timeout',
        read: (l) => seconds(l.interactiveTimeoutMs),
        write: (l, v) => (l.interactiveTimeoutMs = v * 1000),
      },
      {
        name: 'max_execution_time',
        read: (l) => l.callTimeoutMs,
        write: (l, v) => (l.callTimeoutMs = v),
      },
      {
        name: 'rpc_max_calls_in_flight',
        read: (l) => l.maxCallsInFlight,
        write: (l, v) => (l.maxCallsInFlight = v),
      },
      {
        name: 'rpc_shutdown_grace_period',
        read: (l) => l.shutdownGraceMs,
        write: (l, v) => (l.shutdownGraceMs = v),
      },
    ] satisfies LimitVariable[]
  ).map((v) => [v.name, v]),
);
