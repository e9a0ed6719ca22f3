import { isObservable, type Observable } from 'rxjs';
import { TYPE_SHAPES, type MysqlColumnTypeName } from './column-definition.js';
import type { MysqlColumn, MysqlRow } from './result-values.js';

/** A column of a streamed result set: its type is declared, since rows arrive after the header is sent. */
export type MysqlStreamColumn = MysqlColumn & { type: MysqlColumnTypeName };

/** Where a streamed result set's rows come from. */
export type MysqlRowSource = AsyncIterable<MysqlRow> | Iterable<MysqlRow> | Observable<MysqlRow>;

/**
 * One result set whose rows are produced while they are sent, so memory
 * stays flat however many rows there are. Iterables (sync or async: async
 * generators, Node object-mode streams, database cursors) are pulled only
 * while the client keeps reading, so a client that stops reading pauses
 * the source; an Observable cannot be paused, so its rows are buffered up
 * to a bound while the client lags, and the call fails past it. When the
 * client goes away the iterator is closed (`return()`) or the Observable
 * unsubscribed.
 */
export class MysqlResultStream {
  /** Declared columns, in order. */
  readonly columns: readonly MysqlStreamColumn[];

  constructor(
    columns: ReadonlyArray<MysqlStreamColumn>,
    /** The rows, each an array by position or an object keyed by column name. */
    readonly rows: MysqlRowSource,
  ) {
    if (columns.length === 0) throw new Error('MysqlResultStream needs at least one column');
    for (const c of columns) {
      if (!c || typeof c.name !== 'string' || !Object.hasOwn(TYPE_SHAPES, c.type)) {
        throw new TypeError('MysqlResultStream columns need a name and a declared type');
      }
    }
    if (!isRowSource(rows)) {
      throw new TypeError(
        'MysqlResultStream rows must be an iterable, async iterable or Observable',
      );
    }
    this.columns = columns.map((c) => ({ ...c }));
  }
}

function isRowSource(value: unknown): value is MysqlRowSource {
  if (typeof value !== 'object' || value === null) return false;
  return (
    isObservable(value) ||
    typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' ||
    typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function'
  );
}
