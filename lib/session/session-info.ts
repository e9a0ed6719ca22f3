import type { PeerCertificate } from 'node:tls';
import type { GrantSet } from '../acl/grants.js';

/** The account a connection logged in as: what guards and handlers may see of it (never its verifiers). */
export interface MysqlAccountInfo {
  /** The account's user name (`''` for the anonymous account). */
  readonly user: string;
  /** The account's host pattern (`%`, `localhost`, `10.0.0.0/8`...). */
  readonly host: string;
  /** `user@host`, as CURRENT_USER() prints it. */
  readonly name: string;
  /** Roles it holds. */
  readonly roles: readonly string[];
  /** Holds the admin privilege (MySQL's PROCESS/SUPER). */
  readonly admin: boolean;
  /** What it may call: its own grants and its roles'. */
  readonly grants: GrantSet;
}

/** What is known about one logged-in connection; handlers see it through the context. */
export interface SessionInfo {
  /** Server-assigned id, as CONNECTION_ID() returns it. */
  readonly connectionId: number;
  /** The user name the client logged in with. */
  readonly user: string;
  /** Client IP address (IPv4-mapped addresses shown as plain IPv4). */
  readonly host: string;
  /** Client TCP port. */
  readonly port: number;
  /** Current database (schema), or null when none is selected. */
  readonly database: string | null;
  /** Connection attributes the client sent (`_client_name`, `program_name`...). */
  readonly attributes: Readonly<Record<string, string>>;
  /** The account matched at login. */
  readonly account: MysqlAccountInfo;
  /** The connection runs over TLS. */
  readonly secure: boolean;
  /** The client's TLS certificate, or null (plain connection, or none presented). */
  readonly peerCertificate: PeerCertificate | null;
}
