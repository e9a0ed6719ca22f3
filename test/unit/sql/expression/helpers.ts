import {
  EvaluationBudget,
  checkExpression,
  evaluateValue,
  outputCell,
  parseExpression,
  typeOf,
  type EvaluationContext,
  type Expr,
  type SessionFacts,
} from '../../../../lib/sql/expression/index.js';
import { Lexer } from '../../../../lib/sql/lexer.js';
import { Tok } from '../../../../lib/sql/token-type.js';
import type { SqlValue } from '../../../../lib/sql/types.js';

/** A session's facts for tests. */
export const FACTS: SessionFacts = {
  database: 'rpc',
  user: 'u@127.0.0.1',
  currentUser: 'u@%',
  version: '8.0.36-nestjs-mysql-rpc',
  connectionId: 7,
  lastInsertId: 0,
  now: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
  utc: true,
  maxAllowedPacket: 1 << 20,
};

/** A context over plain maps of variables. */
export function context(
  users: Record<string, SqlValue> = {},
  system: Record<string, SqlValue> = { version_comment: 'test server', wait_timeout: 28800 },
  facts: Partial<SessionFacts> = {},
): EvaluationContext {
  return {
    userVariable: (name) => (Object.hasOwn(users, name) ? users[name] : undefined),
    systemVariable: (name) => (Object.hasOwn(system, name) ? system[name] : undefined),
    session: { ...FACTS, ...facts },
    budget: new EvaluationBudget(),
  };
}

/** Parses one whole expression. */
export function parse(text: string): Expr {
  const lx = new Lexer(text);
  lx.next();
  const expr = parseExpression(lx);
  if (lx.type !== Tok.Eof) throw new Error(`trailing text at ${lx.start} in ${text}`);
  return expr;
}

/** The expression's value as a text row would show it (NULL as 'NULL'), typed as MySQL types it. */
export function show(text: string, ctx: EvaluationContext = context()): string {
  const expr = parse(text);
  checkExpression(expr, ctx.session.database);
  const cell = outputCell(evaluateValue(expr, ctx), typeOf(expr, { context: ctx }));
  if (cell === null) return 'NULL';
  if (Buffer.isBuffer(cell)) return cell.toString('utf8');
  return String(cell);
}
