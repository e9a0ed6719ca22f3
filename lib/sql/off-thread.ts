import { Buffer } from 'node:buffer';
import { Worker } from 'node:worker_threads';
import { EmptyQueryError } from './empty-query-error.js';
import { IllegalDoubleError } from './illegal-double-error.js';
import {
  TooManyCallArgumentsError,
  TooManyPlaceholdersError,
  TooManySelectItemsError,
} from './limit-errors.js';
import type { ParseOptions } from './parse-statement.js';
import { SqlSyntaxError, SqlUnsupportedError } from './sql-syntax-error.js';
import type { SqlValue, Statement, UserVariables } from './types.js';

/** A request to the parse worker: the query's UTF-8 bytes, owned by the worker once sent. */
export interface ParseRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly options: ParseOptions;
}

/** Why a query was refused, in a form that crosses threads. */
export type ParseFailure =
  | { kind: 'syntax'; near: string; line: number }
  | { kind: 'empty'; hadComment: boolean }
  | { kind: 'unsupported'; feature: string }
  | { kind: 'illegal-double'; text: string }
  | { kind: 'too-many-items' }
  | { kind: 'too-many-arguments'; schema: string | null; procedure: string; count: number }
  | { kind: 'too-many-placeholders' }
  | { kind: 'internal' };

/** The worker's answer to one request. */
export type ParseResponse =
  { id: number; statement: Statement } | { id: number; failure: ParseFailure };

/** The parse worker stopped (it ran out of its heap, or crashed) before answering. */
export class ParseWorkerError extends Error {
  constructor(
    /** True when the worker passed its heap limit. */
    readonly outOfMemory: boolean,
  ) {
    super(outOfMemory ? 'parse worker ran out of memory' : 'parse worker stopped');
    this.name = 'ParseWorkerError';
  }
}

/**
 * A `@name` a query read, standing in for its value on the worker, which
 * holds no session: the caller puts the session's value in its place.
 */
interface VariableRef {
  $userVariable: string;
}

/** User variables that answer every read with a reference, for parsing away from the session. */
export const VARIABLE_REFS: UserVariables = {
  get: (name) => ({ $userVariable: name }) as unknown as SqlValue,
};

/** Describes a parse error so that `toParseError` can rebuild it on the other side. */
export function toParseFailure(error: unknown): ParseFailure {
  if (error instanceof SqlSyntaxError) {
    return { kind: 'syntax', near: error.near, line: error.line };
  }
  if (error instanceof EmptyQueryError) return { kind: 'empty', hadComment: error.hadComment };
  if (error instanceof SqlUnsupportedError) return { kind: 'unsupported', feature: error.feature };
  if (error instanceof IllegalDoubleError) return { kind: 'illegal-double', text: error.text };
  if (error instanceof TooManySelectItemsError) return { kind: 'too-many-items' };
  if (error instanceof TooManyPlaceholdersError) return { kind: 'too-many-placeholders' };
  if (error instanceof TooManyCallArgumentsError) {
    const { schema, procedure, count } = error;
    return { kind: 'too-many-arguments', schema, procedure, count };
  }
  return { kind: 'internal' };
}

/** The error `parseStatement` threw on the worker. */
export function toParseError(failure: ParseFailure): Error {
  switch (failure.kind) {
    case 'syntax':
      return new SqlSyntaxError(failure.near, failure.line);
    case 'empty':
      return new EmptyQueryError(failure.hadComment);
    case 'unsupported':
      return new SqlUnsupportedError(failure.feature);
    case 'illegal-double':
      return new IllegalDoubleError(failure.text);
    case 'too-many-items':
      return new TooManySelectItemsError();
    case 'too-many-arguments':
      return new TooManyCallArgumentsError(failure.schema, failure.procedure, failure.count);
    case 'too-many-placeholders':
      return new TooManyPlaceholdersError();
    case 'internal':
      return new ParseWorkerError(false);
  }
}

/**
 * A statement as it arrives from the worker made whole: bytes become
 * Buffers again, and `@name` references take the session's values.
 */
export function reviveStatement(statement: Statement, variables: UserVariables): Statement {
  const revive = (v: SqlValue): SqlValue => {
    if (v === null || typeof v !== 'object') return v;
    if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    return variables.get((v as unknown as VariableRef).$userVariable) ?? null;
  };
  switch (statement.kind) {
    case 'call':
      return { ...statement, args: statement.args.map(revive) };
    case 'set':
      return {
        ...statement,
        userVariables: statement.userVariables.map(([name, v]) => [name, revive(v)]),
      };
    case 'select':
      return {
        ...statement,
        items: statement.items.map((item) =>
          item.expr.type === 'literal'
            ? { ...item, expr: { type: 'literal', value: revive(item.expr.value) } }
            : item,
        ),
      };
    default:
      return statement;
  }
}

/** Heap a parse worker may use by default: over ten times the largest statement the default limit admits. */
const WORKER_HEAP_MB = 1024;
/**
 * A worker's isolate keeps the memory its heap grew to, up to its limit:
 * after parsing this much it is stopped as soon as it has nothing to do, and
 * any worker is stopped after IDLE_MS without work. A fresh one starts in
 * tens of milliseconds, which large statements can afford.
 */
const RECYCLE_AFTER_BYTES = 64 * 1024 * 1024;
const IDLE_MS = 1000;

interface Pending {
  resolve(statement: Statement): void;
  reject(error: Error): void;
}

/**
 * Parses queries on a worker thread, so that a statement of tens of MiB
 * (millions of tokens, or one huge literal) costs the event loop only the
 * copies of its bytes in and its values out, and a query that would need
 * more memory than the worker's heap limit fails alone, never the server.
 * One worker, started on first use, not keeping the process alive, and
 * stopped when idle so that its memory goes back; queries are answered in
 * the order they were sent.
 */
export class OffThreadParser {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Bytes the current worker has been given to parse. */
  private parsedBytes = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  /** Workers started so far, for diagnostics. */
  workersStarted = 0;

  private readonly heapMb: number;
  private readonly recycleAfterBytes: number;
  private readonly idleMs: number;

  constructor(
    private readonly url: URL,
    options: {
      /** The worker's heap limit in MiB; a query needing more fails alone. */
      heapMb?: number;
      /** Bytes parsed after which the worker is stopped once idle. */
      recycleAfterBytes?: number;
      /** Milliseconds without work after which the worker is stopped. */
      idleMs?: number;
    } = {},
  ) {
    this.heapMb = options.heapMb ?? WORKER_HEAP_MB;
    this.recycleAfterBytes = options.recycleAfterBytes ?? RECYCLE_AFTER_BYTES;
    this.idleMs = options.idleMs ?? IDLE_MS;
  }

  /**
   * Parses `bytes` (UTF-8; copied, so the caller may reuse them). Rejects
   * with the parse error `parseStatement` would throw, or ParseWorkerError.
   * `@name` values are the session's, read when the answer arrives.
   */
  parse(bytes: Uint8Array, options: ParseOptions, variables: UserVariables): Promise<Statement> {
    const worker = this.start();
    this.parsedBytes += bytes.length;
    const id = this.nextId++;
    const own = new Uint8Array(bytes.length);
    own.set(bytes);
    return new Promise<Statement>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: ParseRequest = { id, bytes: own, options };
      worker.postMessage(request, [own.buffer]);
    }).then((statement) => reviveStatement(statement, variables));
  }

  /** Stops the worker; queries still waiting fail. */
  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const worker = this.worker;
    this.worker = null;
    this.failAll(new ParseWorkerError(false));
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    if (this.worker) return this.worker;
    this.workersStarted++;
    this.parsedBytes = 0;
    const worker = new Worker(this.url, {
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
    });
    worker.unref();
    worker.on('message', (response: ParseResponse) => {
      const waiting = this.pending.get(response.id);
      if (!waiting) return;
      this.pending.delete(response.id);
      if ('statement' in response) waiting.resolve(response.statement);
      else waiting.reject(toParseError(response.failure));
      if (this.pending.size === 0) this.idle(worker);
    });
    // Only the current worker's end fails what is waiting: one stopped for
    // being idle had nothing waiting, and may end after its successor began.
    worker.on('error', (error: Error & { code?: string }) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(new ParseWorkerError(error.code === 'ERR_WORKER_OUT_OF_MEMORY'));
    });
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(new ParseWorkerError(false));
    });
    this.worker = worker;
    return worker;
  }

  /** The worker has answered everything: stop it now if it has parsed a lot, else after a pause. */
  private idle(worker: Worker): void {
    const stop = (): void => {
      this.idleTimer = null;
      if (this.worker !== worker || this.pending.size > 0) return;
      this.worker = null;
      void worker.terminate();
    };
    if (this.parsedBytes >= this.recycleAfterBytes) return stop();
    this.idleTimer = setTimeout(stop, this.idleMs);
    this.idleTimer.unref();
  }

  private failAll(error: ParseWorkerError): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.reject(error);
  }
}
