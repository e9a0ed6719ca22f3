/*
 * mysql2's own packet classes, used as an independent oracle: its Execute
 * packet serialises parameters exactly as the driver sends them, and its
 * binary row parser reads rows exactly as the driver hands them to users.
 * They are internals (not in the package's exports), so they are loaded by
 * path; nothing here opens a socket.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { dirname, join } from 'node:path';
import { PacketWriter } from '../../../../lib/protocol/packet-writer.js';
import { type ColumnFields, writeColumnDefinition } from '../../../../lib/protocol/result-set.js';

const root = dirname(require.resolve('mysql2/package.json'));
const load = (file: string): any => require(join(root, 'lib', file));

const Execute = load('packets/execute.js');
const Packet = load('packets/packet.js');
const ColumnDefinition = load('packets/column_definition.js');
const getBinaryParser = load('parsers/binary_parser.js');

/** mysql2's typed parameter factories (`T.TINY(1)`, `T.LONG.unsigned(5)`, ...). */
export const T: Record<string, any> = load('packets/typed_parameter.js').types;

/** CLIENT_QUERY_ATTRIBUTES as mysql2 spells it. */
export const QUERY_ATTRIBUTES_FLAG: number = load('constants/client.js').CLIENT_QUERY_ATTRIBUTES;

/** The COM_STMT_EXECUTE payload (command byte first) mysql2 sends for these values. */
export function mysql2Execute(
  statementId: number,
  values: unknown[],
  options: { attributes?: Record<string, unknown>; clientFlags?: number; timezone?: string } = {},
): Buffer {
  const packet = new Execute(
    statementId,
    values,
    45, // utf8mb4_general_ci
    options.timezone ?? 'Z',
    options.attributes,
    options.clientFlags ?? 0,
  ).toPacket();
  return Buffer.from(packet.buffer.subarray(4));
}

const ROW_CONFIG = {
  supportBigNumbers: true,
  bigNumberStrings: true,
  dateStrings: true,
  timezone: 'Z',
  jsonStrings: true,
};

/** A column definition payload as mysql2 reads it. */
export function mysql2ParseColumn(payload: Buffer): any {
  const framed = Buffer.concat([Buffer.alloc(4), payload]);
  // A Packet starts at its 4-byte header.
  return new ColumnDefinition(new Packet(0, framed, 0, framed.length), 'utf8');
}

/** Column definitions as mysql2 reads them from the packets our writer produces. */
export function mysql2Fields(columns: readonly ColumnFields[]): any[] {
  const w = new PacketWriter();
  return columns.map((c) => {
    writeColumnDefinition(w, c);
    return mysql2ParseColumn(w.drain().subarray(4));
  });
}

/** What a mysql2 user gets for one binary row payload (0x00 header first), as an array. */
export function mysql2ReadBinaryRow(columns: readonly ColumnFields[], payload: Buffer): unknown[] {
  const fields = mysql2Fields(columns);
  const options = { rowsAsArray: true };
  const Parser = getBinaryParser(fields, options, ROW_CONFIG);
  const buffer = Buffer.concat([Buffer.alloc(4), payload]);
  const packet = new Packet(0, buffer, 0, buffer.length);
  const row = new Parser().next(packet, fields, options);
  if (packet.offset !== buffer.length) {
    throw new Error(`mysql2 read ${packet.offset - 4} of ${payload.length} row bytes`);
  }
  return row;
}
