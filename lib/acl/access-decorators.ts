import { UseGuards } from '@nestjs/common';
import {
  ACCESS_EXTRAS_KEY,
  declaredAccess,
  MYSQL_ACCESS_METADATA,
  PATTERN_EXTRAS_METADATA,
  type MysqlAccess,
} from './access-metadata.js';
import { MysqlAclGuard } from './mysql-acl.guard.js';

/**
 * Records the access on the handler (or on every handler of a controller
 * that declares none of its own) and attaches MysqlAclGuard, so the
 * declaration is enforced even in an app that registers no guard.
 */
function declareAccess(access: MysqlAccess): MethodDecorator & ClassDecorator {
  const useGuard = UseGuards(MysqlAclGuard);
  return ((target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) {
      const handler = descriptor.value as object;
      const merged = { ...declaredAccess(handler), ...access };
      Reflect.defineMetadata(MYSQL_ACCESS_METADATA, merged, handler);
      copyToExtras(handler, merged);
      useGuard(target, key!, descriptor);
      return descriptor;
    }
    const merged = { ...declaredAccess(target), ...access };
    Reflect.defineMetadata(MYSQL_ACCESS_METADATA, merged, target);
    const prototype = (target as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const method = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
      if (name === 'constructor' || typeof method !== 'function') continue;
      // A handler's own declaration wins over its controller's.
      if (!declaredAccess(method)) copyToExtras(method, merged);
    }
    (useGuard as ClassDecorator)(target as never);
    return undefined;
  }) as MethodDecorator & ClassDecorator;
}

function copyToExtras(handler: object, access: MysqlAccess): void {
  const extras = Reflect.getMetadata(PATTERN_EXTRAS_METADATA, handler) as object | undefined;
  Reflect.defineMetadata(
    PATTERN_EXTRAS_METADATA,
    { ...extras, [ACCESS_EXTRAS_KEY]: access },
    handler,
  );
}

/** Opens a procedure to every logged-in account, whatever its grants. */
export const MysqlPublic = (): MethodDecorator & ClassDecorator => declareAccess({ public: true });

/** Restricts a procedure to admin accounts (on top of grants). */
export const MysqlAdmin = (): MethodDecorator & ClassDecorator => declareAccess({ admin: true });

/** Restricts a procedure to accounts holding at least one of these roles (on top of grants). */
export const MysqlRoles = (...roles: string[]): MethodDecorator & ClassDecorator => {
  if (roles.length === 0) throw new Error('@MysqlRoles() needs at least one role');
  return declareAccess({ roles });
};
