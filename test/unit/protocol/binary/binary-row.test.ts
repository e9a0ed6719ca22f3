import fc from 'fast-check';
import { binaryRowFits, writeBinaryRow } from '../../../../lib/protocol/binary/binary-row.js';
import { Charset, ColumnFlag, ColumnType } from '../../../../lib/protocol/constants.js';
import { PacketWriter } from '../../../../lib/protocol/packet-writer.js';
import {
  type ColumnFields,
  type TextCell,
  writeTextRow,
} from '../../../../lib/protocol/result-set.js';
import { SERVER_ROWS } from './captures.js';
import { mysql2ReadBinaryRow } from './mysql2-oracle.js';

const column = (
  type: number,
  flags = 0,
  decimals = 0,
  charset: number = Charset.BINARY,
): ColumnFields => Object.freeze({ name: 'c', type, charset, length: 20, flags, decimals });
const UNSIGNED = ColumnFlag.UNSIGNED;
const TEXT = Charset.UTF8MB4_GENERAL_CI;

/** The payload of the one binary row written for these cells. */
function payload(columns: readonly ColumnFields[], cells: readonly TextCell[]): Buffer {
  const w = new PacketWriter();
  expect(writeBinaryRow(w, columns, cells, 0xffffff)).toBe(true);
  const framed = w.drain();
  expect(framed.readUIntLE(0, 3)).toBe(framed.length - 4);
  return framed.subarray(4);
}

/** What a mysql2 user reads for one cell in a column of this shape. */
const viaMysql2 = (c: ColumnFields, cell: TextCell): unknown =>
  mysql2ReadBinaryRow([c], payload([c], [cell]))[0];

/** Cells of a captured text row: NULL, bytes for binary-charset columns, text otherwise. */
function textCells(columns: readonly ColumnFields[], row: Buffer): TextCell[] {
  let at = 0;
  return columns.map((c) => {
    const first = row[at++]!;
    if (first === 0xfb) return null;
    let n = first;
    if (first === 0xfc) {
      n = row.readUInt16LE(at);
      at += 2;
    } else if (first === 0xfd) {
      n = row.readUIntLE(at, 3);
      at += 3;
    }
    const bytes = row.subarray(at, (at += n));
    const binaryText =
      c.charset === Charset.BINARY && (c.type === ColumnType.BIT || c.type >= 0xf9);
    return binaryText ? Buffer.from(bytes) : bytes.toString('utf8');
  });
}

describe('writeBinaryRow against MariaDB (captured text and binary replies)', () => {
  for (const capture of SERVER_ROWS) {
    it(`gives MariaDB's binary rows from its text rows: ${capture.sql.slice(0, 40)}`, () => {
      const columns = capture.columns.map((c) => Object.freeze({ ...c }));
      capture.textRows.forEach((text, i) => {
        const cells = textCells(columns, Buffer.from(text, 'hex'));
        expect(payload(columns, cells).toString('hex')).toBe(capture.binaryRows[i]);
      });
    });
  }

  it('gives the same bytes when numeric cells are numbers rather than text', () => {
    const capture = SERVER_ROWS[0]!;
    const columns = capture.columns.map((c) => Object.freeze({ ...c }));
    const numeric = new Set<number>([
      ColumnType.TINY,
      ColumnType.SHORT,
      ColumnType.INT24,
      ColumnType.LONG,
      ColumnType.LONGLONG,
      ColumnType.FLOAT,
      ColumnType.DOUBLE,
      ColumnType.YEAR,
    ]);
    let converted = 0;
    capture.textRows.forEach((text, i) => {
      const cells = textCells(columns, Buffer.from(text, 'hex')).map((cell, c) => {
        if (typeof cell !== 'string' || !numeric.has(columns[c]!.type)) return cell;
        const n = Number(cell);
        // Text that a number cannot carry exactly (past 2^53) stays text, as the cell encoder does.
        if (Number.isInteger(n) && !Number.isSafeInteger(n)) return cell;
        if (columns[c]!.type === ColumnType.YEAR && cell === '0000') return cell;
        converted++;
        return n;
      });
      expect(payload(columns, cells).toString('hex')).toBe(capture.binaryRows[i]);
    });
    expect(converted).toBeGreaterThan(30);
  });
});

describe('writeBinaryRow read back by mysql2', () => {
  it.each<[string, ColumnFields, TextCell, unknown]>([
    ['TINY', column(ColumnType.TINY), -128, -128],
    ['TINY from text', column(ColumnType.TINY), '1', 1],
    ['TINY clamped up', column(ColumnType.TINY), '300', 127],
    ['TINY clamped down', column(ColumnType.TINY), -1000, -128],
    ['TINY UNSIGNED', column(ColumnType.TINY, UNSIGNED), 255, 255],
    ['TINY UNSIGNED negative is 0', column(ColumnType.TINY, UNSIGNED), '-5', 0],
    ['SHORT', column(ColumnType.SHORT), -32768, -32768],
    ['SHORT UNSIGNED clamped', column(ColumnType.SHORT, UNSIGNED), 70000, 65535],
    ['INT24 keeps MEDIUMINT range', column(ColumnType.INT24), 9e6, 8388607],
    ['INT24 UNSIGNED', column(ColumnType.INT24, UNSIGNED), '16777215', 16777215],
    ['LONG', column(ColumnType.LONG), -2147483648, -2147483648],
    ['LONG UNSIGNED', column(ColumnType.LONG, UNSIGNED), 4294967295, 4294967295],
    ['LONG rounds a double half to even', column(ColumnType.LONG), 2.5, 2],
    ['LONG rounds text half away from zero', column(ColumnType.LONG), '-2.5', -3],
    ['LONG reads an exponent', column(ColumnType.LONG), '1.5e3', 1500],
    ['LONG takes the numeric prefix', column(ColumnType.LONG), ' 12abc', 12],
    ['LONG from junk is 0', column(ColumnType.LONG), 'abc', 0],
    ['LONG from bytes', column(ColumnType.LONG), Buffer.from('77'), 77],
    [
      'LONGLONG min as text',
      column(ColumnType.LONGLONG),
      '-9223372036854775808',
      '-9223372036854775808',
    ],
    [
      'LONGLONG max as text',
      column(ColumnType.LONGLONG),
      '9223372036854775807',
      '9223372036854775807',
    ],
    [
      'LONGLONG clamped',
      column(ColumnType.LONGLONG),
      '99999999999999999999',
      '9223372036854775807',
    ],
    ['LONGLONG from a huge double', column(ColumnType.LONGLONG), -1e300, '-9223372036854775808'],
    ['LONGLONG negative safe', column(ColumnType.LONGLONG), -4294967301, '-4294967301'],
    [
      'LONGLONG UNSIGNED max',
      column(ColumnType.LONGLONG, UNSIGNED),
      '18446744073709551615',
      '18446744073709551615',
    ],
    [
      'LONGLONG UNSIGNED from a double',
      column(ColumnType.LONGLONG, UNSIGNED),
      2 ** 63,
      '9223372036854775808',
    ],
    [
      'LONGLONG rounding past 2^53',
      column(ColumnType.LONGLONG),
      '9007199254740993.5',
      '9007199254740994',
    ],
    ['FLOAT', column(ColumnType.FLOAT), 0.1, Math.fround(0.1)],
    ['FLOAT clamped', column(ColumnType.FLOAT), '-1e39', -3.4028234663852886e38],
    ['DOUBLE', column(ColumnType.DOUBLE), -1.2345678901234568e-300, -1.2345678901234568e-300],
    ['DOUBLE from text', column(ColumnType.DOUBLE), '2.5e10', 2.5e10],
    ['DOUBLE from junk', column(ColumnType.DOUBLE), 'Infinity', 0],
    ['DOUBLE past range', column(ColumnType.DOUBLE), '1e400', Number.MAX_VALUE],
    ['YEAR', column(ColumnType.YEAR, UNSIGNED), 2024, 2024],
    ['YEAR 0000', column(ColumnType.YEAR, UNSIGNED), '0000', 0],
    ['YEAR text 0 is 2000', column(ColumnType.YEAR, UNSIGNED), '0', 2000],
    ['YEAR two digits', column(ColumnType.YEAR, UNSIGNED), 69, 2069],
    ['YEAR two digits, last century', column(ColumnType.YEAR, UNSIGNED), '70', 1970],
    ['YEAR out of range', column(ColumnType.YEAR, UNSIGNED), 1900, 0],
    ['DATE', column(ColumnType.DATE), '2024-02-29', '2024-02-29'],
    ['DATE from a datetime cell', column(ColumnType.DATE), '2024-02-29 10:11:12.345', '2024-02-29'],
    ['DATE invalid', column(ColumnType.DATE), '2023-02-29', '0000-00-00'],
    ['DATE zero', column(ColumnType.DATE), '0000-00-00', '0000-00-00'],
    [
      'DATETIME(3)',
      column(ColumnType.DATETIME, 0, 3),
      '2024-01-02 03:04:05.678',
      '2024-01-02 03:04:05.678',
    ],
    [
      'DATETIME(6)',
      column(ColumnType.DATETIME, 0, 6),
      '9999-12-31 23:59:59.999999',
      '9999-12-31 23:59:59.999999',
    ],
    ['DATETIME of a date', column(ColumnType.DATETIME), '2024-01-02', '2024-01-02 00:00:00'],
    [
      'DATETIME with T and Z',
      column(ColumnType.DATETIME),
      '2024-01-02T03:04:05Z',
      '2024-01-02 03:04:05',
    ],
    ['DATETIME digits only', column(ColumnType.DATETIME), 20240102030405, '2024-01-02 03:04:05'],
    ['DATETIME junk', column(ColumnType.DATETIME), 'soon', '0000-00-00 00:00:00'],
    [
      'DATETIME year 10000',
      column(ColumnType.DATETIME, 0, 3),
      '10000-01-01 00:00:00.000',
      '0000-00-00 00:00:00',
    ],
    ['TIMESTAMP', column(ColumnType.TIMESTAMP), '2038-01-19 03:14:07', '2038-01-19 03:14:07'],
    ['TIME', column(ColumnType.TIME), '12:34:56', '12:34:56'],
    ['TIME negative with days', column(ColumnType.TIME), '-838:59:59', '-838:59:59'],
    ['TIME with a fraction', column(ColumnType.TIME, 0, 3), '-00:00:00.5', '-00:00:00.5'],
    ['TIME clamped', column(ColumnType.TIME), '1000:00:00', '838:59:59'],
    ['TIME clamped just past the end', column(ColumnType.TIME), '839:00:00', '838:59:59'],
    ['TIME D HH:MM', column(ColumnType.TIME), '2 03:04', '51:04:00'],
    ['TIME HHMMSS digits', column(ColumnType.TIME), 123456, '12:34:56'],
    ['TIME of a datetime', column(ColumnType.TIME), '2024-01-02 03:04:05.5', '03:04:05.5'],
    ['TIME bad minutes', column(ColumnType.TIME), '10:61:00', '00:00:00'],
    ['NULL column', column(ColumnType.NULL), 'anything', null],
    ['VARCHAR', column(ColumnType.VAR_STRING, 0, 0, TEXT), 'héllo😀', 'héllo😀'],
    ['VARCHAR of a number', column(ColumnType.VAR_STRING, 0, 0, TEXT), 1e21, '1e21'],
    [
      'BLOB',
      column(ColumnType.BLOB, ColumnFlag.BINARY | ColumnFlag.BLOB),
      Buffer.from([0, 255]),
      Buffer.from([0, 255]),
    ],
    ['DECIMAL stays text', column(ColumnType.NEWDECIMAL, 0, 2), '-123.45', '-123.45'],
    ['JSON', column(ColumnType.JSON), '{"a":[1,2]}', '{"a":[1,2]}'],
  ])('%s', (_name, c, cell, expected) => {
    expect(viaMysql2(c, cell)).toEqual(expected);
  });

  it('sets the NULL bitmap at offset 2 across many columns', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer(), { nil: null }), { maxLength: 40 }), (cells) => {
        const columns = cells.map(() => column(ColumnType.LONGLONG));
        const row = mysql2ReadBinaryRow(columns, payload(columns, cells));
        expect(row).toEqual(cells.map((c) => (c === null ? null : String(c))));
      }),
    );
  });
});

describe('writeBinaryRow properties', () => {
  const widths: Array<[string, number, number]> = [
    ['TINY', ColumnType.TINY, 8],
    ['SHORT', ColumnType.SHORT, 16],
    ['INT24', ColumnType.INT24, 24],
    ['LONG', ColumnType.LONG, 32],
    ['LONGLONG', ColumnType.LONGLONG, 64],
  ];
  for (const [name, type, bits] of widths) {
    for (const unsigned of [false, true]) {
      it(`${name}${unsigned ? ' UNSIGNED' : ''}: in range exact, out of range clamped`, () => {
        const b = BigInt(bits);
        const min = unsigned ? 0n : -(1n << (b - 1n));
        const max = unsigned ? (1n << b) - 1n : (1n << (b - 1n)) - 1n;
        const c = column(type, unsigned ? UNSIGNED : 0);
        fc.assert(
          fc.property(
            fc.bigInt({ min: min * 2n - 5n, max: max * 2n + 5n }),
            fc.boolean(),
            (v, asNumber) => {
              const cell: TextCell =
                asNumber && Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
              const expected = v < min ? min : v > max ? max : v;
              const got = viaMysql2(c, cell);
              expect(type === ColumnType.LONGLONG ? got : BigInt(got as number)).toEqual(
                type === ColumnType.LONGLONG ? expected.toString() : expected,
              );
            },
          ),
          { numRuns: 300 },
        );
      });
    }
  }

  it('DOUBLE: every finite double, bit for bit, from a number or its text', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        expect(Object.is(viaMysql2(column(ColumnType.DOUBLE), v), v)).toBe(true);
        // Text loses only the sign of zero (String(-0) is '0').
        expect(Object.is(viaMysql2(column(ColumnType.DOUBLE), String(v)), Number(String(v)))).toBe(
          true,
        );
      }),
    );
  });

  it('FLOAT: the nearest float32', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -3e38, max: 3e38 }), (v) => {
        expect(Object.is(viaMysql2(column(ColumnType.FLOAT), v), Math.fround(v))).toBe(true);
      }),
    );
  });

  it('strings and bytes keep their exact bytes, as in the text row', () => {
    const c = column(ColumnType.VAR_STRING, 0, 0, TEXT);
    const blob = column(ColumnType.BLOB, ColumnFlag.BINARY | ColumnFlag.BLOB);
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.uint8Array({ maxLength: 300 }),
        (s, bytes) => {
          expect(viaMysql2(c, s)).toBe(s);
          expect(viaMysql2(blob, Buffer.from(bytes))).toEqual(Buffer.from(bytes));
        },
      ),
    );
  });

  it('writes every length-coded type exactly as the text row writes the cell', () => {
    const lengthCoded = [
      ColumnType.NEWDECIMAL,
      ColumnType.VAR_STRING,
      ColumnType.STRING,
      ColumnType.BLOB,
      ColumnType.JSON,
      ColumnType.BIT,
      ColumnType.ENUM,
      ColumnType.SET,
      ColumnType.GEOMETRY,
    ];
    const cell = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 100 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...lengthCoded), cell), { maxLength: 12 }),
        (pairs) => {
          const columns = pairs.map(([t]) => column(t));
          const cells = pairs.map(([, v]) => v);
          const w = new PacketWriter();
          writeTextRow(w, cells, 0xffffff);
          const text = w.drain().subarray(4);
          const binary = payload(columns, cells);
          const head = 1 + ((columns.length + 9) >> 3);
          expect(binary.subarray(head).toString('hex')).toBe(text.toString('hex'));
        },
      ),
    );
  });

  it('datetimes as the cell encoder writes them', () => {
    const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0000-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
          const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
          const ms = d.getUTCMilliseconds();
          const cell = `${date} ${time}.${pad(ms, 3)}`;
          // mysql2 prints the fraction only when the value carries one (length 11).
          const expected = ms ? cell : `${date} ${time}`;
          expect(viaMysql2(column(ColumnType.DATETIME, 0, 3), cell)).toBe(expected);
          expect(viaMysql2(column(ColumnType.DATE), date)).toBe(date);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('times with fractions, negative ones included', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: 0, max: 838 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 999999 }),
        (negative, h, m, s, micro) => {
          const base = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
          const fraction = String(micro).padStart(6, '0');
          const cell = `${negative ? '-' : ''}${base}.${fraction}`;
          const zero = h === 0 && m === 0 && s === 0 && micro === 0;
          const shown = micro ? `${base}.${fraction}`.replace(/0+$/, '') : base;
          expect(viaMysql2(column(ColumnType.TIME, 0, 6), cell)).toBe(
            (negative && !zero ? '-' : '') + shown,
          );
        },
      ),
    );
  });
});

describe('writeBinaryRow size limit', () => {
  const mixed: ColumnFields[] = [
    column(ColumnType.LONGLONG),
    column(ColumnType.VAR_STRING, 0, 0, TEXT),
    column(ColumnType.DATETIME, 0, 3),
    column(ColumnType.TIME),
    column(ColumnType.DATE),
    column(ColumnType.DOUBLE),
    column(ColumnType.NEWDECIMAL),
    column(ColumnType.BLOB),
  ];

  it('writes nothing and returns false past the limit, and fits exactly at it', () => {
    const cells: TextCell[] = [
      '12',
      'é'.repeat(100),
      '2024-01-02 03:04:05.000',
      '00:00:00',
      null,
      1.5,
      0.1,
      Buffer.alloc(3),
    ];
    const size = payload(mixed, cells).length;
    const w = new PacketWriter();
    w.sequenceId = 3;
    expect(writeBinaryRow(w, mixed, cells, size - 1)).toBe(false);
    expect(w.length).toBe(0);
    expect(w.sequenceId).toBe(3);
    expect(writeBinaryRow(w, mixed, cells, size)).toBe(true);
    expect(w.length).toBe(size + 4);
  });

  it('never under-counts a cell of fixed or temporal type (no length-coded slack to hide it)', () => {
    const cases: Array<[number, TextCell]> = [
      [ColumnType.TIME, '-100:00:00.25'],
      [ColumnType.TIME, '12:00:00'],
      [ColumnType.DATETIME, '2024-01-02 03:04:05.5'],
      [ColumnType.TIMESTAMP, '2024-01-02 03:04:05'],
      [ColumnType.DATE, '2024-01-02 03:04:05'],
      [ColumnType.LONGLONG, '1'],
      [ColumnType.DOUBLE, 1],
      [ColumnType.FLOAT, 1],
      [ColumnType.LONG, 1],
      [ColumnType.INT24, 1],
      [ColumnType.SHORT, 1],
      [ColumnType.YEAR, 1],
      [ColumnType.TINY, 1],
    ];
    for (const [type, cell] of cases) {
      const columns = [column(type), column(type)];
      const cells = [cell, cell];
      const size = payload(columns, cells).length;
      expect([type, binaryRowFits(columns, cells, size - 1)]).toEqual([type, false]);
      expect(binaryRowFits(columns, cells, size)).toBe(true);
    }
  });

  it('binaryRowFits is exact for any row', () => {
    const cell = fc.oneof(
      fc.constant(null),
      fc.string({ unit: 'grapheme', maxLength: 120 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.constantFrom(
        '2024-01-02',
        '2024-01-02 03:04:05',
        '2024-01-02 03:04:05.5',
        '0000-00-00',
        '-1:00:00.25',
        '00:00:00',
        'x',
      ),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    );
    fc.assert(
      fc.property(fc.array(cell, { minLength: mixed.length, maxLength: mixed.length }), (cells) => {
        const size = payload(mixed, cells).length;
        expect(binaryRowFits(mixed, cells, size)).toBe(true);
        expect(binaryRowFits(mixed, cells, size - 1)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('splits a row of 16 MiB or more into protocol chunks', () => {
    const columns = [column(ColumnType.BLOB)];
    const cells = [Buffer.alloc(0xffffff, 1)];
    const w = new PacketWriter();
    expect(writeBinaryRow(w, columns, cells, 0x2000000)).toBe(true);
    const out = w.drain();
    expect(out.readUIntLE(0, 3)).toBe(0xffffff);
    const total = 1 + 1 + 4 + 0xffffff;
    expect(out.length).toBe(total + 8);
  });
});
