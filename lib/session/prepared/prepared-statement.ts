import type { WireError } from '../../protocol/errors.js';
import type { ColumnFields, TextCell } from '../../protocol/result-set.js';
import type { Statement } from '../../sql/index.js';

/**
 * One statement a client prepared with COM_STMT_PREPARE: the parsed
 * statement with its `?` placeholders, the metadata sent back, and what
 * executions carry over (the types bound last, long data sent since).
 */
export class PreparedStatement {
  /** The parameter types bound at the last execute that sent them (new-params-bound flag). */
  boundTypes: Uint16Array | null = null;
  /** COM_STMT_SEND_LONG_DATA pieces per parameter since the last execute or reset. */
  private longData: Array<Buffer[] | null> | null = null;
  private longDataBytes = 0;
  /** An error a long-data piece caused, reported by the next execute (it has no reply of its own). */
  longDataError: WireError | null = null;
  /** The rows of the last execute that asked for a cursor, which COM_STMT_FETCH hands out. */
  cursor: StatementCursor | null = null;

  constructor(
    readonly id: number,
    readonly statement: Statement,
    /** Number of `?` placeholders. */
    readonly paramCount: number,
    /** Parameter definitions sent in the PREPARE_OK. */
    readonly params: readonly ColumnFields[],
    /** Column definitions sent in the PREPARE_OK. */
    readonly columns: readonly ColumnFields[],
    /** The text of a session statement, parsed again at each execute to read user variables then; null for a CALL. */
    readonly sql: string | null,
  ) {}

  /**
   * Appends a piece of a parameter's value. False when the pieces would
   * pass `limit` bytes in all (the execute then reports ERR 1153).
   */
  appendLongData(param: number, data: Buffer, limit: number): boolean {
    if (this.longDataBytes + data.length > limit) return false;
    this.longData ??= new Array<Buffer[] | null>(this.paramCount).fill(null);
    // Copied: the packet's buffer belongs to the framer.
    (this.longData[param] ??= []).push(Buffer.from(data));
    this.longDataBytes += data.length;
    return true;
  }

  /** Each parameter's long data joined, or null when none was sent; either way the long data (and its error) is forgotten. */
  takeLongData(): Array<Buffer | null> | null {
    const pieces = this.longData;
    this.resetLongData();
    if (pieces === null) return null;
    return pieces.map((p) => (p === null ? null : p.length === 1 ? p[0]! : Buffer.concat(p)));
  }

  /** Forgets long data and its error (COM_STMT_RESET, and after each execute). */
  resetLongData(): void {
    this.longData = null;
    this.longDataBytes = 0;
    this.longDataError = null;
  }
}

/**
 * A read-only cursor: the result of one execute, kept (as MySQL's
 * materialized cursor keeps it) until fetched to its end, the statement is
 * executed again, reset or closed.
 */
export interface StatementCursor {
  readonly columns: readonly ColumnFields[];
  /** Each row's cells, encoded as for a text row; the binary row is written at fetch. */
  readonly rows: ReadonlyArray<readonly TextCell[]>;
  /** Index of the next row to send. */
  next: number;
}

/** The statement id MariaDB's clients send to mean "the one just prepared". */
const LAST_PREPARED = 0xffffffff;

/**
 * Prepared statements of one connection, by id. Ids are never reused
 * within a connection, so a stale id cannot reach a newer statement.
 */
export class PreparedStatements {
  private readonly byId = new Map<number, PreparedStatement>();
  private nextId = 1;
  /** The id of the statement prepared last, which MariaDB clients name 0xffffffff. */
  private lastId = 0;

  get size(): number {
    return this.byId.size;
  }

  /** The id the next statement gets. */
  allocateId(): number {
    const id = this.nextId;
    this.nextId = id >= LAST_PREPARED - 1 ? 1 : id + 1;
    return id;
  }

  add(statement: PreparedStatement): void {
    this.byId.set(statement.id, statement);
    this.lastId = statement.id;
  }

  /** The statement of this id; 0xffffffff is the one prepared last (MariaDB's PREPARE-then-EXECUTE pipelining). */
  get(id: number): PreparedStatement | undefined {
    return this.byId.get(id === LAST_PREPARED ? this.lastId : id);
  }

  /** Removes one statement; false when no statement has that id. */
  delete(id: number): boolean {
    return this.byId.delete(id === LAST_PREPARED ? this.lastId : id);
  }

  /** Removes them all (COM_RESET_CONNECTION, COM_CHANGE_USER, close); returns how many there were. */
  clear(): number {
    const n = this.byId.size;
    this.byId.clear();
    return n;
  }
}

/**
 * MySQL's max_prepared_stmt_count: statements open at once across every
 * connection of a server. Past it, COM_STMT_PREPARE is ERR 1461.
 */
export class PreparedStatementBudget {
  private open = 0;

  constructor(
    /** max_prepared_stmt_count; SET GLOBAL changes it. */
    public limit: number,
  ) {}

  /** Statements open now (Prepared_stmt_count). */
  get count(): number {
    return this.open;
  }

  /** Takes one; false at the limit. */
  acquire(): boolean {
    if (this.open >= this.limit) return false;
    this.open++;
    return true;
  }

  release(n: number): void {
    this.open = Math.max(0, this.open - n);
  }
}
