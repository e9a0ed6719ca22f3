// Plain objects only (no classes, no functions): a parsed statement may cross threads
// (see off-thread.ts), and structured cloning keeps bigints and bytes but not prototypes.

/** Scope written before a system variable: `@@session.x`/`@@local.x`, `@@global.x`, or none. */
export type VariableScope = 'session' | 'global' | null;

/** A comparison operator; `<=>` is MySQL's NULL-safe equality. */
export type CompareOp = '=' | '<=>' | '<>' | '<' | '<=' | '>' | '>=';

/** An arithmetic or bitwise operator. */
export type ArithmeticOp = '+' | '-' | '*' | '/' | 'DIV' | '%' | '&' | '|' | '^' | '<<' | '>>';

/** Target of CAST(x AS ...) and CONVERT(x, ...). */
export type CastTarget =
  | { readonly type: 'CHAR'; readonly length: number | null }
  | { readonly type: 'BINARY'; readonly length: number | null }
  | { readonly type: 'SIGNED' }
  | { readonly type: 'UNSIGNED' }
  | { readonly type: 'DECIMAL'; readonly precision: number; readonly scale: number }
  | { readonly type: 'DOUBLE' }
  | { readonly type: 'DATE' }
  | { readonly type: 'DATETIME'; readonly fsp: number }
  | { readonly type: 'TIME'; readonly fsp: number };

/** One parsed SQL expression. */
export type Expr =
  /** An integer literal (exact, up to 2^64-1); TRUE and FALSE are 1 and 0. */
  | { readonly kind: 'int'; readonly value: bigint }
  /** A fixed-point literal as written without sign, `1.50` (DECIMAL keeps its scale). */
  | { readonly kind: 'decimal'; readonly text: string }
  /** A literal with an exponent, `1e3` (DOUBLE). */
  | { readonly kind: 'double'; readonly value: number }
  /** A character string literal, adjacent strings joined; `_binary '..'` makes it bytes. */
  | { readonly kind: 'string'; readonly value: string }
  /** X'..', 0x.., b'..', 0b.., `_binary '..'`: bytes, which read as an unsigned number in arithmetic. */
  | { readonly kind: 'bytes'; readonly value: Uint8Array; readonly numeric: boolean }
  | { readonly kind: 'null' }
  /** `@name`, name lower-cased. */
  | { readonly kind: 'userVariable'; readonly name: string }
  /** `@@[scope.]name`, name lower-cased. */
  | { readonly kind: 'systemVariable'; readonly name: string; readonly scope: VariableScope }
  /** `[[schema.]table.]name`, as written (unquoted). */
  | {
      readonly kind: 'column';
      readonly schema: string | null;
      readonly table: string | null;
      readonly name: string;
    }
  /** Unary minus, bit inversion `~`, or NOT / `!`. */
  | { readonly kind: 'unary'; readonly op: '-' | '~' | 'NOT'; readonly arg: Expr }
  | {
      readonly kind: 'arithmetic';
      readonly op: ArithmeticOp;
      readonly left: Expr;
      readonly right: Expr;
    }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: Expr; readonly right: Expr }
  /** AND, OR, XOR over two or more operands, flattened so long chains stay shallow. */
  | { readonly kind: 'logical'; readonly op: 'AND' | 'OR' | 'XOR'; readonly args: readonly Expr[] }
  /** `x IS [NOT] NULL | TRUE | FALSE | UNKNOWN`. */
  | {
      readonly kind: 'is';
      readonly arg: Expr;
      readonly test: 'NULL' | 'TRUE' | 'FALSE';
      readonly not: boolean;
    }
  | {
      readonly kind: 'like';
      readonly arg: Expr;
      readonly pattern: Expr;
      readonly escape: Expr | null;
      readonly not: boolean;
    }
  | {
      readonly kind: 'in';
      readonly arg: Expr;
      readonly list: readonly Expr[];
      readonly not: boolean;
    }
  | {
      readonly kind: 'between';
      readonly arg: Expr;
      readonly low: Expr;
      readonly high: Expr;
      readonly not: boolean;
    }
  /** CASE [operand] WHEN .. THEN .. [ELSE ..] END. */
  | {
      readonly kind: 'case';
      readonly operand: Expr | null;
      readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
      readonly otherwise: Expr | null;
    }
  /**
   * A function call, the name as written (looked up case-insensitively); `schema` when
   * written `db.f(..)` (a stored function); `star` for COUNT(*); `distinct` for
   * COUNT(DISTINCT ..) and the like.
   */
  | {
      readonly kind: 'call';
      readonly name: string;
      readonly schema: string | null;
      readonly args: readonly Expr[];
      readonly star: boolean;
      readonly distinct: boolean;
    }
  | { readonly kind: 'cast'; readonly arg: Expr; readonly to: CastTarget }
  /** `x COLLATE name`, name lower-cased: `_bin` and `_cs` collations compare case-sensitively. */
  | { readonly kind: 'collate'; readonly arg: Expr; readonly collation: string }
  /** TRIM([BOTH | LEADING | TRAILING] [remove] FROM str). */
  | {
      readonly kind: 'trim';
      readonly mode: 'BOTH' | 'LEADING' | 'TRAILING';
      readonly remove: Expr | null;
      readonly arg: Expr;
    };

/** The node of `kind`. */
export type ExprOf<K extends Expr['kind']> = Extract<Expr, { kind: K }>;

/** Names of the aggregate functions the query engine computes over rows. */
export const AGGREGATES: ReadonlySet<string> = new Set(['COUNT', 'SUM', 'MIN', 'MAX', 'AVG']);

/** Whether `expr` is a call of an aggregate function (COUNT, SUM, MIN, MAX, AVG). */
export function isAggregate(expr: Expr): boolean {
  return expr.kind === 'call' && expr.schema === null && AGGREGATES.has(expr.name.toUpperCase());
}

/** The direct operands of a node, for walks over a tree. */
export function childrenOf(expr: Expr): readonly Expr[] {
  switch (expr.kind) {
    case 'unary':
    case 'cast':
    case 'collate':
    case 'is':
      return [expr.arg];
    case 'arithmetic':
    case 'compare':
      return [expr.left, expr.right];
    case 'logical':
      return expr.args;
    case 'like':
      return expr.escape ? [expr.arg, expr.pattern, expr.escape] : [expr.arg, expr.pattern];
    case 'in':
      return [expr.arg, ...expr.list];
    case 'between':
      return [expr.arg, expr.low, expr.high];
    case 'case': {
      const out: Expr[] = expr.operand ? [expr.operand] : [];
      for (const w of expr.whens) out.push(w.when, w.then);
      if (expr.otherwise) out.push(expr.otherwise);
      return out;
    }
    case 'call':
      return expr.args;
    case 'trim':
      return expr.remove ? [expr.remove, expr.arg] : [expr.arg];
    default:
      return [];
  }
}

/** Visits `expr` and every node under it, depth first, parents before children. */
export function walk(expr: Expr, visit: (node: Expr) => void): void {
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}
