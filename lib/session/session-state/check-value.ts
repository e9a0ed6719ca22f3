import { ER, formatError, type WireError } from '../../protocol/errors.js';
import {
  charsetOf,
  collationById,
  defaultCollation,
  lookupCharset,
  lookupCollation,
} from './charsets.js';
import type { StoredValue, VariableDefinition } from './catalog.js';
import { sqlModeFromNumber, sqlModeFromText } from './sql-mode.js';
import { timeZoneValue } from './time-zone.js';

/** A value about to be assigned, by its SQL type, which decides whether a variable takes it. */
export type Operand =
  | { readonly type: 'int'; readonly value: bigint }
  /** DECIMAL or DOUBLE: no variable takes one. */
  | { readonly type: 'real' }
  /** A character string, or bytes read as UTF-8 (`shown` as MySQL prints them in messages). */
  | { readonly type: 'string'; readonly value: string; readonly shown: string }
  | { readonly type: 'null' };

/** A value checked and ready to store, or why not. */
export type Checked = { readonly value: StoredValue } | { readonly error: WireError };

/**
 * ERR 1232 when the variable does not take values of the operand's type, as
 * MySQL checks before it looks at the value: integers take only integers,
 * strings and time zones only strings (NULL counts as one), the others
 * integers and strings. Null when the type is right.
 */
export function typeError(d: VariableDefinition, operand: Operand): WireError | null {
  const { kind } = d.type;
  let ok: boolean;
  if (kind === 'int') {
    ok = operand.type === 'int';
  } else if (kind === 'string' || kind === 'time-zone') {
    ok = operand.type === 'string' || operand.type === 'null';
  } else {
    ok = operand.type !== 'real';
  }
  return ok ? null : formatError(ER.WRONG_TYPE_FOR_VAR, d.name);
}

/** Checks a value of the right type (see typeError) against the variable, as MySQL's SET does. */
export function checkValue(d: VariableDefinition, operand: Operand): Checked {
  const type = d.type;
  const shown = shownText(operand);
  const wrong = (): Checked => ({ error: formatError(ER.WRONG_VALUE_FOR_VAR, d.name, shown) });
  switch (type.kind) {
    case 'int': {
      if (operand.type !== 'int') return wrong();
      const n = operand.value;
      // Out of range is clamped (MySQL adds a warning 1292).
      const clamped = n < type.min ? type.min : n > type.max ? type.max : n;
      return { value: storedInteger(clamped) };
    }
    case 'bool':
      if (operand.type === 'int') {
        const bit = operand.value === 0n || operand.value === 1n;
        return bit ? { value: Number(operand.value) } : wrong();
      }
      if (operand.type === 'string') {
        const upper = operand.value.toUpperCase();
        return upper === 'ON' ? { value: 1 } : upper === 'OFF' ? { value: 0 } : wrong();
      }
      return wrong();
    case 'enum': {
      let index = -1;
      if (operand.type === 'int') {
        const inRange = operand.value >= 0n && operand.value < BigInt(type.values.length);
        if (inRange) index = Number(operand.value);
      } else if (operand.type === 'string') {
        const upper = operand.value.toUpperCase();
        index = type.values.findIndex((v) => v.toUpperCase() === upper);
      }
      return index < 0 ? wrong() : { value: type.values[index]! };
    }
    case 'sql-mode': {
      if (operand.type === 'null' || operand.type === 'real') return wrong();
      const mode =
        operand.type === 'int' ? sqlModeFromNumber(operand.value) : sqlModeFromText(operand.value);
      if ('mode' in mode) return { value: mode.mode };
      return { error: formatError(ER.WRONG_VALUE_FOR_VAR, d.name, mode.bad) };
    }
    case 'string':
      if (operand.type === 'string') return { value: operand.value };
      return type.nullable && operand.type === 'null' ? { value: null } : wrong();
    case 'charset':
      if (operand.type === 'null') return type.nullable ? { value: null } : wrong();
      return operand.type === 'real' ? wrong() : checkCharset(d, operand);
    case 'collation':
      return operand.type === 'null' || operand.type === 'real'
        ? wrong()
        : checkCollation(d, operand);
    case 'time-zone': {
      if (operand.type !== 'string') return wrong();
      const zone = timeZoneValue(operand.value);
      return zone === null ? { error: formatError(ER.UNKNOWN_TIME_ZONE, shown) } : { value: zone };
    }
  }
}

/** A character set by name or collation id; stored as the collation for a `character_set_*` view. */
/** An integer or a string operand. */
type NamedOperand = Extract<Operand, { type: 'int' | 'string' }>;

function checkCharset(d: VariableDefinition, operand: NamedOperand): Checked {
  const shown = shownText(operand);
  let collation: string | null;
  if (operand.type === 'int') {
    collation = collationById(operand.value);
    if (collation === null) return { error: formatError(ER.UNKNOWN_CHARACTER_SET, shown) };
  } else {
    const found = lookupCharset(operand.value);
    if ('unknown' in found) return { error: formatError(ER.UNKNOWN_CHARACTER_SET, shown) };
    if ('refused' in found) return { error: formatError(ER.WRONG_VALUE_FOR_VAR, d.name, shown) };
    collation = defaultCollation(found.ok);
  }
  return { value: d.charsetView ? collation : charsetOf(collation) };
}

function checkCollation(d: VariableDefinition, operand: NamedOperand): Checked {
  const shown = shownText(operand);
  if (operand.type === 'int') {
    const collation = collationById(operand.value);
    return collation === null
      ? { error: formatError(ER.UNKNOWN_COLLATION, shown) }
      : { value: collation };
  }
  const found = lookupCollation(operand.value);
  if ('ok' in found) return { value: found.ok };
  if ('refused' in found) return { error: formatError(ER.WRONG_VALUE_FOR_VAR, d.name, shown) };
  return { error: formatError(ER.UNKNOWN_COLLATION, shown) };
}

/** An integer as the server stores it: a number when exact, else a bigint. */
export function storedInteger(n: bigint): number | bigint {
  return n >= -MAX_SAFE && n <= MAX_SAFE ? Number(n) : n;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The value as MySQL quotes it in ERR 1231 and the like. */
function shownText(operand: Operand): string {
  switch (operand.type) {
    case 'int':
      return String(operand.value);
    case 'string':
      return operand.shown;
    case 'null':
      return 'NULL';
    case 'real':
      return '';
  }
}

/** Bytes as MySQL prints them in a message: printable ASCII as is, any other byte as `\xHH`. */
export function printableBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    out +=
      b >= 0x20 && b < 0x7f
        ? String.fromCharCode(b)
        : '\\x' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}
