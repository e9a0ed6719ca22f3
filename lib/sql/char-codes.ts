/** Whether `c` may appear in an unquoted identifier (MySQL's ident_map for utf8mb4: every unit from U+0080 up qualifies). */
export function isIdentChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x5f ||
    c === 0x24 ||
    c >= 0x80
  );
}

/** Whether `c` is an ASCII decimal digit. */
export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Whether `c` is an ASCII hexadecimal digit. */
export function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** Whether `c` is white space to MySQL: space, \t, \n, \v, \f, \r. */
export function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** Whether `c` is printable ASCII that is neither a letter nor a digit: what MySQL takes as a date delimiter. */
export function isAsciiPunctuation(c: number): boolean {
  return c > 0x20 && c < 0x7f && !isDigit(c) && !((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
}

/** Whether `c` is a space or control character, which makes `--` before it start a comment. */
export function isSpaceOrControl(c: number): boolean {
  return c <= 0x20 || c === 0x7f;
}

/** `c` folded to ASCII upper case; other characters unchanged. */
export function asciiUpper(c: number): number {
  return c >= 0x61 && c <= 0x7a ? c - 0x20 : c;
}

/** Whether `sql` at `from` spells `upper` (an upper-case ASCII word), ignoring ASCII case. */
export function equalsUpper(sql: string, from: number, upper: string): boolean {
  for (let i = 0; i < upper.length; i++) {
    if (asciiUpper(sql.charCodeAt(from + i)) !== upper.charCodeAt(i)) return false;
  }
  return true;
}
