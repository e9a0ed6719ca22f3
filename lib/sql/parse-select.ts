import { columnName } from './column-name.js';
import { ExpressionSyntaxError, UnsupportedExpressionError } from './expression/errors.js';
import type { Lexer } from './lexer.js';
import { TooManySelectItemsError } from './limit-errors.js';
import { MAX_SELECT_ITEMS } from './limits.js';
import { NOT_LITERAL, readLiteral, type LiteralInfo } from './literal.js';
import { parseQuery } from './query/parse-query.js';
import { expectEnd, quoteOf, skipRest } from './statement-end.js';
import { atStatementEnd, isIdentifier, isKeyword, isPunct, variableScope } from './token-tests.js';
import { Tok } from './token-type.js';
import { identifierValue, stringValue } from './token-value.js';
import type { SelectItem, Statement } from './types.js';
import { atUserVariable } from './user-variable.js';

const LPAREN = 0x28;
const RPAREN = 0x29;
const COMMA = 0x2c;
const AT = 0x40;

// Session functions clients call on connect; none takes arguments.
const FUNCTIONS = [
  'DATABASE',
  'SCHEMA',
  'USER',
  'CURRENT_USER',
  'SESSION_USER',
  'SYSTEM_USER',
  'VERSION',
  'CONNECTION_ID',
  'LAST_INSERT_ID',
  'NOW',
] as const;

type SelectExpr = SelectItem['expr'];

// Stands for an item read past MAX_SELECT_ITEMS, which is checked but not built.
const UNKEPT: unique symbol = Symbol('unkept item');

/**
 * A SELECT, with the lexer on SELECT: first as the simple SELECT clients send on connect
 * (`select`, evaluated without an expression tree), else as a query the evaluator answers
 * (`query`: expressions, one information_schema table, WHERE, ORDER BY...), else `other`,
 * which is not judged here: the server answers what it cannot evaluate as it answers
 * unknown statements. Lexical errors are final either way.
 */
export function parseSelect(lx: Lexer): Statement {
  // The lexer as it is on SELECT, to read the statement again if the simple form fails.
  const start = lx.mark();
  const simple = parseSimpleSelect(lx);
  if (simple !== null) return simple;
  lx.reset(start);
  try {
    return { kind: 'query', query: parseQuery(lx) };
  } catch (error) {
    if (!(error instanceof ExpressionSyntaxError || error instanceof UnsupportedExpressionError)) {
      throw error;
    }
    return otherSelect(lx);
  }
}

/** `SELECT item [, item]... [FROM DUAL] [LIMIT n]` of variables, session functions and literals, or null. */
function parseSimpleSelect(lx: Lexer): Statement | null {
  lx.next();
  const items: SelectItem[] = [];
  let count = 1;
  for (; ; count++) {
    const item = readItem(lx, count <= MAX_SELECT_ITEMS);
    if (item === null) return null;
    if (item !== UNKEPT) items.push(item);
    if (!isPunct(lx, COMMA)) break;
    lx.next();
  }
  if (isKeyword(lx, 'FROM')) {
    lx.next();
    if (!isKeyword(lx, 'DUAL')) return null;
    lx.next();
  }
  let limit: number | null = null;
  if (isKeyword(lx, 'LIMIT')) {
    lx.next();
    if (lx.type !== Tok.Integer) return null;
    limit = Number(lx.sql.slice(lx.start, lx.end));
    lx.next();
  }
  if (!atStatementEnd(lx)) return null;
  expectEnd(lx);
  if (count > MAX_SELECT_ITEMS) throw new TooManySelectItemsError();
  return { kind: 'select', items, limit };
}

function otherSelect(lx: Lexer): Statement {
  skipRest(lx);
  return { kind: 'other', keyword: 'SELECT', near: quoteOf(lx) };
}

/** One item, or null when it is not one this parser knows; with `keep` false it is only checked. */
function readItem(lx: Lexer, keep: boolean): SelectItem | typeof UNKEPT | null {
  const start = lx.start;
  const info: LiteralInfo | undefined = keep
    ? { stringName: null, plusNumberStart: -1 }
    : undefined;
  const userVariable = atUserVariable(lx);
  let expr: SelectExpr | typeof UNKEPT | null;
  if (isPunct(lx, AT) && !userVariable) {
    expr = readVariable(lx, keep);
  } else {
    const name = functionName(lx);
    if (name !== null) {
      expr = readFunction(lx, name);
    } else {
      const value = readLiteral(lx, info, keep);
      if (value === NOT_LITERAL) expr = null;
      else expr = keep ? { type: 'literal', value } : UNKEPT;
    }
  }
  if (expr === null) return null;
  const alias = readAlias(lx, keep);
  if (alias === undefined) return null;
  if (expr === UNKEPT || !keep) return UNKEPT;
  let column: string;
  if (alias !== null) column = columnName(alias, true);
  else if (info !== undefined && info.stringName !== null)
    column = columnName(info.stringName, false);
  // MySQL names a NULL literal 'NULL' however it was spelled (null, \N); an unset @var keeps its name.
  else if (expr.type === 'literal' && expr.value === null && !userVariable) column = 'NULL';
  else {
    const from = info !== undefined && info.plusNumberStart >= 0 ? info.plusNumberStart : start;
    column = columnName(lx.sql.slice(from, lx.prevEnd), false);
  }
  return { expr, column };
}

/** `@@name` or `@@scope.name`, written without blanks as MySQL requires. */
function readVariable(lx: Lexer, keep: boolean): SelectExpr | typeof UNKEPT | null {
  const at = lx.start;
  lx.next();
  if (!isPunct(lx, AT) || lx.start !== at + 1) return null;
  lx.next();
  if (lx.type !== Tok.Word || lx.start !== at + 2) return null;
  let scope: 'session' | 'global' | null = null;
  if (lx.dotFollows) {
    scope = variableScope(lx);
    if (scope === null) return null;
    lx.next();
    lx.next();
    // A further `.part` is a component variable, which the server does not know.
    if (lx.dotFollows) return null;
  }
  const name = keep ? lx.sql.slice(lx.start, lx.end).toLowerCase() : '';
  lx.next();
  return keep ? { type: 'variable', scope, name } : UNKEPT;
}

function functionName(lx: Lexer): string | null {
  if (lx.type !== Tok.Word || !lx.keyword) return null;
  for (const name of FUNCTIONS) if (isKeyword(lx, name)) return name;
  return null;
}

/** `name()`; CURRENT_USER may also go without parentheses. */
function readFunction(lx: Lexer, name: string): SelectExpr | null {
  lx.next();
  if (isPunct(lx, LPAREN)) {
    lx.next();
    if (!isPunct(lx, RPAREN)) return null;
    lx.next();
  } else if (name !== 'CURRENT_USER') {
    return null;
  }
  return { type: 'function', name };
}

/** The alias after an item ('' when not kept): null when there is none, undefined when what follows is not one. */
function readAlias(lx: Lexer, keep: boolean): string | null | undefined {
  if (isKeyword(lx, 'AS')) {
    lx.next();
    if (!isAliasToken(lx)) return undefined;
  } else if (!isAliasToken(lx) || (lx.type === Tok.Word && lx.dotFollows)) {
    return null;
  }
  let alias = '';
  if (keep) alias = lx.type === Tok.String ? stringValue(lx) : identifierValue(lx);
  lx.next();
  return alias;
}

function isAliasToken(lx: Lexer): boolean {
  return lx.type === Tok.String || isIdentifier(lx);
}
