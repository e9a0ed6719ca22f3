import fc from 'fast-check';
import { parseStatement } from '../../../lib/sql/index.js';
import { binaryLiteralBytes, decodeQueryText } from '../../../lib/sql/query-text.js';

describe('query text', () => {
  it('decodes valid UTF-8 exactly as Buffer#toString', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const bytes = Buffer.from(text, 'utf8');
        expect(decodeQueryText(bytes)).toBe(text);
        expect(binaryLiteralBytes(decodeQueryText(bytes))).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every byte of text that is not valid UTF-8', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        const bytes = Buffer.from(b);
        expect(binaryLiteralBytes(decodeQueryText(bytes))).toEqual(bytes);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['an overlong slash', [0xc0, 0xaf]],
    ['a cut sequence', [0xe2, 0x82]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['0xff', [0xff]],
  ])('gives _binary literals their raw bytes: %s', (_name, raw) => {
    const query = Buffer.concat([
      Buffer.from("CALL p(_binary'a"),
      Buffer.from(raw),
      Buffer.from("z', 'é')"),
    ]);
    const call = parseStatement(decodeQueryText(query));
    expect(call).toMatchObject({ kind: 'call' });
    const args = (call as { args: unknown[] }).args;
    expect(args[0]).toEqual(Buffer.concat([Buffer.from('a'), Buffer.from(raw), Buffer.from('z')]));
    expect(args[1]).toBe('é');
  });

  it('skips the offset it is given', () => {
    expect(decodeQueryText(Buffer.from([0x03, 0x41, 0xff]), 1)).toBe('A\udcff');
  });
});
