import { syntaxErrorAt } from './syntax-error-at.js';
import type { Lexer } from './lexer.js';
import { isPunct } from './token-tests.js';
import { Tok } from './token-type.js';

const SEMICOLON = 0x3b;

// Multi-statements are off: MySQL reports whatever follows the `;` as the error, near the second statement.
/** Requires the statement to end here, allowing one `;`. */
export function expectEnd(lx: Lexer): void {
  if (isPunct(lx, SEMICOLON)) lx.next();
  if (lx.type !== Tok.Eof) throw syntaxErrorAt(lx.sql, lx.start);
}

/** Lexes the rest of the query unparsed, still rejecting unterminated strings and comments. */
export function skipRest(lx: Lexer): void {
  while (lx.type !== Tok.Eof) lx.next();
}

/** Longest piece of a statement an error message quotes. */
const QUOTE_LIMIT = 80;

/** The start of the statement as an error names it: trimmed, at most 80 characters. */
export function quoteOf(sql: string): string {
  return sql.trim().slice(0, QUOTE_LIMIT);
}
