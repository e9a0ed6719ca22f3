import { randomBytes } from 'node:crypto';
import { nativePasswordHash } from '../protocol/auth/native-password.js';

/** How one user may log in. Give exactly one of the two. */
export interface MysqlUserOptions {
  /** Plain password; hashed once at start-up and never kept. Convenient in development. */
  password?: string;
  /**
   * mysql_native_password hash as MySQL prints it in
   * `mysql.user.authentication_string`: `*` followed by 40 hex digits
   * (SELECT PASSWORD('x') on old servers). Lets configuration hold no secret.
   */
  nativePasswordHash?: string;
}

/** A user the server knows, with the verifier it checks logins against. */
export interface MysqlUserRecord {
  readonly name: string;
  /** SHA1(SHA1(password)), or null for an empty password. */
  readonly nativeHash: Buffer | null;
}

/** Where the server looks users up; a static map now, any backend later. */
export interface MysqlUserStore {
  /** The user's record, or undefined when there is no such user. */
  findUser(name: string): MysqlUserRecord | undefined | Promise<MysqlUserRecord | undefined>;
}

const NATIVE_HASH = /^\*[0-9A-Fa-f]{40}$/;

/** Parses `*HEX40` into the 20-byte double SHA1. */
export function parseNativePasswordHash(hash: string): Buffer {
  if (!NATIVE_HASH.test(hash)) {
    throw new Error('nativePasswordHash must be "*" followed by 40 hex digits');
  }
  return Buffer.from(hash.slice(1), 'hex');
}

/** Formats a password the way MySQL's authentication_string shows it. */
export function formatNativePasswordHash(password: string): string {
  return '*' + nativePasswordHash(password).toString('hex').toUpperCase();
}

/** Users from the `users` option: hashed at construction, plaintext dropped. */
export class StaticUserStore implements MysqlUserStore {
  private readonly users = new Map<string, MysqlUserRecord>();

  constructor(users: Record<string, MysqlUserOptions>) {
    for (const [name, options] of Object.entries(users)) {
      this.users.set(name, { name, nativeHash: StaticUserStore.verifier(name, options) });
    }
  }

  findUser(name: string): MysqlUserRecord | undefined {
    return this.users.get(name);
  }

  private static verifier(name: string, options: MysqlUserOptions): Buffer | null {
    const { password, nativePasswordHash: hash } = options;
    if ((password === undefined) === (hash === undefined)) {
      throw new Error(`user '${name}': give exactly one of password or nativePasswordHash`);
    }
    if (hash !== undefined) return hash === '' ? null : parseNativePasswordHash(hash);
    return password === '' ? null : nativePasswordHash(password!);
  }
}

/**
 * A verifier no password matches, checked for unknown users so that a
 * wrong user name costs the same work as a wrong password.
 */
export const UNKNOWN_USER_HASH: Buffer = randomBytes(20);
