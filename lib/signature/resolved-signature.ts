import type { ColumnFields } from '../protocol/result-set.js';
import { declaredColumn } from '../results/result-builder.js';
import type { MysqlColumn } from '../results/result-values.js';
import type { CatalogParameter } from '../session/procedure-catalog.js';
import { coercerFor, type CoerceOptions, type TypeCoercer } from './coerce.js';
import type { ParsedSignature } from './parse-signature.js';
import { catalogParameter } from './type-catalog.js';

/**
 * A signature compiled for one server: catalog entries for introspection
 * and prepared statements, one coercer per parameter, and the positions
 * of OUT and INOUT parameters. Built once, when the handler is registered.
 */
export class ResolvedSignature {
  /** The parameters as information_schema.PARAMETERS shows them; null when undeclared. */
  readonly params: readonly CatalogParameter[] | null;
  /** One coercer per parameter, by position. */
  readonly coercers: readonly TypeCoercer[];
  /** Declared result columns, or null. */
  readonly columns: readonly MysqlColumn[] | null;
  /** The columns' wire form when every one has a type, else null (inferred from the rows). */
  readonly columnFields: readonly ColumnFields[] | null;
  readonly comment: string;
  /** The payload is an object keyed by parameter name. */
  readonly named: boolean;
  /** 0-based positions of the OUT and INOUT parameters, in order. */
  readonly outPositions: readonly number[];
  /** Parameter positions by lower-cased name. */
  private readonly byName: ReadonlyMap<string, number>;

  constructor(parsed: ParsedSignature, options: CoerceOptions) {
    const params = parsed.params;
    this.params = params
      ? Object.freeze(params.map((p, i) => catalogParameter(i + 1, p.name, p.mode, p.type)))
      : null;
    this.coercers = Object.freeze((params ?? []).map((p) => coercerFor(p.type, p.name, options)));
    this.columns = parsed.columns;
    const typed = parsed.columns?.map((c) => declaredColumn(c)?.definition ?? null);
    this.columnFields = typed?.every((c) => c !== null)
      ? Object.freeze(typed as ColumnFields[])
      : null;
    this.comment = parsed.comment;
    this.named = parsed.named;
    this.outPositions = Object.freeze(
      (params ?? []).flatMap((p, i) => (p.mode === 'IN' ? [] : [i])),
    );
    this.byName = new Map((params ?? []).map((p, i) => [p.name.toLowerCase(), i]));
  }

  /** Position of the parameter of this name (any letter case), or -1. */
  positionOf(name: string): number {
    return this.byName.get(name.toLowerCase()) ?? -1;
  }
}
