import { isIdentifier, isKeyword, isPunct } from '../token-tests.js';
import { Tok } from '../token-type.js';
import { identifierValue, stringValue } from '../token-value.js';
import type { CastTarget, Expr } from './ast.js';
import { UnsupportedExpressionError } from './errors.js';
import type { ExpressionParser } from './parse-expression.js';

const LPAREN = 0x28;
const RPAREN = 0x29;
const COMMA = 0x2c;

/** DECIMAL's default precision when CAST names none. */
const DEFAULT_DECIMAL_PRECISION = 10;

/**
 * The functions MySQL's grammar spells with keywords inside the parentheses: CAST(x AS
 * t), CONVERT(x, t) and CONVERT(x USING cs), TRIM([BOTH|LEADING|TRAILING] [r] FROM s),
 * SUBSTRING(s FROM p [FOR n]) and POSITION(a IN b). Called with the lexer after `(`;
 * null when `name` is none of them (nothing consumed).
 */
export function parseSpecialCall(p: ExpressionParser, name: string): Expr | null {
  switch (name) {
    case 'CAST':
      return cast(p);
    case 'CONVERT':
      return convert(p);
    case 'TRIM':
      return trim(p);
    case 'SUBSTRING':
    case 'SUBSTR':
    case 'MID':
      return substring(p);
    case 'POSITION':
      return position(p);
    case 'CHAR':
      throw new UnsupportedExpressionError('CHAR()');
    default:
      return null;
  }
}

function cast(p: ExpressionParser): Expr {
  const arg = p.expression();
  p.expectKeyword('AS');
  const to = parseCastTarget(p);
  p.expectPunct(RPAREN);
  return p.node({ kind: 'cast', arg, to }, arg);
}

function convert(p: ExpressionParser): Expr {
  const arg = p.expression();
  let to: CastTarget;
  if (isKeyword(p.lx, 'USING')) {
    p.lx.next();
    const charset = charsetName(p);
    to = charset === 'binary' ? { type: 'BINARY', length: null } : { type: 'CHAR', length: null };
  } else {
    p.expectPunct(COMMA);
    to = parseCastTarget(p);
  }
  p.expectPunct(RPAREN);
  return p.node({ kind: 'cast', arg, to }, arg);
}

function trim(p: ExpressionParser): Expr {
  const lx = p.lx;
  let mode: 'BOTH' | 'LEADING' | 'TRAILING' = 'BOTH';
  let explicitMode = false;
  for (const m of ['BOTH', 'LEADING', 'TRAILING'] as const) {
    if (isKeyword(lx, m)) {
      mode = m;
      explicitMode = true;
      lx.next();
      break;
    }
  }
  let remove: Expr | null = null;
  let arg: Expr;
  if (explicitMode && isKeyword(lx, 'FROM')) {
    lx.next();
    arg = p.expression();
  } else {
    const first = p.expression();
    if (isKeyword(lx, 'FROM')) {
      lx.next();
      remove = first;
      arg = p.expression();
    } else {
      if (explicitMode) p.fail();
      arg = first;
    }
  }
  p.expectPunct(RPAREN);
  return p.node({ kind: 'trim', mode, remove, arg }, ...(remove ? [remove, arg] : [arg]));
}

function substring(p: ExpressionParser): Expr {
  const lx = p.lx;
  const args = [p.expression()];
  if (isKeyword(lx, 'FROM')) {
    lx.next();
    args.push(p.expression());
    if (isKeyword(lx, 'FOR')) {
      lx.next();
      args.push(p.expression());
    }
    p.expectPunct(RPAREN);
  } else {
    while (isPunct(lx, COMMA)) {
      lx.next();
      args.push(p.expression());
    }
    p.expectPunct(RPAREN);
  }
  return p.callNode('SUBSTRING', null, args);
}

function position(p: ExpressionParser): Expr {
  const needle = p.bitExpression();
  p.expectKeyword('IN');
  const haystack = p.expression();
  p.expectPunct(RPAREN);
  return p.callNode('LOCATE', null, [needle, haystack]);
}

/** The type after CAST(x AS, or CONVERT(x,. */
export function parseCastTarget(p: ExpressionParser): CastTarget {
  const lx = p.lx;
  if (lx.type !== Tok.Word) p.fail();
  const word = lx.sql.slice(lx.start, lx.end).toUpperCase();
  lx.next();
  switch (word) {
    case 'CHAR':
    case 'NCHAR':
    case 'VARCHAR': {
      const length = optionalLength(p);
      charsetClause(p);
      return { type: 'CHAR', length };
    }
    case 'BINARY':
      return { type: 'BINARY', length: optionalLength(p) };
    case 'SIGNED':
    case 'UNSIGNED':
      if (isKeyword(lx, 'INTEGER') || isKeyword(lx, 'INT')) lx.next();
      return { type: word };
    case 'INTEGER':
    case 'INT':
      return { type: 'SIGNED' };
    case 'DECIMAL':
    case 'DEC':
    case 'NUMERIC': {
      let precision = DEFAULT_DECIMAL_PRECISION;
      let scale = 0;
      if (isPunct(lx, LPAREN)) {
        lx.next();
        precision = integer(p);
        if (isPunct(lx, COMMA)) {
          lx.next();
          scale = integer(p);
        }
        p.expectPunct(RPAREN);
      }
      if (precision < 1 || precision > 65 || scale > 30 || scale > precision) p.fail();
      return { type: 'DECIMAL', precision, scale };
    }
    case 'DOUBLE':
      if (isKeyword(lx, 'PRECISION')) lx.next();
      return { type: 'DOUBLE' };
    case 'FLOAT':
    case 'REAL':
      optionalLength(p);
      return { type: 'DOUBLE' };
    case 'DATE':
      return { type: 'DATE' };
    case 'DATETIME':
    case 'TIME': {
      const fsp = optionalLength(p) ?? 0;
      if (fsp > 6) p.fail();
      return { type: word, fsp };
    }
    case 'JSON':
    case 'YEAR':
      throw new UnsupportedExpressionError(`CAST AS ${word}`);
    default:
      return p.fail();
  }
}

function optionalLength(p: ExpressionParser): number | null {
  if (!isPunct(p.lx, LPAREN)) return null;
  p.lx.next();
  const n = integer(p);
  p.expectPunct(RPAREN);
  return n;
}

function integer(p: ExpressionParser): number {
  const lx = p.lx;
  if (lx.type !== Tok.Integer) p.fail();
  const n = Number(lx.sql.slice(lx.start, lx.end));
  lx.next();
  return n;
}

/** `CHARACTER SET x`, `CHARSET x`, ASCII, UNICODE or BINARY after CHAR: read and ignored. */
function charsetClause(p: ExpressionParser): void {
  const lx = p.lx;
  if (isKeyword(lx, 'CHARACTER')) {
    lx.next();
    p.expectKeyword('SET');
    charsetName(p);
  } else if (isKeyword(lx, 'CHARSET')) {
    lx.next();
    charsetName(p);
  } else if (isKeyword(lx, 'ASCII') || isKeyword(lx, 'UNICODE') || isKeyword(lx, 'BINARY')) {
    lx.next();
  }
}

function charsetName(p: ExpressionParser): string {
  const lx = p.lx;
  let name: string;
  if (lx.type === Tok.String) name = stringValue(lx);
  else if (isIdentifier(lx) || isKeyword(lx, 'BINARY')) name = identifierValue(lx);
  else return p.fail();
  lx.next();
  return name.toLowerCase();
}
