import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { MysqlRpcContext } from '../lib/index.js';

/**
 * A guard written in the app: it sees the account, its roles and the
 * transport through the context, and lets only TLS connections in. A
 * guard that returns false is answered with MySQL's ERR 1370.
 */
@Injectable()
export class TlsOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToRpc().getContext<MysqlRpcContext>().isSecure();
  }
}
