import { Charset, ColumnFlag, ColumnType } from '../protocol/constants.js';
import type { ColumnFields } from '../protocol/result-set.js';
import { NOT_FIXED_DECIMALS } from '../results/column-definition.js';
import type { CatalogParameter, ParameterMode } from '../session/procedure-catalog.js';
import type { SqlType } from './sql-type.js';

/** Character set and collation of every text parameter: the server's own (collation_database). */
const TEXT_CHARSET = 'utf8mb4';
const TEXT_COLLATION = 'utf8mb4_general_ci';
/** Bytes per character of utf8mb4. */
const MB_MAX = 4;

/** What information_schema.PARAMETERS shows for a type, beyond its name. */
type CatalogFields = Pick<
  CatalogParameter,
  | 'characterMaximumLength'
  | 'characterOctetLength'
  | 'numericPrecision'
  | 'numericScale'
  | 'datetimePrecision'
  | 'characterSetName'
  | 'collationName'
>;

const NONE: CatalogFields = {
  characterMaximumLength: null,
  characterOctetLength: null,
  numericPrecision: null,
  numericScale: null,
  datetimePrecision: null,
  characterSetName: null,
  collationName: null,
};

/** NUMERIC_PRECISION of each integer width, signed and unsigned, as MySQL 8 reports them. */
const INTEGER_PRECISION: Readonly<Record<number, readonly [number, number]>> = {
  1: [3, 3],
  2: [5, 5],
  3: [7, 8],
  4: [10, 10],
  8: [19, 20],
};

/** Column types and display lengths (signed, unsigned) of each integer width. */
const INTEGER_WIRE: Readonly<Record<number, readonly [number, number, number]>> = {
  1: [ColumnType.TINY, 4, 3],
  2: [ColumnType.SHORT, 6, 5],
  3: [ColumnType.INT24, 9, 8],
  4: [ColumnType.LONG, 11, 10],
  8: [ColumnType.LONGLONG, 20, 20],
};

function catalogFields(t: SqlType): CatalogFields {
  switch (t.kind) {
    case 'integer':
      return {
        ...NONE,
        numericPrecision: INTEGER_PRECISION[t.length]![t.unsigned ? 1 : 0],
        numericScale: 0,
      };
    case 'boolean':
      return { ...NONE, numericPrecision: 3, numericScale: 0 };
    case 'decimal':
      return { ...NONE, numericPrecision: t.precision, numericScale: t.scale };
    case 'float':
      return { ...NONE, numericPrecision: 12 };
    case 'double':
      return { ...NONE, numericPrecision: 22 };
    case 'char':
    case 'varchar':
      return {
        ...NONE,
        characterMaximumLength: t.length,
        characterOctetLength: t.length * MB_MAX,
        characterSetName: TEXT_CHARSET,
        collationName: TEXT_COLLATION,
      };
    case 'text':
      return {
        ...NONE,
        characterMaximumLength: t.length,
        characterOctetLength: t.length,
        characterSetName: TEXT_CHARSET,
        collationName: TEXT_COLLATION,
      };
    case 'binary':
    case 'varbinary':
    case 'blob':
      return { ...NONE, characterMaximumLength: t.length, characterOctetLength: t.length };
    case 'datetime':
    case 'timestamp':
    case 'time':
      return { ...NONE, datetimePrecision: t.fsp };
    case 'bit':
      return { ...NONE, numericPrecision: t.length };
    case 'date':
    case 'year':
    case 'json':
      return NONE;
  }
}

const BINARY_NUM = ColumnFlag.BINARY | ColumnFlag.NUM;

/** The column definition MySQL sends for a value of this type (prepared metadata, OUT result sets). */
export function wireColumn(name: string, t: SqlType): ColumnFields {
  const unsignedFlag = t.unsigned ? ColumnFlag.UNSIGNED : 0;
  const col = (
    type: number,
    charset: number,
    length: number,
    flags: number,
    decimals = 0,
  ): ColumnFields => Object.freeze({ name, type, charset, length, flags, decimals });
  switch (t.kind) {
    case 'integer': {
      const [type, signedLength, unsignedLength] = INTEGER_WIRE[t.length]!;
      const length = t.unsigned ? unsignedLength : signedLength;
      return col(type, Charset.BINARY, length, BINARY_NUM | unsignedFlag);
    }
    case 'boolean':
      return col(ColumnType.TINY, Charset.BINARY, 1, BINARY_NUM);
    case 'decimal': {
      const length = t.precision + (t.scale > 0 ? 1 : 0) + (t.unsigned ? 0 : 1);
      return col(ColumnType.NEWDECIMAL, Charset.BINARY, length, BINARY_NUM | unsignedFlag, t.scale);
    }
    case 'float':
      return col(
        ColumnType.FLOAT,
        Charset.BINARY,
        12,
        BINARY_NUM | unsignedFlag,
        NOT_FIXED_DECIMALS,
      );
    case 'double':
      return col(
        ColumnType.DOUBLE,
        Charset.BINARY,
        22,
        BINARY_NUM | unsignedFlag,
        NOT_FIXED_DECIMALS,
      );
    case 'char':
      return col(ColumnType.STRING, Charset.UTF8MB4_GENERAL_CI, t.length * MB_MAX, 0);
    case 'varchar':
      return col(ColumnType.VAR_STRING, Charset.UTF8MB4_GENERAL_CI, t.length * MB_MAX, 0);
    case 'text':
      return col(
        ColumnType.BLOB,
        Charset.UTF8MB4_GENERAL_CI,
        Math.min(t.length * MB_MAX, 0xffffffff),
        ColumnFlag.BLOB,
      );
    case 'binary':
      return col(ColumnType.STRING, Charset.BINARY, t.length, ColumnFlag.BINARY);
    case 'varbinary':
      return col(ColumnType.VAR_STRING, Charset.BINARY, t.length, ColumnFlag.BINARY);
    case 'blob':
      return col(ColumnType.BLOB, Charset.BINARY, t.length, ColumnFlag.BINARY | ColumnFlag.BLOB);
    case 'date':
      return col(ColumnType.DATE, Charset.BINARY, 10, ColumnFlag.BINARY);
    case 'datetime':
    case 'timestamp': {
      const type = t.kind === 'datetime' ? ColumnType.DATETIME : ColumnType.TIMESTAMP;
      return col(type, Charset.BINARY, 19 + (t.fsp ? t.fsp + 1 : 0), ColumnFlag.BINARY, t.fsp);
    }
    case 'time':
      return col(
        ColumnType.TIME,
        Charset.BINARY,
        10 + (t.fsp ? t.fsp + 1 : 0),
        ColumnFlag.BINARY,
        t.fsp,
      );
    case 'year':
      return col(ColumnType.YEAR, Charset.BINARY, 4, BINARY_NUM | ColumnFlag.UNSIGNED);
    case 'json':
      return col(ColumnType.JSON, Charset.BINARY, 0xffffffff, ColumnFlag.BINARY | ColumnFlag.BLOB);
    case 'bit':
      return col(ColumnType.BIT, Charset.BINARY, t.length, ColumnFlag.UNSIGNED);
  }
}

/** A parameter as the catalog (information_schema.PARAMETERS, prepared metadata) describes it. */
export function catalogParameter(
  position: number,
  name: string,
  mode: ParameterMode,
  t: SqlType,
): CatalogParameter {
  return Object.freeze({
    position,
    name,
    mode,
    dataType: t.dataType,
    dtdIdentifier: t.dtd,
    ...catalogFields(t),
    column: wireColumn(name, t),
  });
}
