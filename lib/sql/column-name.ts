import { isSpaceOrControl } from './char-codes.js';

// MySQL's MAX_ALIAS_NAME. A name converted from the client's character set keeps one byte
// less (sql_strmake_with_convert reserves its NUL); an alias, already in the system
// character set, is cut at MAX_ALIAS_NAME itself (Name_string::copy).
const MAX_ALIAS_NAME = 256;
const QUESTION = '?';

/**
 * The column name MySQL makes of `text` (Name_string::copy): leading blanks and control
 * characters dropped, characters outside the BMP written as `?` (names are kept in
 * utf8mb3), and cut at a character boundary to 255 bytes of UTF-8, or 256 for an alias.
 */
export function columnName(text: string, alias: boolean): string {
  const maxBytes = alias ? MAX_ALIAS_NAME : MAX_ALIAS_NAME - 1;
  const len = text.length;
  let start = 0;
  while (start < len && isSpaceOrControl(text.charCodeAt(start))) start++;
  let out = '';
  let segment = start;
  let bytes = 0;
  let p = start;
  while (p < len) {
    const c = text.charCodeAt(p);
    const surrogate = c >= 0xd800 && c <= 0xdfff;
    const size = c < 0x80 || surrogate ? 1 : c < 0x800 ? 2 : 3;
    if (bytes + size > maxBytes) break;
    bytes += size;
    if (surrogate) {
      // A pair is one character, and one `?`; a lone surrogate cannot come from UTF-8 but counts alike.
      const pair = c <= 0xdbff && isLowSurrogate(text.charCodeAt(p + 1));
      out += text.slice(segment, p) + QUESTION;
      p += pair ? 2 : 1;
      segment = p;
    } else {
      p++;
    }
  }
  if (segment === start && p === len) return start === 0 ? text : text.slice(start);
  return out + text.slice(segment, p);
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
