import type { KeyObject } from 'node:crypto';
import type { MysqlAuthPlugin } from '../../acl/account-options.js';
import type { AccountCredentials } from '../../acl/resolved-account.js';

/** Checks done by the auth plugins, counted: equal counts show equal work for every kind of refusal. */
export interface AuthWork {
  /** mysql_native_password scrambles checked. */
  nativeChecks: number;
  /** caching_sha2_password fast-path scrambles checked. */
  fastChecks: number;
  /** caching_sha2_password full-path passwords checked against the SHA-256-crypt verifier. */
  fullChecks: number;
  /** RSA-encrypted passwords decrypted. */
  rsaDecrypts: number;
}

/** The caching_sha2_password RSA key pair. */
export interface RsaKeyPair {
  readonly privateKey: KeyObject;
  /** PEM text sent to clients that ask for it. */
  readonly publicKeyPem: Buffer;
}

/** What one login's exchange may see. */
export interface AuthContext {
  /** The challenge the client's answers are computed from. */
  readonly salt: Buffer;
  /** The connection runs over TLS: a password may travel in clear inside it. */
  readonly secure: boolean;
  /** The account's verifiers, or the decoy's when there is no account. */
  readonly credentials: AccountCredentials;
  /** A SHA256(SHA256(password)) learnt at an earlier full login, or null. */
  readonly cachedDigest: Buffer | null;
  readonly rsa: RsaKeyPair;
  readonly work: AuthWork;
}

/** What the login does after a client packet. */
export type AuthStep =
  /** Send `data` as AuthMoreData and wait for the client's next packet. */
  | { readonly kind: 'more'; readonly data: Buffer }
  /** Logged in; `data`, when given, goes out as AuthMoreData before the OK; `digest` is worth caching. */
  | { readonly kind: 'accept'; readonly data?: Buffer; readonly digest?: Buffer }
  | { readonly kind: 'reject' };

/** One login's conversation with one plugin, fed every client packet from its first answer on. */
export interface AuthExchange {
  next(packet: Buffer): AuthStep;
}

/** An authentication plugin, server side (the role of Vitess's AuthServer methods). */
export interface AuthMethod {
  readonly plugin: MysqlAuthPlugin;
  begin(context: AuthContext): AuthExchange;
}
