import { randomBytes } from 'node:crypto';

const DOLLAR = 0x24;

/**
 * A 20-byte challenge from the CSPRNG with every byte in 1..127 and never
 * '$': Connector/J reads the salt as a NUL-terminated ASCII string, and
 * some clients split auth data on '$'.
 */
export function generateSalt(length = 20): Buffer {
  const out = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const pool = randomBytes(length * 2);
    for (let i = 0; i < pool.length && filled < length; i++) {
      const b = pool[i]! & 0x7f;
      if (b !== 0 && b !== DOLLAR) out[filled++] = b;
    }
  }
  return out;
}
