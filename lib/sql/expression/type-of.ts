import type { Expr, ExprOf } from './ast.js';
import { castType } from './cast.js';
import type { EvaluationContext } from './context.js';
import { Decimal } from './decimal.js';
import { builtinFunction } from './functions.js';
import {
  arithmeticType,
  lengthOf,
  stringType,
  typeOfValue,
  Types,
  unionType,
  type ResultType,
} from './result-type.js';
import { fromSqlValue } from './value.js';

/** Where typeOf finds the types of what an expression reads. */
export interface TypeScope {
  /** Variables are typed by their current values. */
  readonly context: EvaluationContext;
  /** A column's declared type. */
  columnType?(ref: ExprOf<'column'>): ResultType;
  /** An aggregate's type (the query engine's). */
  aggregateType?(call: ExprOf<'call'>): ResultType;
}

/**
 * The type of an expression's result column, decided before any row is read, as MySQL
 * decides it: integer literals and arithmetic are BIGINT, `/` and decimal literals DECIMAL
 * with MySQL's scales, exponent literals DOUBLE, comparisons and logic BIGINT, string
 * functions VARCHAR, CASE / IF / COALESCE the union of their branches. Variables have the
 * type of their current value. Checks nothing: run checkExpression first.
 */
export function typeOf(expr: Expr, scope: TypeScope): ResultType {
  switch (expr.kind) {
    case 'int':
      return typeOfValue(expr.value);
    case 'decimal':
      return { kind: 'decimal', scale: Decimal.parse(expr.text).scale };
    case 'double':
      return Types.DOUBLE;
    case 'string':
      return stringType(expr.value.length);
    case 'bytes':
      return { kind: 'binary', length: expr.value.length };
    case 'null':
      return Types.NULL;
    case 'userVariable':
      return typeOfValue(fromSqlValue(scope.context.userVariable(expr.name)));
    case 'systemVariable':
      return typeOfValue(fromSqlValue(scope.context.systemVariable(expr.name, expr.scope)));
    case 'column':
      return scope.columnType ? scope.columnType(expr) : Types.STRING;
    case 'unary':
      if (expr.op === 'NOT') return Types.INT;
      if (expr.op === '~') return Types.UNSIGNED;
      return negatedType(typeOf(expr.arg, scope));
    case 'arithmetic':
      return arithmeticType(expr.op, operandType(expr.left, scope), operandType(expr.right, scope));
    case 'compare':
    case 'logical':
    case 'is':
    case 'like':
    case 'in':
    case 'between':
      return Types.INT;
    case 'case':
      return unionType([
        ...expr.whens.map((w) => typeOf(w.then, scope)),
        expr.otherwise ? typeOf(expr.otherwise, scope) : Types.NULL,
      ]);
    case 'call':
      return callType(expr, scope);
    case 'cast':
      return castType(expr.to);
    case 'collate':
      return typeOf(expr.arg, scope);
    case 'trim':
      return stringType(lengthOf(typeOf(expr.arg, scope)));
  }
}

/** A hex literal in arithmetic is an unsigned integer. */
function operandType(expr: Expr, scope: TypeScope): ResultType {
  if (expr.kind === 'bytes' && expr.numeric) return Types.UNSIGNED;
  const t = typeOf(expr, scope);
  return t.kind === 'string' || t.kind === 'binary' || t.kind === 'temporal' ? Types.DOUBLE : t;
}

function negatedType(t: ResultType): ResultType {
  if (t.kind === 'int') return Types.INT;
  if (t.kind === 'decimal' || t.kind === 'double' || t.kind === 'null') return t;
  return Types.DOUBLE;
}

function callType(expr: ExprOf<'call'>, scope: TypeScope): ResultType {
  if (scope.aggregateType && expr.schema === null) {
    const name = expr.name.toUpperCase();
    if (name === 'COUNT' || name === 'SUM' || name === 'MIN' || name === 'MAX' || name === 'AVG') {
      return scope.aggregateType(expr);
    }
  }
  const spec = expr.schema === null ? builtinFunction(expr.name) : undefined;
  if (spec === undefined) return Types.NULL;
  return spec.type(
    expr.args.map((a) => typeOf(a, scope)),
    expr.args,
  );
}
