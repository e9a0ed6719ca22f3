import type { CallReply } from '../session/call-reply.js';
import type { MysqlConnection } from '../session/connection.js';

/** Longest argument list a log line carries, in characters. */
const MAX_ARGS_TEXT = 512;

/** An argument as the log shows it: bytes by length, long text cut. */
function argumentText(value: unknown): string {
  if (value === null) return 'NULL';
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/** A name as the log shows it: as it is when plain, else quoted, so no name can forge a field or a line. */
const token = (text: string): string => (/^[\w.@%:-]+$/.test(text) ? text : JSON.stringify(text));

/**
 * One line of the per-call log: who called what, for how long, and how it
 * ended, in `key=value` form that log tools split easily. Arguments only
 * when the log is set to carry them.
 */
export function formatCallLine(conn: MysqlConnection, reply: CallReply, ms: number): string {
  let line =
    `call ${token(reply.procedure)} id=${conn.connectionId} user=${token(conn.user)} ` +
    `host=${token(conn.host)} ` +
    `ms=${ms.toFixed(3)} outcome=${reply.outcome}`;
  if (reply.errorCode !== null) line += ` error=${reply.errorCode}`;
  const args = reply.loggedArgs;
  if (args !== null) {
    let text = args.map(argumentText).join(', ');
    if (text.length > MAX_ARGS_TEXT) text = `${text.slice(0, MAX_ARGS_TEXT)}...`;
    line += ` args=(${text})`;
  }
  return line;
}
