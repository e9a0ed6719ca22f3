import { spawnSync } from 'node:child_process';
import {
  constants,
  createHash,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import fc from 'fast-check';
import mysql2 from 'mysql2';
import {
  CACHING_SHA2_PLUGIN,
  CachingSha2Status,
  cachingSha2Digest,
  decryptRsaPassword,
  readCleartextPassword,
  scrambleCachingSha2,
  verifyCachingSha2Scramble,
} from '../../../lib/protocol/auth/caching-sha2.js';
import { generateSalt } from '../../../lib/protocol/auth/salt.js';

const sha256 = (b: Buffer): Buffer => createHash('sha256').update(b).digest();

// mysql2's own caching_sha2_password client plugin, through its public
// `authPlugins` export: calculateToken is the fast-path scramble, and
// driving the plugin's state machine gets its RSA encryption (which it does
// not export by itself).
const mysql2Plugin = (mysql2 as any).authPlugins.caching_sha2_password;

/** What mysql2 sends after `01 04` when it holds the server's key (or has just received it). */
function mysql2FullAuth(password: string, salt: Buffer, publicKeyPem: string, ask = false): Buffer {
  const factory = ask ? mysql2Plugin({}) : mysql2Plugin({ serverPublicKey: publicKeyPem });
  const step = factory({ connection: { config: { password } } });
  step(salt); // the scramble
  const reply: Buffer = step(Buffer.from([CachingSha2Status.PERFORM_FULL_AUTH]));
  if (!ask) return reply;
  expect(reply).toEqual(Buffer.from([CachingSha2Status.REQUEST_PUBLIC_KEY]));
  return step(Buffer.from(publicKeyPem));
}

describe('caching_sha2_password constants', () => {
  it('names the plugin and the one-byte statuses as MySQL sends them', () => {
    expect(CACHING_SHA2_PLUGIN).toBe('caching_sha2_password');
    expect(CachingSha2Status).toEqual({
      AUTH_MORE_DATA: 0x01,
      REQUEST_PUBLIC_KEY: 0x02,
      FAST_AUTH_SUCCESS: 0x03,
      PERFORM_FULL_AUTH: 0x04,
    });
  });
});

describe('caching_sha2_password fast path', () => {
  it('keeps SHA256(SHA256(password)), from a string or bytes alike', () => {
    const expected = sha256(sha256(Buffer.from('pässword', 'utf8')));
    expect(cachingSha2Digest('pässword')).toEqual(expected);
    expect(cachingSha2Digest(Buffer.from('pässword', 'utf8'))).toEqual(expected);
  });

  it('scrambles as MySQL Connector/Python does (vector from Boost.MySQL tests)', () => {
    // Boost.MySQL test/unit/.../caching_sha2_password: challenge and
    // response "snooped using the MySQL Python connector", password "hola".
    const challenge = Buffer.from('3e3b04550470163a4c1535031576732246081801', 'hex');
    const expected = Buffer.from(
      'a1c1e1e91bb6544ba7374b9c566d693e06ca070298acd10618c690389d88e120',
      'hex',
    );
    expect(scrambleCachingSha2('hola', challenge)).toEqual(expected);
    expect(verifyCachingSha2Scramble(cachingSha2Digest('hola'), challenge, expected)).toBe(true);
  });

  it("scrambles exactly as mysql2's client does, and accepts what it sends", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), (password) => {
        const salt = generateSalt();
        const token: Buffer = mysql2Plugin.calculateToken(password, salt);
        expect(scrambleCachingSha2(password, salt)).toEqual(token);
        expect(verifyCachingSha2Scramble(cachingSha2Digest(password), salt, token)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('sends nothing for an empty password', () => {
    expect(scrambleCachingSha2('', generateSalt())).toEqual(Buffer.alloc(0));
  });

  it('rejects a wrong password, a scramble for another salt, and any other length', () => {
    const salt = generateSalt();
    const digest = cachingSha2Digest('secret');
    const good = scrambleCachingSha2('secret', salt);
    expect(verifyCachingSha2Scramble(digest, salt, good)).toBe(true);
    expect(verifyCachingSha2Scramble(digest, salt, scrambleCachingSha2('Secret', salt))).toBe(
      false,
    );
    expect(verifyCachingSha2Scramble(digest, generateSalt(), good)).toBe(false);
    expect(verifyCachingSha2Scramble(digest, salt, Buffer.alloc(0))).toBe(false);
    expect(verifyCachingSha2Scramble(digest, salt, good.subarray(0, 31))).toBe(false);
    expect(verifyCachingSha2Scramble(digest, salt, Buffer.concat([good, Buffer.from([0])]))).toBe(
      false,
    );
    expect(verifyCachingSha2Scramble(digest.subarray(0, 20), salt, good)).toBe(false);
    const flipped = Buffer.from(good);
    flipped[31]! ^= 1;
    expect(verifyCachingSha2Scramble(digest, salt, flipped)).toBe(false);
  });
});

describe('caching_sha2_password full path over RSA', () => {
  let privateKey: KeyObject;
  let publicKey: KeyObject;
  let publicPem: string;
  let otherPrivate: KeyObject;

  beforeAll(() => {
    ({ privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 }));
    publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    otherPrivate = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  });

  /** (password NUL) XOR salt, RSA-OAEP-SHA1 encrypted, as the clients build it. */
  const encrypt = (plain: Buffer, salt: Buffer, oaepHash = 'sha1'): Buffer => {
    const x = Buffer.from(plain);
    for (let i = 0; i < x.length; i++) x[i]! ^= salt[i % salt.length]!;
    return publicEncrypt(
      { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash },
      x,
    );
  };

  it('decrypts what mysql2 sends, with the key known or just requested, longer than the salt too', () => {
    const salt = generateSalt();
    for (const password of ['secret', 'pässwörd 🔑', 'x'.repeat(100)]) {
      const wire = mysql2FullAuth(password, salt, publicPem);
      expect(wire.length).toBe(256);
      expect(decryptRsaPassword(privateKey, wire, salt)).toEqual(Buffer.from(password, 'utf8'));
      const asked = mysql2FullAuth(password, salt, publicPem, true);
      expect(decryptRsaPassword(privateKey, asked, salt)).toEqual(Buffer.from(password, 'utf8'));
    }
  });

  const python = spawnSync(
    '/usr/bin/python3',
    ['-c', 'import pymysql._auth, cryptography.hazmat.primitives.asymmetric.padding'],
    { encoding: 'utf8' },
  );
  // PyMySQL (and the cryptography package it encrypts with) is a system
  // package the CI script installs; without it this one check is skipped.
  const withPyMySQL = python.status === 0 ? it : it.skip;

  withPyMySQL("decrypts what PyMySQL's sha2_rsa_encrypt sends", () => {
    const salt = generateSalt();
    const script = [
      'import sys, pymysql._auth as a',
      'pw, salt, key = sys.argv[1].encode(), bytes.fromhex(sys.argv[2]), sys.argv[3].encode()',
      'print(a.sha2_rsa_encrypt(pw, salt, key).hex())',
    ].join('\n');
    for (const password of ['secret', 'pässwörd']) {
      const run = spawnSync(
        '/usr/bin/python3',
        ['-c', script, password, salt.toString('hex'), publicPem],
        { encoding: 'utf8' },
      );
      expect(run.status).toBe(0);
      const wire = Buffer.from(run.stdout.trim(), 'hex');
      expect(decryptRsaPassword(privateKey, wire, salt)).toEqual(Buffer.from(password, 'utf8'));
    }
  });

  it('gives the empty password for a lone NUL', () => {
    const salt = generateSalt();
    expect(decryptRsaPassword(privateKey, encrypt(Buffer.from([0]), salt), salt)).toEqual(
      Buffer.alloc(0),
    );
  });

  it('returns null, never throws, for anything else', () => {
    const salt = generateSalt();
    const good = encrypt(Buffer.from('secret\0'), salt);
    expect(decryptRsaPassword(privateKey, good, salt)).toEqual(Buffer.from('secret'));
    const otherSalt = Buffer.from(salt.map((b) => b ^ 0x01));
    const cases: [string, () => Buffer | null][] = [
      ['another salt', () => decryptRsaPassword(privateKey, good, otherSalt)],
      ['an empty salt', () => decryptRsaPassword(privateKey, good, Buffer.alloc(0))],
      ['another key', () => decryptRsaPassword(otherPrivate, good, salt)],
      ['a public key', () => decryptRsaPassword(publicKey, good, salt)],
      [
        'no trailing NUL',
        () => decryptRsaPassword(privateKey, encrypt(Buffer.from('secret'), salt), salt),
      ],
      [
        'nothing at all',
        () => decryptRsaPassword(privateKey, encrypt(Buffer.alloc(0), salt), salt),
      ],
      [
        'OAEP with SHA-256',
        () =>
          decryptRsaPassword(privateKey, encrypt(Buffer.from('secret\0'), salt, 'sha256'), salt),
      ],
      [
        'PKCS#1 v1.5 padding',
        () =>
          decryptRsaPassword(
            privateKey,
            publicEncrypt(
              { key: publicKey, padding: constants.RSA_PKCS1_PADDING },
              Buffer.from('secret\0'),
            ),
            salt,
          ),
      ],
      ['a truncated block', () => decryptRsaPassword(privateKey, good.subarray(0, 255), salt)],
      [
        'a block too long',
        () => decryptRsaPassword(privateKey, Buffer.concat([good, Buffer.from([0])]), salt),
      ],
      ['random bytes', () => decryptRsaPassword(privateKey, randomBytes(256), salt)],
      ['an empty packet', () => decryptRsaPassword(privateKey, Buffer.alloc(0), salt)],
      [
        'the cleartext password',
        () => decryptRsaPassword(privateKey, Buffer.from('secret\0'), salt),
      ],
    ];
    for (const [name, run] of cases) {
      let result: Buffer | null | 'threw' = 'threw';
      try {
        result = run();
      } catch {
        // reported below
      }
      expect([name, result]).toEqual([name, null]);
    }
  });
});

describe('caching_sha2_password full path over TLS', () => {
  it('reads the NUL-terminated password mysql2 sends over a secure connection', () => {
    const step = mysql2Plugin({ overrideIsSecure: true })({
      connection: { config: { password: 'pässwörd' } },
    });
    step(generateSalt());
    const wire: Buffer = step(Buffer.from([CachingSha2Status.PERFORM_FULL_AUTH]));
    expect(readCleartextPassword(wire)).toEqual(Buffer.from('pässwörd', 'utf8'));
  });

  it('gives the empty password for a lone NUL and null without the NUL', () => {
    expect(readCleartextPassword(Buffer.from([0]))).toEqual(Buffer.alloc(0));
    expect(readCleartextPassword(Buffer.from('secret'))).toBeNull();
    expect(readCleartextPassword(Buffer.alloc(0))).toBeNull();
  });

  it('returns a copy, not a view of the packet', () => {
    const packet = Buffer.from('secret\0');
    const password = readCleartextPassword(packet)!;
    packet.fill(0);
    expect(password.toString()).toBe('secret');
  });
});
