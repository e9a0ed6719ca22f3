/** How a declared type stores and checks values; one coercer per kind. */
export type SqlTypeKind =
  | 'integer'
  | 'boolean'
  | 'decimal'
  | 'float'
  | 'double'
  | 'char'
  | 'varchar'
  | 'text'
  | 'binary'
  | 'varbinary'
  | 'blob'
  | 'date'
  | 'datetime'
  | 'timestamp'
  | 'time'
  | 'year'
  | 'json'
  | 'bit';

/** A parameter type, resolved from its SQL declaration (`DECIMAL(10,2)`, `VARCHAR(64)`, ...). */
export interface SqlType {
  readonly kind: SqlTypeKind;
  /** information_schema's DATA_TYPE: `int`, `varchar`, `mediumtext`, ... */
  readonly dataType: string;
  /** The type as MySQL 8 writes it back (DTD_IDENTIFIER): `int unsigned`, `decimal(10,2)`, `datetime(3)`. */
  readonly dtd: string;
  readonly unsigned: boolean;
  /**
   * integer: width in bytes (1, 2, 3, 4, 8); char/varchar: characters;
   * binary/varbinary: bytes; text/blob: most bytes; bit: bits; else 0.
   */
  readonly length: number;
  /** decimal: total digits. */
  readonly precision: number;
  /** decimal: digits after the point. */
  readonly scale: number;
  /** datetime, timestamp, time: fractional-second digits. */
  readonly fsp: number;
}

/** Integer widths in bytes, by type name. */
const INTEGER_BYTES: Readonly<Record<string, number>> = {
  tinyint: 1,
  smallint: 2,
  mediumint: 3,
  int: 4,
  integer: 4,
  bigint: 8,
};

/** Most bytes of each TEXT/BLOB size. */
const LOB_BYTES: Readonly<Record<string, number>> = {
  tiny: 255,
  '': 65_535,
  medium: 16_777_215,
  long: 4_294_967_295,
};

/** Longest VARCHAR in utf8mb4 characters (65,535 bytes a row / 4). */
const MAX_VARCHAR = 16_383;
const MAX_VARBINARY = 65_535;
const MAX_CHAR = 255;
const MAX_DECIMAL_PRECISION = 65;
const MAX_DECIMAL_SCALE = 30;
const MAX_FSP = 6;
const MAX_BIT = 64;

/** Why a declaration was refused; the caller adds which procedure and parameter. */
export class SignatureError extends Error {}

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'punct'; text: string };

/** Splits a type declaration into words, integers and `(`, `)`, `,`; anything else is refused. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else if (c >= '0' && c <= '9') {
      let j = i;
      while (j < text.length && text[j]! >= '0' && text[j]! <= '9') j++;
      if (j - i > 10) throw new SignatureError(`number too large in type "${text}"`);
      tokens.push({ kind: 'number', value: Number(text.slice(i, j)) });
      i = j;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j]!)) j++;
      tokens.push({ kind: 'word', text: text.slice(i, j).toLowerCase() });
      i = j;
    } else {
      throw new SignatureError(`unexpected "${c}" in type "${text}"`);
    }
  }
  return tokens;
}

/** Reads tokens in order, failing with the declaration quoted. */
class TypeReader {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
  ) {}

  fail(why: string): never {
    throw new SignatureError(`${why} in type "${this.text}"`);
  }

  word(): string | null {
    const t = this.tokens[this.i];
    if (t?.kind !== 'word') return null;
    this.i++;
    return t.text;
  }

  peekWord(): string | null {
    const t = this.tokens[this.i];
    return t?.kind === 'word' ? t.text : null;
  }

  /** `(n)` or `(n, m)` when present: the numbers, else null. */
  args(max: number): number[] | null {
    const t = this.tokens[this.i];
    if (t?.kind !== 'punct' || t.text !== '(') return null;
    this.i++;
    const values: number[] = [];
    for (;;) {
      const n = this.tokens[this.i++];
      if (n?.kind !== 'number') this.fail('expected a number');
      values.push(n.value);
      const p = this.tokens[this.i++];
      if (p?.kind === 'punct' && p.text === ')') break;
      if (p?.kind !== 'punct' || p.text !== ',' || values.length >= max) this.fail('expected ")"');
    }
    return values;
  }

  end(): void {
    if (this.i < this.tokens.length) this.fail('unexpected text at the end');
  }
}

const type = (
  kind: SqlTypeKind,
  dataType: string,
  dtd: string,
  more: Partial<Pick<SqlType, 'unsigned' | 'length' | 'precision' | 'scale' | 'fsp'>> = {},
): SqlType =>
  Object.freeze({
    kind,
    dataType,
    dtd,
    unsigned: more.unsigned ?? false,
    length: more.length ?? 0,
    precision: more.precision ?? 0,
    scale: more.scale ?? 0,
    fsp: more.fsp ?? 0,
  });

/** `UNSIGNED` / `SIGNED` after a numeric type; ZEROFILL is refused (display only, deprecated). */
function signedness(r: TypeReader): boolean {
  const w = r.peekWord();
  if (w === 'unsigned' || w === 'signed') {
    r.word();
    if (r.peekWord() === 'zerofill') r.fail('ZEROFILL is not supported');
    return w === 'unsigned';
  }
  if (w === 'zerofill') r.fail('ZEROFILL is not supported');
  return false;
}

function lengthArg(r: TypeReader, name: string, fallback: number | null, max: number): number {
  const a = r.args(1);
  if (!a) {
    if (fallback === null) r.fail(`${name.toUpperCase()} needs a length`);
    return fallback;
  }
  if (a[0]! > max) r.fail(`${name.toUpperCase()} length ${a[0]} is above ${max}`);
  return a[0]!;
}

function fspArg(r: TypeReader): number {
  const a = r.args(1);
  const fsp = a ? a[0]! : 0;
  if (fsp > MAX_FSP) r.fail(`fractional seconds precision ${fsp} is above ${MAX_FSP}`);
  return fsp;
}

/**
 * Parses a parameter type as MySQL 8 accepts it in CREATE PROCEDURE:
 * TINYINT..BIGINT [UNSIGNED], BOOLEAN, DECIMAL(p,s), FLOAT, DOUBLE,
 * CHAR(n), VARCHAR(n), TEXT, BINARY(n), VARBINARY(n), BLOB, DATE,
 * DATETIME(n), TIMESTAMP(n), TIME(n), YEAR, JSON, BIT(n), with their
 * usual aliases. Anything else, or a length out of MySQL's range, throws.
 */
export function parseSqlType(text: string): SqlType {
  const r = new TypeReader(tokenize(text), text);
  const name = r.word();
  if (!name) return r.fail('expected a type name');
  const t = typeOf(name, r);
  r.end();
  return t;
}

function typeOf(name: string, r: TypeReader): SqlType {
  const intBytes = INTEGER_BYTES[name];
  if (intBytes !== undefined) {
    const width = r.args(1);
    const unsigned = signedness(r);
    const dataType = name === 'integer' ? 'int' : name;
    // MySQL 8 drops display widths from DTD_IDENTIFIER, except TINYINT(1).
    const shown = dataType === 'tinyint' && width?.[0] === 1 && !unsigned ? 'tinyint(1)' : dataType;
    return type('integer', dataType, unsigned ? `${shown} unsigned` : shown, {
      unsigned,
      length: intBytes,
    });
  }
  switch (name) {
    case 'bool':
    case 'boolean':
      return type('boolean', 'tinyint', 'tinyint(1)', { length: 1 });
    case 'decimal':
    case 'dec':
    case 'numeric':
    case 'fixed': {
      const a = r.args(2);
      const precision = a ? a[0]! : 10;
      const scale = a?.[1] ?? 0;
      if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
        r.fail(`DECIMAL precision must be 1..${MAX_DECIMAL_PRECISION}`);
      }
      if (scale > MAX_DECIMAL_SCALE) r.fail(`DECIMAL scale must be 0..${MAX_DECIMAL_SCALE}`);
      if (scale > precision) r.fail('DECIMAL scale must not exceed its precision');
      const unsigned = signedness(r);
      const dtd = `decimal(${precision},${scale})${unsigned ? ' unsigned' : ''}`;
      return type('decimal', 'decimal', dtd, { unsigned, precision, scale });
    }
    case 'float': {
      const a = r.args(2);
      if (a && a.length > 1) r.fail('FLOAT(M,D) is not supported; use DECIMAL(M,D)');
      const p = a ? a[0]! : 0;
      if (p > 53) r.fail('FLOAT precision must be 0..53');
      const unsigned = signedness(r);
      const kind = p > 24 ? 'double' : 'float';
      return type(kind, kind, unsigned ? `${kind} unsigned` : kind, { unsigned });
    }
    case 'double':
    case 'real': {
      if (name === 'double' && r.peekWord() === 'precision') r.word();
      if (r.args(2)) r.fail('DOUBLE(M,D) is not supported; use DECIMAL(M,D)');
      const unsigned = signedness(r);
      return type('double', 'double', unsigned ? 'double unsigned' : 'double', { unsigned });
    }
    case 'char':
    case 'character': {
      if (r.peekWord() === 'varying') {
        r.word();
        return varchar(r);
      }
      const n = lengthArg(r, 'char', 1, MAX_CHAR);
      return type('char', 'char', `char(${n})`, { length: n });
    }
    case 'varchar':
      return varchar(r);
    case 'tinytext':
    case 'text':
    case 'mediumtext':
    case 'longtext': {
      if (name === 'text' && r.args(1)) r.fail('TEXT(n) is not supported; use VARCHAR(n)');
      return type('text', name, name, { length: LOB_BYTES[name.slice(0, -4)]! });
    }
    case 'binary': {
      const n = lengthArg(r, 'binary', 1, MAX_CHAR);
      return type('binary', 'binary', `binary(${n})`, { length: n });
    }
    case 'varbinary': {
      const n = lengthArg(r, 'varbinary', null, MAX_VARBINARY);
      return type('varbinary', 'varbinary', `varbinary(${n})`, { length: n });
    }
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob': {
      if (name === 'blob' && r.args(1)) r.fail('BLOB(n) is not supported; use VARBINARY(n)');
      return type('blob', name, name, { length: LOB_BYTES[name.slice(0, -4)]! });
    }
    case 'date':
      return type('date', 'date', 'date');
    case 'datetime':
    case 'timestamp':
    case 'time': {
      const fsp = fspArg(r);
      return type(name, name, fsp ? `${name}(${fsp})` : name, { fsp });
    }
    case 'year': {
      const a = r.args(1);
      if (a && a[0] !== 4) r.fail('YEAR takes no length but 4');
      return type('year', 'year', 'year');
    }
    case 'json':
      return type('json', 'json', 'json');
    case 'bit': {
      const n = lengthArg(r, 'bit', 1, MAX_BIT);
      if (n < 1) r.fail('BIT length must be 1..64');
      return type('bit', 'bit', `bit(${n})`, { length: n });
    }
    default:
      return r.fail(`unknown type "${name.toUpperCase()}"`);
  }
}

function varchar(r: TypeReader): SqlType {
  const n = lengthArg(r, 'varchar', null, MAX_VARCHAR);
  return type('varchar', 'varchar', `varchar(${n})`, { length: n });
}
