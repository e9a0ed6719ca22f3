import type { Expr } from './ast.js';
import { doubleText } from './value.js';

/** Longest text an error message quotes of an expression. */
const MAX_PRINTED = 192;

const quoteString = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const quoteName = (s: string): string => '`' + s.replace(/`/g, '``') + '`';

/**
 * An expression as MySQL prints it in messages such as ER_DATA_OUT_OF_RANGE's: operators
 * in parentheses, `(9223372036854775807 + 1)`; cut to 192 characters.
 */
export function printExpression(expr: Expr): string {
  const out = print(expr, 0);
  return out.length > MAX_PRINTED ? out.slice(0, MAX_PRINTED) : out;
}

function print(e: Expr, depth: number): string {
  // The message is cut anyway: deep trees need not be printed whole.
  if (depth > 32) return '...';
  const p = (x: Expr) => print(x, depth + 1);
  switch (e.kind) {
    case 'int':
      return e.value.toString();
    case 'decimal':
      return e.text;
    case 'double':
      return doubleText(e.value);
    case 'string':
      return quoteString(e.value);
    case 'bytes':
      return `0x${Buffer.from(e.value).toString('hex')}`;
    case 'null':
      return 'NULL';
    case 'userVariable':
      return `@${quoteName(e.name)}`;
    case 'systemVariable':
      return `@@${e.scope === null ? '' : e.scope + '.'}${e.name}`;
    case 'column':
      return [e.schema, e.table, e.name]
        .filter((x) => x !== null)
        .map((x) => quoteName(x!))
        .join('.');
    case 'unary':
      return e.op === 'NOT' ? `(not(${p(e.arg)}))` : `${e.op}(${p(e.arg)})`;
    case 'arithmetic':
      return `(${p(e.left)} ${e.op === 'DIV' ? 'DIV' : e.op} ${p(e.right)})`;
    case 'compare':
      return `(${p(e.left)} ${e.op} ${p(e.right)})`;
    case 'logical':
      return `(${e.args.map(p).join(` ${e.op.toLowerCase()} `)})`;
    case 'is':
      return `(${p(e.arg)} is ${e.not ? 'not ' : ''}${e.test.toLowerCase()})`;
    case 'like':
      return `(${p(e.arg)} ${e.not ? 'not ' : ''}like ${p(e.pattern)})`;
    case 'in':
      return `(${p(e.arg)} ${e.not ? 'not ' : ''}in (${e.list.map(p).join(',')}))`;
    case 'between':
      return `(${p(e.arg)} ${e.not ? 'not ' : ''}between ${p(e.low)} and ${p(e.high)})`;
    case 'case':
      return `(case ${e.operand ? p(e.operand) + ' ' : ''}${e.whens
        .map((w) => `when ${p(w.when)} then ${p(w.then)}`)
        .join(' ')}${e.otherwise ? ' else ' + p(e.otherwise) : ''} end)`;
    case 'call':
      return `${e.name.toLowerCase()}(${e.star ? '*' : e.args.map(p).join(',')})`;
    case 'cast':
      return `cast(${p(e.arg)} as ${e.to.type.toLowerCase()})`;
    case 'collate':
      return `(${p(e.arg)} collate ${e.collation})`;
    case 'trim':
      return `trim(${p(e.arg)})`;
  }
}
