import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { MysqlAuthPlugin } from '../acl/account-options.js';
import type { AccountConnections } from '../acl/account-connections.js';
import type { AccountDirectory } from '../acl/account-directory.js';
import type { Sha2Cache } from '../acl/sha2-cache.js';
import type { EncodeOptions } from '../results/cell-encoder.js';
import type { OffThreadParser } from '../sql/off-thread.js';
import type { CallDispatcher } from './call-dispatcher.js';
import type { CallReply } from './call-reply.js';
import type { MysqlConnection } from './connection.js';
import type { RsaKeyPair } from './login/auth-method.js';
import type { PeerCertificateFacts } from './login/login-flow.js';
import type { LoginThrottle } from './login/login-throttle.js';
import type { PreparedStatementBudget } from './prepared/prepared-statement.js';
import type { WireError } from '../protocol/errors.js';
import type { ServerStats } from '../status/server-stats.js';
import type { ServerLimits } from './server-limits.js';

/** Minimal logger the session reports to; Nest's Logger fits. */
export interface SessionLogger {
  error(message: unknown, ...rest: unknown[]): void;
  warn(message: unknown, ...rest: unknown[]): void;
  log(message: unknown, ...rest: unknown[]): void;
}

/** The per-call log's switches (SET GLOBAL general_log). */
export interface CallLogSwitch {
  /** Each call is logged: user, host, procedure, duration, outcome. */
  enabled: boolean;
  /** The log lines carry the call's arguments too. */
  arguments: boolean;
}

/** Settings every connection of one server shares. */
export interface SessionSettings {
  readonly serverVersion: string;
  readonly versionComment: string;
  readonly database: string;
  readonly maxPacketSize: number;
  readonly scalarColumn: string;
  readonly encode: EncodeOptions;
  /** Plugin the greeting names (clients answer with it first). */
  readonly authPlugin: MysqlAuthPlugin;
  /** Logins without TLS are refused with ERR 3159. */
  readonly requireSecureTransport: boolean;
}

/** Everything a connection needs from the server that owns it. */
export interface SessionServices {
  readonly settings: SessionSettings;
  readonly accounts: AccountDirectory;
  /** caching_sha2_password's digests learnt at full logins. */
  readonly sha2Cache: Sha2Cache;
  /** Failed-login delays and host blocking. */
  readonly throttle: LoginThrottle;
  /** Open connections per account, for max_user_connections. */
  readonly accountConnections: AccountConnections;
  /** The RSA key pair caching_sha2_password hands out; ready once the server listens. */
  rsaKeys(): RsaKeyPair;
  /** Server TLS, or null when it is turned off; ready once the server listens. */
  tls(): SessionTls | null;
  readonly dispatcher: CallDispatcher;
  readonly stats: ServerStats;
  readonly logger: SessionLogger;
  /** Parses statements over a slice in size away from the event loop; null where no compiled worker exists. */
  readonly largeStatements: OffThreadParser | null;
  /** Every connection of the server, logged in or not (SHOW PROCESSLIST). */
  sessions(): Iterable<MysqlConnection>;
  /** The connection of this id, logged in or not (KILL). */
  session(id: number): MysqlConnection | undefined;
  /** Prepared statements open across the server (max_prepared_stmt_count). */
  readonly preparedStatements: PreparedStatementBudget;
  /** Limits and timeouts as they stand. */
  readonly limits: ServerLimits;
  /** The per-call log's switches. */
  readonly callLog: CallLogSwitch;
  /** The server is shutting down: new commands get ERR 1053. */
  shuttingDown(): boolean;
  /**
   * The reason a stopped call's AbortSignal carries: an error with the
   * `code`, `sqlState` and `message` its client got (the server makes it a
   * MysqlError, which Nest's exception layer passes on without logging).
   */
  abortReason(error: WireError): Error;
  /** A call's reply has ended after `ms`: the call log and the tracer hear of it. */
  callEnded(conn: MysqlConnection, reply: CallReply, ms: number): void;
}

/** What a connection needs to switch to TLS. */
export interface SessionTls {
  /** Wraps the socket after an SSLRequest; `buffered` is what arrived after it. */
  upgrade(socket: Socket, buffered: Buffer): TLSSocket;
  /** What the client's certificate proves, for REQUIRE X509 / SUBJECT / ISSUER. */
  peer(socket: TLSSocket): PeerCertificateFacts;
}
