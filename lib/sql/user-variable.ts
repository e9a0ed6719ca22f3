import type { Lexer } from './lexer.js';
import { isPunct } from './token-tests.js';
import { Tok } from './token-type.js';
import { identifierValue, stringValue } from './token-value.js';

const AT = 0x40;

/** Whether the lexer is on `@name` (a user variable), not on `@@name` (a system variable). */
export function atUserVariable(lx: Lexer): boolean {
  return isPunct(lx, AT) && lx.sql.charCodeAt(lx.start + 1) !== AT;
}

/**
 * Reads `@name`, `@'name'`, `@"name"` or `` @`name` `` and moves past it.
 * Returns the name lower-cased (user variables are case-insensitive), or
 * null, with the lexer on the offending token, when no name follows the
 * `@` directly.
 */
export function readUserVariable(lx: Lexer): string | null {
  const at = lx.start;
  lx.next();
  if (lx.start !== at + 1) return null;
  let name: string;
  if (lx.type === Tok.Word || lx.type === Tok.QuotedIdent) name = identifierValue(lx);
  else if (lx.type === Tok.String) name = stringValue(lx);
  else return null;
  lx.next();
  return name.toLowerCase();
}
