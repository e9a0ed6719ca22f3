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
 * An unquoted name runs on over identifier characters and dots (`@a.b`), as
 * MySQL lexes it. Returns the name lower-cased (user variables are
 * case-insensitive), '' when `keep` is false, or null, with the lexer on the
 * offending token, when no name follows the `@` directly.
 */
export function readUserVariable(lx: Lexer, keep = true): string | null {
  const at = lx.start;
  lx.next();
  if (lx.start !== at + 1) return null;
  let name: string;
  if (lx.type !== Tok.Word && lx.type !== Tok.QuotedIdent && lx.type !== Tok.String) return null;
  if (!keep) name = '';
  else if (lx.type === Tok.String) name = stringValue(lx).toLowerCase();
  else name = identifierValue(lx).toLowerCase();
  lx.next();
  return name;
}
