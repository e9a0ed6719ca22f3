import { Command } from '../protocol/constants.js';
import { MysqlResultSet } from '../results/result-values.js';
import type { MysqlConnection } from './connection.js';
import { sendRows } from './statements.js';

/** MySQL's name of each command, as SHOW PROCESSLIST's Command column shows it. */
const COMMAND_NAMES: ReadonlyMap<number, string> = new Map([
  [Command.QUIT, 'Quit'],
  [Command.INIT_DB, 'Init DB'],
  [Command.QUERY, 'Query'],
  [Command.FIELD_LIST, 'Field List'],
  [Command.REFRESH, 'Refresh'],
  [Command.STATISTICS, 'Statistics'],
  [Command.PING, 'Ping'],
  [Command.CHANGE_USER, 'Change user'],
  [Command.STMT_PREPARE, 'Prepare'],
  [Command.STMT_EXECUTE, 'Execute'],
  [Command.STMT_SEND_LONG_DATA, 'Long Data'],
  [Command.STMT_CLOSE, 'Close stmt'],
  [Command.STMT_RESET, 'Reset stmt'],
  [Command.SET_OPTION, 'Set option'],
  [Command.STMT_FETCH, 'Fetch'],
  [Command.RESET_CONNECTION, 'Reset Connection'],
]);

/** The Command column's text for a command byte. */
const commandName = (command: number): string => COMMAND_NAMES.get(command) ?? 'Error';

/** Characters of Info without FULL, as MySQL cuts it. */
const INFO_CHARS = 100;

const COLUMNS = [
  { name: 'Id', type: 'BIGINT', unsigned: true },
  { name: 'User', type: 'VARCHAR', length: 32 },
  { name: 'Host', type: 'VARCHAR', length: 261 },
  { name: 'db', type: 'VARCHAR', length: 64 },
  { name: 'Command', type: 'VARCHAR', length: 16 },
  { name: 'Time', type: 'INT' },
  { name: 'State', type: 'VARCHAR', length: 30 },
  { name: 'Info', type: 'VARCHAR', length: INFO_CHARS },
] as const;

/**
 * `SHOW [FULL] PROCESSLIST`: the connections, as MySQL lists its threads.
 * An admin sees every one; any other account only those logged in with its
 * user name (MySQL without the PROCESS privilege). Info is the running
 * statement, cut to 100 characters unless FULL.
 */
export function showProcessList(conn: MysqlConnection, full: boolean): void {
  const now = Date.now();
  const rows: unknown[][] = [];
  const admin = conn.account.admin;
  for (const other of conn.services.sessions()) {
    const loggedIn = other.isLoggedIn;
    if (!admin && (!loggedIn || other.user !== conn.user)) continue;
    const running = other === conn || other.isBusy;
    const info = running ? other.commandInfo : null;
    rows.push([
      other.connectionId,
      loggedIn ? other.user : 'unauthenticated user',
      `${other.host}:${other.port}`,
      other.database,
      !loggedIn ? 'Connect' : running ? commandName(other.command) : 'Sleep',
      Math.max(0, Math.floor((now - other.commandStartedAt) / 1000)),
      !loggedIn ? 'login' : running ? 'executing' : '',
      info === null || full ? info : info.slice(0, INFO_CHARS),
    ]);
  }
  rows.sort((a, b) => (a[0] as number) - (b[0] as number));
  const columns = full
    ? COLUMNS.map((c) => (c.name === 'Info' ? { name: 'Info', type: 'TEXT' as const } : c))
    : COLUMNS;
  sendRows(
    conn,
    new MysqlResultSet(
      columns.map((c) => ({ ...c })),
      rows,
    ),
  );
}
