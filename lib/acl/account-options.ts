/** The two authentication plugins the server speaks. */
export type MysqlAuthPlugin = 'caching_sha2_password' | 'mysql_native_password';

/** Client-certificate requirements of an account, as MySQL's `REQUIRE` clause. */
export interface MysqlTlsRequirement {
  /** `REQUIRE X509`: the client presents a certificate the server's CA verifies. */
  x509?: boolean;
  /** `REQUIRE SUBJECT '/C=../CN=..'`: the verified certificate's subject, in MySQL's one-line form. */
  subject?: string;
  /** `REQUIRE ISSUER '/C=../CN=..'`: the verified certificate's issuer, in MySQL's one-line form. */
  issuer?: string;
}

/**
 * One account, MySQL's `'user'@'host'`: who may log in, from where, how,
 * and what it may call. Credentials are a `password` (hashed at start,
 * then dropped) or stored verifiers in the formats of MySQL's
 * `mysql.user.authentication_string`.
 */
export interface MysqlAccountOptions {
  /** User name (up to 32 characters); `''` is MySQL's anonymous user, matching any name. */
  user: string;
  /** Hosts it may connect from: an address, `localhost`, `%`/`_` wildcards, or CIDR (`10.0.0.0/8`). Default `%`. */
  host?: string;
  /** Plain password, hashed at start-up into both verifiers and never kept. */
  password?: string;
  /** mysql_native_password verifier: `*` and 40 hex digits. */
  nativePasswordHash?: string;
  /** caching_sha2_password verifier: `$A$005$` + salt + hash, or its `0x...` hex form from `SHOW CREATE USER`. */
  cachingSha2PasswordHash?: string;
  /** The one plugin this account logs in with (MySQL's `IDENTIFIED WITH`); default: any it has a verifier for. */
  plugin?: MysqlAuthPlugin;
  /** Procedures it may call: `rpc.*`, `*.*`, `rpc.name`, `name` (in the server's database), `rpc.report_*`. */
  grants?: readonly string[];
  /** Roles it holds; each role's grants are added to its own. */
  roles?: readonly string[];
  /** MySQL's PROCESS/SUPER idea: may run admin statements and call `@MysqlAdmin()` procedures. */
  admin?: boolean;
  /** MySQL's `REQUIRE SSL`: logins without TLS are refused (ERR 1045). */
  requireSsl?: boolean;
  /** Client-certificate checks (imply `requireSsl`). */
  requireCertificate?: MysqlTlsRequirement;
  /** Open connections this account may hold at once (MySQL's `MAX_USER_CONNECTIONS`); 0 for no own limit. */
  maxUserConnections?: number;
}

/** Named sets of grants accounts can hold (MySQL roles): `{ reporting: ['rpc.report_*'] }`. */
export type MysqlRoleGrants = Readonly<Record<string, readonly string[]>>;
