import type { Buffer } from 'node:buffer';
import type { SqlValue } from '../../sql/types.js';
import { BulkFlag, BulkIndicator, Capability, CursorType } from '../constants.js';
import { MalformedPacketError, PayloadReader } from '../payload-reader.js';
import { boundType, isBindableType, longDataValue, readBinaryValue } from './binary-value.js';

/*
 * Readers for the commands that drive a prepared statement. Each takes the
 * whole payload, command byte first, and throws MalformedPacketError for
 * anything short or contradictory; bytes after the last field are ignored,
 * as MySQL ignores them.
 */

/** The parameter types a statement was last bound with (the new-params-bound flag reuses them). */
export interface BoundParameters {
  /** Per parameter: the type code, | PARAMETER_UNSIGNED (0x8000) when unsigned. */
  types: Uint16Array;
}

/** A decoded COM_STMT_EXECUTE. */
export interface ExecuteRequest extends BoundParameters {
  statementId: number;
  /** The flags byte: cursor type, and PARAMETER_COUNT_AVAILABLE. */
  flags: number;
  /** Always 1 from MySQL clients; read, not used. */
  iterationCount: number;
  /** One value per placeholder, in order. */
  values: SqlValue[];
}

/** A decoded COM_STMT_SEND_LONG_DATA. */
export interface LongDataPiece {
  statementId: number;
  paramId: number;
  /** A view of the payload: copy it to keep it. */
  data: Buffer;
}

/** A decoded COM_STMT_FETCH. */
export interface FetchRequest {
  statementId: number;
  rows: number;
}

/** A decoded COM_STMT_BULK_EXECUTE (MariaDB). */
export interface BulkExecuteRequest extends BoundParameters {
  statementId: number;
  /** BulkFlag bits. */
  flags: number;
  /** One array of values per row; DEFAULT and IGNORE indicators are null. */
  rows: SqlValue[][];
}

const NO_TYPES = new Uint16Array(0);
/** Command byte, statement id. */
const ID_END = 5;

/** The statement id after the command byte of any COM_STMT_* command. */
export function readStatementId(payload: Buffer): number {
  if (payload.length < ID_END) throw new MalformedPacketError();
  return payload.readUInt32LE(1);
}

/**
 * Reads COM_STMT_EXECUTE as MySQL 8 lays it out: null bitmap (offset 0),
 * new-params-bound flag, 2-byte types, values. With QUERY_ATTRIBUTES a
 * `parameter_count` comes first (when there are parameters, or the flags
 * say so) and every type is followed by a name; attributes beyond the
 * statement's own parameters are read and dropped. A parameter with long
 * data takes it, whatever its null bit, and has no bytes in the packet.
 */
export function readExecuteParams(
  payload: Buffer,
  paramCount: number,
  previous: Uint16Array | null,
  longData: ReadonlyArray<Buffer | null> | null,
  capabilities: number,
): ExecuteRequest {
  const r = new PayloadReader(payload);
  r.skip(1);
  const statementId = r.u32();
  const flags = r.u8();
  const iterationCount = r.u32();
  const attributes = (capabilities & Capability.QUERY_ATTRIBUTES) !== 0;
  let count = paramCount;
  if (attributes && (paramCount > 0 || (flags & CursorType.PARAMETER_COUNT_AVAILABLE) !== 0)) {
    count = r.lenenc();
    if (count < paramCount) throw new MalformedPacketError();
  }
  if (count === 0) return { statementId, flags, iterationCount, values: [], types: NO_TYPES };
  const nullBitmap = r.offset;
  r.skip((count + 7) >> 3);
  const bitmap = r.payload;
  let all: Uint16Array;
  let types: Uint16Array;
  if (r.u8() !== 0) {
    // Every type takes two bytes (three with its name): refuse a count the packet cannot hold before allocating for it.
    if (count * (attributes ? 3 : 2) > r.remaining) throw new MalformedPacketError();
    all = new Uint16Array(count);
    for (let i = 0; i < count; i++) {
      const type = boundType(r.u8(), r.u8());
      if (!isBindableType(type)) throw new MalformedPacketError();
      all[i] = type;
      if (attributes) r.skip(r.lenenc());
    }
    types = count === paramCount ? all : all.slice(0, paramCount);
  } else {
    // Attributes have no types to fall back on, and a statement never bound has none either.
    if (previous === null || previous.length !== paramCount || count !== paramCount) {
      throw new MalformedPacketError();
    }
    all = types = previous;
  }
  const values = new Array<SqlValue>(paramCount);
  for (let i = 0; i < count; i++) {
    const long = i < paramCount ? (longData?.[i] ?? null) : null;
    let value: SqlValue;
    if (long !== null) value = longDataValue(all[i]!, long);
    else if ((bitmap[nullBitmap + (i >> 3)]! & (1 << (i & 7))) !== 0) value = null;
    else value = readBinaryValue(r, all[i]!);
    if (i < paramCount) values[i] = value;
  }
  return { statementId, flags, iterationCount, values, types };
}

/** Reads COM_STMT_SEND_LONG_DATA: statement id, parameter number, then the piece itself. */
export function readSendLongData(payload: Buffer): LongDataPiece {
  if (payload.length < ID_END + 2) throw new MalformedPacketError();
  return {
    statementId: payload.readUInt32LE(1),
    paramId: payload.readUInt16LE(ID_END),
    data: payload.subarray(ID_END + 2),
  };
}

/** Reads COM_STMT_FETCH: statement id and the number of rows asked for. */
export function readFetch(payload: Buffer): FetchRequest {
  if (payload.length < ID_END + 4) throw new MalformedPacketError();
  return { statementId: payload.readUInt32LE(1), rows: payload.readUInt32LE(ID_END) };
}

/**
 * Reads MariaDB's COM_STMT_BULK_EXECUTE: 2-byte flags, the types when
 * SEND_TYPES_TO_SERVER (else those bound before), then rows until the
 * payload ends, each value preceded by an indicator. DEFAULT and IGNORE
 * only mean something to an INSERT or UPDATE; a procedure argument has no
 * default, so they arrive as null. A statement without parameters has no
 * rows to tell apart, and is refused.
 */
export function readBulkExecute(
  payload: Buffer,
  paramCount: number,
  previous: Uint16Array | null,
): BulkExecuteRequest {
  const r = new PayloadReader(payload);
  r.skip(1);
  const statementId = r.u32();
  const flags = r.u16();
  if (paramCount === 0) throw new MalformedPacketError();
  let types: Uint16Array;
  if ((flags & BulkFlag.SEND_TYPES_TO_SERVER) !== 0) {
    if (paramCount * 2 > r.remaining) throw new MalformedPacketError();
    types = new Uint16Array(paramCount);
    for (let i = 0; i < paramCount; i++) {
      const type = boundType(r.u8(), r.u8());
      if (!isBindableType(type)) throw new MalformedPacketError();
      types[i] = type;
    }
  } else {
    if (previous === null || previous.length !== paramCount) throw new MalformedPacketError();
    types = previous;
  }
  const rows: SqlValue[][] = [];
  while (r.remaining > 0) {
    const row = new Array<SqlValue>(paramCount);
    for (let i = 0; i < paramCount; i++) {
      const indicator = r.u8();
      if (indicator === BulkIndicator.NONE) row[i] = readBinaryValue(r, types[i]!);
      else if (indicator <= BulkIndicator.IGNORE) row[i] = null;
      else throw new MalformedPacketError();
    }
    rows.push(row);
  }
  return { statementId, flags, types, rows };
}
