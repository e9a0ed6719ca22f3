/** Who may call a handler, as its access decorators declare it. */
export interface MysqlAccess {
  /** Open to every logged-in account, grants or not (`@MysqlPublic()`). */
  readonly public?: boolean;
  /** Only admin accounts (`@MysqlAdmin()`). */
  readonly admin?: boolean;
  /** Only accounts holding one of these roles (`@MysqlRoles(...)`). */
  readonly roles?: readonly string[];
}

/** Reflect-metadata key of a handler's or controller's access declaration. */
export const MYSQL_ACCESS_METADATA = 'nestjs-mysql-rpc:access';

/**
 * Nest's key for a pattern's extras (`@MessagePattern(p, extras)`), which
 * it hands to the transport's addHandler. Access is copied there so the
 * transport knows before any guard runs which handlers are public.
 */
export const PATTERN_EXTRAS_METADATA = 'microservices:pattern_extras';

/** Key of the access declaration inside a pattern's extras. */
export const ACCESS_EXTRAS_KEY = 'mysqlAccess';

/** The access declared on a handler, else on its controller, else undefined. */
export function declaredAccess(handler: object, controller?: object): MysqlAccess | undefined {
  const own = Reflect.getMetadata(MYSQL_ACCESS_METADATA, handler) as MysqlAccess | undefined;
  if (own || !controller) return own;
  return Reflect.getMetadata(MYSQL_ACCESS_METADATA, controller) as MysqlAccess | undefined;
}

/** The access a transport reads from a pattern's extras. */
export function accessFromExtras(
  extras: Record<string, unknown> | undefined,
): MysqlAccess | undefined {
  return extras?.[ACCESS_EXTRAS_KEY] as MysqlAccess | undefined;
}
