import type { MysqlAccountOptions, MysqlRoleGrants } from '../lib/index.js';

/**
 * The sample's accounts, in the shape of pymysqlrpc's ACL map done the
 * MySQL way. Passwords are plain here for the demo; production config
 * holds verifiers (`npx nestjs-mysql-rpc hash-password`).
 */
export const SAMPLE_ACCOUNTS: MysqlAccountOptions[] = [
  // Everything the app exposes; secret() still refuses it (a decorator admits admins only).
  { user: 'testuser', password: 'testpass', grants: ['rpc.*'] },
  // An admin, from this machine only.
  { user: 'root', host: 'localhost', password: 'rootpass', grants: ['*.*'], admin: true },
  // An explicit list, as in pymysqlrpc's ACL map.
  { user: 'app', password: 'apppass', grants: ['myadd', 'whoami', 'series'] },
  // Limited to a network: refused from anywhere else.
  { user: 'office', host: '192.168.%', password: 'officepass', grants: ['rpc.*'] },
  // Must log in over TLS (mysql --ssl).
  { user: 'secure', password: 'securepass', grants: ['rpc.*'], requireSsl: true },
  // Holds a role instead of grants of its own.
  { user: 'analyst', password: 'analystpass', roles: ['reporting'] },
  // HAProxy's `option mysql-check user haproxy_check`: logs in from this machine without a
  // password and quits; it may call nothing.
  { user: 'haproxy_check', host: 'localhost', password: '' },
];

/** The sample's roles: named sets of grants. */
export const SAMPLE_ROLES: MysqlRoleGrants = { reporting: ['rpc.report_*', 'rpc.whoami'] };
