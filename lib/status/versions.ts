import { createRequire } from 'node:module';
import { join } from 'node:path';

/** This package's version; a unit test holds it equal to package.json's. */
export const PACKAGE_VERSION = '0.1.0';

let nest: string | null = null;

/**
 * The version of @nestjs/core the app runs, as resolved from its working
 * directory (where Nest apps start); `unknown` when it cannot be read.
 */
export function nestVersion(): string {
  if (nest === null) {
    try {
      const require = createRequire(join(process.cwd(), 'noop.js'));
      nest = (require('@nestjs/core/package.json') as { version: string }).version;
    } catch {
      nest = 'unknown';
    }
  }
  return nest;
}
