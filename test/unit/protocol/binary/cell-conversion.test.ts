import fc from 'fast-check';
import {
  clampInteger,
  doubleCellValue,
  int64CellWords,
  integerCellValue,
  yearCellValue,
} from '../../../../lib/protocol/binary/cell-number.js';
import {
  readDateTimeCell,
  readTimeCell,
  temporalFields,
  type TemporalFields,
} from '../../../../lib/protocol/binary/temporal-text.js';

/*
 * Expected values are what MariaDB 10.11 stored for the same text under
 * sql_mode='' (INSERT into DATE, DATETIME(6), TIME(6), INT, YEAR and
 * TINYINT UNSIGNED columns, then SELECT), except where a comment says why
 * MySQL's documented behaviour was preferred.
 */

const t = temporalFields();
const dateTime = (cell: string | number | Buffer): string => {
  readDateTimeCell(cell, t);
  return show(t, true);
};
const time = (cell: string | number | Buffer): string => {
  readTimeCell(cell, t);
  return `${t.negative ? '-' : ''}${t.hour}:${t.minute}:${t.second}.${t.micro}`;
};
function show(f: TemporalFields, withTime: boolean): string {
  const d = `${f.year}-${f.month}-${f.day}`;
  return withTime ? `${d} ${f.hour}:${f.minute}:${f.second}.${f.micro}` : d;
}

describe('temporal text', () => {
  it.each([
    ['2024-01-02 03:04:05.678', '2024-1-2 3:4:5.678000'],
    ['2024-01-02', '2024-1-2 0:0:0.0'],
    ['24-01-02', '2024-1-2 0:0:0.0'],
    ['240102', '2024-1-2 0:0:0.0'],
    ['20240102', '2024-1-2 0:0:0.0'],
    ['2024.01.02', '2024-1-2 0:0:0.0'],
    ['2024/1/2 3:4:5', '2024-1-2 3:4:5.0'],
    ['20240102030405.25', '2024-1-2 3:4:5.250000'],
    ['2024-01-02T03:04:05', '2024-1-2 3:4:5.0'],
    ['2024-1-2 03:04', '2024-1-2 3:4:0.0'],
    ['991231', '1999-12-31 0:0:0.0'],
    ['2024-01-02 03:04:05.1234567', '2024-1-2 3:4:5.123456'],
    ['  2024-01-02', '2024-1-2 0:0:0.0'],
    ['2024-00-00', '2024-0-0 0:0:0.0'],
  ])('reads %s as a date-time', (text, expected) => {
    expect(dateTime(text)).toBe(expected);
    expect(readDateTimeCell(Buffer.from(text, 'latin1'), t)).toBe(true);
  });

  it.each([
    '2023-02-29',
    '2024-13-01',
    '2024-04-31',
    '2024-01-02 24:00:00',
    'soon',
    '',
    '12',
    '-2024-01-02',
  ])('makes %j the zero date-time', (text) => {
    expect(readDateTimeCell(text, t)).toBe(false);
    expect(dateTime(text)).toBe('0-0-0 0:0:0.0');
  });

  it('reads numbers as MySQL reads their digits', () => {
    expect(dateTime(20240102)).toBe('2024-1-2 0:0:0.0');
    expect(dateTime(20240102030405)).toBe('2024-1-2 3:4:5.0');
    expect(dateTime(5)).toBe('0-0-0 0:0:0.0');
  });

  it('knows leap years', () => {
    expect(readDateTimeCell('2000-02-29', t)).toBe(true);
    expect(readDateTimeCell('1900-02-29', t)).toBe(false);
    expect(readDateTimeCell('2024-02-29', t)).toBe(true);
  });

  it.each([
    ['12:34', '12:34:0.0'],
    ['3', '0:0:3.0'],
    ['123456.5', '12:34:56.500000'],
    ['-838:59:59', '-838:59:59.0'],
    ['839:00:00', '838:59:59.0'],
    ['-1000:00:00.5', '-838:59:59.0'],
    ['-00:00:00.5', '-0:0:0.500000'],
    ['10:61:00', '0:0:0.0'],
    ['1 02:03:04', '26:3:4.0'],
    // MySQL documents 'D HH' as days and hours (MariaDB 10.11 reads it as seconds).
    ['1 2', '26:0:0.0'],
    ['2024-01-02 03:04:05.25', '3:4:5.250000'],
    ['x', '0:0:0.0'],
  ])('reads %s as a time', (text, expected) => {
    expect(time(text)).toBe(expected);
  });

  it('reads numbers as [H..]HMMSS', () => {
    expect(time(123456)).toBe('12:34:56.0');
    expect(time(-3.5)).toBe('-0:0:3.500000');
  });
});

describe('numeric text', () => {
  it.each<[string | number, number]>([
    ['-.5', -1],
    ['1.4999', 1],
    ['12abc', 12],
    [' +7', 7],
    ['1e2', 100],
    ['abc', 0],
    ['', 0],
    ['-0', 0],
    ['00012', 12],
    ['1e', 1],
    ['.5', 1],
    ['2.5', 3],
    [2.5, 2],
    [3.5, 4],
    [-2.5, -2],
    ['999999999999999', 999999999999999],
    ['-1000000000000000', -Infinity],
    ['123456789012345678901', Infinity],
    ['-1' + '0'.repeat(400), -Infinity],
    ['1e400', Infinity],
  ])('reads %j as the integer %s before clamping', (cell, expected) => {
    expect(integerCellValue(cell)).toEqual(expected);
  });

  it('clamps to a column range', () => {
    expect(clampInteger(integerCellValue('255.5'), 0, 255)).toBe(255);
    expect(clampInteger(integerCellValue('-5'), 0, 255)).toBe(0);
    expect(clampInteger(integerCellValue('2147483648'), -2147483648, 2147483647)).toBe(2147483647);
    expect(clampInteger(integerCellValue('99999999999999999'), -128, 127)).toBe(127);
    expect(clampInteger(integerCellValue('-99999999999999999'), -128, 127)).toBe(-128);
  });
});

describe('BIGINT cells as two 32-bit words', () => {
  const words = { lo: 0, hi: 0 };
  const int64 = (cell: string | number, unsigned: boolean): bigint => {
    int64CellWords(cell, unsigned, words);
    expect(words.lo >= 0 && words.lo < 2 ** 32 && words.hi >= 0 && words.hi < 2 ** 32).toBe(true);
    const bits = (BigInt(words.hi) << 32n) | BigInt(words.lo);
    return unsigned ? bits : BigInt.asIntN(64, bits);
  };
  const MIN = -(2n ** 63n);
  const MAX = 2n ** 63n - 1n;
  const UMAX = 2n ** 64n - 1n;

  it.each<[string | number, boolean, bigint]>([
    ['9223372036854775807', false, MAX],
    ['9223372036854775808', false, MAX],
    ['-9223372036854775808', false, MIN],
    ['-9223372036854775809', false, MIN],
    ['18446744073709551615', true, UMAX],
    ['18446744073709551616', true, UMAX],
    ['18446744073709551614.5', true, UMAX],
    ['-1', true, 0n],
    ['-0', true, 0n],
    ['-0', false, 0n],
    ['4294967295.5', false, 4294967296n],
    ['-4294967296', false, -4294967296n],
    ['1e19', false, MAX],
    ['1e19', true, 10n ** 19n],
    ['-1e300', false, MIN],
    ['x', false, 0n],
    ['  +12abc', false, 12n],
    ['1' + '0'.repeat(50), false, MAX],
    ['-1' + '0'.repeat(50), false, MIN],
    [2 ** 63, false, MAX],
    [2 ** 63, true, 2n ** 63n],
    [-(2 ** 63), false, MIN],
    [2.5, false, 2n],
    [-4294967301, false, -4294967301n],
    [Number.NaN, false, 0n],
    [-Infinity, true, 0n],
  ])('reads %j (unsigned %s) as %s', (cell, unsigned, expected) => {
    expect(int64(cell, unsigned)).toBe(expected);
  });

  it('reads any integer text exactly, rounds its fraction half away, clamps past the range', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 66n), max: 2n ** 66n }),
        fc.option(
          fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 4 }),
        ),
        fc.boolean(),
        (v, fraction, unsigned) => {
          const text = v.toString() + (fraction === null ? '' : '.' + fraction);
          const away = fraction !== null && fraction.charCodeAt(0) >= 0x35 ? 1n : 0n;
          let expected = v < 0n ? v - away : v + away;
          // '-0.7' rounds to -1; '-0.2' stays 0.
          if (v === 0n && text.startsWith('-')) expected = -away;
          const [lo, hi] = unsigned ? [0n, UMAX] : [MIN, MAX];
          expected = expected < lo ? lo : expected > hi ? hi : expected;
          expect(int64(text, unsigned)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads any integral double exactly, clamped', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        (d, unsigned) => {
          const r = Math.round(d);
          const v = BigInt(Math.abs(r - d) === 0.5 && r % 2 !== 0 ? r - 1 : r);
          const [lo, hi] = unsigned ? [0n, UMAX] : [MIN, MAX];
          expect(int64(d, unsigned)).toBe(v < lo ? lo : v > hi ? hi : v);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('double and YEAR text', () => {
  it('reads doubles by their numeric prefix', () => {
    expect(doubleCellValue('1.5x')).toBe(1.5);
    expect(doubleCellValue('x')).toBe(0);
    expect(doubleCellValue('-1e999')).toBe(-Number.MAX_VALUE);
    expect(doubleCellValue('-Infinity')).toBe(0);
    expect(doubleCellValue(Number.NaN)).toBe(0);
    expect(doubleCellValue(Buffer.from('2.5'))).toBe(2.5);
  });

  it.each<[string | number, number]>([
    ['0', 2000],
    ['00', 2000],
    ['0000', 0],
    [0, 0],
    ['69', 2069],
    [70, 1970],
    ['1900', 0],
    [1901, 1901],
    ['2155', 2155],
    [2156, 0],
    [-1, 0],
    ['abc', 0],
    ['', 0],
  ])('reads %j as the YEAR %i', (cell, expected) => {
    expect(yearCellValue(cell)).toBe(expected);
  });
});
