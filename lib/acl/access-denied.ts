import { ER, formatError, type WireError } from '../protocol/errors.js';

/**
 * MySQL's ERR 1370 for a CALL the account may not make. Like MySQL it
 * names the account (priv_user@priv_host), not the client's address, and
 * the routine as `schema.name`.
 */
export function executeDenied(
  account: { readonly user: string; readonly host: string },
  routine: string,
): WireError {
  return formatError(ER.PROCACCESS_DENIED, 'execute', account.user, account.host, routine);
}
