import { ER, formatError, type WireError } from '../../protocol/errors.js';
import {
  checkExpression,
  Decimal,
  EvaluationBudget,
  evaluateValue,
  Temporal,
  type EvaluationContext,
  type Value,
} from '../../sql/expression/index.js';
import type { SetValue, SqlValue, UserVariables } from '../../sql/types.js';
import { SessionRefusal } from '../session-refusal.js';
import type { SessionSettings } from '../session-options.js';
import type { SystemVariableSource } from '../system-variable-source.js';
import type { SessionSystemVariables } from './session-variables.js';
import { printableBytes, type Operand } from './check-value.js';

/** What an expression reads of its session; a MysqlConnection is one. */
export interface EvaluationSession {
  readonly systemVariables: SystemVariableSource;
  readonly userVariables: UserVariables;
  readonly database: string | null;
  readonly user: string;
  readonly host: string;
  readonly account: { readonly name: string };
  readonly connectionId: number;
  readonly lastInsertId: number | bigint;
  readonly maxPacketSize: number;
  readonly services: { readonly settings: Pick<SessionSettings, 'serverVersion' | 'encode'> };
}

/** What a SET reads and changes of its session; a MysqlConnection is one. */
export interface SetSession extends EvaluationSession {
  readonly systemVariables: SessionSystemVariables;
  inTransaction: boolean;
  /** Assigns user variables, all or none; the error when a session limit would be passed. */
  assignUserVariables(assignments: ReadonlyArray<readonly [string, SqlValue]>): WireError | null;
}

/**
 * How a session evaluates expressions (SET's values, SELECT, SHOW's WHERE): its
 * variables as they are before the statement changes any, DATABASE(), USER(), NOW()
 * as of now, and a fresh budget. One per statement: NOW() is fixed for the statement,
 * as in MySQL. `@@x` that cannot be read is the SessionRefusal readError words: ERR
 * 1193, or 1238 for `@@session.x` of a global-only variable and the reverse.
 */
export function sessionEvaluationContext(conn: EvaluationSession): EvaluationContext {
  const { settings } = conn.services;
  const variables = conn.systemVariables;
  return {
    userVariable: (name) => conn.userVariables.get(name),
    systemVariable: (name, scope) => {
      const value = variables.read(name, scope);
      if (value !== undefined) return value;
      const refused = variables.readError(name, scope);
      throw new SessionRefusal(refused ?? formatError(ER.UNKNOWN_SYSTEM_VARIABLE, name));
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
    // Built strings may reach a few packets' worth: each is cut at max_allowed_packet,
    // and a user variable holds no more than that.
    budget: new EvaluationBudget(undefined, 4 * conn.maxPacketSize),
  };
}

/** The operand a system variable assignment gives, or 'default'; throws what the evaluator refuses. */
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
  checkExpression(value.expr, context.session.database);
  return operandOfValue(evaluateValue(value.expr, context));
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
