import { Buffer } from 'node:buffer';
import type { CastTarget } from './ast.js';
import { Decimal } from './decimal.js';
import { stringType, Types, type ResultType } from './result-type.js';
import { Temporal, toBytes, toDecimal, toDouble, toInteger, toText, type Value } from './value.js';

const DATETIME =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?)?$/;
const TIME = /^(-?)(\d{1,3}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6}))?)?$/;

const pad = (n: string | undefined, width = 2): string => (n ?? '0').padStart(width, '0');

/** The value of CAST(value AS target). Invalid dates and times become NULL, as MySQL makes them. */
export function castValue(value: Value, to: CastTarget): Value {
  if (value === null) return null;
  switch (to.type) {
    case 'CHAR': {
      const text = toText(value)!;
      return to.length === null ? text : Array.from(text).slice(0, to.length).join('');
    }
    case 'BINARY': {
      const bytes = toBytes(value)!;
      if (to.length === null) return bytes;
      if (bytes.length >= to.length) return bytes.subarray(0, to.length);
      return Buffer.concat([bytes, Buffer.alloc(to.length - bytes.length)]);
    }
    case 'SIGNED':
      return BigInt.asIntN(64, toInteger(value));
    case 'UNSIGNED':
      return BigInt.asUintN(64, toInteger(value));
    case 'DECIMAL': {
      const d = toDecimal(value).rescale(to.scale);
      const limit = 10n ** BigInt(to.precision) - 1n;
      // Out of range saturates at the largest value of the type.
      if (d.unscaled > limit) return new Decimal(limit, to.scale);
      if (d.unscaled < -limit) return new Decimal(-limit, to.scale);
      return d;
    }
    case 'DOUBLE':
      return toDouble(value);
    case 'DATE':
    case 'DATETIME':
      return toDateTime(value, to.type, to.type === 'DATE' ? 0 : to.fsp);
    case 'TIME':
      return toTime(value, to.fsp);
  }
}

function fraction(digits: string | undefined, fsp: number): string {
  if (fsp === 0) return '';
  return '.' + (digits ?? '').padEnd(6, '0').slice(0, fsp);
}

function toDateTime(value: Exclude<Value, null>, type: 'DATE' | 'DATETIME', fsp: number): Value {
  const text = value instanceof Temporal ? value.text : toText(value)!.trim();
  let m = DATETIME.exec(text);
  if (m === null && /^\d{8}(\d{6})?$/.test(text)) {
    m = DATETIME.exec(
      `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}` +
        (text.length > 8
          ? ` ${text.slice(8, 10)}:${text.slice(10, 12)}:${text.slice(12, 14)}`
          : ''),
    );
  }
  if (m === null) return null;
  const [, y, mo, d, h, mi, s, f] = m;
  if (
    Number(mo) > 12 ||
    Number(d) > 31 ||
    Number(h ?? 0) > 23 ||
    Number(mi ?? 0) > 59 ||
    Number(s ?? 0) > 59
  ) {
    return null;
  }
  const day = `${y}-${pad(mo)}-${pad(d)}`;
  if (type === 'DATE') return new Temporal('DATE', day);
  return new Temporal('DATETIME', `${day} ${pad(h)}:${pad(mi)}:${pad(s)}${fraction(f, fsp)}`);
}

function toTime(value: Exclude<Value, null>, fsp: number): Value {
  if (value instanceof Temporal && value.type === 'DATETIME') {
    const [, time] = value.text.split(' ');
    return toTime(new Temporal('TIME', time!), fsp);
  }
  const text = value instanceof Temporal ? value.text : toText(value)!.trim();
  const m = TIME.exec(text);
  if (m === null) return null;
  const [, sign, h, mi, s, f] = m;
  if (Number(mi) > 59 || Number(s ?? 0) > 59) return null;
  return new Temporal('TIME', `${sign}${pad(h)}:${pad(mi)}:${pad(s)}${fraction(f, fsp)}`);
}

/** The type of CAST(.. AS target). */
export function castType(to: CastTarget): ResultType {
  switch (to.type) {
    case 'CHAR':
      return stringType(to.length);
    case 'BINARY':
      return { kind: 'binary', length: to.length };
    case 'SIGNED':
      return Types.INT;
    case 'UNSIGNED':
      return Types.UNSIGNED;
    case 'DECIMAL':
      return { kind: 'decimal', scale: to.scale };
    case 'DOUBLE':
      return Types.DOUBLE;
    case 'DATE':
      return { kind: 'temporal', type: 'DATE', fsp: 0 };
    case 'DATETIME':
    case 'TIME':
      return { kind: 'temporal', type: to.type, fsp: to.fsp };
  }
}
