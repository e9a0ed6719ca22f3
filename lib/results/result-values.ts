import type { MysqlColumnTypeName } from './column-definition.js';

const UINT64_MAX = 2n ** 64n - 1n;

/** A column a handler declares; any attribute left out is inferred from the values. */
export interface MysqlColumn {
  /** Column name as the client sees it. */
  name: string;
  /** SQL type; inferred over all rows when omitted. */
  type?: MysqlColumnTypeName;
  /** Adds the UNSIGNED flag to an integer type. */
  unsigned?: boolean;
  /** Display length reported in the column definition. */
  length?: number;
  /** Digits after the decimal point (DECIMAL, DATETIME, TIME). */
  decimals?: number;
}

/** Row data for `MysqlResultSet`: arrays by position or objects by column name. */
export type MysqlRow = readonly unknown[] | Readonly<Record<string, unknown>>;

/**
 * An explicit result set: declared column names and types, then rows. Use
 * it for empty results (which carry no columns to infer), for column order
 * or names that plain objects cannot express, and for exact SQL types.
 */
export class MysqlResultSet {
  /** Declared columns, in order. */
  readonly columns: readonly MysqlColumn[];

  constructor(
    columns: ReadonlyArray<string | MysqlColumn>,
    /** The rows, each an array by position or an object keyed by column name. */
    readonly rows: readonly MysqlRow[] = [],
  ) {
    if (columns.length === 0) throw new Error('MysqlResultSet needs at least one column');
    this.columns = columns.map((c) => (typeof c === 'string' ? { name: c } : c));
  }
}

/** Fields of the OK packet a handler may set. */
export interface MysqlOkFields {
  /** Rows the call changed (`ROW_COUNT()` on the client). */
  affectedRows?: number | bigint;
  /** Last insert id (`LAST_INSERT_ID()` on the client). */
  insertId?: number | bigint;
  /** Human-readable info string (`mysql_info()`). */
  info?: string;
  /** Warning count the client may ask about with SHOW WARNINGS. */
  warnings?: number;
}

/** An explicit OK reply: no rows, but affected rows, insert id and info. */
export class MysqlOk implements MysqlOkFields {
  readonly affectedRows?: number | bigint;
  readonly insertId?: number | bigint;
  readonly info?: string;
  readonly warnings?: number;

  constructor(fields: MysqlOkFields = {}) {
    for (const [name, v] of [
      ['affectedRows', fields.affectedRows],
      ['insertId', fields.insertId],
    ] as const) {
      const valid =
        v === undefined ||
        (typeof v === 'bigint' ? v >= 0n && v <= UINT64_MAX : Number.isSafeInteger(v) && v >= 0);
      if (!valid) throw new RangeError(`MysqlOk.${name} must be an integer in 0..2^64-1`);
    }
    if (fields.info !== undefined && typeof fields.info !== 'string') {
      throw new TypeError('MysqlOk.info must be a string');
    }
    if (fields.warnings !== undefined && !(fields.warnings >= 0 && fields.warnings <= 0xffff)) {
      throw new RangeError('MysqlOk.warnings must be in 0..65535');
    }
    Object.assign(this, fields);
  }
}
