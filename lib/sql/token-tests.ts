import { equalsUpper } from './char-codes.js';
import type { Lexer } from './lexer.js';
import { isReservedWord } from './reserved-words.js';
import { Tok } from './token-type.js';

/** Whether the current token is the keyword `upper` (given in upper case), in any letter case. */
export function isKeyword(lx: Lexer, upper: string): boolean {
  return (
    lx.type === Tok.Word &&
    lx.keyword &&
    lx.end - lx.start === upper.length &&
    equalsUpper(lx.sql, lx.start, upper)
  );
}

/** Whether the current token is the single character `char`. */
export function isPunct(lx: Lexer, char: number): boolean {
  return lx.type === Tok.Punct && lx.char === char;
}

/** Whether the current token can name something: a back-quoted name or any unquoted word but a reserved one. */
export function isIdentifier(lx: Lexer): boolean {
  if (lx.type === Tok.QuotedIdent) return true;
  return lx.type === Tok.Word && !(lx.keyword && isReservedWord(lx.sql, lx.start, lx.end));
}

/** The scope the word before `@@…`'s dot names: SESSION and LOCAL the session's, GLOBAL the global; else null. */
export function variableScope(lx: Lexer): 'session' | 'global' | null {
  const length = lx.end - lx.start;
  const sql = lx.sql;
  if (length === 7 && equalsUpper(sql, lx.start, 'SESSION')) return 'session';
  if (length === 5 && equalsUpper(sql, lx.start, 'LOCAL')) return 'session';
  if (length === 6 && equalsUpper(sql, lx.start, 'GLOBAL')) return 'global';
  return null;
}

/** Whether the current token ends the statement: end of input or `;`. */
export function atStatementEnd(lx: Lexer): boolean {
  return lx.type === Tok.Eof || isPunct(lx, 0x3b);
}
