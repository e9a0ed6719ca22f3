/** An error about the tables of a query: each is one of MySQL's, named by `code`. */
export abstract class QueryError extends Error {
  abstract readonly code:
    'no-such-table' | 'unknown-schema-table' | 'no-database' | 'no-tables' | 'unknown-table';
}

/** ER_NO_SUCH_TABLE (1146): `Table 'db.t' doesn't exist`. */
export class NoSuchTableError extends QueryError {
  readonly code = 'no-such-table';
  constructor(
    readonly schema: string,
    readonly table: string,
  ) {
    super(`Table '${schema}.${table}' doesn't exist`);
    this.name = 'NoSuchTableError';
  }
}

/** ER_UNKNOWN_TABLE (1109): `Unknown table 'X' in information_schema`. */
export class UnknownSchemaTableError extends QueryError {
  readonly code = 'unknown-schema-table';
  constructor(
    readonly table: string,
    readonly schema: string,
  ) {
    super(`Unknown table '${table}' in ${schema}`);
    this.name = 'UnknownSchemaTableError';
  }
}

/** ER_NO_DB_ERROR (1046): a table without a schema and no current database. */
export class NoDatabaseSelectedError extends QueryError {
  readonly code = 'no-database';
  constructor() {
    super('No database selected');
    this.name = 'NoDatabaseSelectedError';
  }
}

/** ER_NO_TABLES_USED (1096): `SELECT *` without FROM. */
export class NoTablesUsedError extends QueryError {
  readonly code = 'no-tables';
  constructor() {
    super('No tables used');
    this.name = 'NoTablesUsedError';
  }
}

/** ER_BAD_TABLE_ERROR (1051): `t.*` naming no table of the query. */
export class UnknownTableError extends QueryError {
  readonly code = 'unknown-table';
  constructor(readonly table: string) {
    super(`Unknown table '${table}'`);
    this.name = 'UnknownTableError';
  }
}
