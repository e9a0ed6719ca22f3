import type { SqlValue } from '../sql/index.js';
import type { CallReply } from './call-reply.js';
import type { ProcedureCatalog } from './procedure-catalog.js';
import type { SessionInfo } from './session-info.js';

/** One decoded CALL statement, with the session it arrived on. */
export interface ProcedureCall {
  /** Schema the procedure is looked up in: the qualifier, else the current or default database. */
  readonly schema: string;
  /** Procedure name as the client wrote it. */
  readonly name: string;
  /** Positional arguments. */
  readonly args: SqlValue[];
  /**
   * For each argument, the user variable it was written as (`CALL p(@x)`,
   * lower-cased name without `@`), else null (the list may be shorter than
   * the arguments). An OUT or INOUT parameter needs one, or a placeholder
   * (ERR 1414 otherwise).
   */
  readonly variables: readonly (string | null)[];
  /** Positions of the `?` arguments of a prepared CALL, whose OUT values go back as a result set; empty otherwise. */
  readonly placeholders: readonly number[];
  /** Arrived through COM_STMT_EXECUTE (binary protocol) rather than COM_QUERY. */
  readonly prepared: boolean;
  /** True when the client wrote `schema.name`. */
  readonly qualified: boolean;
  readonly session: SessionInfo;
}

/**
 * Runs CALLs. The session knows nothing of Nest: the server hands it a
 * dispatcher, and the dispatcher must end every reply with `ok` or `error`.
 */
export interface CallDispatcher extends ProcedureCatalog {
  dispatch(call: ProcedureCall, reply: CallReply): void;
  /** True when a handler of this name is open to every account (`@MysqlPublic()`). */
  isPublic(name: string): boolean;
}
