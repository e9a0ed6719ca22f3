import { Controller, UseGuards } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { interval, map, take } from 'rxjs';
import { TlsOnlyGuard } from './tls-only.guard.js';
import {
  MysqlAdmin,
  MysqlError,
  MysqlOk,
  MysqlRoles,
  MysqlResultSet,
  MysqlResultStream,
  MysqlRpcContext,
} from '../lib/index.js';

/** Most rows `numbers(n)` streams. */
const MAX_STREAMED_ROWS = 10_000_000;

/** The procedures the sample server exposes; each shows one kind of reply. */
@Controller()
export class MathController {
  /** `CALL myadd(3, 4)`: one row, column `sum`. */
  @MessagePattern('myadd')
  add(@Payload() [a, b]: [number, number]): { sum: number } {
    return { sum: Number(a) + Number(b) };
  }

  /** `CALL whoami()`: what the context knows about the caller. */
  @MessagePattern('whoami')
  whoami(@Ctx() ctx: MysqlRpcContext) {
    return {
      user: ctx.getUser(),
      account: ctx.getAccount().name,
      roles: ctx.getRoles().join(','),
      tls: ctx.isSecure(),
      client: ctx.getClientAddress(),
      connection_id: ctx.getConnectionId(),
      database: ctx.getDatabase(),
      procedure: ctx.getProcedure(),
    };
  }

  /** `CALL series(5)`: rows with one column per JS type. */
  @MessagePattern('series')
  series(@Payload() [n]: [number]) {
    const count = Math.max(0, Math.min(Number(n) || 0, 100_000));
    return Array.from({ length: count }, (_, i) => ({
      id: i + 1,
      square: (i + 1) ** 2,
      half: (i + 1) / 2,
      label: `row ${i + 1}`,
      even: i % 2 === 1,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
    }));
  }

  /**
   * `CALL numbers(1000000)`: rows streamed as they are produced, with their
   * columns declared up front; memory stays flat however many are asked for.
   */
  @MessagePattern('numbers')
  numbers(@Payload() [n]: [number]) {
    const count = Math.max(0, Math.min(Number(n) || 0, MAX_STREAMED_ROWS));
    const epoch = Date.UTC(2026, 0, 1);
    // A computed sequence needs no awaits: a plain generator. Rows read from
    // I/O (a cursor, a stream) come from an async generator the same way.
    function* rows() {
      for (let i = 1; i <= count; i++) {
        yield [i, `row ${i}`, i / 8, new Date(epoch + i * 1000)];
      }
    }
    return new MysqlResultStream(
      [
        { name: 'id', type: 'BIGINT' },
        { name: 'label', type: 'VARCHAR', length: 80 },
        { name: 'value', type: 'DOUBLE' },
        { name: 'at', type: 'DATETIME', decimals: 3 },
      ],
      rows(),
    );
  }

  /** `CALL stats()`: two result sets, then the final OK. */
  @MessagePattern('stats')
  stats() {
    return interval(0).pipe(
      take(2),
      map((i) =>
        i === 0
          ? [{ metric: 'uptime_s', value: Math.round(process.uptime()) }]
          : new MysqlResultSet(
              [{ name: 'heap_used', type: 'BIGINT', unsigned: true }, 'rss'],
              [[process.memoryUsage().heapUsed, process.memoryUsage().rss]],
            ),
      ),
    );
  }

  /** `CALL touch(3)`: no rows, an OK with affected rows and info. */
  @MessagePattern('touch')
  touch(@Payload() [n]: [number]) {
    return new MysqlOk({ affectedRows: Number(n) || 0, info: `touched ${Number(n) || 0}` });
  }

  /** `CALL secret()`: granted to everyone by `rpc.*`, but the decorator admits admins only. */
  @MysqlAdmin()
  @MessagePattern('secret')
  secret() {
    return { secret: 'the answer is 42' };
  }

  /** `CALL report_daily()`: for accounts holding the `reporting` role. */
  @MysqlRoles('reporting')
  @MessagePattern('report_daily')
  reportDaily() {
    return [
      { day: '2026-01-01', calls: 120 },
      { day: '2026-01-02', calls: 98 },
    ];
  }

  /** `CALL tls_info()`: a guard written in the app lets only TLS connections in. */
  @UseGuards(TlsOnlyGuard)
  @MessagePattern('tls_info')
  tlsInfo(@Ctx() ctx: MysqlRpcContext) {
    const cert = ctx.getPeerCertificate();
    return {
      secure: ctx.isSecure(),
      account: ctx.getAccount().name,
      client_cert: cert?.subject?.CN ?? null,
    };
  }

  /** `CALL fail('dup')`: errors as the client sees them. */
  @MessagePattern('fail')
  fail(@Payload() [kind]: [string]) {
    if (kind === 'dup')
      throw new MysqlError(1062, "Duplicate entry 'x' for key 'PRIMARY'", '23000');
    if (kind === 'rpc')
      throw new RpcException({ code: 1644, sqlState: '45000', message: 'custom' });
    throw new Error('this text stays in the server log');
  }
}
