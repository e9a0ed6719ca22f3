import fc from 'fast-check';
import { unescapeString } from '../../../lib/sql/unescape.js';

const QUOTE = 0x27;
const decode = (body: string) => unescapeString(body, 0, body.length, QUOTE);

// A string body as the lexer passes it on: plain text, escapes and doubled quotes.
const piece = fc.oneof(
  fc.string({ maxLength: 8 }).map((s) => s.replace(/[\\']/g, '')),
  fc.constantFrom(
    '\\0',
    '\\b',
    '\\n',
    '\\r',
    '\\t',
    '\\Z',
    '\\%',
    '\\_',
    '\\\\',
    "\\'",
    '\\x',
    "''",
  ),
  fc.constantFrom('é', '😀', '\u0000'),
);
const body = fc.array(piece, { minLength: 1, maxLength: 40 }).map((p) => p.join(''));

describe('unescapeString on long bodies', () => {
  it('decodes a long body exactly as the same pieces decoded short', () => {
    fc.assert(
      fc.property(body, (b) => {
        const times = Math.ceil(5000 / Math.max(1, b.length));
        expect(decode(b.repeat(times))).toBe(decode(b).repeat(times));
      }),
      { numRuns: 200 },
    );
  });

  it('decodes millions of escapes in one pass into one flat string', () => {
    const long = 'a\\n'.repeat(2_000_000);
    const out = decode(long);
    expect(out.length).toBe(4_000_000);
    expect(out.slice(0, 4)).toBe('a\na\n');
  });
});
