import type { SqlValue } from '../types.js';
import type { ExprOf, VariableScope } from './ast.js';
import { EvaluationLimitError } from './errors.js';
import type { Value } from './value.js';

/** What DATABASE(), USER(), NOW() and the like return, fixed for one statement. */
export interface SessionFacts {
  /** DATABASE(): the current database, or null. */
  readonly database: string | null;
  /** USER(): `user@client-host`. */
  readonly user: string;
  /** CURRENT_USER(): the account, `user@host-pattern`. */
  readonly currentUser: string;
  /** VERSION(). */
  readonly version: string;
  /** CONNECTION_ID(). */
  readonly connectionId: number;
  /** LAST_INSERT_ID(). */
  readonly lastInsertId: number | bigint;
  /** The statement's start: NOW() is the same all through a statement, as in MySQL. */
  readonly now: Date;
  /** Print times in UTC (true) or the server's zone. */
  readonly utc: boolean;
  /** max_allowed_packet: a string function whose result would be longer returns NULL. */
  readonly maxAllowedPacket: number;
}

/** Where `*_bin`/`*_cs` or case-insensitive comparison applies to a column. */
export type ColumnCollation = 'ci' | 'bin';

/**
 * Everything an expression reads besides itself. The session provides the variables
 * (from `conn.userVariables` and `conn.systemVariables`) and its facts; the query engine
 * adds the columns of the current row and the aggregates of the current group.
 */
export interface EvaluationContext {
  /** `@name` (lower-cased): the session's value, or undefined when never set (it reads as NULL). */
  userVariable(name: string): SqlValue | undefined;
  /**
   * `@@name` (lower-cased) in `scope` (null: the session's value, else the global one);
   * undefined when the server has no such variable (ER_UNKNOWN_SYSTEM_VARIABLE).
   */
  systemVariable(name: string, scope: VariableScope): SqlValue | undefined;
  /** The session's facts for DATABASE(), USER(), NOW()... */
  readonly session: SessionFacts;
  /** Bounds the work and memory of one statement. */
  readonly budget: EvaluationBudget;
  /** A column of the current row; absent where there is no table (ER_BAD_FIELD_ERROR). */
  column?(ref: ExprOf<'column'>): Value;
  /** How a column compares strings; case-insensitively when absent. */
  columnCollation?(ref: ExprOf<'column'>): ColumnCollation;
  /** The value of an aggregate call over the current group; absent outside a query (ERR 1111). */
  aggregate?(call: ExprOf<'call'>): Value;
}

/** Node visits one statement may make: a few tens of milliseconds of evaluation. */
export const DEFAULT_MAX_STEPS = 5_000_000;

/**
 * What one statement may spend: evaluation steps (a node visited, a LIKE comparison, a
 * character built) and bytes of strings built. Past either, EvaluationLimitError.
 */
export class EvaluationBudget {
  /** Steps taken so far. */
  steps = 0;
  /** Bytes of built strings so far. */
  bytes = 0;

  constructor(
    /** Most steps. */
    readonly maxSteps: number = DEFAULT_MAX_STEPS,
    /** Most bytes of built strings. */
    readonly maxBytes: number = 256 * 1024 * 1024,
  ) {}

  /** Counts `n` steps. */
  step(n = 1): void {
    this.steps += n;
    if (this.steps > this.maxSteps) throw new EvaluationLimitError();
  }

  /** Counts a built string or byte string of `n` units. */
  allocate(n: number): void {
    this.bytes += n;
    if (this.bytes > this.maxBytes) throw new EvaluationLimitError();
    this.step(n >>> 10);
  }
}
