import type { MysqlUserOptions, MysqlUserStore } from '../acl/user-store.js';

/** Options of `MysqlRpcServer`. Only `users` is required. */
export interface MysqlRpcServerOptions {
  /** Address to listen on. Default `127.0.0.1`; `0.0.0.0` or `::` for all interfaces. */
  host?: string;
  /** TCP port. Default `3306`. */
  port?: number;
  /** Who may log in: a map of user name to credentials, or a user store. */
  users: Record<string, MysqlUserOptions> | MysqlUserStore;
  /** The one database (schema) procedures live in; `USE` of any other is ERR 1049. Default `rpc`. */
  database?: string;
  /** Version string in the greeting and `@@version`; clients pick behaviour from it. Default `8.0.36-nestjs-mysql-rpc`. */
  serverVersion?: string;
  /** Text of `@@version_comment` (the mysql CLI prints it at start). Default `nestjs-mysql-rpc`. */
  versionComment?: string;
  /** Largest packet a logged-in client may send (max_allowed_packet), in bytes; larger gets ERR 1153 and a close. Default 64 MiB. */
  maxPacketSize?: number;
  /** Milliseconds a client has to complete login before it is disconnected; 0 turns it off. Default 10000. */
  connectTimeout?: number;
  /** Column name for a handler that returns a scalar. Default `result`. */
  scalarColumn?: string;
  /** Time zone Date values are written in: `local` (as mysql2 reads them by default) or `utc`. Default `local`. */
  timezone?: 'local' | 'utc';
}

/** Defaults of every optional setting. */
export const MYSQL_RPC_DEFAULTS = {
  host: '127.0.0.1',
  port: 3306,
  database: 'rpc',
  serverVersion: '8.0.36-nestjs-mysql-rpc',
  versionComment: 'nestjs-mysql-rpc',
  maxPacketSize: 64 * 1024 * 1024,
  connectTimeout: 10_000,
  scalarColumn: 'result',
  timezone: 'local',
} as const satisfies Omit<Required<MysqlRpcServerOptions>, 'users'>;
