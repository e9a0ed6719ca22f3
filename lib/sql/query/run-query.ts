import { isAggregate, walk, type Expr, type ExprOf } from '../expression/ast.js';
import { compareValues } from '../expression/compare.js';
import type { ColumnCollation, EvaluationContext } from '../expression/context.js';
import { InvalidGroupFunctionError, UnknownColumnError } from '../expression/errors.js';
import {
  caseInsensitive,
  checkExpression,
  columnText,
  evaluateValue,
} from '../expression/evaluate.js';
import { Types, type ResultType } from '../expression/result-type.js';
import { typeOf, type TypeScope } from '../expression/type-of.js';
import { truth, type Value } from '../expression/value.js';
import { aggregate, aggregateType, rowKey } from './aggregates.js';
import type { OrderItem, SelectQuery } from './ast.js';
import { NoTablesUsedError, UnknownTableError } from './errors.js';
import type { ColumnSpec, TableResolver, VirtualTable } from './table.js';

/** A column of a query's result. */
export interface ResultColumn {
  readonly name: string;
  readonly type: ResultType;
}

/** What a query returns: its columns and rows, values in the columns' types. */
export interface QueryResult {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly (readonly Value[])[];
}

/** One output column: the expression that computes it (a table column for `*`). */
interface Output {
  readonly expr: Expr;
  readonly name: string;
  readonly alias: string | null;
}

/**
 * The rows of a row-source (a table's row, or a group's first row) that column references
 * read, and the aggregates of the current group; wraps the session's context.
 */
class RowScope implements EvaluationContext {
  row: readonly Value[] | null = null;
  aggregates: Map<Expr, Value> | null = null;
  /**
   * For HAVING and ORDER BY: the select list, whose aliases a bare name may read, and the
   * current output row once computed (else an alias's expression is evaluated again).
   */
  outputs: readonly Output[] | null = null;
  outputValues: readonly Value[] | null = null;

  constructor(
    private readonly base: EvaluationContext,
    private readonly columns: ReadonlyMap<Expr, number>,
    private readonly specs: readonly ColumnSpec[],
  ) {}

  get session() {
    return this.base.session;
  }

  get budget() {
    return this.base.budget;
  }

  userVariable(name: string) {
    return this.base.userVariable(name);
  }

  systemVariable(name: string, scope: 'session' | 'global' | null) {
    return this.base.systemVariable(name, scope);
  }

  column(ref: ExprOf<'column'>): Value {
    const index = this.columns.get(ref);
    if (index !== undefined) return this.row === null ? null : this.row[index]!;
    const outputs = this.outputs;
    if (outputs !== null && ref.table === null) {
      const i = outputs.findIndex((o) => o.alias !== null && sameName(o.alias, ref.name));
      if (i >= 0) {
        if (this.outputValues !== null) return this.outputValues[i]!;
        this.outputs = null;
        const value = evaluateValue(outputs[i]!.expr, this);
        this.outputs = outputs;
        return value;
      }
    }
    throw new UnknownColumnError(columnText(ref), 'field list');
  }

  columnCollation(ref: ExprOf<'column'>): ColumnCollation {
    const index = this.columns.get(ref);
    return index === undefined ? 'ci' : this.specs[index]!.collation;
  }

  get aggregate(): ((call: ExprOf<'call'>) => Value) | undefined {
    const map = this.aggregates;
    if (map === null) return undefined;
    return (call) => map.get(call) ?? null;
  }
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Runs a SELECT without a table or over one virtual table: resolves and checks every
 * name first (ER_BAD_FIELD_ERROR, unknown functions, `*` without a table), then filters,
 * groups (GROUP BY, or aggregates over all rows), filters groups (HAVING), orders, removes
 * duplicates (DISTINCT) and cuts (LIMIT), as MySQL does. Column types come from the
 * expressions, not the values; each value is left for the caller to convert.
 */
export function runQuery(
  query: SelectQuery,
  context: EvaluationContext,
  tables: TableResolver,
): QueryResult {
  const table = query.from ? tables.table(query.from) : null;
  const alias = query.from?.alias ?? null;
  const columns = new Map<Expr, number>();
  const outputs = expandItems(query, table, alias);

  const resolve = (expr: Expr, clause: string, aliases: boolean) =>
    resolveColumns(expr, clause, table, alias, columns, aliases ? outputs : null);
  for (const o of outputs) resolve(o.expr, 'field list', false);
  if (query.where) {
    resolve(query.where, 'where clause', false);
    walk(query.where, (n) => {
      if (isAggregate(n)) throw new InvalidGroupFunctionError();
    });
  }
  const groupBy = query.groupBy.map((g) => orderTerm(g, outputs, 'group statement'));
  for (const g of groupBy) resolve(g.expr, 'group statement', false);
  if (query.having) resolve(query.having, 'having clause', true);
  const orderBy = query.orderBy.map((o) => orderTerm(o, outputs, 'order clause'));
  for (const o of orderBy) if (o.position < 0) resolve(o.expr, 'order clause', true);

  const database = context.session.database;
  for (const o of outputs) checkExpression(o.expr, database);
  if (query.where) checkExpression(query.where, database);
  if (query.having) checkExpression(query.having, database);
  for (const t of [...groupBy, ...orderBy]) checkExpression(t.expr, database);

  const specs = table?.columns ?? [];
  const scope = new RowScope(context, columns, specs);
  const aggregates = collectAggregates([
    ...outputs.map((o) => o.expr),
    ...(query.having ? [query.having] : []),
    ...orderBy.filter((o) => o.position < 0).map((o) => o.expr),
  ]);
  const grouped = aggregates.length > 0 || groupBy.length > 0;

  const typeScope: TypeScope = {
    context: scope,
    columnType: (ref) => {
      const index = columns.get(ref);
      return index === undefined ? Types.STRING : specs[index]!.type;
    },
    aggregateType: (call) =>
      aggregateType(
        call.name.toUpperCase(),
        call.star || call.args.length === 0 ? Types.INT : typeOf(call.args[0]!, typeScope),
      ),
  };
  const resultColumns = outputs.map((o) => ({ name: o.name, type: typeOf(o.expr, typeScope) }));

  // Source rows: the table's, filtered by WHERE; without a table, one empty row.
  const source: (readonly Value[])[] = [];
  for (const row of table ? table.rows() : [[]]) {
    context.budget.step();
    scope.row = row;
    if (query.where === null || truth(evaluateValue(query.where, scope)) === true) source.push(row);
  }

  // Groups: rows sharing their GROUP BY values; with aggregates but no GROUP BY, all rows.
  let groups: (readonly Value[])[][];
  if (!grouped) groups = source.map((row) => [row]);
  else if (groupBy.length === 0) groups = [source];
  else {
    const byKey = new Map<string, (readonly Value[])[]>();
    const ci = groupBy.map((g) => caseInsensitive([g.expr], scope));
    for (const row of source) {
      scope.row = row;
      const key = rowKey(
        groupBy.map((g) => evaluateValue(g.expr, scope)),
        ci,
      );
      const group = byKey.get(key);
      if (group) group.push(row);
      else byKey.set(key, [row]);
    }
    groups = [...byKey.values()];
  }

  interface Produced {
    values: Value[];
    keys: Value[];
  }
  let produced: Produced[] = [];
  for (const group of groups) {
    scope.row = group[0] ?? null;
    scope.aggregates = grouped ? computeAggregates(aggregates, group, scope) : null;
    if (query.having) {
      scope.outputs = outputs;
      const keep = truth(evaluateValue(query.having, scope)) === true;
      scope.outputs = null;
      if (!keep) continue;
    }
    const values = outputs.map((o) => evaluateValue(o.expr, scope));
    scope.outputs = outputs;
    scope.outputValues = values;
    const keys = orderBy.map((o) =>
      o.position >= 0 ? values[o.position]! : evaluateValue(o.expr, scope),
    );
    scope.outputs = null;
    scope.outputValues = null;
    produced.push({ values, keys });
  }

  if (orderBy.length > 0) {
    const ci = orderBy.map((o) =>
      o.position >= 0
        ? caseInsensitive([outputs[o.position]!.expr], scope)
        : caseInsensitive([o.expr], scope),
    );
    produced.sort((a, b) => {
      for (let i = 0; i < orderBy.length; i++) {
        const x = a.keys[i]!;
        const y = b.keys[i]!;
        let c: number;
        if (x === null || y === null) c = x === y ? 0 : x === null ? -1 : 1;
        else c = compareValues(x, y, ci[i]!);
        if (c !== 0) return orderBy[i]!.descending ? -c : c;
      }
      return 0;
    });
  }

  if (query.distinct) {
    const seen = new Set<string>();
    const ci = outputs.map((o) => caseInsensitive([o.expr], scope));
    produced = produced.filter((p) => {
      const key = rowKey(p.values, ci);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  let rows = produced.map((p) => p.values);
  if (query.limit) rows = rows.slice(query.limit.offset, query.limit.offset + query.limit.count);
  return { columns: resultColumns, rows };
}

/** The output columns: `*` expanded to the table's, each expression with its column name. */
function expandItems(
  query: SelectQuery,
  table: VirtualTable | null,
  alias: string | null,
): Output[] {
  const outputs: Output[] = [];
  for (const item of query.items) {
    if (item.kind === 'expr') {
      let name = item.column;
      if (item.alias === null && item.expr.kind === 'column' && table) {
        const spec = table.columns.find((c) =>
          sameName(c.name, (item.expr as ExprOf<'column'>).name),
        );
        if (spec) name = spec.name;
      }
      outputs.push({ expr: item.expr, name, alias: item.alias });
      continue;
    }
    if (table === null) throw new NoTablesUsedError();
    const q = item.qualifier;
    if (q !== null && !qualifierMatches(q.schema, q.table, table, alias)) {
      throw new UnknownTableError(q.table);
    }
    for (const spec of table.columns) {
      outputs.push({
        expr: { kind: 'column', schema: null, table: null, name: spec.name },
        name: spec.name,
        alias: null,
      });
    }
  }
  return outputs;
}

function qualifierMatches(
  schema: string | null,
  name: string,
  table: VirtualTable,
  alias: string | null,
): boolean {
  if (alias !== null) return schema === null && sameName(name, alias);
  return sameName(name, table.name) && (schema === null || sameName(schema, table.schema));
}

/** Maps every column reference under `expr` to its column, or throws ER_BAD_FIELD_ERROR. */
function resolveColumns(
  expr: Expr,
  clause: string,
  table: VirtualTable | null,
  alias: string | null,
  columns: Map<Expr, number>,
  outputs: readonly Output[] | null,
): void {
  walk(expr, (node) => {
    if (node.kind !== 'column') return;
    const index =
      table && (node.table === null || qualifierMatches(node.schema, node.table, table, alias))
        ? table.columns.findIndex((c) => sameName(c.name, node.name))
        : -1;
    if (index >= 0) columns.set(node, index);
    // HAVING and ORDER BY may name a select alias instead.
    else if (!(
      outputs &&
      node.table === null &&
      outputs.some((o) => o.alias !== null && sameName(o.alias, node.name))
    )) {
      throw new UnknownColumnError(columnText(node), clause);
    }
  });
}

/** An ORDER BY / GROUP BY term: a select-list position (`ORDER BY 2`), or an expression. */
function orderTerm(
  term: OrderItem,
  outputs: readonly Output[],
  clause: string,
): { expr: Expr; position: number; descending: boolean } {
  const e = term.expr;
  if (e.kind === 'int') {
    const position = Number(e.value) - 1;
    if (position < 0 || position >= outputs.length) {
      throw new UnknownColumnError(e.value.toString(), clause);
    }
    return { expr: outputs[position]!.expr, position, descending: term.descending };
  }
  if (e.kind === 'column' && e.table === null) {
    const position = outputs.findIndex((o) => o.alias !== null && sameName(o.alias, e.name));
    if (position >= 0)
      return { expr: outputs[position]!.expr, position, descending: term.descending };
  }
  return { expr: e, position: -1, descending: term.descending };
}

function collectAggregates(exprs: readonly Expr[]): ExprOf<'call'>[] {
  const out: ExprOf<'call'>[] = [];
  for (const e of exprs) {
    walk(e, (node) => {
      if (isAggregate(node)) {
        const call = node as ExprOf<'call'>;
        for (const arg of call.args) {
          walk(arg, (inner) => {
            if (isAggregate(inner)) throw new InvalidGroupFunctionError();
          });
        }
        out.push(call);
      }
    });
  }
  return out;
}

function computeAggregates(
  calls: readonly ExprOf<'call'>[],
  group: readonly (readonly Value[])[],
  scope: RowScope,
): Map<Expr, Value> {
  const out = new Map<Expr, Value>();
  const saved = scope.row;
  for (const call of calls) {
    const values = call.args.map((arg) =>
      group.map((row) => {
        scope.row = row;
        return evaluateValue(arg, scope);
      }),
    );
    const ci = call.args.length > 0 ? caseInsensitive([call.args[0]!], scope) : true;
    out.set(call, aggregate(call, values, group.length, ci));
  }
  scope.row = saved;
  return out;
}
