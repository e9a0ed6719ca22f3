import type { Lexer } from './lexer.js';
import { expectEnd, quoteOf, skipRest } from './statement-end.js';
import { syntaxErrorAt } from './syntax-error-at.js';
import { isIdentifier, isKeyword, isPunct } from './token-tests.js';
import { identifierValue, stringValue } from './token-value.js';
import { Tok } from './token-type.js';
import type { Statement } from './types.js';

const COMMA = 0x2c;

/** `SHOW WARNINGS [LIMIT ...]` and `SHOW GRANTS [FOR ...]` with the lexer on SHOW; other SHOWs are `other`. */
export function parseShow(lx: Lexer): Statement {
  lx.next();
  if (isKeyword(lx, 'GRANTS')) return parseShowGrants(lx);
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

const AT = 0x40;
const LPAREN = 0x28;
const RPAREN = 0x29;

/** `SHOW GRANTS [FOR CURRENT_USER[()] | 'user'[@'host']]`, with the lexer on GRANTS. */
function parseShowGrants(lx: Lexer): Statement {
  lx.next();
  let account: { user: string; host: string } | null = null;
  if (isKeyword(lx, 'FOR')) {
    lx.next();
    if (isKeyword(lx, 'CURRENT_USER')) {
      lx.next();
      if (isPunct(lx, LPAREN)) {
        lx.next();
        if (!isPunct(lx, RPAREN)) throw syntaxErrorAt(lx.sql, lx.start);
        lx.next();
      }
    } else {
      const user = accountPart(lx);
      let host = '%';
      if (isPunct(lx, AT)) {
        lx.next();
        host = accountPart(lx);
      }
      account = { user, host };
    }
  }
  expectEnd(lx);
  return { kind: 'show-grants', account };
}

/** A user or host name: quoted string, back-quoted or plain identifier. */
function accountPart(lx: Lexer): string {
  let value: string;
  if (lx.type === Tok.String) value = stringValue(lx);
  else if (isIdentifier(lx)) value = identifierValue(lx);
  else throw syntaxErrorAt(lx.sql, lx.start);
  lx.next();
  return value;
}
