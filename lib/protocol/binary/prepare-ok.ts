import { Capability, Charset, ColumnFlag, ColumnType, ServerStatus } from '../constants.js';
import type { PacketWriter } from '../packet-writer.js';
import { writeEndMarker } from '../packets.js';
import { type ColumnFields, writeColumnDefinition } from '../result-set.js';

const PREPARE_OK = 0x00;

/**
 * Writes the reply to COM_STMT_PREPARE: the PREPARE_OK packet (statement
 * id, column and parameter counts, warnings), then the parameter
 * definitions and the column definitions, each list closed by an EOF
 * unless DEPRECATE_EOF; an empty list sends nothing at all, EOF included.
 * `status` goes into those EOFs.
 */
export function writePrepareOk(
  w: PacketWriter,
  capabilities: number,
  statementId: number,
  params: readonly ColumnFields[],
  columns: readonly ColumnFields[],
  warnings: number,
  status: number = ServerStatus.AUTOCOMMIT,
): void {
  w.begin()
    .u8(PREPARE_OK)
    .u32(statementId)
    .u16(columns.length)
    .u16(params.length)
    .u8(0)
    .u16(Math.min(warnings, 0xffff))
    .end();
  writeDefinitions(w, capabilities, params, status);
  writeDefinitions(w, capabilities, columns, status);
}

function writeDefinitions(
  w: PacketWriter,
  capabilities: number,
  definitions: readonly ColumnFields[],
  status: number,
): void {
  if (definitions.length === 0) return;
  for (const d of definitions) writeColumnDefinition(w, d);
  if (!(capabilities & Capability.DEPRECATE_EOF)) writeEndMarker(w, capabilities, status);
}

/**
 * An untyped `?` says it has no type: MYSQL_TYPE_NULL in the binary
 * charset, length 0, flag BINARY, which is what MariaDB sends for every
 * placeholder (captured from 10.11). MySQL 8.0.22+ sends VAR_STRING when
 * it cannot derive a type, and an integer type where it knows one is
 * needed; a handler's argument takes any value, so neither fits. Claiming
 * an integer would also be taken at its word: mysql2 binds integers to an
 * integer hint. One frozen object, so its packet is encoded only once.
 */
const PLACEHOLDER: ColumnFields = Object.freeze({
  name: '?',
  type: ColumnType.NULL,
  charset: Charset.BINARY,
  length: 0,
  flags: ColumnFlag.BINARY,
  decimals: 0,
});

/** The parameter definition of a placeholder no declared parameter types. */
export function placeholderParameter(): ColumnFields {
  return PLACEHOLDER;
}
