import { timingSafeEqual } from 'node:crypto';
import { nativePasswordHash } from '../protocol/auth/native-password.js';
import { verifySha2Password } from '../protocol/auth/sha256-crypt.js';
import type { AccountCredentials } from './resolved-account.js';

/**
 * True when `password` is the one `credentials` verify, checked from the
 * plain text (an HTTP login, not a MySQL scramble): the SHA-256-crypt
 * verifier where the account has one, else mysql_native_password's
 * SHA1(SHA1()), compared in constant time. An account without a password
 * (null verifiers) matches only the empty password.
 */
export function verifyPlainPassword(credentials: AccountCredentials, password: string): boolean {
  const { sha2, native } = credentials;
  if (sha2) return verifySha2Password(sha2, password);
  if (native) return timingSafeEqual(nativePasswordHash(password), native);
  return password === '';
}
