import type { MysqlUserStore } from '../acl/user-store.js';
import type { EncodeOptions } from '../results/cell-encoder.js';
import type { OffThreadParser } from '../sql/off-thread.js';
import type { CallDispatcher } from './call-dispatcher.js';
import type { ServerStats } from './server-stats.js';

/** Minimal logger the session reports to; Nest's Logger fits. */
export interface SessionLogger {
  error(message: unknown, ...rest: unknown[]): void;
  warn(message: unknown, ...rest: unknown[]): void;
}

/** Settings every connection of one server shares. */
export interface SessionSettings {
  readonly serverVersion: string;
  readonly versionComment: string;
  readonly database: string;
  readonly maxPacketSize: number;
  readonly connectTimeout: number;
  readonly scalarColumn: string;
  readonly encode: EncodeOptions;
}

/** Everything a connection needs from the server that owns it. */
export interface SessionServices {
  readonly settings: SessionSettings;
  readonly users: MysqlUserStore;
  readonly dispatcher: CallDispatcher;
  readonly stats: ServerStats;
  readonly logger: SessionLogger;
  /** Parses statements over a slice in size away from the event loop; null where no compiled worker exists. */
  readonly largeStatements: OffThreadParser | null;
}
