import type { Lexer } from './lexer.js';
import { TooManyCallArgumentsError } from './limit-errors.js';
import { MAX_CALL_ARGUMENTS } from './limits.js';
import { NOT_LITERAL, readLiteral } from './literal.js';
import { expectEnd } from './statement-end.js';
import { syntaxErrorAt } from './syntax-error-at.js';
import { isIdentifier, isPunct } from './token-tests.js';
import { identifierValue } from './token-value.js';
import type { SqlValue, Statement } from './types.js';

const LPAREN = 0x28;
const RPAREN = 0x29;
const COMMA = 0x2c;
const DOT = 0x2e;

/** `CALL [schema.]name [( [literal [, literal]...] )]` with the lexer on CALL. */
export function parseCall(lx: Lexer): Statement {
  lx.next();
  let schema: string | null = null;
  let name = readName(lx);
  if (isPunct(lx, DOT)) {
    lx.next();
    schema = name;
    name = readName(lx);
  }
  const args: SqlValue[] = [];
  let count = 0;
  if (isPunct(lx, LPAREN)) {
    lx.next();
    if (isPunct(lx, RPAREN)) lx.next();
    else count = readArguments(lx, args);
  }
  expectEnd(lx);
  // Like MySQL, which counts arguments when it runs the parsed statement: syntax errors come first.
  if (count > MAX_CALL_ARGUMENTS) throw new TooManyCallArgumentsError(schema, name, count);
  return { kind: 'call', schema, name, args };
}

function readName(lx: Lexer): string {
  if (!isIdentifier(lx)) throw syntaxErrorAt(lx.sql, lx.start);
  const name = identifierValue(lx);
  lx.next();
  return name;
}

/**
 * Literals separated by commas up to and including the closing parenthesis; returns
 * how many there are, keeping only the first MAX_CALL_ARGUMENTS in `args`.
 */
function readArguments(lx: Lexer, args: SqlValue[]): number {
  for (let count = 1; ; count++) {
    const keep = count <= MAX_CALL_ARGUMENTS;
    const value = readLiteral(lx, undefined, keep);
    if (value === NOT_LITERAL) throw syntaxErrorAt(lx.sql, lx.start);
    if (keep) args.push(value);
    if (isPunct(lx, COMMA)) {
      lx.next();
    } else if (isPunct(lx, RPAREN)) {
      lx.next();
      return count;
    } else {
      throw syntaxErrorAt(lx.sql, lx.start);
    }
  }
}
