import { ER, type ErrorSpec, type WireError } from '../../protocol/errors.js';
import {
  checkExpression,
  Decimal,
  EvaluationBudget,
  EvaluationError,
  evaluate,
  evaluateValue,
  Temporal,
  type EvaluationContext,
  type Expr,
  type Value,
} from '../../sql/expression/index.js';
import type { SetValue, SqlValue, UserVariables } from '../../sql/types.js';
import type { SessionSettings } from '../session-options.js';
import type { SessionSystemVariables } from './session-variables.js';
import { printableBytes, type Operand } from './check-value.js';

/** A refusal found while evaluating a SET's values, carried out of the evaluator. */
export class SetRefusal extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message);
    this.name = 'SetRefusal';
  }
}

/** What a SET reads and changes of its session; a MysqlConnection is one. */
export interface SetSession {
  readonly systemVariables: SessionSystemVariables;
  readonly userVariables: UserVariables;
  inTransaction: boolean;
  /** Assigns user variables, all or none; the error when a session limit would be passed. */
  assignUserVariables(assignments: ReadonlyArray<readonly [string, SqlValue]>): WireError | null;
  readonly database: string | null;
  readonly user: string;
  readonly host: string;
  readonly account: { readonly name: string };
  readonly connectionId: number;
  readonly lastInsertId: number | bigint;
  readonly maxPacketSize: number;
  readonly services: { readonly settings: Pick<SessionSettings, 'serverVersion' | 'encode'> };
}

/**
 * What an expression in a SET reads: the session's variables as they are
 * before the SET assigns anything, and its facts. `@@session.x` of a
 * global-only variable (and `@@global.x` of a session-only one) is ERR 1238.
 */
export function evaluationContextOf(conn: SetSession): EvaluationContext {
  const { settings } = conn.services;
  const variables = conn.systemVariables;
  return {
    userVariable: (name) => conn.userVariables.get(name),
    systemVariable: (name, scope) => {
      const refused = variables.readError(name, scope);
      if (refused) throw new SetRefusal(refused);
      return variables.read(name, scope);
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
    // A value longer than a packet cannot be kept anyway (user variables hold maxPacketSize bytes).
    budget: new EvaluationBudget(undefined, 4 * conn.maxPacketSize),
  };
}

/** The value of `@name = expr`, as a user variable holds it; throws SetRefusal. */
export function userValue(expr: Expr, context: EvaluationContext): SqlValue {
  return guarded(() => evaluate(expr, context));
}

/** The operand a system variable assignment gives, or 'default'; throws SetRefusal. */
export function operandOf(value: SetValue, context: EvaluationContext): Operand | 'default' {
  if (value === null) return NULL;
  switch (typeof value) {
    case 'boolean':
      return { type: 'int', value: value ? 1n : 0n };
    case 'number':
      return Number.isInteger(value) ? { type: 'int', value: BigInt(value) } : REAL;
    case 'bigint':
      return { type: 'int', value };
    case 'string':
      return { type: 'string', value, shown: value };
  }
  // A statement parsed on the worker thread brings bytes back as a Uint8Array.
  if (value instanceof Uint8Array) return bytesOperand(value);
  if ('real' in value) return REAL;
  if ('default' in value) return 'default';
  const { expr } = value;
  return guarded(() => {
    checkExpression(expr, context.session.database);
    return operandOfValue(evaluateValue(expr, context));
  });
}

const NULL: Operand = { type: 'null' };
const REAL: Operand = { type: 'real' };

function operandOfValue(value: Value): Operand {
  if (value === null) return NULL;
  if (typeof value === 'bigint') return { type: 'int', value };
  if (typeof value === 'string') return { type: 'string', value, shown: value };
  if (typeof value === 'number' || value instanceof Decimal) return REAL;
  if (value instanceof Temporal) return { type: 'string', value: value.text, shown: value.text };
  return bytesOperand(value);
}

function bytesOperand(bytes: Uint8Array): Operand {
  const value = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return { type: 'string', value, shown: printableBytes(bytes) };
}

/** Runs an evaluation, turning what the evaluator refuses into a SetRefusal. */
function guarded<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof EvaluationError) throw new SetRefusal(wireErrorOf(error));
    throw error;
  }
}

const SPECS: Readonly<Record<EvaluationError['code'], ErrorSpec>> = {
  'unknown-function': ER.SP_DOES_NOT_EXIST,
  'wrong-argument-count': ER.WRONG_PARAMCOUNT_TO_NATIVE_FCT,
  'unknown-system-variable': ER.UNKNOWN_SYSTEM_VARIABLE,
  'unknown-column': ER.BAD_FIELD_ERROR,
  'out-of-range': ER.DATA_OUT_OF_RANGE,
  'invalid-group-function': ER.INVALID_GROUP_FUNC_USE,
  limit: ER.QUERY_TIMEOUT,
};

/** The ERR packet for an evaluation error, whose message is already MySQL's text. */
function wireErrorOf(error: EvaluationError): WireError {
  const spec = SPECS[error.code];
  return { code: spec.code, sqlState: spec.sqlState, message: error.message };
}
