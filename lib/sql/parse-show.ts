import type { Lexer } from './lexer.js';
import { expectEnd, quoteOf, skipRest } from './statement-end.js';
import { syntaxErrorAt } from './syntax-error-at.js';
import { isKeyword, isPunct } from './token-tests.js';
import { Tok } from './token-type.js';
import type { Statement } from './types.js';

const COMMA = 0x2c;

/** `SHOW WARNINGS [LIMIT [offset,] count | LIMIT count OFFSET offset]` with the lexer on SHOW; other SHOWs are `other`. */
export function parseShow(lx: Lexer): Statement {
  lx.next();
  if (!isKeyword(lx, 'WARNINGS')) {
    skipRest(lx);
    return { kind: 'other', keyword: 'SHOW', near: quoteOf(lx.sql) };
  }
  lx.next();
  if (isKeyword(lx, 'LIMIT')) {
    lx.next();
    expectInteger(lx);
    if (isPunct(lx, COMMA) || isKeyword(lx, 'OFFSET')) {
      lx.next();
      expectInteger(lx);
    }
  }
  expectEnd(lx);
  return { kind: 'show-warnings' };
}

function expectInteger(lx: Lexer): void {
  if (lx.type !== Tok.Integer) throw syntaxErrorAt(lx.sql, lx.start);
  lx.next();
}
