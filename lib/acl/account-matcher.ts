import type { MysqlAccountOptions } from './account-options.js';
import { matchAccount, sortAccounts } from './account-match.js';
import { parseHostPattern, type HostPattern } from './host-pattern.js';

/**
 * MySQL's account matching over a list of accounts, for user stores: the
 * most specific host wins, then a named user before the anonymous one.
 * Build it once per list (host patterns are compiled here) and call it
 * with the user name and client address `findAccount` receives.
 */
export function createAccountMatcher(
  accounts: readonly MysqlAccountOptions[],
): (user: string, host: string) => MysqlAccountOptions | undefined {
  const entries = sortAccounts(
    accounts.map((options) => ({
      user: options.user,
      host: parseHostPattern(options.host ?? '%') as HostPattern,
      options,
    })),
  );
  return (user, host) => matchAccount(entries, user, host)?.options;
}
