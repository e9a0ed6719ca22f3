// MySQL quotes the literal with '%-.192s'.
const MAX_QUOTED = 192;

/** A floating-point literal beyond the range of a double (1e400); MySQL answers ER_ILLEGAL_VALUE_FOR_TYPE (1367). */
export class IllegalDoubleError extends Error {
  /** The literal as written, without any sign before it (MySQL reads that as an operator), cut to 192 characters. */
  readonly text: string;

  constructor(literal: string) {
    const text = literal.slice(0, MAX_QUOTED);
    super(`Illegal double '${text}' value found during parsing`);
    this.name = 'IllegalDoubleError';
    this.text = text;
  }
}
