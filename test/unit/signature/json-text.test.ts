import fc from 'fast-check';
import { checkJsonText } from '../../../lib/signature/json-text.js';

describe('checkJsonText', () => {
  it.each([
    ['', 'The document is empty.', 0],
    ['   ', 'The document is empty.', 3],
    ['{bad', 'Missing a name for object member.', 1],
    ['{"a" 1}', 'Missing a colon after a name of object member.', 5],
    ['{"a":1 "b":2}', "Missing a comma or '}' after an object member.", 7],
    ['{"a":1,}', 'Missing a name for object member.', 7],
    ['[1 2]', "Missing a comma or ']' after an array element.", 3],
    ['[1,]', 'Invalid value.', 3],
    ['[1', "Missing a comma or ']' after an array element.", 2],
    ['null x', 'The document root must not be followed by other values.', 5],
    ['nul', 'Invalid value.', 3],
    ['tru', 'Invalid value.', 3],
    ['nulL', 'Invalid value.', 3],
    ['+1', 'Invalid value.', 0],
    ['-', 'Invalid value.', 1],
    ['01', 'The document root must not be followed by other values.', 1],
    ['1.', 'Miss fraction part in number.', 2],
    ['1e', 'Miss exponent in number.', 2],
    ['1e+', 'Miss exponent in number.', 3],
    ['1e400', 'Number too big to be stored in double.', 0],
    ['[0, -1e999]', 'Number too big to be stored in double.', 4],
    ['NaN', 'Invalid value.', 0],
    ['"abc', 'Missing a closing quotation mark in string.', 4],
    ['"a\\qb"', 'Invalid escape character in string.', 2],
    ['"é\\q"', 'Invalid escape character in string.', 3],
    ['"\\u12G4"', 'Incorrect hex digit after \\u escape in string.', 1],
    ['"\\uD800"', 'The surrogate pair in string is invalid.', 1],
    ['"\\uD800\\u0041"', 'The surrogate pair in string is invalid.', 1],
    ['"\\uDC00"', 'The surrogate pair in string is invalid.', 1],
    ['"a\tb"', 'Invalid encoding in string.', 2],
    ['"a\u0000b"', 'Missing a closing quotation mark in string.', 2],
    ["'a'", 'Invalid value.', 0],
  ])('refuses %j: %s at %d', (text, reason, position) => {
    expect(checkJsonText(text)).toEqual({ reason, position });
  });

  it.each([
    'null',
    ' true ',
    '0',
    '-0.5e-3',
    '"\\uD83D\\uDE00 \\" \\\\ \\/ \\b \\f \\n \\r \\t"',
    '{"a":{"b":[1,{"c":null}]},"d":[]}',
    '[]',
    '{}',
    '"😀"',
  ])('accepts %j', (text) => {
    expect(checkJsonText(text)).toBeNull();
  });

  it('refuses documents nested deeper than 100, like MySQL, without using the stack', () => {
    expect(checkJsonText('['.repeat(100) + ']'.repeat(100))).toBeNull();
    expect(checkJsonText('['.repeat(101) + ']'.repeat(101))).toEqual({ reason: '', position: -1 });
    expect(checkJsonText('{"a":'.repeat(101) + '1' + '}'.repeat(101))?.position).toBe(-1);
    expect(checkJsonText('['.repeat(1_000_000))?.position).toBe(-1);
  });

  it('accepts whatever JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 20 }), (v) => {
        expect(checkJsonText(JSON.stringify(v))).toBeNull();
        expect(checkJsonText(JSON.stringify(v, null, 2))).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with JSON.parse on any text made of JSON pieces', () => {
    const piece = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '\\',
      'u',
      '0',
      '1',
      '9',
      '.',
      'e',
      '-',
      '+',
      ' ',
      '\n',
      'true',
      'null',
      'false',
      'a',
      'é',
      '\t',
      'E',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (pieces) => {
        const text = pieces.join('');
        let valid = true;
        try {
          // JSON.parse takes what MySQL refuses: numbers past a double.
          JSON.parse(text, (_key, v: unknown) => {
            if (typeof v === 'number' && !Number.isFinite(v)) valid = false;
            return v;
          });
        } catch {
          valid = false;
        }
        const result = checkJsonText(text);
        expect(result === null).toBe(valid);
        if (result) {
          expect(result.position).toBeGreaterThanOrEqual(0);
          expect(result.position).toBeLessThanOrEqual(Buffer.byteLength(text));
        }
      }),
      { numRuns: 5000 },
    );
  });
});
