import { Charset, ColumnFlag, ColumnType, type ColumnTypeCode } from '../protocol/constants.js';

/** One column of a result set, as the column definition packet carries it. */
export interface ColumnDefinition {
  readonly name: string;
  readonly type: ColumnTypeCode;
  readonly charset: number;
  readonly length: number;
  readonly flags: number;
  readonly decimals: number;
}

/** SQL type names a handler may declare for a column of `MysqlResultSet`. */
export type MysqlColumnTypeName =
  | 'TINYINT'
  | 'SMALLINT'
  | 'INT'
  | 'BIGINT'
  | 'FLOAT'
  | 'DOUBLE'
  | 'DECIMAL'
  | 'VARCHAR'
  | 'TEXT'
  | 'BLOB'
  | 'DATE'
  | 'DATETIME'
  | 'TIMESTAMP'
  | 'TIME'
  | 'YEAR'
  | 'JSON'
  | 'BIT'
  | 'NULL';

/** Decimals value meaning "not fixed" for floating-point columns. */
export const NOT_FIXED_DECIMALS = 31;
const MAX_LENGTH = 0xffffffff;

const BINARY_NUM = ColumnFlag.BINARY | ColumnFlag.NUM;
const BINARY_BLOB = ColumnFlag.BINARY | ColumnFlag.BLOB;

interface TypeShape {
  type: ColumnTypeCode;
  charset: number;
  length: number;
  flags: number;
  decimals: number;
}

/** Column attributes MySQL itself reports for each declarable type. */
export const TYPE_SHAPES: Readonly<Record<MysqlColumnTypeName, TypeShape>> = {
  TINYINT: {
    type: ColumnType.TINY,
    charset: Charset.BINARY,
    length: 4,
    flags: BINARY_NUM,
    decimals: 0,
  },
  SMALLINT: {
    type: ColumnType.SHORT,
    charset: Charset.BINARY,
    length: 6,
    flags: BINARY_NUM,
    decimals: 0,
  },
  INT: {
    type: ColumnType.LONG,
    charset: Charset.BINARY,
    length: 11,
    flags: BINARY_NUM,
    decimals: 0,
  },
  BIGINT: {
    type: ColumnType.LONGLONG,
    charset: Charset.BINARY,
    length: 20,
    flags: BINARY_NUM,
    decimals: 0,
  },
  FLOAT: {
    type: ColumnType.FLOAT,
    charset: Charset.BINARY,
    length: 12,
    flags: BINARY_NUM,
    decimals: NOT_FIXED_DECIMALS,
  },
  DOUBLE: {
    type: ColumnType.DOUBLE,
    charset: Charset.BINARY,
    length: 22,
    flags: BINARY_NUM,
    decimals: NOT_FIXED_DECIMALS,
  },
  DECIMAL: {
    type: ColumnType.NEWDECIMAL,
    charset: Charset.BINARY,
    length: 67,
    flags: BINARY_NUM,
    decimals: 30,
  },
  VARCHAR: {
    type: ColumnType.VAR_STRING,
    charset: Charset.UTF8MB4_GENERAL_CI,
    length: 1020,
    flags: 0,
    decimals: 0,
  },
  TEXT: {
    type: ColumnType.BLOB,
    charset: Charset.UTF8MB4_GENERAL_CI,
    length: MAX_LENGTH,
    flags: ColumnFlag.BLOB,
    decimals: 0,
  },
  BLOB: {
    type: ColumnType.BLOB,
    charset: Charset.BINARY,
    length: MAX_LENGTH,
    flags: BINARY_BLOB,
    decimals: 0,
  },
  DATE: {
    type: ColumnType.DATE,
    charset: Charset.BINARY,
    length: 10,
    flags: ColumnFlag.BINARY,
    decimals: 0,
  },
  DATETIME: {
    type: ColumnType.DATETIME,
    charset: Charset.BINARY,
    length: 23,
    flags: ColumnFlag.BINARY,
    decimals: 3,
  },
  TIMESTAMP: {
    type: ColumnType.TIMESTAMP,
    charset: Charset.BINARY,
    length: 23,
    flags: ColumnFlag.BINARY,
    decimals: 3,
  },
  TIME: {
    type: ColumnType.TIME,
    charset: Charset.BINARY,
    length: 14,
    flags: ColumnFlag.BINARY,
    decimals: 3,
  },
  YEAR: {
    type: ColumnType.YEAR,
    charset: Charset.BINARY,
    length: 4,
    flags: ColumnFlag.BINARY | ColumnFlag.NUM | ColumnFlag.UNSIGNED,
    decimals: 0,
  },
  JSON: {
    type: ColumnType.JSON,
    charset: Charset.BINARY,
    length: MAX_LENGTH,
    flags: BINARY_BLOB,
    decimals: 0,
  },
  BIT: {
    type: ColumnType.BIT,
    charset: Charset.BINARY,
    length: 64,
    flags: ColumnFlag.BINARY | ColumnFlag.UNSIGNED,
    decimals: 0,
  },
  NULL: {
    type: ColumnType.NULL,
    charset: Charset.BINARY,
    length: 0,
    flags: ColumnFlag.BINARY,
    decimals: 0,
  },
};

/** Attributes that set a column apart from its type's defaults. */
export interface ColumnOverrides {
  unsigned?: boolean;
  length?: number;
  decimals?: number;
  /** No value in the column is NULL. */
  notNull?: boolean;
}

// The same few shapes recur call after call; returning one frozen object
// per shape lets the protocol layer cache its encoded packet by identity.
const MEMO_LIMIT = 4096;
const MAX_MEMO_NAME = 256;
const memo = new Map<string, ColumnDefinition>();

/** A column of the named type, with the given attributes overriding the type's defaults. */
export function columnOfType(
  name: string,
  typeName: MysqlColumnTypeName,
  overrides: ColumnOverrides = {},
): ColumnDefinition {
  const { unsigned = false, length, decimals, notNull = false } = overrides;
  // Names come from clients too (SELECT aliases): only short ones, as
  // MySQL's own 256-character alias limit, are worth remembering.
  const key =
    name.length <= MAX_MEMO_NAME
      ? `${typeName}\u0000${unsigned}\u0000${length}\u0000${decimals}\u0000${notNull}\u0000${name}`
      : null;
  const known = key === null ? undefined : memo.get(key);
  if (known) return known;
  const shape = TYPE_SHAPES[typeName];
  let flags = shape.flags;
  if (unsigned) flags |= ColumnFlag.UNSIGNED;
  if (notNull) flags |= ColumnFlag.NOT_NULL;
  const column: ColumnDefinition = Object.freeze({
    name,
    type: shape.type,
    charset: shape.charset,
    length: Math.min(length ?? shape.length, MAX_LENGTH),
    flags,
    decimals: decimals ?? shape.decimals,
  });
  if (key === null) return column;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, column);
  return column;
}
