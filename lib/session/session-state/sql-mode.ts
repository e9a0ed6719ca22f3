/**
 * MySQL 8.0's sql_mode names by bit; null where a mode was removed (POSTGRESQL,
 * NO_AUTO_CREATE_USER...), which MySQL 8 refuses.
 */
const MODES: readonly (string | null)[] = [
  'REAL_AS_FLOAT',
  'PIPES_AS_CONCAT',
  'ANSI_QUOTES',
  'IGNORE_SPACE',
  null,
  'ONLY_FULL_GROUP_BY',
  'NO_UNSIGNED_SUBTRACTION',
  'NO_DIR_IN_CREATE',
  null,
  null,
  null,
  null,
  null,
  null,
  null,
  null,
  null,
  null,
  'ANSI',
  'NO_AUTO_VALUE_ON_ZERO',
  'NO_BACKSLASH_ESCAPES',
  'STRICT_TRANS_TABLES',
  'STRICT_ALL_TABLES',
  'NO_ZERO_IN_DATE',
  'NO_ZERO_DATE',
  'ALLOW_INVALID_DATES',
  'ERROR_FOR_DIVISION_BY_ZERO',
  'TRADITIONAL',
  null,
  'HIGH_NOT_PRECEDENCE',
  'NO_ENGINE_SUBSTITUTION',
  'PAD_CHAR_TO_FULL_LENGTH',
  'TIME_TRUNCATE_FRACTIONAL',
];

const BIT: ReadonlyMap<string, bigint> = new Map(
  MODES.flatMap((name, i) => (name === null ? [] : [[name, 1n << BigInt(i)] as const])),
);
const bitsOf = (...names: string[]): bigint => names.reduce((m, n) => m | BIT.get(n)!, 0n);

/** Every bit that names a mode. */
const KNOWN = bitsOf(...(MODES.filter((n) => n !== null) as string[]));

/** The modes a combination mode stands for, as MySQL 8 expands them. */
const COMBINATIONS: ReadonlyArray<readonly [bigint, bigint]> = [
  [
    bitsOf('ANSI'),
    bitsOf('REAL_AS_FLOAT', 'PIPES_AS_CONCAT', 'ANSI_QUOTES', 'IGNORE_SPACE', 'ONLY_FULL_GROUP_BY'),
  ],
  [
    bitsOf('TRADITIONAL'),
    bitsOf(
      'STRICT_TRANS_TABLES',
      'STRICT_ALL_TABLES',
      'NO_ZERO_IN_DATE',
      'NO_ZERO_DATE',
      'ERROR_FOR_DIVISION_BY_ZERO',
      'NO_ENGINE_SUBSTITUTION',
    ),
  ],
];

/**
 * Modes that change how statements are lexed or parsed, which this server
 * does not do: taking them would silently read the client's SQL otherwise
 * than it meant (with NO_BACKSLASH_ESCAPES, a client's own escaping would
 * no longer protect its strings).
 */
const REFUSED = bitsOf(
  'NO_BACKSLASH_ESCAPES',
  'ANSI_QUOTES',
  'PIPES_AS_CONCAT',
  'HIGH_NOT_PRECEDENCE',
);

/** MySQL 8.0's default sql_mode. */
export const DEFAULT_SQL_MODE =
  'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

/** A sql_mode value as MySQL stores it (names in bit order), or the part that cannot be set. */
export type SqlModeResult = { mode: string } | { bad: string };

/**
 * Reads a sql_mode written as comma-separated names (any letter case;
 * trailing blanks of a name and empty names are ignored, as MySQL's
 * find_set does). `bad` is the first name that is unknown or refused, as written.
 */
export function sqlModeFromText(text: string): SqlModeResult {
  let bits = 0n;
  for (const part of text.split(',')) {
    const name = part.replace(/ +$/, '');
    if (name === '') continue;
    const bit = BIT.get(name.toUpperCase());
    if (bit === undefined || (expand(bit) & REFUSED) !== 0n) return { bad: name };
    bits |= bit;
  }
  return { mode: render(expand(bits)) };
}

/** Reads a sql_mode given as its bit mask. */
export function sqlModeFromNumber(value: bigint): SqlModeResult {
  if (value < 0n || (value & ~KNOWN) !== 0n || (expand(value) & REFUSED) !== 0n) {
    return { bad: String(value) };
  }
  return { mode: render(expand(value)) };
}

/** The modes set, with those combination modes stand for. */
function expand(bits: bigint): bigint {
  let expanded = bits;
  for (const [combination, modes] of COMBINATIONS) {
    if ((bits & combination) !== 0n) expanded |= modes;
  }
  return expanded;
}

function render(bits: bigint): string {
  const names: string[] = [];
  for (let i = 0; i < MODES.length; i++) {
    if ((bits & (1n << BigInt(i))) !== 0n) names.push(MODES[i]!);
  }
  return names.join(',');
}
