import { Charset, ColumnFlag, ColumnType } from '../../../lib/protocol/constants.js';
import type { ColumnDefinition } from '../../../lib/results/column-definition.js';
import type { Cell, EncodeOptions } from '../../../lib/results/cell-encoder.js';
import { encodeRow, planReply, TableTyping } from '../../../lib/results/result-builder.js';
import { MysqlResultStream } from '../../../lib/results/result-stream.js';
import { MysqlOk, MysqlResultSet } from '../../../lib/results/result-values.js';
import { toJsonText } from '../../../lib/results/cell-encoder.js';
import { numberText } from '../../../lib/protocol/number-text.js';

const utc = { utc: true };

/** Types and encodes a whole table at once, as the session does slice by slice. */
function encodeAll(
  value: unknown,
  options: EncodeOptions = utc,
  slice = 1,
): { columns: ColumnDefinition[]; rows: Cell[][] } {
  const plan = planReply(value, 'result');
  if (plan.kind !== 'table') throw new Error(`expected a table, got ${plan.kind}`);
  const { table } = plan;
  // The union of object rows' keys, taken in slices as the session does.
  for (let upTo = 1; upTo <= table.length; upTo += slice) table.addNames?.(upTo);
  table.addNames?.(table.length);
  const typing = new TableTyping(table);
  // Typing in slices must agree with typing in one pass: rows are looked at in ranges.
  for (let from = 0; from < table.length; from += slice) {
    typing.observe(from, Math.min(table.length, from + slice));
  }
  const columns = typing.resolve();
  const rows: Array<Array<string | Buffer | null>> = [];
  for (let r = 0; r < table.length; r++) {
    const cells = encodeRow(table, r, columns, options, new Array<Cell>(columns.length));
    // Numbers are formatted by the packet writer; compare them as the text it writes.
    rows.push(cells.map((c) => (typeof c === 'number' ? numberText(c) : c)));
  }
  return { columns: columns.map((c) => c.definition), rows };
}
const rows = (value: unknown) => encodeAll(value);
const column = (value: unknown, i = 0) => rows(value).columns[i]!;

describe('planReply and table encoding', () => {
  it('maps nothing, OK values and empty arrays to no result set', () => {
    expect(planReply(undefined, 'r')).toEqual({ kind: 'none' });
    expect(planReply(null, 'r')).toEqual({ kind: 'none' });
    expect(planReply([], 'r')).toEqual({ kind: 'none' });
    expect(planReply({}, 'r')).toEqual({ kind: 'none' });
    const ok = new MysqlOk({ affectedRows: 2, insertId: 9n, info: 'x' });
    expect(planReply(ok, 'r')).toEqual({ kind: 'ok', ok });
    const stream = new MysqlResultStream([{ name: 'n', type: 'INT' }], [[1]]);
    expect(planReply(stream, 'r')).toEqual({ kind: 'stream', stream });
  });

  it('types over every row whatever the slice size', () => {
    const values = [{ v: 1 }, { v: 2 }, { v: null }, { v: 2.5 }];
    for (const slice of [1, 2, 3, 4]) {
      const { columns } = encodeAll(values, utc, slice);
      expect(columns[0]).toMatchObject({ type: ColumnType.DOUBLE, flags: expect.any(Number) });
      expect(columns[0]!.flags & ColumnFlag.NOT_NULL).toBe(0);
    }
  });

  it('writes NaN and infinities as NULL in a column not flagged NOT NULL', () => {
    for (const bad of [Number.NaN, Infinity, -Infinity]) {
      const rs = rows([{ v: 1.5 }, { v: bad }]);
      expect(rs.rows).toEqual([['1.5'], [null]]);
      expect(rs.columns[0]!.flags & ColumnFlag.NOT_NULL).toBe(0);
      expect(rows({ v: bad }).columns[0]!.flags & ColumnFlag.NOT_NULL).toBe(0);
    }
  });

  it('makes one row of an object and rows of an array of objects, with the union of keys', () => {
    const rs = rows([{ a: 1 }, { b: 'x' }, { a: 2, b: 'y' }]);
    expect(rs.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(rs.rows).toEqual([
      ['1', null],
      [null, 'x'],
      ['2', 'y'],
    ]);
  });

  it('puts scalars and arrays of scalars in the scalar column', () => {
    expect(rows(7)).toMatchObject({ columns: [{ name: 'result' }], rows: [['7']] });
    expect(rows([1, 'a', null]).rows).toEqual([['1'], ['a'], [null]]);
  });

  it('infers integer, double, bigint, unsigned and decimal columns over all rows', () => {
    expect(column({ v: 1 })).toMatchObject({ type: ColumnType.LONGLONG, charset: Charset.BINARY });
    expect(column([{ v: 1 }, { v: 2.5 }])).toMatchObject({ type: ColumnType.DOUBLE });
    expect(column([{ v: 1 }, { v: 2n ** 63n }]).flags & ColumnFlag.UNSIGNED).toBeTruthy();
    expect(column([{ v: -1 }, { v: 2n ** 63n }])).toMatchObject({ type: ColumnType.NEWDECIMAL });
    expect(column({ v: 2n ** 70n })).toMatchObject({ type: ColumnType.NEWDECIMAL, decimals: 0 });
    expect(column({ v: 1e300 })).toMatchObject({ type: ColumnType.DOUBLE });
    // MySQL writes exponents without a plus sign.
    expect(rows([{ v: 1e308 }, { v: -1e21 }, { v: 1.5e-7 }, { v: 0.5 }]).rows).toEqual([
      ['1e308'],
      ['-1e21'],
      ['1.5e-7'],
      ['0.5'],
    ]);
    expect(rows({ v: Number.NaN }).rows).toEqual([[null]]);
  });

  it('types booleans, strings, dates, bytes, JSON and mixtures', () => {
    expect(column({ v: true })).toMatchObject({ type: ColumnType.TINY, length: 1 });
    expect(rows({ v: false }).rows).toEqual([['0']]);
    expect(column({ v: 'héllo' })).toMatchObject({
      type: ColumnType.VAR_STRING,
      charset: Charset.UTF8MB4_GENERAL_CI,
      length: 20,
    });
    expect(column({ v: new Date(0) })).toMatchObject({ type: ColumnType.DATETIME, decimals: 3 });
    expect(rows({ v: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) }).rows).toEqual([
      ['2026-01-02 03:04:05.006'],
    ]);
    expect(column({ v: Buffer.from('x') })).toMatchObject({
      type: ColumnType.BLOB,
      charset: Charset.BINARY,
    });
    expect(column({ v: { a: 1 } })).toMatchObject({ type: ColumnType.JSON });
    expect(column([{ v: 1 }, { v: 'x' }])).toMatchObject({ type: ColumnType.VAR_STRING });
    expect(rows([{ v: 1 }, { v: 'x' }, { v: true }]).rows).toEqual([['1'], ['x'], ['1']]);
    expect(column([{ v: 'x' }, { v: Buffer.from('y') }])).toMatchObject({ type: ColumnType.BLOB });
    expect(rows([{ v: 'x' }, { v: Buffer.from('y') }]).rows).toEqual([
      [Buffer.from('x')],
      [Buffer.from('y')],
    ]);
    expect(rows([{ v: 'x' }, { v: [1] }]).rows).toEqual([['"x"'], ['[1]']]);
    expect(column({ v: null })).toMatchObject({ type: ColumnType.NULL });
  });

  it('flags a column NOT NULL only when none of its values is null', () => {
    expect(column({ v: 1 }).flags & ColumnFlag.NOT_NULL).toBeTruthy();
    expect(column([{ v: 1 }, { v: null }]).flags & ColumnFlag.NOT_NULL).toBe(0);
    expect(column([{ v: 1 }, {}]).flags & ColumnFlag.NOT_NULL).toBe(0);
  });

  it('writes dates in local time unless told UTC', () => {
    const d = new Date(2026, 4, 6, 7, 8, 9, 10);
    expect(encodeAll({ d }, { utc: false }).rows[0]![0]).toBe('2026-05-06 07:08:09.010');
  });

  it('honours declared column types, positional and named rows, and zero rows', () => {
    const rs = rows(
      new MysqlResultSet(
        [
          { name: 'd', type: 'DATE' },
          { name: 'n', type: 'DECIMAL', decimals: 2 },
          { name: 'u', type: 'INT', unsigned: true },
          'free',
        ],
        [[new Date(Date.UTC(2026, 0, 2)), '12.50', 7, 1.5], { d: null, n: 1, u: 2, free: 'x' }],
      ),
    );
    expect(rs.columns.map((c) => [c.name, c.type])).toEqual([
      ['d', ColumnType.DATE],
      ['n', ColumnType.NEWDECIMAL],
      ['u', ColumnType.LONG],
      ['free', ColumnType.VAR_STRING],
    ]);
    expect(rs.columns[2]!.flags & ColumnFlag.UNSIGNED).toBeTruthy();
    expect(rs.rows).toEqual([
      ['2026-01-02', '12.50', '7', '1.5'],
      [null, '1', '2', 'x'],
    ]);
    expect(rows(new MysqlResultSet(['a', 'b'])).rows).toEqual([]);
    expect(() => new MysqlResultSet([])).toThrow();
  });

  it('refuses a MysqlResultStream without declared column types or a row source', () => {
    expect(() => new MysqlResultStream([], [])).toThrow();
    expect(() => new MysqlResultStream([{ name: 'a' } as never], [])).toThrow(TypeError);
    expect(() => new MysqlResultStream([{ name: 'a', type: 'INT' }], 5 as never)).toThrow(
      TypeError,
    );
  });

  it('validates MysqlOk counters', () => {
    expect(() => new MysqlOk({ affectedRows: -1 })).toThrow(RangeError);
    expect(() => new MysqlOk({ insertId: 1.5 })).toThrow(RangeError);
    expect(() => new MysqlOk({ warnings: 70000 })).toThrow(RangeError);
  });
});

describe('toJsonText', () => {
  it('keeps bigints exact and otherwise matches JSON.stringify', () => {
    expect(
      toJsonText({ a: 2n ** 64n, b: [1, 'x', null, undefined], c: undefined, d: new Date(0) }),
    ).toBe('{"a":18446744073709551616,"b":[1,"x",null,null],"d":"1970-01-01T00:00:00.000Z"}');
    const v = { s: 'q"\u0000\n', n: -0.5, t: true, nested: { deep: [{}] } };
    expect(toJsonText(v)).toBe(JSON.stringify(v));
    expect(toJsonText(Buffer.from([1]))).toBe(JSON.stringify(Buffer.from([1])));
  });

  it('throws on cycles like JSON.stringify', () => {
    const o: Record<string, unknown> = {};
    o.o = o;
    expect(() => toJsonText(o)).toThrow(TypeError);
  });
});
