import type { Lexer } from './lexer.js';
import { Tok } from './token-type.js';
import { unescapeQuotedIdent, unescapeString } from './unescape.js';

/** The text of the current String or NString token. */
export function stringValue(lx: Lexer): string {
  const sql = lx.sql;
  const from = lx.type === Tok.NString ? lx.start + 2 : lx.start + 1;
  const to = lx.end - 1;
  if (!lx.escaped) return sql.slice(from, to);
  return unescapeString(sql, from, to, sql.charCodeAt(to));
}

/** The name held by the current Word or QuotedIdent token, case preserved. */
export function identifierValue(lx: Lexer): string {
  if (lx.type !== Tok.QuotedIdent) return lx.sql.slice(lx.start, lx.end);
  if (!lx.escaped) return lx.sql.slice(lx.start + 1, lx.end - 1);
  return unescapeQuotedIdent(lx.sql, lx.start + 1, lx.end - 1);
}
