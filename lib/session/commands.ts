import { Command, SetOption } from '../protocol/constants.js';
import { ER, formatError } from '../protocol/errors.js';
import { writeEndMarker } from '../protocol/packets.js';
import { parseStatement, type Statement } from '../sql/index.js';
import { ParseWorkerError } from '../sql/off-thread.js';
import { decodeQueryText } from '../sql/query-text.js';
import { runAccountCommand } from './account-statements.js';
import { killThread } from './kill.js';
import type { MysqlConnection } from './connection.js';
import { decodeUtf8InSlices } from './sliced-decode.js';
import {
  closeStatement,
  executePrepared,
  fetchRows,
  prepareStatement,
  resetStatement,
  sendLongData,
} from './prepared/statement-commands.js';
import {
  executeStatement,
  parseOptionsOf,
  replyParseError,
  runStatement,
  runStatementAt,
} from './statements.js';

/**
 * Statements larger than this are parsed away from the event loop: a parse
 * costs up to ~60 ns a byte for the densest text, so this bounds what one
 * statement can hold the loop for to about 15 ms.
 */
const LARGE_STATEMENT = 256 * 1024;

const SEMICOLON = 0x3b;

/** COM_REFRESH's flags byte. */
const refreshFlags = (payload: Buffer): number => (payload.length > 1 ? payload[1]! : 0);

/** Answers one command; `payload` starts with the command byte. */
type CommandHandler = (conn: MysqlConnection, payload: Buffer) => void;

/**
 * The commands of a logged-in client, by command byte. COM_CHANGE_USER is
 * the login's (see connection.ts); any byte not here is ERR 1047.
 */
const COMMANDS: ReadonlyMap<number, CommandHandler> = new Map<number, CommandHandler>([
  [Command.QUERY, runQuery],
  [Command.PING, (conn) => conn.replyOk()],
  [Command.QUIT, (conn) => conn.quit()],
  [Command.INIT_DB, (conn, payload) => useDatabase(conn, payload.toString('utf8', 1))],
  [Command.STATISTICS, statistics],
  [Command.FIELD_LIST, fieldList],
  [Command.SET_OPTION, setOption],
  [Command.RESET_CONNECTION, resetConnection],
  [Command.REFRESH, refresh],
  [Command.STMT_PREPARE, prepareStatement],
  [Command.STMT_EXECUTE, executePrepared],
  [Command.STMT_SEND_LONG_DATA, sendLongData],
  [Command.STMT_CLOSE, closeStatement],
  [Command.STMT_RESET, resetStatement],
  [Command.STMT_FETCH, fetchRows],
  [Command.PROCESS_KILL, processKill],
]);

/** Answers one command of a logged-in client (COM_CHANGE_USER is the login's). */
export function runCommand(conn: MysqlConnection, payload: Buffer): void {
  const handler = payload.length > 0 ? COMMANDS.get(payload[0]!) : undefined;
  if (handler === undefined) return conn.replyError(formatError(ER.UNKNOWN_COM));
  handler(conn, payload);
}

function runQuery(conn: MysqlConnection, payload: Buffer): void {
  if (payload.length > LARGE_STATEMENT) return runLargeStatement(conn, payload);
  const sql = decodeQueryText(payload, 1);
  conn.commandInfo = sql;
  runStatement(conn, sql);
}

/** COM_PROCESS_KILL (libmysqlclient's mysql_kill): KILL CONNECTION of a 4-byte thread id. */
function processKill(conn: MysqlConnection, payload: Buffer): void {
  if (payload.length !== 5) return conn.replyError(formatError(ER.MALFORMED_PACKET));
  killThread(conn, payload.readUInt32LE(1), 'connection');
}

function statistics(conn: MysqlConnection): void {
  conn.writer.begin().text(conn.services.stats.statisticsLine()).end();
  conn.flushNow();
}

/** COM_FIELD_LIST: no tables here, so the column list is always empty. */
function fieldList(conn: MysqlConnection): void {
  writeEndMarker(conn.writer, conn.capabilities, conn.statusFlags);
  conn.flushNow();
}

function resetConnection(conn: MysqlConnection): void {
  conn.resetSession();
  conn.replyOk();
}

function refresh(conn: MysqlConnection, payload: Buffer): void {
  runAccountCommand(conn, { kind: 'refresh', flags: refreshFlags(payload) });
}

/** The database a name selects: the server's one, or information_schema (in any letter case); else null. */
export function databaseNamed(conn: MysqlConnection, name: string): string | null {
  if (name === conn.services.settings.database) return name;
  return name.toLowerCase() === INFORMATION_SCHEMA ? INFORMATION_SCHEMA : null;
}

const INFORMATION_SCHEMA = 'information_schema';

/** USE / COM_INIT_DB: the server's one database, or information_schema (where nothing can be called). */
export function useDatabase(conn: MysqlConnection, name: string): void {
  const database = databaseNamed(conn, name);
  if (database === null) return conn.replyError(formatError(ER.BAD_DB, name));
  conn.database = database;
  conn.replyOk();
}

/** COM_SET_OPTION: multi-statements on or off; answered with an EOF, as MySQL does. */
function setOption(conn: MysqlConnection, payload: Buffer): void {
  const option = payload.length === 3 ? payload.readUInt16LE(1) : -1;
  if (option === SetOption.MULTI_STATEMENTS_ON) conn.multiStatements = true;
  else if (option === SetOption.MULTI_STATEMENTS_OFF) conn.multiStatements = false;
  else return conn.replyError(formatError(ER.UNKNOWN_COM));
  writeEndMarker(conn.writer, conn.capabilities, conn.statusFlags);
  conn.flushNow();
}

/**
 * A statement over LARGE_STATEMENT is parsed on the worker thread where
 * there is one, else decoded a slice at a time and parsed here. Either
 * way the connection takes no other command meanwhile, so order is kept.
 */
function runLargeStatement(conn: MysqlConnection, payload: Buffer): void {
  // Several statements are parsed one at a time as each runs, here: the
  // worker answers one statement per query.
  if (conn.multiStatements && payload.indexOf(SEMICOLON, 1) !== -1) {
    return conn.awaitThen(
      decodeUtf8InSlices(payload, 1),
      (sql) => {
        conn.commandInfo = sql;
        runStatementAt(conn, sql, 0);
      },
      (error) => replyParseError(conn, error),
    );
  }
  const parser = conn.services.largeStatements;
  const parsed: Promise<Statement> = parser
    ? parser.parse(payload.subarray(1), parseOptionsOf(conn), conn.userVariables)
    : decodeUtf8InSlices(payload, 1).then((sql) =>
        parseStatement(sql, conn.userVariables, parseOptionsOf(conn)),
      );
  conn.awaitThen(
    parsed,
    (statement) => executeStatement(conn, statement),
    (error) =>
      error instanceof ParseWorkerError && error.outOfMemory
        ? conn.replyError(formatError(ER.OUT_OF_RESOURCES))
        : replyParseError(conn, error),
  );
}
