import { Capability } from './constants.js';
import { MAX_NUMBER_TEXT, numberText } from './number-text.js';
import type { PacketWriter } from './packet-writer.js';
import { writeEndMarker } from './packets.js';

/** Column attributes the column definition packet carries. */
export interface ColumnFields {
  readonly name: string;
  readonly type: number;
  readonly charset: number;
  readonly length: number;
  readonly flags: number;
  readonly decimals: number;
}

/** One text-protocol cell: text, bytes, a finite number (written as MySQL writes a DOUBLE), or NULL. */
export type TextCell = string | Buffer | number | null;

const NULL_CELL = 0xfb;

// Encoded payloads by column object: callers that reuse column objects
// (frozen, one per shape) get each definition packet encoded only once.
const encoded = new WeakMap<ColumnFields, Buffer>();

/** Writes a ColumnDefinition41 packet. */
export function writeColumnDefinition(w: PacketWriter, c: ColumnFields): void {
  const cached = encoded.get(c);
  if (cached) {
    w.begin().bytes(cached).end();
    return;
  }
  const start = w.length + 4;
  encodeColumnDefinition(w, c);
  // A definition long enough to be split is not worth caching (nor simple to).
  if (Object.isFrozen(c) && w.length - start < 0xffff) encoded.set(c, w.slice(start, w.length));
}

function encodeColumnDefinition(w: PacketWriter, c: ColumnFields): void {
  w.begin()
    .lenencText('def')
    .lenencText('')
    .lenencText('')
    .lenencText('')
    .lenencText(c.name)
    .lenencText(c.name)
    .u8(0x0c)
    .u16(c.charset)
    .u32(c.length)
    .u8(c.type)
    .u16(c.flags)
    .u8(c.decimals)
    .u16(0)
    .end();
}

/**
 * Writes what precedes the rows of a result set: the column count, the
 * definitions, and the EOF after them unless DEPRECATE_EOF.
 */
export function writeResultSetHeader(
  w: PacketWriter,
  capabilities: number,
  columns: readonly ColumnFields[],
  status: number,
): void {
  w.begin().lenenc(columns.length).end();
  for (const c of columns) writeColumnDefinition(w, c);
  if (!(capabilities & Capability.DEPRECATE_EOF)) writeEndMarker(w, capabilities, status);
}

const lenencSize = (n: number): number => (n < 0xfb ? 1 : n < 0x10000 ? 3 : n < 0x1000000 ? 4 : 9);

/**
 * Whether a row's payload fits in `limit` bytes. An upper bound (3 bytes a
 * UTF-16 unit) settles almost every row in one cheap pass; strings are only
 * measured exactly when it does not, so an oversized row is refused before
 * any of it is encoded.
 */
export function textRowFits(cells: readonly TextCell[], limit: number): boolean {
  let upper = 0;
  for (let i = 0; i < cells.length; i++) upper += cellSize(cells[i]!, false);
  if (upper <= limit) return true;
  let exact = 0;
  for (let i = 0; i < cells.length && exact <= limit; i++) exact += cellSize(cells[i]!, true);
  return exact <= limit;
}

/** Bytes a cell takes in a row, exactly or as an upper bound that needs no measuring. */
function cellSize(cell: TextCell, exact: boolean): number {
  if (cell === null) return 1;
  let n: number;
  if (typeof cell === 'number') n = exact ? numberText(cell).length : MAX_NUMBER_TEXT;
  else if (typeof cell === 'string') n = exact ? Buffer.byteLength(cell) : cell.length * 3;
  else n = cell.length;
  return lenencSize(n) + n;
}

/**
 * Writes one text-protocol row whose payload is at most `maxPayload` bytes;
 * returns false, having written nothing, for a larger one.
 */
export function writeTextRow(
  w: PacketWriter,
  cells: readonly TextCell[],
  maxPayload: number,
): boolean {
  if (!textRowFits(cells, maxPayload)) return false;
  w.begin();
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (cell === null || cell === undefined) w.u8(NULL_CELL);
    else if (typeof cell === 'string') w.lenencText(cell);
    else if (typeof cell === 'number') w.lenencNumber(cell);
    else w.lenencBytes(cell);
  }
  w.end();
  return true;
}
