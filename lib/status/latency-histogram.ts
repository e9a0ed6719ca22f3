/**
 * Upper bounds of the latency buckets, in milliseconds: Prometheus' own
 * default bounds (5 ms .. 10 s) with finer steps below them, where a local
 * RPC spends most of its calls.
 */
export const LATENCY_BOUNDS_MS: readonly number[] = Object.freeze([
  0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000,
]);

/**
 * Call durations in fixed buckets: recording is a short scan and one
 * increment, with no allocation, so it stays on the call path; percentiles
 * are estimated from the buckets when a report asks for them.
 */
export class LatencyHistogram {
  /** Observations per bucket; the last one counts those above every bound. */
  readonly buckets = new Float64Array(LATENCY_BOUNDS_MS.length + 1);
  count = 0;
  /** Sum of every observation, in ms. */
  sum = 0;
  /** Largest observation, in ms. */
  max = 0;

  observe(ms: number): void {
    const bounds = LATENCY_BOUNDS_MS;
    let i = 0;
    while (i < bounds.length && ms > bounds[i]!) i++;
    this.buckets[i]!++;
    this.count++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  /** Mean duration in ms, or 0 before any observation. */
  get mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /**
   * The duration below which a fraction `q` (0..1) of the observations
   * fall, interpolated linearly inside its bucket (as Prometheus'
   * histogram_quantile); capped at the largest observation. 0 when empty.
   */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = q * this.count;
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      const inBucket = this.buckets[i]!;
      if (inBucket > 0 && seen + inBucket >= rank) {
        const lower = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1]!;
        const upper = i < LATENCY_BOUNDS_MS.length ? LATENCY_BOUNDS_MS[i]! : this.max;
        const estimate = lower + (upper - lower) * ((rank - seen) / inBucket);
        return Math.min(estimate, this.max);
      }
      seen += inBucket;
    }
    return this.max;
  }
}
