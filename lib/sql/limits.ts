// What one statement may ask of the parser. Past these the statement is refused, so the
// values a parse keeps stay within a small multiple of the statement's own size.

/** Most items a SELECT list may have: MySQL's MAX_FIELDS. Past it: ER_TOO_MANY_FIELDS (1117). */
export const MAX_SELECT_ITEMS = 4096;

/** Most arguments a CALL may pass: the prepared-statement placeholder limit. Past it: ER_SP_WRONG_NO_OF_ARGS (1318). */
export const MAX_CALL_ARGUMENTS = 65535;
