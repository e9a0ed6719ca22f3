import { Capability } from './constants.js';
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

/** One text-protocol cell. */
export type TextCell = string | Buffer | null;

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

/** Writes one text-protocol row. */
export function writeTextRow(w: PacketWriter, cells: readonly TextCell[]): void {
  w.begin();
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (cell === null || cell === undefined) w.u8(NULL_CELL);
    else if (typeof cell === 'string') w.lenencText(cell);
    else w.lenencBytes(cell);
  }
  w.end();
}

/**
 * Writes a whole text result set: column count, definitions, the EOF after
 * them unless DEPRECATE_EOF, the rows, and the closing marker carrying
 * `status` (which says whether more result sets follow).
 */
export function writeTextResultSet(
  w: PacketWriter,
  capabilities: number,
  columns: readonly ColumnFields[],
  rows: readonly (readonly TextCell[])[],
  status: number,
  warnings = 0,
): void {
  w.begin().lenenc(columns.length).end();
  for (const c of columns) writeColumnDefinition(w, c);
  if (!(capabilities & Capability.DEPRECATE_EOF)) writeEndMarker(w, capabilities, status);
  for (const row of rows) writeTextRow(w, row);
  writeEndMarker(w, capabilities, status, warnings);
}
