import { ER, formatError } from '../protocol/errors.js';
import { toJsonText } from '../results/cell-encoder.js';
import type { SqlValue } from '../sql/index.js';
import { CoercionError } from './coercion-error.js';
import {
  bitCoercer,
  decimalCoercer,
  floatCoercer,
  integerCoercer,
  yearCoercer,
} from './coerce-number.js';
import { dateCoercer, dateTimeCoercer, timeCoercer } from './coerce-temporal.js';
import { bytesCoercer, stringCoercer } from './coerce-text.js';
import { checkJsonText } from './json-text.js';
import { numberText } from './numeric-text.js';
import type { SqlType } from './sql-type.js';

/**
 * A parameter's type at work: `store` turns any value (a CALL argument, or
 * what a handler set for an OUT parameter) into what MySQL would hold for
 * it, or throws a CoercionError carrying MySQL's ERR; `toHandler` is that
 * value as the handler receives it.
 */
export interface TypeCoercer {
  /** The value as MySQL stores it in the declared type; NULL stays NULL. */
  store(value: unknown): SqlValue;
  /** A stored value as the handler receives it (BOOLEAN as true/false, JSON parsed). */
  toHandler(stored: SqlValue): unknown;
}

/** Options that change how values are read. */
export interface CoerceOptions {
  /** A Date given for a temporal or text parameter is read in UTC (else local time). */
  readonly utc: boolean;
}

const same = (stored: SqlValue): unknown => stored;

/**
 * JSON: text must be one JSON document (ERR 3140 with MySQL's parser
 * message and byte position), bytes are refused (ERR 3144), numbers and
 * booleans are JSON scalars, other objects are serialised. Stored as the
 * JSON text; the handler receives it parsed.
 */
function jsonStore(column: string): (value: unknown) => string {
  return (value) => {
    switch (typeof value) {
      case 'string': {
        const bad = checkJsonText(value);
        if (!bad) return value;
        if (bad.position < 0) throw new CoercionError(formatError(ER.JSON_DOCUMENT_TOO_DEEP));
        throw new CoercionError(
          formatError(ER.INVALID_JSON_TEXT, bad.reason, bad.position, column),
        );
      }
      case 'number':
        if (!Number.isFinite(value)) {
          throw new CoercionError(formatError(ER.INVALID_JSON_TEXT, 'Invalid value.', 0, column));
        }
        return numberText(value);
      case 'bigint':
        return value.toString();
      case 'boolean':
        return value ? 'true' : 'false';
      default:
        if (value instanceof Uint8Array) {
          throw new CoercionError(formatError(ER.INVALID_JSON_CHARSET, 'binary'));
        }
        return toJsonText(value) ?? 'null';
    }
  };
}

const parseJson = (stored: SqlValue): unknown =>
  typeof stored === 'string' ? (JSON.parse(stored) as unknown) : stored;

/** The coercer of a declared type; `column` is the parameter's name, as MySQL's messages quote it. */
export function coercerFor(t: SqlType, column: string, options: CoerceOptions): TypeCoercer {
  const { utc } = options;
  let store: (value: unknown) => SqlValue;
  let toHandler = same;
  switch (t.kind) {
    case 'integer':
      store = integerCoercer(t, column);
      break;
    case 'boolean': {
      const tinyint = integerCoercer(t, column);
      store = (v) => (typeof v === 'boolean' ? (v ? 1 : 0) : tinyint(v));
      toHandler = (stored) => (stored === null ? null : stored !== 0);
      break;
    }
    case 'decimal':
      store = decimalCoercer(t, column);
      break;
    case 'float':
    case 'double':
      store = floatCoercer(t, column);
      break;
    case 'char':
    case 'varchar':
    case 'text':
      store = stringCoercer(t, column, utc);
      break;
    case 'binary':
    case 'varbinary':
    case 'blob':
      store = bytesCoercer(t, column);
      break;
    case 'date':
      store = dateCoercer(column, utc);
      break;
    case 'datetime':
    case 'timestamp':
      store = dateTimeCoercer(t, column, utc);
      break;
    case 'time':
      store = timeCoercer(t, column, utc);
      break;
    case 'year':
      store = yearCoercer(column);
      break;
    case 'json':
      store = jsonStore(column);
      toHandler = parseJson;
      break;
    case 'bit':
      store = bitCoercer(t, column);
      break;
  }
  return {
    store: (value) => (value === null || value === undefined ? null : store(value)),
    toHandler,
  };
}
