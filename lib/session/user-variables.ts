import type { SqlValue, UserVariables } from '../sql/index.js';

/** Rough memory a variable holds: UTF-16 text, raw bytes, or a small scalar. */
const sizeOf = (name: string, value: SqlValue): number =>
  name.length * 2 +
  (typeof value === 'string' ? value.length * 2 : Buffer.isBuffer(value) ? value.length : 8);

/**
 * One session's user variables (`SET @name = value`), bounded in count and
 * size so that a client cannot grow the server's memory without limit.
 */
export class SessionVariables implements UserVariables {
  private readonly values = new Map<string, SqlValue>();
  private bytes = 0;

  constructor(
    /** Most distinct names a session may hold. */
    readonly maxNames: number,
    /** Most bytes names and values may take, as `sizeOf` counts them. */
    readonly maxBytes: number,
  ) {}

  get(name: string): SqlValue | undefined {
    return this.values.get(name);
  }

  /** Applies one SET's assignments, all or none: false when a limit would be passed. */
  assign(assignments: ReadonlyArray<readonly [string, SqlValue]>): boolean {
    const next = new Map(assignments);
    let names = this.values.size;
    let bytes = this.bytes;
    for (const [name, value] of next) {
      if (this.values.has(name)) bytes -= sizeOf(name, this.values.get(name)!);
      else names++;
      bytes += sizeOf(name, value);
    }
    if (names > this.maxNames || bytes > this.maxBytes) return false;
    for (const [name, value] of next) this.values.set(name, value);
    this.bytes = bytes;
    return true;
  }

  clear(): void {
    this.values.clear();
    this.bytes = 0;
  }
}
