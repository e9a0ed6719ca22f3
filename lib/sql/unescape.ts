const BACKSLASH = 0x5c;

// As MySQL's get_text: \0 \b \n \r \t \Z become control characters, \% and \_ keep their
// backslash (LIKE needs it), and before anything else the backslash is dropped.
/** Decodes a quoted string body `sql[from, to)`: backslash escapes and doubled quotes. */
export function unescapeString(sql: string, from: number, to: number, quote: number): string {
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
      const replacement = escapeReplacement(sql.charCodeAt(p + 1));
      if (replacement === null) {
        // The escaped character stands for itself: start the next slice on it.
        segment = p + 1;
      } else {
        out += replacement;
        segment = p + 2;
      }
      p += 2;
    } else {
      p++;
    }
  }
  return out + sql.slice(segment, to);
}

function escapeReplacement(c: number): string | null {
  switch (c) {
    case 0x30: // 0
      return '\0';
    case 0x62: // b
      return '\b';
    case 0x6e: // n
      return '\n';
    case 0x72: // r
      return '\r';
    case 0x74: // t
      return '\t';
    case 0x5a: // Z
      return '\x1a';
    case 0x25: // %
      return '\\%';
    case 0x5f: // _
      return '\\_';
    default:
      return null;
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
