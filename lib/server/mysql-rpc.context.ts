import { BaseRpcContext } from '@nestjs/microservices';
import type { PeerCertificate } from 'node:tls';
import type { MysqlAccountInfo, SessionInfo } from '../session/session-info.js';
import type { CatalogParameter } from '../session/procedure-catalog.js';
import type { CallParameters } from '../signature/call-parameters.js';

type MysqlRpcContextArgs = [
  session: SessionInfo,
  procedure: string,
  schema: string,
  /** The call's parameters under the procedure's signature; null when it declares none. */
  parameters?: CallParameters | null,
  /** The running call, whose signal aborts when it is stopped. */
  call?: { readonly signal: AbortSignal },
];

/** A signal that never aborts, for a context made outside a call. */
let never: AbortSignal | null = null;

/** What `@Ctx()` gives a handler called through the MySQL transport. */
export class MysqlRpcContext extends BaseRpcContext<MysqlRpcContextArgs> {
  /** User name the client logged in with. */
  getUser(): string {
    return this.args[0].user;
  }

  /** Client IP address. */
  getHost(): string {
    return this.args[0].host;
  }

  /** Client address as `ip:port`. */
  getClientAddress(): string {
    const { host, port } = this.args[0];
    return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  }

  /** Server-assigned connection id (CONNECTION_ID()). */
  getConnectionId(): number {
    return this.args[0].connectionId;
  }

  /** Database the client selected, or null. */
  getDatabase(): string | null {
    return this.args[0].database;
  }

  /** Schema the procedure was resolved in (qualifier, current or default database). */
  getSchema(): string {
    return this.args[2];
  }

  /** Procedure name as the client wrote it in the CALL. */
  getProcedure(): string {
    return this.args[1];
  }

  /** Connection attributes the client sent at login. */
  getAttributes(): Readonly<Record<string, string>> {
    return this.args[0].attributes;
  }

  /** The account matched at login (`'user'@'host'` pattern, roles, admin, grants). */
  getAccount(): MysqlAccountInfo {
    return this.args[0].account;
  }

  /** Roles the account holds. */
  getRoles(): readonly string[] {
    return this.args[0].account.roles;
  }

  /** The account holds the admin privilege. */
  isAdmin(): boolean {
    return this.args[0].account.admin;
  }

  /** The connection runs over TLS. */
  isSecure(): boolean {
    return this.args[0].secure;
  }

  /** The client's TLS certificate, or null. */
  getPeerCertificate(): PeerCertificate | null {
    return this.args[0].peerCertificate;
  }

  /**
   * Aborts when the call is stopped: KILL QUERY or KILL CONNECTION, its
   * max_execution_time (ERR 3024), a shutdown's grace period running out,
   * or its client going away. The client has had its answer by then and
   * anything the handler returns later is dropped, so pass the signal on
   * (`fetch(url, { signal })`, `setTimeout` from `node:timers/promises`)
   * or check `signal.aborted` between steps. `signal.reason` is an error
   * with the `code`, `sqlState` and `message` the client got.
   */
  getAbortSignal(): AbortSignal {
    const call = this.args[4];
    if (call) return call.signal;
    never ??= new AbortController().signal;
    return never;
  }

  /**
   * The procedure's declared parameters (`@MysqlProcedure`), as
   * information_schema.PARAMETERS shows them; null when it declares none.
   */
  getParameters(): readonly CatalogParameter[] | null {
    return this.args[3]?.params ?? null;
  }

  /**
   * Sets an OUT or INOUT parameter (name in any letter case). The value is
   * coerced to the declared type once the handler's results are written,
   * then assigned to the CALL's user variable (`CALL p(@x)`), or returned in
   * the OUT result set of a prepared CALL; a value its type refuses fails
   * the CALL with MySQL's error (ERR 1264, 1406, ...). Values set here
   * survive any interceptor. Throws for a name that is not an OUT or INOUT
   * parameter.
   */
  setOutParameter(name: string, value: unknown): void {
    this.parametersOrThrow().setOut(name, value);
  }

  /** Sets several OUT or INOUT parameters at once: `ctx.setOutParameters({ total: 7 })`. */
  setOutParameters(values: Readonly<Record<string, unknown>>): void {
    const parameters = this.parametersOrThrow();
    for (const [name, value] of Object.entries(values)) parameters.setOut(name, value);
  }

  /** An OUT or INOUT parameter's current value: what was set, else the INOUT argument, else null. */
  getOutParameter(name: string): unknown {
    return this.parametersOrThrow().getOut(name);
  }

  /** Every OUT and INOUT parameter by declared name, with its current value (INOUT starts with its argument). */
  getOutParameters(): Readonly<Record<string, unknown>> {
    return this.args[3]?.outValues() ?? {};
  }

  private parametersOrThrow(): CallParameters {
    const parameters = this.args[3];
    if (!parameters) {
      throw new Error(
        `procedure ${this.args[2]}.${this.args[1]} declares no OUT parameters (@MysqlProcedure)`,
      );
    }
    return parameters;
  }
}
