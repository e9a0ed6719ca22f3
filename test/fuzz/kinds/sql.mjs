/**
 * Kind `sql`: the text of a COM_QUERY. Seeds are the statements the server
 * answers (CALL, SELECT, SET, USE, SHOW, transactions) and those clients
 * send on their own, with every literal form, comments and quoted
 * identifiers. Mutations work on tokens (drop, repeat, swap, replace with
 * another literal form, cut inside a quote) and on bytes (invalid UTF-8,
 * NUL, big repeats up to a bound). Runs on a logged-in connection, so user
 * variables and transaction state carry from one input to the next.
 */
import { mutateBytes } from '../core/mutate.mjs';
import { COM, frameLogical } from '../core/wire.mjs';

export const SQL_SEEDS = [
  'CALL myadd(3,4)',
  'call myadd(3, 4);',
  'CALL rpc.myadd(1,2)',
  'CALL `rpc`.`myadd`(1,2)',
  'CALL MyAdd(-1, +2)',
  'CALL myadd(1.5, 2e3)',
  "CALL myadd(0x10, b'101')",
  "CALL myadd(X'0a', 0b11)",
  'CALL myadd(\'3\', "4")',
  "CALL myadd(N'3', _utf8mb4'4')",
  "CALL myadd(_binary'1', _latin1 X'41')",
  'CALL myadd(NULL, TRUE)',
  'CALL myadd(FALSE, 18446744073709551615)',
  'CALL myadd(-9223372036854775808, 99999999999999999999999)',
  'CALL myadd(@a, @b)',
  "CALL myadd(@`a b`, @'c')",
  'CALL myadd(1)',
  'CALL myadd(1,2,3)',
  'CALL myadd(1,2);;',
  'CALL myadd(1,2) -- trailing\n',
  'CALL /* c */ myadd(1,2) # c',
  "CALL myadd('it''s', 'a\\'b\\n\\0\\Z\\%\\_\\\\')",
  "CALL myadd('\u{1F600}', '\u00e9')",
  'CALL whoami()',
  'CALL whoami',
  'CALL series(3)',
  'CALL series(0)',
  'CALL numbers(5)',
  'CALL stats()',
  'CALL touch(3)',
  "CALL touch('x')",
  "CALL fail('dup')",
  "CALL fail('rpc')",
  "CALL fail('x')",
  'CALL nope()',
  'CALL other.myadd(1,2)',
  'CALL myadd(1,2) /*! extra */',
  '/*!50000 CALL myadd(1,2) */',
  'SELECT 1',
  'select @@version_comment limit 1',
  'SELECT @@version, @@session.autocommit, @@global.max_allowed_packet',
  'select DATABASE(), USER() limit 1',
  'select @@character_set_client, @@character_set_connection, @@character_set_server, @@collation_connection limit 1',
  'SELECT @@session.auto_increment_increment AS auto_increment_increment, @@character_set_client AS character_set_client, @@wait_timeout AS wait_timeout, @@sql_mode AS sql_mode',
  'SELECT VERSION(), CONNECTION_ID(), LAST_INSERT_ID(), NOW(), CURRENT_USER(), SCHEMA()',
  "SELECT 'a' AS x, 1.5 y, NULL, TRUE, -0, 0x41, b'1', X'', N'x'",
  'SELECT -1e308, 1e-400, .5, 5., 00012, 1e309',
  'SELECT @@nope',
  'SELECT @a, @`b`, @@SESSION.wait_timeout',
  'SELECT 1 LIMIT 0',
  'SELECT 1 LIMIT 1, 2',
  'SELECT 1 FROM dual',
  '(SELECT 1)',
  '((SELECT 1) UNION (SELECT 2))',
  '/* ping */ SELECT 1',
  "SELECT _latin1'x' COLLATE latin1_bin",
  'SET NAMES utf8mb4',
  "SET NAMES 'utf8mb4' COLLATE 'utf8mb4_general_ci'",
  'SET autocommit=1',
  'SET AUTOCOMMIT = 0',
  'SET character_set_results = NULL',
  "SET SESSION sql_mode='STRICT_TRANS_TABLES'",
  "SET autocommit=1, sql_mode = concat(@@sql_mode, ',STRICT_TRANS_TABLES'), NAMES utf8mb4",
  'SET @a = 1',
  "SET @a := 'x', @b = @a",
  'SET @c = 1 + 2',
  "SET @d = X'ff', @e = NULL, @f = -1.5e3",
  'SET @@session.wait_timeout = 10',
  'SET TRANSACTION ISOLATION LEVEL READ COMMITTED',
  'USE rpc',
  'USE `rpc`',
  'USE nope',
  'use `a``b`',
  'SHOW WARNINGS',
  'SHOW WARNINGS LIMIT 1, 2',
  // Account statements (the logged-in account is testuser: not an admin).
  'SHOW GRANTS',
  'SHOW GRANTS FOR CURRENT_USER()',
  "SHOW GRANTS FOR 'testuser'@'%'",
  "SHOW GRANTS FOR 'root'@'localhost'",
  "SHOW GRANTS FOR 'nobody'@'%' /* c */",
  'SHOW GRANTS FOR `app`@`%` USING `reporting`',
  'FLUSH HOSTS',
  'FLUSH PRIVILEGES',
  'FLUSH LOCAL HOSTS, PRIVILEGES;',
  'FLUSH NO_WRITE_TO_BINLOG PRIVILEGES',
  'FLUSH TABLES',
  'flush',
  "SHOW VARIABLES LIKE 'lower_case_table_names'",
  'SHOW DATABASES',
  'SHOW CREATE PROCEDURE rpc.myadd',
  'START TRANSACTION',
  'START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT',
  'BEGIN',
  'BEGIN WORK',
  'COMMIT',
  'COMMIT AND NO CHAIN NO RELEASE',
  'ROLLBACK',
  'ROLLBACK WORK AND CHAIN',
  'ROLLBACK TO SAVEPOINT s',
  'SAVEPOINT s',
  '',
  ' ',
  ';',
  ';;',
  'select',
  '/* unterminated',
  "CALL myadd('unterminated",
  'INSERT INTO t VALUES (1)',
  'KILL QUERY 1',
  'WITH a AS (SELECT 1) SELECT * FROM a',
  'SELECT 1; SELECT 2',
  '\0',
];

/** Tokens of the dictionary: literal forms, keywords, punctuation, comments. */
const TOKENS = [
  'CALL',
  'SELECT',
  'SET',
  'USE',
  'SHOW',
  'START',
  'TRANSACTION',
  'BEGIN',
  'COMMIT',
  'ROLLBACK',
  'WORK',
  'AND',
  'NO',
  'CHAIN',
  'RELEASE',
  'WARNINGS',
  'LIMIT',
  'OFFSET',
  'AS',
  'FROM',
  'DUAL',
  'NAMES',
  'COLLATE',
  'SESSION',
  'GLOBAL',
  'LOCAL',
  'NULL',
  'TRUE',
  'FALSE',
  'myadd',
  'whoami',
  'series',
  'numbers',
  'stats',
  'touch',
  'fail',
  'rpc',
  '`myadd`',
  '`a``b`',
  '``',
  '"q"',
  "'s'",
  "''",
  "'a''b'",
  "'\\''",
  "'\\0\\n\\r\\t\\Z\\\\'",
  "N'x'",
  "_utf8mb4'x'",
  "_binary'x'",
  "_latin1'x'",
  "X'00ff'",
  "x''",
  "X'f'",
  '0x',
  '0x0',
  '0xfg',
  "b'0101'",
  "B''",
  '0b',
  '0b102',
  '0',
  '1',
  '-1',
  '+1',
  '007',
  '1.',
  '.5',
  '1e',
  '1e+',
  '1e-5',
  '1E308',
  '1e999',
  '9'.repeat(40),
  '18446744073709551616',
  '-9223372036854775809',
  '@a',
  '@@version',
  '@@session.autocommit',
  '@',
  '@@',
  '@`x`',
  "@'x'",
  '@"x"',
  '@@GLOBAL.',
  '(',
  ')',
  ',',
  '.',
  ';',
  '=',
  ':=',
  '+',
  '-',
  '*',
  '/',
  '!',
  '?',
  '{',
  '}',
  '\\',
  '--',
  '-- x\n',
  '#x\n',
  '/*',
  '*/',
  '/* c */',
  '/*!',
  '/*!50000',
  '/*!99999 x */',
  '/*+ hint */',
  '\n',
  '\r\n',
  '\t',
  ' ',
  '\u00a0',
  '\u{1F600}',
  '\u00e9',
  '\u2028',
  'DATABASE()',
  'USER()',
  'NOW(3)',
  'CONNECTION_ID()',
  'VERSION()',
  '%s',
  'undefined',
];

/** Byte sequences that are not valid UTF-8, and friends. */
const BAD_UTF8 = [
  [0xc3, 0x28],
  [0xff],
  [0xfe],
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
  [0x80],
  [0x00],
  [0xef, 0xbb, 0xbf],
].map((b) => Buffer.from(b));

const latin1 = (s) => Buffer.from(s, 'utf8').toString('latin1');
const TOKENS_L1 = TOKENS.map(latin1);

// Quoted strings and comments are written as unrolled loops: no backtracking per character.
const TOKEN_RE =
  /\s+|--[^\n]*|#[^\n]*|\/\*[^*]*\*+(?:[^/*][^*]*\*+)*\/|\/\*[\s\S]*|'[^'\\]*(?:(?:\\[\s\S]|'')[^'\\]*)*'?|"[^"\\]*(?:(?:\\[\s\S]|"")[^"\\]*)*"?|`[^`]*(?:``[^`]*)*`?|0x[0-9a-fA-F]*|0b[01]*|[xXbBnN]'[^']*'?|@@?[\w.$]*|\d+(?:\.\d*)?(?:[eE][+-]?\d*)?|\.\d+|\w+|[\s\S]/g;

/** Splits SQL (as latin1, one char per byte) into tokens; joining them gives the bytes back. */
export function tokenize(text) {
  try {
    return text.match(TOKEN_RE) ?? [];
  } catch {
    // A pathological input for the RegExp engine: whitespace-separated pieces will do.
    return text.split(/(\s+)/);
  }
}

export function mutateTokens(rng, bytes, ctx) {
  let toks = tokenize(bytes.toString('latin1'));
  const op = rng.weighted([
    [3, 'replace'],
    [3, 'insert'],
    [2, 'delete'],
    [1, 'swap'],
    [2, 'repeat'],
    [1, 'splice'],
    [1, 'case'],
    [1, 'cutQuote'],
    [1, 'wrap'],
  ]);
  const i = rng.below(toks.length + 1);
  switch (op) {
    case 'replace':
      if (toks.length > 0) toks[Math.min(i, toks.length - 1)] = rng.pick(TOKENS_L1);
      break;
    case 'insert':
      toks.splice(i, 0, rng.pick(TOKENS_L1), rng.chance(0.5) ? ' ' : '');
      break;
    case 'delete':
      toks.splice(i, rng.int(1, 3));
      break;
    case 'swap': {
      const j = rng.below(toks.length);
      if (toks.length > 1 && i < toks.length) [toks[i], toks[j]] = [toks[j], toks[i]];
      break;
    }
    case 'repeat': {
      if (toks.length === 0) break;
      const k = Math.min(i, toks.length - 1);
      const piece = toks.slice(k, k + rng.int(1, 4)).join('') || ' ';
      const big = rng.chance(0.05);
      const times = big ? Math.floor(rng.size(ctx.bigBytes) / piece.length) + 1 : rng.int(2, 64);
      toks.splice(k, 0, piece.repeat(Math.max(1, times)));
      break;
    }
    case 'splice': {
      const o = tokenize(ctx.other().toString('latin1'));
      const j = rng.below(o.length + 1);
      toks = toks.slice(0, i).concat(o.slice(j));
      break;
    }
    case 'case':
      if (toks.length > 0) {
        const k = Math.min(i, toks.length - 1);
        toks[k] = rng.chance(0.5) ? toks[k].toUpperCase() : toks[k].toLowerCase();
      }
      break;
    case 'cutQuote': {
      const q = toks.findIndex((t) => /^['"`]/.test(t) || t.startsWith('/*'));
      if (q >= 0) toks[q] = toks[q].slice(0, Math.max(1, rng.below(toks[q].length)));
      break;
    }
    case 'wrap':
      toks.splice(i, 0, rng.pick(['(', '/*', "'", '"', '`', '/*!']));
      break;
  }
  const out = Buffer.from(toks.join(''), 'latin1');
  return out.length > ctx.maxBytes ? out.subarray(0, ctx.maxBytes) : out;
}

/** MySQL's backslash escapes in a quoted string (\% and \_ keep their backslash). */
const ESCAPES = { 0: '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a', '%': '\\%', _: '\\_' };

/** The value of a quoted string body, computed here independently of the server's lexer. */
export function unescapeBody(body, quote) {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\' && i + 1 < body.length) {
      const n = body[++i];
      out += ESCAPES[n] ?? n;
    } else if (c === quote && body[i + 1] === quote) {
      out += quote;
      i++;
    } else out += c;
  }
  return out;
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);

/**
 * For `SELECT 'text'` (one plain string literal, optional `;`): the one cell
 * MySQL returns, else null. A scanner, not a RegExp: statements run to MiBs.
 */
export function literalSelectValue(bytes) {
  const text = bytes.toString('utf8');
  const n = text.length;
  let i = 0;
  const skipSpace = () => {
    while (i < n && WHITESPACE.has(text.charCodeAt(i))) i++;
  };
  skipSpace();
  if (text.slice(i, i + 6).toUpperCase() !== 'SELECT') return null;
  i += 6;
  skipSpace();
  const q = text[i];
  if (q !== "'" && q !== '"') return null;
  i++;
  const parts = [];
  for (;;) {
    if (i >= n) return null;
    const c = text[i];
    if (c === '\\') {
      if (i + 1 >= n) return null;
      const e = text[i + 1];
      parts.push(ESCAPES[e] ?? e);
      i += 2;
    } else if (c === q) {
      if (text[i + 1] !== q) break;
      parts.push(q);
      i += 2;
    } else {
      let j = i;
      while (j < n && text[j] !== q && text[j] !== '\\') j++;
      parts.push(text.slice(i, j));
      i = j;
    }
  }
  i++;
  skipSpace();
  if (text[i] === ';') i++;
  skipSpace();
  return i === n ? Buffer.from(parts.join(''), 'utf8') : null;
}

/** Multibyte sequences (valid and not) to put across a decode slice boundary. */
const STRADDLE = ['\u00e9', '\u20ac', '\u{1F600}', '\u{10FFFF}', '\uFFFD']
  .map((c) => Buffer.from(c, 'utf8'))
  .concat(BAD_UTF8);

/**
 * Statements past the server's large-statement threshold (`ctx.sliceBytes`,
 * read from lib/session/sliced-decode.ts): decoded in slices and parsed off
 * the event loop. Multibyte characters straddle slice boundaries; long
 * strings take the escaped-literal path; argument and item counts hit limits.
 */
function huge(rng, ctx) {
  const slice = ctx.sliceBytes;
  const total = Math.min(ctx.maxBytes, slice * rng.int(1, 3) + rng.int(-8, 8));
  const open = rng.pick(["SELECT '", 'SELECT "', "CALL myadd('", "SET @big = '", "SELECT 1, '"]);
  const close = open.endsWith('"') ? '"' : open.startsWith('CALL') ? "', 1)" : "'";
  switch (rng.below(5)) {
    case 0: {
      // Filler, then a multibyte sequence right across a slice boundary (offset 1 = the command byte).
      const body = Buffer.alloc(Math.max(0, total - open.length - close.length), 0x61);
      const seq = rng.pick(STRADDLE);
      for (let b = slice - 1 - open.length; b > 0 && b < body.length; b += slice) {
        const at = Math.max(0, Math.min(body.length - seq.length, b - rng.below(seq.length + 1)));
        seq.copy(body, at);
      }
      return Buffer.concat([Buffer.from(open), body, Buffer.from(close)]);
    }
    case 1: {
      // Escapes by the million: the long-literal unescape path.
      const unit = rng
        .pick(['\\n', "''", '\\%', '\\\\', '\\0', 'x\\_', '\u00e9\\t', "\\'"])
        .replace("''", open.endsWith('"') ? '""' : "''");
      const n = Math.max(1, Math.floor((total - open.length) / Buffer.byteLength(unit)));
      return Buffer.from(open + unit.repeat(n) + close, 'utf8');
    }
    case 2:
      return Buffer.from(`CALL myadd(${'1,'.repeat(rng.pick([65534, 65535, 65536]))}1)`);
    case 3:
      return Buffer.from(`SELECT ${'1,'.repeat(rng.pick([4095, 4096]))}1`);
    default: {
      // A long comment or run of spaces before an ordinary statement.
      const tail = rng.pick(SQL_SEEDS);
      const pad = rng.chance(0.5) ? ' '.repeat(total) : `/*${'c'.repeat(total)}*/ `;
      return Buffer.from(pad + tail, 'utf8');
    }
  }
}

/** Reply-changing inputs that cannot be compared run to run (time, memory, streams). */
const UNSTABLE =
  /now|stats|sysdate|curtime|current_time|timestamp|uptime|numbers|series\(\s*\d{4}/i;

function mutateRawSql(rng, bytes, ctx) {
  if (rng.chance(0.4)) {
    const at = rng.below(bytes.length + 1);
    const bad = rng.pick(BAD_UTF8);
    return Buffer.concat([bytes.subarray(0, at), bad, bytes.subarray(at)]);
  }
  return mutateBytes(rng, bytes, ctx);
}

export default {
  name: 'sql',
  description: 'SQL text in COM_QUERY',
  weight: 4,
  session: 'logged-in',
  seeds(ctx) {
    const texts = [...SQL_SEEDS];
    for (const c of ctx.captured.commands) {
      const p = Buffer.from(c.hex, 'hex');
      if (p[0] === COM.QUERY) texts.push(p.subarray(1).toString('utf8'));
    }
    return texts.map((t) => ({ bytes: Buffer.from(t, 'utf8') }));
  },
  mutate(rng, entry, ctx) {
    if (rng.chance(ctx.hugeChance)) return { bytes: huge(rng, ctx) };
    let bytes = entry.bytes;
    for (let n = rng.int(1, 3); n > 0; n--) {
      bytes = rng.chance(0.65) ? mutateTokens(rng, bytes, ctx) : mutateRawSql(rng, bytes, ctx);
    }
    return { bytes };
  },
  /** One COM_QUERY (split into 16 MiB chunks if it is that big). */
  wire: (bytes) => frameLogical(0, Buffer.concat([Buffer.from([COM.QUERY]), bytes])),
  /** `SELECT 'text'` must come back as exactly that text (as MySQL unescapes it). */
  check(out, entry) {
    const expected = literalSelectValue(entry.bytes);
    if (expected === null) return null;
    const e = out.errors[0];
    if (e && e.code === 1064)
      return `a valid SELECT of one string literal got ERR 1064: ${e.message.slice(0, 120)}`;
    const cell = out.firstRow?.[0];
    if (!cell || e) return null;
    if (!cell.equals(expected)) {
      let at = 0;
      while (at < cell.length && cell[at] === expected[at]) at++;
      return (
        `SELECT of a ${expected.length}-byte string literal returned ${cell.length} bytes, ` +
        `first difference at byte ${at}: got ${cell.subarray(at, at + 8).toString('hex')}, ` +
        `expected ${expected.subarray(at, at + 8).toString('hex')}`
      );
    }
    return null;
  },
  /**
   * A twin that must get the very same reply: the statement behind enough
   * leading spaces to pass the large-statement threshold (sliced decode,
   * off-thread parse), against the same session.
   */
  variant(bytes, ctx) {
    if (UNSTABLE.test(bytes.toString('latin1'))) return null;
    const pad = Math.max(0, ctx.sliceBytes + 1 - bytes.length) + 64;
    return Buffer.concat([Buffer.alloc(pad, 0x20), bytes]);
  },
};
