import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * caching_sha2_password's stored verifier, as MySQL keeps it in
 * mysql.user.authentication_string: `$A$` + the round count / 1000 in three
 * hex digits + `$` + a 20-byte salt + the 43-character SHA-256-crypt hash.
 */
export interface Sha2Verifier {
  /** SHA-256-crypt rounds: 1,000 to 4,095,000, a multiple of 1,000. */
  readonly rounds: number;
  /** The 20 salt bytes, each 0x01..0x7F and never '$'. */
  readonly salt: Buffer;
  /** The 43-character hash, in crypt's base-64 alphabet. */
  readonly hash: string;
  /** The whole verifier, `$A$005$...` (70 characters). */
  readonly text: string;
}

/** Longest password MySQL hashes (its MAX_PLAINTEXT_LENGTH, in bytes); longer ones never match. */
export const SHA2_MAX_PASSWORD_LENGTH = 256;

/** Rounds MySQL uses by default and at least (caching_sha2_password_digest_rounds). */
export const SHA2_DEFAULT_ROUNDS = 5000;

const DIGEST = 32;
const SALT_LENGTH = 20;
const HASH_LENGTH = 43;
const TEXT_LENGTH = 7 + SALT_LENGTH + HASH_LENGTH;
const ROUNDS_PER_COUNT = 1000;
const MAX_COUNT = 0xfff;
const DOLLAR = 0x24;
const B64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const B64_SET = new Set(B64);

// Which digest bytes make each group of four output characters (Drepper's
// spec, step 22, for SHA-256); the last group is two bytes, three characters.
const GROUPS: readonly (readonly [number, number, number])[] = [
  [0, 10, 20],
  [21, 1, 11],
  [12, 22, 2],
  [3, 13, 23],
  [24, 4, 14],
  [15, 25, 5],
  [6, 16, 26],
  [27, 7, 17],
  [18, 28, 8],
  [9, 19, 29],
];

const sha256 = (data: Uint8Array): Buffer => hash('sha256', data, 'buffer');

/** Fills `out` from `offset` with `length` bytes of `digest` repeated; returns the end. */
function repeat(out: Buffer, offset: number, digest: Buffer, length: number): number {
  for (let n = 0; n < length; n += DIGEST) {
    digest.copy(out, offset + n, 0, Math.min(DIGEST, length - n));
  }
  return offset + length;
}

function encode(d: Buffer): string {
  let out = '';
  for (const [x, y, z] of GROUPS) {
    let w = (d[x]! << 16) | (d[y]! << 8) | d[z]!;
    for (let n = 0; n < 4; n++, w >>= 6) out += B64[w & 0x3f];
  }
  let w = (d[31]! << 8) | d[30]!;
  for (let n = 0; n < 3; n++, w >>= 6) out += B64[w & 0x3f];
  return out;
}

/**
 * SHA-256-crypt (Drepper's spec, steps 1-22) of `password` with `salt` taken
 * whole, returning only the 43-character hash. The spec's `$5$` form cuts the
 * salt to 16 bytes and clamps the rounds; MySQL keeps 20 salt bytes, so both
 * are the caller's business here.
 */
export function sha256CryptHash(password: Uint8Array, salt: Uint8Array, rounds: number): string {
  if (!Number.isSafeInteger(rounds) || rounds < 1) throw new RangeError('rounds must be >= 1');
  const pw = Buffer.from(password.buffer, password.byteOffset, password.byteLength);
  const sl = Buffer.from(salt.buffer, salt.byteOffset, salt.byteLength);
  const len = pw.length;

  // Steps 4-8: B = H(password salt password).
  const bIn = Buffer.allocUnsafe(2 * len + sl.length);
  pw.copy(bIn, 0);
  sl.copy(bIn, len);
  pw.copy(bIn, len + sl.length);
  const b = sha256(bIn);

  // Steps 1-3 and 9-12: A = H(password salt B-repeated-to-len, then B or the
  // password for each bit of len), laid out in one buffer, so one call.
  let aLength = 2 * len + sl.length;
  for (let i = len; i > 0; i >>= 1) aLength += i & 1 ? DIGEST : len;
  const aIn = Buffer.allocUnsafe(aLength);
  pw.copy(aIn, 0);
  sl.copy(aIn, len);
  let o = repeat(aIn, len + sl.length, b, len);
  for (let i = len; i > 0; i >>= 1) o += (i & 1 ? b : pw).copy(aIn, o);
  const a = sha256(aIn);

  // Steps 13-16: P, from H(password repeated len times).
  const dpIn = Buffer.alloc(len * len);
  if (len > 0) dpIn.fill(pw);
  const p = Buffer.allocUnsafe(len);
  repeat(p, 0, sha256(dpIn), len);

  // Steps 17-20: S, from H(salt repeated 16 + A[0] times).
  const dsIn = Buffer.alloc(sl.length * (16 + a[0]!));
  if (sl.length > 0) dsIn.fill(sl);
  const s = Buffer.allocUnsafe(sl.length);
  repeat(s, 0, sha256(dsIn), sl.length);

  // The password itself is no longer needed: don't leave copies of it around.
  bIn.fill(0);
  aIn.fill(0);
  dpIn.fill(0);

  // Step 21. Each round hashes one of eight layouts (round odd or even, with
  // or without S, with or without an extra P) whose only changing part is
  // the previous digest: build the eight once, and each round is one 32-byte
  // copy and one one-shot hash, no concatenation.
  const layouts: { buf: Buffer; at: number }[] = [];
  for (let k = 0; k < 8; k++) {
    const odd = (k & 1) !== 0;
    const withS = (k & 2) !== 0;
    const withP = (k & 4) !== 0;
    const buf = Buffer.allocUnsafe(DIGEST + len + (withS ? sl.length : 0) + (withP ? len : 0));
    let at = 0;
    let n = odd ? p.copy(buf, 0) : DIGEST;
    if (withS) n += s.copy(buf, n);
    if (withP) n += p.copy(buf, n);
    if (odd) at = n;
    else p.copy(buf, n);
    layouts.push({ buf, at });
  }
  let c = a;
  for (let i = 0; i < rounds; i++) {
    const layout = layouts[(i & 1) | (i % 3 !== 0 ? 2 : 0) | (i % 7 !== 0 ? 4 : 0)]!;
    layout.buf.set(c, layout.at);
    c = sha256(layout.buf);
  }
  return encode(c);
}

function invalid(reason: string): Error {
  // Never quote the input: it is a credential.
  return new Error(`Invalid caching_sha2_password verifier: ${reason}`);
}

const validSaltByte = (b: number): boolean => b >= 0x01 && b <= 0x7f && b !== DOLLAR;

function checkSalt(salt: Buffer): void {
  if (salt.length !== SALT_LENGTH) throw invalid(`the salt must be ${SALT_LENGTH} bytes`);
  // MySQL hashes the salt as a C string cut at '$': a NUL or '$' in it would
  // make MySQL and this code hash different salts.
  if (!salt.every(validSaltByte)) {
    throw invalid("salt bytes must be 0x01..0x7F and not '$'");
  }
}

function checkRounds(rounds: number, min: number): void {
  const count = rounds / ROUNDS_PER_COUNT;
  if (!Number.isInteger(count) || rounds < min || count > MAX_COUNT) {
    throw new RangeError(
      `rounds must be a multiple of ${ROUNDS_PER_COUNT} from ${min} to ${MAX_COUNT * ROUNDS_PER_COUNT}`,
    );
  }
}

function fromHex(text: string): string {
  const digits = text.slice(2);
  if (digits.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(digits)) {
    throw invalid('the 0x form must be followed by pairs of hex digits');
  }
  return Buffer.from(digits, 'hex').toString('latin1');
}

/**
 * Reads a verifier as MySQL stores it (`$A$005$...`) or as `SHOW CREATE USER`
 * prints it when the salt has unprintable bytes (`0x2441...`). Throws an
 * Error saying what is wrong, never quoting the verifier.
 */
export function parseSha2Verifier(text: string): Sha2Verifier {
  if (typeof text !== 'string') throw invalid('expected a string');
  const raw = /^0[xX]/.test(text) ? fromHex(text) : text;
  if (raw.length !== TEXT_LENGTH) {
    throw invalid(
      `expected ${TEXT_LENGTH} characters ('$A$', three hex digits, '$', ${SALT_LENGTH} salt bytes, ` +
        `${HASH_LENGTH} hash characters), got ${raw.length}`,
    );
  }
  if (!raw.startsWith('$A$') || raw[6] !== '$') {
    throw invalid("expected '$A$', three hex digits of rounds / 1000, then '$'");
  }
  const countText = raw.slice(3, 6);
  if (!/^[0-9A-Fa-f]{3}$/.test(countText)) {
    throw invalid('the rounds field must be three hex digits');
  }
  const count = parseInt(countText, 16);
  if (count === 0) throw invalid('the rounds field must not be 000');
  const saltText = raw.slice(7, 7 + SALT_LENGTH);
  // Every salt character is a single byte (0x01..0x7F), so latin1 is exact.
  for (let i = 0; i < saltText.length; i++) {
    if (!validSaltByte(saltText.charCodeAt(i))) {
      throw invalid("salt bytes must be 0x01..0x7F and not '$'");
    }
  }
  const hashText = raw.slice(7 + SALT_LENGTH);
  for (const ch of hashText) {
    if (!B64_SET.has(ch)) throw invalid("the hash must be in crypt's base-64 alphabet");
  }
  return {
    rounds: count * ROUNDS_PER_COUNT,
    salt: Buffer.from(saltText, 'latin1'),
    hash: hashText,
    text: raw,
  };
}

/** The verifier's stored text, `$A$` + rounds / 1000 in three hex digits + `$` + salt + hash. */
export function formatSha2Verifier(v: Sha2Verifier): string {
  checkRounds(v.rounds, ROUNDS_PER_COUNT);
  checkSalt(v.salt);
  if (v.hash.length !== HASH_LENGTH || ![...v.hash].every((ch) => B64_SET.has(ch))) {
    throw invalid(`the hash must be ${HASH_LENGTH} characters of crypt's base-64 alphabet`);
  }
  const count = (v.rounds / ROUNDS_PER_COUNT).toString(16).toUpperCase().padStart(3, '0');
  return `$A$${count}$${v.salt.toString('latin1')}${v.hash}`;
}

/**
 * 20 salt characters from the CSPRNG, from crypt's own alphabet
 * (`./0-9A-Za-z`): printable, no quote, backslash, space or '$', so the
 * verifier pastes into SQL, JSON, YAML or a shell unharmed. 64 symbols
 * map each random byte evenly (256 = 4 x 64): 120 bits.
 */
function generateVerifierSalt(): Buffer {
  const out = randomBytes(SALT_LENGTH);
  for (let i = 0; i < SALT_LENGTH; i++) out[i] = B64.charCodeAt(out[i]! & 0x3f);
  return out;
}

const toBytes = (password: Buffer | string): Buffer =>
  typeof password === 'string' ? Buffer.from(password, 'utf8') : password;

/**
 * Hashes a password into a new verifier, as MySQL's `CREATE USER ...
 * IDENTIFIED BY` does: `rounds` a multiple of 1,000 from 5,000, a fresh
 * printable salt unless one is given.
 */
export function createSha2Verifier(
  password: Buffer | string,
  rounds = SHA2_DEFAULT_ROUNDS,
  salt?: Buffer,
): Sha2Verifier {
  checkRounds(rounds, SHA2_DEFAULT_ROUNDS);
  const bytes = toBytes(password);
  if (bytes.length > SHA2_MAX_PASSWORD_LENGTH) {
    throw new RangeError(`password longer than ${SHA2_MAX_PASSWORD_LENGTH} bytes`);
  }
  const s = salt === undefined ? generateVerifierSalt() : Buffer.from(salt);
  checkSalt(s);
  const v = { rounds, salt: s, hash: sha256CryptHash(bytes, s, rounds), text: '' };
  return { ...v, text: formatSha2Verifier(v) };
}

/**
 * Checks a cleartext password (the full path: over TLS or RSA) against a
 * verifier, comparing in constant time. Passwords over 256 bytes never
 * match, as in MySQL, and are not hashed: the cost grows with the square
 * of the length.
 */
export function verifySha2Password(v: Sha2Verifier, password: Buffer | string): boolean {
  const bytes = toBytes(password);
  if (bytes.length > SHA2_MAX_PASSWORD_LENGTH || v.hash.length !== HASH_LENGTH) return false;
  const computed = Buffer.from(sha256CryptHash(bytes, v.salt, v.rounds), 'latin1');
  return timingSafeEqual(computed, Buffer.from(v.hash, 'latin1'));
}
