import type { MysqlColumn } from '../results/result-values.js';

/** IN, OUT or INOUT, as in CREATE PROCEDURE. */
export type MysqlParameterMode = 'IN' | 'OUT' | 'INOUT';

/**
 * One declared parameter: SQL-ish text, `'IN a INT'`, `'OUT total
 * DECIMAL(10,2)'`, `'b VARCHAR(64)'` (IN when no mode is written), or the
 * same spelled out.
 */
export type MysqlParameter =
  string | { readonly name: string; readonly type: string; readonly mode?: MysqlParameterMode };

/**
 * A procedure's declared signature, given with `@MysqlProcedure(signature)`
 * or as `@MessagePattern('p', { mysql: signature })`.
 */
export interface MysqlProcedureSignature {
  /**
   * The parameters, in order. When given, a CALL must pass exactly that
   * many arguments (ERR 1318) and each is coerced to its type as MySQL 8's
   * strict mode stores it; `[]` takes none. Left out, arguments are not
   * checked and reach the handler as the client wrote them.
   */
  readonly params?: readonly MysqlParameter[];
  /**
   * The result's columns: a plain object or array the handler returns is
   * written through them (names, order, SQL types), and an empty array is
   * an empty result set rather than an OK.
   */
  readonly columns?: ReadonlyArray<string | MysqlColumn>;
  /** Shown by SHOW PROCEDURE STATUS and information_schema.ROUTINES. */
  readonly comment?: string;
  /**
   * `'positional'` (default): the payload is the argument array, one entry
   * per parameter (null at OUT positions). `'named'`: an object keyed by
   * parameter name, IN and INOUT only.
   */
  readonly payload?: 'positional' | 'named';
  /**
   * Longest a call may run, in ms, before it is stopped with ERR 3024: this
   * procedure's max_execution_time, in place of the server's `callTimeout`
   * (0: no limit). A session's own max_execution_time may still lower it.
   */
  readonly timeout?: number;
}

/** Key of the signature inside `@MessagePattern` extras. */
export const MYSQL_SIGNATURE_EXTRAS_KEY = 'mysql';

/** The signature a transport reads from a pattern's extras, if any. */
export function signatureFromExtras(
  extras: Record<string, unknown> | undefined,
): MysqlProcedureSignature | undefined {
  return extras?.[MYSQL_SIGNATURE_EXTRAS_KEY] as MysqlProcedureSignature | undefined;
}
