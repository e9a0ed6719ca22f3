import { performance } from 'node:perf_hooks';
import { Capability, ServerStatus } from '../protocol/constants.js';
import { ER, formatError, type WireError } from '../protocol/errors.js';
import type { PacketWriter } from '../protocol/packet-writer.js';
import { writeEndMarker, writeErr, writeOk, type OkFields } from '../protocol/packets.js';
import { writeBinaryRow } from '../protocol/binary/binary-row.js';
import type { SqlValue } from '../sql/index.js';
import type { OutParameter } from './out-parameters.js';
import type { MysqlCallOutcome, ProcedureStats } from '../status/server-stats.js';
import type { MysqlCallSpan } from '../status/call-tracer.js';
import type { CallTicket } from './call-slots.js';
import {
  writeResultSetHeader,
  writeTextRow,
  type ColumnFields,
  type TextCell,
} from '../protocol/result-set.js';

/** What a reply needs from its connection. */
export interface ReplyChannel {
  readonly writer: PacketWriter;
  readonly capabilities: number;
  /** Server status flags of the session now (autocommit, in transaction). */
  readonly statusFlags: number;
  /** Largest packet payload the server sends or accepts (max_allowed_packet). */
  readonly maxPacketSize: number;
  /** What LAST_INSERT_ID() returns; a CALL's final OK may set it. */
  lastInsertId: number | bigint;
  /** True once the client is gone; writes are then dropped. */
  readonly closed: boolean;
  /** Bytes the socket holds that the client has not taken yet. */
  readonly socketBacklog: number;
  /** Hands what is buffered to the socket; false when the socket takes no more until it drains. */
  flushNow(): boolean;
  /**
   * Hands what is buffered to the socket; resolves when the socket can take
   * more (after other connections' work has had its turn).
   */
  flushAndYield(): Promise<void>;
  /** Ends the reply: sends everything and lets the next command (or statement) run; `failed` for an ERR. */
  endReply(failed?: boolean): void;
  /** Logs an unexpected failure; the client only ever sees a generic error. */
  reportError(error: unknown): void;
  /** The command came through COM_STMT_EXECUTE: rows go in the binary protocol. */
  readonly binaryResults: boolean;
  /** Applies assignments to the session's user variables, all or none; the error past its limits. */
  assignUserVariables(assignments: ReadonlyArray<readonly [string, SqlValue]>): WireError | null;
  /** A call's reply has ended (written, or the client gone): count it, log it. */
  callEnded(reply: CallReply): void;
  /** The max_execution_time the session set for itself, in ms; 0 when it set none. */
  readonly sessionCallTimeout: number;
  /** The reason an interrupted call's AbortSignal carries, for the ERR its client got. */
  abortReason(error: WireError): Error;
}

/** Why a call was stopped before its handler finished. */
export type CallInterruption = 'killed' | 'timeout' | 'shutdown';

/** The ERR a stopped call answers with. */
const INTERRUPTION_ERRORS: Readonly<Record<CallInterruption, WireError>> = {
  killed: formatError(ER.QUERY_INTERRUPTED),
  timeout: formatError(ER.QUERY_TIMEOUT),
  shutdown: formatError(ER.SERVER_SHUTDOWN),
};

/** How a CALL arrived, which decides how its reply is written. */
export interface CallReplyOptions {
  /** The user variable written at each argument position, for OUT values. */
  readonly variables?: readonly (string | null)[];
  /** Positions of the `?` arguments of a prepared CALL, whose OUT values form the OUT result set. */
  readonly placeholders?: readonly number[];
}

/** A parameter's value as a text cell, which the binary row writer converts by the column's type. */
function outCell(value: SqlValue): TextCell {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/**
 * The reply to one CALL, in the only order the protocol allows: any number
 * of result sets (header, rows, end marker flagged MORE_RESULTS_EXISTS),
 * then exactly one final OK or ERR. Sequence ids come from the channel's
 * writer, so a gap is impossible; an ERR may stand in for a row, as in
 * MySQL; after the final packet every further call is a no-op, and the
 * connection moves on to the next command whatever happens.
 */
export class CallReply implements CallTicket {
  /** performance.now() when the call began, for its duration. */
  readonly startedAt = performance.now();
  /** How the call ended; set once the reply has ended. */
  outcome: MysqlCallOutcome = 'ok';
  /** The code of the ERR that ended it, or null. */
  errorCode: number | null = null;
  /** The procedure's counters, once the dispatcher has found it. */
  procedureStats: ProcedureStats | null = null;
  /** The tracer's span of this call, if a tracer took it. */
  span: MysqlCallSpan | null = null;
  /** The timer of the call's max_execution_time, if any. */
  timer: NodeJS.Timeout | null = null;
  private finished = false;
  slot: CallTicket['slot'] = 'new';
  slotRun: (() => void) | null = null;
  /** The call's arguments, kept only when the call log prints them. */
  loggedArgs: readonly SqlValue[] | null = null;
  /** Made when a handler first asks for the signal: most never do. */
  private abortController: AbortController | null = null;
  /** Why it was stopped, or null. */
  private interruption: CallInterruption | null = null;
  /** A result set's header is written and its end marker is not. */
  private inResultSet = false;
  private finishHandlers: Array<() => void> = [];
  /** Rows go in the binary protocol (a prepared CALL). */
  private readonly binary: boolean;
  /** Columns of the open result set, which binary rows are encoded by. */
  private columns: readonly ColumnFields[] = [];

  constructor(
    private readonly channel: ReplyChannel,
    /** Qualified procedure name, for the 1312 message. */
    readonly procedure: string,
    private readonly options: CallReplyOptions = {},
  ) {
    this.binary = channel.binaryResults;
  }

  /** The max_execution_time the session set for itself, in ms; 0 when it set none. */
  get sessionCallTimeout(): number {
    return this.channel.sessionCallTimeout;
  }

  /** Waiting for a slot under maxCallsInFlight (SHOW PROCESSLIST's State). */
  get waiting(): boolean {
    return this.slot === 'waiting';
  }

  /** False once the final packet is written or the client has gone. */
  get isOpen(): boolean {
    return !this.finished && !this.channel.closed;
  }

  /** Runs `handler` once when the reply ends: final packet written, or client gone. */
  onFinish(handler: () => void): void {
    if (this.finished) handler();
    else this.finishHandlers.push(handler);
  }

  /** Called by the connection when the socket closes before the reply ended. */
  abort(): void {
    if (this.finished) return;
    this.finished = true;
    this.outcome = this.interruption === null ? 'aborted' : outcomeOf(this.interruption);
    this.abortController?.abort(this.reason(this.interruption ?? 'killed'));
    this.channel.callEnded(this);
    this.fireFinish();
  }

  /**
   * Aborted when the call is stopped (KILL, max_execution_time, shutdown)
   * or its client goes away: what a handler passes on to fetch, timers and
   * the like so that it stops working for nobody. Its reason is the
   * MysqlError the client got.
   */
  get signal(): AbortSignal {
    if (!this.abortController) {
      this.abortController = new AbortController();
      if (this.finished && this.outcome !== 'ok' && this.outcome !== 'error') {
        this.abortController.abort(this.reason(this.interruption ?? 'killed'));
      }
    }
    return this.abortController.signal;
  }

  private reason(why: CallInterruption): Error {
    return this.channel.abortReason(INTERRUPTION_ERRORS[why]);
  }

  /**
   * Stops the call: its client gets the ERR for `why` at once, the
   * handler's signal aborts, and whatever the handler produces later is
   * dropped. False when the reply had already ended.
   */
  interrupt(why: CallInterruption): boolean {
    if (this.finished) return false;
    this.interruption = why;
    this.error(INTERRUPTION_ERRORS[why]);
    this.abortController?.abort(this.reason(why));
    return true;
  }

  /**
   * Starts a result set; false when the reply cannot take one (it has
   * ended, or the client cannot read result sets from a CALL: ERR 1312).
   */
  beginResultSet(columns: readonly ColumnFields[]): boolean {
    if (!this.isOpen) return false;
    if (this.inResultSet) this.endResultSet();
    const caps = this.channel.capabilities;
    if (!(caps & Capability.MULTI_RESULTS)) {
      this.error(formatError(ER.SP_BADSELECT, this.procedure));
      return false;
    }
    writeResultSetHeader(this.channel.writer, caps, columns, this.moreResultsStatus());
    this.columns = columns;
    this.inResultSet = true;
    return true;
  }

  /**
   * Writes one row of the open result set. A row larger than
   * max_allowed_packet ends the reply with ERR 1153 instead, before any of
   * it is encoded; returns false once the reply can take no more rows.
   */
  row(cells: readonly TextCell[]): boolean {
    if (!this.inResultSet || !this.isOpen) return false;
    const { writer, maxPacketSize } = this.channel;
    const written = this.binary
      ? writeBinaryRow(writer, this.columns, cells, maxPacketSize)
      : writeTextRow(writer, cells, maxPacketSize);
    if (written) return true;
    this.error(formatError(ER.NET_PACKET_TOO_LARGE));
    return false;
  }

  /** Closes the open result set with its end marker. */
  endResultSet(extraStatus = 0): void {
    if (!this.inResultSet) return;
    this.inResultSet = false;
    if (!this.isOpen) return;
    const { writer, capabilities } = this.channel;
    writeEndMarker(writer, capabilities, this.moreResultsStatus() | extraStatus);
  }

  /** Bytes framed and not yet handed to the socket. */
  get bufferedBytes(): number {
    return this.channel.writer.length;
  }

  /** Bytes written for this connection that the client has not taken yet. */
  get unsentBytes(): number {
    return this.channel.writer.length + this.channel.socketBacklog;
  }

  /** Hands what is buffered to the socket; false when the socket takes no more until it drains. */
  flush(): boolean {
    return this.channel.flushNow();
  }

  /** Hands what is buffered to the socket, then resolves once other work may have run. */
  yieldSlice(): Promise<void> {
    return this.channel.flushAndYield();
  }

  /**
   * Hands back the OUT and INOUT values, just before the final OK. A text
   * CALL assigns each to the user variable written at its position (the
   * dispatcher has checked there is one: ERR 1414 otherwise). False when
   * the reply has ended, or ends here because the values would pass the
   * session's user-variable limits.
   */
  outParameters(params: readonly OutParameter[]): boolean {
    if (!this.isOpen) return false;
    this.endResultSet();
    const variables = this.options.variables ?? [];
    const assignments: Array<[string, SqlValue]> = [];
    for (const p of params) {
      const name = variables[p.position];
      if (name) assignments.push([name, p.value]);
    }
    const refused = assignments.length > 0 ? this.channel.assignUserVariables(assignments) : null;
    if (refused) {
      this.error(refused);
      return false;
    }
    const placeholders = this.options.placeholders;
    if (!this.binary || !placeholders || placeholders.length === 0) return true;
    const bound = params.filter((p) => placeholders.includes(p.position));
    return bound.length === 0 || this.outParameterResultSet(bound);
  }

  /**
   * A prepared CALL's OUT values: one row, flagged SERVER_PS_OUT_PARAMS
   * in its metadata and its end marker, as JDBC's registerOutParameter and
   * libmysqlclient's mysql_stmt_next_result expect.
   */
  private outParameterResultSet(params: readonly OutParameter[]): boolean {
    const { writer, capabilities, maxPacketSize } = this.channel;
    const columns = params.map((p) => p.column);
    // As MySQL: a client without CLIENT_PS_MULTI_RESULTS cannot read OUT values, so none are sent.
    if (!(capabilities & Capability.PS_MULTI_RESULTS)) return true;
    const status = this.moreResultsStatus() | ServerStatus.PS_OUT_PARAMS;
    writeResultSetHeader(writer, capabilities, columns, status);
    this.columns = columns;
    this.inResultSet = true;
    if (
      !writeBinaryRow(
        writer,
        columns,
        params.map((p) => outCell(p.value)),
        maxPacketSize,
      )
    ) {
      this.error(formatError(ER.NET_PACKET_TOO_LARGE));
      return false;
    }
    this.endResultSet(ServerStatus.PS_OUT_PARAMS);
    return true;
  }

  /** Ends the reply with the final OK, closing a result set left open. */
  ok(fields: OkFields = {}): void {
    this.endResultSet();
    this.end(() => {
      writeOk(this.channel.writer, fields, this.channel.statusFlags);
      if (fields.insertId) this.channel.lastInsertId = fields.insertId;
    });
  }

  /** Ends the reply with an ERR; inside a result set it stands in for the next row. */
  error(e: WireError): void {
    this.inResultSet = false;
    this.end(() => writeErr(this.channel.writer, e), true, e.code);
  }

  // Every result set of a CALL is followed by at least the final OK.
  private moreResultsStatus(): number {
    return this.channel.statusFlags | ServerStatus.MORE_RESULTS_EXISTS;
  }

  private end(write: () => void, failed = false, code: number | null = null): void {
    if (this.finished) return;
    this.finished = true;
    if (this.interruption !== null) this.outcome = outcomeOf(this.interruption);
    else if (failed) this.outcome = 'error';
    this.errorCode = code;
    try {
      if (!this.channel.closed) write();
    } catch (error) {
      // A value the packet cannot carry (an OK counter beyond 64 bits, say):
      // the client still gets a well-formed final packet.
      this.channel.writer.abortPacket();
      this.channel.reportError(error);
      writeErr(this.channel.writer, formatError(ER.SIGNAL_EXCEPTION));
      this.outcome = 'error';
      this.errorCode = ER.SIGNAL_EXCEPTION.code;
    } finally {
      this.channel.callEnded(this);
      this.channel.endReply(failed);
      this.fireFinish();
    }
  }

  private fireFinish(): void {
    const handlers = this.finishHandlers;
    this.finishHandlers = [];
    for (const h of handlers) h();
  }
}

const outcomeOf = (why: CallInterruption): MysqlCallOutcome =>
  why === 'timeout' ? 'timeout' : 'killed';
