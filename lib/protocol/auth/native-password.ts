import { createHash, timingSafeEqual } from 'node:crypto';

/** Name of the plugin on the wire. */
export const NATIVE_PASSWORD_PLUGIN = 'mysql_native_password';

const sha1 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** SHA1(SHA1(password)): all the server ever needs to keep. */
export function nativePasswordHash(password: string): Buffer {
  return sha1(sha1(Buffer.from(password, 'utf8')));
}

/** The client's side: SHA1(pw) XOR SHA1(salt || SHA1(SHA1(pw))). */
export function scrambleNativePassword(password: string, salt: Buffer): Buffer {
  if (password === '') return Buffer.alloc(0);
  const stage1 = sha1(Buffer.from(password, 'utf8'));
  const mask = sha1(salt, sha1(stage1));
  for (let i = 0; i < stage1.length; i++) stage1[i]! ^= mask[i]!;
  return stage1;
}

/**
 * Checks a client's scramble against the stored double hash, in constant
 * time. `stored` null means an empty password, which only an empty reply
 * matches.
 */
export function verifyNativePassword(stored: Buffer | null, salt: Buffer, reply: Buffer): boolean {
  if (stored === null) return reply.length === 0;
  if (reply.length !== 20 || stored.length !== 20) return false;
  const stage1 = sha1(salt, stored);
  for (let i = 0; i < stage1.length; i++) stage1[i]! ^= reply[i]!;
  return timingSafeEqual(sha1(stage1), stored);
}
