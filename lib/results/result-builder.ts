import { columnOfType, type ColumnDefinition } from './column-definition.js';
import { encodeCell, type Cell, type CellFormat, type EncodeOptions } from './cell-encoder.js';
import { ColumnTypeInference, type TypedColumn } from './infer-column.js';
import { MysqlOk, MysqlResultSet, type MysqlColumn, type MysqlOkFields } from './result-values.js';

/** A result set ready for the wire: column definitions and text cells. */
export interface EncodedResultSet {
  readonly columns: readonly ColumnDefinition[];
  readonly rows: readonly (readonly Cell[])[];
}

/** What one value a handler produced becomes in the reply. */
export type ReplyPart =
  | { readonly kind: 'rows'; readonly resultSet: EncodedResultSet }
  | { readonly kind: 'ok'; readonly ok: MysqlOkFields }
  | { readonly kind: 'none' };

const NONE: ReplyPart = { kind: 'none' };

const isRowObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  !(v instanceof Date) &&
  !(v instanceof Uint8Array);

/**
 * Maps a handler's value to a reply part: nothing -> OK; an object -> one
 * row; an array of objects -> rows; any other array -> one row per element
 * in a single column; a scalar -> one row, one column named `scalarColumn`.
 */
export function toReplyPart(
  value: unknown,
  scalarColumn: string,
  options: EncodeOptions,
): ReplyPart {
  if (value === undefined || value === null) return NONE;
  if (value instanceof MysqlOk) return { kind: 'ok', ok: value };
  if (value instanceof MysqlResultSet) return rows(encodeDeclared(value, options));
  if (Array.isArray(value)) {
    if (value.length === 0) return NONE;
    if (value.every(isRowObject)) return objectRows(value, options);
    return rows(
      encodeColumns(
        [scalarColumn],
        value.map((v) => [v]),
        [],
        options,
      ),
    );
  }
  if (isRowObject(value)) return objectRows([value], options);
  return rows(encodeColumns([scalarColumn], [[value]], [], options));
}

const rows = (resultSet: EncodedResultSet): ReplyPart => ({ kind: 'rows', resultSet });

function objectRows(objects: Record<string, unknown>[], options: EncodeOptions): ReplyPart {
  const first = Object.keys(objects[0]!);
  let names = first;
  if (objects.length > 1) {
    const seen = new Set(first);
    for (let i = 1; i < objects.length; i++) {
      for (const key of Object.keys(objects[i]!)) seen.add(key);
    }
    if (seen.size !== first.length) names = [...seen];
  }
  if (names.length === 0) return NONE;
  const positional = objects.map((o) => names.map((n) => o[n]));
  return rows(encodeColumns(names, positional, [], options));
}

function encodeDeclared(rs: MysqlResultSet, options: EncodeOptions): EncodedResultSet {
  const names = rs.columns.map((c) => c.name);
  const positional = rs.rows.map((r) =>
    Array.isArray(r) ? r : names.map((n) => (r as Record<string, unknown>)[n]),
  );
  return encodeColumns(names, positional, rs.columns, options);
}

function declaredColumn(c: MysqlColumn): TypedColumn | null {
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

function encodeColumns(
  names: readonly string[],
  positional: readonly (readonly unknown[])[],
  declared: readonly MysqlColumn[],
  options: EncodeOptions,
): EncodedResultSet {
  const typed: TypedColumn[] = names.map((name, i) => {
    const explicit = declared[i] ? declaredColumn(declared[i]) : null;
    if (explicit) return explicit;
    const inference = new ColumnTypeInference();
    for (const row of positional) inference.observe(row[i]);
    return inference.resolve(name);
  });
  const width = names.length;
  const out: Cell[][] = new Array(positional.length);
  for (let r = 0; r < positional.length; r++) {
    const source = positional[r]!;
    const cells: Cell[] = new Array(width);
    for (let c = 0; c < width; c++) cells[c] = encodeCell(source[c], typed[c]!.format, options);
    out[r] = cells;
  }
  return { columns: typed.map((t) => t.definition), rows: out };
}
