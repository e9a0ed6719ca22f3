import { randomBytes } from 'node:crypto';
import type { AccountCredentials } from '../../acl/resolved-account.js';
import { createSha2Verifier } from '../../protocol/auth/sha256-crypt.js';

let decoy: AccountCredentials | null = null;
let decoyDigestValue: Buffer | null = null;

/**
 * Verifiers no password matches, checked when a login has no account (an
 * unknown user, or a known one from a host it may not use), so that it
 * takes the same steps and the same work as a wrong password.
 */
export function decoyCredentials(): AccountCredentials {
  decoy ??= {
    native: randomBytes(20),
    sha2: createSha2Verifier(randomBytes(24).toString('base64')),
    sha2Digest: null,
    plugins: ['caching_sha2_password', 'mysql_native_password'],
  };
  return decoy;
}

/** A fast-path digest no scramble matches, checked when an account has none cached yet. */
export function decoyDigest(): Buffer {
  decoyDigestValue ??= randomBytes(32);
  return decoyDigestValue;
}
