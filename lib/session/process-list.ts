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
export const commandName = (command: number): string => COMMAND_NAMES.get(command) ?? 'Error';

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

/** One connection as SHOW PROCESSLIST and information_schema.PROCESSLIST show it. */
export interface ProcessRow {
  readonly id: number;
  /** The user name, or `unauthenticated user` before login. */
  readonly user: string;
  /** `ip:port`. */
  readonly host: string;
  readonly db: string | null;
  /** MySQL's command name, `Sleep` when idle, `Connect` during login. */
  readonly command: string;
  /** Seconds in the current command, or idle. */
  readonly time: number;
  readonly state: string;
  /** The statement running, whole; null when idle or for commands without one. */
  readonly info: string | null;
}

/** How one connection shows in the process list now. */
export function processRow(
  conn: MysqlConnection,
  viewer: MysqlConnection | null,
  now: number,
): ProcessRow {
  const loggedIn = conn.isLoggedIn;
  const running = conn === viewer || conn.isBusy;
  return {
    id: conn.connectionId,
    user: loggedIn ? conn.user : 'unauthenticated user',
    host: `${conn.host}:${conn.port}`,
    db: conn.database,
    command: !loggedIn ? 'Connect' : running ? commandName(conn.command) : 'Sleep',
    time: Math.max(
      0,
      Math.floor((now - (running ? conn.commandStartedAt : conn.idleSince)) / 1000),
    ),
    state: !loggedIn ? 'login' : running ? conn.processState : '',
    info: running ? conn.commandInfo : null,
  };
}

/**
 * The connections `viewer` may see, in id order: every one for an admin
 * (MySQL's PROCESS privilege); for any other account, those logged in
 * with its user name.
 */
export function processRows(viewer: MysqlConnection, now = Date.now()): ProcessRow[] {
  const rows: ProcessRow[] = [];
  const admin = viewer.account.admin;
  for (const other of viewer.services.sessions()) {
    if (!admin && (!other.isLoggedIn || other.user !== viewer.user)) continue;
    rows.push(processRow(other, viewer, now));
  }
  return rows.sort((a, b) => a.id - b.id);
}

/**
 * `SHOW [FULL] PROCESSLIST`: the connections, as MySQL lists its threads.
 * Info is the running statement, cut to 100 characters unless FULL.
 */
export function showProcessList(conn: MysqlConnection, full: boolean): void {
  const rows = processRows(conn).map((r) => [
    r.id,
    r.user,
    r.host,
    r.db,
    r.command,
    r.time,
    r.state,
    r.info === null || full ? r.info : r.info.slice(0, INFO_CHARS),
  ]);
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
