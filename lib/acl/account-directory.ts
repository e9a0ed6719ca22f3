import type { MysqlAccountOptions } from './account-options.js';
import { matchAccount, sortAccounts } from './account-match.js';
import { resolveAccount, type AccountContext, type ResolvedAccount } from './resolved-account.js';
import {
  accountList,
  isUserStore,
  type MysqlUserStore,
  type MysqlUsersOption,
} from './user-store.js';

/**
 * The server's view of its accounts, whatever their source. Configured
 * accounts are resolved once, at construction (so passwords are hashed at
 * start and not kept); a store's records are resolved on first sight and
 * remembered by identity.
 */
export class AccountDirectory {
  private readonly sorted: readonly ResolvedAccount[];
  private readonly store: MysqlUserStore | null;
  private readonly resolved = new WeakMap<MysqlAccountOptions, ResolvedAccount>();

  constructor(
    users: MysqlUsersOption,
    private readonly context: AccountContext,
  ) {
    if (isUserStore(users)) {
      this.store = users;
      this.sorted = [];
      return;
    }
    this.store = null;
    const accounts = accountList(users).map((a) => resolveAccount(a, context));
    const names = new Set<string>();
    for (const a of accounts) {
      if (names.has(a.name))
        throw new Error(`account '${a.user}'@'${a.host.text}' is defined twice`);
      names.add(a.name);
    }
    this.sorted = sortAccounts(accounts);
  }

  /** The account a login of `user` from `host` is checked against, or undefined. */
  find(
    user: string,
    host: string,
  ): ResolvedAccount | undefined | Promise<ResolvedAccount | undefined> {
    if (!this.store) return matchAccount(this.sorted, user, host);
    return Promise.resolve(this.store.findAccount(user, host)).then((record) => {
      const account = this.resolve(record);
      // A store that answers with an account this login cannot use is not trusted on it.
      if (!account || !account.host.matches(host)) return undefined;
      return account.user === user || account.user === '' ? account : undefined;
    });
  }

  /** The account named exactly `'user'@'hostPattern'`, or undefined. */
  async get(user: string, hostPattern: string): Promise<ResolvedAccount | undefined> {
    if (!this.store) {
      const key = hostPattern.toLowerCase();
      return this.sorted.find((a) => a.user === user && a.host.text.toLowerCase() === key);
    }
    return this.resolve(await this.store.getAccount?.(user, hostPattern));
  }

  private resolve(record: MysqlAccountOptions | undefined | null): ResolvedAccount | undefined {
    if (record === undefined || record === null) return undefined;
    let account = this.resolved.get(record);
    if (!account) {
      account = resolveAccount(record, this.context);
      this.resolved.set(record, account);
    }
    return account;
  }
}
