import fc from 'fast-check';
import { decodeUtf8InSlices } from '../../../lib/session/sliced-decode.js';
import { decodeQueryText } from '../../../lib/sql/query-text.js';

describe('decodeUtf8InSlices', () => {
  it('decodes exactly as decodeQueryText, malformed sequences and cut sequences included', async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.string({ unit: 'binary', maxLength: 32 }).map((s) => new Uint8Array(Buffer.from(s))),
    );
    await fc.assert(
      fc.asyncProperty(bytes, fc.integer({ min: 1, max: 7 }), fc.nat(3), async (b, slice, from) => {
        const buffer = Buffer.from(b);
        const start = Math.min(from, buffer.length);
        expect(await decodeUtf8InSlices(buffer, start, slice)).toBe(decodeQueryText(buffer, start));
      }),
      { numRuns: 500 },
    );
  });
});
