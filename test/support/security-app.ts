import 'reflect-metadata';
import {
  ArgumentsHost,
  Catch,
  Controller,
  Injectable,
  Module,
  UseFilters,
  UseGuards,
  UseInterceptors,
  UsePipes,
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  type NestInterceptor,
  type PipeTransform,
  type RpcExceptionFilter,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, MessagePattern, Payload, type MicroserviceOptions } from '@nestjs/microservices';
import type { AddressInfo } from 'node:net';
import { map, throwError, type Observable } from 'rxjs';
import {
  MysqlAdmin,
  MysqlError,
  MysqlPublic,
  MysqlRoles,
  MysqlRpcContext,
  MysqlRpcServer,
  type MysqlAccountOptions,
  type MysqlRpcServerOptions,
} from '../../lib/index.js';

/** A guard written in an app: admits accounts holding the role `ops` over TLS, sees user, host, roles and TLS. */
@Injectable()
class OpsOverTlsGuard implements CanActivate {
  static seen: Array<{ user: string; host: string; roles: readonly string[]; secure: boolean }> =
    [];
  canActivate(context: ExecutionContext): boolean {
    const ctx = context.switchToRpc().getContext<MysqlRpcContext>();
    OpsOverTlsGuard.seen.push({
      user: ctx.getUser(),
      host: ctx.getHost(),
      roles: ctx.getRoles(),
      secure: ctx.isSecure(),
    });
    return ctx.isSecure() && ctx.getRoles().includes('ops');
  }
}

/** A guard that throws: its own error text must not reach the client. */
@Injectable()
class ThrowingGuard implements CanActivate {
  canActivate(): boolean {
    throw new Error('guard internals: backend at 10.1.2.3 down');
  }
}

/** Wraps the handler's value, proving the interceptor ran around the call. */
@Injectable()
class WrapInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(map((value) => ({ wrapped: JSON.stringify(value) })));
  }
}

/** Turns each argument into a number or refuses the call with a MySQL error. */
class NumbersPipe implements PipeTransform<unknown[], number[]> {
  transform(args: unknown[]): number[] {
    return args.map((a) => {
      const n = Number(a);
      if (!Number.isFinite(n))
        throw new MysqlError(1366, `Incorrect integer value: '${String(a)}'`, 'HY000');
      return n;
    });
  }
}

/** Maps any error of its handler to one chosen MySQL error. */
@Catch()
class ToMysqlFilter implements RpcExceptionFilter {
  catch(_exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => ({
      code: 1146,
      sqlState: '42S02',
      message: "Table 'rpc.t' doesn't exist",
    }));
  }
}

@Controller()
class SecurityController {
  @MessagePattern('plain')
  plain() {
    return { ok: 1 };
  }

  @MessagePattern('report_daily')
  reportDaily() {
    return { report: 'daily' };
  }

  @MysqlAdmin()
  @MessagePattern('admin_only')
  adminOnly() {
    return { secret: 42 };
  }

  @MysqlRoles('reporting', 'ops')
  @MessagePattern('for_reporting')
  forReporting() {
    return { rows: 2 };
  }

  @MysqlPublic()
  @MessagePattern('open_to_all')
  openToAll(@Ctx() ctx: MysqlRpcContext) {
    return { account: ctx.getAccount().name };
  }

  @UseGuards(OpsOverTlsGuard)
  @MessagePattern('ops_tls')
  opsTls() {
    return { ok: 'ops' };
  }

  @UseGuards(ThrowingGuard)
  @MessagePattern('guard_throws')
  guardThrows() {
    return { never: 1 };
  }

  @UseInterceptors(WrapInterceptor)
  @MessagePattern('intercepted')
  intercepted(@Payload() [x]: [number]) {
    return { x };
  }

  @UsePipes(NumbersPipe)
  @MessagePattern('piped_sum')
  pipedSum(@Payload() args: number[]) {
    return { sum: args.reduce((a, b) => a + b, 0), types: args.map((a) => typeof a).join(',') };
  }

  @UseFilters(ToMysqlFilter)
  @MessagePattern('filtered')
  filtered() {
    throw new Error('secret internal detail');
  }

  @MessagePattern('session_info')
  sessionInfo(@Ctx() ctx: MysqlRpcContext) {
    const cert = ctx.getPeerCertificate();
    return {
      user: ctx.getUser(),
      account: ctx.getAccount().name,
      roles: ctx.getRoles().join(','),
      admin: ctx.isAdmin(),
      secure: ctx.isSecure(),
      cert_cn: cert?.subject?.CN ?? null,
    };
  }
}

/** An app that registers no guard of its own anywhere: deny by default must still hold. */
@Module({ controllers: [SecurityController] })
class SecurityModule {}

/** What the guard written in the app saw, for assertions. */
export const guardSightings = OpsOverTlsGuard.seen;

/** Accounts of the security tests: one per kind of access. */
export const SECURITY_ACCOUNTS: MysqlAccountOptions[] = [
  { user: 'granted', password: 'pw-granted', grants: ['rpc.*'] },
  { user: 'root', host: 'localhost', password: 'pw-root', grants: ['*.*'], admin: true },
  { user: 'listed', password: 'pw-listed', grants: ['plain', 'rpc.report_*'] },
  { user: 'nogrants', password: 'pw-nogrants' },
  { user: 'reporter', password: 'pw-reporter', roles: ['reporting'] },
  { user: 'ops', password: 'pw-ops', grants: ['rpc.*'], roles: ['ops'] },
  { user: 'elsewhere', host: '10.0.0.0/8', password: 'pw-elsewhere', grants: ['rpc.*'] },
  { user: 'tlsonly', password: 'pw-tlsonly', grants: ['rpc.*'], requireSsl: true },
  { user: 'native', password: 'pw-native', plugin: 'mysql_native_password', grants: ['rpc.*'] },
];

/** Roles of the security tests. */
export const SECURITY_ROLES = {
  reporting: ['rpc.report_*', 'rpc.for_reporting', 'rpc.session_info'],
  // Membership only: what ops may call comes from its own grants.
  ops: [],
};

/** A running security test server. */
export interface SecurityServer {
  port: number;
  strategy: MysqlRpcServer;
  close(): Promise<void>;
}

/** Starts the security app on a free port; options override the defaults (login throttle off). */
export async function startSecurityServer(
  options: Partial<MysqlRpcServerOptions> = {},
): Promise<SecurityServer> {
  const strategy = new MysqlRpcServer({
    host: '127.0.0.1',
    port: 0,
    users: SECURITY_ACCOUNTS,
    roles: SECURITY_ROLES,
    loginThrottle: false,
    ...options,
  });
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(SecurityModule, {
    strategy,
    logger: process.env.TEST_LOGS ? undefined : false,
  });
  await app.listen();
  const port = (strategy.unwrap().address() as AddressInfo).port;
  return { port, strategy, close: () => app.close() };
}
