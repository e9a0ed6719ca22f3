/**
 * The query held no statement at all; MySQL answers ER_EMPTY_QUERY (1065), or OK
 * when the query held a comment (its grammar then reads it as SQLCOM_EMPTY_QUERY).
 */
export class EmptyQueryError extends Error {
  constructor(
    /** The query held a comment, so MySQL would answer OK rather than ER_EMPTY_QUERY. */
    readonly hadComment = false,
  ) {
    super('Query was empty');
    this.name = 'EmptyQueryError';
  }
}
