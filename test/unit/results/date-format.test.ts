import fc from 'fast-check';
import { formatDateTime } from '../../../lib/results/cell-encoder.js';

const pad = (n: number, w: number) => (n < 0 ? '-' : '') + String(Math.abs(n)).padStart(w, '0');

/** DATETIME(3) text straight from the Date getters, as a reference. */
function reference(d: Date, utc: boolean): string {
  const [y, mo, da, h, mi, s, ms] = utc
    ? [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours()].concat([
        d.getUTCMinutes(),
        d.getUTCSeconds(),
        d.getUTCMilliseconds(),
      ])
    : [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours()].concat([
        d.getMinutes(),
        d.getSeconds(),
        d.getMilliseconds(),
      ]);
  return `${pad(y!, 4)}-${pad(mo!, 2)}-${pad(da!, 2)} ${pad(h!, 2)}:${pad(mi!, 2)}:${pad(s!, 2)}.${pad(ms!, 3)}`;
}

describe('formatDateTime', () => {
  it('agrees with the Date getters for any instant, in UTC and in local time', () => {
    // From year -9999 to 9999, and runs of nearby instants that share their day.
    const instant = fc.integer({ min: -377_705_116_800_000, max: 253_402_300_799_999 });
    fc.assert(
      fc.property(
        instant,
        fc.array(fc.integer({ min: -90_000_000, max: 90_000_000 })),
        (t, steps) => {
          for (const utc of [true, false]) {
            for (const step of [0, ...steps]) {
              const d = new Date(t + step);
              expect(formatDateTime(d, utc)).toBe(reference(d, utc));
            }
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(formatDateTime(new Date(Number.NaN), true)).toBeNull();
  });
});
