import type { Lexer } from './lexer.js';
import { expectEnd } from './statement-end.js';
import { syntaxErrorAt } from './syntax-error-at.js';
import { atStatementEnd } from './token-tests.js';
import type { Statement } from './types.js';

/** Any `SET ...` with the lexer on SET: only checks that something follows and that no second statement does. */
export function parseSet(lx: Lexer): Statement {
  lx.next();
  if (atStatementEnd(lx)) throw syntaxErrorAt(lx.sql, lx.start);
  // No form of SET contains a bare `;`, so the first one ends the statement.
  while (!atStatementEnd(lx)) lx.next();
  expectEnd(lx);
  return { kind: 'set' };
}
