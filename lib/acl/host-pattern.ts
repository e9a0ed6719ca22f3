/**
 * How a host pattern was written, which decides how it matches and where it sorts:
 * `address` (one IPv4 or IPv6 address), `cidr` (`10.0.0.0/8`, `fd00::/8`), `netmask`
 * (`10.0.0.0/255.0.0.0`), `localhost`, `wildcard` (`192.168.%`, `10.0.0._`) or `any` (`%`).
 */
export type HostPatternForm = 'address' | 'cidr' | 'netmask' | 'localhost' | 'wildcard' | 'any';

/** The host part of an account, `'user'@'host'`, compiled: which client addresses it admits. */
export interface HostPattern {
  /** The pattern as configured: what CURRENT_USER() and SHOW GRANTS print. */
  readonly text: string;
  /** How it was written. */
  readonly form: HostPatternForm;
  /**
   * Specificity, compared element by element with {@link compareHostPatterns}: the
   * smaller key is the more specific pattern and sorts first.
   */
  readonly sortKey: readonly [number, number, number];
  /**
   * Whether a client at `ip` matches. `ip` is the peer address as the server normalised
   * it (an IPv4-mapped `::ffff:1.2.3.4` arrives as `1.2.3.4`); anything that is not an
   * address matches only the wildcard forms.
   */
  matches(ip: string): boolean;
}

/** Longest Host value MySQL 8 stores (mysql.user.Host is CHAR(255)). */
export const HOST_PATTERN_MAX_LENGTH = 255;

// Sort tiers. MySQL's ACL_USER_compare puts every host that holds an IP address (plain,
// CIDR or netmask) before all the others, which it orders by get_sort().
const TIER_ADDRESS = 0;
const TIER_TEXT = 1;
// Ties between networks of one width: ip_mask_type_implicit < _cidr < _subnet in MySQL.
const ORDER_ADDRESS = 0;
const ORDER_CIDR = 1;
const ORDER_NETMASK = 2;
// Within the text tier: a literal (get_sort's 128) before patterns, `%` (get_sort's 1) last.
const ORDER_LITERAL = 0;
const ORDER_PATTERN = 1;
const ORDER_ANY = 2;

const MAPPED_PREFIX = 0xffff00000000n;
const LOOPBACK_V6 = 1n;
const V4_BITS = 32;
const V6_BITS = 128;

const PERCENT = 0x25;
const UNDERSCORE = 0x5f;
const DOT = 0x2e;
const COLON = 0x3a;

/** An IP address: `v6` says which family, `value` is its bits. */
interface Address {
  readonly v6: boolean;
  readonly value: bigint;
}

/**
 * Parses the host part of an account. Accepted forms:
 *
 * - an IPv4 address (`10.0.0.1`, no leading zeros) or an IPv6 address in any standard
 *   spelling, compared as numbers (`::1` is `0:0:0:0:0:0:0:1`);
 * - `localhost`, any case: MySQL's name for the local host, which it matches against
 *   socket connections and resolved host names. This server listens on TCP only and does
 *   no DNS, so it reads `localhost` as any loopback address: 127.0.0.0/8 and ::1;
 * - `%` (any client) and patterns with `%` (any run of characters) and `_` (one
 *   character), matched case-insensitively against the client's address text as the
 *   server prints it (`192.168.%`, `10.0.0._`, `fd00:%`);
 * - CIDR, `10.0.0.0/8` or `fd00::/8` (an IPv6 network sees an IPv4 client as
 *   `::ffff:a.b.c.d`), and MySQL's `10.0.0.0/255.0.0.0` (IPv4, contiguous mask, not
 *   0.0.0.0).
 *
 * Anything else throws an Error naming the pattern: host names (the server does no DNS,
 * so they could never match), malformed addresses and prefixes, network addresses with
 * bits set past the prefix, the empty string.
 */
export function parseHostPattern(text: string): HostPattern {
  if (typeof text !== 'string') throw new Error('host pattern must be a string');
  const fail = (why: string): never => {
    throw new Error(`host pattern '${text}': ${why}`);
  };
  if (text === '') fail('empty; write % for any host');
  if (text.length > HOST_PATTERN_MAX_LENGTH) fail(`longer than ${HOST_PATTERN_MAX_LENGTH}`);
  if (text === '%') return anyHost(text);
  if (asciiLower(text) === 'localhost') return localhost(text);
  const slash = text.indexOf('/');
  if (slash !== -1) return network(text, slash, fail);
  if (text.includes('%') || text.includes('_')) return wildcard(text, fail);
  const address =
    parseAddress(text) ?? fail('not an IP address, localhost or pattern (the server does no DNS)');
  return exact(text, address);
}

/** Orders two host patterns: negative when `a` is the more specific and sorts first. */
export function compareHostPatterns(a: HostPattern, b: HostPattern): number {
  const x = a.sortKey;
  const y = b.sortKey;
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/**
 * Matches `text` against a MySQL LIKE-style `pattern` (`%` any run, `_` one character),
 * both already in one case. Greedy with one backtrack point, the last `%`: O(n·m) at
 * worst, never exponential, whatever the client sends.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const c = pattern.charCodeAt(p);
    if (p < pattern.length && (c === UNDERSCORE || c === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (p < pattern.length && c === PERCENT) {
      star = p++;
      resume = t;
    } else if (star !== -1) {
      // Let the last % swallow one more character and retry what follows it.
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern.charCodeAt(p) === PERCENT) p++;
  return p === pattern.length;
}

/** The address `ip` names, or undefined; a `%zone` suffix is ignored. */
function parseAddress(ip: string): Address | undefined {
  const zone = ip.indexOf('%');
  const bare = zone === -1 ? ip : ip.slice(0, zone);
  if (bare.includes(':')) {
    const value = parseIPv6(bare);
    return value === undefined ? undefined : { v6: true, value };
  }
  const value = parseIPv4(bare);
  return value === undefined ? undefined : { v6: false, value };
}

function anyHost(text: string): HostPattern {
  return { text, form: 'any', sortKey: [TIER_TEXT, ORDER_ANY, 0], matches: () => true };
}

function localhost(text: string): HostPattern {
  return {
    text,
    form: 'localhost',
    sortKey: [TIER_TEXT, ORDER_LITERAL, 0],
    matches(ip) {
      const client = clientAddress(ip);
      if (!client) return false;
      return client.v6 ? client.value === LOOPBACK_V6 : client.value >> 24n === 127n;
    },
  };
}

function exact(text: string, address: Address): HostPattern {
  return {
    text,
    form: 'address',
    sortKey: [TIER_ADDRESS, 0, ORDER_ADDRESS],
    matches: (ip) => inNetwork(ip, address, 0),
  };
}

/** `address/prefix` or `address/netmask`, from the `/` at `slash`. */
function network(text: string, slash: number, fail: (why: string) => never): HostPattern {
  const notAddress = (): never => fail('the part before / must be an IP address');
  const address = text.includes('%')
    ? notAddress()
    : (parseAddress(text.slice(0, slash)) ?? notAddress());
  const { v6, value } = address;
  const width = v6 ? V6_BITS : V4_BITS;
  const suffix = text.slice(slash + 1);
  let hostBits: number;
  let form: 'cidr' | 'netmask';
  if (!v6 && suffix.includes('.')) {
    const mask = parseIPv4(suffix) ?? fail('the netmask must be an IPv4 address');
    hostBits = contiguousHostBits(mask) ?? fail('the netmask must be contiguous ones then zeros');
    // As MySQL's calc_ip_mask: a mask of 0.0.0.0 is no mask.
    if (hostBits === V4_BITS) fail('a netmask of 0.0.0.0 is not allowed');
    form = 'netmask';
  } else {
    const prefix = parsePrefix(suffix) ?? width + 1;
    if (prefix > width) fail(`the prefix must be a number from 0 to ${width}`);
    hostBits = width - prefix;
    form = 'cidr';
  }
  if (value & ((1n << BigInt(hostBits)) - 1n)) fail('the address has bits set past the prefix');
  return {
    text,
    form,
    // Fewer host bits is a smaller network; an IPv4 network is ranked in IPv6 terms (its
    // mapped /96+prefix), so v4 and v6 widths compare as the sets they admit.
    sortKey: [TIER_ADDRESS, hostBits, form === 'cidr' ? ORDER_CIDR : ORDER_NETMASK],
    matches: (ip) => inNetwork(ip, address, hostBits),
  };
}

function wildcard(text: string, fail: (why: string) => never): HostPattern {
  let letters = false;
  let colon = false;
  let first = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === PERCENT || c === UNDERSCORE) {
      if (first === -1) first = i;
    } else if (c === COLON) {
      colon = true;
    } else if (isHexLetter(c)) {
      letters = true;
    } else if (!isDecimal(c) && c !== DOT) {
      fail('patterns match address text: digits, a-f, ., :, % and _ only');
    }
  }
  // MySQL's hostname_requires_resolving(): letters without a colon make a host name.
  if (letters && !colon) fail('a host name pattern, and the server does no DNS');
  const pattern = asciiLower(text);
  return {
    text,
    form: 'wildcard',
    // get_sort(): the longer the literal run before the first wildcard, the more specific.
    sortKey: [TIER_TEXT, ORDER_PATTERN, 0 - first],
    matches: (ip) => wildcardMatch(pattern, asciiLower(ip)),
  };
}

/** Whether the client at `ip` is in the network `net` with `hostBits` free bits. */
function inNetwork(ip: string, net: Address, hostBits: number): boolean {
  const client = clientAddress(ip);
  if (!client) return false;
  let value = client.value;
  if (net.v6 && !client.v6) value |= MAPPED_PREFIX;
  else if (!net.v6 && client.v6) return false;
  const shift = BigInt(hostBits);
  return value >> shift === net.value >> shift;
}

/** The client's address, an IPv4-mapped IPv6 one read as IPv4 should it arrive unmapped. */
function clientAddress(ip: string): Address | undefined {
  const address = parseAddress(ip);
  if (address?.v6 && address.value >> 32n === 0xffffn) {
    return { v6: false, value: address.value & 0xffffffffn };
  }
  return address;
}

/** A dotted quad, four decimal numbers 0-255 without leading zeros, as a 32-bit value. */
function parseIPv4(text: string): bigint | undefined {
  let value = 0;
  let parts = 0;
  let from = 0;
  while (parts < 4) {
    const end = parts < 3 ? text.indexOf('.', from) : text.length;
    if (end === -1) return undefined;
    const part = parseDecimal(text, from, end, 3);
    if (part === undefined || part > 255) return undefined;
    value = value * 256 + part;
    parts++;
    from = end + 1;
  }
  return BigInt(value);
}

/** An IPv6 address in any RFC 4291 spelling (`::` once, an IPv4 tail), as a 128-bit value. */
function parseIPv6(text: string): bigint | undefined {
  const gap = text.indexOf('::');
  if (gap !== -1 && text.indexOf('::', gap + 1) !== -1) return undefined;
  const head = groups(gap === -1 ? text : text.slice(0, gap), gap === -1);
  const tail = gap === -1 ? [] : groups(text.slice(gap + 2), true);
  if (!head || !tail) return undefined;
  const count = head.length + tail.length;
  // Without `::` all eight groups are written; `::` stands for at least one.
  if (gap === -1 ? count !== 8 : count > 7) return undefined;
  let value = 0n;
  for (const g of head) value = (value << 16n) | BigInt(g);
  value <<= 16n * BigInt(8 - count);
  for (const g of tail) value = (value << 16n) | BigInt(g);
  return value;
}

/** The 16-bit groups of one side of `::`; the last may be an IPv4 address when `v4Tail`. */
function groups(text: string, v4Tail: boolean): number[] | undefined {
  if (text === '') return [];
  const out: number[] = [];
  let from = 0;
  for (;;) {
    const end = text.indexOf(':', from);
    const last = end === -1;
    const stop = last ? text.length : end;
    if (last && v4Tail && text.indexOf('.', from) !== -1) {
      const v4 = parseIPv4(text.slice(from));
      if (v4 === undefined) return undefined;
      out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      return out;
    }
    const group = parseHexGroup(text, from, stop);
    if (group === undefined || out.length === 8) return undefined;
    out.push(group);
    if (last) return out;
    from = end + 1;
  }
}

function parseHexGroup(text: string, from: number, to: number): number | undefined {
  if (to <= from || to - from > 4) return undefined;
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    const digit = isDecimal(c) ? c - 0x30 : isHexLetter(c) ? (c | 0x20) - 0x57 : -1;
    if (digit === -1) return undefined;
    value = value * 16 + digit;
  }
  return value;
}

/** A prefix length: decimal digits without leading zeros. */
function parsePrefix(text: string): number | undefined {
  return parseDecimal(text, 0, text.length, 3);
}

/** Decimal digits `text[from, to)`, at most `maxDigits`, no leading zero but for `0` itself. */
function parseDecimal(
  text: string,
  from: number,
  to: number,
  maxDigits: number,
): number | undefined {
  if (to <= from || to - from > maxDigits) return undefined;
  if (text.charCodeAt(from) === 0x30 && to - from > 1) return undefined;
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (!isDecimal(c)) return undefined;
    value = value * 10 + c - 0x30;
  }
  return value;
}

/** How many low zero bits a netmask has, or undefined when its ones are not contiguous. */
function contiguousHostBits(mask: bigint): number | undefined {
  const free = ~mask & 0xffffffffn;
  if (free & (free + 1n)) return undefined;
  return free === 0n ? 0 : free.toString(2).length;
}

function isDecimal(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHexLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** `text` with ASCII letters lowered: the only letters an address holds. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) | 0x20));
}
