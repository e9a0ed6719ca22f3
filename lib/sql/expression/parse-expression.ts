import type { Lexer } from '../lexer.js';
import { isIdentifier, isKeyword, isPunct } from '../token-tests.js';
import { Tok, type TokenType } from '../token-type.js';
import { identifierValue, stringValue } from '../token-value.js';
import type { ArithmeticOp, CompareOp, Expr } from './ast.js';
import { ExpressionSyntaxError, UnsupportedExpressionError } from './errors.js';
import { parseOperand } from './parse-operand.js';

const BANG = 0x21;
const PERCENT = 0x25;
const AMP = 0x26;
const LPAREN = 0x28;
const RPAREN = 0x29;
const STAR = 0x2a;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const SLASH = 0x2f;
const LT = 0x3c;
const EQ = 0x3d;
const GT = 0x3e;
const CARET = 0x5e;
const PIPE = 0x7c;
const TILDE = 0x7e;

/** Deepest expression tree accepted; deeper ones are refused rather than risk the stack. */
export const MAX_EXPRESSION_DEPTH = 200;

/**
 * Most nodes one parser builds (one SELECT, or one expression): far more than any client's
 * query needs, and few enough that a statement of many MiB cannot become a tree of
 * hundreds of MiB, to copy back from the parse worker and walk row after row.
 */
export const MAX_EXPRESSION_NODES = 65536;

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
 * INTERVAL, REGEXP, `?`, `:=`, a tree deeper than MAX_EXPRESSION_DEPTH or larger than
 * MAX_EXPRESSION_NODES); errors of the
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
    if (++this.nodes > MAX_EXPRESSION_NODES) {
      throw new UnsupportedExpressionError('expressions this large');
    }
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
    let expr = parseOperand(this);
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

  /** A call node of a function that takes `args`. */
  callNode(name: string, schema: string | null, args: Expr[]): Expr {
    return this.node({ kind: 'call', name, schema, args, star: false, distinct: false }, ...args);
  }

  private atPair(first: number, second: number): boolean {
    const lx = this.lx;
    return isPunct(lx, first) && lx.sql.charCodeAt(lx.start + 1) === second;
  }
}
