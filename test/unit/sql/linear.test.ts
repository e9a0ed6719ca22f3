import {
  EmptyQueryError,
  IllegalDoubleError,
  MAX_CALL_ARGUMENTS,
  parseStatement,
  SqlSyntaxError,
  TooManyCallArgumentsError,
  TooManySelectItemsError,
  type Statement,
} from '../../../lib/sql/index.js';
import { callArgs, other, syntaxError } from './helpers.js';

type ParseError =
  | SqlSyntaxError
  | EmptyQueryError
  | IllegalDoubleError
  | TooManySelectItemsError
  | TooManyCallArgumentsError;
type Outcome = Statement | ParseError;

function outcome(sql: string): Outcome {
  try {
    return parseStatement(sql);
  } catch (error) {
    if (
      error instanceof SqlSyntaxError ||
      error instanceof EmptyQueryError ||
      error instanceof IllegalDoubleError ||
      error instanceof TooManySelectItemsError ||
      error instanceof TooManyCallArgumentsError
    ) {
      return error;
    }
    throw error;
  }
}

/**
 * Counts the string work one parse does: every charCodeAt call, every character indexOf
 * scans, every character slice copies. Linear time means this stays within c·n.
 */
function work(sql: string): number {
  const proto = String.prototype;
  const { charCodeAt, indexOf, slice } = proto;
  let steps = 0;
  proto.charCodeAt = function (this: string, index: number) {
    steps++;
    return charCodeAt.call(this, index);
  };
  proto.indexOf = function (this: string, search: string, from?: number) {
    const found = indexOf.call(this, search, from);
    steps += (found === -1 ? this.length : found + search.length) - (from ?? 0);
    return found;
  };
  proto.slice = function (this: string, start?: number, end?: number) {
    const result = slice.call(this, start, end);
    steps += result.length;
    return result;
  };
  try {
    outcome(sql);
  } finally {
    proto.charCodeAt = charCodeAt;
    proto.indexOf = indexOf;
    proto.slice = slice;
  }
  return steps;
}

// Each family builds a query of roughly n characters around one pathological pattern.
const FAMILIES: Record<string, (n: number) => string> = {
  'open parens': (n) => '('.repeat(n),
  'open parens in CALL': (n) => 'CALL p(' + '('.repeat(n),
  'minus signs': (n) => 'CALL p(' + '-'.repeat(n) + '1)',
  'minus signs with blanks': (n) => 'CALL p(' + '- '.repeat(n) + '1)',
  'comment openers': (n) => '/*'.repeat(n),
  'comment openers in CALL': (n) => 'CALL p(1) ' + '/* '.repeat(n),
  'closed comments': (n) => 'CALL p(' + '/**/'.repeat(n) + '1)',
  'executable comment openers': (n) => 'CALL p(1) ' + '/*!'.repeat(n),
  'skipped version comments': (n) => 'CALL p(1' + ' /*!99999 , 2 */'.repeat(n) + ')',
  'nested comments in a skipped version comment': (n) => 'CALL p(1) /*!99999 ' + '/**/'.repeat(n),
  'unterminated nested comment': (n) => 'CALL p(1) /*!99999 /*' + '/*'.repeat(n),
  'dotted user variables': (n) => 'CALL p(@' + 'a.'.repeat(n) + ')',
  'user variable references': (n) => 'CALL p(' + '@a,'.repeat(n) + '@a)',
  'float literals': (n) => 'CALL p(' + '1e5,'.repeat(n) + '1e999)',
  'arguments past the limit': (n) => 'CALL p(' + "'a',".repeat(n * 20) + '1)',
  'long selected string': (n) => "SELECT '" + 'é😀'.repeat(n) + "'",
  'long selected number': (n) => 'SELECT +' + '9'.repeat(n),
  'long alias': (n) => "SELECT 1 AS '" + '😀'.repeat(n) + "'",
  quotes: (n) => "'".repeat(n),
  'quotes in CALL': (n) => 'CALL p(' + "'".repeat(n) + ')',
  backslashes: (n) => '\\'.repeat(n),
  'backslashes in a string': (n) => "CALL p('" + '\\'.repeat(n) + "')",
  'backslash quote pairs': (n) => "CALL p('" + "\\'".repeat(n),
  commas: (n) => 'CALL p(' + ','.repeat(n) + ')',
  arguments: (n) => 'CALL p(' + '1,'.repeat(n) + '1)',
  'adjacent strings': (n) => 'CALL p(' + "'a' ".repeat(n) + ')',
  'line comments': (n) => '-- \n'.repeat(n) + 'CALL p()',
  'hash comments': (n) => '#\n'.repeat(n) + 'CALL p()',
  'dotted names': (n) => 'CALL ' + 'a.'.repeat(n) + 'b()',
  'long identifier': (n) => 'CALL ' + 'x'.repeat(n) + '()',
  'hex digits': (n) => 'CALL p(0x' + 'f'.repeat(n) + ')',
  'bit digits': (n) => "CALL p(b'" + '1'.repeat(n) + "')",
  'at signs': (n) => 'SELECT ' + '@'.repeat(n),
  'select items': (n) => 'SELECT ' + '@@a,'.repeat(n) + '@@a',
  'statement tail': (n) => 'INSERT INTO t VALUES ' + "('x', 1), ".repeat(n),
  semicolons: (n) => ';'.repeat(n),
  'unterminated back quote': (n) => 'CALL `' + 'x'.repeat(n),
  'newlines before an error': (n) => 'CALL p(' + '\n'.repeat(n) + 'x)',
};

describe('linear time, measured as string work', () => {
  it.each(Object.keys(FAMILIES))('%s', (family) => {
    const build = FAMILIES[family] as (n: number) => string;
    const small = build(2000);
    const large = build(8000);
    const smallWork = work(small);
    const largeWork = work(large);
    expect(largeWork).toBeLessThanOrEqual(12 * large.length + 1000);
    // Quadrupling the input must not much more than quadruple the work.
    expect(largeWork).toBeLessThanOrEqual(4.5 * smallWork + 1000);
  });
});

describe('pathological inputs of 10^5 to 10^6 characters', () => {
  const N = 1_000_000;

  it('open parentheses', () => {
    expect(syntaxError('('.repeat(N))).toEqual({ near: '', line: 1 });
    expect(syntaxError('CALL p(' + '('.repeat(N))).toEqual({ near: '('.repeat(80), line: 1 });
  });

  it('runs of minus signs', () => {
    expect(callArgs('CALL p(' + '-'.repeat(N) + '1)')).toEqual([1]);
    expect(callArgs('CALL p(' + '-'.repeat(N + 1) + '1)')).toEqual([-1]);
    expect(callArgs('CALL p(' + '- '.repeat(N / 2) + '9223372036854775808)')).toEqual([
      9223372036854775808n,
    ]);
  });

  it('comment openers', () => {
    expect(syntaxError('/*'.repeat(N))).toEqual({ near: '*/' + '*/'.repeat(39), line: 1 });
    expect(syntaxError('CALL p(1) ' + '/* '.repeat(N))).toEqual({
      near: '/* '.repeat(27).slice(0, 80),
      line: 1,
    });
    expect(syntaxError('CALL p(1) ' + '/*!'.repeat(N))).toEqual({ near: '', line: 1 });
    expect(callArgs('CALL p(' + '/**/'.repeat(N / 4) + '1)')).toEqual([1]);
  });

  it('quotes', () => {
    expect(syntaxError("'".repeat(N))).toEqual({ near: "'".repeat(80), line: 1 });
    expect(syntaxError("'".repeat(N + 1))).toEqual({ near: "'".repeat(80), line: 1 });
    expect(callArgs('CALL p(' + "'".repeat(N) + ')')).toEqual(["'".repeat(N / 2 - 1)]);
    expect(syntaxError('CALL p(' + "'".repeat(N + 1) + ')')).toEqual({
      near: "'".repeat(80),
      line: 1,
    });
  });

  it('backslashes', () => {
    expect(syntaxError('\\'.repeat(N))).toEqual({ near: '\\'.repeat(80), line: 1 });
    expect(callArgs("CALL p('" + '\\'.repeat(N) + "')")).toEqual(['\\'.repeat(N / 2)]);
    expect(syntaxError("CALL p('" + '\\'.repeat(N + 1) + "')")).toEqual({
      near: "'" + '\\'.repeat(79),
      line: 1,
    });
  });

  it('commas and many arguments', () => {
    expect(syntaxError('CALL p(' + ','.repeat(N) + ')')).toEqual({
      near: ','.repeat(80),
      line: 1,
    });
    expect(callArgs('CALL p(' + '1,'.repeat(MAX_CALL_ARGUMENTS - 1) + '1)')).toHaveLength(
      MAX_CALL_ARGUMENTS,
    );
    expect(outcome('CALL p(' + '1,'.repeat(N / 2) + '1)')).toMatchObject({ count: N / 2 + 1 });
  });

  it('adjacent string literals', () => {
    expect(callArgs('CALL p(' + "'ab' ".repeat(N / 5) + ')')).toEqual(['ab'.repeat(N / 5)]);
  });

  it('long literals and names', () => {
    expect(callArgs("CALL p('" + 'x'.repeat(N) + "')")).toEqual(['x'.repeat(N)]);
    expect(callArgs('CALL p(0x' + 'f'.repeat(N) + ')')).toEqual([Buffer.alloc(N / 2, 0xff)]);
    expect(callArgs("CALL p(b'" + '1'.repeat(N) + "')")).toEqual([Buffer.alloc(N / 8, 0xff)]);
    expect(outcome('CALL ' + 'x'.repeat(N) + '()')).toEqual({
      kind: 'call',
      schema: null,
      name: 'x'.repeat(N),
      args: [],
      variables: null,
      placeholders: null,
    });
    // Decimal-to-binary conversion is the one step that is not linear, so it runs at 10^5.
    // Beyond DECIMAL's 65 digits an integer is read as a double, as MySQL does.
    expect(callArgs('CALL p(' + '9'.repeat(100_000) + ')')).toEqual([Infinity]);
    expect(callArgs('CALL p(' + '9'.repeat(65) + ')')).toEqual([10n ** 65n - 1n]);
  });

  it('comments and white space before the statement', () => {
    expect(callArgs('-- \n'.repeat(N / 4) + 'CALL p(1)')).toEqual([1]);
    expect(callArgs('#\n'.repeat(N / 2) + 'CALL p(1)')).toEqual([1]);
    expect(callArgs(' '.repeat(N) + 'CALL p(1)')).toEqual([1]);
    expect(outcome(';'.repeat(N))).toBeInstanceOf(EmptyQueryError);
  });

  it('long statements it does not parse', () => {
    const insert = 'INSERT INTO t VALUES ' + "('x', 1), ".repeat(N / 10);
    expect(outcome(insert)).toEqual(other(insert, 'INSERT'));
    const ats = 'SELECT ' + '@'.repeat(N);
    expect(outcome(ats)).toEqual(other(ats, 'SELECT'));
  });

  it('many select items', () => {
    const statement = outcome('SELECT ' + '@@a,'.repeat(4095) + '@@a');
    expect(statement).toMatchObject({ kind: 'select', limit: null });
    expect((statement as Extract<Statement, { kind: 'select' }>).items).toHaveLength(4096);
    expect(outcome('SELECT ' + '@@a,'.repeat(N / 4) + '@@a')).toBeInstanceOf(
      TooManySelectItemsError,
    );
  });

  it('an error after many lines', () => {
    expect(syntaxError('CALL p(' + '\n'.repeat(N) + 'x)')).toEqual({ near: 'x)', line: N + 1 });
  });
});
