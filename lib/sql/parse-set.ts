import { equalsUpper } from './char-codes.js';
import type { Expr } from './expression/ast.js';
import { ExpressionParser } from './expression/parse-expression.js';
import type { Lexer } from './lexer.js';
import { NOT_LITERAL, readLiteral } from './literal.js';
import { doubleValue } from './numeric-value.js';
import { SqlUnsupportedError } from './sql-syntax-error.js';
import { expectEnd, quoteOf, skipRest } from './statement-end.js';
import { syntaxErrorAt } from './syntax-error-at.js';
import { atStatementEnd, isIdentifier, isKeyword, isPunct, variableScope } from './token-tests.js';
import { Tok } from './token-type.js';
import { identifierValue, stringValue } from './token-value.js';
import type { SetAssignment, SetScope, SetValue, SqlValue, Statement } from './types.js';
import { atUserVariable, readUserVariable } from './user-variable.js';

const COMMA = 0x2c;
const DOT = 0x2e;
const COLON = 0x3a;
const EQUALS = 0x3d;
const AT = 0x40;
const PLUS = 0x2b;
const MINUS = 0x2d;

/**
 * Expression nodes one SET may keep. Literals are kept compact, but an
 * expression tree costs far more per character than the text it came from;
 * no client sends more than a few small expressions in a SET.
 */
export const MAX_SET_EXPRESSION_NODES = 4096;

// Words MySQL's grammar takes as a value of their own after `=` (set_expr_or_default).
const VALUE_WORDS: ReadonlyMap<string, SetValue> = new Map<string, SetValue>([
  ['ON', 'ON'],
  ['ALL', 'ALL'],
  ['BINARY', 'binary'],
  ['ROW', 'ROW'],
  ['SYSTEM', 'SYSTEM'],
  ['DEFAULT', { default: true }],
]);

// Of those, the ones an expression may start with: BINARY x, DEFAULT(col), ROW(...).
const EXPRESSION_WORDS: ReadonlySet<string> = new Set(['BINARY', 'DEFAULT', 'ROW']);

const ISOLATION_LEVELS = [
  ['REPEATABLE', 'READ', 'REPEATABLE-READ'],
  ['READ', 'COMMITTED', 'READ-COMMITTED'],
  ['READ', 'UNCOMMITTED', 'READ-UNCOMMITTED'],
] as const;

/** How much expression one SET has kept so far. */
interface Budget {
  nodes: number;
}

/**
 * `SET ...` with the lexer on SET, as MySQL's grammar reads it: user
 * variables (`@a = 1`, `@b := expr`), system variables with their scope
 * (`x = v`, `SESSION x = v`, `GLOBAL x = v`, `@@[scope.]x = v`; a scope
 * keyword holds for the assignments after it), `NAMES`, `CHARACTER SET`, and
 * `[scope] TRANSACTION ...` alone. Nothing is checked against the server's
 * variables here: the session does that when the SET runs, before it
 * assigns anything (MySQL reads every value first: `SET @a = 1, @b = @a`
 * gives @b the old @a). `SET PASSWORD`, `SET ROLE`, `SET DEFAULT ROLE` and
 * `SET RESOURCE GROUP` are `other`.
 */
export function parseSet(lx: Lexer): Statement {
  lx.next();
  if (atStatementEnd(lx)) throw syntaxErrorAt(lx.sql, lx.start);
  if (otherSetStatement(lx)) {
    skipRest(lx);
    return { kind: 'other', keyword: 'SET', near: quoteOf(lx) };
  }
  const userVariables: Array<[string, SqlValue]> = [];
  const assignments: SetAssignment[] = [];
  const budget: Budget = { nodes: 0 };
  let sticky: SetScope | undefined;
  let users = 0;
  for (let first = true; ; first = false) {
    const typed = readOptionType(lx);
    if (typed !== null) sticky = typed === 'session' ? undefined : typed;
    if (first && isKeyword(lx, 'TRANSACTION')) {
      lx.next();
      assignments.push(readTransaction(lx, typed ?? 'next'));
      break;
    }
    if (typed === null && isPunct(lx, AT)) {
      if (atUserVariable(lx)) {
        const name = readUserVariable(lx);
        if (name === null) throw syntaxErrorAt(lx.sql, lx.start);
        expectEquals(lx);
        const value = readUserValue(lx, budget);
        if (value === NOT_LITERAL) throw syntaxErrorAt(lx.sql, lx.start);
        if (isExpr(value)) assignments.push({ user: name, value: value.expr, at: users });
        else userVariables.push([name, value]);
        users++;
      } else {
        assignments.push(readSystemAssignment(lx, budget));
      }
    } else if (typed === null && isKeyword(lx, 'NAMES')) {
      assignments.push(readNames(lx));
    } else if (typed === null && atCharacterSet(lx)) {
      assignments.push({ charset: readCharsetName(lx, true) });
    } else {
      const name = readVariableName(lx);
      expectEquals(lx);
      const value = readSystemValue(lx, budget);
      assignments.push(sticky === undefined ? [name, value] : [name, value, sticky]);
    }
    if (!isPunct(lx, COMMA)) break;
    lx.next();
  }
  expectEnd(lx);
  const statement: Statement = { kind: 'set', userVariables };
  if (assignments.length > 0) statement.assignments = assignments;
  return statement;
}

/** SET PASSWORD, SET ROLE, SET DEFAULT ROLE, SET RESOURCE GROUP: statements of their own. */
function otherSetStatement(lx: Lexer): boolean {
  if (isKeyword(lx, 'PASSWORD') || isKeyword(lx, 'ROLE') || isKeyword(lx, 'RESOURCE')) {
    return true;
  }
  if (!isKeyword(lx, 'DEFAULT')) return false;
  const mark = lx.mark();
  lx.next();
  const role = isKeyword(lx, 'ROLE');
  lx.reset(mark);
  return role;
}

/** GLOBAL, SESSION, LOCAL, PERSIST or PERSIST_ONLY before an assignment; null when there is none. */
function readOptionType(lx: Lexer): SetScope | 'session' | null {
  let scope: SetScope | 'session' | null = null;
  if (isKeyword(lx, 'GLOBAL')) scope = 'global';
  else if (isKeyword(lx, 'SESSION') || isKeyword(lx, 'LOCAL')) scope = 'session';
  else if (isKeyword(lx, 'PERSIST')) scope = 'persist';
  else if (isKeyword(lx, 'PERSIST_ONLY')) scope = 'persist_only';
  if (scope !== null) lx.next();
  return scope;
}

/** `=` or `:=` (one token in MySQL: no blank inside). */
function expectEquals(lx: Lexer): void {
  if (isPunct(lx, COLON)) {
    const colon = lx.start;
    lx.next();
    if (!isPunct(lx, EQUALS) || lx.start !== colon + 1) throw syntaxErrorAt(lx.sql, colon);
  } else if (!isPunct(lx, EQUALS)) {
    throw syntaxErrorAt(lx.sql, lx.start);
  }
  lx.next();
}

/** `name` or `name.name` (a component's variable, or a key cache's), as written. */
function readVariableName(lx: Lexer): string {
  if (!isIdentifier(lx)) throw syntaxErrorAt(lx.sql, lx.start);
  let name = identifierValue(lx);
  lx.next();
  if (isPunct(lx, DOT)) {
    lx.next();
    if (!isIdentifier(lx)) throw syntaxErrorAt(lx.sql, lx.start);
    name += '.' + identifierValue(lx);
    lx.next();
  }
  return name;
}

/** `@@[scope.]name = value`, with the lexer on the first `@`; no blank may follow `@@` nor surround the scope's dot. */
function readSystemAssignment(lx: Lexer, budget: Budget): SetAssignment {
  const at = lx.start;
  lx.next();
  if (!isPunct(lx, AT) || lx.start !== at + 1) throw syntaxErrorAt(lx.sql, lx.start);
  lx.next();
  if (lx.type !== Tok.Word || lx.start !== at + 2) throw syntaxErrorAt(lx.sql, lx.start);
  let scope: SetScope | 'session' = 'unscoped';
  if (lx.dotFollows) {
    const written = scopeWord(lx);
    if (written !== null) {
      scope = written;
      lx.next();
      lx.next();
    }
  }
  const name = readVariableName(lx);
  expectEquals(lx);
  const value = readSystemValue(lx, budget);
  return scope === 'session' ? [name, value] : [name, value, scope];
}

function scopeWord(lx: Lexer): SetScope | 'session' | null {
  const scope = variableScope(lx);
  if (scope !== null) return scope;
  const { sql, start } = lx;
  const length = lx.end - start;
  if (length === 7 && equalsUpper(sql, start, 'PERSIST')) return 'persist';
  if (length === 12 && equalsUpper(sql, start, 'PERSIST_ONLY')) return 'persist_only';
  return null;
}

/** `NAMES {charset [COLLATE collation] | DEFAULT}`, lexer on NAMES. */
function readNames(lx: Lexer): SetAssignment {
  lx.next();
  const names = readCharsetName(lx, true);
  let collation: string | null = null;
  if (names !== null && isKeyword(lx, 'COLLATE')) {
    lx.next();
    collation = readCharsetName(lx, false);
  }
  return { names, collation };
}

/** CHARACTER SET, CHAR SET or CHARSET, moving past it when it is there. */
function atCharacterSet(lx: Lexer): boolean {
  if (isKeyword(lx, 'CHARSET')) {
    lx.next();
    return true;
  }
  if (!isKeyword(lx, 'CHARACTER') && !isKeyword(lx, 'CHAR')) return false;
  lx.next();
  if (!isKeyword(lx, 'SET')) throw syntaxErrorAt(lx.sql, lx.start);
  lx.next();
  return true;
}

/** A character set or collation name: identifier, string or BINARY; DEFAULT (null) where allowed. */
function readCharsetName(lx: Lexer, orDefault: boolean): string | null {
  let name: string | null;
  if (orDefault && isKeyword(lx, 'DEFAULT')) name = null;
  else if (isKeyword(lx, 'BINARY')) name = 'binary';
  else if (lx.type === Tok.String) name = stringValue(lx);
  else if (isIdentifier(lx)) name = identifierValue(lx);
  else throw syntaxErrorAt(lx.sql, lx.start);
  lx.next();
  return name;
}

/** Transaction characteristics after TRANSACTION: an access mode and an isolation level, each at most once. */
function readTransaction(lx: Lexer, scope: SetScope | 'session' | 'next'): SetAssignment {
  // MySQL's grammar has no PERSIST TRANSACTION (nor PERSIST_ONLY).
  if (scope === 'persist' || scope === 'persist_only' || scope === 'unscoped') {
    throw syntaxErrorAt(lx.sql, lx.start);
  }
  let isolation: string | null = null;
  let readOnly: boolean | null = null;
  for (;;) {
    if (isKeyword(lx, 'ISOLATION') && isolation === null) {
      lx.next();
      expectKeyword(lx, 'LEVEL');
      isolation = readIsolationLevel(lx);
    } else if (isKeyword(lx, 'READ') && readOnly === null) {
      lx.next();
      if (isKeyword(lx, 'ONLY')) readOnly = true;
      else if (isKeyword(lx, 'WRITE')) readOnly = false;
      else throw syntaxErrorAt(lx.sql, lx.start);
      lx.next();
    } else {
      throw syntaxErrorAt(lx.sql, lx.start);
    }
    if (!isPunct(lx, COMMA) || (isolation !== null && readOnly !== null)) break;
    lx.next();
  }
  return { transaction: scope, isolation, readOnly };
}

function readIsolationLevel(lx: Lexer): string {
  if (isKeyword(lx, 'SERIALIZABLE')) {
    lx.next();
    return 'SERIALIZABLE';
  }
  for (const [first, second, name] of ISOLATION_LEVELS) {
    if (!isKeyword(lx, first)) continue;
    lx.next();
    if (first === 'READ' && !isKeyword(lx, second)) {
      if (isKeyword(lx, 'UNCOMMITTED')) {
        lx.next();
        return 'READ-UNCOMMITTED';
      }
      throw syntaxErrorAt(lx.sql, lx.start);
    }
    expectKeyword(lx, second);
    return name;
  }
  throw syntaxErrorAt(lx.sql, lx.start);
}

function expectKeyword(lx: Lexer, upper: string): void {
  if (!isKeyword(lx, upper)) throw syntaxErrorAt(lx.sql, lx.start);
  lx.next();
}

/** The value of `@name = ...`: a literal, read now (`@b` included), or an expression to evaluate. */
function readUserValue(lx: Lexer, budget: Budget): SqlValue | { expr: Expr } | typeof NOT_LITERAL {
  if (atStatementEnd(lx)) return NOT_LITERAL;
  const mark = lx.mark();
  const value = readLiteral(lx);
  if (value !== NOT_LITERAL && atValueEnd(lx)) return value;
  lx.reset(mark);
  return { expr: readExpression(lx, budget) };
}

/**
 * The value of a system variable assignment. Literals keep their SQL type
 * (an integer, a DECIMAL, a string...), which decides whether the variable
 * takes them; a bare name is its text, as MySQL reads `SET x = name`.
 */
function readSystemValue(lx: Lexer, budget: Budget): SetValue {
  if (atStatementEnd(lx)) throw syntaxErrorAt(lx.sql, lx.start);
  const mark = lx.mark();
  const word = valueWord(lx);
  if (word !== null) {
    lx.next();
    if (atValueEnd(lx)) return word[1];
    // ON, ALL and SYSTEM start no expression: what follows them is the error.
    if (!EXPRESSION_WORDS.has(word[0])) throw syntaxErrorAt(lx.sql, lx.start);
    lx.reset(mark);
  }
  const value = readSystemLiteral(lx);
  if (value !== NOT_LITERAL && atValueEnd(lx)) return value;
  lx.reset(mark);
  const expr = readExpression(lx, budget);
  if (expr.kind === 'column' && expr.table === null) return expr.name;
  return { expr };
}

/** The VALUE_WORDS entry of the keyword at the lexer, or null. */
function valueWord(lx: Lexer): readonly [string, SetValue] | null {
  if (lx.type !== Tok.Word || !lx.keyword) return null;
  for (const entry of VALUE_WORDS) if (isKeyword(lx, entry[0])) return entry;
  return null;
}

/** A literal or a bare name at the lexer, or NOT_LITERAL (the lexer may have moved). */
function readSystemLiteral(lx: Lexer): SetValue | typeof NOT_LITERAL {
  if (isPunct(lx, MINUS) || isPunct(lx, PLUS) || isNumber(lx)) return readNumber(lx);
  if (isPunct(lx, AT)) return NOT_LITERAL;
  const value = readLiteral(lx);
  if (value !== NOT_LITERAL) return typeof value === 'boolean' ? (value ? 1 : 0) : value;
  if ((lx.type === Tok.Word && !lx.dotFollows && isIdentifier(lx)) || lx.type === Tok.QuotedIdent) {
    const name = identifierValue(lx);
    lx.next();
    return name;
  }
  return NOT_LITERAL;
}

const isNumber = (lx: Lexer): boolean =>
  lx.type === Tok.Integer || lx.type === Tok.Decimal || lx.type === Tok.Float;

const UINT64_MAX = 2n ** 64n - 1n;
const INT64_MIN = -(2n ** 63n);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MAX_DECIMAL_DIGITS = 65;
// Integers of up to 15 digits are exact as doubles.
const FAST_DIGITS = 15;

/** A signed number: an integer as MySQL types it (beyond 64 bits it is DECIMAL), else `{ real }`. */
function readNumber(lx: Lexer): SetValue | typeof NOT_LITERAL {
  let negative = false;
  while (isPunct(lx, MINUS) || isPunct(lx, PLUS)) {
    if (isPunct(lx, MINUS)) negative = !negative;
    lx.next();
  }
  if (!isNumber(lx)) return NOT_LITERAL;
  const text = lx.sql.slice(lx.start, lx.end);
  const sign = negative ? '-' : '';
  if (lx.type === Tok.Float) doubleValue(lx.sql, lx.start, lx.end);
  let value: SetValue;
  if (lx.type !== Tok.Integer) {
    value = { real: sign + text };
  } else if (text.length <= FAST_DIGITS) {
    const n = Number(text);
    value = negative && n !== 0 ? -n : n;
  } else {
    // Past 65 digits MySQL reads a number as a DOUBLE, and BigInt would parse slowly.
    const big = text.length > MAX_DECIMAL_DIGITS ? null : negative ? -BigInt(text) : BigInt(text);
    if (big === null || big > UINT64_MAX || big < INT64_MIN) value = { real: sign + text };
    else value = big >= -MAX_SAFE && big <= MAX_SAFE ? Number(big) : big;
  }
  lx.next();
  return value;
}

/** Any expression, counted against the SET's budget. */
function readExpression(lx: Lexer, budget: Budget): Expr {
  const parser = new ExpressionParser(lx);
  const expr = parser.expression();
  budget.nodes += parser.nodes + 1;
  if (budget.nodes > MAX_SET_EXPRESSION_NODES) {
    throw new SqlUnsupportedError(`SET values of more than ${MAX_SET_EXPRESSION_NODES} terms`);
  }
  return expr;
}

const atValueEnd = (lx: Lexer): boolean => atStatementEnd(lx) || isPunct(lx, COMMA);

const isExpr = (value: SqlValue | { expr: Expr }): value is { expr: Expr } =>
  value !== null && typeof value === 'object' && 'expr' in value;
