import { ER, formatError, type WireError } from '../protocol/errors.js';
import type { ResolvedAccount } from './resolved-account.js';

/**
 * Open connections per account, for MySQL's two limits: the account's own
 * MAX_USER_CONNECTIONS (ERR 1226) and the server-wide max_user_connections
 * that applies to accounts without their own (ERR 1203).
 */
export class AccountConnections {
  private readonly open = new Map<string, number>();

  constructor(
    /** Server-wide max_user_connections; 0 for none. SET GLOBAL changes it. */
    public maxUserConnections: number,
  ) {}

  /** Takes a connection slot for the account, or returns the error that refuses it. */
  acquire(account: ResolvedAccount): WireError | null {
    const count = this.open.get(account.name) ?? 0;
    const own = account.maxUserConnections;
    if (own > 0 && count >= own) {
      return formatError(ER.USER_LIMIT_REACHED, account.user, 'max_user_connections', own);
    }
    if (own === 0 && this.maxUserConnections > 0 && count >= this.maxUserConnections) {
      return formatError(ER.TOO_MANY_USER_CONNECTIONS, account.user);
    }
    this.open.set(account.name, count + 1);
    return null;
  }

  /** Gives the slot back when the connection closes or changes user. */
  release(account: ResolvedAccount): void {
    const count = (this.open.get(account.name) ?? 1) - 1;
    if (count > 0) this.open.set(account.name, count);
    else this.open.delete(account.name);
  }
}
