import {
  placeholderParameter,
  writePrepareOk,
} from '../../../../lib/protocol/binary/prepare-ok.js';
import { Capability, ColumnType, ServerStatus } from '../../../../lib/protocol/constants.js';
import { PacketWriter } from '../../../../lib/protocol/packet-writer.js';
import type { ColumnFields } from '../../../../lib/protocol/result-set.js';
import { mysql2Fields, mysql2ParseColumn } from './mysql2-oracle.js';

/** Splits framed output into [sequence id, payload] pairs. */
function packets(out: Buffer): Array<[number, Buffer]> {
  const list: Array<[number, Buffer]> = [];
  for (let at = 0; at < out.length;) {
    const length = out.readUIntLE(at, 3);
    list.push([out[at + 3]!, out.subarray(at + 4, at + 4 + length)]);
    at += 4 + length;
  }
  return list;
}

const column: ColumnFields = Object.freeze({
  name: 'total',
  type: ColumnType.LONGLONG,
  charset: 63,
  length: 21,
  flags: 0x81,
  decimals: 0,
});

function reply(
  capabilities: number,
  params: readonly ColumnFields[],
  columns: readonly ColumnFields[],
  warnings = 0,
  status?: number,
): Array<[number, Buffer]> {
  const w = new PacketWriter();
  w.sequenceId = 1;
  writePrepareOk(w, capabilities, 5, params, columns, warnings, status);
  return packets(w.drain());
}

describe('writePrepareOk', () => {
  it('writes the header MariaDB writes for one parameter and one column (captured)', () => {
    // MariaDB 10.11, `SELECT ?` prepared as statement 5.
    const [[seq, header]] = reply(0, [placeholderParameter()], [column]);
    expect(seq).toBe(1);
    expect(header!.toString('hex')).toBe('000500000001000100000000');
  });

  it('closes each list with an EOF carrying the status, without DEPRECATE_EOF', () => {
    const status = ServerStatus.AUTOCOMMIT | ServerStatus.IN_TRANS;
    const out = reply(
      Capability.PROTOCOL_41,
      [placeholderParameter(), placeholderParameter()],
      [column],
      3,
      status,
    );
    expect(out.map(([s]) => s)).toEqual([1, 2, 3, 4, 5, 6]);
    const [, header] = out[0]!;
    expect(header.readUInt32LE(1)).toBe(5);
    expect(header.readUInt16LE(5)).toBe(1); // columns
    expect(header.readUInt16LE(7)).toBe(2); // parameters
    expect(header[9]).toBe(0);
    expect(header.readUInt16LE(10)).toBe(3);
    const eof = Buffer.from([0xfe, 0, 0, status & 0xff, status >> 8]);
    expect(out[3]![1]).toEqual(eof);
    expect(out[5]![1]).toEqual(eof);
    const [p1, p2, c] = [out[1]![1], out[2]![1], out[4]![1]].map(mysql2ParseColumn);
    expect([p1.name, p2.name, c.name]).toEqual(['?', '?', 'total']);
    expect([p1.columnType, p2.columnType, c.columnType]).toEqual([
      ColumnType.NULL,
      ColumnType.NULL,
      ColumnType.LONGLONG,
    ]);
  });

  it('sends no EOFs under DEPRECATE_EOF', () => {
    const out = reply(Capability.DEPRECATE_EOF, [placeholderParameter()], [column]);
    expect(out).toHaveLength(3);
    expect(out.every(([, p]) => p[0] !== 0xfe)).toBe(true);
  });

  it('sends nothing for an empty list, EOF included', () => {
    expect(reply(0, [], [])).toHaveLength(1);
    const paramsOnly = reply(0, [placeholderParameter()], []);
    expect(paramsOnly).toHaveLength(3);
    expect(paramsOnly[2]![1][0]).toBe(0xfe);
    const columnsOnly = reply(0, [], [column]);
    expect(columnsOnly).toHaveLength(3);
    expect(columnsOnly[1]![1][0]).toBe(3);
  });

  it('caps the warning count at 65535', () => {
    const [[, header]] = reply(0, [], [], 70000);
    expect(header!.readUInt16LE(10)).toBe(0xffff);
  });

  it('defaults the EOF status to autocommit', () => {
    const out = reply(0, [placeholderParameter()], []);
    expect(out[2]![1].readUInt16LE(3)).toBe(ServerStatus.AUTOCOMMIT);
  });
});

describe('placeholderParameter', () => {
  it('is what MariaDB sends for an untyped ? (NULL type, binary, flag BINARY), as mysql2 reads it', () => {
    // MariaDB 10.11's definition, captured: 03646566 00 00 00 01 3f 00 0c 3f00 00000000 06 8000 00 0000
    const [field] = mysql2Fields([placeholderParameter()]);
    expect(field.name).toBe('?');
    expect(field.columnType).toBe(ColumnType.NULL);
    expect(field.characterSet).toBe(63);
    expect(field.columnLength).toBe(0);
    expect(field.flags).toBe(0x80);
    expect(field.decimals).toBe(0);
  });

  it('is one frozen object, so its packet is cached', () => {
    expect(placeholderParameter()).toBe(placeholderParameter());
    expect(Object.isFrozen(placeholderParameter())).toBe(true);
  });
});
