import { Buffer } from 'node:buffer';
import { introducerCharset } from '../charsets.js';
import { bitBytes, doubleValue, hexBytes } from '../numeric-value.js';
import { isIdentifier, isKeyword, isPunct, variableScope } from '../token-tests.js';
import { Tok } from '../token-type.js';
import { identifierValue, stringValue } from '../token-value.js';
import { readUserVariable } from '../user-variable.js';
import type { Expr, VariableScope } from './ast.js';
import { UnsupportedExpressionError } from './errors.js';
import type { ExpressionParser } from './parse-expression.js';
import { parseSpecialCall } from './parse-special.js';

const LPAREN = 0x28;
const RPAREN = 0x29;
const STAR = 0x2a;
const COMMA = 0x2c;
const DOT = 0x2e;
const COLON = 0x3a;
const EQ = 0x3d;
const QUESTION = 0x3f;
const AT = 0x40;

/** Largest integer literal kept exact: BIGINT UNSIGNED's maximum. */
const UINT64_MAX = 2n ** 64n - 1n;
/** DECIMAL's most digits; longer literals are DOUBLE, as MySQL reads them. */
const MAX_DECIMAL_DIGITS = 65;

/** Functions MySQL's grammar knows by name: a wrong argument count is a syntax error, not ERR 1582. */
const GRAMMAR_FUNCTIONS: ReadonlyMap<string, readonly [min: number, max: number]> = new Map([
  ['DATABASE', [0, 0]],
  ['SCHEMA', [0, 0]],
  ['USER', [0, 0]],
  ['CURRENT_USER', [0, 0]],
  ['VERSION', [0, 0]],
  ['CONNECTION_ID', [0, 0]],
  ['ROW_COUNT', [0, 0]],
  ['LAST_INSERT_ID', [0, 0]],
  ['CURDATE', [0, 0]],
  ['CURTIME', [0, 1]],
  ['NOW', [0, 1]],
  ['SYSDATE', [0, 1]],
  ['UTC_DATE', [0, 0]],
  ['UTC_TIME', [0, 1]],
  ['UTC_TIMESTAMP', [0, 1]],
]);

/** Keywords that name a function when written without parentheses, and the function they call. */
const BARE_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ['CURRENT_USER', 'CURRENT_USER'],
  ['CURRENT_DATE', 'CURDATE'],
  ['CURRENT_TIME', 'CURTIME'],
  ['CURRENT_TIMESTAMP', 'NOW'],
  ['LOCALTIME', 'NOW'],
  ['LOCALTIMESTAMP', 'NOW'],
  ['UTC_DATE', 'UTC_DATE'],
  ['UTC_TIME', 'UTC_TIME'],
  ['UTC_TIMESTAMP', 'UTC_TIMESTAMP'],
]);

/** Valid SQL that starts an expression the evaluator does not implement, and how MySQL names it. */
const UNSUPPORTED_KEYWORDS: ReadonlyMap<string, string> = new Map([
  ['EXISTS', 'subqueries'],
  ['SELECT', 'subqueries'],
  ['INTERVAL', 'INTERVAL expressions'],
  ['MATCH', 'MATCH ... AGAINST'],
  ['DEFAULT', 'DEFAULT'],
  ['ROW', 'row constructors'],
  ['VALUES', 'VALUES()'],
  ['EXTRACT', 'EXTRACT'],
]);

/** An operand: a literal, a variable, a parenthesized expression, CASE, a column or a call. */
export function parseOperand(p: ExpressionParser): Expr {
  const lx = p.lx;
  switch (lx.type) {
    case Tok.Integer:
      return integer(p);
    case Tok.Decimal:
      return decimal(p);
    case Tok.Float: {
      const value = doubleValue(lx.sql, lx.start, lx.end);
      lx.next();
      return p.node({ kind: 'double', value });
    }
    case Tok.String:
    case Tok.NString:
      return p.node({ kind: 'string', value: strings(p, lx.start) });
    case Tok.HexString:
    case Tok.HexNumber:
    case Tok.BitString:
    case Tok.BitNumber:
      return p.node({ kind: 'bytes', value: bytes(p), numeric: true });
    case Tok.NullEscape:
      lx.next();
      return p.node({ kind: 'null' });
    case Tok.QuotedIdent:
      return nameOrCall(p);
    case Tok.Word:
      return word(p);
    case Tok.Punct:
      return punctuation(p);
    default:
      return p.fail();
  }
}

function punctuation(p: ExpressionParser): Expr {
  const lx = p.lx;
  if (lx.char === LPAREN) {
    lx.next();
    if (isKeyword(lx, 'SELECT') || isKeyword(lx, 'WITH')) {
      throw new UnsupportedExpressionError('subqueries');
    }
    const inner = p.expression();
    if (isPunct(lx, COMMA)) throw new UnsupportedExpressionError('row constructors');
    p.expectPunct(RPAREN);
    return inner;
  }
  if (lx.char === AT) return variable(p);
  if (lx.char === QUESTION) throw new UnsupportedExpressionError('placeholders');
  if (lx.char === COLON) throw new UnsupportedExpressionError(':=');
  return p.fail();
}

function integer(p: ExpressionParser): Expr {
  const lx = p.lx;
  const sql = lx.sql;
  let from = lx.start;
  while (from < lx.end - 1 && sql.charCodeAt(from) === 0x30) from++;
  const digits = lx.end - from;
  let node: Expr;
  if (digits <= 20 && BigInt(sql.slice(from, lx.end)) <= UINT64_MAX) {
    node = { kind: 'int', value: BigInt(sql.slice(from, lx.end)) };
  } else if (digits <= MAX_DECIMAL_DIGITS) {
    node = { kind: 'decimal', text: sql.slice(from, lx.end) };
  } else {
    node = { kind: 'double', value: parseFloat(sql.slice(from, lx.end)) };
  }
  lx.next();
  return p.node(node);
}

function decimal(p: ExpressionParser): Expr {
  const lx = p.lx;
  const text = lx.sql.slice(lx.start, lx.end);
  lx.next();
  const digits = text.length - 1;
  if (digits > MAX_DECIMAL_DIGITS) return p.node({ kind: 'double', value: parseFloat(text) });
  return p.node({ kind: 'decimal', text: text.startsWith('.') ? '0' + text : text });
}

/** A string token and the plain string tokens after it, which MySQL joins. */
function strings(p: ExpressionParser, start: number): string {
  const lx = p.lx;
  const first = stringValue(lx);
  p.lastString = { start, value: first };
  let text = first;
  lx.next();
  while (lx.type === Tok.String) {
    text += stringValue(lx);
    lx.next();
  }
  return text;
}

function bytes(p: ExpressionParser): Buffer {
  const lx = p.lx;
  const sql = lx.sql;
  let bytes: Buffer;
  switch (lx.type) {
    case Tok.HexString:
      bytes = hexBytes(sql, lx.start + 2, lx.end - 1);
      break;
    case Tok.HexNumber:
      bytes = hexBytes(sql, lx.start + 2, lx.end);
      break;
    case Tok.BitString:
      bytes = bitBytes(sql, lx.start + 2, lx.end - 1);
      break;
    default:
      bytes = bitBytes(sql, lx.start + 2, lx.end);
  }
  lx.next();
  return bytes;
}

/** `@name` or `@@[scope.]name`, written without blanks as MySQL requires. */
function variable(p: ExpressionParser): Expr {
  const lx = p.lx;
  const at = lx.start;
  if (lx.sql.charCodeAt(at + 1) !== AT) {
    const name = readUserVariable(lx);
    if (name === null) p.fail();
    if (isPunct(lx, COLON) && lx.sql.charCodeAt(lx.start + 1) === EQ) {
      throw new UnsupportedExpressionError(':=');
    }
    return p.node({ kind: 'userVariable', name });
  }
  lx.next();
  lx.next();
  if (lx.type !== Tok.Word || lx.start !== at + 2) p.fail();
  let scope: VariableScope = null;
  if (lx.dotFollows) {
    scope = variableScope(lx);
    if (scope === null) p.fail();
    lx.next();
    lx.next();
    // A further `.part` is a component variable, which the server does not know.
    if (lx.dotFollows) p.fail();
  }
  const name = lx.sql.slice(lx.start, lx.end).toLowerCase();
  lx.next();
  return p.node({ kind: 'systemVariable', name, scope });
}

function word(p: ExpressionParser): Expr {
  const lx = p.lx;
  if (!lx.keyword) return nameOrCall(p);
  if (isKeyword(lx, 'NULL')) {
    lx.next();
    return p.node({ kind: 'null' });
  }
  if (isKeyword(lx, 'TRUE') || isKeyword(lx, 'FALSE')) {
    const value = isKeyword(lx, 'TRUE') ? 1n : 0n;
    lx.next();
    return p.node({ kind: 'int', value });
  }
  if (isKeyword(lx, 'CASE')) return caseExpression(p);
  const charset = introducerCharset(lx.sql, lx.start, lx.end);
  if (charset !== null) return introduced(p, charset);
  for (const [keyword, feature] of UNSUPPORTED_KEYWORDS) {
    if (isKeyword(lx, keyword)) throw new UnsupportedExpressionError(feature);
  }
  const typed = typedLiteral(p);
  if (typed !== null) return typed;
  return nameOrCall(p);
}

/** `_charset 'text'` or `_charset X'..'`: `_binary` makes bytes, other sets keep text. */
function introduced(p: ExpressionParser, charset: string): Expr {
  const lx = p.lx;
  const start = lx.start;
  lx.next();
  if (lx.type === Tok.String) {
    const text = strings(p, start);
    if (charset === 'binary') {
      return p.node({ kind: 'bytes', value: Buffer.from(text, 'utf8'), numeric: false });
    }
    return p.node({ kind: 'string', value: text });
  }
  if (
    lx.type === Tok.HexString ||
    lx.type === Tok.HexNumber ||
    lx.type === Tok.BitString ||
    lx.type === Tok.BitNumber
  ) {
    const value = bytes(p);
    if (charset === 'binary') return p.node({ kind: 'bytes', value, numeric: false });
    return p.node({ kind: 'string', value: value.toString('utf8') });
  }
  return p.fail();
}

/** DATE '..', TIME '..', TIMESTAMP '..': a cast of the string. */
function typedLiteral(p: ExpressionParser): Expr | null {
  const lx = p.lx;
  let type: 'DATE' | 'TIME' | 'DATETIME';
  if (isKeyword(lx, 'DATE')) type = 'DATE';
  else if (isKeyword(lx, 'TIME')) type = 'TIME';
  else if (isKeyword(lx, 'TIMESTAMP')) type = 'DATETIME';
  else return null;
  const quote = lx.sql.charCodeAt(nextNonBlank(lx.sql, lx.end));
  if (quote !== 0x27 && quote !== 0x22) return null;
  lx.next();
  if (lx.type !== Tok.String) p.fail();
  const value = strings(p, lx.start);
  const arg = p.node({ kind: 'string' as const, value });
  // The literal's own fractional digits decide its precision.
  const fsp = Math.min(6, /\.(\d+)\s*$/.exec(value)?.[1]?.length ?? 0);
  const to = type === 'DATE' ? { type } : { type, fsp };
  return p.node({ kind: 'cast', arg, to }, arg);
}

function caseExpression(p: ExpressionParser): Expr {
  const lx = p.lx;
  lx.next();
  const operand = isKeyword(lx, 'WHEN') ? null : p.expression();
  const whens: { when: Expr; then: Expr }[] = [];
  const children: Expr[] = operand ? [operand] : [];
  while (isKeyword(lx, 'WHEN')) {
    lx.next();
    const when = p.expression();
    p.expectKeyword('THEN');
    const then = p.expression();
    whens.push({ when, then });
    children.push(when, then);
  }
  if (whens.length === 0) p.fail();
  let otherwise: Expr | null = null;
  if (isKeyword(lx, 'ELSE')) {
    lx.next();
    otherwise = p.expression();
    children.push(otherwise);
  }
  p.expectKeyword('END');
  return p.node({ kind: 'case', operand, whens, otherwise }, ...children);
}

/** A column reference `[[schema.]table.]name`, or a call `[schema.]name(args)`. */
function nameOrCall(p: ExpressionParser): Expr {
  const lx = p.lx;
  const keyword = lx.type === Tok.Word && lx.keyword;
  const wordStart = lx.start;
  const wordEnd = lx.end;
  const bare = keyword
    ? BARE_FUNCTIONS.get(lx.sql.slice(wordStart, wordEnd).toUpperCase())
    : undefined;
  if (!isIdentifier(lx) && bare === undefined && !callFollows(p)) p.fail();
  const first = identifierValue(lx);
  lx.next();
  if (isPunct(lx, LPAREN)) return call(p, null, first, keyword);
  if (bare !== undefined) return p.callNode(bare, null, []);
  const parts = [first];
  while (isPunct(lx, DOT) && parts.length < 3) {
    lx.next();
    // `t.*` belongs to the select list, which reads it itself.
    if (!isIdentifier(lx)) p.fail();
    const part = identifierValue(lx);
    lx.next();
    if (parts.length === 1 && isPunct(lx, LPAREN)) return call(p, first, part, false);
    parts.push(part);
  }
  const [a, b, c] = parts;
  if (c !== undefined) return p.node({ kind: 'column', schema: a!, table: b!, name: c });
  if (b !== undefined) return p.node({ kind: 'column', schema: null, table: a!, name: b });
  return p.node({ kind: 'column', schema: null, table: null, name: a! });
}

/** Whether a reserved word at the current token is directly followed by `(`: IF(, LEFT(, REPLACE(. */
function callFollows(p: ExpressionParser): boolean {
  const lx = p.lx;
  return lx.type === Tok.Word && lx.sql.charCodeAt(nextNonBlank(lx.sql, lx.end)) === LPAREN;
}

/** The arguments of `name(` with the lexer on `(`. */
function call(p: ExpressionParser, schema: string | null, name: string, keyword: boolean): Expr {
  const lx = p.lx;
  const upper = name.toUpperCase();
  lx.next();
  if (schema === null && keyword) {
    const special = parseSpecialCall(p, upper);
    if (special !== null) return special;
  }
  if (schema === null && upper === 'COUNT' && isPunct(lx, STAR)) {
    lx.next();
    p.expectPunct(RPAREN);
    return p.node({ kind: 'call', name, schema, args: [], star: true, distinct: false });
  }
  let distinct = false;
  if (schema === null && isKeyword(lx, 'DISTINCT')) {
    lx.next();
    distinct = true;
  } else if (schema === null && isKeyword(lx, 'ALL')) {
    lx.next();
  }
  let args: Expr[] = [];
  if (isPunct(lx, RPAREN)) lx.next();
  else args = p.list();
  const arity = schema === null ? GRAMMAR_FUNCTIONS.get(upper) : undefined;
  if (arity !== undefined && (args.length < arity[0] || args.length > arity[1])) {
    if (upper === 'LAST_INSERT_ID') throw new UnsupportedExpressionError('LAST_INSERT_ID(expr)');
    p.fail();
  }
  return p.node({ kind: 'call', name, schema, args, star: false, distinct }, ...args);
}

/** The offset of the first character at or after `from` that is not a blank. */
function nextNonBlank(sql: string, from: number): number {
  let p = from;
  while (p < sql.length) {
    const c = sql.charCodeAt(p);
    if (c !== 0x20 && (c < 0x09 || c > 0x0d)) break;
    p++;
  }
  return p;
}
