import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  EmptyQueryError,
  IllegalDoubleError,
  parseStatement,
  SqlSyntaxError,
  SqlUnsupportedError,
  TooManyCallArgumentsError,
  TooManyPlaceholdersError,
  TooManySelectItemsError,
  type SqlValue,
  type UserVariables,
} from '../../../lib/sql/index.js';
import { OffThreadParser, ParseWorkerError } from '../../../lib/sql/off-thread.js';

// The compiled worker, as `npm test` builds it first (pretest).
const WORKER = join(__dirname, '../../../dist/cjs/sql/parse-worker.js');
const url = pathToFileURL(WORKER);
const options = { serverVersionId: 80036 };
const bytes = (sql: string) => Buffer.from(sql, 'utf8');

const variables = (entries: Record<string, SqlValue>): UserVariables => ({
  get: (name) => entries[name],
});

describe('OffThreadParser (the compiled parse worker)', () => {
  let parser: OffThreadParser;
  beforeAll(() => {
    if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run npm run build`);
    parser = new OffThreadParser(url);
  });
  afterAll(() => parser.close());

  it('gives the statement parseStatement gives, the session’s @name values put in', async () => {
    const vars = variables({ a: 'session text', b: Buffer.from([1, 2]) });
    for (const sql of [
      "CALL rpc.p(1, -2.5, 18446744073709551615, 'x''y\\n', X'00ff', NULL, TRUE, @a, @b, @nope)",
      "SELECT @@version, 'lit' AS l, @a, DATABASE() LIMIT 1",
      "SET @c = 'v', @d = @a",
      'START TRANSACTION',
      'SELECT 1 + 1',
      'USE rpc',
    ]) {
      const here = parseStatement(sql, vars, options);
      const there = await parser.parse(bytes(sql), options, vars);
      expect(there).toEqual(here);
    }
    const call = await parser.parse(bytes("CALL p(@b, X'0a')"), options, vars);
    // Bytes arrive as Buffers, and @b is the session's own Buffer, shared.
    expect(call.kind === 'call' && call.args[0]).toBe(vars.get('b'));
    expect(call.kind === 'call' && Buffer.isBuffer(call.args[1])).toBe(true);
  });

  it('rejects with the error parseStatement throws', async () => {
    const none = variables({});
    const cases: Array<[string, new (...a: never[]) => Error]> = [
      ['CALL p(', SqlSyntaxError],
      [' /* only a comment */ ', EmptyQueryError],
      ['SET @a = ' + Array(70000).fill('1').join('+'), SqlUnsupportedError],
      ['CALL p(1.5e400)', IllegalDoubleError],
      ['SELECT ' + Array(4097).fill('1').join(','), TooManySelectItemsError],
      ['CALL p(' + Array(65536).fill('1').join(',') + ')', TooManyCallArgumentsError],
    ];
    const prepared: Array<[string, new (...a: never[]) => Error]> = [
      ['CALL p(' + Array(65536).fill('?').join(',') + ')', TooManyPlaceholdersError],
    ];
    for (const [sql, type] of prepared) {
      const withPlaceholders = { ...options, placeholders: true };
      expect(() => parseStatement(sql, none, withPlaceholders)).toThrow(type);
      const there = await parser.parse(bytes(sql), withPlaceholders, none).catch((e) => e);
      expect(there).toBeInstanceOf(type);
    }
    for (const [sql, type] of cases) {
      let here: unknown;
      try {
        parseStatement(sql, none, options);
      } catch (error) {
        here = error;
      }
      const there = await parser.parse(bytes(sql), options, none).catch((e: unknown) => e);
      expect(there).toBeInstanceOf(type);
      expect(there).toEqual(here);
      expect((there as Error).message).toBe((here as Error).message);
    }
  });

  it('answers queries in the order they were sent', async () => {
    const none = variables({});
    const sqls = Array.from({ length: 20 }, (_, i) => `CALL p(${i}, '${'x'.repeat(i * 1000)}')`);
    const results = await Promise.all(sqls.map((sql) => parser.parse(bytes(sql), options, none)));
    results.forEach((st, i) => expect(st.kind === 'call' && st.args[0]).toBe(i));
  });

  it('stops a worker that has parsed a lot as soon as it is idle, and one idle for long, so its memory goes back', async () => {
    const none = variables({});
    const recycling = new OffThreadParser(url, { recycleAfterBytes: 4096, idleMs: 50 });
    try {
      const big = `CALL p('${'x'.repeat(5000)}')`;
      // Queries in flight are never cut short by recycling, and all are answered in order.
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          recycling.parse(bytes(`CALL p(${i}, '${'y'.repeat(i * 900)}')`), options, none),
        ),
      );
      answers.forEach((st, i) => expect(st.kind === 'call' && st.args[0]).toBe(i));
      await recycling.parse(bytes(big), options, none);
      const afterBig = recycling.workersStarted;
      await recycling.parse(bytes('CALL p(1)'), options, none);
      expect(recycling.workersStarted).toBe(afterBig + 1);
      await new Promise((r) => setTimeout(r, 200));
      await recycling.parse(bytes('CALL p(2)'), options, none);
      expect(recycling.workersStarted).toBe(afterBig + 2);
      await recycling.parse(bytes('CALL p(3)'), options, none);
      expect(recycling.workersStarted).toBe(afterBig + 2);
    } finally {
      await recycling.close();
    }
  });

  it('fails a query that needs more than the worker’s heap, alone, and parses the next one', async () => {
    const small = new OffThreadParser(url, { heapMb: 16 });
    try {
      const none = variables({});
      const huge = 'CALL p(' + Array(3_000_000).fill("'x'").join(',') + ')';
      const error = await small.parse(bytes(huge), options, none).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ParseWorkerError);
      expect((error as ParseWorkerError).outOfMemory).toBe(true);
      const next = await small.parse(bytes('CALL p(1)'), options, none);
      expect(next).toEqual({
        kind: 'call',
        schema: null,
        name: 'p',
        args: [1],
        variables: null,
        placeholders: null,
      });
    } finally {
      await small.close();
    }
  });
});
