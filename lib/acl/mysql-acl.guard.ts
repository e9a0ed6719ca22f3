import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { MysqlError } from '../server/mysql-error.js';
import type { MysqlRpcContext } from '../server/mysql-rpc.context.js';
import { executeDenied } from './access-denied.js';
import { declaredAccess, type MysqlAccess } from './access-metadata.js';

/** True when the RPC context is this transport's (checked by shape: the package may be loaded twice). */
function isMysqlContext(value: unknown): value is MysqlRpcContext {
  const ctx = value as Partial<MysqlRpcContext> | null;
  return typeof ctx?.getAccount === 'function' && typeof ctx.getProcedure === 'function';
}

/**
 * Enforces each account's grants and the handler's access decorators
 * (`@MysqlPublic`, `@MysqlAdmin`, `@MysqlRoles`). The decorators attach it
 * themselves; it may also be registered globally. A refusal is MySQL's
 * ERR 1370. On other transports of a hybrid app it lets through what
 * declares no MySQL access and refuses what it cannot verify.
 */
@Injectable()
export class MysqlAclGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const access = declaredAccess(context.getHandler(), context.getClass());
    const rpc: unknown = context.getType() === 'rpc' ? context.switchToRpc().getContext() : null;
    if (!isMysqlContext(rpc)) return !access || access.public === true;
    if (MysqlAclGuard.admits(rpc, access)) return true;
    const e = executeDenied(rpc.getAccount(), `${rpc.getSchema()}.${rpc.getProcedure()}`);
    throw new MysqlError(e.code, e.message, e.sqlState);
  }

  /** The account's grants cover the call (or it is public) and the declared admin/roles fit. */
  static admits(ctx: MysqlRpcContext, access: MysqlAccess | undefined): boolean {
    const account = ctx.getAccount();
    if (!access?.public && !account.grants.covers(ctx.getSchema(), ctx.getProcedure())) {
      return false;
    }
    if (access?.admin && !account.admin) return false;
    if (access?.roles && !access.roles.some((role) => account.roles.includes(role))) return false;
    return true;
  }
}
