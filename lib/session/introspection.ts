import type { MysqlColumn } from '../results/result-values.js';
import { MysqlResultSet } from '../results/result-values.js';
import { outputCell, type Expr, type ResultType } from '../sql/expression/index.js';
import {
  NoDatabaseSelectedError,
  NoSuchTableError,
  runQuery,
  UnknownSchemaTableError,
  type QueryResult,
  type SelectQuery,
  type ShowStatement,
  type TableResolver,
} from '../sql/query/index.js';
import { statusVariables } from '../status/status-variables.js';
import type { MysqlConnection } from './connection.js';
import type { CatalogProcedure } from './procedure-catalog.js';
import { processRows } from './process-list.js';
import { sessionEvaluationContext } from './session-state/evaluation.js';
import { evaluationErrorToWire } from './session-refusal.js';
import { sendRows } from './statements.js';
import {
  INFORMATION_SCHEMA,
  schemaTable,
  schemaVirtualTable,
} from './virtual-tables/information-schema.js';
import type { IntrospectionSource } from './virtual-tables/introspection-source.js';
import { likeFilter, showResult } from './virtual-tables/show-results.js';

/** The authentication plugins the login speaks (see login/login-flow.ts), for SHOW PLUGINS. */
const AUTH_PLUGINS = ['caching_sha2_password', 'mysql_native_password'] as const;

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
    status: (scope) => statusVariables(conn, scope),
    processes: () => processRows(conn),
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
