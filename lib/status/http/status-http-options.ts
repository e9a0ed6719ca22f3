import type { MysqlPasswordVerifiers } from '../../acl/hash-password.js';

/**
 * A status viewer's credentials: a plain password (kept only as a digest),
 * or one or both verifiers of `hashPassword()`, so configuration need not
 * hold the password.
 */
export type MysqlStatusViewer = string | Partial<MysqlPasswordVerifiers>;

/**
 * The HTTP status endpoints (`/` page, `/status.json`, `/metrics`). Every
 * request must prove itself with one of `viewers`, `accounts` or `token`;
 * at least one of them is required.
 */
export interface MysqlStatusHttpOptions {
  /** TCP port of the standalone listener (`0` picks a free one); without it the endpoints are served only where `statusHandler()` is mounted. */
  port?: number;
  /** Address the standalone listener binds. Default `127.0.0.1`: the page is for the machine's own operators unless told otherwise. */
  host?: string;
  /** HTTP Basic logins of their own, user name → password or verifiers. */
  viewers?: Readonly<Record<string, MysqlStatusViewer>>;
  /** Also accept HTTP Basic logins of the server's admin accounts (`admin: true`), from the hosts those accounts may log in from. */
  accounts?: boolean;
  /** A secret accepted as `Authorization: Bearer <token>` or `X-Status-Token: <token>`, for scrapers. */
  token?: string;
  /** Seconds between the page's reloads; `0` turns reloading off. Default 5. */
  refreshSeconds?: number;
}
