import { PATTERN_EXTRAS_METADATA } from '../acl/access-metadata.js';
import { parseSignature } from './parse-signature.js';
import { MYSQL_SIGNATURE_EXTRAS_KEY, type MysqlProcedureSignature } from './procedure-signature.js';

/** Reflect-metadata key of a handler's declared signature. */
export const MYSQL_SIGNATURE_METADATA = 'nestjs-mysql-rpc:signature';

/** Nest's key for a handler's patterns (`@MessagePattern('p')`), read only to name it in errors. */
const PATTERN_METADATA = 'microservices:pattern';

/**
 * Declares a procedure's parameters, result columns and comment, next to
 * its `@MessagePattern` (either order):
 *
 * ```ts
 * @MysqlProcedure({ params: ['IN a INT', 'IN b INT', 'OUT sum BIGINT'] })
 * @MessagePattern('myadd_out')
 * addOut(@Payload() [a, b]: [number, number], @Ctx() ctx: MysqlRpcContext) {
 *   ctx.setOutParameter('sum', a + b);
 * }
 * ```
 *
 * The declaration is checked here, so a mistake stops the app as it loads,
 * naming the handler; the transport reads it from the pattern's extras,
 * where `@MessagePattern('p', { mysql: signature })` puts it too.
 */
export function MysqlProcedure(signature: MysqlProcedureSignature): MethodDecorator {
  return (target, key, descriptor) => {
    const handler = descriptor.value as object;
    try {
      parseSignature(signature);
    } catch (e) {
      const owner = (target as { constructor?: { name?: string } }).constructor?.name ?? '';
      const patterns = Reflect.getMetadata(PATTERN_METADATA, handler) as unknown[] | undefined;
      const named = patterns?.length ? ` (procedure ${patterns.map(String).join(', ')})` : '';
      throw new Error(
        `@MysqlProcedure on ${owner}.${String(key)}${named}: ${(e as Error).message}`,
      );
    }
    Reflect.defineMetadata(MYSQL_SIGNATURE_METADATA, signature, handler);
    const extras = Reflect.getMetadata(PATTERN_EXTRAS_METADATA, handler) as object | undefined;
    Reflect.defineMetadata(
      PATTERN_EXTRAS_METADATA,
      { ...extras, [MYSQL_SIGNATURE_EXTRAS_KEY]: signature },
      handler,
    );
    return descriptor;
  };
}
