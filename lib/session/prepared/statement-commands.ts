import { MalformedPacketError } from '../../protocol/binary/malformed-packet.js';
import {
  readExecuteParams,
  readFetch,
  readSendLongData,
  readStatementId,
} from '../../protocol/binary/execute-request.js';
import { placeholderParameter, writePrepareOk } from '../../protocol/binary/prepare-ok.js';
import { writeBinaryRow } from '../../protocol/binary/binary-row.js';
import { CursorType, ServerStatus } from '../../protocol/constants.js';
import { ER, formatError } from '../../protocol/errors.js';
import { writeEndMarker } from '../../protocol/packets.js';
import type { ColumnFields } from '../../protocol/result-set.js';
import {
  parseStatement,
  type ParseOptions,
  type SqlValue,
  type Statement,
  type UserVariables,
} from '../../sql/index.js';
import { decodeQueryText } from '../../sql/query-text.js';
import type { MysqlConnection } from '../connection.js';
import {
  callProcedure,
  executeStatement,
  parseOptionsOf,
  refusedCall,
  replyParseError,
} from '../statements.js';
import { PreparedStatement } from './prepared-statement.js';

/** The cursor types of COM_STMT_EXECUTE's flags; every one is served as READ_ONLY, as MySQL does. */
const CURSOR_TYPES = CursorType.READ_ONLY | CursorType.FOR_UPDATE | CursorType.SCROLLABLE;

/** Statements over this size are parsed off the event loop, as COM_QUERY's are. */
const LARGE_STATEMENT = 256 * 1024;

/** Prepared statements see user variables when they run, not when they are prepared. */
const NO_USER_VARIABLES: UserVariables = { get: () => undefined };

type CallStatement = Extract<Statement, { kind: 'call' }>;

/** COM_STMT_PREPARE: parses the statement, with `?` allowed as CALL arguments, and answers PREPARE_OK. */
export function prepareStatement(conn: MysqlConnection, payload: Buffer): void {
  const options: ParseOptions = { ...parseOptionsOf(conn), placeholders: true };
  const parser = conn.services.largeStatements;
  if (payload.length > LARGE_STATEMENT && parser) {
    return conn.awaitThen(
      parser.parse(payload.subarray(1), options, NO_USER_VARIABLES),
      (statement) => prepared(conn, statement, () => decodeQueryText(payload, 1)),
      (error) => replyParseError(conn, error),
    );
  }
  const sql = decodeQueryText(payload, 1);
  let statement: Statement;
  try {
    statement = parseStatement(sql, NO_USER_VARIABLES, options);
  } catch (error) {
    return replyParseError(conn, error);
  }
  prepared(conn, statement, () => sql);
}

/** Answers PREPARE_OK for a parsed statement; `text` gives its SQL, which a session statement keeps. */
function prepared(conn: MysqlConnection, statement: Statement, text: () => string): void {
  if (statement.kind === 'other') return executeStatement(conn, statement);
  let params: readonly ColumnFields[] = [];
  if (statement.kind === 'call') {
    // Refused now, as MySQL refuses an unknown routine at PREPARE; grants are checked again at execute.
    const refused = refusedCall(conn, statement);
    if (refused) return conn.replyError(refused);
    params = parameterDefinitions(conn, statement);
  }
  const budget = conn.services.preparedStatements;
  if (!budget.acquire()) {
    return conn.replyError(formatError(ER.MAX_PREPARED_STMT_COUNT_REACHED, budget.limit));
  }
  const columns = DESCRIBED.has(statement.kind) ? resultColumns(conn, statement) : [];
  const id = conn.prepared.allocateId();
  const sql = statement.kind === 'call' ? null : text();
  conn.prepared.add(new PreparedStatement(id, statement, params.length, params, columns, sql));
  writePrepareOk(conn.writer, conn.capabilities, id, params, columns, 0, conn.statusFlags);
  conn.flushNow();
}

/** Statements whose result columns PREPARE_OK announces, as MySQL does for a SELECT or SHOW. */
const DESCRIBED: ReadonlySet<Statement['kind']> = new Set([
  'select',
  'query',
  'show',
  'show-processlist',
  'show-warnings',
]);

/**
 * The columns a session statement answers with, learnt by running it with
 * nothing sent (these statements are read-only and answer at once); none
 * when it would fail.
 */
function resultColumns(conn: MysqlConnection, statement: Statement): readonly ColumnFields[] {
  const describing = { columns: [] as readonly ColumnFields[] };
  conn.describing = describing;
  try {
    executeStatement(conn, statement);
  } finally {
    conn.describing = null;
  }
  return describing.columns;
}

/** What each `?` of a CALL is: the declared parameter at its position, else an untyped placeholder. */
function parameterDefinitions(conn: MysqlConnection, call: CallStatement): ColumnFields[] {
  const declared = conn.services.dispatcher.procedure(call.name)?.params ?? null;
  return call.placeholders!.map(
    (position) => declared?.[position]?.column ?? placeholderParameter(),
  );
}

/** The prepared statement a command names, or null having answered ERR 1243 (or nothing, for `silent`). */
function statementOf(
  conn: MysqlConnection,
  payload: Buffer,
  command: string,
): PreparedStatement | null {
  let id: number;
  try {
    id = readStatementId(payload);
  } catch {
    conn.replyError(formatError(ER.MALFORMED_PACKET));
    return null;
  }
  const statement = conn.prepared.get(id);
  if (!statement) conn.replyError(formatError(ER.UNKNOWN_STMT_HANDLER, id, command));
  return statement ?? null;
}

/** COM_STMT_EXECUTE: binds the parameters and runs the statement, its rows in the binary protocol. */
export function executePrepared(conn: MysqlConnection, payload: Buffer): void {
  const prepared = statementOf(conn, payload, 'mysqld_stmt_execute');
  if (!prepared) return;
  const deferred = prepared.longDataError;
  const longData = prepared.takeLongData();
  if (deferred) return conn.replyError(deferred);
  let values: SqlValue[];
  let flags: number;
  try {
    const request = readExecuteParams(
      payload,
      prepared.paramCount,
      prepared.boundTypes,
      longData,
      conn.capabilities,
    );
    prepared.boundTypes = request.types;
    values = request.values;
    flags = request.flags;
  } catch (error) {
    if (!(error instanceof MalformedPacketError)) throw error;
    return conn.replyError(formatError(ER.WRONG_ARGUMENTS, 'mysqld_stmt_execute'));
  }
  conn.binaryResults = true;
  prepared.cursor = null;
  const parsed = prepared.statement;
  // As MySQL: a CALL's results are sent at once even when a cursor is asked for.
  if (parsed.kind === 'call') return callProcedure(conn, bind(conn, parsed, values), true);
  if (flags & CURSOR_TYPES) conn.cursorFor = prepared;
  // A session statement reads user variables as it runs: it is parsed again now.
  let statement: Statement;
  try {
    statement = parseStatement(prepared.sql!, conn.userVariables, parseOptionsOf(conn));
  } catch (error) {
    return replyParseError(conn, error);
  }
  executeStatement(conn, statement);
}

/** The CALL with its placeholders bound, and its `@x` arguments read as they are now. */
function bind(
  conn: MysqlConnection,
  call: CallStatement,
  values: readonly SqlValue[],
): CallStatement {
  const args = call.args.slice();
  const placeholders = call.placeholders!;
  for (let i = 0; i < placeholders.length; i++) args[placeholders[i]!] = values[i]!;
  const variables = call.variables;
  if (variables) {
    for (let p = 0; p < variables.length; p++) {
      const name = variables[p];
      if (name) args[p] = conn.userVariables.get(name) ?? null;
    }
  }
  return { ...call, args };
}

/** COM_STMT_SEND_LONG_DATA: appends to a parameter; never answered, errors wait for the execute. */
export function sendLongData(conn: MysqlConnection, payload: Buffer): void {
  let piece;
  try {
    piece = readSendLongData(payload);
  } catch {
    return;
  }
  const statement = conn.prepared.get(piece.statementId);
  if (!statement || statement.longDataError) return;
  if (piece.paramId >= statement.paramCount) {
    statement.longDataError = formatError(ER.WRONG_ARGUMENTS, 'mysqld_stmt_send_long_data');
  } else if (!statement.appendLongData(piece.paramId, piece.data, conn.maxPacketSize)) {
    statement.longDataError = formatError(ER.NET_PACKET_TOO_LARGE);
  }
}

/** COM_STMT_CLOSE: forgets the statement; never answered. */
export function closeStatement(conn: MysqlConnection, payload: Buffer): void {
  let id: number;
  try {
    id = readStatementId(payload);
  } catch {
    return;
  }
  if (conn.prepared.delete(id)) conn.services.preparedStatements.release(1);
}

/** COM_STMT_RESET: drops long data sent so far, and an open cursor. */
export function resetStatement(conn: MysqlConnection, payload: Buffer): void {
  const statement = statementOf(conn, payload, 'mysqld_stmt_reset');
  if (!statement) return;
  statement.resetLongData();
  statement.cursor = null;
  conn.replyOk();
}

/** COM_STMT_FETCH: rows of a cursor opened by an execute. */
export function fetchRows(conn: MysqlConnection, payload: Buffer): void {
  let request;
  try {
    request = readFetch(payload);
  } catch {
    return conn.replyError(formatError(ER.MALFORMED_PACKET));
  }
  const statement = conn.prepared.get(request.statementId);
  if (!statement) {
    return conn.replyError(
      formatError(ER.UNKNOWN_STMT_HANDLER, request.statementId, 'mysqld_stmt_fetch'),
    );
  }
  const cursor = statement.cursor;
  if (!cursor) return conn.replyError(formatError(ER.STMT_HAS_NO_OPEN_CURSOR, statement.id));
  const { writer, capabilities } = conn;
  const start = cursor.next;
  const end = Math.min(cursor.rows.length, start + request.rows);
  for (; cursor.next < end; cursor.next++) {
    if (!writeBinaryRow(writer, cursor.columns, cursor.rows[cursor.next]!, conn.maxPacketSize)) {
      statement.cursor = null;
      return conn.replyError(formatError(ER.NET_PACKET_TOO_LARGE));
    }
  }
  // As MySQL's materialized cursor: a fetch that found as many rows as it
  // asked for says more may follow; one that ran out closes the cursor.
  const ranOut = end - start < request.rows;
  if (ranOut) statement.cursor = null;
  const flag = ranOut ? ServerStatus.LAST_ROW_SENT : ServerStatus.CURSOR_EXISTS;
  writeEndMarker(writer, capabilities, conn.statusFlags | flag);
  conn.flushNow();
}
