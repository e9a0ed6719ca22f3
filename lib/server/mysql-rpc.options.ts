import type { MysqlAuthPlugin, MysqlRoleGrants } from '../acl/account-options.js';
import type { MysqlUsersOption } from '../acl/user-store.js';
import type { LoginThrottleOptions } from '../session/login/login-throttle.js';
import type { MysqlRsaKeyOptions, MysqlTlsOptions } from '../tls/tls-options.js';
import type { MysqlCallTracer } from '../status/call-tracer.js';
import type { MysqlStatusHttpOptions } from '../status/http/status-http-options.js';

/** Options of `MysqlRpcServer`. Only `users` is required. */
export interface MysqlRpcServerOptions {
  /** Address to listen on. Default `127.0.0.1`; `0.0.0.0` or `::` for all interfaces. */
  host?: string;
  /** TCP port. Default `3306`. */
  port?: number;
  /** Who may log in and what each may call: accounts, a map of user name to account options (host `%`), or a user store. */
  users: MysqlUsersOption;
  /** Named sets of grants accounts can hold: `{ reporting: ['rpc.report_*'] }`. */
  roles?: MysqlRoleGrants;
  /** Plugin the greeting names, which clients answer with first. Default `caching_sha2_password`, as MySQL 8. */
  authPlugin?: MysqlAuthPlugin;
  /** TLS: certificate options, or `false` to turn TLS off. Default: a self-signed certificate generated at start. */
  tls?: MysqlTlsOptions | false;
  /** RSA key pair for caching_sha2_password's password exchange without TLS. Default: generated at start. */
  rsaKeys?: MysqlRsaKeyOptions;
  /** Refuse logins without TLS (ERR 3159), as MySQL's require_secure_transport. Default false. */
  requireSecureTransport?: boolean;
  /** Connections one account may hold at once when it sets no limit of its own (ERR 1203); 0 for none. Default 0. */
  maxUserConnections?: number;
  /** Failed-login delays and host blocking, or `false` for neither. */
  loginThrottle?: LoginThrottleOptions | false;
  /** The one database (schema) procedures live in; `USE` of any other is ERR 1049. Default `rpc`. */
  database?: string;
  /** Version string in the greeting and `@@version`; clients pick behaviour from it. Default `8.0.36-nestjs-mysql-rpc`. */
  serverVersion?: string;
  /** Text of `@@version_comment` (the mysql CLI prints it at start). Default `nestjs-mysql-rpc`. */
  versionComment?: string;
  /** Largest packet a logged-in client may send (max_allowed_packet), in bytes; larger gets ERR 1153 and a close. Default 64 MiB. */
  maxPacketSize?: number;
  /** Prepared statements open at once across all connections (MySQL's max_prepared_stmt_count); past it COM_STMT_PREPARE is ERR 1461. Default 16382. */
  maxPreparedStatements?: number;
  /** Milliseconds a client has to complete login before it is disconnected (connect_timeout); 0 turns it off. Default 10000. */
  connectTimeout?: number;
  /** Connections at once (max_connections); past it a client gets ERR 1040 in place of the greeting. One more is kept for an admin. Default 151. */
  maxConnections?: number;
  /** Milliseconds a logged-in session may sit idle before it is closed with ERR 4031 (wait_timeout); 0 turns it off. Default 28800000 (8 h). */
  idleTimeout?: number;
  /** The idle timeout of clients that log in as interactive, as the mysql CLI does (interactive_timeout). Default: `idleTimeout`. */
  interactiveTimeout?: number;
  /** Longest a call may run, in ms, before it is stopped with ERR 3024 (max_execution_time); 0 for none. A procedure may set its own; a session may lower it. Default 0. */
  callTimeout?: number;
  /** Calls running at once across all connections; further calls wait their turn (their timeout runs meanwhile). 0 for no cap. Default 0. */
  maxCallsInFlight?: number;
  /** How long `close()` lets calls in flight finish before stopping them, in ms. Default 10000. */
  shutdownGracePeriod?: number;
  /** Log every call (user, host, procedure, duration, outcome) through Nest's Logger from the start; admins switch it with SET GLOBAL general_log. `{ arguments: true }` adds the arguments. Default false. */
  callLog?: boolean | { arguments?: boolean };
  /** Name of the admin-only status procedure (`CALL rpcinfo()`), or false for none. Default `rpcinfo`. */
  statusProcedure?: string | false;
  /** Sees every call start and end, for tracing (OpenTelemetry spans, say). */
  tracer?: MysqlCallTracer;
  /** The HTTP status page, JSON and Prometheus metrics: off unless given (see MysqlStatusHttpOptions). */
  statusHttp?: MysqlStatusHttpOptions;
  /** Column name for a handler that returns a scalar. Default `result`. */
  scalarColumn?: string;
  /** Time zone Date values are written in: `local` (as mysql2 reads them by default) or `utc`. Default `local`. */
  timezone?: 'local' | 'utc';
}

/** Defaults of every optional setting that has a single value. */
export const MYSQL_RPC_DEFAULTS = {
  host: '127.0.0.1',
  port: 3306,
  authPlugin: 'caching_sha2_password',
  requireSecureTransport: false,
  maxUserConnections: 0,
  database: 'rpc',
  serverVersion: '8.0.36-nestjs-mysql-rpc',
  versionComment: 'nestjs-mysql-rpc',
  maxPacketSize: 64 * 1024 * 1024,
  maxPreparedStatements: 16382,
  connectTimeout: 10_000,
  maxConnections: 151,
  idleTimeout: 28_800_000,
  callTimeout: 0,
  maxCallsInFlight: 0,
  shutdownGracePeriod: 10_000,
  callLog: false,
  statusProcedure: 'rpcinfo',
  scalarColumn: 'result',
  timezone: 'local',
} as const satisfies Omit<
  Required<MysqlRpcServerOptions>,
  | 'users'
  | 'roles'
  | 'tls'
  | 'rsaKeys'
  | 'loginThrottle'
  | 'interactiveTimeout'
  | 'tracer'
  | 'statusHttp'
>;
