import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import {
  createSha2Verifier,
  formatSha2Verifier,
  parseSha2Verifier,
  sha256CryptHash,
  SHA2_MAX_PASSWORD_LENGTH,
  verifySha2Password,
  type Sha2Verifier,
} from '../../../lib/protocol/auth/sha256-crypt.js';

/**
 * The spec's own `$5$` form around the core: salt cut to 16 bytes, rounds
 * clamped to 1,000..999,999,999, `rounds=` shown only when given.
 */
function crypt5(password: string, setting: string): string {
  const m = /^\$5\$(?:rounds=(\d+)\$)?([^$]*)/.exec(setting)!;
  const given = m[1] !== undefined;
  const rounds = given ? Math.min(Math.max(Number(m[1]), 1000), 999_999_999) : 5000;
  const salt = m[2]!.slice(0, 16);
  const hash = sha256CryptHash(Buffer.from(password), Buffer.from(salt), rounds);
  return `$5$${given ? `rounds=${rounds}$` : ''}${salt}$${hash}`;
}

// Ulrich Drepper, "Unix crypt using SHA-256 and SHA-512" (SHA-crypt.txt),
// the SHA-256 test vectors: [setting, password, expected].
const DREPPER: [string, string, string][] = [
  ['$5$saltstring', 'Hello world!', '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5'],
  [
    '$5$rounds=10000$saltstringsaltstring',
    'Hello world!',
    '$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA',
  ],
  [
    '$5$rounds=5000$toolongsaltstring',
    'This is just a test',
    '$5$rounds=5000$toolongsaltstrin$Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5',
  ],
  [
    '$5$rounds=1400$anotherlongsaltstring',
    'a very much longer text to encrypt.  This one even stretches over morethan one line.',
    '$5$rounds=1400$anotherlongsalts$Rx.j8H.h8HjEDGomFU8bDkXm3XIUnzyxf12oP84Bnq1',
  ],
  [
    '$5$rounds=77777$short',
    'we have a short salt string but not a short password',
    '$5$rounds=77777$short$JiO1O3ZpDAxGJeaDIuqCoEFysAe1mZNJRs3pw0KQRd/',
  ],
  [
    '$5$rounds=123456$asaltof16chars..',
    'a short string',
    '$5$rounds=123456$asaltof16chars..$gP3VQ/6X7UUEW3HkBn2w1/Ptq2jxPyzV/cZKmF/wJvD',
  ],
  [
    '$5$rounds=10$roundstoolow',
    'the minimum number is still observed',
    '$5$rounds=1000$roundstoolow$yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC',
  ],
];

// Verifiers with their passwords, in the 0x form SHOW CREATE USER prints
// (print_identified_with_as_hex) since most salts have control bytes.
const REAL: { source: string; password: string; hex: string }[] = [
  {
    // Written by a real server: github.com/ChaosHour/go-pass README.md,
    // SHOW CREATE USER on Percona Server 8.0.32-24; the README then logs in
    // as klarsen with -pwH4FLM97jCkbhPcFy6Ip8YL after recreating the account
    // from this very statement.
    source: 'Percona Server 8.0.32 (ChaosHour/go-pass README, user klarsen)',
    password: 'wH4FLM97jCkbhPcFy6Ip8YL',
    hex:
      '0x2441243030352446274D6E7F57015B673B1E4E5C272728022C585F6B6F2E2E6135484A706D' +
      '5841467345543749447250477A6F764B5269734C6A59494333474663334B307044',
  },
  {
    // Same README: root@% on the docker image started with
    // MYSQL_ROOT_PASSWORD=root, which the tool itself logs in with (root:root).
    source: 'Percona Server 8.0.32 (ChaosHour/go-pass README, root@%)',
    password: 'root',
    hex:
      '0x24412430303524542E705C456F693A4E034D541F791E5E3264236E6E61724A71316A66545946' +
      '67564661444F4777506862534A7A6653342E307677446A6E526F55656F685A36',
  },
  {
    source: 'Percona Server 8.0.32 (ChaosHour/go-pass README, root@localhost)',
    password: 'root',
    hex:
      '0x244124303035240566230F3279056A495A7870484E424E62780318336A62674D71524F4F5A48' +
      '2E7255497738324874337953795268676878666345494556586B633471416530',
  },
  {
    // Another MySQL-compatible implementation's own test:
    // pingcap/tidb pkg/parser/auth/caching_sha2_test.go, TestCheckShaPasswordGood.
    source: 'TiDB caching_sha2_test.go (foobarPwdSHA2Hash)',
    password: 'foobar',
    hex:
      '0x24412430303524031A69251C34295C4B35167C7F1E5A7B63091349503974624D34504B5A4246' +
      '79354856336868686F52485A736E4A733368786E427575516C73446469496537',
  },
];

describe('SHA-256-crypt core', () => {
  it.each(DREPPER)("matches Drepper's vector %s", (setting, password, expected) => {
    expect(crypt5(password, setting)).toBe(expected);
  });

  const openssl = spawnSync('openssl', ['passwd', '-5', '-salt', 'abc', 'x'], {
    encoding: 'utf8',
  });
  const withOpenssl = openssl.status === 0 ? it : it.skip;

  // Each length boundary of the algorithm (the 32-byte digest repeated,
  // the bits of the length) against OpenSSL's implementation. (It cannot
  // take an empty password on its command line.)
  withOpenssl('agrees with `openssl passwd -5` around every 32-byte boundary', () => {
    for (const length of [1, 2, 31, 32, 33, 63, 64, 65, 100, 255, 256]) {
      const password = 'Ab1'.repeat(100).slice(0, length);
      const salt = 'saltsaltsaltsalt'.slice(0, (length % 16) + 1);
      const run = spawnSync('openssl', ['passwd', '-5', '-salt', salt, password], {
        encoding: 'utf8',
      });
      expect(crypt5(password, `$5$${salt}`)).toBe(run.stdout.trim());
    }
  });
});

describe('MySQL $A$ verifiers', () => {
  it.each(REAL)('verifies the password of $source', ({ password, hex }) => {
    const v = parseSha2Verifier(hex);
    expect(v.rounds).toBe(5000);
    expect(v.text.startsWith('$A$005$')).toBe(true);
    expect(v.text).toHaveLength(70);
    expect(verifySha2Password(v, Buffer.from(password))).toBe(true);
    expect(verifySha2Password(v, Buffer.from(password + 'x'))).toBe(false);
    expect(verifySha2Password(v, Buffer.from(password.slice(1)))).toBe(false);
    // The raw form (control bytes and all) reads the same, and writes back as it was.
    expect(parseSha2Verifier(v.text)).toEqual(v);
    expect(formatSha2Verifier(v)).toBe(v.text);
    expect('0x' + Buffer.from(v.text, 'latin1').toString('hex').toUpperCase()).toBe(hex);
    // Given the same salt, hashing the password writes the very same verifier.
    expect(createSha2Verifier(password, 5000, v.salt)).toEqual(v);
  });

  it('reads the hex form in either case', () => {
    const { hex } = REAL[0]!;
    const v = parseSha2Verifier(hex);
    expect(parseSha2Verifier('0X' + hex.slice(2).toLowerCase())).toEqual(v);
  });

  it('reads the rounds as hex, as MySQL writes them (16,000 rounds is 010)', () => {
    const v = createSha2Verifier('secret', 16000);
    expect(v.text.slice(0, 7)).toBe('$A$010$');
    const back = parseSha2Verifier(v.text);
    expect(back.rounds).toBe(16000);
    expect(verifySha2Password(back, Buffer.from('secret'))).toBe(true);
    expect(createSha2Verifier('secret', 10000).text.slice(0, 7)).toBe('$A$00A$');
    // MySQL still checks a verifier stored with fewer rounds than it would write.
    const low = parseSha2Verifier('$A$001$' + v.text.slice(7));
    expect(low.rounds).toBe(1000);
    expect(verifySha2Password(low, Buffer.from('secret'))).toBe(false);
  });

  it('makes printable, copy-paste-safe salts from the CSPRNG', () => {
    const salts = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const v = createSha2Verifier('secret');
      expect(v.text).toMatch(/^\$A\$005\$[./0-9A-Za-z]{63}$/);
      expect(v.salt.toString('latin1')).toBe(v.text.slice(7, 27));
      salts.add(v.text.slice(7, 27));
    }
    expect(salts.size).toBe(40);
  });

  it('refuses round counts MySQL would not write, and over-long passwords', () => {
    for (const rounds of [0, 1000, 4000, 4999, 5500, 4_096_000, Number.NaN, 5000.5]) {
      expect(() => createSha2Verifier('secret', rounds)).toThrow(RangeError);
    }
    // The most MySQL writes (hashing that many rounds would take seconds here).
    const v5 = createSha2Verifier('secret');
    expect(formatSha2Verifier({ ...v5, rounds: 4_095_000 }).slice(0, 7)).toBe('$A$FFF$');
    expect(parseSha2Verifier('$A$FFF$' + v5.text.slice(7)).rounds).toBe(4_095_000);
    expect(() => createSha2Verifier('x'.repeat(SHA2_MAX_PASSWORD_LENGTH + 1))).toThrow(RangeError);
    const v = createSha2Verifier('x'.repeat(SHA2_MAX_PASSWORD_LENGTH));
    expect(verifySha2Password(v, Buffer.from('x'.repeat(SHA2_MAX_PASSWORD_LENGTH)))).toBe(true);
    // Never hashed: the cost grows with the square of the length.
    const started = process.hrtime.bigint();
    expect(verifySha2Password(v, Buffer.alloc(16 * 1024 * 1024, 'x'))).toBe(false);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(50);
  });

  it('refuses given salts MySQL would hash differently', () => {
    const ok = Buffer.from('abcdefghijklmnopqrst');
    expect(createSha2Verifier('secret', 5000, ok).salt).toEqual(ok);
    for (const salt of [
      ok.subarray(0, 19),
      Buffer.concat([ok, Buffer.from('u')]),
      Buffer.from('abcdefghij$lmnopqrst'),
      Buffer.from('abcdefghij\0lmnopqrst', 'latin1'),
      Buffer.from('abcdefghij\x80lmnopqrst', 'latin1'),
    ]) {
      expect(() => createSha2Verifier('secret', 5000, salt)).toThrow(/salt/);
    }
  });

  it('rejects malformed verifiers without ever quoting them', () => {
    const good = parseSha2Verifier(REAL[0]!.hex).text;
    const salt = good.slice(7, 27);
    const hash = good.slice(27);
    const malformed: string[] = [
      '',
      'secret',
      good.slice(0, 69),
      good + 'A',
      '$B$005$' + salt + hash,
      '$A$0G5$' + salt + hash,
      '$A$000$' + salt + hash,
      '$A$005#' + salt + hash,
      '$A$005$' + salt.slice(0, 19) + '$' + hash,
      '$A$005$' + salt.slice(0, 19) + '\0' + hash,
      '$A$005$' + salt.slice(0, 19) + '\u00e9' + hash,
      '$A$005$' + salt.slice(0, 19) + '\u20ac' + hash,
      '$A$005$' + salt + hash.slice(0, 42) + '!',
      '$A$005$' + salt + hash.slice(0, 42) + '$',
      '*' + 'A'.repeat(40),
      '0x',
      '0x2441243030352',
      '0x' + Buffer.from(good, 'latin1').toString('hex') + '0',
      '0x' + Buffer.from(good, 'latin1').toString('hex').slice(2) + 'zz',
      '0x' + Buffer.from(good.slice(0, 69), 'latin1').toString('hex'),
      ' ' + good,
    ];
    for (const text of malformed) {
      let message = '';
      expect(() => {
        try {
          parseSha2Verifier(text);
        } catch (err) {
          message = (err as Error).message;
          throw err;
        }
      }).toThrow(/^Invalid caching_sha2_password verifier: /);
      for (const secret of [salt, hash, salt.slice(0, 8), hash.slice(0, 8), text.slice(2, 12)]) {
        if (secret.length >= 6) expect(message).not.toContain(secret);
      }
    }
    expect(() => parseSha2Verifier(undefined as any)).toThrow(/expected a string/);
  });

  it('formats only what it could read back', () => {
    const v = createSha2Verifier('secret');
    const bad: Sha2Verifier[] = [
      { ...v, rounds: 5500 },
      { ...v, salt: v.salt.subarray(0, 19) },
      { ...v, hash: v.hash.slice(0, 42) },
      { ...v, hash: v.hash.slice(0, 42) + '$' },
    ];
    for (const b of bad) expect(() => formatSha2Verifier(b)).toThrow();
  });

  it('verifies what it creates and nothing else (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: 'binary' }), (password) => {
        const v = parseSha2Verifier(createSha2Verifier(password).text);
        expect(verifySha2Password(v, Buffer.from(password, 'utf8'))).toBe(true);
        expect(verifySha2Password(v, password)).toBe(true);
        expect(verifySha2Password(v, Buffer.from(password + 'x', 'utf8'))).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  it('hashes bytes as bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 70 }), (bytes) => {
        const password = Buffer.from(bytes);
        const v = createSha2Verifier(password);
        expect(verifySha2Password(v, password)).toBe(true);
        const other = Buffer.from(password);
        other[other.length - 1]! ^= 0x80;
        expect(verifySha2Password(v, other)).toBe(false);
      }),
      { numRuns: 25 },
    );
  });
});
