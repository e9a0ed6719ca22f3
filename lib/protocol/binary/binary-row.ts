import { Buffer } from 'node:buffer';
import { ColumnFlag, ColumnType } from '../constants.js';
import { MAX_NUMBER_TEXT, numberText } from '../number-text.js';
import type { PacketWriter } from '../packet-writer.js';
import type { ColumnFields, TextCell } from '../result-set.js';
import {
  clampInteger,
  doubleCellValue,
  FLOAT_MAX,
  int64CellWords,
  type Int64Words,
  integerCellValue,
  yearCellValue,
} from './cell-number.js';
import { readDateTimeCell, readTimeCell, temporalFields } from './temporal-text.js';

/*
 * Binary-protocol rows from the text cells the rest of the server builds.
 * Each cell is converted to the form its column's type demands: integers
 * in 1, 2, 4 or 8 bytes (clamped to the column's range, as MySQL stores an
 * out-of-range value), FLOAT and DOUBLE as IEEE bytes, temporal types in
 * their compact forms, and every other type (DECIMAL, strings, JSON,
 * BLOBs, BIT, ENUM, SET, GEOMETRY) as the very bytes the text row would
 * carry, so both protocols show a client the same value. See
 * cell-number.ts and temporal-text.ts for how text that does not fit the
 * type is read. Rows are the hot path: numbers are written straight into
 * the packet, and temporal text is parsed into one reused scratch record.
 */

const ROW_HEADER = 0x00;

/** Reused for every temporal cell: rows are written synchronously, one at a time. */
const fields = temporalFields();
/** Reused for the two words of a BIGINT. */
const words: Int64Words = { lo: 0, hi: 0 };
/** Reused to take the bytes of a FLOAT or DOUBLE without allocating. */
const ieee = new DataView(new ArrayBuffer(8));

/** NULL bitmap bytes of a binary row: one bit per column after two reserved bits. */
const bitmapBytes = (columns: number): number => (columns + 9) >> 3;

const lenencSize = (n: number): number => (n < 0xfb ? 1 : n < 0x10000 ? 3 : n < 0x1000000 ? 4 : 9);

/** NULL-typed columns are NULL whatever the cell says. */
const isNull = (column: ColumnFields, cell: TextCell | undefined): cell is null | undefined =>
  cell === null || cell === undefined || column.type === ColumnType.NULL;

/**
 * Whether a binary row's payload fits in `limit` bytes: an upper bound
 * first, exact sizes (measuring strings, parsing temporal text) only when
 * the bound does not settle it. One cell per column; missing cells are NULL.
 */
export function binaryRowFits(
  columns: readonly ColumnFields[],
  cells: readonly TextCell[],
  limit: number,
): boolean {
  const head = 1 + bitmapBytes(columns.length);
  let upper = head;
  for (let i = 0; i < columns.length; i++) upper += valueSize(columns[i]!, cells[i], false);
  if (upper <= limit) return true;
  let exact = head;
  for (let i = 0; i < columns.length && exact <= limit; i++) {
    exact += valueSize(columns[i]!, cells[i], true);
  }
  return exact <= limit;
}

function valueSize(column: ColumnFields, cell: TextCell | undefined, exact: boolean): number {
  if (isNull(column, cell)) return 0;
  switch (column.type) {
    case ColumnType.TINY:
      return 1;
    case ColumnType.SHORT:
    case ColumnType.YEAR:
      return 2;
    case ColumnType.LONG:
    case ColumnType.INT24:
    case ColumnType.FLOAT:
      return 4;
    case ColumnType.LONGLONG:
    case ColumnType.DOUBLE:
      return 8;
    case ColumnType.DATE:
      return 1 + (exact ? dateTimeLength(cell, false) : 4);
    case ColumnType.DATETIME:
    case ColumnType.TIMESTAMP:
      return 1 + (exact ? dateTimeLength(cell, true) : 11);
    case ColumnType.TIME:
      return 1 + (exact ? timeLength(cell) : 12);
    default: {
      // result-set.ts's cellSize, written out: calling it costs exact sizing about 20%.
      let n: number;
      if (typeof cell === 'number') n = exact ? numberText(cell).length : MAX_NUMBER_TEXT;
      else if (typeof cell === 'string') n = exact ? Buffer.byteLength(cell) : cell.length * 3;
      else n = cell.length;
      return lenencSize(n) + n;
    }
  }
}

/**
 * Writes one binary-protocol row (0x00, NULL bitmap at offset 2, values)
 * whose payload is at most `maxPayload` bytes; returns false, having
 * written nothing, for a larger one.
 */
export function writeBinaryRow(
  w: PacketWriter,
  columns: readonly ColumnFields[],
  cells: readonly TextCell[],
  maxPayload: number,
): boolean {
  if (!binaryRowFits(columns, cells, maxPayload)) return false;
  const n = columns.length;
  w.begin().u8(ROW_HEADER);
  let byte = 0;
  let bit = 1 << 2;
  for (let i = 0; i < n; i++) {
    if (isNull(columns[i]!, cells[i])) byte |= bit;
    bit <<= 1;
    if (bit === 0x100) {
      w.u8(byte);
      byte = 0;
      bit = 1;
    }
  }
  if (bit !== 1) w.u8(byte);
  for (let i = 0; i < n; i++) {
    const column = columns[i]!;
    const cell = cells[i];
    if (!isNull(column, cell)) writeValue(w, column, cell);
  }
  w.end();
  return true;
}

function writeValue(w: PacketWriter, column: ColumnFields, cell: string | Buffer | number): void {
  const unsigned = (column.flags & ColumnFlag.UNSIGNED) !== 0;
  switch (column.type) {
    case ColumnType.TINY:
      w.u8(
        clampInteger(integerCellValue(cell), unsigned ? 0 : -0x80, unsigned ? 0xff : 0x7f) & 0xff,
      );
      return;
    case ColumnType.SHORT:
      w.u16(
        clampInteger(integerCellValue(cell), unsigned ? 0 : -0x8000, unsigned ? 0xffff : 0x7fff) &
          0xffff,
      );
      return;
    case ColumnType.YEAR:
      w.u16(yearCellValue(cell));
      return;
    case ColumnType.INT24:
      // MEDIUMINT's range, in the four bytes the binary protocol gives it.
      w.u32(
        clampInteger(
          integerCellValue(cell),
          unsigned ? 0 : -0x800000,
          unsigned ? 0xffffff : 0x7fffff,
        ),
      );
      return;
    case ColumnType.LONG:
      w.u32(
        clampInteger(
          integerCellValue(cell),
          unsigned ? 0 : -0x80000000,
          unsigned ? 0xffffffff : 0x7fffffff,
        ),
      );
      return;
    case ColumnType.LONGLONG:
      int64CellWords(cell, unsigned, words);
      w.u32(words.lo).u32(words.hi);
      return;
    case ColumnType.FLOAT: {
      const v = doubleCellValue(cell);
      ieee.setFloat32(0, v > FLOAT_MAX ? FLOAT_MAX : v < -FLOAT_MAX ? -FLOAT_MAX : v, true);
      w.u32(ieee.getUint32(0, true));
      return;
    }
    case ColumnType.DOUBLE:
      ieee.setFloat64(0, doubleCellValue(cell), true);
      w.u32(ieee.getUint32(0, true)).u32(ieee.getUint32(4, true));
      return;
    case ColumnType.DATE:
      writeDateTime(w, cell, false);
      return;
    case ColumnType.DATETIME:
    case ColumnType.TIMESTAMP:
      writeDateTime(w, cell, true);
      return;
    case ColumnType.TIME:
      writeTime(w, cell);
      return;
    default:
      if (typeof cell === 'string') w.lenencText(cell);
      else if (typeof cell === 'number') w.lenencNumber(cell);
      else w.lenencBytes(cell);
  }
}

/** Parses a DATE/DATETIME cell into `fields`; the binary length its value needs (0, 4, 7 or 11). */
function dateTimeLength(cell: string | Buffer | number, withTime: boolean): number {
  readDateTimeCell(cell, fields);
  if (withTime) {
    if (fields.micro !== 0) return 11;
    if ((fields.hour | fields.minute | fields.second) !== 0) return 7;
  }
  return (fields.year | fields.month | fields.day) !== 0 ? 4 : 0;
}

/** Parses a TIME cell into `fields`; the binary length its value needs (0, 8 or 12). */
function timeLength(cell: string | Buffer | number): number {
  readTimeCell(cell, fields);
  if (fields.micro !== 0) return 12;
  return (fields.hour | fields.minute | fields.second) !== 0 ? 8 : 0;
}

/** DATE, DATETIME and TIMESTAMP: length, then as many fields as the value needs. */
function writeDateTime(w: PacketWriter, cell: string | Buffer | number, withTime: boolean): void {
  const length = dateTimeLength(cell, withTime);
  w.u8(length);
  if (length === 0) return;
  w.u16(fields.year).u8(fields.month).u8(fields.day);
  if (length === 4) return;
  w.u8(fields.hour).u8(fields.minute).u8(fields.second);
  if (length === 11) w.u32(fields.micro);
}

/** TIME: length, sign, days, hours of the day, minutes, seconds, then microseconds if any. */
function writeTime(w: PacketWriter, cell: string | Buffer | number): void {
  const length = timeLength(cell);
  w.u8(length);
  if (length === 0) return;
  const hours = fields.hour;
  w.u8(fields.negative ? 1 : 0)
    .u32(Math.floor(hours / 24))
    .u8(hours % 24)
    .u8(fields.minute)
    .u8(fields.second);
  if (length === 12) w.u32(fields.micro);
}
