import type { MysqlCallEnd } from './status-report.js';

/** What a tracer learns when a call starts. */
export interface MysqlCallStart {
  /** The procedure as registered (`myadd`). */
  readonly procedure: string;
  /** The schema it was called in. */
  readonly schema: string;
  /** User name and client address of the connection. */
  readonly user: string;
  readonly host: string;
  readonly connectionId: number;
  /** The call came through COM_STMT_EXECUTE. */
  readonly prepared: boolean;
}

/**
 * Sees each call that reaches a procedure: `start` when it begins, and
 * the returned span's `end` once its reply has ended (OK, ERR, timeout,
 * KILL, or the client gone), exactly once. Throwing from either is
 * logged and does not touch the call.
 */
export interface MysqlCallTracer {
  start(call: MysqlCallStart): MysqlCallSpan | void;
}

/** One traced call. */
export interface MysqlCallSpan {
  end(result: MysqlCallEnd): void;
}
