/** Most digits after the point a DECIMAL keeps (MySQL's DECIMAL_MAX_SCALE). */
export const MAX_DECIMAL_SCALE = 30;
/** Most digits a DECIMAL holds (DECIMAL_MAX_PRECISION). */
export const MAX_DECIMAL_PRECISION = 65;

const TEN = 10n;

function pow10(n: number): bigint {
  return TEN ** BigInt(n);
}

/** `a / b` rounded half away from zero, as MySQL rounds DECIMAL results. */
function divideRounded(a: bigint, b: bigint): bigint {
  const negative = a < 0n !== b < 0n;
  const absA = a < 0n ? -a : a;
  const absB = b < 0n ? -b : b;
  let q = absA / absB;
  if ((absA % absB) * 2n >= absB) q += 1n;
  return negative ? -q : q;
}

/**
 * An exact fixed-point number, MySQL's DECIMAL: `unscaled / 10^scale`. Arithmetic follows
 * MySQL's scale rules (sum: the larger scale; product: the sum of scales; quotient: the
 * dividend's scale plus div_precision_increment) and rounds half away from zero.
 */
export class Decimal {
  constructor(
    /** The digits as an integer. */
    readonly unscaled: bigint,
    /** Digits after the point. */
    readonly scale: number,
  ) {}

  /** Parses `[-]digits[.digits]` (`.5`, `1.` too); throws on anything else. */
  static parse(text: string): Decimal {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
    if (m === null || (m[2] === '' && (m[3] ?? '') === '')) {
      throw new Error(`not a decimal: ${text}`);
    }
    const fraction = m[3] ?? '';
    const unscaled = BigInt((m[2] || '0') + fraction);
    return new Decimal(m[1] === '-' ? -unscaled : unscaled, fraction.length);
  }

  /** The integer `value` with scale 0. */
  static fromInteger(value: bigint): Decimal {
    return new Decimal(value, 0);
  }

  /** A finite double as a decimal, from its shortest decimal form, at most MAX_DECIMAL_SCALE digits after the point. */
  static fromDouble(value: number): Decimal {
    if (!Number.isFinite(value)) return new Decimal(0n, 0);
    const [mantissa, exponentText] = String(value).split('e') as [string, string?];
    const exponent = exponentText === undefined ? 0 : Number(exponentText);
    const negative = mantissa.startsWith('-');
    const [whole, fraction = ''] = mantissa.replace('-', '').split('.') as [string, string?];
    // whole.fraction times 10^exponent.
    let scale = fraction.length - exponent;
    let unscaled = BigInt(whole + fraction);
    if (scale < 0) {
      unscaled *= pow10(-scale);
      scale = 0;
    }
    let d = new Decimal(negative ? -unscaled : unscaled, scale);
    if (scale > MAX_DECIMAL_SCALE) d = d.rescale(MAX_DECIMAL_SCALE);
    return d.normalize();
  }

  /** This value with `scale` digits after the point, rounded half away from zero when fewer. */
  rescale(scale: number): Decimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new Decimal(this.unscaled * pow10(scale - this.scale), scale);
    return new Decimal(divideRounded(this.unscaled, pow10(this.scale - scale)), scale);
  }

  /** Without trailing zeros after the point. */
  normalize(): Decimal {
    let { unscaled, scale } = this;
    while (scale > 0 && unscaled % TEN === 0n) {
      unscaled /= TEN;
      scale--;
    }
    return scale === this.scale ? this : new Decimal(unscaled, scale);
  }

  /** Number of digits, before and after the point (at least 1). */
  precision(): number {
    const digits = (this.unscaled < 0n ? -this.unscaled : this.unscaled).toString().length;
    return Math.max(digits, this.scale + 1);
  }

  isZero(): boolean {
    return this.unscaled === 0n;
  }

  sign(): number {
    return this.unscaled < 0n ? -1 : this.unscaled > 0n ? 1 : 0;
  }

  negate(): Decimal {
    return new Decimal(-this.unscaled, this.scale);
  }

  add(other: Decimal): Decimal {
    const scale = Math.max(this.scale, other.scale);
    return new Decimal(this.rescale(scale).unscaled + other.rescale(scale).unscaled, scale);
  }

  subtract(other: Decimal): Decimal {
    return this.add(other.negate());
  }

  multiply(other: Decimal): Decimal {
    const product = new Decimal(this.unscaled * other.unscaled, this.scale + other.scale);
    return product.scale > MAX_DECIMAL_SCALE ? product.rescale(MAX_DECIMAL_SCALE) : product;
  }

  /** The quotient with `scale` digits after the point, or null when dividing by zero. */
  divide(other: Decimal, scale: number): Decimal | null {
    if (other.unscaled === 0n) return null;
    // (a / 10^sa) / (b / 10^sb) = (a * 10^(scale + sb - sa)) / b / 10^scale
    const shift = scale + other.scale - this.scale;
    const numerator = shift >= 0 ? this.unscaled * pow10(shift) : this.unscaled;
    const denominator = shift >= 0 ? other.unscaled : other.unscaled * pow10(-shift);
    return new Decimal(divideRounded(numerator, denominator), scale);
  }

  /** The remainder with the sign of the dividend, or null when dividing by zero. */
  remainder(other: Decimal): Decimal | null {
    if (other.unscaled === 0n) return null;
    const scale = Math.max(this.scale, other.scale);
    return new Decimal(this.rescale(scale).unscaled % other.rescale(scale).unscaled, scale);
  }

  compare(other: Decimal): number {
    const scale = Math.max(this.scale, other.scale);
    const a = this.rescale(scale).unscaled;
    const b = other.rescale(scale).unscaled;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Rounded half away from zero to an integer. */
  round(): bigint {
    return this.rescale(0).unscaled;
  }

  /** Truncated toward zero to an integer. */
  truncate(): bigint {
    return this.unscaled / pow10(this.scale);
  }

  toNumber(): number {
    return parseFloat(this.toString());
  }

  /** `-12.340`: every digit of the scale, a leading 0 before the point. */
  toString(): string {
    const negative = this.unscaled < 0n;
    let digits = (negative ? -this.unscaled : this.unscaled).toString();
    if (this.scale > 0) {
      if (digits.length <= this.scale) digits = '0'.repeat(this.scale - digits.length + 1) + digits;
      digits = digits.slice(0, digits.length - this.scale) + '.' + digits.slice(-this.scale);
    }
    return negative ? '-' + digits : digits;
  }
}
