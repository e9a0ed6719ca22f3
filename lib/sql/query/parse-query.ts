import { isIdentChar } from '../char-codes.js';
import { columnName } from '../column-name.js';
import type { Expr } from '../expression/ast.js';
import { UnsupportedExpressionError } from '../expression/errors.js';
import { ExpressionParser } from '../expression/parse-expression.js';
import type { Lexer } from '../lexer.js';
import { MAX_SELECT_ITEMS } from '../limits.js';
import { expectEnd } from '../statement-end.js';
import { atStatementEnd, isIdentifier, isKeyword, isPunct } from '../token-tests.js';
import { Tok } from '../token-type.js';
import { identifierValue, stringValue } from '../token-value.js';
import type { OrderItem, SelectListItem, SelectQuery, TableRef } from './ast.js';

const LPAREN = 0x28;
const STAR = 0x2a;
const COMMA = 0x2c;
const DOT = 0x2e;

/** What may follow the select list, FROM and the other clauses but is not evaluated here. */
const UNSUPPORTED_TAILS: ReadonlyMap<string, string> = new Map([
  ['UNION', 'UNION'],
  ['EXCEPT', 'EXCEPT'],
  ['INTERSECT', 'INTERSECT'],
  ['INTO', 'SELECT ... INTO'],
  ['FOR', 'locking reads'],
  ['LOCK', 'locking reads'],
  ['WINDOW', 'window functions'],
  ['JOIN', 'joins'],
  ['INNER', 'joins'],
  ['LEFT', 'joins'],
  ['RIGHT', 'joins'],
  ['CROSS', 'joins'],
  ['NATURAL', 'joins'],
  ['STRAIGHT_JOIN', 'joins'],
]);

/**
 * `SELECT [ALL | DISTINCT] items [FROM [schema.]table [[AS] alias] | DUAL] [WHERE ..]
 * [GROUP BY ..] [HAVING ..] [ORDER BY ..] [LIMIT ..]`, with the lexer on SELECT. Throws
 * ExpressionSyntaxError or UnsupportedExpressionError for anything else (joins, subqueries,
 * UNION, modifiers), which the caller leaves to the server's answer to unknown statements;
 * lexical errors pass through.
 */
export function parseQuery(lx: Lexer): SelectQuery {
  const p = new ExpressionParser(lx);
  lx.next();
  let distinct = false;
  if (isKeyword(lx, 'DISTINCT') || isKeyword(lx, 'DISTINCTROW')) {
    distinct = true;
    lx.next();
  } else if (isKeyword(lx, 'ALL')) {
    lx.next();
  }
  if (lx.type === Tok.Word && lx.keyword && /^(SQL_|HIGH_PRIORITY|STRAIGHT_JOIN)/i.test(word(lx))) {
    throw new UnsupportedExpressionError('SELECT options');
  }
  const items: SelectListItem[] = [];
  for (;;) {
    if (items.length === MAX_SELECT_ITEMS) {
      throw new UnsupportedExpressionError('select lists this long');
    }
    items.push(selectItem(p));
    if (!isPunct(lx, COMMA)) break;
    lx.next();
  }
  const from = fromClause(p);
  let where: Expr | null = null;
  if (isKeyword(lx, 'WHERE')) {
    lx.next();
    where = p.expression();
  }
  let groupBy: OrderItem[] = [];
  if (isKeyword(lx, 'GROUP')) {
    lx.next();
    p.expectKeyword('BY');
    groupBy = orderList(p);
    if (isKeyword(lx, 'WITH')) throw new UnsupportedExpressionError('WITH ROLLUP');
  }
  let having: Expr | null = null;
  if (isKeyword(lx, 'HAVING')) {
    lx.next();
    having = p.expression();
  }
  let orderBy: OrderItem[] = [];
  if (isKeyword(lx, 'ORDER')) {
    lx.next();
    p.expectKeyword('BY');
    orderBy = orderList(p);
  }
  const limit = limitClause(p);
  if (!atStatementEnd(lx)) {
    const feature =
      lx.type === Tok.Word ? UNSUPPORTED_TAILS.get(word(lx).toUpperCase()) : undefined;
    if (feature !== undefined) throw new UnsupportedExpressionError(feature);
    p.fail();
  }
  expectEnd(lx);
  return { distinct, items, from, where, groupBy, having, orderBy, limit, nodes: p.nodes };
}

function word(lx: Lexer): string {
  return lx.sql.slice(lx.start, lx.end);
}

/** The offset of the next character after `from` that is not a blank. */
function skipBlanks(sql: string, from: number): number {
  let p = from;
  for (let c = sql.charCodeAt(p); c === 0x20 || (c >= 0x09 && c <= 0x0d); c = sql.charCodeAt(++p));
  return p;
}

/** Whether `name . *` starts at the current identifier (one or two names before the star). */
function starFollows(lx: Lexer): boolean {
  if (!isIdentifier(lx)) return false;
  const sql = lx.sql;
  let p = skipBlanks(sql, lx.end);
  for (let parts = 0; parts < 2; parts++) {
    if (sql.charCodeAt(p) !== DOT) return false;
    p = skipBlanks(sql, p + 1);
    if (sql.charCodeAt(p) === STAR) return true;
    // Another name: back-quoted or plain.
    if (sql.charCodeAt(p) === 0x60) {
      const close = sql.indexOf('`', p + 1);
      if (close < 0) return false;
      p = skipBlanks(sql, close + 1);
    } else {
      const start = p;
      while (isIdentChar(sql.charCodeAt(p))) p++;
      if (p === start) return false;
      p = skipBlanks(sql, p);
    }
  }
  return false;
}

function selectItem(p: ExpressionParser): SelectListItem {
  const lx = p.lx;
  if (isPunct(lx, STAR)) {
    lx.next();
    return { kind: 'star', qualifier: null };
  }
  if (starFollows(lx)) {
    const names = [identifierValue(lx)];
    lx.next();
    p.expectPunct(DOT);
    while (!isPunct(lx, STAR)) {
      if (!isIdentifier(lx)) p.fail();
      names.push(identifierValue(lx));
      lx.next();
      p.expectPunct(DOT);
    }
    lx.next();
    const table = names[names.length - 1]!;
    return { kind: 'star', qualifier: { schema: names.length > 1 ? names[0]! : null, table } };
  }
  const start = lx.start;
  p.lastString = null;
  p.lastPlusNumber = -1;
  const expr = p.expression();
  const end = lx.prevEnd;
  const alias = readAlias(p);
  // Set while the expression was read (TypeScript cannot see that through the call).
  const lastString = p.lastString as { start: number; value: string } | null;
  let column: string;
  if (alias !== null) column = columnName(alias, true);
  else if (expr.kind === 'string' && lastString?.start === start) {
    column = columnName(lastString.value, false);
  } else if (expr.kind === 'null') column = 'NULL';
  else {
    const from = p.lastPlusNumber >= 0 && isNumber(expr) ? p.lastPlusNumber : start;
    column = columnName(lx.sql.slice(from, end), false);
  }
  return { kind: 'expr', expr, column, alias };
}

function isNumber(expr: Expr): boolean {
  return expr.kind === 'int' || expr.kind === 'decimal' || expr.kind === 'double';
}

/** `[AS] alias` after an item: an identifier or a string; null when there is none. */
function readAlias(p: ExpressionParser): string | null {
  const lx = p.lx;
  if (isKeyword(lx, 'AS')) {
    lx.next();
    if (lx.type !== Tok.String && !isIdentifier(lx)) p.fail();
  } else if (
    lx.type !== Tok.String &&
    !(isIdentifier(lx) && !(lx.type === Tok.Word && lx.dotFollows))
  ) {
    return null;
  }
  const alias = lx.type === Tok.String ? stringValue(lx) : identifierValue(lx);
  lx.next();
  if (lx.type === Tok.String) p.fail();
  return alias;
}

function fromClause(p: ExpressionParser): TableRef | null {
  const lx = p.lx;
  if (!isKeyword(lx, 'FROM')) return null;
  lx.next();
  if (isKeyword(lx, 'DUAL')) {
    lx.next();
    return null;
  }
  if (isPunct(lx, LPAREN)) throw new UnsupportedExpressionError('derived tables');
  if (!isIdentifier(lx)) p.fail();
  let name = identifierValue(lx);
  let schema: string | null = null;
  lx.next();
  if (isPunct(lx, DOT)) {
    lx.next();
    if (!isIdentifier(lx)) p.fail();
    schema = name;
    name = identifierValue(lx);
    lx.next();
  }
  let alias: string | null = null;
  if (isKeyword(lx, 'AS')) {
    lx.next();
    if (!isIdentifier(lx)) p.fail();
    alias = identifierValue(lx);
    lx.next();
  } else if (isIdentifier(lx) && !isClauseWord(lx)) {
    alias = identifierValue(lx);
    lx.next();
  }
  if (isPunct(lx, COMMA)) throw new UnsupportedExpressionError('joins');
  if (isKeyword(lx, 'USE') || isKeyword(lx, 'FORCE') || isKeyword(lx, 'IGNORE')) {
    throw new UnsupportedExpressionError('index hints');
  }
  return { schema, name, alias };
}

/** Non-reserved words that end a table reference rather than alias it. */
function isClauseWord(lx: Lexer): boolean {
  return lx.type === Tok.Word && lx.keyword && /^(WINDOW|LOCK|OFFSET)$/i.test(word(lx));
}

function orderList(p: ExpressionParser): OrderItem[] {
  const lx = p.lx;
  const out: OrderItem[] = [];
  for (;;) {
    const expr = p.expression();
    let descending = false;
    if (isKeyword(lx, 'DESC')) {
      descending = true;
      lx.next();
    } else if (isKeyword(lx, 'ASC')) {
      lx.next();
    }
    out.push({ expr, descending });
    if (!isPunct(lx, COMMA)) return out;
    lx.next();
  }
}

function limitClause(p: ExpressionParser): SelectQuery['limit'] {
  const lx = p.lx;
  if (!isKeyword(lx, 'LIMIT')) return null;
  lx.next();
  let count = limitNumber(p);
  let offset = 0;
  if (isPunct(lx, COMMA)) {
    lx.next();
    offset = count;
    count = limitNumber(p);
  } else if (isKeyword(lx, 'OFFSET')) {
    lx.next();
    offset = limitNumber(p);
  }
  return { count, offset };
}

/** A LIMIT or OFFSET number; larger ones than any table has are all the same. */
function limitNumber(p: ExpressionParser): number {
  const lx = p.lx;
  if (lx.type !== Tok.Integer) {
    if (isPunct(lx, 0x3f)) throw new UnsupportedExpressionError('placeholders');
    p.fail();
  }
  const text = word(lx);
  lx.next();
  return text.length > 15 ? Number.MAX_SAFE_INTEGER : Number(text);
}
