import type { Lexer } from './lexer.js';
import { expectEnd, quoteOf, skipRest } from './statement-end.js';
import { isKeyword, isPunct } from './token-tests.js';
import type { Statement } from './types.js';

const COMMA = 0x2c;

/**
 * `FLUSH [LOCAL | NO_WRITE_TO_BINLOG] HOSTS | PRIVILEGES [, ...]` with the
 * lexer on FLUSH. Other flush options name things this server does not
 * have (tables, logs), so the statement is `other`.
 */
export function parseFlush(lx: Lexer): Statement {
  lx.next();
  if (isKeyword(lx, 'LOCAL') || isKeyword(lx, 'NO_WRITE_TO_BINLOG')) lx.next();
  const targets: Array<'hosts' | 'privileges'> = [];
  for (;;) {
    if (isKeyword(lx, 'HOSTS')) targets.push('hosts');
    else if (isKeyword(lx, 'PRIVILEGES')) targets.push('privileges');
    else {
      skipRest(lx);
      return { kind: 'other', keyword: 'FLUSH', near: quoteOf(lx) };
    }
    lx.next();
    if (!isPunct(lx, COMMA)) break;
    lx.next();
  }
  expectEnd(lx);
  return { kind: 'flush', targets };
}
