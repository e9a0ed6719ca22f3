import { syntaxErrorAt } from './syntax-error-at.js';
import type { Lexer } from './lexer.js';
import { isPunct } from './token-tests.js';
import { Tok } from './token-type.js';

const SEMICOLON = 0x3b;

/**
 * Requires the statement to end here, allowing one `;`. With
 * multi-statements off, MySQL reports whatever follows the `;` as the
 * error, near the second statement; with them on, the `;` ends this one
 * and the next is not lexed yet (it runs only if this one succeeds).
 */
export function expectEnd(lx: Lexer): void {
  if (isPunct(lx, SEMICOLON)) {
    if (lx.multiStatements) {
      lx.statementEnd = lx.end;
      return;
    }
    lx.next();
  }
  if (lx.type !== Tok.Eof) throw syntaxErrorAt(lx.sql, lx.start);
}

/**
 * Lexes the rest of the statement unparsed, still rejecting unterminated
 * strings and comments: up to the end of the query, or with
 * multi-statements on, up to the `;` that ends it.
 */
export function skipRest(lx: Lexer): void {
  while (lx.type !== Tok.Eof) {
    if (lx.multiStatements && isPunct(lx, SEMICOLON)) {
      lx.statementEnd = lx.end;
      return;
    }
    lx.next();
  }
}

/** Longest piece of a statement an error message quotes. */
const QUOTE_LIMIT = 80;

/**
 * The statement as an error names it, from its start (the query's, or past
 * the `;` of the statement before it): trimmed, at most 80 characters.
 */
export function quoteOf(lx: Lexer): string {
  return lx.sql.slice(lx.statementStart).trim().slice(0, QUOTE_LIMIT);
}
