import { MAX_CALL_ARGUMENTS } from './limits.js';

/** A SELECT list longer than MAX_SELECT_ITEMS; answered with ER_TOO_MANY_FIELDS (1117). */
export class TooManySelectItemsError extends Error {
  constructor() {
    super('Too many columns');
    this.name = 'TooManySelectItemsError';
  }
}

/**
 * A CALL with more than MAX_CALL_ARGUMENTS arguments; answered with ER_SP_WRONG_NO_OF_ARGS
 * (1318) naming `schema.procedure`, where the caller supplies the session's schema when the
 * CALL names none.
 */
export class TooManyCallArgumentsError extends Error {
  constructor(
    /** The schema the CALL names, or null for the session's. */
    readonly schema: string | null,
    /** The procedure name as written, unquoted. */
    readonly procedure: string,
    /** How many arguments the CALL passes. */
    readonly count: number,
  ) {
    const qualified = schema === null ? procedure : `${schema}.${procedure}`;
    super(
      `Incorrect number of arguments for PROCEDURE ${qualified}; expected at most ${MAX_CALL_ARGUMENTS}, got ${count}`,
    );
    this.name = 'TooManyCallArgumentsError';
  }
}

/** A statement being prepared with more than MAX_CALL_ARGUMENTS `?` placeholders; ER_PS_MANY_PARAM (1390). */
export class TooManyPlaceholdersError extends Error {
  constructor() {
    super('Prepared statement contains too many placeholders');
    this.name = 'TooManyPlaceholdersError';
  }
}
