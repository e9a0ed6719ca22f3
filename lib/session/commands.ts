import { Command, SetOption } from '../protocol/constants.js';
import { ER, formatError } from '../protocol/errors.js';
import { writeEndMarker } from '../protocol/packets.js';
import { parseStatement, type Statement } from '../sql/index.js';
import { ParseWorkerError } from '../sql/off-thread.js';
import { runAccountCommand } from './account-statements.js';
import type { MysqlConnection } from './connection.js';
import { decodeUtf8InSlices } from './sliced-decode.js';
import { executeStatement, parseOptionsOf, replyParseError, runStatement } from './statements.js';

/**
 * Statements larger than this are parsed away from the event loop: a parse
 * costs up to ~60 ns a byte for the densest text, so this bounds what one
 * statement can hold the loop for to about 15 ms.
 */
const LARGE_STATEMENT = 256 * 1024;

/** COM_REFRESH's flags byte. */
const refreshFlags = (payload: Buffer): number => (payload.length > 1 ? payload[1]! : 0);

/** Answers one command of a logged-in client (COM_CHANGE_USER is the login's). */
export function runCommand(conn: MysqlConnection, payload: Buffer): void {
  const command = payload.length > 0 ? payload[0] : -1;
  switch (command) {
    case Command.QUERY:
      if (payload.length > LARGE_STATEMENT) return runLargeStatement(conn, payload);
      return runStatement(conn, payload.toString('utf8', 1));
    case Command.PING:
      return conn.replyOk();
    case Command.QUIT:
      return conn.quit();
    case Command.INIT_DB:
      return useDatabase(conn, payload.toString('utf8', 1));
    case Command.STATISTICS:
      conn.writer.begin().text(conn.services.stats.statisticsLine()).end();
      conn.flushNow();
      return;
    case Command.FIELD_LIST:
      // No tables here: the column list is always empty.
      writeEndMarker(conn.writer, conn.capabilities, conn.statusFlags);
      conn.flushNow();
      return;
    case Command.SET_OPTION:
      return setOption(conn, payload);
    case Command.STMT_SEND_LONG_DATA:
    case Command.STMT_CLOSE:
      // These never get a reply, not even an error: answering would shift
      // every later reply by one. Prepared statements are not supported,
      // so there is nothing to close or append to.
      return;
    case Command.RESET_CONNECTION:
      conn.resetSession();
      return conn.replyOk();
    case Command.REFRESH:
      return runAccountCommand(conn, { kind: 'refresh', flags: refreshFlags(payload) });
    default:
      return conn.replyError(formatError(ER.UNKNOWN_COM));
  }
}

/** USE / COM_INIT_DB: only the server's one database exists. */
export function useDatabase(conn: MysqlConnection, name: string): void {
  if (name !== conn.services.settings.database) {
    return conn.replyError(formatError(ER.BAD_DB, name));
  }
  conn.database = name;
  conn.replyOk();
}

function setOption(conn: MysqlConnection, payload: Buffer): void {
  const option = payload.length === 3 ? payload.readUInt16LE(1) : -1;
  // Multi-statements are not implemented, so only turning them off succeeds.
  if (option !== SetOption.MULTI_STATEMENTS_OFF) {
    return conn.replyError(formatError(ER.UNKNOWN_COM));
  }
  writeEndMarker(conn.writer, conn.capabilities, conn.statusFlags);
  conn.flushNow();
}

/**
 * A statement over LARGE_STATEMENT is parsed on the worker thread where
 * there is one, else decoded a slice at a time and parsed here. Either
 * way the connection takes no other command meanwhile, so order is kept.
 */
function runLargeStatement(conn: MysqlConnection, payload: Buffer): void {
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
