import { hashPassword, type MysqlAccountOptions } from '../../lib/index.js';
import type { TestServer } from '../support/test-app.js';

/**
 * Accounts of the compat tests, one per way of logging in. An account
 * configured with a `password` has its caching_sha2_password digest from
 * the start (fast path on the first login); one configured only with
 * `cachingSha2PasswordHash` has none until a full-path login puts it in
 * the cache, so each test that needs a first login has its own.
 */
export const PASSWORDS = {
  testuser: 'testpass',
  native: 'nativepass',
  secure: 'securepass',
  limited: 'limitedpass',
  admin: 'adminpass',
  sha2: 'sha2pass',
} as const;

/** A caching_sha2_password account known only by its stored verifier (no cached digest). */
export function sha2OnlyAccount(user: string, grants: string[] = ['rpc.*']): MysqlAccountOptions {
  return {
    user,
    cachingSha2PasswordHash: hashPassword(PASSWORDS.sha2).cachingSha2PasswordHash,
    grants,
  };
}

/** The accounts most compat servers start with. */
export function compatAccounts(...extra: MysqlAccountOptions[]): MysqlAccountOptions[] {
  return [
    // As the test app's default: caching_sha2_password, fast path from the first login.
    { user: 'testuser', password: PASSWORDS.testuser, grants: ['rpc.*'] },
    { user: 'nopass', password: '', grants: ['rpc.*'] },
    {
      user: 'native',
      password: PASSWORDS.native,
      plugin: 'mysql_native_password',
      grants: ['rpc.*'],
    },
    { user: 'secure', password: PASSWORDS.secure, grants: ['rpc.*'], requireSsl: true },
    { user: 'limited', password: PASSWORDS.limited, grants: ['rpc.myadd'] },
    { user: 'admin', password: PASSWORDS.admin, grants: ['*.*'], admin: true },
    ...extra,
  ];
}

/** The auth plugins' work counters of a server (which path logins took). */
export type AuthWork = {
  nativeChecks: number;
  fastChecks: number;
  fullChecks: number;
  rsaDecrypts: number;
};

/** Counts the auth work `action` made the server do. */
export async function authWorkOf(
  server: TestServer,
  action: () => Promise<unknown>,
): Promise<AuthWork> {
  const work = server.strategy.stats.auth;
  const before = { ...work };
  await action();
  return {
    nativeChecks: work.nativeChecks - before.nativeChecks,
    fastChecks: work.fastChecks - before.fastChecks,
    fullChecks: work.fullChecks - before.fullChecks,
    rsaDecrypts: work.rsaDecrypts - before.rsaDecrypts,
  };
}
