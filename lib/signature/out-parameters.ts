/**
 * What a handler returns to set OUT and INOUT parameters along with its
 * ordinary result: `return new MysqlOutParameters({ total: 7 }, rows)`.
 * The transport takes the values (as `ctx.setOutParameters` would) and
 * writes `result` as if it had been returned alone. An interceptor that
 * maps results sees this wrapper: there, prefer `ctx.setOutParameter`,
 * which no mapping can lose.
 */
export class MysqlOutParameters<T = unknown> {
  constructor(
    /** OUT and INOUT values by parameter name (any letter case). */
    readonly values: Readonly<Record<string, unknown>>,
    /** The ordinary result: rows, a MysqlResultSet, a MysqlOk, ... or nothing. */
    readonly result?: T,
  ) {
    if (typeof values !== 'object' || values === null) {
      throw new TypeError('MysqlOutParameters needs an object of values by parameter name');
    }
  }
}
