import { stringType, Types, type ColumnSpec, type ResultType } from '../../sql/query/index.js';

/** Attributes a column declaration may set besides its name and type. */
interface ColumnOptions {
  /** May hold NULL (information_schema's NOT NULL columns leave this out). */
  readonly nullable?: boolean;
  /** Compares case-sensitively: names of schemas and tables (lower_case_table_names = 0). */
  readonly bin?: boolean;
}

function column(name: string, type: ResultType, sqlType: string, o: ColumnOptions): ColumnSpec {
  return Object.freeze({
    name,
    type,
    sqlType,
    collation: o.bin ? 'bin' : 'ci',
    nullable: o.nullable ?? false,
  });
}

/** A `varchar(length)` column. */
export function varchar(name: string, length: number, o: ColumnOptions = {}): ColumnSpec {
  return column(name, stringType(length), `varchar(${length})`, o);
}

/** A text column of unbounded length (`longtext`, `text`, `mediumtext`). */
export function text(name: string, sqlType = 'longtext', o: ColumnOptions = {}): ColumnSpec {
  return column(name, Types.STRING, sqlType, o);
}

/** An `enum(...)` column, which clients read as a string. */
export function enumeration(
  name: string,
  values: readonly string[],
  o: ColumnOptions = {},
): ColumnSpec {
  const longest = Math.max(...values.map((v) => v.length));
  return column(name, stringType(longest), `enum(${values.map((v) => `'${v}'`).join(',')})`, o);
}

/** An integer column: `int`, `int unsigned`, `bigint`, `bigint unsigned`. */
export function integer(name: string, sqlType: string, o: ColumnOptions = {}): ColumnSpec {
  return column(name, sqlType.endsWith('unsigned') ? Types.UNSIGNED : Types.INT, sqlType, o);
}

/** A `datetime` or `timestamp` column, seconds only. */
export function datetime(name: string, sqlType = 'datetime', o: ColumnOptions = {}): ColumnSpec {
  return column(name, { kind: 'temporal', type: 'DATETIME', fsp: 0 }, sqlType, o);
}

/** The `binary(0)` columns MySQL keeps for SQL standard fields it never fills (SQL_PATH). */
export function alwaysNull(name: string): ColumnSpec {
  return column(name, { kind: 'binary', length: 0 }, 'binary(0)', { nullable: true });
}
