import type { MysqlAccountOptions } from './account-options.js';

/** An account's options without its user name: the value type of the `users` map form. */
export type MysqlUserOptions = Omit<MysqlAccountOptions, 'user'>;

/**
 * Where accounts come from when they live elsewhere (a database, a secrets
 * store). The server asks on every login, with the client's address, and
 * resolves what it gets: return the same object for an unchanged account
 * (cache your records) so verifiers are parsed once, and return stored
 * verifiers rather than passwords, which would be hashed again each time
 * a new object arrives.
 */
export interface MysqlUserStore {
  /** The account `user` connecting from `host` (an IP address) logs in as: the most specific match, or undefined. */
  findAccount(
    user: string,
    host: string,
  ): MysqlAccountOptions | undefined | Promise<MysqlAccountOptions | undefined>;
  /** The account named exactly `'user'@'hostPattern'`, for an admin's `SHOW GRANTS FOR`; optional. */
  getAccount?(
    user: string,
    hostPattern: string,
  ): MysqlAccountOptions | undefined | Promise<MysqlAccountOptions | undefined>;
}

/** What the `users` option accepts: accounts, a map of user name to options (host `%`), or a store. */
export type MysqlUsersOption =
  readonly MysqlAccountOptions[] | Readonly<Record<string, MysqlUserOptions>> | MysqlUserStore;

/** True when `users` is a store rather than a list or map of accounts. */
export const isUserStore = (users: MysqlUsersOption): users is MysqlUserStore =>
  typeof (users as MysqlUserStore).findAccount === 'function';

/** The accounts of a list or map form, as a list. */
export function accountList(
  users: readonly MysqlAccountOptions[] | Readonly<Record<string, MysqlUserOptions>>,
): MysqlAccountOptions[] {
  if (Array.isArray(users)) return [...(users as readonly MysqlAccountOptions[])];
  return Object.entries(users as Record<string, MysqlUserOptions>).map(([user, options]) => ({
    ...options,
    user,
  }));
}
