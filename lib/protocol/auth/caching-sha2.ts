import {
  constants,
  createHash,
  privateDecrypt,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';

/** Name of the plugin on the wire. */
export const CACHING_SHA2_PLUGIN = 'caching_sha2_password';

/** The one-byte messages of the plugin's exchange after the scramble. */
export const CachingSha2Status = {
  /** First byte of every AuthMoreData packet the server sends (then a status, or the PEM key). */
  AUTH_MORE_DATA: 0x01,
  /** Client, without TLS: send me your RSA public key. */
  REQUEST_PUBLIC_KEY: 0x02,
  /** Server: the scramble matched the cached digest; an OK follows. */
  FAST_AUTH_SUCCESS: 0x03,
  /** Server: no cached digest, or no match; send the password itself. */
  PERFORM_FULL_AUTH: 0x04,
} as const;

const DIGEST = 32;

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

const toBytes = (password: Buffer | string): Buffer =>
  typeof password === 'string' ? Buffer.from(password, 'utf8') : password;

/** SHA256(SHA256(password)): the fast-path cache entry, from a password the full path proved. */
export function cachingSha2Digest(password: Buffer | string): Buffer {
  return sha256(sha256(toBytes(password)));
}

/** The client's side: SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) || salt); empty for an empty password. */
export function scrambleCachingSha2(password: string, salt: Buffer): Buffer {
  if (password === '') return Buffer.alloc(0);
  const stage1 = sha256(Buffer.from(password, 'utf8'));
  const mask = sha256(sha256(stage1), salt);
  for (let i = 0; i < DIGEST; i++) stage1[i]! ^= mask[i]!;
  return stage1;
}

/**
 * Checks a fast-path scramble against the cached SHA256(SHA256(pw)), in
 * constant time: reply XOR SHA256(digest || salt) must be a SHA256(pw) whose
 * own SHA-256 is the digest. Anything but 32 bytes fails.
 */
export function verifyCachingSha2Scramble(digest: Buffer, salt: Buffer, reply: Buffer): boolean {
  if (reply.length !== DIGEST || digest.length !== DIGEST) return false;
  const stage1 = sha256(digest, salt);
  for (let i = 0; i < DIGEST; i++) stage1[i]! ^= reply[i]!;
  return timingSafeEqual(sha256(stage1), digest);
}

/**
 * The full path without TLS: RSA-OAEP (SHA-1 and MGF1-SHA-1, as MySQL 8,
 * libmysqlclient, mysql2, PyMySQL and Go's driver use) decrypts
 * (password NUL) XOR salt-repeated. Returns the password without its NUL,
 * or null on any failure: wrong length, bad padding, no trailing NUL.
 * Never throws and never logs, so a failure says nothing to the client.
 */
export function decryptRsaPassword(
  privateKey: KeyObject,
  encrypted: Buffer,
  salt: Buffer,
): Buffer | null {
  if (salt.length === 0) return null;
  let plain: Buffer;
  try {
    plain = privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      encrypted,
    );
  } catch {
    return null;
  }
  for (let i = 0; i < plain.length; i++) plain[i]! ^= salt[i % salt.length]!;
  if (plain.length === 0 || plain[plain.length - 1] !== 0) {
    plain.fill(0);
    return null;
  }
  return plain.subarray(0, plain.length - 1);
}

/**
 * The full path over TLS: the password in clear, NUL-terminated. Returns a
 * copy without the NUL (the packet's buffer may be reused), or null when
 * the NUL is missing.
 */
export function readCleartextPassword(payload: Buffer): Buffer | null {
  if (payload.length === 0 || payload[payload.length - 1] !== 0) return null;
  return Buffer.from(payload.subarray(0, payload.length - 1));
}
