import { compareHostPatterns, type HostPattern } from './host-pattern.js';

/** What ordering and matching need of an account: MySQL's `User` and `Host` columns. */
export interface AccountIdentity {
  /** User name; `''` is the anonymous user, which matches any name. */
  readonly user: string;
  /** Where it may connect from. */
  readonly host: HostPattern;
}

/**
 * Orders two accounts as MySQL orders mysql.user (ACL_USER_compare, then get_sort(host,
 * user)): the more specific host first, see {@link HostPattern.sortKey}; for equally
 * specific hosts, a named user before the anonymous one. Negative when `a` goes first.
 */
export function compareAccounts(a: AccountIdentity, b: AccountIdentity): number {
  return compareHostPatterns(a.host, b.host) || anonymity(a) - anonymity(b);
}

/**
 * The accounts in the order logins try them, most specific first, as a new array. The
 * sort is stable: accounts MySQL would leave in an unspecified order keep the order
 * they were configured in.
 */
export function sortAccounts<T extends AccountIdentity>(accounts: readonly T[]): T[] {
  return [...accounts].sort(compareAccounts);
}

/**
 * The account a login of `user` from the client at `ip` is checked against: the first,
 * in {@link sortAccounts} order, whose user is `user` (case-sensitive, as MySQL compares
 * user names) or anonymous, and whose host matches. As in MySQL, a more specific
 * anonymous account wins over a less specific named one (`''@'localhost'` over
 * `'bob'@'%'` for bob from 127.0.0.1), and the search stops there even if its password
 * then fails.
 */
export function matchAccount<T extends AccountIdentity>(
  sorted: readonly T[],
  user: string,
  ip: string,
): T | undefined {
  for (const account of sorted) {
    if ((account.user === '' || account.user === user) && account.host.matches(ip)) return account;
  }
  return undefined;
}

/** `user@host` unquoted, as CURRENT_USER() and USER() print it (`@localhost` for the anonymous user). */
export function accountName(user: string, hostText: string): string {
  return `${user}@${hostText}`;
}

/** `` `user`@`host` ``, as MySQL 8 writes an account in SHOW GRANTS and SHOW CREATE USER. */
export function quotedAccountName(user: string, hostText: string): string {
  return `${quoteIdentifier(user)}@${quoteIdentifier(hostText)}`;
}

/** `name` in back quotes, a back quote in it doubled: MySQL's append_identifier(). */
export function quoteIdentifier(name: string): string {
  return '`' + name.replaceAll('`', '``') + '`';
}

function anonymity(account: AccountIdentity): number {
  return account.user === '' ? 1 : 0;
}
