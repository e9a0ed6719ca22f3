/** A character set as MySQL 8's SHOW CHARACTER SET lists it. */
export interface CharacterSet {
  readonly name: string;
  readonly description: string;
  readonly defaultCollation: string;
  readonly maxlen: number;
}

/** A collation as SHOW COLLATION lists it. */
export interface Collation {
  readonly name: string;
  readonly charset: string;
  readonly id: number;
  readonly isDefault: boolean;
  readonly sortlen: number;
  readonly padSpace: boolean;
}

// MySQL 8.0's 41 character sets, with its descriptions and defaults.
const CHARSETS = `
armscii8|ARMSCII-8 Armenian|armscii8_general_ci|1
ascii|US ASCII|ascii_general_ci|1
big5|Big5 Traditional Chinese|big5_chinese_ci|2
binary|Binary pseudo charset|binary|1
cp1250|Windows Central European|cp1250_general_ci|1
cp1251|Windows Cyrillic|cp1251_general_ci|1
cp1256|Windows Arabic|cp1256_general_ci|1
cp1257|Windows Baltic|cp1257_general_ci|1
cp850|DOS West European|cp850_general_ci|1
cp852|DOS Central European|cp852_general_ci|1
cp866|DOS Russian|cp866_general_ci|1
cp932|SJIS for Windows Japanese|cp932_japanese_ci|2
dec8|DEC West European|dec8_swedish_ci|1
eucjpms|UJIS for Windows Japanese|eucjpms_japanese_ci|3
euckr|EUC-KR Korean|euckr_korean_ci|2
gb18030|China National Standard GB18030|gb18030_chinese_ci|4
gb2312|GB2312 Simplified Chinese|gb2312_chinese_ci|2
gbk|GBK Simplified Chinese|gbk_chinese_ci|2
geostd8|GEOSTD8 Georgian|geostd8_general_ci|1
greek|ISO 8859-7 Greek|greek_general_ci|1
hebrew|ISO 8859-8 Hebrew|hebrew_general_ci|1
hp8|HP West European|hp8_english_ci|1
keybcs2|DOS Kamenicky Czech-Slovak|keybcs2_general_ci|1
koi8r|KOI8-R Relcom Russian|koi8r_general_ci|1
koi8u|KOI8-U Ukrainian|koi8u_general_ci|1
latin1|cp1252 West European|latin1_swedish_ci|1
latin2|ISO 8859-2 Central European|latin2_general_ci|1
latin5|ISO 8859-9 Turkish|latin5_turkish_ci|1
latin7|ISO 8859-13 Baltic|latin7_general_ci|1
macce|Mac Central European|macce_general_ci|1
macroman|Mac West European|macroman_general_ci|1
sjis|Shift-JIS Japanese|sjis_japanese_ci|2
swe7|7bit Swedish|swe7_swedish_ci|1
tis620|TIS620 Thai|tis620_thai_ci|1
ucs2|UCS-2 Unicode|ucs2_general_ci|2
ujis|EUC-JP Japanese|ujis_japanese_ci|3
utf16|UTF-16 Unicode|utf16_general_ci|4
utf16le|UTF-16LE Unicode|utf16le_general_ci|4
utf32|UTF-32 Unicode|utf32_general_ci|4
utf8mb3|UTF-8 Unicode|utf8mb3_general_ci|3
utf8mb4|UTF-8 Unicode|utf8mb4_0900_ai_ci|4`;

// A subset of MySQL 8.0's 287 collations, with its ids: each character set's default and
// binary ones, and the Unicode collations clients choose between. Columns: name, id,
// sort length, and `np` for NO PAD.
const COLLATIONS = `
armscii8_general_ci 32 1|armscii8_bin 64 1|ascii_general_ci 11 1|ascii_bin 65 1
big5_chinese_ci 1 1|big5_bin 84 1|binary 63 1 np|cp1250_general_ci 26 1|cp1250_bin 66 1
cp1251_general_ci 51 1|cp1251_bin 50 1|cp1256_general_ci 57 1|cp1256_bin 67 1
cp1257_general_ci 59 1|cp1257_bin 58 1|cp850_general_ci 4 1|cp850_bin 80 1
cp852_general_ci 40 1|cp852_bin 81 1|cp866_general_ci 36 1|cp866_bin 68 1
cp932_japanese_ci 95 1|cp932_bin 96 1|dec8_swedish_ci 3 1|dec8_bin 69 1
eucjpms_japanese_ci 97 1|eucjpms_bin 98 1|euckr_korean_ci 19 1|euckr_bin 85 1
gb18030_chinese_ci 248 2|gb18030_bin 249 1|gb2312_chinese_ci 24 1|gb2312_bin 86 1
gbk_chinese_ci 28 1|gbk_bin 87 1|geostd8_general_ci 92 1|geostd8_bin 93 1
greek_general_ci 25 1|greek_bin 70 1|hebrew_general_ci 16 1|hebrew_bin 71 1
hp8_english_ci 6 1|hp8_bin 72 1|keybcs2_general_ci 37 1|keybcs2_bin 73 1
koi8r_general_ci 7 1|koi8r_bin 74 1|koi8u_general_ci 22 1|koi8u_bin 75 1
latin1_swedish_ci 8 1|latin1_bin 47 1|latin1_general_ci 48 1|latin1_general_cs 49 1
latin2_general_ci 9 1|latin2_bin 77 1|latin5_turkish_ci 30 1|latin5_bin 78 1
latin7_general_ci 41 1|latin7_bin 79 1|macce_general_ci 38 1|macce_bin 43 1
macroman_general_ci 39 1|macroman_bin 53 1|sjis_japanese_ci 13 1|sjis_bin 88 1
swe7_swedish_ci 10 1|swe7_bin 82 1|tis620_thai_ci 18 4|tis620_bin 89 1
ucs2_general_ci 35 1|ucs2_bin 90 1|ucs2_unicode_ci 128 8|ujis_japanese_ci 12 1|ujis_bin 91 1
utf16_general_ci 54 1|utf16_bin 55 1|utf16_unicode_ci 101 8
utf16le_general_ci 56 1|utf16le_bin 62 1
utf32_general_ci 60 1|utf32_bin 61 1|utf32_unicode_ci 160 8
utf8mb3_general_ci 33 1|utf8mb3_bin 83 1|utf8mb3_unicode_ci 192 8
utf8mb3_unicode_520_ci 214 8|utf8mb3_tolower_ci 76 1
utf8mb4_0900_ai_ci 255 0 np|utf8mb4_0900_as_ci 305 0 np|utf8mb4_0900_as_cs 278 0 np
utf8mb4_0900_bin 309 1 np|utf8mb4_bin 46 1|utf8mb4_general_ci 45 1|utf8mb4_unicode_ci 224 8
utf8mb4_unicode_520_ci 246 8`;

/** The character sets, by name. */
export const CHARACTER_SETS: readonly CharacterSet[] = CHARSETS.trim()
  .split('\n')
  .map((line) => {
    const [name, description, defaultCollation, maxlen] = line.split('|') as [
      string,
      string,
      string,
      string,
    ];
    return { name, description, defaultCollation, maxlen: Number(maxlen) };
  });

const defaults = new Set(CHARACTER_SETS.map((c) => c.defaultCollation));
const charsetNames = CHARACTER_SETS.map((c) => c.name).sort((a, b) => b.length - a.length);

/** The collations, by name. */
export const COLLATIONS_LIST: readonly Collation[] = COLLATIONS.trim()
  .split(/[|\n]/)
  .map((entry) => {
    const [name, id, sortlen, pad] = entry.trim().split(' ') as [string, string, string, string?];
    const charset =
      name === 'binary' ? 'binary' : charsetNames.find((c) => name.startsWith(c + '_'))!;
    return {
      name,
      charset,
      id: Number(id),
      isDefault: defaults.has(name),
      sortlen: Number(sortlen),
      padSpace: pad !== 'np',
    };
  })
  .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
