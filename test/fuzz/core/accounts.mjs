/**
 * The accounts the fuzz server has: the sample's (read from the compiled
 * sample, dist/sample/accounts.js, so the harness follows it) plus a few
 * of the harness's own that reach login states the sample's cannot:
 *
 *   sha2hash    configured only with a caching_sha2_password verifier: no
 *               digest is known at start, so its first login (and the first
 *               after FLUSH PRIVILEGES) takes the full path (TLS or RSA)
 *   nativeonly  IDENTIFIED WITH mysql_native_password: a client that starts
 *               with caching_sha2_password gets an AuthSwitchRequest
 *   sha2only    IDENTIFIED WITH caching_sha2_password: the switch the other way
 *   nopass      an empty password
 *   fuzzroot    a second admin, from any host (the throttle check uses it
 *               from 127.0.0.2)
 *
 * The harness knows every password, so it can build the right answer to any
 * challenge and tell a login that should have failed (the auth-bypass oracle).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const FUZZ_ACCOUNTS = [
  { user: 'sha2hash', password: 'sha2hashpass', hashOnly: 'sha2', grants: ['rpc.*'] },
  {
    user: 'nativeonly',
    password: 'nativepass',
    plugin: 'mysql_native_password',
    grants: ['myadd', 'whoami'],
  },
  { user: 'sha2only', password: 'sha2pass', plugin: 'caching_sha2_password', grants: ['rpc.*'] },
  { user: 'nopass', password: '', grants: ['myadd'] },
  { user: 'fuzzroot', password: 'fuzzrootpass', grants: ['*.*'], admin: true },
];

/** The sample's accounts and roles, from its build. */
export function sampleAccounts(root) {
  const require = createRequire(join(root, 'package.json'));
  const { SAMPLE_ACCOUNTS, SAMPLE_ROLES } = require(join(root, 'dist/sample/accounts.js'));
  return { accounts: SAMPLE_ACCOUNTS, roles: SAMPLE_ROLES };
}

/**
 * Does a host pattern admit a client at `ip`? Only the forms the sample and
 * the harness use: `%`, `localhost` (loopback), addresses and `%`/`_`
 * wildcards. Written from MySQL's rules, not from lib/.
 */
export function hostAdmits(pattern = '%', ip = '127.0.0.1') {
  if (pattern === '%') return true;
  if (pattern.toLowerCase() === 'localhost') return ip.startsWith('127.') || ip === '::1';
  if (!/[%_]/.test(pattern)) return pattern === ip;
  const re = new RegExp(
    `^${pattern
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/%/g, '.*')
      .replace(/_/g, '.')}$`,
    'i',
  );
  return re.test(ip);
}

/**
 * Every account by user name: { user, password, host, plugins, requireSsl,
 * grants, roles, admin }. User names are unique in both lists.
 */
export function accountTable(root) {
  const { accounts, roles } = sampleAccounts(root);
  const table = new Map();
  for (const a of [...accounts, ...FUZZ_ACCOUNTS]) {
    if (a.password === undefined) continue;
    table.set(a.user, {
      user: a.user,
      password: a.password,
      host: a.host ?? '%',
      /** The harness connects from 127.0.0.1. */
      reachable: hostAdmits(a.host ?? '%', '127.0.0.1'),
      plugins: a.plugin
        ? [a.plugin]
        : a.hashOnly === 'sha2'
          ? ['caching_sha2_password']
          : ['caching_sha2_password', 'mysql_native_password'],
      requireSsl: a.requireSsl === true || a.requireCertificate !== undefined,
      grants: a.grants ?? [],
      roles: a.roles ?? [],
      roleGrants: (a.roles ?? []).flatMap((r) => roles[r] ?? []),
      admin: a.admin === true,
    });
  }
  return table;
}
