import { parseStatement } from '../../../lib/sql/index.js';
import { callArgs, parseCall, syntaxError } from './helpers.js';

describe('CALL: procedure names', () => {
  it.each([
    ['CALL myadd(3, 4)', null, 'myadd', [3, 4]],
    ['CALL p()', null, 'p', []],
    ['CALL p', null, 'p', []],
    ['CALL p;', null, 'p', []],
    ['CALL db.p(1)', 'db', 'p', [1]],
    ['CALL db.p', 'db', 'p', []],
    ['call MyProc(1)', null, 'MyProc', [1]],
    ['cAlL p(1)', null, 'p', [1]],
    ['CALL `my proc`(1)', null, 'my proc', [1]],
    ['CALL `a``b`()', null, 'a`b', []],
    ['CALL `my db`.`my proc`()', 'my db', 'my proc', []],
    ['CALL `db`.p()', 'db', 'p', []],
    ['CALL db.`p`()', 'db', 'p', []],
    ['CALL `db`.`a``b`', 'db', 'a`b', []],
    ['CALL _p$1()', null, '_p$1', []],
    ['CALL $p()', null, '$p', []],
    ['CALL 1p()', null, '1p', []],
    ['CALL 12e()', null, '12e', []],
    ['CALL 0x()', null, '0x', []],
    ['CALL 0xZZ()', null, '0xZZ', []],
    ['CALL 0x1g()', null, '0x1g', []],
    ['CALL 0b102()', null, '0b102', []],
    ['CALL db.1p()', 'db', '1p', []],
    ['CALL db.123()', 'db', '123', []],
    ['CALL db.1e5()', 'db', '1e5', []],
    ['CALL status()', null, 'status', []],
    ['CALL select.p()', 'select', 'p', []],
    ['CALL db.select()', 'db', 'select', []],
    ['CALL `select`()', null, 'select', []],
    ['CALL `` ()', null, '', []],
    ['CALL café(1)', null, 'café', [1]],
    ['CALL 数据.处理(1)', '数据', '处理', [1]],
    ['CALL 😀proc(1)', null, '😀proc', [1]],
    ['CALL db😀.p😀q()', 'db😀', 'p😀q', []],
    ['CALL `😀 x`()', null, '😀 x', []],
  ])('%s', (sql, schema, name, args) => {
    expect(parseStatement(sql)).toEqual({
      kind: 'call',
      schema,
      name,
      args,
      variables: null,
      placeholders: null,
    });
  });

  it('preserves the letter case of names', () => {
    expect(parseCall('CALL MyDb.MyProc').schema).toBe('MyDb');
    expect(parseCall('CALL MyDb.MyProc').name).toBe('MyProc');
  });

  it('keeps back-quoted names verbatim, including spaces and quotes', () => {
    expect(parseCall('CALL ` a\'b"c `()').name).toBe(` a'b"c `);
  });
});

describe('CALL: white space and comments', () => {
  const expected = {
    kind: 'call',
    schema: 'db',
    name: 'p',
    args: [1, 'x'],
    variables: null,
    placeholders: null,
  };

  it.each([
    "CALL db.p(1,'x')",
    " \t\n\r\f\vCALL\t\n\r\f\vdb\t.\n\rp\f(\v1\t,\n'x'\r)\f\v",
    "CALL/**/db/**/./**/p/**/(/**/1/**/,/**/'x'/**/)/**/",
    "/* lead */CALL db.p(1,'x')/* tail */",
    "CALL db.p(1,'x') -- trailing",
    "CALL db.p(1,'x') --",
    "CALL db.p(1,'x') --\t",
    "CALL db.p(1,'x') # hash",
    "CALL db.p(1,'x')#",
    "# first line\nCALL db.p(1,'x')",
    "-- first line\nCALL db.p(1,'x')",
    "CALL -- c\n db -- c\n . -- c\n p -- c\n ( -- c\n 1 -- c\n , -- c\n 'x' -- c\n ) -- c\n",
    "CALL # c\n db # c\n . # c\n p # c\n ( # c\n 1 # c\n , # c\n 'x' # c\n ) # c",
    "CALL /* a\nmulti-line\ncomment */ db.p(1, 'x')",
    "CALL db.p(1, /* ) , 'y' */ 'x')",
    "CALL db.p(1, 'x'); -- done",
    "CALL db.p(1, 'x') ; /* done */ # really",
    "CALL db.p(1, 'x');\n\n",
    "CALL db.p(/*+ hint */1, 'x')",
    "CALL /* not /* nested */ db.p(1, 'x')",
    "CALL db.p(1, 'x')/*! */",
    "/*!CALL db.p(1, 'x')*/",
    "/*!50001 CALL db.p(1, 'x')*/",
    "/*!80036 CALL db.p(1, 'x') */",
    "CALL /*!db.p*/(1, 'x')",
    "CALL db.p(/*! 1, 'x' */)",
    "CALL db.p(/*!1*/, /*!50700 'x' */)",
    "/*! CALL /* inner */ db.p(1, 'x') */",
    "/*!CALL db.p(1, 'x');*/",
  ])('%j', (sql) => {
    expect(parseStatement(sql)).toEqual(expected);
  });

  it('treats digits after /*! beyond the version number as SQL', () => {
    expect(callArgs('CALL p(/*!1234 */)')).toEqual([1234]);
    expect(callArgs('CALL p(/*!12345 6*/)')).toEqual([6]);
    // MySQL 8.0 reads five version digits; the sixth is SQL.
    expect(callArgs('CALL p(/*!1234567*/)')).toEqual([67]);
  });

  it('reads -- without a following blank as two minus signs', () => {
    expect(callArgs('CALL p(--1)')).toEqual([1]);
    expect(callArgs('CALL p(---1)')).toEqual([-1]);
    expect(callArgs('CALL p(1, -- 2\n 3)')).toEqual([1, 3]);
    expect(callArgs('CALL p(--\x01 1\n)')).toEqual([]);
  });

  it('ends # comments at a newline only', () => {
    expect(callArgs('CALL p(1 # x\r 2\n)')).toEqual([1]);
  });
});

describe('CALL: arguments that are not literals', () => {
  it.each([
    ['CALL p(foo)', 'foo)'],
    ['CALL p(@)', ')'],
    ['CALL p(@ var)', 'var)'],
    ['CALL p(@@version)', '@@version)'],
    ['CALL p(?)', '?)'],
    ['CALL p(1+2)', '+2)'],
    ['CALL p(1 - 2)', '- 2)'],
    ['CALL p(now())', 'now())'],
    ['CALL p((1))', '(1))'],
    ['CALL p(1,)', ')'],
    ['CALL p(,1)', ',1)'],
    ['CALL p(1 2)', '2)'],
    ["CALL p('a' x)", 'x)'],
    ['CALL p(1', ''],
    ['CALL p(', ''],
    ['CALL p(1,', ''],
    ['CALL p(1))', ')'],
    ['CALL p(1) x', 'x'],
    ['CALL p(`a`)', '`a`)'],
    ['CALL p(-)', ')'],
    ["CALL p(-'a')", "'a')"],
    ['CALL p(-null)', 'null)'],
    ['CALL p(-true)', 'true)'],
    ["CALL p(-x'41')", "x'41')"],
    ['CALL p(-0x41)', '0x41)'],
    ['CALL p(- -)', ')'],
    ['CALL p(db.x)', 'db.x)'],
    ['CALL p(1e)', '1e)'],
    ['CALL p(1ex)', '1ex)'],
    ['CALL p(1.5a)', 'a)'],
    ['CALL p(1.5.5)', '.5)'],
    ['CALL p(0x)', '0x)'],
    ['CALL p(0xZZ)', '0xZZ)'],
    ['CALL p(0X41)', '0X41)'],
    ['CALL p(0b)', '0b)'],
    ['CALL p(0B1)', '0B1)'],
    ['CALL p(0b12)', '0b12)'],
    ['CALL p(_foo)', '_foo)'],
    ["CALL p(_foo'x')", "_foo'x')"],
    ['CALL p(_utf8mb4)', ')'],
    ['CALL p(_latin1 5)', '5)'],
    ["CALL p(_utf8 N'x')", "N'x')"],
    ["CALL p('a' N'b')", "N'b')"],
    ["CALL p('a' _utf8'b')", "_utf8'b')"],
    ["CALL p(X'41' X'42')", "X'42')"],
    ["CALL p('a' X'42')", "X'42')"],
    ['CALL p(N"x")', 'N"x")'],
    ['CALL p(\\n)', '\\n)'],
    ['CALL p(\\)', '\\)'],
    ['CALL p(null.x)', 'null.x)'],
    ['CALL p(1 /*!, 2*/ */)', '*/)'],
    ['CALL p(1) */', '*/'],
    ['CALL p(1)/', '/'],
  ])('%s → near %j', (sql, near) => {
    expect(syntaxError(sql)).toEqual({ near, line: 1 });
  });
});

describe('CALL: malformed names and endings', () => {
  it.each([
    ['CALL', ''],
    ['CALL ;', ';'],
    ['CALL ()', '()'],
    ['CALL 123()', '123()'],
    ['CALL 1e5()', '1e5()'],
    ["CALL 'p'()", "'p'()"],
    ['CALL "p"()', '"p"()'],
    ['CALL select()', 'select()'],
    ['CALL db . select()', 'select()'],
    ['CALL NULL', 'NULL'],
    ['CALL db.', ''],
    ['CALL db.()', '()'],
    ['CALL .p()', '.p()'],
    ['CALL db.p.q()', '.q()'],
    ['CALL db..p()', '.p()'],
    ['CALL p q', 'q'],
    ['CALL p(1);CALL q()', 'CALL q()'],
    ['CALL p(1); CALL q()', 'CALL q()'],
    ['CALL p(1);;', ';'],
    ['CALL p(1); /* c */ x', 'x'],
    ['CALL p 1', '1'],
  ])('%s → near %j', (sql, near) => {
    expect(syntaxError(sql)).toEqual({ near, line: 1 });
  });
});
