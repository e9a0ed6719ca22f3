import { nativePasswordHash } from '../protocol/auth/native-password.js';
import { createSha2Verifier } from '../protocol/auth/sha256-crypt.js';

/** A password's verifiers, in the formats of MySQL's `authentication_string`, named as account options. */
export interface MysqlPasswordVerifiers {
  /** `*` and 40 hex digits: mysql_native_password. */
  nativePasswordHash: string;
  /** `$A$005$` + salt + hash: caching_sha2_password (a fresh salt each time). */
  cachingSha2PasswordHash: string;
}

/** Hashes a password into both verifiers, so configuration can hold them instead of the password. */
export function hashPassword(password: string): MysqlPasswordVerifiers {
  return {
    nativePasswordHash: '*' + nativePasswordHash(password).toString('hex').toUpperCase(),
    cachingSha2PasswordHash: createSha2Verifier(password).text,
  };
}
