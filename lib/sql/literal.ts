import { Buffer } from 'node:buffer';
import { introducerCharset } from './charsets.js';
import { binaryLiteralBytes } from './query-text.js';
import type { Lexer } from './lexer.js';
import { bitBytes, doubleValue, hexBytes, integerValue } from './numeric-value.js';
import { isKeyword } from './token-tests.js';
import { Tok } from './token-type.js';
import { stringValue } from './token-value.js';
import type { SqlValue } from './types.js';
import { atUserVariable, readUserVariable } from './user-variable.js';

const PLUS = 0x2b;
const MINUS = 0x2d;

/** Returned by readLiteral when the current token does not begin a literal. */
export const NOT_LITERAL: unique symbol = Symbol('not a literal');

/** Extra facts readLiteral reports for naming SELECT columns. */
export interface LiteralInfo {
  /** The first string segment's text when the literal is a character string (MySQL names the column by it). */
  stringName: string | null;
  /**
   * Where the number starts when the literal is a number under unary plus only: MySQL's
   * grammar drops the plus, so the column is named by the number as written; else -1.
   */
  plusNumberStart: number;
}

// On failure the lexer is left on the offending token: that is where MySQL reports the error.
/**
 * Reads one literal at the current token and moves past it, or returns NOT_LITERAL.
 * With `keep` false the literal is only checked, as MySQL would parse it, and null
 * stands for its value: the caller counts past a limit without building values.
 */
export function readLiteral(
  lx: Lexer,
  info?: LiteralInfo,
  keep = true,
): SqlValue | typeof NOT_LITERAL {
  let signed = false;
  let minus = false;
  let negative = false;
  while (lx.type === Tok.Punct && (lx.char === MINUS || lx.char === PLUS)) {
    signed = true;
    if (lx.char === MINUS) {
      minus = true;
      negative = !negative;
    }
    lx.next();
  }
  if (lx.type === Tok.Integer || lx.type === Tok.Decimal || lx.type === Tok.Float) {
    if (info !== undefined && signed && !minus) info.plusNumberStart = lx.start;
    const value = keep || lx.type === Tok.Float ? numberValue(lx, negative) : null;
    lx.next();
    return value;
  }
  if (signed) return NOT_LITERAL;
  if (atUserVariable(lx)) {
    const name = readUserVariable(lx, keep);
    if (name === null) return NOT_LITERAL;
    if (!keep) return null;
    // Shared, not copied: a handler's arguments are read-only, and a copy per reference
    // would let `CALL p(@big, @big, ...)` multiply the variable's size.
    return lx.userVariables?.get(name) ?? null;
  }
  switch (lx.type) {
    case Tok.String:
    case Tok.NString:
      return readStrings(lx, info, keep);
    case Tok.NullEscape:
      lx.next();
      return null;
    case Tok.Word:
      return readWordLiteral(lx, info, keep);
    default:
      return readBytes(lx, keep);
  }
}

/** The value of the current Integer, Decimal or Float token, negated if asked. */
function numberValue(lx: Lexer, negative: boolean): number | bigint {
  const sql = lx.sql;
  if (lx.type === Tok.Integer) return integerValue(sql, lx.start, lx.end, negative);
  // MySQL refuses a Float token out of a double's range, but reads a long Decimal as DECIMAL.
  const value =
    lx.type === Tok.Float
      ? doubleValue(sql, lx.start, lx.end)
      : parseFloat(sql.slice(lx.start, lx.end));
  return negative ? -value : value;
}

/** NULL, TRUE, FALSE, or a charset introducer and the string or bytes it applies to. */
function readWordLiteral(
  lx: Lexer,
  info: LiteralInfo | undefined,
  keep: boolean,
): SqlValue | typeof NOT_LITERAL {
  let value: SqlValue;
  if (isKeyword(lx, 'NULL')) value = null;
  else if (isKeyword(lx, 'TRUE')) value = true;
  else if (isKeyword(lx, 'FALSE')) value = false;
  else {
    const charset = introducerCharset(lx.sql, lx.start, lx.end);
    if (charset === null) return NOT_LITERAL;
    lx.next();
    if (lx.type !== Tok.String) return readBytes(lx, keep);
    const text = readStrings(lx, info, keep);
    return charset === 'binary' && keep ? binaryLiteralBytes(text) : text;
  }
  lx.next();
  return value;
}

/** A string token and the plain string tokens after it, which MySQL concatenates ('' when not kept). */
function readStrings(lx: Lexer, info: LiteralInfo | undefined, keep: boolean): string {
  let text = keep ? stringValue(lx) : '';
  if (info !== undefined) info.stringName = text;
  lx.next();
  while (lx.type === Tok.String) {
    if (keep) text += stringValue(lx);
    lx.next();
  }
  return text;
}

/** X'..', 0x.., b'..' or 0b.. as bytes (null when not kept). */
function readBytes(lx: Lexer, keep: boolean): Buffer | null | typeof NOT_LITERAL {
  const sql = lx.sql;
  let bytes: Buffer | null = null;
  switch (lx.type) {
    case Tok.HexString:
      if (keep) bytes = hexBytes(sql, lx.start + 2, lx.end - 1);
      break;
    case Tok.HexNumber:
      if (keep) bytes = hexBytes(sql, lx.start + 2, lx.end);
      break;
    case Tok.BitString:
      if (keep) bytes = bitBytes(sql, lx.start + 2, lx.end - 1);
      break;
    case Tok.BitNumber:
      if (keep) bytes = bitBytes(sql, lx.start + 2, lx.end);
      break;
    default:
      return NOT_LITERAL;
  }
  lx.next();
  return bytes;
}
