import { cachingSha2Digest } from '../protocol/auth/caching-sha2.js';
import { nativePasswordHash } from '../protocol/auth/native-password.js';
import {
  createSha2Verifier,
  parseSha2Verifier,
  type Sha2Verifier,
} from '../protocol/auth/sha256-crypt.js';
import type {
  MysqlAccountOptions,
  MysqlAuthPlugin,
  MysqlRoleGrants,
  MysqlTlsRequirement,
} from './account-options.js';
import { accountName } from './account-match.js';
import { GrantSet, parseGrant, type Grant } from './grants.js';
import { parseHostPattern, type HostPattern } from './host-pattern.js';

/** What the login checks a client's proof against. `null` is an empty password; `undefined`, no verifier of that kind. */
export interface AccountCredentials {
  /** SHA1(SHA1(password)), mysql_native_password's verifier. */
  readonly native: Buffer | null | undefined;
  /** caching_sha2_password's stored SHA-256-crypt verifier. */
  readonly sha2: Sha2Verifier | null | undefined;
  /** SHA256(SHA256(password)) when the password was configured: the fast path works from the first login. */
  readonly sha2Digest: Buffer | null;
  /** Plugins it may log in with, preferred first. */
  readonly plugins: readonly MysqlAuthPlugin[];
}

/** An account ready for logins: verifiers parsed, host pattern compiled, grants and roles flattened. */
export interface ResolvedAccount {
  readonly user: string;
  readonly host: HostPattern;
  /** `user@host`, as CURRENT_USER() prints it. */
  readonly name: string;
  readonly credentials: AccountCredentials;
  /** Its own grants and its roles', for the check on every CALL. */
  readonly grants: GrantSet;
  /** Its own grants as configured, for SHOW GRANTS. */
  readonly ownGrants: readonly Grant[];
  readonly roles: readonly string[];
  readonly admin: boolean;
  readonly requireSsl: boolean;
  readonly certificate: MysqlTlsRequirement | null;
  /** Connections it may hold at once; 0 for no limit of its own. */
  readonly maxUserConnections: number;
}

/** What resolving an account needs from the server's configuration. */
export interface AccountContext {
  readonly defaultSchema: string;
  readonly roles: MysqlRoleGrants;
}

const NATIVE_HASH = /^\*[0-9A-Fa-f]{40}$/;
/** Longest user name MySQL 8 keeps (USERNAME_CHAR_LENGTH), in characters. */
export const USER_NAME_MAX_CHARS = 32;
const PLUGINS: readonly MysqlAuthPlugin[] = ['caching_sha2_password', 'mysql_native_password'];

/** Parses `*HEX40` into the 20-byte double SHA1. */
export function parseNativePasswordHash(hash: string): Buffer {
  if (!NATIVE_HASH.test(hash)) {
    throw new Error('nativePasswordHash must be "*" followed by 40 hex digits');
  }
  return Buffer.from(hash.slice(1), 'hex');
}

/**
 * Checks and compiles one account. Every mistake (no credentials, a
 * malformed verifier, an unknown role, a bad host or grant) throws here,
 * at start-up, with the account's name and never a secret in the message.
 */
export function resolveAccount(
  options: MysqlAccountOptions,
  context: AccountContext,
): ResolvedAccount {
  const user = options.user;
  if (typeof user !== 'string' || Array.from(user).length > USER_NAME_MAX_CHARS) {
    throw new Error(`account user names are strings of at most ${USER_NAME_MAX_CHARS} characters`);
  }
  const hostText = options.host ?? '%';
  // Every mistake names the account it is in; none quotes a secret.
  const named = <T>(make: () => T): T => {
    try {
      return make();
    } catch (error) {
      throw new Error(`account '${user}'@'${String(hostText)}': ${(error as Error).message}`);
    }
  };
  const fail = (what: string): never =>
    named(() => {
      throw new Error(what);
    });
  const host = named(() => parseHostPattern(hostText));
  const name = accountName(user, host.text);
  const credentials = named(() => resolveCredentials(options));
  const ownGrants = named(() =>
    (options.grants ?? []).map((g) => parseGrant(g, context.defaultSchema)),
  );
  const roles = [...(options.roles ?? [])];
  const grants = named(() =>
    GrantSet.build(options.grants ?? [], roles, context.roles, context.defaultSchema),
  );
  const max = options.maxUserConnections ?? 0;
  if (!Number.isSafeInteger(max) || max < 0) fail('maxUserConnections must be an integer >= 0');
  const certificate = options.requireCertificate ?? null;
  return {
    user,
    host,
    name,
    credentials,
    grants,
    ownGrants,
    roles,
    admin: options.admin === true,
    requireSsl: options.requireSsl === true || certificate !== null,
    certificate,
    maxUserConnections: max,
  };
}

function resolveCredentials(options: MysqlAccountOptions): AccountCredentials {
  const { password, nativePasswordHash: nativeText, cachingSha2PasswordHash: sha2Text } = options;
  const given = [password, nativeText, sha2Text].filter((v) => v !== undefined).length;
  if (given === 0) throw new Error('give a password or at least one verifier');
  if (password !== undefined && given > 1) {
    throw new Error('give either a password or verifiers, not both');
  }
  let native: Buffer | null | undefined;
  let sha2: Sha2Verifier | null | undefined;
  let sha2Digest: Buffer | null = null;
  if (password !== undefined) {
    if (typeof password !== 'string') throw new Error('password must be a string');
    native = password === '' ? null : nativePasswordHash(password);
    sha2 = password === '' ? null : createSha2Verifier(password);
    sha2Digest = password === '' ? null : cachingSha2Digest(password);
  } else {
    if (nativeText !== undefined)
      native = nativeText === '' ? null : parseNativePasswordHash(nativeText);
    if (sha2Text !== undefined) sha2 = sha2Text === '' ? null : parseSha2Verifier(sha2Text);
  }
  const available = PLUGINS.filter((p) =>
    p === 'caching_sha2_password' ? sha2 !== undefined : native !== undefined,
  );
  const plugin = options.plugin;
  if (plugin !== undefined) {
    if (!PLUGINS.includes(plugin)) throw new Error(`unknown plugin '${String(plugin)}'`);
    if (!available.includes(plugin))
      throw new Error(`plugin ${plugin} needs its verifier or a password`);
    return { native, sha2, sha2Digest, plugins: [plugin] };
  }
  return { native, sha2, sha2Digest, plugins: available };
}
