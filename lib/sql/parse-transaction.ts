import type { Lexer } from './lexer.js';
import { expectEnd, quoteOf, skipRest } from './statement-end.js';
import { syntaxErrorAt } from './syntax-error-at.js';
import { atStatementEnd, isKeyword, isPunct } from './token-tests.js';
import type { Statement } from './types.js';

const COMMA = 0x2c;

// START TRANSACTION options as MySQL's grammar ORs them together.
const WITH_CONSISTENT_SNAPSHOT = 1;
const READ_ONLY = 2;
const READ_WRITE = 4;

/** `START TRANSACTION [option [, option]...]` with the lexer on START; other START statements are `other`. */
export function parseStart(lx: Lexer): Statement {
  lx.next();
  if (!isKeyword(lx, 'TRANSACTION')) {
    skipRest(lx);
    return { kind: 'other', keyword: 'START', near: quoteOf(lx) };
  }
  lx.next();
  let options = 0;
  if (!atStatementEnd(lx)) {
    for (;;) {
      options |= readStartOption(lx);
      if (!isPunct(lx, COMMA)) break;
      lx.next();
    }
  }
  // Repeating an option is harmless, but MySQL's grammar action refuses both access modes,
  // as a syntax error at the token after the list.
  if ((options & READ_ONLY) !== 0 && (options & READ_WRITE) !== 0) {
    throw syntaxErrorAt(lx.sql, lx.start);
  }
  expectEnd(lx);
  return { kind: 'transaction', action: 'begin' };
}

/** WITH CONSISTENT SNAPSHOT | READ ONLY | READ WRITE, as its flag. */
function readStartOption(lx: Lexer): number {
  if (isKeyword(lx, 'WITH')) {
    lx.next();
    expectKeyword(lx, 'CONSISTENT');
    expectKeyword(lx, 'SNAPSHOT');
    return WITH_CONSISTENT_SNAPSHOT;
  }
  if (!isKeyword(lx, 'READ')) throw syntaxErrorAt(lx.sql, lx.start);
  lx.next();
  if (isKeyword(lx, 'ONLY')) {
    lx.next();
    return READ_ONLY;
  }
  expectKeyword(lx, 'WRITE');
  return READ_WRITE;
}

/** `BEGIN [WORK]` with the lexer on BEGIN. */
export function parseBegin(lx: Lexer): Statement {
  lx.next();
  if (isKeyword(lx, 'WORK')) lx.next();
  expectEnd(lx);
  return { kind: 'transaction', action: 'begin' };
}

// ROLLBACK [WORK] TO [SAVEPOINT] name is `other`: it does not end the transaction.
/** `COMMIT|ROLLBACK [WORK] [AND [NO] CHAIN] [[NO] RELEASE]` with the lexer on the verb. */
export function parseCommitOrRollback(lx: Lexer, action: 'commit' | 'rollback'): Statement {
  lx.next();
  if (isKeyword(lx, 'WORK')) lx.next();
  if (action === 'rollback' && isKeyword(lx, 'TO')) {
    skipRest(lx);
    return { kind: 'other', keyword: 'ROLLBACK', near: quoteOf(lx) };
  }
  let chain = false;
  if (isKeyword(lx, 'AND')) {
    lx.next();
    chain = !isKeyword(lx, 'NO');
    if (!chain) lx.next();
    expectKeyword(lx, 'CHAIN');
  }
  let release = false;
  if (isKeyword(lx, 'NO')) {
    lx.next();
    expectKeyword(lx, 'RELEASE');
  } else if (isKeyword(lx, 'RELEASE')) {
    lx.next();
    release = true;
  }
  // MySQL's grammar action rejects AND CHAIN with RELEASE, at the token after them.
  if (chain && release) throw syntaxErrorAt(lx.sql, lx.start);
  expectEnd(lx);
  return { kind: 'transaction', action };
}

function expectKeyword(lx: Lexer, upper: string): void {
  if (!isKeyword(lx, upper)) throw syntaxErrorAt(lx.sql, lx.start);
  lx.next();
}
