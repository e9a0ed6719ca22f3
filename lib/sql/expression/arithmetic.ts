import type { ArithmeticOp } from './ast.js';
import { Decimal, MAX_DECIMAL_PRECISION, MAX_DECIMAL_SCALE } from './decimal.js';
import { ValueOutOfRangeError } from './errors.js';
import {
  INT64_MAX,
  INT64_MIN,
  numericClass,
  toDecimal,
  toDouble,
  toInteger,
  UINT64_MAX,
  type Value,
} from './value.js';

/** MySQL's div_precision_increment: digits a division adds to the dividend's scale. */
const DIV_PRECISION_INCREMENT = 4;

type NonNull = Exclude<Value, null>;

/** Checks an integer result against BIGINT (or BIGINT UNSIGNED when an operand is unsigned). */
function checkedInteger(result: bigint, unsigned: boolean, text: () => string): bigint {
  if (unsigned ? result < 0n || result > UINT64_MAX : result < INT64_MIN || result > INT64_MAX) {
    throw new ValueOutOfRangeError(unsigned ? 'BIGINT UNSIGNED' : 'BIGINT', text());
  }
  return result;
}

function checkedDouble(result: number, text: () => string): number {
  if (!Number.isFinite(result)) throw new ValueOutOfRangeError('DOUBLE', text());
  return result;
}

function checkedDecimal(result: Decimal, text: () => string): Decimal {
  if (result.precision() > MAX_DECIMAL_PRECISION) {
    throw new ValueOutOfRangeError('DECIMAL', text());
  }
  return result;
}

/**
 * `left op right` for non-null operands, with MySQL's types: DOUBLE when either is
 * approximate (strings count as such), else DECIMAL when either is, else exact integers
 * checked against BIGINT's range; `/` is DECIMAL (or DOUBLE), DIV an integer, division by
 * zero NULL. Bit operators work on BIGINT UNSIGNED. `text` prints the expression for
 * ER_DATA_OUT_OF_RANGE.
 */
export function arithmetic(
  op: ArithmeticOp,
  left: NonNull,
  right: NonNull,
  text: () => string,
): Value {
  switch (op) {
    case '&':
    case '|':
    case '^':
    case '<<':
    case '>>':
      return bitwise(op, left, right);
    case 'DIV':
      return integerDivide(left, right, text);
    default:
      break;
  }
  const a = numericClass(left);
  const b = numericClass(right);
  if (a === 'double' || b === 'double') return doubleOp(op, toDouble(left), toDouble(right), text);
  if (a === 'decimal' || b === 'decimal' || op === '/') {
    return decimalOp(op, toDecimal(left), toDecimal(right), text);
  }
  const x = left as bigint;
  const y = right as bigint;
  const unsigned = x > INT64_MAX || y > INT64_MAX;
  switch (op) {
    case '+':
      return checkedInteger(x + y, unsigned, text);
    case '-':
      return checkedInteger(x - y, unsigned, text);
    case '*':
      return checkedInteger(x * y, unsigned, text);
    default:
      // '%': the remainder has the dividend's sign, as BigInt's does.
      return y === 0n ? null : x % y;
  }
}

function doubleOp(op: ArithmeticOp, x: number, y: number, text: () => string): Value {
  switch (op) {
    case '+':
      return checkedDouble(x + y, text);
    case '-':
      return checkedDouble(x - y, text);
    case '*':
      return checkedDouble(x * y, text);
    case '/':
      return y === 0 ? null : checkedDouble(x / y, text);
    default:
      return y === 0 ? null : x % y;
  }
}

function decimalOp(op: ArithmeticOp, x: Decimal, y: Decimal, text: () => string): Value {
  switch (op) {
    case '+':
      return checkedDecimal(x.add(y), text);
    case '-':
      return checkedDecimal(x.subtract(y), text);
    case '*':
      return checkedDecimal(x.multiply(y), text);
    case '/': {
      const scale = Math.min(x.scale + DIV_PRECISION_INCREMENT, MAX_DECIMAL_SCALE);
      const q = x.divide(y, scale);
      return q === null ? null : checkedDecimal(q, text);
    }
    default:
      return x.remainder(y);
  }
}

function integerDivide(left: NonNull, right: NonNull, text: () => string): Value {
  if (typeof left === 'bigint' && typeof right === 'bigint') {
    if (right === 0n) return null;
    return checkedInteger(left / right, left > INT64_MAX || right > INT64_MAX, text);
  }
  const a = numericClass(left);
  const b = numericClass(right);
  if (a === 'double' || b === 'double') {
    const y = toDouble(right);
    if (y === 0) return null;
    const q = Math.trunc(toDouble(left) / y);
    if (!Number.isFinite(q)) throw new ValueOutOfRangeError('BIGINT', text());
    return checkedInteger(BigInt(q), false, text);
  }
  const q = toDecimal(left).divide(toDecimal(right), MAX_DECIMAL_SCALE);
  return q === null ? null : checkedInteger(q.truncate(), false, text);
}

function bitwise(op: ArithmeticOp, left: NonNull, right: NonNull): Value {
  const x = BigInt.asUintN(64, toInteger(left));
  const y = BigInt.asUintN(64, toInteger(right));
  switch (op) {
    case '&':
      return x & y;
    case '|':
      return x | y;
    case '^':
      return x ^ y;
    case '<<':
      return y >= 64n ? 0n : BigInt.asUintN(64, x << y);
    default:
      return y >= 64n ? 0n : x >> y;
  }
}

/** Unary minus, with BIGINT's range checked. */
export function negate(value: NonNull, text: () => string): Value {
  if (typeof value === 'bigint') return checkedInteger(-value, false, text);
  if (value instanceof Decimal) return value.negate();
  return -toDouble(value);
}
