import type { Lexer } from './lexer.js';
import { NOT_LITERAL, readLiteral } from './literal.js';
import { expectEnd } from './statement-end.js';
import { SqlUnsupportedError } from './sql-syntax-error.js';
import { syntaxErrorAt } from './syntax-error-at.js';
import { doubleValue } from './numeric-value.js';
import { atStatementEnd, isPunct } from './token-tests.js';
import { Tok } from './token-type.js';
import type { SqlValue, Statement } from './types.js';
import { atUserVariable, readUserVariable } from './user-variable.js';

const LPAREN = 0x28;
const RPAREN = 0x29;
const COMMA = 0x2c;
const COLON = 0x3a;
const EQUALS = 0x3d;

/**
 * `SET ...` with the lexer on SET. Assignments of literals to user
 * variables (`@a = 1`, `@b := 'x'`, `@c = @a`) are returned in order,
 * because drivers pass procedure arguments that way (PyMySQL's callproc);
 * an expression there throws SqlUnsupportedError. As in MySQL, every value
 * is read before any is assigned: `SET @a = 1, @b = @a` gives @b the old @a.
 * Every other assignment (NAMES, autocommit, sql_mode...) is skipped up to
 * the next top-level comma.
 */
export function parseSet(lx: Lexer): Statement {
  lx.next();
  if (atStatementEnd(lx)) throw syntaxErrorAt(lx.sql, lx.start);
  const userVariables: Array<[string, SqlValue]> = [];
  for (;;) {
    if (atUserVariable(lx)) readUserAssignment(lx, userVariables);
    else skipAssignment(lx);
    if (!isPunct(lx, COMMA)) break;
    lx.next();
  }
  expectEnd(lx);
  return { kind: 'set', userVariables };
}

function readUserAssignment(lx: Lexer, out: Array<[string, SqlValue]>): void {
  const name = readUserVariable(lx);
  if (name === null) throw syntaxErrorAt(lx.sql, lx.start);
  if (isPunct(lx, COLON)) lx.next();
  if (!isPunct(lx, EQUALS)) throw syntaxErrorAt(lx.sql, lx.start);
  lx.next();
  if (atStatementEnd(lx)) throw syntaxErrorAt(lx.sql, lx.start);
  const value = readLiteral(lx);
  if (value !== NOT_LITERAL && (atStatementEnd(lx) || isPunct(lx, COMMA))) {
    out.push([name, value]);
    return;
  }
  // Silently keeping the old value would be wrong, and MySQL would evaluate it.
  throw new SqlUnsupportedError('expressions in SET @variable');
}

/** Skips tokens up to a comma outside parentheses, or the end of the statement. */
function skipAssignment(lx: Lexer): void {
  let depth = 0;
  while (!atStatementEnd(lx)) {
    // MySQL refuses an out-of-range double while parsing, whatever it is assigned to.
    if (lx.type === Tok.Float) doubleValue(lx.sql, lx.start, lx.end);
    if (isPunct(lx, LPAREN)) depth++;
    else if (isPunct(lx, RPAREN)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && isPunct(lx, COMMA)) return;
    lx.next();
  }
}
