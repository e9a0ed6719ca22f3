import { showGrants, showGrantsTitle } from '../acl/grants.js';
import type { ResolvedAccount } from '../acl/resolved-account.js';
import { ER, formatError } from '../protocol/errors.js';
import { MysqlResultSet } from '../results/result-values.js';
import type { Statement } from '../sql/index.js';
import type { MysqlConnection } from './connection.js';
import { sendRows } from './statements.js';

/** COM_REFRESH flags (REFRESH_* in the MySQL sources) this server acts on. */
const Refresh = { GRANT: 0x01, HOSTS: 0x08 } as const;

/** A statement or command about accounts: SHOW GRANTS, FLUSH, COM_REFRESH. */
export type AccountCommand =
  Extract<Statement, { kind: 'show-grants' | 'flush' }> | { kind: 'refresh'; flags: number };

/** Runs an account statement for the connection's account, refusing what it may not do as MySQL does. */
export function runAccountCommand(conn: MysqlConnection, command: AccountCommand): void {
  switch (command.kind) {
    case 'show-grants':
      return showGrantsOf(conn, command.account);
    case 'flush':
      return flush(conn, command.targets.includes('hosts'), command.targets.includes('privileges'));
    case 'refresh':
      return flush(
        conn,
        (command.flags & Refresh.HOSTS) !== 0,
        (command.flags & Refresh.GRANT) !== 0,
      );
  }
}

/** FLUSH HOSTS unblocks every host; FLUSH PRIVILEGES forgets caching_sha2_password's learnt digests. */
function flush(conn: MysqlConnection, hosts: boolean, privileges: boolean): void {
  if (!conn.account.admin) {
    return conn.replyError(formatError(ER.SPECIFIC_ACCESS_DENIED, 'RELOAD'));
  }
  if (hosts) conn.services.throttle.flush();
  if (privileges) conn.services.sha2Cache.clear();
  conn.replyOk();
}

/**
 * SHOW GRANTS for one's own account (also written `FOR CURRENT_USER()`,
 * or naming it), or, for an admin, any account's. Others asking about
 * another account get MySQL's ERR 1044 on the `mysql` schema.
 */
function showGrantsOf(conn: MysqlConnection, named: { user: string; host: string } | null): void {
  const own = conn.resolvedAccount!;
  const isOwn =
    named === null ||
    (named.user === own.user && named.host.toLowerCase() === own.host.text.toLowerCase());
  if (isOwn) return sendGrants(conn, own);
  if (!conn.account.admin) {
    return conn.replyError(formatError(ER.DBACCESS_DENIED, own.user, own.host.text, 'mysql'));
  }
  const none = formatError(ER.NONEXISTING_GRANT, named.user, named.host);
  conn.awaitThen(
    conn.services.accounts.get(named.user, named.host),
    (account) => (account ? sendGrants(conn, account) : conn.replyError(none)),
    (error) => {
      conn.services.logger.error('user store failed', error);
      conn.replyError(none);
    },
  );
}

function sendGrants(conn: MysqlConnection, account: ResolvedAccount): void {
  const lines = showGrants({
    user: account.user,
    host: account.host.text,
    grants: account.ownGrants,
    roles: account.roles,
    admin: account.admin,
  });
  const title = showGrantsTitle(account.user, account.host.text);
  sendRows(
    conn,
    new MysqlResultSet(
      [{ name: title, type: 'VARCHAR', length: 1024 }],
      lines.map((line) => [line]),
    ),
  );
}
