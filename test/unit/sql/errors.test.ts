import {
  EmptyQueryError,
  parseStatement,
  SqlSyntaxError,
  syntaxErrorMessage,
} from '../../../lib/sql/index.js';
import { syntaxError } from './helpers.js';

const PREFIX =
  'You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near';

describe('syntax error message', () => {
  it('formats exactly like ER_PARSE_ERROR', () => {
    expect(syntaxErrorMessage(')', 1)).toBe(`${PREFIX} ')' at line 1`);
    expect(syntaxErrorMessage('', 3)).toBe(`${PREFIX} '' at line 3`);
  });

  it('is the message of the thrown error, which carries near and line', () => {
    let caught: unknown;
    try {
      parseStatement('CALL p(1,)');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SqlSyntaxError);
    expect(caught).toBeInstanceOf(Error);
    const error = caught as SqlSyntaxError;
    expect(error.near).toBe(')');
    expect(error.line).toBe(1);
    expect(error.message).toBe(`${PREFIX} ')' at line 1`);
    expect(error.name).toBe('SqlSyntaxError');
  });
});

describe('syntax error position', () => {
  it.each([
    ['CALL p(1,)', ')', 1],
    ['CALL p(1 2)', '2)', 1],
    ['CALL', '', 1],
    ['CALL p(1);CALL q()', 'CALL q()', 1],
    ['CALL p(1,\n foo)', 'foo)', 2],
    ['CALL p(1,\r\n foo)', 'foo)', 2],
    ['\n\nCALL p(x)', 'x)', 3],
    ['CALL p(1,\n\n', '', 3],
    ['CALL p(1, /* a\nb\nc */ x)', 'x)', 3],
    ['CALL p(1, # c\n-- d\n x)', 'x)', 3],
    ["CALL p('multi\nline', x)", 'x)', 2],
    ['CALL p(1);\nCALL q()', 'CALL q()', 2],
    ['/*!\nCALL p(x) */', 'x) */', 2],
  ])('%j → near %j at line %d', (sql, near, line) => {
    expect(syntaxError(sql)).toEqual({ near, line });
  });

  it('cuts near to 80 characters', () => {
    const tail = 'y'.repeat(100);
    expect(syntaxError(`CALL p(x${tail})`)).toEqual({ near: `x${tail}`.slice(0, 80), line: 1 });
  });

  it('counts characters, not UTF-16 units, when cutting near', () => {
    const tail = '😀'.repeat(100);
    const near = syntaxError(`CALL p(1 ${tail})`).near;
    expect([...near]).toHaveLength(80);
    expect(near).toBe('😀'.repeat(80));
  });

  it('keeps a near shorter than 80 characters whole', () => {
    expect(syntaxError('CALL p(é😀x)').near).toBe('é😀x)');
  });
});

describe('lexical errors', () => {
  it.each([
    ["CALL p('abc)", "'abc)", 1],
    ['CALL p("abc)', '"abc)', 1],
    ["CALL p('abc\\')", "'abc\\')", 1],
    ["CALL p('abc\\", "'abc\\", 1],
    ["CALL p('", "'", 1],
    ["CALL p(1,\n  'unterminated\nstring)", "'unterminated\nstring)", 2],
    ["CALL p(N'abc)", "N'abc)", 1],
    ["CALL p(_utf8mb4'abc)", "'abc)", 1],
    ['CALL `p(1)', '`p(1)', 1],
    ['CALL `p\0`(1)', '`p\0`(1)', 1],
    ['CALL p(1) /* open', '/* open', 1],
    ['CALL p(1) /*', '/*', 1],
    ['CALL p(1) /*/', '/*/', 1],
    ['CALL p(1)\n/*! ', '', 2],
    ['CALL p(1) /*! ;', '', 1],
    ['CALL p(1)\n/*! CALL', 'CALL', 2],
    ['/*!50001 CALL p(1)', '', 1],
    ["CALL p(X'4')", "X'4')", 1],
    ["CALL p(X'4G')", "X'4G')", 1],
    ["CALL p(X'41)", "X'41)", 1],
    ["CALL p(b'012')", "b'012')", 1],
    ["CALL p(b'1)", "b'1)", 1],
    ['CALL p(1.5e)', '1.5e)', 1],
    ['CALL p(1.5e+)', '1.5e+)', 1],
    ['CALL p(1.5E-x)', '1.5E-x)', 1],
    ['CALL p(.5e)', '.5e)', 1],
    ['SELECT 1.e', '1.e', 1],
  ])('%j → near %j at line %d', (sql, near, line) => {
    expect(syntaxError(sql)).toEqual({ near, line });
  });

  it('rejects unterminated literals even in statements it does not parse', () => {
    expect(syntaxError("INSERT INTO t VALUES ('x)")).toEqual({ near: "'x)", line: 1 });
    expect(syntaxError('SELECT * FROM t /* x')).toEqual({ near: '/* x', line: 1 });
    expect(syntaxError('SET @a = "x')).toEqual({ near: '"x', line: 1 });
    expect(syntaxError('SHOW TABLES LIKE `t')).toEqual({ near: '`t', line: 1 });
    expect(syntaxError("START SLAVE X'1'")).toEqual({ near: "X'1'", line: 1 });
    expect(syntaxError('INSERT INTO t VALUES (1.5e+, 2)')).toEqual({ near: '1.5e+, 2)', line: 1 });
  });
});

describe('statement starts', () => {
  it.each([
    ['123', '123'],
    ["'CALL p()'", "'CALL p()'"],
    ['`CALL` p()', '`CALL` p()'],
    ['call.p()', 'call.p()'],
    ['1abc', '1abc'],
    ['@x := 1', '@x := 1'],
    ['(CALL p())', 'CALL p())'],
    ['((', ''],
    ['; CALL p()', '; CALL p()'],
    [';;x', ';;x'],
    ['*/', '*/'],
  ])('%j → near %j', (sql, near) => {
    expect(syntaxError(sql)).toEqual({ near, line: 1 });
  });
});

describe('empty queries', () => {
  it.each([
    '',
    ' ',
    '\t\n\r\f\v',
    ';',
    ' ; ',
    ';;;',
    '/* comment */',
    '-- comment',
    '--',
    '# comment',
    '/*+ hint */',
    '/*!*/',
    '/*!50001 */',
    '/* a */ ; -- b\n ; # c',
  ])('%j', (sql) => {
    expect(() => parseStatement(sql)).toThrow(EmptyQueryError);
  });

  // MySQL's grammar answers OK for a query that held a comment and nothing else (SQLCOM_EMPTY_QUERY).
  it.each([
    ['', false],
    [' ', false],
    [';', false],
    [' ; ; ', false],
    ['/* comment */', true],
    ['-- comment', true],
    ['--', true],
    ['#', true],
    ['/*+ hint */', true],
    ['/*!*/', true],
    ['/*!99999 SELECT 1 */', true],
    ['/* a */ ; -- b\n ;', true],
  ])('%j is empty; held a comment: %p', (sql, hadComment) => {
    let caught: unknown;
    try {
      parseStatement(sql);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EmptyQueryError);
    expect((caught as EmptyQueryError).hadComment).toBe(hadComment);
  });

  it('says Query was empty', () => {
    expect(() => parseStatement('')).toThrow('Query was empty');
    expect(new EmptyQueryError()).toBeInstanceOf(Error);
  });
});
