import {
  MAX_CALL_ARGUMENTS,
  MAX_SELECT_ITEMS,
  parseStatement,
  type SqlValue,
} from '../../../lib/sql/index.js';

/*
 * What one statement's parse result can hold, measured by a deterministic model
 * instead of heap sampling: every value slot (scalar, reference, array element,
 * object property) costs 16 bytes, a string 2 bytes per UTF-16 unit, a Buffer its
 * length, a bigint 8 bytes per 64 bits. A Buffer is counted once however often it
 * is referenced; strings and Buffers the session already held (user variables)
 * count once too, and their size is added to the allowance, because the
 * statement does not create them.
 *
 * The bound is K bytes per character of the statement plus a fixed allowance.
 * K = 16: the densest shapes measure 10 bytes of model per character (`SET @a=1,`:
 * a pair, a one-letter name and a value for 5 characters) and 8 (`CALL p(1,1,...)`:
 * one 16-byte slot per 2 characters); literals themselves never grow (a string is at
 * most 2 bytes per character it was written with, bytes at most 1 per 2 hex digits).
 * What costs more per character is per item, and items are capped: a SELECT item's
 * shell and column name (at most 256 bytes) and a CALL argument's slot, which the
 * allowance covers for MAX_SELECT_ITEMS and MAX_CALL_ARGUMENTS items. The model is
 * payload, not V8's object headers, which add a small constant factor on top.
 */
const K = 16;
const SLOT = 16;
const ALLOWANCE = MAX_SELECT_ITEMS * 256 + MAX_CALL_ARGUMENTS * SLOT + 64 * 1024;

function modelSize(root: unknown, shared: ReadonlySet<unknown>): number {
  const seen = new Set<unknown>();
  let total = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    total += SLOT;
    if (typeof value === 'string') {
      if (!shared.has(value)) total += 2 * value.length;
    } else if (typeof value === 'bigint') {
      const magnitude = value < 0n ? -value : value;
      total += 8 * Math.ceil(magnitude.toString(2).length / 64);
    } else if (Buffer.isBuffer(value)) {
      if (!seen.has(value)) {
        seen.add(value);
        total += value.length;
      }
    } else if (Array.isArray(value)) {
      for (const element of value) stack.push(element);
    } else if (typeof value === 'object' && value !== null) {
      for (const element of Object.values(value)) stack.push(element);
    }
  }
  return total;
}

function sessionBytes(variables: Map<string, SqlValue>): number {
  let total = 0;
  for (const value of variables.values()) {
    if (typeof value === 'string') total += 2 * value.length;
    else if (Buffer.isBuffer(value)) total += value.length;
  }
  return total;
}

// Kept at 1 MiB so that the copying the parser used to do stays survivable (50 copies = 50 MiB).
const BIG_BUFFER = Buffer.alloc(1024 * 1024, 0x61);
const BIG_STRING = 'y'.repeat(1024 * 1024);
const VARIABLES = new Map<string, SqlValue>([
  ['big', BIG_BUFFER],
  ['s', BIG_STRING],
  ['n', 1],
]);
const SHARED = new Set<unknown>([BIG_BUFFER, BIG_STRING]);

function repeat(count: number, item: string, separator = ','): string {
  return Array.from({ length: count }, () => item).join(separator);
}

// Each shape is a worst case for one way a statement could make the parser allocate.
const SHAPES: Record<string, string> = {
  'many tiny arguments': `CALL p(${repeat(MAX_CALL_ARGUMENTS, '1')})`,
  'many empty byte strings': `CALL p(${repeat(MAX_CALL_ARGUMENTS, "X''")})`,
  'many one-byte binaries': `CALL p(${repeat(MAX_CALL_ARGUMENTS, "_binary'a'")})`,
  'many big integers': `CALL p(${repeat(20_000, '9'.repeat(60))})`,
  'many references to a variable': `CALL p(${repeat(MAX_CALL_ARGUMENTS, '@n')})`,
  'references to a 1 MiB variable': `CALL p(${repeat(50, '@big')})`,
  'many references to a 1 Mi-character variable': `CALL p(${repeat(1000, '@s')})`,
  'select items at the limit': `SELECT ${repeat(MAX_SELECT_ITEMS, '1')}`,
  'select strings at the limit': `SELECT ${repeat(MAX_SELECT_ITEMS, "''")}`,
  'select variables at the limit': `SELECT ${repeat(MAX_SELECT_ITEMS, '@n')}`,
  'select a 1 MiB variable': `SELECT ${repeat(20, '@big')}`,
  'select aliases at the limit': `SELECT ${repeat(MAX_SELECT_ITEMS, '@@a b')}`,
  'select long strings at the limit': `SELECT ${repeat(MAX_SELECT_ITEMS, `'${'z'.repeat(100)}'`)}`,
  'one string of escapes': `CALL p('${'\\n'.repeat(500_000)}')`,
  'one string of doubled quotes': `CALL p('${"''".repeat(500_000)}')`,
  'adjacent strings': `CALL p(${repeat(200_000, "'ab'", ' ')})`,
  'long hex literal': `CALL p(0x${'f'.repeat(1_000_000)})`,
  'many user variable assignments': `SET ${repeat(200_000, '@a=1')}`,
  'many assignments from a variable': `SET ${repeat(200_000, '@a=@n')}`,
  'assignments from a 1 MiB variable': `SET ${repeat(20, '@a=@big')}`,
  'repeated comments': `CALL p(${repeat(1000, '/**/1/*! */ /*!99999 x */-- \n')})`,
  'many skipped statements': `SET ${repeat(100_000, 'a=1')}`,
};

describe('memory: a parse result stays within a small multiple of the statement', () => {
  it.each(Object.keys(SHAPES))('%s', (shape) => {
    const sql = SHAPES[shape] as string;
    const statement = parseStatement(sql, VARIABLES);
    const size = modelSize(statement, SHARED);
    expect(size).toBeLessThanOrEqual(K * sql.length + ALLOWANCE + sessionBytes(VARIABLES));
  });
});
