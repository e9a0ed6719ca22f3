import { columnOfType, type ColumnDefinition } from './column-definition.js';
import type { CellFormat } from './cell-encoder.js';

const INT = 1;
const DOUBLE = 2;
const BIGINT = 4;
const BOOL = 8;
const STRING = 16;
const DATE = 32;
const BYTES = 64;
const JSON_VALUE = 128;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** A column definition together with how its cells are written. */
export interface TypedColumn {
  readonly definition: ColumnDefinition;
  readonly format: CellFormat;
}

/**
 * Accumulates what one column's values look like, over every row, so that
 * the type reflects all of them: a column of 1, 2.5 is DOUBLE, not BIGINT.
 */
export class ColumnTypeInference {
  private kinds = 0;
  private anyNegative = false;
  private minBig = 0n;
  private maxBig = 0n;
  private maxChars = 0;
  private sawNull = false;

  observe(value: unknown): void {
    switch (typeof value) {
      case 'number':
        // MySQL has no NaN or infinities: they are written as NULL, so they
        // count as NULL here and the column is not flagged NOT NULL.
        if (!Number.isFinite(value)) {
          this.sawNull = true;
          return;
        }
        if (Number.isSafeInteger(value)) {
          this.kinds |= INT;
          if (value < 0) this.anyNegative = true;
        } else this.kinds |= DOUBLE;
        return;
      case 'bigint':
        this.kinds |= BIGINT;
        if (value < this.minBig) this.minBig = value;
        if (value > this.maxBig) this.maxBig = value;
        if (value < 0n) this.anyNegative = true;
        return;
      case 'string':
        this.kinds |= STRING;
        if (value.length > this.maxChars) this.maxChars = value.length;
        return;
      case 'boolean':
        this.kinds |= BOOL;
        return;
      case 'object':
        if (value === null) {
          this.sawNull = true;
          return;
        }
        if (value instanceof Date) this.kinds |= DATE;
        else if (value instanceof Uint8Array) this.kinds |= BYTES;
        else this.kinds |= JSON_VALUE;
        return;
      default:
        // undefined, functions and symbols are written as NULL
        this.sawNull = true;
        return;
    }
  }

  /**
   * The narrowest MySQL type that holds every value seen, flagged NOT NULL
   * when no value was null (the mysql CLI then sizes the column to its data).
   */
  resolve(name: string): TypedColumn {
    const k = this.kinds;
    const notNull = !this.sawNull && k !== 0;
    if (k === 0) return { definition: columnOfType(name, 'NULL'), format: 'text' };
    if (k === BOOL) {
      return { definition: columnOfType(name, 'TINYINT', { length: 1, notNull }), format: 'text' };
    }
    if ((k & ~(INT | BOOL | BIGINT)) === 0) {
      return { definition: this.integer(name, notNull), format: 'text' };
    }
    if ((k & ~(INT | BOOL | BIGINT | DOUBLE)) === 0) {
      return { definition: columnOfType(name, 'DOUBLE', { notNull }), format: 'text' };
    }
    if (k === DATE)
      return { definition: columnOfType(name, 'DATETIME', { notNull }), format: 'datetime' };
    if (k & BYTES) return { definition: columnOfType(name, 'BLOB', { notNull }), format: 'binary' };
    if (k & JSON_VALUE)
      return { definition: columnOfType(name, 'JSON', { notNull }), format: 'json' };
    const length = Math.max(1, this.maxChars) * 4;
    return { definition: columnOfType(name, 'VARCHAR', { length, notNull }), format: 'text' };
  }

  private integer(name: string, notNull: boolean): ColumnDefinition {
    if (this.maxBig > INT64_MAX && !this.anyNegative && this.maxBig <= UINT64_MAX) {
      return columnOfType(name, 'BIGINT', { unsigned: true, notNull });
    }
    if (this.minBig < INT64_MIN || this.maxBig > INT64_MAX) {
      const digits = Math.max(this.minBig.toString().length, this.maxBig.toString().length);
      return columnOfType(name, 'DECIMAL', { length: digits + 1, decimals: 0, notNull });
    }
    return columnOfType(name, 'BIGINT', { notNull });
  }
}
