import { LATENCY_BOUNDS_MS, LatencyHistogram } from '../../../lib/status/latency-histogram.js';

/** A histogram that has seen `values`, in order. */
function histogramOf(values: readonly number[]): LatencyHistogram {
  const h = new LatencyHistogram();
  for (const ms of values) h.observe(ms);
  return h;
}

/** The index of the one bucket a single observation of `ms` lands in. */
function bucketOf(ms: number): number {
  const counts = [...histogramOf([ms]).buckets];
  expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
  return counts.indexOf(1);
}

const OVERFLOW = LATENCY_BOUNDS_MS.length;

describe('LATENCY_BOUNDS_MS', () => {
  it('rises strictly and cannot be changed (every histogram shares it)', () => {
    for (let i = 1; i < LATENCY_BOUNDS_MS.length; i++) {
      expect(LATENCY_BOUNDS_MS[i]!).toBeGreaterThan(LATENCY_BOUNDS_MS[i - 1]!);
    }
    expect(Object.isFrozen(LATENCY_BOUNDS_MS)).toBe(true);
  });

  it("includes Prometheus' default bounds from 5 ms to 10 s", () => {
    for (const bound of [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000]) {
      expect(LATENCY_BOUNDS_MS).toContain(bound);
    }
  });
});

describe('LatencyHistogram buckets', () => {
  it('has one bucket per bound and one overflow bucket', () => {
    expect(new LatencyHistogram().buckets).toHaveLength(LATENCY_BOUNDS_MS.length + 1);
  });

  it("puts an observation exactly on a bound in that bound's bucket (upper bounds are inclusive)", () => {
    LATENCY_BOUNDS_MS.forEach((bound, i) => {
      expect({ bound, bucket: bucketOf(bound) }).toEqual({ bound, bucket: i });
    });
  });

  it('puts an observation just above a bound in the next bucket', () => {
    LATENCY_BOUNDS_MS.forEach((bound, i) => {
      const above = bound * (1 + 1e-9);
      expect({ above, bucket: bucketOf(above) }).toEqual({ above, bucket: i + 1 });
    });
  });

  it('puts 0 in the first bucket and anything past the last bound in the overflow bucket', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(10_000.001)).toBe(OVERFLOW);
    expect(bucketOf(3_600_000)).toBe(OVERFLOW);
  });

  it('keeps count, sum, max and mean', () => {
    const h = histogramOf([0.05, 0.2, 0.2, 0.7, 3, 40, 20_000]);
    expect([...h.buckets]).toEqual([1, 2, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(h.count).toBe(7);
    expect(h.sum).toBeCloseTo(20_044.15, 9);
    expect(h.max).toBe(20_000);
    expect(h.mean).toBeCloseTo(20_044.15 / 7, 9);
  });
});

describe('LatencyHistogram.quantile', () => {
  it('is 0 for every quantile (and the mean is 0) before any observation', () => {
    const h = new LatencyHistogram();
    for (const q of [0, 0.5, 0.95, 0.99, 1]) expect(h.quantile(q)).toBe(0);
    expect(h.mean).toBe(0);
    expect(h.max).toBe(0);
    expect(h.count).toBe(0);
  });

  it('interpolates linearly inside the bucket that holds the rank', () => {
    // One observation in each of (0, 0.1], (0.25, 0.5], (0.5, 1] and (1, 2.5].
    const h = histogramOf([0.05, 0.3, 0.7, 2]);
    // Rank 0.5 is half-way through the first bucket, which starts at 0.
    expect(h.quantile(0.125)).toBeCloseTo(0.05, 12);
    expect(h.quantile(0.25)).toBeCloseTo(0.1, 12);
    // The empty (0.1, 0.25] bucket is passed over: rank 2 ends (0.25, 0.5].
    expect(h.quantile(0.5)).toBeCloseTo(0.5, 12);
    expect(h.quantile(0.375)).toBeCloseTo(0.375, 12);
    expect(h.quantile(0.75)).toBeCloseTo(1, 12);
  });

  it('estimates the quantiles of 1..100 ms from their buckets', () => {
    const h = histogramOf(Array.from({ length: 100 }, (_, i) => i + 1));
    // 25 values are <= 25 ms and 25 more fall in (25, 50]: rank 50 ends that bucket.
    expect(h.quantile(0.5)).toBeCloseTo(50, 9);
    expect(h.quantile(0.3)).toBeCloseTo(30, 9);
    // 50 values are <= 50 ms and 50 more fall in (50, 100], evenly: the estimate is exact.
    expect(h.quantile(0.95)).toBeCloseTo(95, 9);
    expect(h.quantile(0.99)).toBeCloseTo(99, 9);
    // 10 values are <= 10 ms, 15 more fall in (10, 25]: rank 20 is two thirds through it.
    expect(h.quantile(0.2)).toBeCloseTo(20, 9);
    // Below 1 ms the buckets are finer than the data: rank 1 ends (0.5, 1].
    expect(h.quantile(0.01)).toBeCloseTo(1, 9);
    expect(h.quantile(1)).toBe(100);
    expect(h.mean).toBeCloseTo(50.5, 9);
  });

  it('never exceeds the largest observation, even inside a bounded bucket', () => {
    // All ten sit in (0.25, 0.5]: interpolation alone would reach 0.5.
    const h = histogramOf(Array<number>(10).fill(0.3));
    expect(h.quantile(0.5)).toBe(0.3);
    expect(h.quantile(0.99)).toBe(0.3);
    expect(h.quantile(1)).toBe(0.3);
    // Low ranks stay below it.
    expect(h.quantile(0.1)).toBeCloseTo(0.275, 12);
  });

  it('takes the largest observation as the upper end of the overflow bucket', () => {
    const h = histogramOf([20_000, 30_000]);
    // (10 s, max] is the overflow bucket's range: rank 1 of 2 is half-way through it.
    expect(h.quantile(0.5)).toBeCloseTo(20_000, 9);
    expect(h.quantile(0.99)).toBeCloseTo(29_800, 9);
    expect(h.quantile(1)).toBe(30_000);
  });

  it('answers the max for ranks in the overflow bucket with one observation there', () => {
    const h = histogramOf([1, 1, 1, 12_345]);
    // Three of four sit in (0.5, 1]: rank 2 is two thirds of the way through it.
    expect(h.quantile(0.5)).toBeCloseTo(0.5 + 0.5 * (2 / 3), 12);
    expect(h.quantile(1)).toBe(12_345);
    const p99 = h.quantile(0.99);
    expect(p99).toBeGreaterThan(10_000);
    expect(p99).toBeLessThanOrEqual(12_345);
  });

  it('rises with q on a spread of values', () => {
    const h = histogramOf([0.05, 0.2, 0.2, 0.7, 3, 40, 20_000]);
    let last = 0;
    for (let i = 0; i <= 20; i++) {
      const value = h.quantile(i / 20);
      expect(value).toBeGreaterThanOrEqual(last);
      expect(value).toBeLessThanOrEqual(h.max);
      last = value;
    }
    expect(last).toBe(20_000);
  });
});
