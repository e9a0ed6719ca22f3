import type { Lexer } from './lexer.js';
import { expectEnd } from './statement-end.js';
import { syntaxErrorAt } from './syntax-error-at.js';
import { isIdentifier } from './token-tests.js';
import { identifierValue } from './token-value.js';
import type { Statement } from './types.js';

/** `USE schema` with the lexer on USE. */
export function parseUse(lx: Lexer): Statement {
  lx.next();
  if (!isIdentifier(lx)) throw syntaxErrorAt(lx.sql, lx.start);
  const schema = identifierValue(lx);
  lx.next();
  expectEnd(lx);
  return { kind: 'use', schema };
}
