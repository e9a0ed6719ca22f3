// MySQL 8 character set names usable as `_name` introducers (plus the utf8 alias).
const CHARSETS: ReadonlySet<string> = new Set(
  `armscii8 ascii big5 binary cp1250 cp1251 cp1256 cp1257 cp850 cp852 cp866 cp932 dec8
eucjpms euckr gb18030 gb2312 gbk geostd8 greek hebrew hp8 keybcs2 koi8r koi8u latin1
latin2 latin5 latin7 macce macroman sjis swe7 tis620 ucs2 ujis utf16 utf16le utf32 utf8
utf8mb3 utf8mb4`.split(/\s+/),
);

// Longest name above plus its underscore; longer words cannot be introducers.
const MAX_INTRODUCER = 9;

/** The lower-cased charset named by an introducer word `_name` at `sql[from, to)`, or null if it is not one. */
export function introducerCharset(sql: string, from: number, to: number): string | null {
  if (sql.charCodeAt(from) !== 0x5f || to - from > MAX_INTRODUCER) return null;
  // ASCII only: toLowerCase would fold e.g. U+212A KELVIN SIGN into a charset name.
  for (let p = from + 1; p < to; p++) if (sql.charCodeAt(p) >= 0x80) return null;
  const name = sql.slice(from + 1, to).toLowerCase();
  return CHARSETS.has(name) ? name : null;
}
