// The timed loop shared by both Node load generators.

/**
 * Runs `loopsPerCaller` back-to-back call loops on each caller until `seconds`
 * have passed, then lets the calls in flight finish. Every answer must be
 * `expectSum` (7, for myadd(3, 4)): a fast wrong answer is a failure, not a
 * result. Resolves with the number of calls, the elapsed time, and (if
 * asked) each call's latency.
 */
export function runTimed(callers, loopsPerCaller, seconds, keepLatencies, expectSum = 7) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const deadline = start + BigInt(Math.round(seconds * 1e9));
    const latencies = [];
    let calls = 0;
    let running = 0;
    let failure = null;
    const loop = (call) => {
      const t0 = process.hrtime.bigint();
      call((error, sum) => {
        const t1 = process.hrtime.bigint();
        if (!failure && (error || Number(sum) !== expectSum)) {
          failure = error ?? new Error(`wrong answer: sum = ${sum}, expected ${expectSum}`);
        }
        calls++;
        if (keepLatencies) latencies.push(Number(t1 - t0));
        if (t1 < deadline && !failure) {
          loop(call);
        } else if (--running === 0) {
          if (failure) reject(failure);
          else resolve({ calls, elapsedNs: Number(t1 - start), latencies });
        }
      });
    };
    for (const call of callers) {
      for (let i = 0; i < loopsPerCaller; i++) {
        running++;
        loop(call);
      }
    }
  });
}

/** Nearest-rank percentile of nanosecond samples, in microseconds. */
export function percentileMicros(sortedNs, p) {
  if (sortedNs.length === 0) return NaN;
  const rank = Math.min(sortedNs.length, Math.max(1, Math.ceil(p * sortedNs.length)));
  return sortedNs[rank - 1] / 1000;
}
