import fc from 'fast-check';
import {
  readBulkExecute,
  readExecuteParams,
  readFetch,
  readSendLongData,
  readStatementId,
} from '../../../../lib/protocol/binary/execute-request.js';
import { MalformedPacketError } from '../../../../lib/protocol/binary/malformed-packet.js';
import {
  Capability,
  ColumnType,
  CursorType,
  PARAMETER_UNSIGNED,
} from '../../../../lib/protocol/constants.js';
import { MalformedPacketError as ReaderError } from '../../../../lib/protocol/payload-reader.js';
import { parseStatement } from '../../../../lib/sql/parse-statement.js';
import type { SqlValue } from '../../../../lib/sql/types.js';
import { CONNECTOR_PACKETS } from './captures.js';
import { mysql2Execute, QUERY_ATTRIBUTES_FLAG, T } from './mysql2-oracle.js';

const QA = Capability.QUERY_ATTRIBUTES;
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** Values of a mysql2-encoded execute, read back with no previous types, long data or attributes. */
function roundTrip(values: unknown[], capabilities = 0): SqlValue[] {
  const payload = mysql2Execute(42, values);
  return readExecuteParams(payload, values.length, null, null, capabilities).values;
}

const one = (value: unknown): SqlValue => roundTrip([value])[0]!;

/** What `CALL p(<literal>)` gives a handler: the oracle for DECIMAL text. */
const literal = (text: string): SqlValue => {
  const st = parseStatement(`CALL p(${text})`);
  if (st.kind !== 'call') throw new Error('not a call');
  return st.args[0]!;
};

const expectMalformed = (fn: () => unknown): void => {
  let thrown: unknown = null;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(MalformedPacketError);
};

describe('MalformedPacketError', () => {
  it('is the one PayloadReader throws, a plain Error', () => {
    expect(MalformedPacketError).toBe(ReaderError);
    expect(new MalformedPacketError()).toBeInstanceOf(Error);
  });
});

describe('readExecuteParams against mysql2 typed parameters', () => {
  it.each([
    ['TINY', T.TINY(-128), -128],
    ['TINY', T.TINY(127), 127],
    ['TINY UNSIGNED', T.TINY.unsigned(255), 255],
    ['SHORT', T.SHORT(-32768), -32768],
    ['SHORT UNSIGNED', T.SHORT.unsigned(65535), 65535],
    ['INT24 (sent as LONG)', T.INT24(-8388608), -8388608],
    ['LONG', T.LONG(-2147483648), -2147483648],
    ['LONG UNSIGNED', T.LONG.unsigned(4294967295), 4294967295],
    ['YEAR (sent as SHORT)', T.YEAR(2024), 2024],
    ['LONGLONG safe', T.LONGLONG(-9007199254740991n), -9007199254740991],
    ['LONGLONG past safe', T.LONGLONG(-9007199254740992n), -9007199254740992n],
    ['LONGLONG min', T.LONGLONG(-(2n ** 63n)), -(2n ** 63n)],
    ['LONGLONG max', T.LONGLONG(2n ** 63n - 1n), 2n ** 63n - 1n],
    ['LONGLONG UNSIGNED max', T.LONGLONG.unsigned(2n ** 64n - 1n), 2n ** 64n - 1n],
    ['LONGLONG UNSIGNED safe', T.LONGLONG.unsigned(2n ** 53n - 1n), 2 ** 53 - 1],
    ['FLOAT widened exactly', T.FLOAT(0.1), 0.10000000149011612],
    ['DOUBLE', T.DOUBLE(-1.2345678901234568e-300), -1.2345678901234568e-300],
    ['DECIMAL with a point', T.DECIMAL('1.50'), 1.5],
    ['DECIMAL integral', T.DECIMAL('123'), 123],
    ['DECIMAL past 2^53', T.DECIMAL('-99999999999999999999'), -99999999999999999999n],
    ['NEWDECIMAL', T.NEWDECIMAL('-0.25'), -0.25],
    ['VARCHAR', T.VARCHAR('héllo😀'), 'héllo😀'],
    ['STRING', T.STRING('abc'), 'abc'],
    ['ENUM (sent as STRING)', T.ENUM('bé'), 'bé'],
    ['SET (sent as STRING)', T.SET('x,y'), 'x,y'],
    ['JSON', T.JSON({ a: [1, 2.5] }), '{"a":[1,2.5]}'],
    ['BLOB', T.BLOB(Buffer.from([0, 255, 16])), Buffer.from([0, 255, 16])],
    ['MEDIUM_BLOB', T.MEDIUM_BLOB(Buffer.from('xy')), Buffer.from('xy')],
    ['TEXT is a BLOB type: bytes', T.TEXT('héllo'), Buffer.from('héllo')],
    ['DATE drops the time of day', T.DATE(new Date(Date.UTC(2024, 0, 2, 3, 4, 5))), '2024-01-02'],
    [
      'DATETIME with milliseconds',
      T.DATETIME(new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 5))),
      '2024-02-29 23:59:59.005000',
    ],
    [
      'DATETIME without a fraction',
      T.DATETIME(new Date(Date.UTC(1000, 0, 1, 0, 0, 0))),
      '1000-01-01 00:00:00',
    ],
    ['TIMESTAMP', T.TIMESTAMP(new Date(Date.UTC(2038, 0, 19, 3, 14, 7))), '2038-01-19 03:14:07'],
    ['TIME zero (length 0)', T.TIME('00:00:00'), '00:00:00'],
    ['TIME negative', T.TIME('-838:59:59'), '-838:59:59'],
    ['TIME with days', T.TIME('49:01:02'), '49:01:02'],
    ['TIME with microseconds', T.TIME('12:00:00.25'), '12:00:00.250000'],
    ['TIME past the range, clamped', T.TIME('900:00:00'), '838:59:59'],
    ['TIME negative past the range', T.TIME('-839:00:00.5'), '-838:59:59'],
    ['NULL type', T.NULL(), null],
    ['typed NULL', T.LONG(null), null],
  ])('%s', (_name, param, expected) => {
    expect(one(param)).toEqual(expected);
  });

  it('reads what mysql2 infers from plain JavaScript values', () => {
    const date = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    expect(
      roundTrip([42, 1.5, true, false, 'text', Buffer.from('b'), date, null, { k: 'v' }, 7n]),
    ).toEqual([
      42, // DOUBLE
      1.5,
      1, // TINY: the binary protocol has no boolean
      0,
      'text',
      Buffer.from('b'),
      '2024-01-02 03:04:05.678000',
      null,
      '{"k":"v"}',
      '7', // mysql2 sends a bigint as a string
    ]);
  });

  it('reads DECIMAL text exactly as the same literal in a text CALL', () => {
    for (const text of ['1.50', '-1.50', '0', '-0', '007', '.5', '5.', '1e3', '-2.5E-3', '1.e2']) {
      expect(one(T.DECIMAL(text))).toEqual(literal(text));
    }
    for (const digits of [
      '9007199254740991',
      '9007199254740993',
      '123456789012345678901234567890',
    ]) {
      expect(one(T.DECIMAL(digits))).toEqual(literal(digits));
      expect(one(T.DECIMAL('-' + digits))).toEqual(literal('-' + digits));
    }
    // Negative zero with a point stays -0, as the literal path negates after parsing.
    expect(Object.is(one(T.DECIMAL('-0.0')), literal('-0.0'))).toBe(true);
  });

  it('reads the numeric prefix of malformed DECIMAL text, and 0 for none (as MySQL)', () => {
    expect(one(T.DECIMAL('12abc'))).toBe(12);
    expect(one(T.DECIMAL('  3.5x'))).toBe(3.5);
    expect(one(T.DECIMAL('abc'))).toBe(0);
    expect(one(T.DECIMAL(''))).toBe(0);
    expect(one(T.DECIMAL('-'))).toBe(0);
    expect(one(T.DECIMAL('1e'))).toBe(1);
  });

  it('refuses DECIMAL text beyond a double, as a text CALL refuses the literal', () => {
    expect(() => literal('1e400')).toThrow();
    expectMalformed(() => one(T.DECIMAL('1e400')));
  });

  it('refuses NaN and infinities', () => {
    expectMalformed(() => one(Number.NaN));
    expectMalformed(() => one(T.FLOAT(Number.POSITIVE_INFINITY)));
    expectMalformed(() => one(T.DOUBLE(Number.NEGATIVE_INFINITY)));
  });

  it('returns the statement id, flags, iteration count and bound types', () => {
    const payload = mysql2Execute(0xfffffffe, [T.LONG.unsigned(1), 'x', null]);
    const request = readExecuteParams(payload, 3, null, null, 0);
    expect(request.statementId).toBe(0xfffffffe);
    expect(request.flags).toBe(CursorType.NO_CURSOR);
    expect(request.iterationCount).toBe(1);
    expect(Array.from(request.types)).toEqual([
      ColumnType.LONG | PARAMETER_UNSIGNED,
      ColumnType.VAR_STRING,
      ColumnType.NULL,
    ]);
  });

  it('reads a statement without parameters', () => {
    const request = readExecuteParams(mysql2Execute(3, []), 0, null, null, 0);
    expect(request.values).toEqual([]);
    expect(request.types.length).toBe(0);
  });
});

describe('readExecuteParams properties (mysql2 encodes, we decode)', () => {
  const widths: Array<[string, number]> = [
    ['TINY', 8],
    ['SHORT', 16],
    ['LONG', 32],
    ['LONGLONG', 64],
  ];
  for (const [name, bits] of widths) {
    for (const unsigned of [false, true]) {
      it(`${name}${unsigned ? ' UNSIGNED' : ''}: every value, a number when safe`, () => {
        const b = BigInt(bits);
        const min = unsigned ? 0n : -(1n << (b - 1n));
        const max = unsigned ? (1n << b) - 1n : (1n << (b - 1n)) - 1n;
        fc.assert(
          fc.property(fc.bigInt({ min, max }), (v) => {
            const param = unsigned ? T[name].unsigned(v) : T[name](v);
            const expected = v >= -(2n ** 53n - 1n) && v <= 2n ** 53n - 1n ? Number(v) : v;
            expect(one(param)).toEqual(expected);
          }),
          { numRuns: 300 },
        );
      });
    }
  }

  it('DOUBLE: every finite double, bit for bit', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        expect(Object.is(one(T.DOUBLE(v)), v)).toBe(true);
      }),
    );
  });

  it('FLOAT: the float32 value, widened', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (v) => {
        expect(Object.is(one(T.FLOAT(v)), Math.fround(v))).toBe(true);
      }),
    );
  });

  it('strings of any code points, 4-byte ones included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => {
        expect(one(s)).toBe(s);
        expect(one(T.VARCHAR(s))).toBe(s);
      }),
    );
  });

  it('bytes, long ones included (lenenc lengths of 1, 3 and 4 bytes)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const b = Buffer.from(bytes);
        expect(one(b)).toEqual(b);
      }),
      { numRuns: 50 },
    );
    for (const size of [250, 251, 0xffff, 0x10000]) {
      const b = Buffer.alloc(size, 7);
      expect(one(b)).toEqual(b);
    }
  });

  it('datetimes with milliseconds, across years 0..9999', () => {
    const two = (n: number): string => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0000-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const ms = d.getUTCMilliseconds();
          const text =
            `${String(d.getUTCFullYear()).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ` +
            `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}` +
            (ms ? `.${String(ms * 1000).padStart(6, '0')}` : '');
          expect(one(T.DATETIME(d))).toBe(text);
          expect(one(T.DATE(d))).toBe(text.slice(0, 10));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('times with fractions and days, within the TIME range', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: 0, max: 838 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 999999 }),
        (negative, h, m, s, micro) => {
          const base = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
          const input = `${negative ? '-' : ''}${base}.${String(micro).padStart(6, '0')}`;
          const zero = h === 0 && m === 0 && s === 0 && micro === 0;
          const expected =
            (negative && !zero ? '-' : '') +
            base +
            (micro ? `.${String(micro).padStart(6, '0')}` : '');
          expect(one(T.TIME(input))).toBe(expected);
        },
      ),
    );
  });

  it('DECIMAL text of any shape reads as the text CALL literal does', () => {
    const digits = fc.string({
      unit: fc.constantFrom(...'0123456789'),
      minLength: 1,
      maxLength: 30,
    });
    const decimalText = fc
      .tuple(
        fc.constantFrom('', '-', '+'),
        digits,
        fc.option(fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 12 })),
        fc.option(fc.tuple(fc.constantFrom('e', 'E-', 'e+'), fc.integer({ min: 0, max: 300 }))),
      )
      .map(([sign, int, frac, exp]) => {
        let t = sign + int;
        if (frac !== null) t += '.' + frac;
        if (exp !== null) t += exp[0] + exp[1];
        return t;
      });
    fc.assert(
      fc.property(decimalText, (text) => {
        let expected: SqlValue;
        try {
          expected = literal(text);
        } catch {
          // Past a double's range the text CALL is refused (ER 1367): so is the execute.
          expectMalformed(() => one(T.DECIMAL(text)));
          return;
        }
        const got = one(T.DECIMAL(text));
        expect(Object.is(got, expected) || got === expected).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('NULL bitmaps of many parameters', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer(), { nil: null }), { maxLength: 40 }), (values) => {
        expect(roundTrip(values)).toEqual(values);
      }),
    );
  });
});

describe('readExecuteParams with query attributes (MySQL 8)', () => {
  it('reads parameter_count and the names, and drops the attributes', () => {
    const payload = mysql2Execute(5, [1.5, 'x'], {
      clientFlags: QUERY_ATTRIBUTES_FLAG,
      attributes: { traceparent: '00-abc-01', n: 7 },
    });
    expect(payload[5]! & CursorType.PARAMETER_COUNT_AVAILABLE).toBeTruthy();
    const request = readExecuteParams(payload, 2, null, null, QA);
    expect(request.values).toEqual([1.5, 'x']);
    expect(request.types.length).toBe(2);
  });

  it('reads attributes sent to a statement without parameters', () => {
    const payload = mysql2Execute(5, [], {
      clientFlags: QUERY_ATTRIBUTES_FLAG,
      attributes: { a: 'b' },
    });
    expect(readExecuteParams(payload, 0, null, null, QA).values).toEqual([]);
  });

  it('reads a packet without attributes when the capability is on', () => {
    const payload = mysql2Execute(5, [T.SHORT(-3)], { clientFlags: QUERY_ATTRIBUTES_FLAG });
    expect(readExecuteParams(payload, 1, null, null, QA).values).toEqual([-3]);
    // The same bytes read without the capability are misread, and refused.
    expectMalformed(() => readExecuteParams(payload, 1, null, null, 0));
  });

  it('refuses a parameter_count below the statement’s parameters', () => {
    const payload = mysql2Execute(5, [1, 2], { clientFlags: QUERY_ATTRIBUTES_FLAG });
    payload[10] = 1; // parameter_count
    expectMalformed(() => readExecuteParams(payload, 2, null, null, QA));
  });

  it('refuses a parameter_count the packet cannot hold, before allocating for it', () => {
    const payload = hex('17 05000000 08 01000000 fe ffffff0000000000 00 01');
    expectMalformed(() => readExecuteParams(payload, 1, null, null, QA));
  });
});

/** A re-execute of a mysql2 packet without attributes: new-params-bound 0, types removed. */
function withoutTypes(payload: Buffer, count: number): Buffer {
  const flagAt = 10 + ((count + 7) >> 3);
  const out = Buffer.concat([
    payload.subarray(0, flagAt + 1),
    payload.subarray(flagAt + 1 + 2 * count),
  ]);
  out[flagAt] = 0;
  return out;
}

describe('readExecuteParams reusing the types bound before', () => {
  it('reads values with the previous types when the flag is 0', () => {
    const values = [T.LONG(-7), 'héllo', T.DATETIME(new Date(Date.UTC(2020, 5, 6, 7, 8, 9)))];
    const first = readExecuteParams(mysql2Execute(9, values), 3, null, null, 0);
    const again = readExecuteParams(
      withoutTypes(mysql2Execute(9, values), 3),
      3,
      first.types,
      null,
      0,
    );
    expect(again.values).toEqual([-7, 'héllo', '2020-06-06 07:08:09']);
    expect(again.types).toBe(first.types);
  });

  it('refuses a re-execute with no types to reuse', () => {
    const payload = withoutTypes(mysql2Execute(9, [1]), 1);
    expectMalformed(() => readExecuteParams(payload, 1, null, null, 0));
    expectMalformed(() => readExecuteParams(payload, 1, new Uint16Array(2), null, 0));
  });
});

describe('readExecuteParams with long data', () => {
  it('takes the long data whatever the null bit, and reads no bytes for it', () => {
    const payload = mysql2Execute(1, [T.VARCHAR(null), T.BLOB(null), T.DECIMAL(null), 5]);
    const longData = [Buffer.from('héllo😀'), Buffer.from([1, 2]), Buffer.from('2.50'), null];
    expect(readExecuteParams(payload, 4, null, longData, 0).values).toEqual([
      'héllo😀',
      Buffer.from([1, 2]),
      2.5,
      5,
    ]);
    // The same with the null bits cleared: still no bytes in the packet for them.
    payload[10] = 0;
    expect(readExecuteParams(payload, 4, null, longData, 0).values[0]).toBe('héllo😀');
  });

  it('refuses long data for a fixed-width type, as MySQL does', () => {
    const payload = mysql2Execute(1, [T.LONG(null)]);
    expectMalformed(() => readExecuteParams(payload, 1, null, [Buffer.from('1')], 0));
  });
});

describe('readExecuteParams on hostile or odd packets', () => {
  const full = mysql2Execute(77, [
    T.TINY(-1),
    T.SHORT.unsigned(2),
    T.LONG(3),
    T.LONGLONG(-(2n ** 60n)),
    T.FLOAT(1.5),
    T.DOUBLE(2.5),
    T.DECIMAL('1.25'),
    'héllo',
    Buffer.alloc(300, 1),
    T.DATE(new Date(Date.UTC(2001, 1, 3))),
    T.DATETIME(new Date(Date.UTC(2001, 1, 3, 4, 5, 6, 7))),
    T.TIME('-12:34:56.5'),
    T.TIME('00:00:00'),
    null,
  ]);

  it('throws MalformedPacketError, and nothing else, when cut at any byte', () => {
    expect(readExecuteParams(full, 14, null, null, 0).values).toHaveLength(14);
    for (let end = 0; end < full.length; end++) {
      expectMalformed(() => readExecuteParams(full.subarray(0, end), 14, null, null, 0));
    }
  });

  it('ignores bytes after the last value, as MySQL does', () => {
    const padded = Buffer.concat([full, Buffer.from('trailing junk')]);
    expect(readExecuteParams(padded, 14, null, null, 0).values).toEqual(
      readExecuteParams(full, 14, null, null, 0).values,
    );
  });

  it('refuses an unknown type, even for a NULL parameter', () => {
    const payload = mysql2Execute(1, [null]);
    const typeAt = 12;
    expect(payload[typeAt]).toBe(ColumnType.NULL);
    for (const bogus of [0x0e, 0x11, 0x20, 0xf2, 0xf4]) {
      payload[typeAt] = bogus;
      expectMalformed(() => readExecuteParams(payload, 1, null, null, 0));
    }
  });

  it('never throws anything but MalformedPacketError on random bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 80 }),
        fc.integer({ min: 0, max: 6 }),
        fc.boolean(),
        (bytes, count, attributes) => {
          const payload = Buffer.concat([Buffer.from([0x17]), Buffer.from(bytes)]);
          try {
            readExecuteParams(payload, count, null, null, attributes ? QA : 0);
          } catch (e) {
            expect(e).toBeInstanceOf(MalformedPacketError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws anything but MalformedPacketError on mutated real packets', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(full.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (edits) => {
          const payload = Buffer.from(full);
          for (const [at, v] of edits) payload[at] = v;
          try {
            readExecuteParams(payload, 14, null, null, 0);
          } catch (e) {
            expect(e).toBeInstanceOf(MalformedPacketError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

/** One parameter of a hand-built packet: type, flag byte, value bytes. */
const handBuilt = (type: number, value: string, flag = 0): Buffer =>
  Buffer.concat([hex('17 01000000 00 01000000 00 01'), Buffer.from([type, flag]), hex(value)]);
const read1 = (type: number, value: string): SqlValue =>
  readExecuteParams(handBuilt(type, value), 1, null, null, 0).values[0]!;

describe('temporal values MySQL would range-check', () => {
  it('makes a DATETIME with a field out of range the zero value', () => {
    expect(read1(ColumnType.DATETIME, '07 e807 0d 01 00 00 00')).toBe('0000-00-00 00:00:00');
    expect(read1(ColumnType.DATETIME, '07 e807 01 01 18 00 00')).toBe('0000-00-00 00:00:00');
    expect(read1(ColumnType.DATETIME, '0b e807 01 01 00 00 00 40420f00')).toBe(
      '0000-00-00 00:00:00',
    );
    expect(read1(ColumnType.DATE, '04 1027 01 01')).toBe('0000-00-00');
  });

  it('reads the compact lengths, and only those', () => {
    expect(read1(ColumnType.DATETIME, '00')).toBe('0000-00-00 00:00:00');
    expect(read1(ColumnType.DATE, '00')).toBe('0000-00-00');
    expect(read1(ColumnType.TIMESTAMP, '04 d007 02 1d')).toBe('2000-02-29 00:00:00');
    expect(read1(ColumnType.DATE, '0b d007 02 1d 01 02 03 01000000')).toBe('2000-02-29');
    expect(read1(ColumnType.DATETIME, '0b 0100 01 01 00 00 00 01000000')).toBe(
      '0001-01-01 00:00:00.000001',
    );
    for (const bad of ['01 00', '05 e807 01 01 00', '0c e807 01 01 00 00 00 00000000 00']) {
      expectMalformed(() => read1(ColumnType.DATETIME, bad));
    }
    for (const bad of ['04 00 00000000', '09 00 00000000 00 00 00 00']) {
      expectMalformed(() => read1(ColumnType.TIME, bad));
    }
  });

  it('folds days into hours, clamps past 838 hours, zeroes bad minutes', () => {
    expect(read1(ColumnType.TIME, '08 01 22000000 16 3b 3b')).toBe('-838:59:59'); // 34 days 22h
    expect(read1(ColumnType.TIME, '08 00 23000000 00 00 00')).toBe('838:59:59'); // 35 days
    expect(read1(ColumnType.TIME, '0c 00 ffffffff 17 3b 3b ffffffff')).toBe('838:59:59');
    expect(read1(ColumnType.TIME, '08 00 00000000 01 3c 00')).toBe('00:00:00');
    expect(read1(ColumnType.TIME, '0c 01 00000000 00 00 00 20a10700')).toBe('-00:00:00.500000');
    expect(read1(ColumnType.TIME, '08 01 00000000 00 00 00')).toBe('00:00:00');
  });

  it('reads the unsigned flag from the flag byte, ignoring its other bits', () => {
    const payload = handBuilt(ColumnType.TINY, 'ff', 0xc0);
    const request = readExecuteParams(payload, 1, null, null, 0);
    expect(request.values[0]).toBe(255);
    expect(request.types[0]).toBe(ColumnType.TINY | PARAMETER_UNSIGNED);
    expect(
      readExecuteParams(handBuilt(ColumnType.TINY, 'ff', 0x40), 1, null, null, 0).values[0],
    ).toBe(-1);
  });
});

describe('packets the mariadb connector sent (captured)', () => {
  it('reads its COM_STMT_EXECUTE values', () => {
    const [scalars] = CONNECTOR_PACKETS.scalars!;
    expect(readExecuteParams(hex(scalars!), 9, null, null, 0)).toMatchObject({
      statementId: 0xffffffff,
      values: [1, -2147483648, 2147483647, 1.5, -0.1, 1, 'héllo😀', null, 9007199254740993n],
    });
    const [bigger] = CONNECTOR_PACKETS.bigger!;
    expect(readExecuteParams(hex(bigger!), 4, null, null, 0).values).toEqual([
      2147483648,
      -(2n ** 63n),
      Buffer.from([0, 255, 16]),
      '2024-01-02 03:04:05.678000',
    ]);
  });

  it('reads its COM_STMT_BULK_EXECUTE rows', () => {
    const [first, second] = CONNECTOR_PACKETS.bulk!.map(hex);
    const a = readBulkExecute(first!, 5, null);
    expect(a.statementId).toBe(4);
    expect(a.flags).toBe(128);
    expect(Array.from(a.types)).toEqual([
      ColumnType.LONG,
      ColumnType.VAR_STRING,
      ColumnType.BLOB,
      ColumnType.DATETIME,
      ColumnType.DOUBLE,
    ]);
    expect(a.rows).toEqual([
      [1, 'a', Buffer.from('xy'), '2024-01-02 03:04:05.500000', 2.5],
      [-5, null, null, null, null],
    ]);
    expect(readBulkExecute(second!, 5, null).rows).toEqual([
      [2n ** 62n, 'bé😀', Buffer.alloc(0), '1999-12-31 00:00:00', -1e300],
    ]);
  });
});

describe('readBulkExecute', () => {
  const types = new Uint16Array([ColumnType.LONG, ColumnType.VAR_STRING]);

  it('reuses the previous types when none are sent, and reads every indicator', () => {
    const payload = hex('fa 02000000 0000  00 05000000 00 0161  01 02  03 00 0162');
    const bulk = readBulkExecute(payload, 2, types);
    expect(bulk.types).toBe(types);
    expect(bulk.rows).toEqual([
      [5, 'a'],
      [null, null],
      [null, 'b'],
    ]);
  });

  it('reads no rows from a packet that ends after the types', () => {
    expect(readBulkExecute(hex('fa 02000000 8000 0300 fd00'), 2, null).rows).toEqual([]);
  });

  it('refuses unknown indicators, cut rows, missing types and zero parameters', () => {
    expectMalformed(() => readBulkExecute(hex('fa 02000000 0000 04 00'), 2, types));
    expectMalformed(() => readBulkExecute(hex('fa 02000000 0000 00 05000000'), 2, types));
    expectMalformed(() => readBulkExecute(hex('fa 02000000 0000 00 050000'), 2, types));
    expectMalformed(() => readBulkExecute(hex('fa 02000000 0000 01 01'), 2, null));
    expectMalformed(() => readBulkExecute(hex('fa 02000000 8000 0300 2000'), 2, null));
    expectMalformed(() => readBulkExecute(hex('fa 02000000 0000'), 0, null));
    expectMalformed(() => readBulkExecute(hex('fa 020000'), 2, types));
  });

  it('throws MalformedPacketError and nothing else on the captured packets cut anywhere', () => {
    const packet = hex(CONNECTOR_PACKETS.bulk![0]!);
    for (let end = 0; end < packet.length; end++) {
      try {
        readBulkExecute(packet.subarray(0, end), 5, null);
      } catch (e) {
        expect(e).toBeInstanceOf(MalformedPacketError);
      }
    }
    // Cut inside the types or a row, it must throw (cut between rows, fewer rows are read).
    expectMalformed(() => readBulkExecute(packet.subarray(0, 12), 5, null));
    expectMalformed(() => readBulkExecute(packet.subarray(0, packet.length - 1), 5, null));
  });
});

describe('small statement commands', () => {
  it('readStatementId', () => {
    expect(readStatementId(hex('19 78563412'))).toBe(0x12345678);
    expect(readStatementId(hex('1a ffffffff 00'))).toBe(0xffffffff);
    expectMalformed(() => readStatementId(hex('19 785634')));
  });

  it('readSendLongData returns a view of the piece', () => {
    const payload = hex('18 07000000 0200 616263');
    const piece = readSendLongData(payload);
    expect(piece).toMatchObject({ statementId: 7, paramId: 2 });
    expect(piece.data.toString()).toBe('abc');
    expect(piece.data.buffer).toBe(payload.buffer);
    expect(readSendLongData(hex('18 07000000 0200')).data.length).toBe(0);
    expectMalformed(() => readSendLongData(hex('18 07000000 02')));
  });

  it('readFetch', () => {
    expect(readFetch(hex('1c 03000000 e8030000'))).toEqual({ statementId: 3, rows: 1000 });
    expectMalformed(() => readFetch(hex('1c 03000000 e80300')));
  });
});
