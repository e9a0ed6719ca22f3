import { IllegalDoubleError, parseStatement } from '../../../lib/sql/index.js';
import { arg, bytes, callArgs } from './helpers.js';

describe('integer literals', () => {
  it.each([
    ['0', 0],
    ['42', 42],
    ['007', 7],
    ['000', 0],
    ['-5', -5],
    ['+5', 5],
    ['- -5', 5],
    ['--5', 5],
    ['-+-5', 5],
    ['- /* c */ - /* c */ -5', -5],
    ['-\n-\n5', 5],
    ['-0', 0],
    ['-000', 0],
    ['+-0', 0],
    ['999999999999999', 999999999999999],
    ['9007199254740991', 9007199254740991],
    ['-9007199254740991', -9007199254740991],
    ['0009007199254740991', 9007199254740991],
  ])('%s → %p', (literal, expected) => {
    const value = arg(literal);
    expect(typeof value).toBe('number');
    expect(Object.is(value, expected)).toBe(true);
  });

  it('has no negative zero for integers', () => {
    expect(Object.is(arg('-0'), 0)).toBe(true);
    expect(Object.is(arg('- - -0'), 0)).toBe(true);
  });

  it.each([
    ['9007199254740992', 9007199254740992n],
    ['-9007199254740992', -9007199254740992n],
    ['9007199254740993', 9007199254740993n],
    ['-9007199254740993', -9007199254740993n],
    ['- -9007199254740993', 9007199254740993n],
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
    ['9223372036854775808', 9223372036854775808n],
    ['18446744073709551615', 18446744073709551615n],
    ['18446744073709551616', 18446744073709551616n],
    ['-18446744073709551616', -18446744073709551616n],
    ['00018446744073709551615', 18446744073709551615n],
    [
      '123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890',
      1.2345678901234568e89,
    ],
  ])('%s → %p', (literal, expected) => {
    expect(arg(literal)).toBe(expected);
  });
});

describe('decimal and float literals', () => {
  it.each([
    ['1.5', 1.5],
    ['.5', 0.5],
    ['5.', 5],
    ['0.1', 0.1],
    ['1e10', 1e10],
    ['1E10', 1e10],
    ['1.5E-3', 1.5e-3],
    ['2e+5', 2e5],
    ['2e-5', 2e-5],
    ['.5e1', 5],
    ['5.e1', 50],
    ['-1.5', -1.5],
    ['- -1.5', 1.5],
    ['+.5', 0.5],
    ['1e-400', 0],
    ['0e999', 0],
    ['1.7976931348623158e308', 1.7976931348623157e308],
    ['5e-324', 5e-324],
    ['123456789012345678901234567890.5', Number('123456789012345678901234567890.5')],
    ['1.7976931348623157e308', 1.7976931348623157e308],
  ])('%s → %p', (literal, expected) => {
    expect(arg(literal)).toBe(expected);
  });

  it('keeps the sign of a negated floating zero', () => {
    expect(Object.is(arg('-0.0'), -0)).toBe(true);
    expect(Object.is(arg('-0e0'), -0)).toBe(true);
    expect(Object.is(arg('0.0'), 0)).toBe(true);
  });

  it.each([
    ['CALL p(1.5e400)', '1.5e400'],
    ['CALL p(-1e309)', '1e309'],
    ['CALL p(- - 1E+309)', '1E+309'],
    ['CALL p(.1e999)', '.1e999'],
    ['CALL p(1.e400)', '1.e400'],
    ['CALL p(1.7976931348623159e308)', '1.7976931348623159e308'],
    ['CALL p(1, 2e308, 3)', '2e308'],
    ['SELECT 1e400', '1e400'],
    ['SELECT 1e400 x', '1e400'],
    ['SET @a = 1e400', '1e400'],
    ['SET autocommit = 1e400', '1e400'],
    // Found before the unterminated string that follows, as MySQL reports it.
    ["CALL p(1e400, 'x", '1e400'],
  ])('%s is an illegal double %j (ER 1367)', (sql, text) => {
    let caught: unknown;
    try {
      parseStatement(sql);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IllegalDoubleError);
    expect((caught as IllegalDoubleError).text).toBe(text);
    expect((caught as Error).message).toBe(`Illegal double '${text}' value found during parsing`);
  });

  it('quotes at most 192 characters of an illegal double, as MySQL does', () => {
    const digits = '1'.repeat(300);
    expect(() => parseStatement(`CALL p(${digits}e400)`)).toThrow(
      `Illegal double '${digits.slice(0, 192)}' value found during parsing`,
    );
  });

  it('reads a number followed directly by a letter after the fraction as two tokens', () => {
    expect(callArgs('CALL p(1.5, 2.)')).toEqual([1.5, 2]);
  });
});

describe('string literals', () => {
  it.each([
    ["'abc'", 'abc'],
    ['"abc"', 'abc'],
    ["''", ''],
    ['""', ''],
    ["'it''s'", "it's"],
    ['"say ""hi"""', 'say "hi"'],
    ['\'say "hi"\'', 'say "hi"'],
    ['"it\'s"', "it's"],
    ["''''", "'"],
    ["'\\''", "'"],
    ["'\\\"'", '"'],
    ['"\\""', '"'],
    ["'\\0'", '\0'],
    ["'\\b'", '\b'],
    ["'\\n'", '\n'],
    ["'\\r'", '\r'],
    ["'\\t'", '\t'],
    ["'\\Z'", '\x1a'],
    ["'\\z'", 'z'],
    ["'\\\\'", '\\'],
    ["'\\%'", '\\%'],
    ["'\\_'", '\\_'],
    ["'\\x'", 'x'],
    ["'\\N'", 'N'],
    ["'\\B'", 'B'],
    ["'\\é'", 'é'],
    ["'\\😀'", '😀'],
    ["'a\\\\b\\\\'", 'a\\b\\'],
    ["'\\\\\\''", "\\'"],
    ["'line1\nline2'", 'line1\nline2'],
    ["'tab\there'", 'tab\there'],
    ["'nul\0inside'", 'nul\0inside'],
    ["'-- not a comment'", '-- not a comment'],
    ["'# not a comment'", '# not a comment'],
    ["'/* not a comment */'", '/* not a comment */'],
    ["'*/'", '*/'],
    ["'a' 'b'", 'ab'],
    ["'a' \"b\" 'c'", 'abc'],
    ["'a'/* c */'b'", 'ab'],
    ["'a'\n-- c\n'b'", 'ab'],
    ["'a' # c\n 'b'", 'ab'],
    ["'it''' 's'", "it's"],
    ["N'national'", 'national'],
    ["n'national'", 'national'],
    ["N'it''s' ' ok'", "it's ok"],
    ["N'\\n'", '\n'],
    ["_utf8mb4'x'", 'x'],
    ["_utf8mb4 'x'", 'x'],
    ["_UTF8MB4'x'", 'x'],
    ["_utf8'x'", 'x'],
    ["_utf8mb3'x'", 'x'],
    ["_latin1'x'", 'x'],
    ["_latin1\n/* c */ 'x'", 'x'],
    ['_utf8mb4"x"', 'x'],
    ["_utf8mb4'a' 'b'", 'ab'],
    ["'héllo wörld'", 'héllo wörld'],
    ["'日本語'", '日本語'],
    ["'😀🎉👍🏽'", '😀🎉👍🏽'],
    ["'😀''😀'", "😀'😀"],
    ["'a\\😀b'", 'a😀b'],
    ['"😀\\"😀"', '😀"😀'],
  ])('%s → %j', (literal, expected) => {
    expect(arg(literal)).toBe(expected);
  });
});

describe('binary literals', () => {
  it.each([
    ["X'0aFF'", bytes(0x0a, 0xff)],
    ["x'41'", bytes(0x41)],
    ["X''", bytes()],
    ["X'00'", bytes(0)],
    ['0x0AFF', bytes(0x0a, 0xff)],
    ['0x41', bytes(0x41)],
    ['0xaBc', bytes(0x0a, 0xbc)],
    ['0x1', bytes(0x01)],
    ['0x000', bytes(0x00, 0x00)],
    ["b'0101'", bytes(0x05)],
    ["B'1'", bytes(0x01)],
    ["b''", bytes()],
    ["b'11111111'", bytes(0xff)],
    ["b'100000000'", bytes(0x01, 0x00)],
    ["b'000000001'", bytes(0x00, 0x01)],
    ['0b0101', bytes(0x05)],
    ['0b1', bytes(0x01)],
    ['0b1000000001', bytes(0x02, 0x01)],
    ["_binary'abc'", Buffer.from('abc')],
    ["_binary 'é😀'", Buffer.from('é😀', 'utf8')],
    ["_binary''", bytes()],
    ["_binary'a' 'b'", Buffer.from('ab')],
    ["_BINARY'\\n'", bytes(0x0a)],
    ["_binary X'41'", bytes(0x41)],
    ["_binary x''", bytes()],
    ['_binary 0x41', bytes(0x41)],
    ["_binary b'1'", bytes(0x01)],
    ['_binary 0b11', bytes(0x03)],
    ["_utf8mb4 X'41'", bytes(0x41)],
    ['_latin1 0x4142', bytes(0x41, 0x42)],
  ])('%s', (literal, expected) => {
    const value = arg(literal);
    expect(Buffer.isBuffer(value)).toBe(true);
    expect(value).toEqual(expected);
  });
});

describe('NULL and booleans', () => {
  it.each([
    ['NULL', null],
    ['null', null],
    ['NuLl', null],
    ['\\N', null],
    ['TRUE', true],
    ['true', true],
    ['True', true],
    ['FALSE', false],
    ['false', false],
  ])('%s → %p', (literal, expected) => {
    expect(arg(literal)).toBe(expected);
  });
});

describe('argument lists', () => {
  it('returns the positional arguments in order with every kind mixed', () => {
    expect(
      callArgs(
        "CALL p(1, -2.5, 'three', X'04', NULL, TRUE, false, 9223372036854775807, b'101', N'n', \\N, 0x1)",
      ),
    ).toEqual([
      1,
      -2.5,
      'three',
      bytes(4),
      null,
      true,
      false,
      9223372036854775807n,
      bytes(5),
      'n',
      null,
      bytes(1),
    ]);
  });

  it('accepts many arguments', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    expect(callArgs(`CALL p(${values.join(',')})`)).toEqual(values);
  });

  it('reads long strings exactly', () => {
    const text = 'x'.repeat(100_000) + "'" + '\\'.repeat(3);
    const literal = `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
    expect(arg(literal)).toBe(text);
  });
});
