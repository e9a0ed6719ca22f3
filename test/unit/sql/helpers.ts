import {
  parseStatement,
  SqlSyntaxError,
  type SqlValue,
  type Statement,
} from '../../../lib/sql/index.js';

export type CallStatement = Extract<Statement, { kind: 'call' }>;
export type SelectStatement = Extract<Statement, { kind: 'select' }>;

/** Parses `sql` and insists it is a CALL. */
export function parseCall(sql: string): CallStatement {
  const statement = parseStatement(sql);
  if (statement.kind !== 'call') throw new Error(`expected a CALL, got ${statement.kind}`);
  return statement;
}

/** The arguments of the CALL in `sql`. */
export function callArgs(sql: string): SqlValue[] {
  return parseCall(sql).args;
}

/** The single argument of `CALL p(<literal>)`. */
export function arg(literal: string): SqlValue {
  const args = callArgs(`CALL p(${literal})`);
  if (args.length !== 1) throw new Error(`expected one argument, got ${args.length}`);
  return args[0] as SqlValue;
}

/** Parses `sql` and insists it is a simple SELECT. */
export function parseSelect(sql: string): SelectStatement {
  const statement = parseStatement(sql);
  if (statement.kind !== 'select') throw new Error(`expected a select, got ${statement.kind}`);
  return statement;
}

/** The SqlSyntaxError `sql` raises, as near/line. */
export function syntaxError(sql: string): { near: string; line: number } {
  try {
    parseStatement(sql);
  } catch (error) {
    if (error instanceof SqlSyntaxError) return { near: error.near, line: error.line };
    throw error;
  }
  throw new Error(`expected a syntax error for ${JSON.stringify(sql)}`);
}

/** Bytes as a Buffer, for comparisons. */
export function bytes(...values: number[]): Buffer {
  return Buffer.from(values);
}

/** The `other` statement `sql` parses to: its keyword, and its start as the error quotes it. */
export function other(sql: string, keyword: string): Statement {
  return { kind: 'other', keyword, near: sql.trim().slice(0, 80) };
}
