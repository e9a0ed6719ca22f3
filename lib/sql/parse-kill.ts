import { UnsupportedExpressionError } from './expression/errors.js';
import { parseExpression } from './expression/parse-expression.js';
import type { Lexer } from './lexer.js';
import { expectEnd, quoteOf, skipRest } from './statement-end.js';
import { isKeyword } from './token-tests.js';
import type { Statement } from './types.js';

/**
 * `KILL [CONNECTION | QUERY] expr`, with the lexer on KILL. As in MySQL's
 * grammar, a CONNECTION or QUERY right after KILL is always the option,
 * never a column of that name, so `KILL QUERY` alone is a syntax error at
 * its end. An expression the evaluator does not run (a subquery, `?`)
 * makes the statement `other`, as for SELECT.
 */
export function parseKill(lx: Lexer): Statement {
  const mark = lx.mark();
  lx.next();
  let target: 'connection' | 'query' = 'connection';
  if (isKeyword(lx, 'QUERY')) target = 'query';
  if (target === 'query' || isKeyword(lx, 'CONNECTION')) lx.next();
  try {
    const id = parseExpression(lx);
    expectEnd(lx);
    return { kind: 'kill', target, id };
  } catch (error) {
    if (!(error instanceof UnsupportedExpressionError)) throw error;
    lx.reset(mark);
    skipRest(lx);
    return { kind: 'other', keyword: 'KILL', near: quoteOf(lx) };
  }
}
