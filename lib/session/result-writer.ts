import { isObservable, Subscription, type Observable } from 'rxjs';
import { ER, formatError, type WireError } from '../protocol/errors.js';
import type { Cell, EncodeOptions } from '../results/cell-encoder.js';
import type { TypedColumn } from '../results/infer-column.js';
import {
  declaredColumn,
  encodeRow,
  encodeStreamRow,
  TableTyping,
  type RowTable,
} from '../results/result-builder.js';
import type { MysqlResultStream } from '../results/result-stream.js';
import type { MysqlRow } from '../results/result-values.js';
import type { CallReply } from './call-reply.js';

/**
 * Work a slice may do before it yields to the event loop, so that one large
 * result never holds up the other connections for long. A slice also ends
 * as soon as the socket stops taking bytes, and waits for it to drain.
 */
export const SLICE_MS = 1;
/** Output handed to the socket at a time, within a slice. */
export const SLICE_BYTES = 64 * 1024;
/** Cells typed or encoded between two looks at the clock. */
const CHUNK_CELLS = 1024;
/** Streamed rows pulled between two looks at the clock. */
const CHUNK_ROWS = 256;
/**
 * Output an Observable of rows may leave unsent while the client is not
 * reading: an Observable cannot be paused, so past this the call ends
 * with ERR 1161 rather than buffering without bound.
 */
export const OBSERVABLE_BACKLOG = 16 * 1024 * 1024;

/** What the writers need besides the reply. */
export interface ResultWriterOptions {
  readonly encode: EncodeOptions;
  /** Maps an error from a row source to what the client may see. */
  toWireError(error: unknown): WireError;
}

const chunkRows = (columns: number): number => Math.max(1, Math.floor(CHUNK_CELLS / columns));

/**
 * Writes a table of rows as one result set: types its columns over every
 * row, then encodes the rows, in slices that yield to the event loop and
 * wait while the client is not reading. A table that fits in one slice is
 * written at once, with no promise at all.
 */
export function writeTable(
  reply: CallReply,
  table: RowTable,
  options: ResultWriterOptions,
): Promise<void> | void {
  const writer = new TableWriter(reply, table, options.encode);
  if (!writer.step()) return;
  return continueInSlices(reply, () => writer.step(), options);
}

class TableWriter {
  private typing: TableTyping | null = null;
  private chunk: number;
  private columns: TypedColumn[] | null = null;
  private cells: Cell[] = [];
  private next = 1;

  constructor(
    private readonly reply: CallReply,
    private readonly table: RowTable,
    private readonly encode: EncodeOptions,
  ) {
    this.chunk = chunkRows(table.names.length);
  }

  /** Does one slice of work; true while work remains. */
  step(): boolean {
    const { table, reply } = this;
    // A table of one chunk is done in one go: no need to look at the clock.
    const deadline = table.length > this.chunk ? performance.now() + SLICE_MS : Infinity;
    if (this.typing === null) {
      // Columns first: rows that are objects may add keys up to the last one.
      while (table.addNames && this.next < table.length) {
        this.next = Math.min(table.length, this.next + this.chunk);
        table.addNames(this.next);
        if (this.next < table.length && performance.now() >= deadline) return true;
      }
      this.typing = new TableTyping(table);
      this.chunk = chunkRows(table.names.length);
      this.next = 0;
    }
    if (this.columns === null) {
      for (;;) {
        const to = Math.min(table.length, this.next + this.chunk);
        this.typing!.observe(this.next, to);
        this.next = to;
        if (to === table.length) break;
        if (performance.now() >= deadline) return true;
      }
      this.columns = this.typing!.resolve();
      this.cells = new Array<Cell>(this.columns.length);
      this.next = 0;
      if (!reply.beginResultSet(this.columns.map((c) => c.definition))) return false;
    }
    while (this.next < table.length) {
      const end = Math.min(table.length, this.next + this.chunk);
      while (this.next < end) {
        const cells = encodeRow(table, this.next++, this.columns, this.encode, this.cells);
        if (!reply.row(cells)) return false;
        // A socket that takes no more ends the slice; the next waits for it to drain.
        if (reply.bufferedBytes >= SLICE_BYTES && !reply.flush())
          return this.next < table.length || this.finish();
      }
      if (this.next < table.length && performance.now() >= deadline) return true;
    }
    return this.finish();
  }

  private finish(): false {
    this.reply.endResultSet();
    return false;
  }
}

/** Runs `step` after each yield until it reports no more work; never rejects. */
async function continueInSlices(
  reply: CallReply,
  step: () => boolean,
  options: ResultWriterOptions,
): Promise<void> {
  try {
    do {
      await reply.yieldSlice();
      if (!reply.isOpen) return;
    } while (step());
  } catch (error) {
    reply.error(options.toWireError(error));
  }
}

/**
 * Writes a MysqlResultStream as one result set. Iterables are pulled a
 * slice at a time and only while the socket takes more, so a client that
 * stops reading pauses the source; the source is closed however the reply
 * ends. Never rejects: a failing source ends the reply with an ERR.
 */
export function writeStream(
  reply: CallReply,
  stream: MysqlResultStream,
  options: ResultWriterOptions,
): Promise<void> {
  const columns = stream.columns.map((c) => declaredColumn(c)!);
  if (!reply.beginResultSet(columns.map((c) => c.definition))) return Promise.resolve();
  const source = stream.rows;
  if (isObservable(source)) return writeObservable(reply, source, columns, options);
  return writeIterable(reply, source, columns, options);
}

async function writeIterable(
  reply: CallReply,
  source: AsyncIterable<MysqlRow> | Iterable<MysqlRow>,
  columns: readonly TypedColumn[],
  options: ResultWriterOptions,
): Promise<void> {
  const isAsync = typeof (source as AsyncIterable<MysqlRow>)[Symbol.asyncIterator] === 'function';
  let iterator: AsyncIterator<MysqlRow> | Iterator<MysqlRow> | undefined;
  let finished = false;
  const cells = new Array<Cell>(columns.length);
  try {
    iterator = isAsync
      ? (source as AsyncIterable<MysqlRow>)[Symbol.asyncIterator]()
      : (source as Iterable<MysqlRow>)[Symbol.iterator]();
    while (reply.isOpen) {
      const deadline = performance.now() + SLICE_MS;
      for (let n = 1; ; n++) {
        const result = isAsync
          ? await iterator.next()
          : (iterator.next() as IteratorResult<MysqlRow>);
        if (result.done) {
          finished = true;
          reply.endResultSet();
          return;
        }
        if (!reply.row(encodeStreamRow(result.value, columns, options.encode, cells))) return;
        // The source is pulled only while the socket takes what it gives.
        if (reply.bufferedBytes >= SLICE_BYTES && !reply.flush()) break;
        if (n % CHUNK_ROWS === 0 && performance.now() >= deadline) break;
      }
      await reply.yieldSlice();
    }
  } catch (error) {
    finished = true;
    reply.error(options.toWireError(error));
  } finally {
    // A source that did not run to its end is told so (a generator's
    // `finally` runs, a cursor closes); its own failure to close is moot.
    if (!finished && iterator?.return) {
      try {
        await iterator.return();
      } catch {
        // nothing more to tell the client
      }
    }
  }
}

function writeObservable(
  reply: CallReply,
  source: Observable<MysqlRow>,
  columns: readonly TypedColumn[],
  options: ResultWriterOptions,
): Promise<void> {
  const cells = new Array<Cell>(columns.length);
  return new Promise<void>((resolve) => {
    // Unsubscribing first and subscribing after is safe: add() then tears down at once.
    const subscription = new Subscription();
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      subscription.unsubscribe();
      resolve();
    };
    reply.onFinish(finish);
    subscription.add(
      source.subscribe({
        next: (row) => {
          if (done) return;
          try {
            if (!reply.row(encodeStreamRow(row, columns, options.encode, cells))) return finish();
            if (reply.bufferedBytes >= SLICE_BYTES) reply.flush();
            if (reply.unsentBytes > OBSERVABLE_BACKLOG) {
              reply.error(formatError(ER.NET_WRITE_INTERRUPTED));
            }
          } catch (error) {
            reply.error(options.toWireError(error));
          }
        },
        error: (error: unknown) => {
          reply.error(options.toWireError(error));
          finish();
        },
        complete: () => {
          reply.endResultSet();
          finish();
        },
      }),
    );
  });
}
