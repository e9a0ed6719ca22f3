import 'reflect-metadata';
import {
  CanActivate,
  CallHandler,
  Controller,
  ExecutionContext,
  Injectable,
  type LoggerService,
  Module,
  NestInterceptor,
  PipeTransform,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Ctx,
  EventPattern,
  MessagePattern,
  Payload,
  RpcException,
  type MicroserviceOptions,
} from '@nestjs/microservices';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { concat, defer, delay, from, of, range, throwError, timer, map, tap } from 'rxjs';
import {
  MysqlError,
  MysqlOk,
  MysqlOutParameters,
  MysqlProcedure,
  MysqlResultSet,
  MysqlResultStream,
  MysqlRpcContext,
  MysqlRpcServer,
  type MysqlRpcServerOptions,
} from '../../lib/index.js';

/** Describes an argument the way tests compare it: its JS type and its exact text. */
function describe(value: unknown): { type: string; value: string | null } {
  if (value === null) return { type: 'null', value: null };
  if (Buffer.isBuffer(value)) return { type: 'buffer', value: value.toString('hex') };
  return { type: typeof value, value: String(value) };
}

/** What each sleep_ms call saw: finished, or stopped with the code its signal carried. */
export const sleeps: Array<{ ms: number; aborted: boolean; code: number | null; deaf?: boolean }> =
  [];

async function sleepHonouringSignal(ms: number, ctx: MysqlRpcContext) {
  const signal = ctx.getAbortSignal();
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    sleeps.push({ ms, aborted: true, code: (signal.reason as { code?: number }).code ?? null });
    signal.throwIfAborted();
    throw error;
  }
  sleeps.push({ ms, aborted: false, code: null });
  return { slept: ms };
}

/** Events received by the `audit` event handler, for assertions. */
export const receivedEvents: unknown[] = [];

/**
 * What the server did, for tests that bound its work: `counted` runs,
 * cells of `tracked_rows` read, rows streams produced and streams closed.
 */
export const counters = { counted: 0, cellsRead: 0, generated: 0, streamsClosed: 0 };

const STREAM_COLUMNS = [
  { name: 'n', type: 'BIGINT' },
  { name: 'pad', type: 'VARCHAR' },
] as const;

/** Rows `[i, pad]` for i in 1..n, counted as produced; `failAt` throws `error` instead of row failAt. */
async function* countedRows(n: number, padLength: number, failAt = 0, error?: Error) {
  const pad = 'p'.repeat(padLength);
  try {
    for (let i = 1; i <= n; i++) {
      if (i === failAt) throw error;
      counters.generated++;
      yield [i, pad];
    }
  } finally {
    counters.streamsClosed++;
  }
}

@Injectable()
class DenyOddGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const [n] = context.switchToRpc().getData<number[]>();
    return Number(n) % 2 === 0;
  }
}

@Controller()
class TestController {
  @MessagePattern('myadd')
  add(@Payload() [a, b]: [number, number]) {
    return { sum: a + b };
  }

  @MessagePattern('inspect')
  inspect(@Payload() args: unknown[]) {
    return new MysqlResultSet(
      ['idx', 'type', 'value'],
      args.map((a, i) => {
        const d = describe(a);
        return [i, d.type, d.value];
      }),
    );
  }

  @MessagePattern('echo')
  echo(@Payload() args: unknown[]) {
    return args[0];
  }

  @MessagePattern('echo_row')
  echoRow(@Payload() args: unknown[]) {
    return Object.fromEntries(args.map((a, i) => [`c${i}`, a]));
  }

  @MessagePattern('nothing')
  nothing() {
    return undefined;
  }

  @MessagePattern('make_rows')
  rows(@Payload() [n]: [number]) {
    return Array.from({ length: n }, (_, i) => ({
      id: i,
      name: `name-${i}`,
      ratio: i / 4,
      odd: i % 2 === 1,
    }));
  }

  @MessagePattern('mixed')
  mixed() {
    return [{ v: 1 }, { v: 2.5 }, { v: null }];
  }

  @MessagePattern('types')
  types() {
    return {
      int: 42,
      dbl: 1.5,
      big: 9007199254740993n,
      ubig: 18446744073709551615n,
      str: 'héllo 😀',
      bool: true,
      date: new Date(Date.UTC(2026, 10, 21, 12, 34, 56, 789)),
      buf: Buffer.from([0, 1, 254, 255]),
      json: { a: [1, 'x', null], b: { c: true } },
      nul: null,
    };
  }

  @MessagePattern('multi')
  multi() {
    return from([[{ a: 1 }, { a: 2 }], { b: 'x' }, new MysqlOk({ affectedRows: 3 })]);
  }

  @MessagePattern('multi_async')
  multiAsync() {
    return concat(
      timer(5).pipe(map(() => ({ first: 1 }))),
      timer(5).pipe(map(() => ({ second: 2 }))),
    );
  }

  @MessagePattern('ok_info')
  okInfo() {
    return new MysqlOk({ affectedRows: 5, insertId: 77, info: 'done', warnings: 0 });
  }

  @MessagePattern('empty_set')
  emptySet() {
    return new MysqlResultSet([{ name: 'id', type: 'BIGINT' }, 'name'], []);
  }

  @MessagePattern('declared')
  declared() {
    return new MysqlResultSet(
      [
        { name: 'd', type: 'DATE' },
        { name: 'n', type: 'DECIMAL', decimals: 2 },
        { name: 'u', type: 'INT', unsigned: true },
      ],
      [[new Date(Date.UTC(2026, 0, 2)), '12.50', 7]],
    );
  }

  @MessagePattern('scalar')
  scalar() {
    return 'just text';
  }

  @MessagePattern('big_result')
  bigResult(@Payload() [bytes]: [number]) {
    return { data: 'x'.repeat(bytes) };
  }

  @MessagePattern('arg_length')
  argLength(@Payload() [s]: [string]) {
    return { length: s.length, head: s.slice(0, 3) };
  }

  @MessagePattern('slow')
  slow(@Payload() [ms, value]: [number, unknown]) {
    return of({ value }).pipe(delay(ms));
  }

  /** Waits `ms`, or until its call is stopped; what it saw is kept in `sleeps`. */
  @MessagePattern('sleep_ms')
  sleepMs(@Payload() [ms]: [number], @Ctx() ctx: MysqlRpcContext) {
    return sleepHonouringSignal(Number(ms), ctx);
  }

  /** The same, under its own max_execution_time of 200 ms. */
  @MysqlProcedure({ timeout: 200 })
  @MessagePattern('sleep_capped')
  sleepCapped(@Payload() [ms]: [number], @Ctx() ctx: MysqlRpcContext) {
    return sleepHonouringSignal(Number(ms), ctx);
  }

  /** Ignores its signal: a late result the server must drop. */
  @MessagePattern('sleep_deaf')
  async sleepDeaf(@Payload() [ms]: [number]) {
    await sleep(Number(ms));
    sleeps.push({ ms: Number(ms), aborted: false, code: null, deaf: true });
    return { slept: Number(ms) };
  }

  @MessagePattern('whoami')
  whoami(@Ctx() ctx: MysqlRpcContext) {
    return {
      user: ctx.getUser(),
      host: ctx.getHost(),
      connection_id: ctx.getConnectionId(),
      database: ctx.getDatabase(),
      schema: ctx.getSchema(),
      procedure: ctx.getProcedure(),
    };
  }

  @MessagePattern('mysql_error')
  mysqlError() {
    throw new MysqlError(1062, "Duplicate entry 'a' for key 'PRIMARY'", '23000');
  }

  @MessagePattern('rpc_error')
  rpcError() {
    throw new RpcException({
      code: 1690,
      sqlState: '22003',
      message: 'BIGINT value is out of range',
    });
  }

  @MessagePattern('rpc_text_error')
  rpcTextError() {
    throw new RpcException('plain message for the client');
  }

  @MessagePattern('crash')
  crash() {
    throw new Error('secret internal detail');
  }

  @MessagePattern('crash_async')
  async crashAsync() {
    await new Promise((r) => setTimeout(r, 1));
    throw new TypeError('another secret');
  }

  @MessagePattern('rows_then_error')
  rowsThenError() {
    return concat(
      of({ a: 1 }),
      defer(() => throwError(() => new MysqlError(1146, "Table 'x' doesn't exist", '42S02'))),
    );
  }

  @MessagePattern('circular')
  circular() {
    const o: Record<string, unknown> = {};
    o.self = o;
    return { v: o };
  }

  @UseGuards(DenyOddGuard)
  @MessagePattern('guarded')
  guarded(@Payload() [n]: [number]) {
    return { n };
  }

  @MessagePattern('counted')
  counted(@Payload() [n]: [number]) {
    counters.counted++;
    return Array.from({ length: n }, (_, i) => ({ i, pad: 'p'.repeat(100) }));
  }

  @MessagePattern('bad_ok')
  badOk() {
    // Bypasses MysqlOk's validation the way a careless subclass might.
    return Object.assign(new MysqlOk(), { affectedRows: 2n ** 64n });
  }

  @MessagePattern('MixedCase')
  mixedCase() {
    return { ok: 1 };
  }

  @MessagePattern('tracked_rows')
  trackedRows(@Payload() [n]: [number]) {
    const row = {
      get v() {
        counters.cellsRead++;
        return 'abcdefghijklmnopqrstuvwxyz0123456789';
      },
    };
    return Array.from({ length: n }, () => row);
  }

  @MessagePattern('cells_read')
  cellsRead() {
    return { n: counters.cellsRead };
  }

  @MessagePattern('stream_rows')
  streamRows(@Payload() [n, padLength]: [number, number?]) {
    return new MysqlResultStream([...STREAM_COLUMNS], countedRows(n, padLength ?? 0));
  }

  @MessagePattern('stream_sync')
  streamSync(@Payload() [n]: [number]) {
    function* rows() {
      for (let i = 1; i <= n; i++) yield { n: i, pad: `r${i}` };
    }
    return new MysqlResultStream([...STREAM_COLUMNS], rows());
  }

  @MessagePattern('stream_fail')
  streamFail(@Payload() [kind]: [string]) {
    const error =
      kind === 'mysql'
        ? new MysqlError(1146, "Table 'rpc.x' doesn't exist", '42S02')
        : new Error('secret stream detail');
    return new MysqlResultStream([...STREAM_COLUMNS], countedRows(10, 0, 4, error));
  }

  @MessagePattern('stream_observable')
  streamObservable(@Payload() [n, padLength]: [number, number?]) {
    const pad = 'o'.repeat(padLength ?? 0);
    return new MysqlResultStream([...STREAM_COLUMNS], range(1, n).pipe(map((i) => [i, pad])));
  }

  @MessagePattern('stream_observable_fail')
  streamObservableFail() {
    return new MysqlResultStream(
      [...STREAM_COLUMNS],
      concat(
        of([1, 'a']),
        throwError(() => new MysqlError(1146, "Table 'rpc.y' doesn't exist", '42S02')),
      ),
    );
  }

  @MessagePattern('stream_then_rows')
  streamThenRows() {
    return from([
      new MysqlResultStream([...STREAM_COLUMNS], countedRows(2, 1)),
      [{ after: 'yes' }],
    ]);
  }

  @EventPattern('audit')
  audit(@Payload() args: unknown[]) {
    receivedEvents.push(args);
  }
}

/** How often the enhancers around `sig_pipeline` ran, for tests that count them. */
export const pipelineRuns = { guard: 0, interceptor: 0, pipe: 0, handler: 0, watched: 0 };

/** Lets only even first arguments through; sees the payload as the signature coerced it. */
@Injectable()
class EvenFirstGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    pipelineRuns.guard++;
    const [n] = context.switchToRpc().getData<unknown[]>();
    return typeof n === 'number' && n % 2 === 0;
  }
}

/** Maps every result, as an app's envelope interceptor would. */
@Injectable()
class EnvelopeInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler) {
    pipelineRuns.interceptor++;
    return next
      .handle()
      .pipe(
        map((value: unknown) =>
          value && typeof value === 'object' && !Array.isArray(value)
            ? { ...(value as object), enveloped: 1 }
            : value,
        ),
      );
  }
}

/** Watches every result without changing it, as a logging interceptor would. */
@Injectable()
class WatchInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler) {
    return next.handle().pipe(tap(() => pipelineRuns.watched++));
  }
}

/** Doubles the second argument of a positional payload. */
@Injectable()
class DoubleSecondPipe implements PipeTransform {
  transform(value: unknown) {
    pipelineRuns.pipe++;
    if (!Array.isArray(value)) return value;
    const copy = [...(value as unknown[])];
    copy[1] = (copy[1] as number) * 2;
    return copy;
  }
}

/** Describes what a handler received: its JS type and value, for signature tests. */
const received = (v: unknown) => ({
  type: v === null ? 'null' : Buffer.isBuffer(v) ? 'buffer' : typeof v,
  v: typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('hex') : v,
});

/** Procedures with declared signatures (`@MysqlProcedure`). */
@Controller()
class SignatureController {
  @MysqlProcedure({ params: ['IN a INT', 'IN b INT'] })
  @MessagePattern('sig_add')
  add(@Payload() [a, b]: [number, number]) {
    return { sum: a + b, types: `${typeof a},${typeof b}` };
  }

  // One procedure per type: each returns what the handler received.
  @MysqlProcedure({ params: ['a INT'] })
  @MessagePattern('sig_int')
  sigInt(@Payload() [v]: [unknown]) {
    return received(v);
  }

  @MysqlProcedure({ params: ['a TINYINT UNSIGNED'] })
  @MessagePattern('sig_utiny')
  sigUtiny(@Payload() [v]: [unknown]) {
    return received(v);
  }

  @MysqlProcedure({ params: ['a BIGINT'] })
  @MessagePattern('sig_bigint')
  sigBigint(@Payload() [v]: [unknown]) {
    return received(v);
  }

  @MysqlProcedure({ params: ['a BIGINT UNSIGNED'] })
  @MessagePattern('sig_ubigint')
  sigUbigint(@Payload() [v]: [unknown]) {
    return received(v);
  }

  @MysqlProcedure({ params: ['b VARCHAR(4)'] })
  @MessagePattern('sig_varchar')
  sigVarchar(@Payload() [v]: [unknown]) {
    return received(v);
  }

  @MysqlProcedure({ params: ['d DECIMAL(5,2)'] })
  @MessagePattern('sig_decimal')
  sigDecimal(@Payload() [v]: [unknown]) {
    return received(v);
  }

  @MysqlProcedure({ params: ['d DATE'] })
  @MessagePattern('sig_date')
  sigDate(@Payload() [v]: [unknown]) {
    return received(v);
  }

  @MysqlProcedure({ params: ['d DATETIME(3)'] })
  @MessagePattern('sig_datetime')
  sigDatetime(@Payload() [v]: [unknown]) {
    return received(v);
  }

  @MysqlProcedure({ params: ['t TIME'] })
  @MessagePattern('sig_time')
  sigTime(@Payload() [v]: [unknown]) {
    return received(v);
  }

  @MysqlProcedure({ params: ['j JSON'] })
  @MessagePattern('sig_json')
  sigJson(@Payload() [v]: [unknown]) {
    return { type: typeof v, v: JSON.stringify(v) };
  }

  @MysqlProcedure({ params: ['f BOOLEAN'] })
  @MessagePattern('sig_bool')
  sigBool(@Payload() [v]: [unknown]) {
    return received(v);
  }

  @MysqlProcedure({ params: ['b VARBINARY(4)'] })
  @MessagePattern('sig_varbinary')
  sigVarbinary(@Payload() [v]: [unknown]) {
    return received(v);
  }

  @MysqlProcedure({ params: ['d DOUBLE'] })
  @MessagePattern('sig_double')
  sigDouble(@Payload() [v]: [unknown]) {
    return received(v);
  }

  @MysqlProcedure({ params: ['IN a INT', 'INOUT b INT', 'OUT c INT'], payload: 'named' })
  @MessagePattern('sig_named')
  named(@Payload() args: Record<string, unknown>, @Ctx() ctx: MysqlRpcContext) {
    ctx.setOutParameter('c', Number(args.a) * 10);
    return { payload: JSON.stringify(args), outs: JSON.stringify(ctx.getOutParameters()) };
  }

  @MysqlProcedure({ params: ['IN a INT', 'IN b INT', 'OUT s BIGINT'] })
  @MessagePattern('sig_out_ctx')
  outCtx(@Payload() [a, b]: [number, number], @Ctx() ctx: MysqlRpcContext) {
    ctx.setOutParameter('S', a + b);
  }

  @MysqlProcedure({ params: ['IN a INT', 'OUT s BIGINT', 'OUT label VARCHAR(8)'] })
  @MessagePattern('sig_out_return')
  outReturn(@Payload() [a]: [number]) {
    return new MysqlOutParameters({ s: a * 2, label: `n${a}` }, [{ row: 1 }, { row: 2 }]);
  }

  @MysqlProcedure({ params: ['INOUT c INT'] })
  @MessagePattern('sig_inout')
  inout(@Payload() [c]: [number | null]) {
    return new MysqlOutParameters({ c: c === null ? null : c + 1 });
  }

  @MysqlProcedure({ params: ['INOUT c DECIMAL(6,2)', 'OUT untouched INT'] })
  @MessagePattern('sig_inout_keep')
  inoutKeep() {
    return { ok: 1 };
  }

  @MysqlProcedure({ params: ['OUT t TINYINT'] })
  @MessagePattern('sig_out_bad')
  outBad(@Ctx() ctx: MysqlRpcContext) {
    ctx.setOutParameter('t', 1000);
    return { before: 1 };
  }

  @MysqlProcedure({ params: ['OUT t INT'] })
  @MessagePattern('sig_out_unknown')
  outUnknown(@Ctx() ctx: MysqlRpcContext) {
    ctx.setOutParameter('nope', 1);
  }

  @MysqlProcedure({ params: ['OUT t INT', 'OUT d DATETIME', 'OUT j JSON', 'OUT f BOOLEAN'] })
  @MessagePattern('sig_out_types')
  outTypes(@Ctx() ctx: MysqlRpcContext) {
    ctx.setOutParameters({
      t: '42',
      d: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 600)),
      j: { a: [1, 'x'] },
      f: true,
    });
  }

  @MysqlProcedure({
    params: ['n INT'],
    columns: [
      { name: 'id', type: 'BIGINT' },
      { name: 'label', type: 'VARCHAR', length: 40 },
      { name: 'price', type: 'DECIMAL', decimals: 2 },
    ],
  })
  @MessagePattern('sig_columns')
  columns(@Payload() [n]: [number]) {
    if (n === 0) return [];
    if (n === 1) return { label: 'only', id: 1, price: '9.50' };
    return Array.from({ length: n }, (_, i) => [i + 1, `item ${i + 1}`, (i + 1).toFixed(2)]);
  }

  @MessagePattern('sig_extras', {
    mysql: { params: ['IN x SMALLINT'], comment: 'declared in the extras' },
  })
  extras(@Payload() [x]: [number]) {
    return { x };
  }

  @UseGuards(EvenFirstGuard)
  @UseInterceptors(EnvelopeInterceptor)
  @MysqlProcedure({ params: ['IN a INT', 'IN b INT', 'OUT s INT'] })
  @MessagePattern('sig_pipeline')
  pipeline(@Payload(DoubleSecondPipe) [a, b]: [number, number], @Ctx() ctx: MysqlRpcContext) {
    pipelineRuns.handler++;
    ctx.setOutParameter('s', a + b);
    return { a, b };
  }

  @UseInterceptors(WatchInterceptor)
  @MysqlProcedure({ params: ['OUT s INT'] })
  @MessagePattern('sig_pipeline_wrapped')
  pipelineWrapped() {
    return new MysqlOutParameters({ s: 5 }, { row: 1 });
  }

  @MysqlProcedure({ params: ['IN a INT'] })
  @EventPattern('sig_event')
  sigEvent(@Payload() args: unknown[]) {
    receivedEvents.push(args);
  }

  @MysqlProcedure({ params: [] })
  @MessagePattern('sig_none')
  none() {
    return { none: 1 };
  }
}

@Module({ controllers: [TestController, SignatureController] })
class TestModule {}

/** A running test server and how to reach it. */
export interface TestServer {
  port: number;
  strategy: MysqlRpcServer;
  close(): Promise<void>;
}

/** Starts the test app on a free port with `testuser`/`testpass` and an empty-password user. */
export async function startTestServer(
  options: Partial<MysqlRpcServerOptions> = {},
  /** Where the app logs; by default nowhere (TEST_LOGS=1 for Nest's console). */
  logger?: LoggerService,
): Promise<TestServer> {
  const strategy = new MysqlRpcServer({
    host: '127.0.0.1',
    port: 0,
    users: {
      testuser: { password: 'testpass', grants: ['rpc.*'] },
      nopass: { password: '', grants: ['rpc.*'] },
    },
    // Tests log in with wrong passwords on purpose; throttling has its own tests.
    loginThrottle: false,
    ...options,
  });
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(TestModule, {
    strategy,
    logger: logger ?? (process.env.TEST_LOGS ? undefined : false),
  });
  await app.listen();
  const port = (strategy.unwrap().address() as AddressInfo).port;
  return { port, strategy, close: () => app.close() };
}
