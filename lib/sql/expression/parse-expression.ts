import { Buffer } from 'node:buffer';
import { equalsUpper } from '../char-codes.js';
import { introducerCharset } from '../charsets.js';
import type { Lexer } from '../lexer.js';
import { bitBytes, doubleValue, hexBytes } from '../numeric-value.js';
import { isIdentifier, isKeyword, isPunct } from '../token-tests.js';
import { Tok, type TokenType } from '../token-type.js';
import { identifierValue, stringValue } from '../token-value.js';
import { readUserVariable } from '../user-variable.js';
import type { ArithmeticOp, CompareOp, Expr, VariableScope } from './ast.js';
import { ExpressionSyntaxError, UnsupportedExpressionError } from './errors.js';
import { parseSpecialCall } from './parse-special.js';

const BANG = 0x21;
const PERCENT = 0x25;
const AMP = 0x26;
const LPAREN = 0x28;
const RPAREN = 0x29;
const STAR = 0x2a;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const COLON = 0x3a;
const LT = 0x3c;
const EQ = 0x3d;
const GT = 0x3e;
const QUESTION = 0x3f;
const AT = 0x40;
const CARET = 0x5e;
const PIPE = 0x7c;
const TILDE = 0x7e;

/** Deepest expression tree accepted; deeper ones are refused rather than risk the stack. */
export const MAX_EXPRESSION_DEPTH = 200;

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

/**
 * Parses one expression at the lexer's current token, leaving the lexer on the token
 * after it. Covers MySQL's operators and precedence (OR ||, XOR, AND &&, NOT, IS, the
 * comparisons, [NOT] IN / BETWEEN / LIKE .. ESCAPE, | & << >> + - * / DIV % MOD ^, unary
 * - ~ !, COLLATE, BINARY), literals, `@user` and `@@[session.|global.]system` variables,
 * `[[schema.]table.]column` references, function calls (names are checked when the
 * expression is evaluated), CASE, CAST / CONVERT, TRIM, SUBSTRING .. FROM .. FOR and
 * POSITION .. IN.
 *
 * Throws ExpressionSyntaxError (ER_PARSE_ERROR) at the offending token, or
 * UnsupportedExpressionError for valid SQL this evaluator does not run (subqueries,
 * INTERVAL, REGEXP, `?`, `:=`, a tree deeper than MAX_EXPRESSION_DEPTH); errors of the
 * lexer (an unterminated string) and IllegalDoubleError pass through.
 */
export function parseExpression(lx: Lexer): Expr {
  return new ExpressionParser(lx).expression();
}

/** The expression parser, for callers that read several expressions and want their sizes. */
export class ExpressionParser {
  /** Nodes built so far, a measure of what evaluating them costs. */
  nodes = 0;
  /**
   * Where the last string literal read as an operand started, and the value of its first
   * segment: MySQL names a column that is a bare string literal by that value.
   */
  lastString: { start: number; value: string } | null = null;
  /** Where the number after the last unary plus started: `SELECT +5` names its column `5`. */
  lastPlusNumber = -1;

  private readonly depths = new Map<Expr, number>();
  /** Nesting of the recursive descent, bounded before it can exhaust the stack. */
  private level = 0;

  constructor(readonly lx: Lexer) {}

  /** One whole expression (the OR level). */
  expression(): Expr {
    this.enter();
    const expr = this.or();
    this.level--;
    return expr;
  }

  /** A bit expression (`|` and tighter): what POSITION(.. IN ..) and BETWEEN read before a keyword. */
  bitExpression(): Expr {
    this.enter();
    const expr = this.bitOr();
    this.level--;
    return expr;
  }

  private enter(): void {
    if (++this.level > MAX_EXPRESSION_DEPTH) {
      throw new UnsupportedExpressionError('expressions nested this deeply');
    }
  }

  /** Fails at the current token. */
  fail(): never {
    throw new ExpressionSyntaxError(this.lx.sql, this.lx.start);
  }

  /** Requires the current token to be the character `c`, and moves past it. */
  expectPunct(c: number): void {
    if (!isPunct(this.lx, c)) this.fail();
    this.lx.next();
  }

  /** Requires the current token to be the keyword `word`, and moves past it. */
  expectKeyword(word: string): void {
    if (!isKeyword(this.lx, word)) this.fail();
    this.lx.next();
  }

  /** Builds a node over `children`, refusing trees deeper than MAX_EXPRESSION_DEPTH. */
  node<E extends Expr>(expr: E, ...children: readonly Expr[]): E {
    // A leaf is 1 deep (and not recorded); a node one more than its deepest child.
    let depth = 0;
    for (const child of children) depth = Math.max(depth, this.depths.get(child) ?? 1);
    if (depth + 1 > MAX_EXPRESSION_DEPTH) {
      throw new UnsupportedExpressionError('expressions nested this deeply');
    }
    this.nodes++;
    if (children.length > 0) this.depths.set(expr, depth + 1);
    return expr;
  }

  /** The comma-separated expressions up to `)`, which it consumes. */
  list(): Expr[] {
    const out: Expr[] = [this.expression()];
    while (isPunct(this.lx, COMMA)) {
      this.lx.next();
      out.push(this.expression());
    }
    this.expectPunct(RPAREN);
    return out;
  }

  private or(): Expr {
    const first = this.xor();
    if (!this.atOr()) return first;
    const args = [first];
    while (this.atOr()) {
      this.skipOperator();
      args.push(this.xor());
    }
    return this.node({ kind: 'logical', op: 'OR', args }, ...args);
  }

  private xor(): Expr {
    const first = this.and();
    if (!isKeyword(this.lx, 'XOR')) return first;
    const args = [first];
    while (isKeyword(this.lx, 'XOR')) {
      this.lx.next();
      args.push(this.and());
    }
    return this.node({ kind: 'logical', op: 'XOR', args }, ...args);
  }

  private and(): Expr {
    const first = this.not();
    if (!this.atAnd()) return first;
    const args = [first];
    while (this.atAnd()) {
      this.skipOperator();
      args.push(this.not());
    }
    return this.node({ kind: 'logical', op: 'AND', args }, ...args);
  }

  private atOr(): boolean {
    return isKeyword(this.lx, 'OR') || this.atPair(PIPE, PIPE);
  }

  private atAnd(): boolean {
    return isKeyword(this.lx, 'AND') || this.atPair(AMP, AMP);
  }

  /** Moves past a keyword operator or a two-character one (`||`, `&&`). */
  private skipOperator(): void {
    const punct = this.lx.type === Tok.Punct;
    this.lx.next();
    if (punct) this.lx.next();
  }

  private not(): Expr {
    if (!isKeyword(this.lx, 'NOT')) return this.boolPrimary();
    this.lx.next();
    this.enter();
    const arg = this.not();
    this.level--;
    return this.node({ kind: 'unary', op: 'NOT', arg }, arg);
  }

  /** Comparisons and IS tests, left to right. */
  private boolPrimary(): Expr {
    let left = this.predicate();
    for (;;) {
      if (isKeyword(this.lx, 'IS')) {
        left = this.isTest(left);
        continue;
      }
      const op = this.compareOp();
      if (op === null) return left;
      if (isKeyword(this.lx, 'ANY') || isKeyword(this.lx, 'ALL') || isKeyword(this.lx, 'SOME')) {
        throw new UnsupportedExpressionError('subqueries');
      }
      const right = this.predicate();
      left = this.node({ kind: 'compare', op, left, right }, left, right);
    }
  }

  private isTest(arg: Expr): Expr {
    this.lx.next();
    let not = false;
    if (isKeyword(this.lx, 'NOT')) {
      not = true;
      this.lx.next();
    }
    let test: 'NULL' | 'TRUE' | 'FALSE';
    if (isKeyword(this.lx, 'NULL') || isKeyword(this.lx, 'UNKNOWN')) test = 'NULL';
    else if (isKeyword(this.lx, 'TRUE')) test = 'TRUE';
    else if (isKeyword(this.lx, 'FALSE')) test = 'FALSE';
    else this.fail();
    this.lx.next();
    return this.node({ kind: 'is', arg, test, not }, arg);
  }

  /** The comparison operator at the current token, consumed, or null. */
  private compareOp(): CompareOp | null {
    const lx = this.lx;
    if (lx.type !== Tok.Punct) return null;
    const next = lx.sql.charCodeAt(lx.start + 1);
    let op: CompareOp;
    let length = 1;
    switch (lx.char) {
      case EQ:
        op = '=';
        break;
      case LT:
        if (next === EQ && lx.sql.charCodeAt(lx.start + 2) === GT) {
          op = '<=>';
          length = 3;
        } else if (next === EQ) {
          op = '<=';
          length = 2;
        } else if (next === GT) {
          op = '<>';
          length = 2;
        } else if (next === LT) {
          return null;
        } else {
          op = '<';
        }
        break;
      case GT:
        if (next === EQ) {
          op = '>=';
          length = 2;
        } else if (next === GT) {
          return null;
        } else {
          op = '>';
        }
        break;
      case BANG:
        if (next !== EQ) return null;
        op = '<>';
        length = 2;
        break;
      default:
        return null;
    }
    for (let i = 0; i < length; i++) lx.next();
    return op;
  }

  /** [NOT] IN, [NOT] BETWEEN, [NOT] LIKE after a bit expression. */
  private predicate(): Expr {
    const arg = this.bitOr();
    const lx = this.lx;
    let not = false;
    if (isKeyword(lx, 'NOT')) {
      lx.next();
      not = true;
    }
    if (isKeyword(lx, 'IN')) {
      lx.next();
      this.expectPunct(LPAREN);
      if (isKeyword(lx, 'SELECT') || isKeyword(lx, 'WITH')) {
        throw new UnsupportedExpressionError('subqueries');
      }
      const list = this.list();
      return this.node({ kind: 'in', arg, list, not }, arg, ...list);
    }
    if (isKeyword(lx, 'BETWEEN')) {
      lx.next();
      const low = this.bitExpression();
      this.expectKeyword('AND');
      this.enter();
      const high = this.predicate();
      this.level--;
      return this.node({ kind: 'between', arg, low, high, not }, arg, low, high);
    }
    if (isKeyword(lx, 'LIKE')) {
      lx.next();
      const pattern = this.bitOr();
      let escape: Expr | null = null;
      if (isKeyword(lx, 'ESCAPE')) {
        lx.next();
        escape = this.simple();
      }
      const children = escape ? [arg, pattern, escape] : [arg, pattern];
      return this.node({ kind: 'like', arg, pattern, escape, not }, ...children);
    }
    if (isKeyword(lx, 'REGEXP') || isKeyword(lx, 'RLIKE')) {
      throw new UnsupportedExpressionError('REGEXP');
    }
    if (isKeyword(lx, 'SOUNDS') || isKeyword(lx, 'MEMBER')) {
      throw new UnsupportedExpressionError(lx.sql.slice(lx.start, lx.end).toUpperCase());
    }
    if (not) this.fail();
    return arg;
  }

  private bitOr(): Expr {
    let left = this.bitAnd();
    // `|` alone; `||` is OR.
    while (isPunct(this.lx, PIPE) && !this.atPair(PIPE, PIPE)) {
      this.lx.next();
      left = this.arithmetic('|', left, this.bitAnd());
    }
    return left;
  }

  private bitAnd(): Expr {
    let left = this.shift();
    while (isPunct(this.lx, AMP) && !this.atPair(AMP, AMP)) {
      this.lx.next();
      left = this.arithmetic('&', left, this.shift());
    }
    return left;
  }

  private shift(): Expr {
    let left = this.additive();
    for (;;) {
      let op: ArithmeticOp;
      if (this.atPair(LT, LT)) op = '<<';
      else if (this.atPair(GT, GT)) op = '>>';
      else return left;
      this.lx.next();
      this.lx.next();
      left = this.arithmetic(op, left, this.additive());
    }
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (;;) {
      let op: ArithmeticOp;
      if (isPunct(this.lx, PLUS)) op = '+';
      else if (isPunct(this.lx, MINUS)) op = '-';
      else return left;
      this.lx.next();
      left = this.arithmetic(op, left, this.multiplicative());
    }
  }

  private multiplicative(): Expr {
    let left = this.bitXor();
    for (;;) {
      let op: ArithmeticOp;
      if (isPunct(this.lx, STAR)) op = '*';
      else if (isPunct(this.lx, SLASH)) op = '/';
      else if (isPunct(this.lx, PERCENT) || isKeyword(this.lx, 'MOD')) op = '%';
      else if (isKeyword(this.lx, 'DIV')) op = 'DIV';
      else return left;
      this.lx.next();
      left = this.arithmetic(op, left, this.bitXor());
    }
  }

  private bitXor(): Expr {
    let left = this.simple();
    while (isPunct(this.lx, CARET)) {
      this.lx.next();
      left = this.arithmetic('^', left, this.simple());
    }
    return left;
  }

  private arithmetic(op: ArithmeticOp, left: Expr, right: Expr): Expr {
    return this.node({ kind: 'arithmetic', op, left, right }, left, right);
  }

  /** Unary operators, BINARY, then a primary with any COLLATE after it. */
  simple(): Expr {
    this.enter();
    const expr = this.unary();
    this.level--;
    return expr;
  }

  private unary(): Expr {
    const lx = this.lx;
    if (lx.type === Tok.Punct) {
      switch (lx.char) {
        case MINUS:
        case TILDE:
        case BANG: {
          const op = lx.char === MINUS ? '-' : lx.char === TILDE ? '~' : 'NOT';
          lx.next();
          const arg = this.simple();
          return this.node({ kind: 'unary', op, arg }, arg);
        }
        case PLUS: {
          lx.next();
          // lx.next() moved on: the token is no longer the punctuation the switch saw.
          const type = lx.type as TokenType;
          const numberStart = type === Tok.Integer || type === Tok.Decimal ? lx.start : -1;
          const arg = this.simple();
          // MySQL's grammar drops a unary plus.
          if (numberStart >= 0 && arg.kind !== 'unary') this.lastPlusNumber = numberStart;
          return arg;
        }
      }
    }
    if (isKeyword(lx, 'BINARY')) {
      lx.next();
      const arg = this.simple();
      return this.node({ kind: 'cast', arg, to: { type: 'BINARY', length: null } }, arg);
    }
    let expr = this.primary();
    while (isKeyword(lx, 'COLLATE')) {
      lx.next();
      if (lx.type !== Tok.String && !isIdentifier(lx)) this.fail();
      const collation = (
        lx.type === Tok.String ? stringValue(lx) : identifierValue(lx)
      ).toLowerCase();
      lx.next();
      expr = this.node({ kind: 'collate', arg: expr, collation }, expr);
    }
    return expr;
  }

  private primary(): Expr {
    const lx = this.lx;
    switch (lx.type) {
      case Tok.Integer:
        return this.integer();
      case Tok.Decimal:
        return this.decimal();
      case Tok.Float: {
        const value = doubleValue(lx.sql, lx.start, lx.end);
        lx.next();
        return this.node({ kind: 'double', value });
      }
      case Tok.String:
      case Tok.NString:
        return this.node({ kind: 'string', value: this.strings(lx.start) });
      case Tok.HexString:
      case Tok.HexNumber:
      case Tok.BitString:
      case Tok.BitNumber:
        return this.node({ kind: 'bytes', value: this.bytes(), numeric: true });
      case Tok.NullEscape:
        lx.next();
        return this.node({ kind: 'null' });
      case Tok.QuotedIdent:
        return this.nameOrCall();
      case Tok.Word:
        return this.word();
      case Tok.Punct:
        return this.punctuation();
      default:
        return this.fail();
    }
  }

  private punctuation(): Expr {
    const lx = this.lx;
    if (lx.char === LPAREN) {
      lx.next();
      if (isKeyword(lx, 'SELECT') || isKeyword(lx, 'WITH')) {
        throw new UnsupportedExpressionError('subqueries');
      }
      const inner = this.expression();
      if (isPunct(lx, COMMA)) throw new UnsupportedExpressionError('row constructors');
      this.expectPunct(RPAREN);
      return inner;
    }
    if (lx.char === AT) return this.variable();
    if (lx.char === QUESTION) throw new UnsupportedExpressionError('placeholders');
    if (lx.char === COLON) throw new UnsupportedExpressionError(':=');
    return this.fail();
  }

  private integer(): Expr {
    const lx = this.lx;
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
    return this.node(node);
  }

  private decimal(): Expr {
    const lx = this.lx;
    const text = lx.sql.slice(lx.start, lx.end);
    lx.next();
    const digits = text.length - 1;
    if (digits > MAX_DECIMAL_DIGITS) return this.node({ kind: 'double', value: parseFloat(text) });
    return this.node({ kind: 'decimal', text: text.startsWith('.') ? '0' + text : text });
  }

  /** A string token and the plain string tokens after it, which MySQL joins. */
  private strings(start: number): string {
    const lx = this.lx;
    const first = stringValue(lx);
    this.lastString = { start, value: first };
    let text = first;
    lx.next();
    while (lx.type === Tok.String) {
      text += stringValue(lx);
      lx.next();
    }
    return text;
  }

  private bytes(): Buffer {
    const lx = this.lx;
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
  private variable(): Expr {
    const lx = this.lx;
    const at = lx.start;
    if (lx.sql.charCodeAt(at + 1) !== AT) {
      const name = readUserVariable(lx);
      if (name === null) this.fail();
      if (isPunct(lx, COLON) && lx.sql.charCodeAt(lx.start + 1) === EQ) {
        throw new UnsupportedExpressionError(':=');
      }
      return this.node({ kind: 'userVariable', name });
    }
    lx.next();
    lx.next();
    if (lx.type !== Tok.Word || lx.start !== at + 2) this.fail();
    let scope: VariableScope = null;
    if (lx.dotFollows) {
      scope = scopeOf(lx);
      if (scope === null) this.fail();
      lx.next();
      lx.next();
      // A further `.part` is a component variable, which the server does not know.
      if (lx.dotFollows) this.fail();
    }
    const name = lx.sql.slice(lx.start, lx.end).toLowerCase();
    lx.next();
    return this.node({ kind: 'systemVariable', name, scope });
  }

  private word(): Expr {
    const lx = this.lx;
    if (!lx.keyword) return this.nameOrCall();
    if (isKeyword(lx, 'NULL')) {
      lx.next();
      return this.node({ kind: 'null' });
    }
    if (isKeyword(lx, 'TRUE') || isKeyword(lx, 'FALSE')) {
      const value = isKeyword(lx, 'TRUE') ? 1n : 0n;
      lx.next();
      return this.node({ kind: 'int', value });
    }
    if (isKeyword(lx, 'CASE')) return this.caseExpression();
    const charset = introducerCharset(lx.sql, lx.start, lx.end);
    if (charset !== null) return this.introduced(charset);
    for (const [keyword, feature] of UNSUPPORTED_KEYWORDS) {
      if (isKeyword(lx, keyword)) throw new UnsupportedExpressionError(feature);
    }
    const typed = this.typedLiteral();
    if (typed !== null) return typed;
    return this.nameOrCall();
  }

  /** `_charset 'text'` or `_charset X'..'`: `_binary` makes bytes, other sets keep text. */
  private introduced(charset: string): Expr {
    const lx = this.lx;
    const start = lx.start;
    lx.next();
    if (lx.type === Tok.String) {
      const text = this.strings(start);
      if (charset === 'binary') {
        return this.node({ kind: 'bytes', value: Buffer.from(text, 'utf8'), numeric: false });
      }
      return this.node({ kind: 'string', value: text });
    }
    if (
      lx.type === Tok.HexString ||
      lx.type === Tok.HexNumber ||
      lx.type === Tok.BitString ||
      lx.type === Tok.BitNumber
    ) {
      const bytes = this.bytes();
      if (charset === 'binary') return this.node({ kind: 'bytes', value: bytes, numeric: false });
      return this.node({ kind: 'string', value: bytes.toString('utf8') });
    }
    return this.fail();
  }

  /** DATE '..', TIME '..', TIMESTAMP '..': a cast of the string. */
  private typedLiteral(): Expr | null {
    const lx = this.lx;
    let type: 'DATE' | 'TIME' | 'DATETIME';
    if (isKeyword(lx, 'DATE')) type = 'DATE';
    else if (isKeyword(lx, 'TIME')) type = 'TIME';
    else if (isKeyword(lx, 'TIMESTAMP')) type = 'DATETIME';
    else return null;
    const quote = lx.sql.charCodeAt(nextNonBlank(lx.sql, lx.end));
    if (quote !== 0x27 && quote !== 0x22) return null;
    lx.next();
    if (lx.type !== Tok.String) this.fail();
    const value = this.strings(lx.start);
    const arg = this.node({ kind: 'string' as const, value });
    // The literal's own fractional digits decide its precision.
    const fsp = Math.min(6, /\.(\d+)\s*$/.exec(value)?.[1]?.length ?? 0);
    const to = type === 'DATE' ? { type } : { type, fsp };
    return this.node({ kind: 'cast', arg, to }, arg);
  }

  private caseExpression(): Expr {
    const lx = this.lx;
    lx.next();
    const operand = isKeyword(lx, 'WHEN') ? null : this.expression();
    const whens: { when: Expr; then: Expr }[] = [];
    const children: Expr[] = operand ? [operand] : [];
    while (isKeyword(lx, 'WHEN')) {
      lx.next();
      const when = this.expression();
      this.expectKeyword('THEN');
      const then = this.expression();
      whens.push({ when, then });
      children.push(when, then);
    }
    if (whens.length === 0) this.fail();
    let otherwise: Expr | null = null;
    if (isKeyword(lx, 'ELSE')) {
      lx.next();
      otherwise = this.expression();
      children.push(otherwise);
    }
    this.expectKeyword('END');
    return this.node({ kind: 'case', operand, whens, otherwise }, ...children);
  }

  /** A column reference `[[schema.]table.]name`, or a call `[schema.]name(args)`. */
  private nameOrCall(): Expr {
    const lx = this.lx;
    const keyword = lx.type === Tok.Word && lx.keyword;
    const wordStart = lx.start;
    const wordEnd = lx.end;
    const bare = keyword ? BARE_FUNCTIONS.get(lx.sql.slice(wordStart, wordEnd).toUpperCase()) : undefined;
    if (!isIdentifier(lx) && bare === undefined && !this.callFollows()) this.fail();
    const first = identifierValue(lx);
    lx.next();
    if (isPunct(lx, LPAREN)) return this.call(null, first, keyword);
    if (bare !== undefined) return this.callNode(bare, null, []);
    const parts = [first];
    while (isPunct(lx, DOT) && parts.length < 3) {
      lx.next();
      // `t.*` belongs to the select list, which reads it itself.
      if (!isIdentifier(lx)) this.fail();
      const part = identifierValue(lx);
      lx.next();
      if (parts.length === 1 && isPunct(lx, LPAREN)) return this.call(first, part, false);
      parts.push(part);
    }
    const [a, b, c] = parts;
    if (c !== undefined) return this.node({ kind: 'column', schema: a!, table: b!, name: c });
    if (b !== undefined) return this.node({ kind: 'column', schema: null, table: a!, name: b });
    return this.node({ kind: 'column', schema: null, table: null, name: a! });
  }

  /** Whether a reserved word at the current token is directly followed by `(`: IF(, LEFT(, REPLACE(. */
  private callFollows(): boolean {
    const lx = this.lx;
    return lx.type === Tok.Word && lx.sql.charCodeAt(nextNonBlank(lx.sql, lx.end)) === LPAREN;
  }

  /** The arguments of `name(` with the lexer on `(`. */
  private call(schema: string | null, name: string, keyword: boolean): Expr {
    const lx = this.lx;
    const upper = name.toUpperCase();
    lx.next();
    if (schema === null && keyword) {
      const special = parseSpecialCall(this, upper);
      if (special !== null) return special;
    }
    if (schema === null && upper === 'COUNT' && isPunct(lx, STAR)) {
      lx.next();
      this.expectPunct(RPAREN);
      return this.node({ kind: 'call', name, schema, args: [], star: true, distinct: false });
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
    else args = this.list();
    const arity = schema === null ? GRAMMAR_FUNCTIONS.get(upper) : undefined;
    if (arity !== undefined && (args.length < arity[0] || args.length > arity[1])) {
      if (upper === 'LAST_INSERT_ID') throw new UnsupportedExpressionError('LAST_INSERT_ID(expr)');
      this.fail();
    }
    return this.node({ kind: 'call', name, schema, args, star: false, distinct }, ...args);
  }

  /** A call node of a function that takes `args`. */
  callNode(name: string, schema: string | null, args: Expr[]): Expr {
    return this.node({ kind: 'call', name, schema, args, star: false, distinct: false }, ...args);
  }

  private atPair(first: number, second: number): boolean {
    const lx = this.lx;
    return isPunct(lx, first) && lx.sql.charCodeAt(lx.start + 1) === second;
  }
}

function scopeOf(lx: Lexer): 'session' | 'global' | null {
  const length = lx.end - lx.start;
  const sql = lx.sql;
  if (length === 7 && equalsUpper(sql, lx.start, 'SESSION')) return 'session';
  if (length === 5 && equalsUpper(sql, lx.start, 'LOCAL')) return 'session';
  if (length === 6 && equalsUpper(sql, lx.start, 'GLOBAL')) return 'global';
  return null;
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
