import { ER, formatError } from '../protocol/errors.js';
import { evaluate } from '../sql/expression/index.js';
import type { Statement } from '../sql/index.js';
import type { MysqlConnection } from './connection.js';
import { sessionEvaluationContext } from './session-state/evaluation.js';
import { evaluationErrorToWire } from './session-refusal.js';

type KillStatement = Extract<Statement, { kind: 'kill' }>;

/** `KILL [CONNECTION | QUERY] expr`: the id is evaluated as MySQL does, to an integer. */
export function runKill(conn: MysqlConnection, statement: KillStatement): void {
  let value;
  try {
    value = evaluate(statement.id, sessionEvaluationContext(conn));
  } catch (error) {
    const wire = evaluationErrorToWire(error);
    if (wire === null) throw error;
    return conn.replyError(wire);
  }
  killThread(conn, threadId(value), statement.target);
}

/** The thread id an evaluated KILL argument names (MySQL's val_int: rounded, NULL as 0). */
function threadId(value: unknown): number {
  if (typeof value === 'bigint') return value < 0n || value > 0xffffffffn ? -1 : Number(value);
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number.parseFloat(String(value));
  return Number.isFinite(n) ? Math.round(n) : 0;
}

/**
 * Stops thread `id`'s running call (`query`) or closes it
 * (`connection`), as KILL and COM_PROCESS_KILL do. An account may kill
 * the threads of its own user name; an admin any (ERR 1095 otherwise);
 * an id that is not open is ERR 1094. Killing one's own connection
 * interrupts the KILL itself: ERR 1317, then (for CONNECTION) the close.
 */
export function killThread(
  conn: MysqlConnection,
  id: number,
  target: 'connection' | 'query',
): void {
  const victim = id > 0 ? conn.services.session(id) : undefined;
  const shown = String(Math.max(0, id));
  if (!victim || victim.closed) return conn.replyError(formatError(ER.NO_SUCH_THREAD, shown));
  const owned = victim.isLoggedIn && victim.user === conn.user;
  if (!owned && !conn.account.admin) {
    return conn.replyError(formatError(ER.KILL_DENIED, shown));
  }
  if (victim === conn) {
    conn.replyError(formatError(ER.QUERY_INTERRUPTED));
    if (target === 'connection') conn.kill();
    return;
  }
  if (target === 'query') victim.interruptCall('killed');
  else victim.kill();
  conn.replyOk();
}
