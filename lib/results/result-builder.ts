import { columnOfType } from './column-definition.js';
import { encodeCell, type Cell, type CellFormat, type EncodeOptions } from './cell-encoder.js';
import { ColumnTypeInference, type TypedColumn } from './infer-column.js';
import { MysqlResultStream } from './result-stream.js';
import {
  MysqlOk,
  MysqlResultSet,
  type MysqlColumn,
  type MysqlOkFields,
  type MysqlRow,
} from './result-values.js';

/**
 * Rows a handler returned, read in place: no copy of the rows is made, so
 * a large result costs only its encoding, which the session does in slices.
 */
export interface RowTable {
  /** Column names, in order. */
  readonly names: readonly string[];
  /** Declared columns by position (a MysqlResultSet's); others are inferred. */
  readonly declared: readonly MysqlColumn[];
  /** Number of rows. */
  readonly length: number;
  /** The value in row `r`, column `c`. */
  value(r: number, c: number): unknown;
  /**
   * For rows that are objects: widens `names` with the keys first seen in
   * rows before `upTo`. Called over all rows, in slices, before typing.
   */
  addNames?(upTo: number): void;
}

/** What one value a handler produced becomes in the reply. */
export type ReplyPlan =
  | { readonly kind: 'none' }
  | { readonly kind: 'ok'; readonly ok: MysqlOkFields }
  | { readonly kind: 'table'; readonly table: RowTable }
  | { readonly kind: 'stream'; readonly stream: MysqlResultStream };

const NONE: ReplyPlan = { kind: 'none' };

const isRowObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  !(v instanceof Date) &&
  !(v instanceof Uint8Array);

/**
 * Classifies a handler's value: nothing -> OK; an object -> one row; an
 * array of objects -> rows; any other array -> one row per element in a
 * single column; a scalar -> one row, one column named `scalarColumn`;
 * MysqlOk, MysqlResultSet and MysqlResultStream as they say.
 */
export function planReply(value: unknown, scalarColumn: string): ReplyPlan {
  if (value === undefined || value === null) return NONE;
  if (value instanceof MysqlOk) return { kind: 'ok', ok: value };
  if (value instanceof MysqlResultStream) return { kind: 'stream', stream: value };
  if (value instanceof MysqlResultSet) return table(declaredTable(value));
  if (Array.isArray(value)) {
    if (value.length === 0) return NONE;
    if (value.every(isRowObject)) return objectTable(value);
    return table(scalarTable(scalarColumn, value));
  }
  if (isRowObject(value)) return objectTable([value]);
  return table(scalarTable(scalarColumn, [value]));
}

const table = (t: RowTable): ReplyPlan => ({ kind: 'table', table: t });

function scalarTable(name: string, values: readonly unknown[]): RowTable {
  return { names: [name], declared: [], length: values.length, value: (r) => values[r] };
}

function objectTable(objects: readonly Record<string, unknown>[]): ReplyPlan {
  const names = Object.keys(objects[0]!);
  const seen = new Set(names);
  let scanned = 1;
  // Columns are the union of all rows' keys, in first-seen order: taking it
  // reads every row, so for most tables it is left to the writer's slices.
  const addNames = (upTo: number): void => {
    for (; scanned < upTo; scanned++) {
      for (const key of Object.keys(objects[scanned]!)) {
        if (!seen.has(key)) {
          seen.add(key);
          names.push(key);
        }
      }
    }
  };
  // Only a first row with no keys needs the union now: no keys anywhere is an OK.
  if (names.length === 0) {
    addNames(objects.length);
    if (names.length === 0) return NONE;
  }
  return table({
    names,
    declared: [],
    length: objects.length,
    value: (r, c) => objects[r]![names[c]!],
    addNames,
  });
}

function declaredTable(rs: MysqlResultSet): RowTable {
  const names = rs.columns.map((c) => c.name);
  const rows = rs.rows;
  return {
    names,
    declared: rs.columns,
    length: rows.length,
    value: (r, c) => {
      const row = rows[r]!;
      return Array.isArray(row) ? row[c] : (row as Record<string, unknown>)[names[c]!];
    },
  };
}

/** The column a declaration gives, or null when its type is left to inference. */
export function declaredColumn(c: MysqlColumn): TypedColumn | null {
  if (!c.type) return null;
  const format: CellFormat =
    c.type === 'JSON'
      ? 'json'
      : c.type === 'BLOB' || c.type === 'BIT'
        ? 'binary'
        : c.type === 'DATE'
          ? 'date'
          : c.type === 'DATETIME' || c.type === 'TIMESTAMP'
            ? 'datetime'
            : 'text';
  return { definition: columnOfType(c.name, c.type, c), format };
}

/**
 * Column typing over a table, fed a range of rows at a time so that a
 * large table can be typed in slices; columns with a declared type skip it.
 */
export class TableTyping {
  private readonly fixed: (TypedColumn | null)[];
  private readonly inference: (ColumnTypeInference | null)[];

  constructor(private readonly rows: RowTable) {
    this.fixed = rows.names.map((_, i) => {
      const declared = rows.declared[i];
      return declared ? declaredColumn(declared) : null;
    });
    this.inference = this.fixed.map((f) => (f ? null : new ColumnTypeInference()));
  }

  /** Looks at rows [from, to). */
  observe(from: number, to: number): void {
    const { rows, inference } = this;
    for (let c = 0; c < inference.length; c++) {
      const inf = inference[c];
      if (!inf) continue;
      for (let r = from; r < to; r++) inf.observe(rows.value(r, c));
    }
  }

  /** The columns, once every row has been observed. */
  resolve(): TypedColumn[] {
    return this.fixed.map((f, c) => f ?? this.inference[c]!.resolve(this.rows.names[c]!));
  }
}

/** Encodes row `r` of a table into `out`, one text cell per column. */
export function encodeRow(
  rows: RowTable,
  r: number,
  columns: readonly TypedColumn[],
  options: EncodeOptions,
  out: Cell[],
): Cell[] {
  for (let c = 0; c < columns.length; c++) {
    out[c] = encodeCell(rows.value(r, c), columns[c]!.format, options);
  }
  return out;
}

/** Encodes one streamed row (positional, or an object keyed by column name) into `out`. */
export function encodeStreamRow(
  row: MysqlRow,
  columns: readonly TypedColumn[],
  options: EncodeOptions,
  out: Cell[],
): Cell[] {
  const positional = Array.isArray(row);
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c]!;
    const value = positional
      ? (row as readonly unknown[])[c]
      : (row as Readonly<Record<string, unknown>>)[column.definition.name];
    out[c] = encodeCell(value, column.format, options);
  }
  return out;
}
