import { isIPv4, isIPv6 } from 'node:net';
import fc from 'fast-check';
import {
  compareHostPatterns,
  HOST_PATTERN_MAX_LENGTH,
  parseHostPattern,
  wildcardMatch,
  type HostPatternForm,
} from '../../../lib/acl/host-pattern.js';

/** The slow, obviously right LIKE matcher the fast one must agree with. */
function slowLike(pattern: string, text: string): boolean {
  if (pattern === '') return text === '';
  if (pattern[0] === '%') {
    return slowLike(pattern.slice(1), text) || (text !== '' && slowLike(pattern, text.slice(1)));
  }
  if (text === '') return false;
  return (
    (pattern[0] === '_' || pattern[0] === text[0]) && slowLike(pattern.slice(1), text.slice(1))
  );
}

/** The parser either compiles `text` or throws the documented Error naming it. */
function parsesOrRefuses(text: string): void {
  let pattern;
  try {
    pattern = parseHostPattern(text);
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`host pattern '${text}'`);
    return;
  }
  expect(pattern.text).toBe(text);
  expect(typeof pattern.matches('10.0.0.1')).toBe('boolean');
  expect(typeof pattern.matches(text)).toBe('boolean');
}

const bitString = (value: bigint, width: number): string => value.toString(2).padStart(width, '0');

const v4Text = (value: number): string =>
  [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');

const v6Groups = (value: bigint): number[] =>
  [7, 6, 5, 4, 3, 2, 1, 0].map((i) => Number((value >> BigInt(16 * i)) & 0xffffn));

/** One of the many spellings of an IPv6 address: full, zero-padded, upper-case or with `::`. */
function v6Text(value: bigint, style: number, run: number): string {
  const groups = v6Groups(value);
  if (style === 0) return groups.map((g) => g.toString(16)).join(':');
  if (style === 1) return groups.map((g) => g.toString(16).padStart(4, '0')).join(':');
  if (style === 2) return groups.map((g) => g.toString(16).toUpperCase()).join(':');
  // Compress the zero run that starts earliest at or after `run`, if any.
  for (let start = run % 8; start < 8; start++) {
    if (groups[start] !== 0) continue;
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
    return `${hex(groups.slice(0, start))}::${hex(groups.slice(end))}`;
  }
  return groups.map((g) => g.toString(16)).join(':');
}

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u128 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
// Addresses with long zero runs, so that `::` spellings come up often.
const sparse128 = fc
  .array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), {
    minLength: 8,
    maxLength: 8,
  })
  .map((gs) => gs.reduce((v, g) => (v << 16n) | BigInt(g), 0n));

describe('parseHostPattern: forms', () => {
  it.each<[string, HostPatternForm, string[], string[]]>([
    ['%', 'any', ['10.0.0.1', '::1', '127.0.0.1'], []],
    ['10.0.0.1', 'address', ['10.0.0.1'], ['10.0.0.2', '10.0.0.10', '::ffff:10.0.0.2', 'x']],
    ['0.0.0.0', 'address', ['0.0.0.0'], ['10.0.0.1']],
    ['255.255.255.255', 'address', ['255.255.255.255'], ['255.255.255.254']],
    ['::1', 'address', ['::1', '0:0:0:0:0:0:0:1', '0000::0001'], ['127.0.0.1', '::2']],
    ['0:0:0:0:0:0:0:1', 'address', ['::1'], ['::']],
    ['FD00::1', 'address', ['fd00::1', 'fd00:0::1', 'fd00::1%eth0'], ['fd00::2']],
    ['2001:db8::1:2:3:4:5', 'address', ['2001:db8:0:1:2:3:4:5'], ['2001:db8:1:2:3:4:5:0']],
    ['::ffff:1.2.3.4', 'address', ['1.2.3.4', '::ffff:1.2.3.4', '::ffff:102:304'], ['1.2.3.5']],
    ['64:ff9b::192.0.2.33', 'address', ['64:ff9b::c000:221'], ['192.0.2.33']],
    [
      'localhost',
      'localhost',
      ['127.0.0.1', '127.255.0.9', '::1', '::ffff:127.0.0.1'],
      ['10.0.0.1'],
    ],
    ['LocalHost', 'localhost', ['127.0.0.1'], ['128.0.0.1', '::2', 'localhost']],
    ['192.168.%', 'wildcard', ['192.168.0.1', '192.168.255.255'], ['192.169.0.1', '10.192.168.1']],
    ['10.0.0._', 'wildcard', ['10.0.0.1', '10.0.0.9'], ['10.0.0.10', '10.0.0.']],
    ['%.1', 'wildcard', ['10.0.0.1', '192.168.3.1'], ['10.0.0.11', '10.0.0.2']],
    ['fd00:%', 'wildcard', ['fd00::1', 'FD00:1::2'], ['fd01::1', '10.0.0.1']],
    ['FD00:%', 'wildcard', ['fd00::1'], ['fc00::1']],
    ['1_.%', 'wildcard', ['10.0.0.1', '19.3.4.5'], ['1.0.0.1', '100.0.0.1']],
    ['10.0.0.0/8', 'cidr', ['10.0.0.1', '10.255.255.255', '::ffff:10.1.2.3'], ['11.0.0.0', '::1']],
    ['10.1.2.3/32', 'cidr', ['10.1.2.3'], ['10.1.2.4']],
    ['0.0.0.0/0', 'cidr', ['1.2.3.4', '255.255.255.255'], ['::1', 'fd00::1']],
    ['192.168.1.128/25', 'cidr', ['192.168.1.128', '192.168.1.255'], ['192.168.1.127']],
    ['fd00::/8', 'cidr', ['fd00::1', 'fdff:ffff::1'], ['fe00::1', '10.0.0.1']],
    ['::/0', 'cidr', ['::1', 'fd00::1', '10.0.0.1'], ['x']],
    ['::ffff:0:0/96', 'cidr', ['10.0.0.1', '255.255.255.255'], ['::1', 'fd00::1']],
    ['::ffff:10.0.0.0/104', 'cidr', ['10.9.8.7'], ['11.0.0.1']],
    ['::1/128', 'cidr', ['::1'], ['::2', '127.0.0.1']],
    ['10.0.0.0/255.0.0.0', 'netmask', ['10.0.0.1', '10.255.0.1'], ['11.0.0.1', 'fd00::1']],
    ['192.168.1.0/255.255.255.0', 'netmask', ['192.168.1.9'], ['192.168.2.9']],
    ['10.1.2.3/255.255.255.255', 'netmask', ['10.1.2.3'], ['10.1.2.2']],
    ['128.0.0.0/128.0.0.0', 'netmask', ['200.0.0.1'], ['127.0.0.1']],
  ])('%s is %s', (text, form, yes, no) => {
    const pattern = parseHostPattern(text);
    expect(pattern.text).toBe(text);
    expect(pattern.form).toBe(form);
    for (const ip of yes) expect([ip, pattern.matches(ip)]).toEqual([ip, true]);
    for (const ip of no) expect([ip, pattern.matches(ip)]).toEqual([ip, false]);
  });

  it('keeps a pattern of the maximum length', () => {
    const text = '1' + '%'.repeat(HOST_PATTERN_MAX_LENGTH - 1);
    expect(parseHostPattern(text).matches('1.2.3.4')).toBe(true);
  });
});

describe('parseHostPattern: refusals', () => {
  it.each([
    ['', /empty/],
    ['example.com', /DNS/],
    ['db1', /DNS/],
    ['abc', /DNS/],
    ['%.example.com', /digits, a-f/],
    ['cafe.%', /host name/],
    ['fd00%', /host name/],
    ['a_b', /host name/],
    ['host-1', /DNS/],
    ['10.0.0', /DNS/],
    ['10.0.0.256', /DNS/],
    ['10.0.0.01', /DNS/],
    ['010.0.0.1', /DNS/],
    ['10.0.0.1.', /DNS/],
    ['10.0.0.1 ', /DNS/],
    [' 10.0.0.1', /DNS/],
    ['+1.2.3.4', /DNS/],
    ['1.2.3.-4', /DNS/],
    [':::', /DNS/],
    ['1::2::3', /DNS/],
    ['1:2:3:4:5:6:7:8:9', /DNS/],
    ['1:2:3:4:5:6:7', /DNS/],
    ['1:2:3:4:5:6:7:8::', /DNS/],
    ['::1:2:3:4:5:6:7:8', /DNS/],
    [':1::2', /DNS/],
    ['1::2:', /DNS/],
    ['12345::1', /DNS/],
    ['g::1', /DNS/],
    ['::1.2.3.4:5', /DNS/],
    ['1.2.3.4::', /DNS/],
    ['::1.2.3', /DNS/],
    ['[::1]', /digits|DNS/],
    ['10.0.0.0/', /prefix/],
    ['10.0.0.0/33', /prefix/],
    ['10.0.0.0/08', /prefix/],
    ['10.0.0.0/-8', /prefix/],
    ['10.0.0.0/8/8', /prefix/],
    ['10.0.0.0/ 8', /prefix/],
    ['10.0.0.1/8', /past the prefix/],
    ['11.0.0.0/7', /past the prefix/],
    ['10.0.0.0/6', /past the prefix/],
    ['fd00::/7', /past the prefix/],
    ['fd00::1/64', /past the prefix/],
    ['::/129', /prefix/],
    ['/8', /before \//],
    ['%/8', /before \//],
    ['10.%/8', /before \//],
    ['fe80::1%eth0/64', /before \//],
    ['example.com/8', /before \//],
    ['10.0.0.0/255.0.255.0', /contiguous/],
    ['10.0.0.0/0.0.0.255', /contiguous/],
    ['10.0.0.0/0.0.0.0', /0\.0\.0\.0/],
    ['10.0.0.1/255.0.0.0', /past the prefix/],
    ['10.0.0.0/255.0.0', /netmask/],
    ['fd00::/ffff::', /prefix/],
    ['fd00::/255.0.0.0', /prefix/],
    ['fe80::1%eth0', /digits, a-f/],
    ['10.0.0.*', /DNS/],
    ['1'.repeat(HOST_PATTERN_MAX_LENGTH + 1), /longer/],
  ])('refuses %j', (text, reason) => {
    let thrown: unknown;
    try {
      parseHostPattern(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toContain(`host pattern '${text}'`);
    expect((thrown as Error).message).toMatch(reason);
  });

  it('refuses what is not a string', () => {
    expect(() => parseHostPattern(8 as unknown as string)).toThrow(Error);
  });
});

describe('host pattern order', () => {
  const order = (texts: string[]) =>
    texts
      .map(parseHostPattern)
      .sort(compareHostPatterns)
      .map((p) => p.text);

  it('puts addresses and networks first, narrowest first, then localhost, patterns, %', () => {
    const sorted = [
      '10.0.0.1',
      '10.1.2.3/32',
      '10.0.0.0/255.255.255.255',
      '10.0.0.0/24',
      '192.168.1.0/255.255.255.0',
      '10.0.0.0/8',
      '::ffff:0:0/96',
      'localhost',
      '192.168.1.%',
      '192.168.%',
      '1%',
      '%1',
      '%',
    ];
    expect(order([...sorted].reverse())).toEqual(sorted);
    expect(order([...sorted.slice(5), ...sorted.slice(0, 5)])).toEqual(sorted);
  });

  it('keeps equally specific patterns in their given order', () => {
    expect(order(['::1', '10.0.0.1'])).toEqual(['::1', '10.0.0.1']);
    expect(order(['10.0.0.1', '::1'])).toEqual(['10.0.0.1', '::1']);
    expect(order(['fd00::/120', '10.0.0.0/24'])).toEqual(['fd00::/120', '10.0.0.0/24']);
    expect(order(['_', '%1'])).toEqual(['_', '%1']);
    expect(order(['%1', '_'])).toEqual(['%1', '_']);
  });

  it('ranks a /24 netmask above a /8 CIDR: width first, then the form', () => {
    expect(order(['10.0.0.0/8', '10.1.0.0/255.255.0.0'])).toEqual([
      '10.1.0.0/255.255.0.0',
      '10.0.0.0/8',
    ]);
    expect(order(['10.0.0.0/255.0.0.0', '10.0.0.0/8'])).toEqual([
      '10.0.0.0/8',
      '10.0.0.0/255.0.0.0',
    ]);
  });

  it('ranks the loopback address above localhost, and localhost above 127.%', () => {
    expect(order(['127.%', 'localhost', '127.0.0.1', '::1'])).toEqual([
      '127.0.0.1',
      '::1',
      'localhost',
      '127.%',
    ]);
  });
});

describe('host pattern properties', () => {
  const likeAlphabet = fc.constantFrom('1', '2', '.', ':', '%', '_');
  const textAlphabet = fc.constantFrom('1', '2', '.', ':');

  it('the wildcard matcher agrees with a slow reference', () => {
    fc.assert(
      fc.property(
        fc.array(likeAlphabet, { maxLength: 9 }).map((a) => a.join('')),
        fc.array(textAlphabet, { maxLength: 12 }).map((a) => a.join('')),
        (pattern, text) => {
          expect(wildcardMatch(pattern, text)).toBe(slowLike(pattern, text));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('wildcard patterns match address text as the reference does, ignoring case', () => {
    const patternChar = fc.constantFrom('1', 'a', 'B', '.', ':', '%', '_');
    const textChar = fc.constantFrom('1', 'a', 'b', 'A', '.', ':');
    fc.assert(
      fc.property(
        fc.array(patternChar, { minLength: 1, maxLength: 8 }).map((a) => a.join('')),
        fc.array(textChar, { maxLength: 10 }).map((a) => a.join('')),
        (text, ip) => {
          fc.pre(/[%_]/.test(text) && (text.includes(':') || !/[aB]/.test(text)));
          const pattern = parseHostPattern(text);
          expect(pattern.matches(ip)).toBe(slowLike(text.toLowerCase(), ip.toLowerCase()));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('stays fast on the worst patterns', () => {
    const pattern = '%1'.repeat(120) + '2';
    const start = performance.now();
    expect(parseHostPattern(pattern).matches('1'.repeat(45))).toBe(false);
    expect(wildcardMatch('%_'.repeat(2000) + '2', '1'.repeat(4000))).toBe(false);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('IPv4 CIDR matching agrees with a bit-level reference', () => {
    fc.assert(
      fc.property(u32, fc.integer({ min: 0, max: 32 }), u32, fc.boolean(), (a, prefix, c, near) => {
        const netBits = bitString(BigInt(a), 32).slice(0, prefix).padEnd(32, '0');
        const net = Number(BigInt('0b' + netBits));
        // Half the time, a client inside the network but for its low bits.
        const client = near
          ? Number(BigInt('0b' + netBits.slice(0, prefix) + bitString(BigInt(c), 32).slice(prefix)))
          : c;
        const expected =
          bitString(BigInt(client), 32).slice(0, prefix) === netBits.slice(0, prefix);
        const pattern = parseHostPattern(`${v4Text(net)}/${prefix}`);
        expect(pattern.matches(v4Text(client))).toBe(expected);
        expect(pattern.matches(`::ffff:${v4Text(client)}`)).toBe(expected);
        if (prefix > 0) {
          const mask = v4Text(Number(BigInt('0b' + '1'.repeat(prefix).padEnd(32, '0'))));
          expect(parseHostPattern(`${v4Text(net)}/${mask}`).matches(v4Text(client))).toBe(expected);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('IPv6 CIDR matching agrees with a bit-level reference, IPv4 clients mapped', () => {
    fc.assert(
      fc.property(
        fc.oneof(u128, sparse128),
        fc.integer({ min: 0, max: 128 }),
        fc.oneof(
          u128,
          u32.map((v) => 0xffff00000000n | BigInt(v)),
        ),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 7 }),
        (a, prefix, c, near, style, run) => {
          const netBits = bitString(a, 128).slice(0, prefix).padEnd(128, '0');
          const net = BigInt('0b' + netBits);
          const client = near
            ? BigInt('0b' + netBits.slice(0, prefix) + bitString(c, 128).slice(prefix))
            : c;
          const expected = bitString(client, 128).slice(0, prefix) === netBits.slice(0, prefix);
          const pattern = parseHostPattern(`${v6Text(net, style, run)}/${prefix}`);
          // A mapped client arrives as IPv4 text, as the server normalises it.
          const mapped = client >> 32n === 0xffffn;
          const clientText = mapped ? v4Text(Number(client & 0xffffffffn)) : v6Text(client, 3, 0);
          expect(pattern.matches(clientText)).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('compares IPv6 addresses as numbers, whatever their spelling', () => {
    fc.assert(
      fc.property(
        fc.oneof(u128, sparse128),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 7 }),
        (value, s1, s2, run) => {
          fc.pre(value >> 32n !== 0xffffn);
          const written = v6Text(value, s1, run);
          const canonical = new URL(`http://[${written}]/`).hostname.slice(1, -1);
          expect(parseHostPattern(written).matches(v6Text(value, s2, run))).toBe(true);
          expect(parseHostPattern(written).matches(canonical)).toBe(true);
          expect(parseHostPattern(canonical).matches(written)).toBe(true);
          expect(parseHostPattern(written).matches(v6Text(value ^ 1n, s2, run))).toBe(false);
        },
      ),
    );
  });

  it('reads exactly the addresses node:net reads', () => {
    const chars = fc.constantFrom('0', '1', 'f', 'F', '2', '5', ':', ':', '.', '.');
    fc.assert(
      fc.property(
        fc.array(chars, { minLength: 1, maxLength: 20 }).map((a) => a.join('')),
        (text) => {
          let form: HostPatternForm | 'refused';
          try {
            form = parseHostPattern(text).form;
          } catch {
            form = 'refused';
          }
          expect([text, form === 'address']).toEqual([text, isIPv4(text) || isIPv6(text)]);
        },
      ),
      { numRuns: 10000 },
    );
  });

  it('compiles junk or refuses it with the documented Error', () => {
    const hostish = fc
      .array(
        fc.constantFrom('1', '0', '9', '2', '5', 'a', 'f', 'l', 'x', '.', ':', '/', '%', '_', ' '),
        {
          maxLength: 24,
        },
      )
      .map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(hostish, fc.string(), fc.string({ unit: 'binary' })), parsesOrRefuses),
      {
        numRuns: 5000,
      },
    );
  });
});
