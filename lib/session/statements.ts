import { executeDenied } from '../acl/access-denied.js';
import { ER, formatError, type WireError } from '../protocol/errors.js';
import { writeEndMarker } from '../protocol/packets.js';
import { writeBinaryRow } from '../protocol/binary/binary-row.js';
import { ServerStatus } from '../protocol/constants.js';
import {
  writeColumnDefinition,
  writeResultSetHeader,
  writeTextRow,
  type ColumnFields,
} from '../protocol/result-set.js';
import type { Cell } from '../results/cell-encoder.js';
import type { TypedColumn } from '../results/infer-column.js';
import type { PreparedStatement } from './prepared/prepared-statement.js';
import { formatDateTime } from '../results/cell-encoder.js';
import { encodeRow, planReply, TableTyping, type RowTable } from '../results/result-builder.js';
import { MysqlResultSet } from '../results/result-values.js';
import {
  EmptyQueryError,
  IllegalDoubleError,
  MAX_CALL_ARGUMENTS,
  parseNextStatement,
  parseStatement,
  type NextStatement,
  type ParseOptions,
  serverVersionId,
  SqlSyntaxError,
  SqlUnsupportedError,
  TooManyCallArgumentsError,
  TooManyPlaceholdersError,
  TooManySelectItemsError,
  type SelectItem,
  type SqlValue,
  type Statement,
} from '../sql/index.js';
import { showProcessList } from './process-list.js';
import { runKill } from './kill.js';
import { CallReply } from './call-reply.js';
import { runAccountCommand } from './account-statements.js';
import { runQueryStatement, runShowStatement } from './introspection.js';
import { useDatabase } from './commands.js';
import { runSet } from './session-state/run-set.js';
import type { MysqlConnection } from './connection.js';

const NO_VARIABLES: readonly (string | null)[] = Object.freeze([]);
const NO_PLACEHOLDERS: readonly number[] = Object.freeze([]);

/** How this server's statements are parsed (the version decides which `/*!NNNNN` comments run). */
export function parseOptionsOf(conn: MysqlConnection): ParseOptions {
  return { serverVersionId: serverVersionId(conn.services.settings.serverVersion) };
}

/** Runs one COM_QUERY: a CALL goes to the dispatcher, session statements are answered here. */
export function runStatement(conn: MysqlConnection, sql: string): void {
  if (conn.multiStatements && sql.includes(';')) return runStatementAt(conn, sql, 0);
  let statement: Statement;
  try {
    statement = parseStatement(sql, conn.userVariables, parseOptionsOf(conn));
  } catch (error) {
    return replyParseError(conn, error);
  }
  executeStatement(conn, statement);
}

/**
 * Runs the statement of a multi-statement query that starts at `from`,
 * queueing the rest: each statement's result in turn, stopping at the
 * first that fails, as MySQL does.
 */
export function runStatementAt(conn: MysqlConnection, sql: string, from: number): void {
  let parsed: NextStatement;
  try {
    parsed = parseNextStatement(sql, from, conn.userVariables, parseOptionsOf(conn));
  } catch (error) {
    conn.queueStatements(null);
    return replyParseError(conn, error);
  }
  conn.queueStatements(parsed.next < 0 ? null : { sql, next: parsed.next });
  executeStatement(conn, parsed.statement);
}

/** Answers a query the parser refused; an error that is not the parser's is rethrown. */
export function replyParseError(conn: MysqlConnection, error: unknown): void {
  if (error instanceof SqlSyntaxError) {
    return conn.replyError(formatError(ER.PARSE_ERROR, error.message));
  }
  if (error instanceof EmptyQueryError) {
    // Only comments: MySQL runs it as an empty statement and answers OK.
    if (error.hadComment) return conn.replyOk();
    return conn.replyError(formatError(ER.EMPTY_QUERY));
  }
  if (error instanceof SqlUnsupportedError) {
    return conn.replyError(formatError(ER.NOT_SUPPORTED_YET, error.feature));
  }
  if (error instanceof IllegalDoubleError) {
    return conn.replyError(formatError(ER.ILLEGAL_VALUE_FOR_TYPE, 'double', error.text));
  }
  if (error instanceof TooManySelectItemsError) {
    return conn.replyError(formatError(ER.TOO_MANY_FIELDS));
  }
  if (error instanceof TooManyPlaceholdersError) {
    return conn.replyError(formatError(ER.PS_MANY_PARAM));
  }
  if (error instanceof TooManyCallArgumentsError) {
    // Named as call() names the procedure: the CALL's schema, else the session's.
    const schema = error.schema ?? conn.database ?? conn.services.settings.database;
    return conn.replyError(
      formatError(
        ER.SP_WRONG_NO_OF_ARGS,
        'PROCEDURE',
        `${schema}.${error.procedure}`,
        `at most ${MAX_CALL_ARGUMENTS}`,
        error.count,
      ),
    );
  }
  throw error;
}

/** Runs a parsed statement. */
export function executeStatement(conn: MysqlConnection, statement: Statement): void {
  switch (statement.kind) {
    case 'call':
      return callProcedure(conn, statement);
    case 'use':
      return useDatabase(conn, statement.schema);
    case 'set': {
      const refused = runSet(conn, statement);
      return refused ? conn.replyError(refused) : conn.replyOk();
    }
    case 'transaction':
      conn.inTransaction = statement.action === 'begin';
      conn.systemVariables.noteTransaction(conn.inTransaction);
      return conn.replyOk();
    case 'show-warnings':
      return sendRows(
        conn,
        new MysqlResultSet([
          { name: 'Level', type: 'VARCHAR', length: 28 },
          { name: 'Code', type: 'INT', unsigned: true, length: 4 },
          { name: 'Message', type: 'VARCHAR', length: 2048 },
        ]),
      );
    case 'select':
      return select(conn, statement.items, statement.limit);
    case 'query':
      return runQueryStatement(conn, statement.query);
    case 'show':
      return runShowStatement(conn, statement.show);
    case 'show-processlist':
      return showProcessList(conn, statement.full);
    case 'kill':
      return runKill(conn, statement);
    case 'show-grants':
    case 'flush':
      return runAccountCommand(conn, statement);
    case 'other':
      return conn.replyError(formatError(ER.CALL_ONLY, statement.near));
  }
}

type CallStatement = Extract<Statement, { kind: 'call' }>;

/** The schema a CALL names, else the session's database, else the server's. */
const schemaOf = (conn: MysqlConnection, statement: CallStatement): string =>
  statement.schema ?? conn.database ?? conn.services.settings.database;

/**
 * Why a CALL may not run, or null. Deny by default, before anything else:
 * a name the account may not call is refused the same whether or not it
 * exists. With `mustExist`, an unknown procedure is ERR 1305 here too
 * (COM_STMT_PREPARE; a CALL leaves that to the dispatcher).
 */
export function refusedCall(
  conn: MysqlConnection,
  statement: CallStatement,
  mustExist = true,
): WireError | null {
  const { settings, dispatcher } = conn.services;
  const schema = schemaOf(conn, statement);
  const home = schema === settings.database;
  if (
    !conn.account.grants.covers(schema, statement.name) &&
    !(home && dispatcher.isPublic(statement.name))
  ) {
    return executeDenied(conn.account, `${schema}.${statement.name}`);
  }
  if (!home || (mustExist && !dispatcher.procedure(statement.name))) {
    return formatError(ER.SP_DOES_NOT_EXIST, 'PROCEDURE', `${schema}.${statement.name}`);
  }
  return null;
}

/** Runs a CALL through the dispatcher: from COM_QUERY, or `prepared` from COM_STMT_EXECUTE. */
export function callProcedure(
  conn: MysqlConnection,
  statement: CallStatement,
  prepared = false,
): void {
  const schema = schemaOf(conn, statement);
  const variables = statement.variables ?? NO_VARIABLES;
  const placeholders = (prepared && statement.placeholders) || NO_PLACEHOLDERS;
  const reply = new CallReply(conn, `${schema}.${statement.name}`, { variables, placeholders });
  conn.startCall(reply, () => {
    const refused = refusedCall(conn, statement, false);
    if (refused) return reply.error(refused);
    conn.services.dispatcher.dispatch(
      {
        schema,
        name: statement.name,
        args: statement.args,
        variables,
        placeholders,
        prepared,
        qualified: statement.schema !== null,
        session: conn,
      },
      reply,
    );
  });
}

/** SELECT of system variables, session functions and literals, as clients send on connect. */
function select(conn: MysqlConnection, items: readonly SelectItem[], limit: number | null): void {
  const values: SqlValue[] = [];
  for (const item of items) {
    const expr = item.expr;
    if (expr.type === 'literal') {
      values.push(expr.value);
    } else if (expr.type === 'variable') {
      const value = conn.systemVariables.read(expr.name, expr.scope);
      if (value === undefined) {
        const refused = conn.systemVariables.readError(expr.name, expr.scope);
        return conn.replyError(refused ?? formatError(ER.UNKNOWN_SYSTEM_VARIABLE, expr.name));
      }
      values.push(value);
    } else {
      values.push(sessionFunction(conn, expr.name));
    }
  }
  const columns = items.map((i) => i.column);
  sendRows(conn, new MysqlResultSet(columns, limit === 0 ? [] : [values]));
}

function sessionFunction(conn: MysqlConnection, name: string): SqlValue {
  switch (name) {
    case 'DATABASE':
    case 'SCHEMA':
      return conn.database;
    case 'USER':
    case 'SESSION_USER':
    case 'SYSTEM_USER':
      return `${conn.user}@${conn.host}`;
    case 'CURRENT_USER':
      return conn.account.name;
    case 'VERSION':
      return conn.services.settings.serverVersion;
    case 'CONNECTION_ID':
      return conn.connectionId;
    case 'LAST_INSERT_ID':
      return conn.lastInsertId;
    case 'NOW':
      // NOW() has whole seconds, unlike NOW(3).
      return formatDateTime(new Date(), conn.services.settings.encode.utc)!.slice(0, 19);
    default:
      return null;
  }
}

/**
 * Sends a session statement's small result set whole. Its one row is still
 * bounded: `SELECT @a, @a, ...` of a large variable gets ERR 1153 in place
 * of a row beyond max_allowed_packet, and nothing of it is encoded.
 */
export function sendRows(conn: MysqlConnection, resultSet: MysqlResultSet): void {
  const plan = planReply(resultSet, '');
  if (plan.kind !== 'table') return conn.replyOk();
  const { table } = plan;
  const typing = new TableTyping(table);
  typing.observe(0, table.length);
  const columns = typing.resolve();
  const definitions = columns.map((c) => c.definition);
  if (conn.describing) {
    conn.describing.columns = definitions;
    return;
  }
  const cursorFor = conn.binaryResults ? conn.cursorFor : null;
  if (cursorFor) return openCursor(conn, cursorFor, table, columns, definitions);
  const { writer, capabilities, statusFlags } = conn;
  writeResultSetHeader(writer, capabilities, definitions, statusFlags);
  const cells = new Array(columns.length);
  const encode = conn.services.settings.encode;
  for (let r = 0; r < table.length; r++) {
    encodeRow(table, r, columns, encode, cells);
    const written = conn.binaryResults
      ? writeBinaryRow(writer, definitions, cells, conn.maxPacketSize)
      : writeTextRow(writer, cells, conn.maxPacketSize);
    if (!written) {
      return conn.replyError(formatError(ER.NET_PACKET_TOO_LARGE));
    }
  }
  writeEndMarker(writer, capabilities, statusFlags);
  conn.flushNow();
}

/**
 * Answers an execute that asked for a cursor: the column definitions, then
 * one end marker flagged SERVER_STATUS_CURSOR_EXISTS (in either EOF mode, as
 * MySQL's send_eof after a cursor's metadata), and the rows are kept for
 * COM_STMT_FETCH.
 */
function openCursor(
  conn: MysqlConnection,
  statement: PreparedStatement,
  table: RowTable,
  columns: readonly TypedColumn[],
  definitions: readonly ColumnFields[],
): void {
  const { writer, capabilities, statusFlags } = conn;
  writer.begin().lenenc(definitions.length).end();
  for (const d of definitions) writeColumnDefinition(writer, d);
  writeEndMarker(writer, capabilities, statusFlags | ServerStatus.CURSOR_EXISTS);
  const encode = conn.services.settings.encode;
  const rows: Cell[][] = [];
  for (let r = 0; r < table.length; r++) rows.push(encodeRow(table, r, columns, encode, []));
  statement.cursor = { columns: definitions, rows, next: 0 };
  conn.flushNow();
}
