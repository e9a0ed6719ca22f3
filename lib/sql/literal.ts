import { Buffer } from 'node:buffer';
import { introducerCharset } from './charsets.js';
import type { Lexer } from './lexer.js';
import { bitBytes, hexBytes, integerValue } from './numeric-value.js';
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
}

// On failure the lexer is left on the offending token: that is where MySQL reports the error.
/** Reads one literal at the current token and moves past it, or returns NOT_LITERAL. */
export function readLiteral(lx: Lexer, info?: LiteralInfo): SqlValue | typeof NOT_LITERAL {
  let signed = false;
  let negative = false;
  while (lx.type === Tok.Punct && (lx.char === MINUS || lx.char === PLUS)) {
    signed = true;
    if (lx.char === MINUS) negative = !negative;
    lx.next();
  }
  const sql = lx.sql;
  if (lx.type === Tok.Integer) {
    const value = integerValue(sql, lx.start, lx.end, negative);
    lx.next();
    return value;
  }
  if (lx.type === Tok.Decimal || lx.type === Tok.Float) {
    const value = parseFloat(sql.slice(lx.start, lx.end));
    lx.next();
    return negative ? -value : value;
  }
  if (signed) return NOT_LITERAL;
  if (atUserVariable(lx)) {
    const name = readUserVariable(lx);
    if (name === null) return NOT_LITERAL;
    const pending = lx.pendingVariables;
    const value = pending?.has(name) ? pending.get(name) : lx.userVariables?.get(name);
    // A handler gets its own copy of bytes: changing it must not change @name.
    return Buffer.isBuffer(value) ? Buffer.from(value) : (value ?? null);
  }
  switch (lx.type) {
    case Tok.String:
    case Tok.NString:
      return readStrings(lx, info);
    case Tok.NullEscape:
      lx.next();
      return null;
    case Tok.Word:
      return readWordLiteral(lx, info);
    default:
      return readBytes(lx);
  }
}

/** NULL, TRUE, FALSE, or a charset introducer and the string or bytes it applies to. */
function readWordLiteral(lx: Lexer, info: LiteralInfo | undefined): SqlValue | typeof NOT_LITERAL {
  let value: SqlValue;
  if (isKeyword(lx, 'NULL')) value = null;
  else if (isKeyword(lx, 'TRUE')) value = true;
  else if (isKeyword(lx, 'FALSE')) value = false;
  else {
    const charset = introducerCharset(lx.sql, lx.start, lx.end);
    if (charset === null) return NOT_LITERAL;
    lx.next();
    if (lx.type !== Tok.String) return readBytes(lx);
    const text = readStrings(lx, info);
    return charset === 'binary' ? Buffer.from(text, 'utf8') : text;
  }
  lx.next();
  return value;
}

/** A string token and the plain string tokens after it, which MySQL concatenates. */
function readStrings(lx: Lexer, info: LiteralInfo | undefined): string {
  let text = stringValue(lx);
  if (info !== undefined) info.stringName = text;
  lx.next();
  while (lx.type === Tok.String) {
    text += stringValue(lx);
    lx.next();
  }
  return text;
}

/** X'..', 0x.., b'..' or 0b.. as bytes. */
function readBytes(lx: Lexer): Buffer | typeof NOT_LITERAL {
  const sql = lx.sql;
  let bytes: Buffer;
  switch (lx.type) {
    case Tok.HexString:
      bytes = hexBytes(sql, lx.start + 2, lx.end - 1);
      break;
    case Tok.HexNumber:
      bytes = hexBytes(sql, lx.start + 2, lx.end);
      break;
    case Tok.BitString:
      bytes = bitBytes(sql, lx.start + 2, lx.end - 1);
      break;
    case Tok.BitNumber:
      bytes = bitBytes(sql, lx.start + 2, lx.end);
      break;
    default:
      return NOT_LITERAL;
  }
  lx.next();
  return bytes;
}
