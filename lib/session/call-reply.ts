import { Capability, ServerStatus } from '../protocol/constants.js';
import { ER, formatError, type WireError } from '../protocol/errors.js';
import type { PacketWriter } from '../protocol/packet-writer.js';
import { writeErr, writeOk, type OkFields } from '../protocol/packets.js';
import { writeTextResultSet, type ColumnFields, type TextCell } from '../protocol/result-set.js';

/** What a reply needs from its connection. */
export interface ReplyChannel {
  readonly writer: PacketWriter;
  readonly capabilities: number;
  /** Server status flags of the session now (autocommit, in transaction). */
  readonly statusFlags: number;
  /** What LAST_INSERT_ID() returns; a CALL's final OK may set it. */
  lastInsertId: number | bigint;
  /** True once the client is gone; writes are then dropped. */
  readonly closed: boolean;
  /** Sends what is buffered when it is large; resolves when the socket can take more. */
  flushIfLarge(): Promise<void> | void;
  /** Ends the reply: sends everything and lets the next command run. */
  endReply(): void;
  /** Logs an unexpected failure; the client only ever sees a generic error. */
  reportError(error: unknown): void;
}

/**
 * The reply to one CALL, in the only order the protocol allows: any number
 * of result sets (each flagged MORE_RESULTS_EXISTS), then exactly one final
 * OK or ERR. Sequence ids come from the channel's writer, so a gap is
 * impossible; after the final packet every further call is a no-op, and
 * the connection moves on to the next command whatever happens.
 */
export class CallReply {
  private finished = false;
  private finishHandlers: Array<() => void> = [];

  constructor(
    private readonly channel: ReplyChannel,
    /** Qualified procedure name, for the 1312 message. */
    readonly procedure: string,
  ) {}

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
    this.fireFinish();
  }

  /** Writes one result set; the returned promise (if any) is write backpressure. */
  resultSet(
    columns: readonly ColumnFields[],
    rows: readonly (readonly TextCell[])[],
  ): Promise<void> | void {
    if (!this.isOpen) return;
    const caps = this.channel.capabilities;
    if (!(caps & Capability.MULTI_RESULTS)) {
      return this.error(formatError(ER.SP_BADSELECT, this.procedure));
    }
    const status = this.channel.statusFlags | ServerStatus.MORE_RESULTS_EXISTS;
    try {
      writeTextResultSet(this.channel.writer, caps, columns, rows, status);
    } catch (error) {
      this.channel.writer.abortPacket();
      this.channel.reportError(error);
      return this.error(formatError(ER.SIGNAL_EXCEPTION));
    }
    return this.channel.flushIfLarge();
  }

  /** Ends the reply with the final OK. */
  ok(fields: OkFields = {}): void {
    this.end(() => {
      writeOk(this.channel.writer, fields, this.channel.statusFlags);
      if (fields.insertId) this.channel.lastInsertId = fields.insertId;
    });
  }

  /** Ends the reply with an ERR. */
  error(e: WireError): void {
    this.end(() => writeErr(this.channel.writer, e));
  }

  private end(write: () => void): void {
    if (this.finished) return;
    this.finished = true;
    try {
      if (!this.channel.closed) write();
    } catch (error) {
      // A value the packet cannot carry (an OK counter beyond 64 bits, say):
      // the client still gets a well-formed final packet.
      this.channel.writer.abortPacket();
      this.channel.reportError(error);
      writeErr(this.channel.writer, formatError(ER.SIGNAL_EXCEPTION));
    } finally {
      this.channel.endReply();
      this.fireFinish();
    }
  }

  private fireFinish(): void {
    const handlers = this.finishHandlers;
    this.finishHandlers = [];
    for (const h of handlers) h();
  }
}
