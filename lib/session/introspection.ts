import { ER, formatError, type WireError } from '../protocol/errors.js';
import type { MysqlColumn } from '../results/result-values.js';
import { MysqlResultSet } from '../results/result-values.js';
import {
  EvaluationBudget,
  EvaluationLimitError,
  InvalidGroupFunctionError,
  outputCell,
  UnknownColumnError,
  UnknownFunctionError,
  UnknownSystemVariableError,
  ValueOutOfRangeError,
  WrongArgumentCountError,
  type EvaluationContext,
  type Expr,
  type ResultType,
} from '../sql/expression/index.js';
import {
  NoDatabaseSelectedError,
  NoSuchTableError,
  NoTablesUsedError,
  runQuery,
  UnknownSchemaTableError,
  UnknownTableError,
  type QueryResult,
  type SelectQuery,
  type ShowStatement,
  type TableResolver,
} from '../sql/query/index.js';
import type { MysqlConnection } from './connection.js';
import type { CatalogProcedure } from './procedure-catalog.js';
import { sendRows } from './statements.js';
import {
  INFORMATION_SCHEMA,
  schemaTable,
  schemaVirtualTable,
} from './virtual-tables/information-schema.js';
import type { IntrospectionSource } from './virtual-tables/introspection-source.js';
import { likeFilter, showResult, ShowError } from './virtual-tables/show-results.js';

/** A refusal the session itself words: a system variable read in a scope it does not have (ERR 1238). */
class SessionRefusal extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message);
    this.name = 'SessionRefusal';
  }
}

/** The authentication plugins the login speaks (see login/login-flow.ts), for SHOW PLUGINS. */
const AUTH_PLUGINS = ['caching_sha2_password', 'mysql_native_password'] as const;

/**
 * How a session evaluates expressions: its user variables (`conn.userVariables`), system
 * variables (`conn.systemVariables`), DATABASE(), USER(), NOW() as of now, and a fresh
 * budget. One per statement: NOW() is fixed for the statement, as in MySQL.
 */
export function sessionEvaluationContext(conn: MysqlConnection): EvaluationContext {
  const { settings } = conn.services;
  return {
    userVariable: (name) => conn.userVariables.get(name),
    systemVariable: (name, scope) => {
      const value = conn.systemVariables.read(name, scope);
      // Unknown is the evaluator's ERR 1193; a variable of the other scope is ERR 1238.
      const refused = value === undefined ? conn.systemVariables.readError(name, scope) : null;
      if (refused !== null && refused.code !== ER.UNKNOWN_SYSTEM_VARIABLE.code) {
        throw new SessionRefusal(refused);
      }
      return value;
    },
    session: {
      database: conn.database,
      user: `${conn.user}@${conn.host}`,
      currentUser: conn.account.name,
      version: settings.serverVersion,
      connectionId: conn.connectionId,
      lastInsertId: conn.lastInsertId,
      now: new Date(),
      utc: settings.encode.utc,
      maxAllowedPacket: conn.maxPacketSize,
    },
    // Built strings may reach a few packets' worth: each is cut at max_allowed_packet.
    budget: new EvaluationBudget(undefined, 4 * conn.maxPacketSize),
  };
}

/**
 * MySQL's error for what evaluating or resolving a statement threw (an unknown function,
 * column, table or variable, a value out of range, a statement past its budget), or null
 * when the error is not one of those.
 */
export function evaluationErrorToWire(error: unknown): WireError | null {
  if (error instanceof UnknownFunctionError) {
    const name =
      error.schema === null ? error.functionName : `${error.schema}.${error.functionName}`;
    return formatError(ER.SP_DOES_NOT_EXIST, 'FUNCTION', name);
  }
  if (error instanceof WrongArgumentCountError) {
    return formatError(ER.WRONG_PARAMCOUNT_TO_NATIVE_FCT, error.functionName.toLowerCase());
  }
  if (error instanceof UnknownSystemVariableError) {
    return formatError(ER.UNKNOWN_SYSTEM_VARIABLE, error.variable);
  }
  if (error instanceof UnknownColumnError) {
    return formatError(ER.BAD_FIELD_ERROR, error.column, error.clause);
  }
  if (error instanceof ValueOutOfRangeError) {
    return formatError(ER.DATA_OUT_OF_RANGE, error.type, error.expression);
  }
  if (error instanceof InvalidGroupFunctionError) return formatError(ER.INVALID_GROUP_FUNC_USE);
  if (error instanceof EvaluationLimitError) return formatError(ER.QUERY_TIMEOUT);
  if (error instanceof NoSuchTableError) {
    return formatError(ER.NO_SUCH_TABLE, error.schema, error.table);
  }
  if (error instanceof UnknownSchemaTableError) {
    return formatError(ER.UNKNOWN_TABLE, error.table, error.schema);
  }
  if (error instanceof NoDatabaseSelectedError) return formatError(ER.NO_DB_ERROR);
  if (error instanceof NoTablesUsedError) return formatError(ER.NO_TABLES_USED);
  if (error instanceof UnknownTableError) return formatError(ER.BAD_TABLE_ERROR, error.table);
  if (error instanceof ShowError || error instanceof SessionRefusal) return error.wire;
  return null;
}

/** What information_schema and SHOW read of this session. */
function introspectionSource(conn: MysqlConnection): IntrospectionSource {
  const { settings, dispatcher } = conn.services;
  const grants = conn.account.grants;
  let visible: readonly CatalogProcedure[] | null = null;
  return {
    database: settings.database,
    currentDatabase: conn.database,
    // Deny by default, as CALL: only what the account's grants cover, or what is public.
    procedures: () =>
      (visible ??= dispatcher
        .procedures()
        .filter((p) => p.public || grants.covers(p.schema, p.name))),
    variables: conn.systemVariables,
    authPlugins: AUTH_PLUGINS,
    utc: settings.encode.utc,
  };
}

/** Resolves FROM: information_schema's tables; any other table does not exist. */
function schemaResolver(conn: MysqlConnection, source: IntrospectionSource): TableResolver {
  return {
    table(ref) {
      const schema = ref.schema ?? conn.database;
      if (schema === null) throw new NoDatabaseSelectedError();
      if (schema.toLowerCase() !== INFORMATION_SCHEMA) throw new NoSuchTableError(schema, ref.name);
      const table = schemaTable(ref.name);
      if (table === undefined) throw new UnknownSchemaTableError(ref.name, INFORMATION_SCHEMA);
      return schemaVirtualTable(table, source);
    },
  };
}

/** Answers a SELECT the evaluator runs: expressions, or one information_schema table. */
export function runQueryStatement(conn: MysqlConnection, query: SelectQuery): void {
  const source = introspectionSource(conn);
  answer(conn, () => runQuery(query, sessionEvaluationContext(conn), schemaResolver(conn, source)));
}

/** Answers a SHOW from the catalog and the session's settings, with its LIKE or WHERE. */
export function runShowStatement(conn: MysqlConnection, show: ShowStatement): void {
  const source = introspectionSource(conn);
  answer(conn, () => {
    const shown = showResult(show, source);
    const filter = 'filter' in show ? show.filter : null;
    let where: Expr | null = null;
    if (filter !== null && 'like' in filter) where = likeFilter(shown, filter.like);
    else if (filter !== null) where = filter.where;
    const query: SelectQuery = {
      distinct: false,
      items: [{ kind: 'star', qualifier: null }],
      from: { schema: null, name: shown.table.name, alias: null },
      where,
      groupBy: [],
      having: null,
      orderBy: [],
      limit: null,
      nodes: 0,
    };
    const result = runQuery(query, sessionEvaluationContext(conn), { table: () => shown.table });
    if (filter === null || !('like' in filter) || shown.likeTitle === null) return result;
    const [first, ...rest] = result.columns;
    return { ...result, columns: [{ ...first!, name: shown.likeTitle(filter.like) }, ...rest] };
  });
}

/** Runs `produce` and sends its rows, or the error MySQL would give. */
function answer(conn: MysqlConnection, produce: () => QueryResult): void {
  let result: QueryResult;
  try {
    result = produce();
  } catch (error) {
    const wire = evaluationErrorToWire(error);
    if (wire === null) throw error;
    return conn.replyError(wire);
  }
  const columns = result.columns.map((c) => mysqlColumn(c.name, c.type));
  const rows = result.rows.map((row) =>
    row.map((value, i) => outputCell(value, result.columns[i]!.type)),
  );
  sendRows(conn, new MysqlResultSet(columns, rows));
}

/** The column definition a result type is sent with. */
function mysqlColumn(name: string, type: ResultType): MysqlColumn {
  switch (type.kind) {
    case 'null':
      return { name, type: 'NULL' };
    case 'int':
      return { name, type: 'BIGINT', unsigned: type.unsigned };
    case 'decimal':
      return { name, type: 'DECIMAL', decimals: type.scale };
    case 'double':
      return { name, type: 'DOUBLE' };
    case 'string':
      // Lengths are in bytes of the result character set, utf8mb4.
      return type.length === null
        ? { name, type: 'TEXT' }
        : { name, type: 'VARCHAR', length: type.length * 4 };
    case 'binary':
      return { name, type: 'BLOB' };
    case 'temporal':
      return { name, type: type.type, decimals: type.fsp };
  }
}
