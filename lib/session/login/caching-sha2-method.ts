import {
  CachingSha2Status,
  cachingSha2Digest,
  decryptRsaPassword,
  readCleartextPassword,
  verifyCachingSha2Scramble,
} from '../../protocol/auth/caching-sha2.js';
import { verifySha2Password } from '../../protocol/auth/sha256-crypt.js';
import type { AuthContext, AuthExchange, AuthMethod, AuthStep } from './auth-method.js';
import { decoyCredentials, decoyDigest } from './decoy-account.js';

const SCRAMBLE_LENGTH = 32;
const FAST_AUTH_SUCCESS = Buffer.from([CachingSha2Status.FAST_AUTH_SUCCESS]);
const PERFORM_FULL_AUTH = Buffer.from([CachingSha2Status.PERFORM_FULL_AUTH]);

/**
 * caching_sha2_password, as MySQL 8 runs it. Fast path: the scramble is
 * checked against SHA256(SHA256(password)) from the cache (or from the
 * configured password) and `01 03` precedes the OK. Otherwise, wrong
 * password and cache miss alike, `01 04` asks for the password itself:
 * in clear inside TLS, or RSA-encrypted after the client asks for the
 * public key (`02`). It is checked against the stored SHA-256-crypt
 * verifier, and on success the digest goes to the cache.
 */
export const cachingSha2Method: AuthMethod = {
  plugin: 'caching_sha2_password',
  begin(context: AuthContext): AuthExchange {
    return new CachingSha2Exchange(context);
  },
};

class CachingSha2Exchange implements AuthExchange {
  private state: 'scramble' | 'full' | 'rsa' = 'scramble';

  constructor(private readonly context: AuthContext) {}

  next(packet: Buffer): AuthStep {
    switch (this.state) {
      case 'scramble':
        return this.scramble(packet);
      case 'full':
        return this.full(packet);
      case 'rsa':
        return this.rsa(packet);
    }
  }

  private scramble(reply: Buffer): AuthStep {
    const { credentials, cachedDigest, salt, work } = this.context;
    // An empty answer claims an empty password: right or wrong, no full path follows.
    if (reply.length === 0 || (reply.length === 1 && reply[0] === 0)) {
      return credentials.sha2 === null ? { kind: 'accept' } : { kind: 'reject' };
    }
    if (reply.length !== SCRAMBLE_LENGTH) return { kind: 'reject' };
    work.fastChecks++;
    const digest = credentials.sha2Digest ?? cachedDigest ?? decoyDigest();
    if (credentials.sha2 !== undefined && verifyCachingSha2Scramble(digest, salt, reply)) {
      return { kind: 'accept', data: FAST_AUTH_SUCCESS };
    }
    this.state = 'full';
    return { kind: 'more', data: PERFORM_FULL_AUTH };
  }

  private full(packet: Buffer): AuthStep {
    const { secure, rsa } = this.context;
    if (secure) return this.check(readCleartextPassword(packet));
    if (packet.length === 1 && packet[0] === CachingSha2Status.REQUEST_PUBLIC_KEY) {
      this.state = 'rsa';
      return { kind: 'more', data: rsa.publicKeyPem };
    }
    // A client that already holds the public key sends the encrypted password at once.
    return this.rsa(packet);
  }

  private rsa(packet: Buffer): AuthStep {
    this.context.work.rsaDecrypts++;
    return this.check(decryptRsaPassword(this.context.rsa.privateKey, packet, this.context.salt));
  }

  private check(password: Buffer | null): AuthStep {
    if (password === null) return { kind: 'reject' };
    const { credentials, work } = this.context;
    work.fullChecks++;
    const stored = credentials.sha2 === undefined ? decoyCredentials().sha2 : credentials.sha2;
    const ok =
      stored === null
        ? password.length === 0
        : verifySha2Password(stored!, password) && credentials.sha2 !== undefined;
    const digest = ok && password.length > 0 ? cachingSha2Digest(password) : undefined;
    password.fill(0);
    return ok ? { kind: 'accept', digest } : { kind: 'reject' };
  }
}
