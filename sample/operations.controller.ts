import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { setTimeout as sleep } from 'node:timers/promises';
import { MysqlProcedure, MysqlRpcContext } from '../lib/index.js';

/** Longest `sleep_ms` wait: one hour. */
const MAX_SLEEP_MS = 3_600_000;

/** A procedure for trying timeouts, KILL and shutdown by hand. */
@Controller()
export class OperationsController {
  /**
   * `CALL sleep_ms(5000)`: waits, then answers `slept`. It hands the
   * call's AbortSignal to its timer, so KILL QUERY, max_execution_time and
   * a shutdown's grace period stop it at once.
   */
  @MysqlProcedure({ params: ['IN ms INT UNSIGNED'], columns: ['slept'] })
  @MessagePattern('sleep_ms')
  async sleepMs(
    @Payload() [ms]: [number],
    @Ctx() ctx: MysqlRpcContext,
  ): Promise<{ slept: number }> {
    const wait = Math.min(ms, MAX_SLEEP_MS);
    const signal = ctx.getAbortSignal();
    try {
      await sleep(wait, undefined, { signal });
    } catch (error) {
      // The reason is the MysqlError the client got: rethrown, it passes
      // Nest's exception layer quietly, where the timer's AbortError would be
      // logged as an unhandled error.
      signal.throwIfAborted();
      throw error;
    }
    return { slept: wait };
  }
}
