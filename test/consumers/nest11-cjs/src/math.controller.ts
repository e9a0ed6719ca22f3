import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { MysqlAdmin, MysqlRpcContext } from 'nestjs-mysql-rpc';

@Controller()
export class MathController {
  /** `CALL myadd(3, 4)` from any MySQL client lands here. */
  @MessagePattern('myadd')
  add(@Payload() [a, b]: [number, number], @Ctx() ctx: MysqlRpcContext) {
    return { sum: a + b, user: ctx.getUser() };
  }

  /** Granted by `rpc.*`, but the decorator (and the guard it attaches) admits admins only. */
  @MysqlAdmin()
  @MessagePattern('secret')
  secret(@Ctx() ctx: MysqlRpcContext) {
    return { secure: ctx.isSecure() };
  }
}
