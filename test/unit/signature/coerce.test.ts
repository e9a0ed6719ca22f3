import fc from 'fast-check';
import { coercerFor } from '../../../lib/signature/coerce.js';
import { CoercionError } from '../../../lib/signature/coercion-error.js';
import { parseSqlType } from '../../../lib/signature/sql-type.js';

/** The stored value, or `ERR code` for what the type refused. */
function store(type: string, value: unknown, utc = true): unknown {
  try {
    return coercerFor(parseSqlType(type), 'c', { utc }).store(value);
  } catch (e) {
    if (e instanceof CoercionError) return `ERR ${e.wire.code}`;
    throw e;
  }
}

function errorOf(type: string, value: unknown) {
  try {
    coercerFor(parseSqlType(type), 'c', { utc: true }).store(value);
  } catch (e) {
    if (e instanceof CoercionError) return e.wire;
  }
  throw new Error('expected a CoercionError');
}

const WIDTHS: Array<[string, number]> = [
  ['TINYINT', 8],
  ['SMALLINT', 16],
  ['MEDIUMINT', 24],
  ['INT', 32],
  ['BIGINT', 64],
];

/** Round half away from zero of `int.frac`, the reference for MySQL's rounding. */
function roundHalfAway(negative: boolean, int: string, frac: string, scale: number): bigint {
  const kept = BigInt(int + frac.padEnd(scale, '0').slice(0, scale));
  const up = (frac[scale] ?? '0') >= '5' ? 1n : 0n;
  const units = kept + up;
  return negative ? -units : units;
}

describe('integer coercion', () => {
  describe.each(WIDTHS)('%s', (name, bits) => {
    const b = BigInt(bits);
    for (const unsigned of [false, true]) {
      const type = unsigned ? `${name} UNSIGNED` : name;
      const min = unsigned ? 0n : -(2n ** (b - 1n));
      const max = unsigned ? 2n ** b - 1n : 2n ** (b - 1n) - 1n;
      const expected = (n: bigint) =>
        n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(n)
          : n;

      it(`${type} takes its bounds and refuses one past them (ERR 1264)`, () => {
        for (const form of [(n: bigint) => n, (n: bigint) => n.toString()]) {
          expect(store(type, form(min))).toEqual(expected(min));
          expect(store(type, form(max))).toEqual(expected(max));
          expect(store(type, form(min - 1n))).toBe('ERR 1264');
          expect(store(type, form(max + 1n))).toBe('ERR 1264');
        }
      });

      it(`${type}: any integer in range is kept exactly, any outside is ERR 1264`, () => {
        fc.assert(
          fc.property(fc.bigInt({ min: min - 2n ** 70n, max: max + 2n ** 70n }), (n) => {
            const inRange = n >= min && n <= max;
            const viaNumber = Number.isSafeInteger(Number(n)) && BigInt(Number(n)) === n;
            for (const v of viaNumber ? [n, n.toString(), Number(n)] : [n, n.toString()]) {
              expect(store(type, v)).toEqual(inRange ? expected(n) : 'ERR 1264');
            }
          }),
          { numRuns: 300 },
        );
      });
    }
  });

  it('rounds text with a fraction half away from zero, as MySQL does', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.bigInt({ min: 0n, max: 2n ** 40n }),
        fc.stringMatching(/^[0-9]{1,12}$/),
        (negative, int, frac) => {
          const text = `${negative ? '-' : ''}${int}.${frac}`;
          const want = roundHalfAway(negative, int.toString(), frac, 0);
          expect(store('BIGINT', text)).toEqual(Number(want) === 0 ? 0 : Number(want));
        },
      ),
    );
  });

  it('reads numbers with exponents, however large, without big arithmetic', () => {
    expect(store('INT', '1e3')).toBe(1000);
    expect(store('INT', '1.5e1')).toBe(15);
    expect(store('INT', '15e-1')).toBe(2);
    expect(store('INT', '1e-999999999999')).toBe(0);
    expect(store('BIGINT', '1e999999999999')).toBe('ERR 1264');
    expect(store('INT', '0e999999999999')).toBe(0);
    expect(store('INT', '0.' + '0'.repeat(100_000) + '1')).toBe(0);
    expect(store('BIGINT', '9'.repeat(100_000))).toBe('ERR 1264');
  });

  it.each([
    ['abc', 'ERR 1366'],
    ['', 'ERR 1366'],
    ['  ', 'ERR 1366'],
    ['.', 'ERR 1366'],
    ['-', 'ERR 1366'],
    ['12abc', 'ERR 1265'],
    ['1 2', 'ERR 1265'],
    ['0x10', 'ERR 1265'],
    ['1e', 'ERR 1265'],
    [' +5 ', 5],
    ['-0', 0],
    ['.5', 1],
    ['-.5', -1],
    [true, 1],
    [false, 0],
    [Buffer.from('42'), 42],
    [Buffer.from([0x41]), 'ERR 1366'],
    [2.5, 3],
    [-2.5, -3],
    [0.49999999999999994, 0],
    [1e300, 'ERR 1264'],
    [Infinity, 'ERR 1264'],
    [NaN, 'ERR 1264'],
    [null, null],
    [undefined, null],
  ])('INT from %p is %p', (value, want) => {
    expect(store('INT', value)).toEqual(want);
  });

  it('refuses a negative number for UNSIGNED even when it rounds to 0, but not such text', () => {
    expect(store('TINYINT UNSIGNED', -0.4)).toBe('ERR 1264');
    expect(store('TINYINT UNSIGNED', '-0.4')).toBe(0);
  });

  it("words MySQL's messages", () => {
    expect(errorOf('INT', 'abc')).toEqual({
      code: 1366,
      sqlState: 'HY000',
      message: "Incorrect integer value: 'abc' for column 'c' at row 1",
    });
    expect(errorOf('INT', '1x')).toEqual({
      code: 1265,
      sqlState: '01000',
      message: "Data truncated for column 'c' at row 1",
    });
    expect(errorOf('INT', 1e10)).toEqual({
      code: 1264,
      sqlState: '22003',
      message: "Out of range value for column 'c' at row 1",
    });
    // At most 128 characters of the value are quoted.
    expect(errorOf('INT', 'x'.repeat(500)).message).toBe(
      `Incorrect integer value: '${'x'.repeat(128)}' for column 'c' at row 1`,
    );
  });

  it('gives BOOLEAN as TINYINT, read back as true or false', () => {
    const c = coercerFor(parseSqlType('BOOLEAN'), 'f', { utc: true });
    expect(c.store(5)).toBe(5);
    expect(c.toHandler(c.store(5))).toBe(true);
    expect(c.toHandler(c.store('0'))).toBe(false);
    expect(c.store(true)).toBe(1);
    expect(c.toHandler(null)).toBeNull();
    expect(store('BOOLEAN', 128)).toBe('ERR 1264');
    expect(store('BOOLEAN', 'true')).toBe('ERR 1366');
  });
});

describe('DECIMAL coercion', () => {
  it('rounds to the scale half away from zero and bounds the integer digits', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 65 })
          .chain((p) => fc.tuple(fc.constant(p), fc.integer({ min: 0, max: Math.min(p, 30) }))),
        fc.boolean(),
        fc.stringMatching(/^[0-9]{1,70}$/),
        fc.stringMatching(/^[0-9]{0,40}$/),
        ([p, s], negative, int, frac) => {
          const text = `${negative ? '-' : ''}${int}${frac ? '.' + frac : ''}`;
          const units = roundHalfAway(negative, int, frac, s);
          const magnitude = (units < 0n ? -units : units).toString().padStart(s + 1, '0');
          const intPart = magnitude.slice(0, magnitude.length - s).replace(/^0+(?=\d)/, '');
          const got = store(`DECIMAL(${p},${s})`, text);
          if (intPart.length > p - s && !(intPart === '0' && p === s)) {
            expect(got).toBe('ERR 1264');
            return;
          }
          const fracPart = magnitude.slice(magnitude.length - s);
          const sign = units < 0n ? '-' : '';
          expect(got).toBe(sign + intPart + (s ? '.' + fracPart : ''));
        },
      ),
      { numRuns: 500 },
    );
  });

  it.each([
    ['DECIMAL(5,2)', 1.005, '1.01'],
    ['DECIMAL(5,2)', -1.005, '-1.01'],
    ['DECIMAL(5,2)', 999.994, '999.99'],
    ['DECIMAL(5,2)', 999.995, 'ERR 1264'],
    ['DECIMAL(5,2)', 1000, 'ERR 1264'],
    ['DECIMAL(5,2)', '-0.001', '0.00'],
    ['DECIMAL(5,2)', ' +1.234e1 ', '12.34'],
    ['DECIMAL(5,2)', '.5', '0.50'],
    ['DECIMAL(5,2)', 'abc', 'ERR 1366'],
    ['DECIMAL(5,2)', '1.5x', 'ERR 1366'],
    ['DECIMAL(5,2)', '', 'ERR 1366'],
    ['DECIMAL(5,2)', 1e-300, '0.00'],
    ['DECIMAL(2,2)', 0.999, 'ERR 1264'],
    ['DECIMAL(2,2)', 0.994, '0.99'],
    ['DECIMAL', 9999999999, '9999999999'],
    ['DECIMAL', 12345678901, 'ERR 1264'],
    ['DECIMAL(65,0)', 10n ** 64n, '1' + '0'.repeat(64)],
    ['DECIMAL(5,2) UNSIGNED', -1, 'ERR 1264'],
    ['DECIMAL(5,2)', true, '1.00'],
  ])('%s from %p is %p', (type, value, want) => {
    expect(store(type, value)).toBe(want);
  });

  it("words MySQL's message for text that is not a number", () => {
    expect(errorOf('DECIMAL(5,2)', 'abc').message).toBe(
      "Incorrect decimal value: 'abc' for column 'c' at row 1",
    );
  });
});

describe('FLOAT and DOUBLE coercion', () => {
  it('keeps single precision for FLOAT, as its shortest decimal', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (f) => {
        const got = store('FLOAT', f) as number;
        expect(Math.fround(got)).toBe(Math.fround(f) === 0 ? 0 : Math.fround(f));
        // Never more significant digits than a single-precision float has.
        const mantissa = String(got).replace(/e.*/, '').replace(/[-.]/g, '');
        expect(mantissa.replace(/^0+/, '').replace(/0+$/, '').length).toBeLessThanOrEqual(9);
      }),
      { numRuns: 500 },
    );
    expect(store('FLOAT', 1.1)).toBe(1.1);
    expect(store('FLOAT', 1e39)).toBe('ERR 1264');
  });

  it('keeps any double for DOUBLE, from a number or its text', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        expect(store('DOUBLE', d)).toBe(d === 0 ? 0 : d);
        expect(store('DOUBLE', String(d))).toBe(d === 0 ? 0 : d);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['abc', 'ERR 1265'],
    ['', 'ERR 1265'],
    ['1.5x', 'ERR 1265'],
    ['1e309', 'ERR 1264'],
    [' 2.5 ', 2.5],
    [18446744073709551615n, 18446744073709552000],
  ])('DOUBLE from %p is %p', (value, want) => {
    expect(store('DOUBLE', value)).toBe(want);
  });

  it('refuses negatives for UNSIGNED', () => {
    expect(store('DOUBLE UNSIGNED', -1)).toBe('ERR 1264');
  });
});

describe('string coercion', () => {
  it('VARCHAR(n) takes n characters (not UTF-16 units), else ERR 1406 unless the excess is spaces', () => {
    const char = fc.constantFrom('a', 'é', '😀', ' ', '中', '\u0000');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.array(char, { maxLength: 14 }), (n, chars) => {
        const s = chars.join('');
        const got = store(`VARCHAR(${n})`, s);
        const over = chars.slice(n);
        if (chars.length <= n) expect(got).toBe(s);
        else if (over.every((c) => c === ' ')) expect(got).toBe(chars.slice(0, n).join(''));
        else expect(got).toBe('ERR 1406');
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['VARCHAR(4)', 12345, 'ERR 1406'],
    ['VARCHAR(4)', 1.5, '1.5'],
    ['VARCHAR(4)', true, '1'],
    ['VARCHAR(30)', 18446744073709551615n, '18446744073709551615'],
    ['VARCHAR(8)', 1e21, '1e21'],
    ['VARCHAR(4)', Buffer.from('héé'), 'héé'],
    ['VARCHAR(4)', Buffer.from([0xc3]), 'ERR 1366'],
    ['VARCHAR(4)', Buffer.from([0xed, 0xa0, 0x80]), 'ERR 1366'],
    ['VARCHAR(4)', Buffer.from([0xc0, 0x80]), 'ERR 1366'],
    ['CHAR(4)', 'ab  ', 'ab'],
    ['CHAR(4)', 'abcde', 'ERR 1406'],
    ['TINYTEXT', 'é'.repeat(127), 'é'.repeat(127)],
    ['TINYTEXT', 'é'.repeat(128), 'ERR 1406'],
    ['TINYTEXT', 'a'.repeat(255) + '   ', 'a'.repeat(255)],
    ['TEXT', 'x'.repeat(65_536), 'ERR 1406'],
  ])('%s from %p is %p', (type, value, want) => {
    expect(store(type, value)).toEqual(want);
  });

  it('quotes the bytes it cannot read as MySQL does', () => {
    expect(errorOf('VARCHAR(9)', Buffer.from([0x61, 0xc3, 0x28, 0x62])).message).toBe(
      "Incorrect string value: '\\xC3(b' for column 'c' at row 1",
    );
    expect(errorOf('TEXT', Buffer.from([0xff, 1, 2, 3, 4, 5, 6, 7])).message).toBe(
      "Incorrect string value: '\\xFF\\x01\\x02\\x03\\x04\\x05...' for column 'c' at row 1",
    );
  });

  it('accepts exactly the well-formed UTF-8 that Node decodes losslessly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => {
        const b = Buffer.from(bytes);
        const lossless = Buffer.from(b.toString('utf8'), 'utf8').equals(b);
        const got = store('TEXT', b);
        expect(got === 'ERR 1366').toBe(!lossless);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['VARBINARY(4)', 'abcd', Buffer.from('abcd')],
    ['VARBINARY(4)', 'abcde', 'ERR 1406'],
    ['VARBINARY(4)', 5, Buffer.from('5')],
    ['VARBINARY(4)', 'é', Buffer.from('é')],
    ['BINARY(4)', Buffer.from([1]), Buffer.from([1, 0, 0, 0])],
    ['BINARY(2)', 'abc', 'ERR 1406'],
    ['TINYBLOB', Buffer.alloc(256), 'ERR 1406'],
  ])('%s from %p is %p', (type, value, want) => {
    expect(store(type, value)).toEqual(want);
  });
});

describe('BIT and YEAR coercion', () => {
  it.each([
    ['BIT(8)', 255, 255],
    ['BIT(8)', 256, 'ERR 1406'],
    ['BIT(8)', -1, 'ERR 1406'],
    ['BIT(8)', 1.5, 2],
    ['BIT(8)', 'a', 97],
    ['BIT(8)', 'ab', 'ERR 1406'],
    ['BIT(16)', Buffer.from([0, 1, 2]), 258],
    ['BIT(64)', 2n ** 64n - 1n, 2n ** 64n - 1n],
    ['BIT(64)', 2n ** 64n, 'ERR 1406'],
    ['BIT(1)', true, 1],
    ['YEAR', 2026, 2026],
    ['YEAR', 2026.4, 2026],
    ['YEAR', 1900, 'ERR 1264'],
    ['YEAR', 2156, 'ERR 1264'],
    ['YEAR', 26, 2026],
    ['YEAR', 70, 1970],
    ['YEAR', 0, 0],
    ['YEAR', '0', 2000],
    ['YEAR', '0000', 0],
    ['YEAR', '99', 1999],
    ['YEAR', 'abc', 'ERR 1366'],
    ['YEAR', '2026x', 'ERR 1265'],
  ])('%s from %p is %p', (type, value, want) => {
    expect(store(type, value)).toEqual(want);
  });
});

describe('temporal coercion', () => {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const validDate = fc
    .date({
      min: new Date(Date.UTC(1000, 0, 1)),
      max: new Date(Date.UTC(9999, 11, 31, 23, 59, 59)),
      noInvalidDate: true,
    })
    .map((d) => ({
      y: d.getUTCFullYear(),
      m: d.getUTCMonth() + 1,
      d: d.getUTCDate(),
      h: d.getUTCHours(),
      mi: d.getUTCMinutes(),
      s: d.getUTCSeconds(),
      ms: d.getUTCMilliseconds(),
    }));

  it("reads a date in each of MySQL's forms to the same YYYY-MM-DD", () => {
    fc.assert(
      fc.property(validDate, fc.constantFrom('-', '/', '.', ':'), (t, sep) => {
        const want = `${pad(t.y, 4)}-${pad(t.m)}-${pad(t.d)}`;
        expect(store('DATE', `${t.y}${sep}${t.m}${sep}${t.d}`)).toBe(want);
        expect(store('DATE', `${pad(t.y, 4)}${pad(t.m)}${pad(t.d)}`)).toBe(want);
        expect(store('DATE', Number(`${pad(t.y, 4)}${pad(t.m)}${pad(t.d)}`))).toBe(want);
        expect(store('DATE', `${want} ${pad(t.h)}:${pad(t.mi)}:${pad(t.s)}`)).toBe(want);
      }),
      { numRuns: 300 },
    );
  });

  it('rounds DATETIME fractions to its precision, carrying into the date', () => {
    fc.assert(
      fc.property(
        validDate,
        fc.integer({ min: 0, max: 6 }),
        fc.stringMatching(/^[0-9]{1,9}$/),
        (t, fsp, frac) => {
          const text = `${pad(t.y, 4)}-${pad(t.m)}-${pad(t.d)} ${pad(t.h)}:${pad(t.mi)}:${pad(t.s)}.${frac}`;
          const got = store(`DATETIME(${fsp})`, text);
          // Reference: the instant in microseconds, rounded half up to fsp digits.
          const base = Date.UTC(2000, 0, 1) + 0;
          const d = new Date(base);
          d.setUTCFullYear(t.y, t.m - 1, t.d);
          d.setUTCHours(t.h, t.mi, t.s, 0);
          const units =
            Number(frac.padEnd(fsp, '0').slice(0, fsp) || '0') +
            ((frac[fsp] ?? '0') >= '5' ? 1 : 0);
          const carry = units >= 10 ** fsp ? 1 : 0;
          d.setUTCSeconds(d.getUTCSeconds() + carry);
          if (d.getUTCFullYear() > 9999) return expect(got).toBe('ERR 1292');
          const want =
            `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
            `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
            (fsp ? '.' + String(carry ? 0 : units).padStart(fsp, '0') : '');
          expect(got).toBe(want);
        },
      ),
      { numRuns: 500 },
    );
  });

  it.each([
    ['DATE', '2026-02-29', 'ERR 1292'],
    ['DATE', '2024-02-29', '2024-02-29'],
    ['DATE', '2000-02-29', '2000-02-29'],
    ['DATE', '1900-02-29', 'ERR 1292'],
    ['DATE', '2026-04-31', 'ERR 1292'],
    ['DATE', '2026-13-01', 'ERR 1292'],
    ['DATE', '0000-00-00', 'ERR 1292'],
    ['DATE', '2026-00-10', 'ERR 1292'],
    ['DATE', '26-01-02', '2026-01-02'],
    ['DATE', '70-01-02', '1970-01-02'],
    ['DATE', '260102', '2026-01-02'],
    ['DATE', 101, '2000-01-01'],
    ['DATE', ' 2026-01-02 ', '2026-01-02'],
    ['DATE', '2026-01-02x', 'ERR 1292'],
    ['DATE', '2026-01-02 25:00:00', 'ERR 1292'],
    ['DATE', 'abc', 'ERR 1292'],
    ['DATE', -20260102, 'ERR 1292'],
    ['DATETIME', '2026-01-02', '2026-01-02 00:00:00'],
    ['DATETIME', '2026-01-02T10:11:12', '2026-01-02 10:11:12'],
    ['DATETIME', '2026-01-02 10:11', '2026-01-02 10:11:00'],
    ['DATETIME', '2026-01-02 10:11:12.6', '2026-01-02 10:11:13'],
    ['DATETIME', '9999-12-31 23:59:59.5', 'ERR 1292'],
    ['DATETIME', 20260102101112, '2026-01-02 10:11:12'],
    ['DATETIME', '20260102101112.5', '2026-01-02 10:11:13'],
    ['DATETIME', '2026-01-02 10:60:00', 'ERR 1292'],
    ['DATETIME(6)', '2026-01-02 10:11:12.1234567', '2026-01-02 10:11:12.123457'],
    ['TIMESTAMP', '1970-01-01 00:00:00', 'ERR 1292'],
    ['TIMESTAMP', '1970-01-01 00:00:01', '1970-01-01 00:00:01'],
    ['TIMESTAMP', '2038-01-19 03:14:07', '2038-01-19 03:14:07'],
    ['TIMESTAMP', '2038-01-19 03:14:08', 'ERR 1292'],
    ['TIME', '10:11:12', '10:11:12'],
    ['TIME', '10:11', '10:11:00'],
    ['TIME', '838:59:59', '838:59:59'],
    ['TIME', '-838:59:59', '-838:59:59'],
    ['TIME', '839:00:00', 'ERR 1292'],
    ['TIME', '838:59:59.5', 'ERR 1292'],
    ['TIME', '1 10:00:00', '34:00:00'],
    ['TIME', '2 3', '51:00:00'],
    ['TIME', 101112, '10:11:12'],
    ['TIME', -1112, '-00:11:12'],
    ['TIME', '12', '00:00:12'],
    ['TIME', '10:61:00', 'ERR 1292'],
    ['TIME', 'abc', 'ERR 1292'],
    ['TIME', '-0:00:00.4', '00:00:00'],
    ['TIME(2)', '00:00:01.235', '00:00:01.24'],
    ['TIME', '2026-01-02 10:11:12', '10:11:12'],
  ])('%s from %p is %p', (type, value, want) => {
    expect(store(type, value)).toBe(want);
  });

  it('takes Dates in the configured zone', () => {
    const d = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
    expect(store('DATETIME(3)', d, true)).toBe('2026-01-02 03:04:05.678');
    expect(store('DATETIME', d, true)).toBe('2026-01-02 03:04:06');
    expect(store('DATE', d, true)).toBe('2026-01-02');
    expect(store('TIME', d, true)).toBe('03:04:06');
    expect(store('VARCHAR(30)', d, true)).toBe('2026-01-02 03:04:05.678');
  });

  it("words MySQL's messages", () => {
    expect(errorOf('DATE', '2026-02-30')).toEqual({
      code: 1292,
      sqlState: '22007',
      message: "Incorrect date value: '2026-02-30' for column 'c' at row 1",
    });
    expect(errorOf('TIMESTAMP', '2040-01-01').message).toBe(
      "Incorrect datetime value: '2040-01-01' for column 'c' at row 1",
    );
    expect(errorOf('TIME', '839:00:00').message).toBe(
      "Incorrect time value: '839:00:00' for column 'c' at row 1",
    );
  });
});

describe('JSON coercion', () => {
  it('stores JSON text and gives the handler its value', () => {
    const c = coercerFor(parseSqlType('JSON'), 'j', { utc: true });
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        const stored = c.store(text);
        expect(stored).toBe(text);
        expect(c.toHandler(stored)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    [5, '5'],
    [true, 'true'],
    [12345678901234567890n, '12345678901234567890'],
    [{ a: [1, 'x'] }, '{"a":[1,"x"]}'],
    [Buffer.from('1'), 'ERR 3144'],
    ['{bad', 'ERR 3140'],
    ['[1', 'ERR 3140'],
  ])('JSON from %p is %p', (value, want) => {
    expect(store('JSON', value)).toBe(want);
  });
});
