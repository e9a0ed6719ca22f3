import { BaseRpcContext } from '@nestjs/microservices';
import type { PeerCertificate } from 'node:tls';
import type { MysqlAccountInfo, SessionInfo } from '../session/session-info.js';

type MysqlRpcContextArgs = [session: SessionInfo, procedure: string, schema: string];

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
}
