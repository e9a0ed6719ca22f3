import { RpcException } from '@nestjs/microservices';

/** The payload a MysqlError carries through Nest's exception layer. */
export interface MysqlErrorPayload {
  code: number;
  sqlState: string;
  message: string;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * An error the client receives exactly as given: code, SQLSTATE and
 * message. It extends RpcException so Nest's exception filter passes its
 * payload through instead of replacing it with "Internal server error".
 */
export class MysqlError extends RpcException {
  /** MySQL error code (1..65535). */
  readonly code: number;
  /** Five-character SQLSTATE. */
  readonly sqlState: string;

  constructor(code: number, message: string, sqlState = 'HY000') {
    if (!Number.isInteger(code) || code < 1 || code > 0xffff) {
      throw new RangeError('MysqlError code must be an integer in 1..65535');
    }
    if (!SQLSTATE.test(sqlState)) {
      throw new RangeError('MysqlError sqlState must be five characters 0-9A-Z');
    }
    const payload: MysqlErrorPayload = { code, sqlState, message };
    super(payload);
    this.message = message;
    this.code = code;
    this.sqlState = sqlState;
  }
}

/** The error payload if `value` is shaped like one (from MysqlError or RpcException({code, sqlState, message})). */
export function asMysqlErrorPayload(value: unknown): MysqlErrorPayload | null {
  if (typeof value !== 'object' || value === null) return null;
  const { code, sqlState, message } = value as Record<string, unknown>;
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 1 || code > 0xffff) return null;
  if (typeof message !== 'string') return null;
  const state = typeof sqlState === 'string' && SQLSTATE.test(sqlState) ? sqlState : 'HY000';
  return { code, sqlState: state, message };
}
