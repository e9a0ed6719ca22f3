import { ER, formatError } from '../protocol/errors.js';
import type { SqlValue } from '../sql/index.js';
import type { ProcedureCall } from '../session/call-dispatcher.js';
import type { OutParameter } from '../session/out-parameters.js';
import type { CatalogParameter } from '../session/procedure-catalog.js';
import { CoercionError } from './coercion-error.js';
import type { ResolvedSignature } from './resolved-signature.js';

/**
 * One call's parameters under a signature: the arguments as coerced, and
 * the OUT and INOUT values the handler sets. It lives in the call's
 * context, so values set there survive whatever interceptors do to the
 * result; the transport reads them once the handler's results are written.
 */
export class CallParameters {
  /** Values the handler set, by position. */
  private readonly assigned: unknown[] = [];
  /** Positions the handler set. */
  private readonly set = new Set<number>();

  constructor(
    readonly signature: ResolvedSignature,
    /** Each argument as its type stores it (null at OUT positions); empty when params are undeclared. */
    private readonly stored: readonly SqlValue[],
    /** `schema.name`, for messages. */
    readonly routine: string,
  ) {}

  /** The declared parameters, or null. */
  get params(): readonly CatalogParameter[] | null {
    return this.signature.params;
  }

  private outPosition(name: string): number {
    const i = this.signature.positionOf(name);
    const p = this.signature.params?.[i];
    if (!p || p.mode === 'IN') {
      throw new Error(`${this.routine} has no OUT or INOUT parameter named "${name}"`);
    }
    return i;
  }

  /** Sets an OUT or INOUT parameter; it is checked against its type after the handler. */
  setOut(name: string, value: unknown): void {
    const i = this.outPosition(name);
    this.assigned[i] = value;
    this.set.add(i);
  }

  /** The current value: what the handler set, else the INOUT argument, else null. */
  getOut(name: string): unknown {
    const i = this.outPosition(name);
    return this.valueAt(i);
  }

  private valueAt(i: number): unknown {
    if (this.set.has(i)) return this.assigned[i];
    return this.signature.coercers[i]!.toHandler(this.stored[i] ?? null);
  }

  /** Every OUT and INOUT parameter by its declared name, with its current value. */
  outValues(): Record<string, unknown> {
    const params = this.signature.params ?? [];
    return Object.fromEntries(
      this.signature.outPositions.map((i) => [params[i]!.name, this.valueAt(i)]),
    );
  }

  /**
   * The OUT and INOUT values for the reply, each coerced to its declared
   * type as MySQL assigns it (an unset OUT is NULL, an unchanged INOUT
   * keeps its argument). Throws a CoercionError for a value its type
   * refuses (ERR 1264, 1406, ...), as MySQL fails such a CALL.
   */
  outParameters(): OutParameter[] {
    const { params, coercers, outPositions } = this.signature;
    return outPositions.map((i) => {
      const p = params![i]!;
      return {
        position: i,
        name: p.name,
        column: p.column,
        value: this.set.has(i) ? coercers[i]!.store(this.assigned[i]) : (this.stored[i] ?? null),
      };
    });
  }
}

/** What a CALL's arguments become under a signature: the handler's payload and the call's parameters. */
export interface BoundCall {
  readonly payload: unknown;
  readonly parameters: CallParameters;
}

/**
 * Checks a CALL against its signature, in MySQL's order: the argument
 * count (ERR 1318), then parameter by parameter that an OUT or INOUT one
 * is a user variable in a text CALL (ERR 1414) and that an IN or INOUT
 * argument fits its type (ERR 1264, 1265, 1292, 1366, 1406, 3140, ...).
 * Throws a CoercionError with the first failure; nothing has run yet.
 */
export function bindCall(
  signature: ResolvedSignature,
  call: ProcedureCall,
  routine: string,
): BoundCall {
  const params = signature.params;
  if (!params)
    return { payload: call.args, parameters: new CallParameters(signature, [], routine) };
  const args = call.args;
  if (args.length !== params.length) {
    throw new CoercionError(
      formatError(ER.SP_WRONG_NO_OF_ARGS, 'PROCEDURE', routine, params.length, args.length),
    );
  }
  const { coercers } = signature;
  const stored: SqlValue[] = new Array<SqlValue>(params.length);
  for (let i = 0; i < params.length; i++) {
    const mode = params[i]!.mode;
    // A prepared CALL may also bind OUT parameters to `?`, which come back as a result set.
    if (mode !== 'IN' && !call.variables[i] && !call.placeholders.includes(i)) {
      throw new CoercionError(formatError(ER.SP_NOT_VAR_ARG, i + 1, routine));
    }
    stored[i] = mode === 'OUT' ? null : coercers[i]!.store(args[i]);
  }
  const parameters = new CallParameters(signature, stored, routine);
  if (signature.named) {
    const entries: Array<[string, unknown]> = [];
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      if (p.mode !== 'OUT') entries.push([p.name, coercers[i]!.toHandler(stored[i]!)]);
    }
    return { payload: Object.fromEntries(entries), parameters };
  }
  const payload: unknown[] = new Array<unknown>(params.length);
  for (let i = 0; i < params.length; i++) payload[i] = coercers[i]!.toHandler(stored[i]!);
  return { payload, parameters };
}
