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
  /** True once the client is gone; writes are then dropped. */
  readonly closed: boolean;
  /** Sends what is buffered when it is large; resolves when the socket can take more. */
  flushIfLarge(): Promise<void> | void;
  /** Ends the reply: sends everything and lets the next command run. */
  endReply(): void;
}

/**
 * The reply to one CALL, in the only order the protocol allows: any number
 * of result sets (each flagged MORE_RESULTS_EXISTS), then exactly one final
 * OK or ERR. Sequence ids come from the channel's writer, so a gap is
 * impossible; after the final packet every further call is a no-op.
 */
export class CallReply {
  private finished = false;
  private abortHandlers: Array<() => void> = [];

  constructor(
    private readonly channel: ReplyChannel,
    /** Qualified procedure name, for the 1312 message. */
    readonly procedure: string,
  ) {}

  /** False once the final packet is written or the client has gone. */
  get isOpen(): boolean {
    return !this.finished && !this.channel.closed;
  }

  /** Registers work to cancel when the client disconnects before the reply ends. */
  onAbort(handler: () => void): void {
    if (this.channel.closed) handler();
    else this.abortHandlers.push(handler);
  }

  /** Called by the connection when the socket closes. */
  abort(): void {
    const handlers = this.abortHandlers;
    this.abortHandlers = [];
    for (const h of handlers) h();
  }

  /** Writes one result set; the returned promise (if any) is write backpressure. */
  resultSet(
    columns: readonly ColumnFields[],
    rows: readonly (readonly TextCell[])[],
  ): Promise<void> | void {
    if (!this.isOpen) return;
    const caps = this.channel.capabilities;
    if (!(caps & Capability.MULTI_RESULTS)) {
      this.error(formatError(ER.SP_BADSELECT, this.procedure));
      return;
    }
    const status = this.channel.statusFlags | ServerStatus.MORE_RESULTS_EXISTS;
    writeTextResultSet(this.channel.writer, caps, columns, rows, status);
    return this.channel.flushIfLarge();
  }

  /** Ends the reply with the final OK. */
  ok(fields: OkFields = {}): void {
    if (!this.isOpen) return this.settle();
    this.finished = true;
    writeOk(this.channel.writer, fields, this.channel.statusFlags);
    this.channel.endReply();
  }

  /** Ends the reply with an ERR. */
  error(e: WireError): void {
    if (!this.isOpen) return this.settle();
    this.finished = true;
    writeErr(this.channel.writer, e);
    this.channel.endReply();
  }

  private settle(): void {
    if (this.finished) return;
    this.finished = true;
    this.channel.endReply();
  }
}
