/** The query held no statement at all; MySQL answers ER_EMPTY_QUERY (1065). */
export class EmptyQueryError extends Error {
  constructor() {
    super('Query was empty');
    this.name = 'EmptyQueryError';
  }
}
