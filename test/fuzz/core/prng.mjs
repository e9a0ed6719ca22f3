/**
 * A small seeded PRNG (mulberry32) with the helpers the mutators need.
 * The same seed gives the same stream of choices on every platform.
 */
export class Rng {
  constructor(seed) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform 32-bit unsigned integer. */
  u32() {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform float in [0, 1). */
  float() {
    return this.u32() / 4294967296;
  }

  /** Integer in [0, n). */
  below(n) {
    return n <= 1 ? 0 : Math.floor(this.float() * n);
  }

  /** Integer in [lo, hi]. */
  int(lo, hi) {
    return lo + this.below(hi - lo + 1);
  }

  /** True with probability p. */
  chance(p) {
    return this.float() < p;
  }

  pick(list) {
    return list[this.below(list.length)];
  }

  /** Picks by weight: `entries` is a list of [weight, value]. */
  weighted(entries) {
    let total = 0;
    for (const [w] of entries) total += w;
    let r = this.float() * total;
    for (const [w, v] of entries) {
      r -= w;
      if (r < 0) return v;
    }
    return entries[entries.length - 1][1];
  }

  /** Small sizes are far more likely than big ones: a power-law size up to max. */
  size(max) {
    if (max <= 0) return 0;
    const bits = Math.log2(max + 1);
    return Math.min(max, Math.floor(2 ** (this.float() * bits)) - 1 + this.below(2));
  }

  bytes(n) {
    const out = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }

  /** A fresh generator whose stream depends on this one (for sub-decisions). */
  fork() {
    return new Rng(this.u32());
  }
}
