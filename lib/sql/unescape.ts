import { Buffer } from 'node:buffer';

const BACKSLASH = 0x5c;

/** Bodies at least this long are decoded into one buffer rather than by concatenation. */
const BUFFERED_FROM = 4096;

// As MySQL's get_text: \0 \b \n \r \t \Z become control characters, \% and \_ keep their
// backslash (LIKE needs it), and before anything else the backslash is dropped.
/** Decodes a quoted string body `sql[from, to)`: backslash escapes and doubled quotes. */
export function unescapeString(sql: string, from: number, to: number, quote: number): string {
  return to - from < BUFFERED_FROM
    ? unescapeByConcat(sql, from, to, quote)
    : unescapeIntoBuffer(sql, from, to, quote);
}

// Short bodies: slices joined with +=, which is fastest when escapes are few.
function unescapeByConcat(sql: string, from: number, to: number, quote: number): string {
  let out = '';
  let segment = from;
  let p = from;
  while (p < to) {
    const c = sql.charCodeAt(p);
    if (c === quote) {
      // The lexer only lets a quote through doubled: keep the first, skip the second.
      out += sql.slice(segment, p + 1);
      p += 2;
      segment = p;
    } else if (c === BACKSLASH) {
      out += sql.slice(segment, p);
      const code = escapeCode(sql.charCodeAt(p + 1));
      if (code === -1) {
        // The escaped character stands for itself: start the next slice on it.
        segment = p + 1;
      } else {
        out += code === KEEP_BACKSLASH ? sql.slice(p, p + 2) : String.fromCharCode(code);
        segment = p + 2;
      }
      p += 2;
    } else {
      p++;
    }
  }
  return out + sql.slice(segment, to);
}

// Long bodies: += over millions of escapes would build a rope of millions of
// nodes (tens of bytes each, a GB for a 64 MiB statement). One UTF-16 buffer
// of the body's length bounds the work to one pass and the memory to twice
// the body.
function unescapeIntoBuffer(sql: string, from: number, to: number, quote: number): string {
  const out = new Uint16Array(to - from);
  let o = 0;
  let p = from;
  while (p < to) {
    const c = sql.charCodeAt(p);
    if (c === quote) {
      out[o++] = c;
      p += 2;
    } else if (c === BACKSLASH) {
      const next = sql.charCodeAt(p + 1);
      const code = escapeCode(next);
      // \% and \_ keep their backslash; every other escape is one character.
      if (code === KEEP_BACKSLASH) out[o++] = BACKSLASH;
      out[o++] = code < 0 ? next : code;
      p += 2;
    } else {
      out[o++] = c;
      p++;
    }
  }
  return Buffer.from(out.buffer, out.byteOffset, o * 2).toString('utf16le');
}

const KEEP_BACKSLASH = -2;

/** The character an escape stands for; -1 for itself, KEEP_BACKSLASH for itself after a backslash. */
function escapeCode(c: number): number {
  switch (c) {
    case 0x30: // 0
      return 0;
    case 0x62: // b
      return 8;
    case 0x6e: // n
      return 10;
    case 0x72: // r
      return 13;
    case 0x74: // t
      return 9;
    case 0x5a: // Z
      return 0x1a;
    case 0x25: // %
    case 0x5f: // _
      return KEEP_BACKSLASH;
    default:
      return -1;
  }
}

/** Decodes a back-quoted identifier body `sql[from, to)`: doubled back quotes collapse. */
export function unescapeQuotedIdent(sql: string, from: number, to: number): string {
  let out = '';
  let segment = from;
  for (let p = sql.indexOf('`', from); p !== -1 && p < to; p = sql.indexOf('`', p + 2)) {
    out += sql.slice(segment, p + 1);
    segment = p + 2;
  }
  return out + sql.slice(segment, to);
}
