import { introducerCharset } from '../../sql/charsets.js';

/**
 * Character sets a session may choose. The server reads and writes UTF-8
 * only, so a client may ask for utf8mb4, utf8mb3 (utf8) or binary, which is
 * no conversion at all; MySQL's other character sets are known but refused,
 * since their clients would read UTF-8 bytes as something else.
 */
const DEFAULT_COLLATION: ReadonlyMap<string, string> = new Map([
  ['utf8mb4', 'utf8mb4_0900_ai_ci'],
  ['utf8mb3', 'utf8mb3_general_ci'],
  ['binary', 'binary'],
]);

// MySQL 8.0's collations of the Unicode character sets, without their charset prefix.
const UNICODE_SUFFIXES = `general_ci bin unicode_ci icelandic_ci latvian_ci romanian_ci slovenian_ci
polish_ci estonian_ci spanish_ci swedish_ci turkish_ci czech_ci danish_ci lithuanian_ci slovak_ci
spanish2_ci roman_ci persian_ci esperanto_ci hungarian_ci sinhala_ci german2_ci croatian_ci
unicode_520_ci vietnamese_ci`.split(/\s+/);
const UTF8MB4_ONLY = `0900_ai_ci 0900_as_ci 0900_as_cs 0900_bin ja_0900_as_cs ja_0900_as_cs_ks
zh_0900_as_cs ru_0900_ai_ci ru_0900_as_cs`.split(/\s+/);
const LOCALES_0900 = `de_pb is lv ro sl pl et es sv tr cs da lt sk es_trad la eo hu hr vi nb nn
sr_latn bs bg gl mn`.split(/\s+/);
const UTF8MB3_ONLY = ['general_mysql500_ci', 'tolower_ci'];

const COLLATIONS: ReadonlySet<string> = new Set([
  'binary',
  ...[...UNICODE_SUFFIXES, ...UTF8MB4_ONLY].map((s) => `utf8mb4_${s}`),
  ...LOCALES_0900.flatMap((l) => [`utf8mb4_${l}_0900_ai_ci`, `utf8mb4_${l}_0900_as_cs`]),
  ...[...UNICODE_SUFFIXES, ...UTF8MB3_ONLY].map((s) => `utf8mb3_${s}`),
]);

/** Collation ids (as `SET character_set_client = 45` gives them) of the collations above that clients use. */
const COLLATION_IDS: ReadonlyMap<number, string> = new Map([
  [33, 'utf8mb3_general_ci'],
  [45, 'utf8mb4_general_ci'],
  [46, 'utf8mb4_bin'],
  [63, 'binary'],
  [83, 'utf8mb3_bin'],
  [192, 'utf8mb3_unicode_ci'],
  [224, 'utf8mb4_unicode_ci'],
  [246, 'utf8mb4_unicode_520_ci'],
  [255, 'utf8mb4_0900_ai_ci'],
  [278, 'utf8mb4_0900_as_cs'],
  [305, 'utf8mb4_0900_as_ci'],
  [309, 'utf8mb4_0900_bin'],
]);

/** What a name resolves to: the canonical name, or why it cannot be used. */
export type NameLookup = { ok: string } | { unknown: true } | { refused: true };

/** A character set by name (any letter case; `utf8` is utf8mb3, as in MySQL 8). */
export function lookupCharset(name: string): NameLookup {
  const lower = name.toLowerCase();
  const canonical = lower === 'utf8' ? 'utf8mb3' : lower;
  if (DEFAULT_COLLATION.has(canonical)) return { ok: canonical };
  // ASCII only, and at most an introducer's length: the same test MySQL's introducers pass.
  return introducerCharset('_' + lower, 0, lower.length + 1) !== null
    ? { refused: true }
    : { unknown: true };
}

/** A collation by name (`utf8_...` names are utf8mb3's); one of a refused character set is refused. */
export function lookupCollation(name: string): NameLookup {
  const lower = name.toLowerCase();
  const canonical = lower.startsWith('utf8_') ? 'utf8mb3_' + lower.slice(5) : lower;
  if (COLLATIONS.has(canonical)) return { ok: canonical };
  const cut = canonical.indexOf('_');
  if (cut > 0 && 'refused' in lookupCharset(canonical.slice(0, cut))) {
    return { refused: true };
  }
  return { unknown: true };
}

/** The collation with id `id`, or null when it is not one a session may use. */
export function collationById(id: bigint): string | null {
  return id <= 0xffffn ? (COLLATION_IDS.get(Number(id)) ?? null) : null;
}

/** The character set a collation belongs to. */
export function charsetOf(collation: string): string {
  if (collation === 'binary') return 'binary';
  return collation.slice(0, collation.indexOf('_'));
}

/** The collation a character set gets when none is named (MySQL 8's defaults). */
export function defaultCollation(charset: string): string {
  return DEFAULT_COLLATION.get(charset)!;
}
