import * as mariadb from 'mariadb';
import * as mysql from 'mysql';
import * as mysql2 from 'mysql2/promise';
import { startTestServer, type TestServer } from '../support/test-app.js';
import { BASE_CAPS, command, parseErr, RawClient } from '../support/raw-client.js';

/**
 * Multi-statements: with CLIENT_MULTI_STATEMENTS (or COM_SET_OPTION) one
 * COM_QUERY may hold several statements; each result comes in turn,
 * flagged SERVER_MORE_RESULTS_EXISTS, and the first error ends the query.
 */

const COM_QUERY = 0x03;
const COM_SET_OPTION = 0x1b;
const MULTI_STATEMENTS = 0x10000;
const MORE_RESULTS_EXISTS = 0x0008;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const options = () => ({
  host: '127.0.0.1',
  port: server.port,
  user: 'testuser',
  password: 'testpass',
  multipleStatements: true,
});

/** Row sets of a multi-statement result as plain objects, OKs as 'ok'. */
const shape = (results: unknown[]) =>
  results.map((r) => (Array.isArray(r) ? r.map((row) => ({ ...(row as object) })) : 'ok'));

describe('with mysql2', () => {
  let conn: mysql2.Connection;
  beforeAll(async () => {
    conn = await mysql2.createConnection(options());
  });
  afterAll(() => conn.end());

  it('answers each statement in turn', async () => {
    const [results] = await conn.query('SET @a = 5; SELECT @a AS a; CALL myadd(@a, 2)');
    expect(shape(results as unknown[])).toEqual(['ok', [{ a: 5 }], [{ sum: 7 }], 'ok']);
  });

  it('stops at the first statement that fails', async () => {
    await expect(conn.query('SET @b = 1; CALL nosuch(); SET @b = 2')).rejects.toMatchObject({
      errno: 1305,
    });
    const [rows] = await conn.query('SELECT @b AS b');
    expect(rows).toEqual([{ b: 1 }]);
  });

  it('runs several statements in a query over 256 KiB too', async () => {
    const padding = ' '.repeat(300 * 1024);
    const [results] = await conn.query(`SET @p = 1;${padding}SELECT @p + 1 AS two`);
    expect(shape(results as unknown[])).toEqual(['ok', [{ two: 2 }]]);
  });

  it('reports a syntax error in a later statement only after the earlier ones ran', async () => {
    await expect(conn.query('SET @c = 3; SELEC 1; SET @c = 4')).rejects.toMatchObject({
      errno: 1064,
    });
    const [rows] = await conn.query('SELECT @c AS c');
    expect(rows).toEqual([{ c: 3 }]);
  });
});

describe.each([
  [
    'mysql',
    async () => {
      const conn = mysql.createConnection(options());
      return {
        query: (sql: string) =>
          new Promise<unknown[]>((resolve, reject) =>
            conn.query(sql, (e, r) => (e ? reject(e) : resolve(r as unknown[]))),
          ),
        close: () => new Promise<void>((resolve) => conn.end(() => resolve())),
      };
    },
  ],
  [
    'mariadb',
    async () => {
      const conn = await mariadb.createConnection(options());
      return {
        query: (sql: string) => conn.query(sql) as Promise<unknown[]>,
        close: () => conn.end(),
      };
    },
  ],
])('with %s', (_name, connect) => {
  it('answers two CALLs in one query', async () => {
    const conn = await connect();
    try {
      const results = await conn.query('CALL myadd(1, 2); CALL myadd(3, 4)');
      const sets = results
        .filter((r) => Array.isArray(r))
        .map((r) => (r as Array<{ sum: unknown }>).map((row) => Number(row.sum)));
      expect(sets).toEqual([[3], [7]]);
    } finally {
      await conn.close();
    }
  });
});

describe('at the byte level', () => {
  let c: RawClient;
  afterEach(() => c.close());

  /** Reads one statement's reply: the OK (or final EOF) status, or the ERR. */
  async function readReply() {
    const head = (await c.read())!.payload;
    if (head[0] === 0x00) return { status: head.readUInt16LE(3) };
    if (head[0] === 0xff) return { error: parseErr(head) };
    for (let i = 0; i < head[0]!; i++) await c.read();
    await c.read(); // EOF after the definitions
    let rows = 0;
    for (;;) {
      const p = (await c.read())!.payload;
      if (p[0] === 0xfe && p.length < 9) return { rows, status: p.readUInt16LE(3) };
      rows++;
    }
  }

  it('flags every reply but the last with SERVER_MORE_RESULTS_EXISTS', async () => {
    c = await RawClient.connect(server.port);
    await c.login('testuser', 'testpass', BASE_CAPS | MULTI_STATEMENTS);
    c.write(command(COM_QUERY, 'SET @x = 1; SELECT 2; DO 1'));
    const first = await readReply();
    expect(first.status! & MORE_RESULTS_EXISTS).toBe(MORE_RESULTS_EXISTS);
    const second = await readReply();
    expect(second).toMatchObject({ rows: 1 });
    expect(second.status! & MORE_RESULTS_EXISTS).toBe(MORE_RESULTS_EXISTS);
    // DO is not a statement this server runs: the query ends with its ERR.
    expect((await readReply()).error?.code).toBe(1064);
    c.write(command(0x0e));
    const ping = await c.read();
    expect(ping!.seq).toBe(1);
    expect(ping!.payload.readUInt16LE(3) & MORE_RESULTS_EXISTS).toBe(0);
  });

  it('ignores blanks and comments after the last semicolon', async () => {
    c = await RawClient.connect(server.port);
    await c.login('testuser', 'testpass', BASE_CAPS | MULTI_STATEMENTS);
    c.write(command(COM_QUERY, 'SELECT 1; /* done */ '));
    const only = await readReply();
    expect(only).toMatchObject({ rows: 1 });
    expect(only.status! & MORE_RESULTS_EXISTS).toBe(0);
  });

  it('turns multi-statements on and off with COM_SET_OPTION', async () => {
    c = await RawClient.connect(server.port);
    await c.login('testuser', 'testpass', BASE_CAPS);
    c.write(command(COM_QUERY, 'SELECT 1; SELECT 2'));
    expect((await readReply()).error?.code).toBe(1064);
    c.write(command(COM_SET_OPTION, Buffer.from([0, 0])));
    expect((await c.read())!.payload[0]).toBe(0xfe);
    c.write(command(COM_QUERY, 'SELECT 1; SELECT 2'));
    expect(await readReply()).toMatchObject({ rows: 1 });
    expect(await readReply()).toMatchObject({ rows: 1 });
    c.write(command(COM_SET_OPTION, Buffer.from([1, 0])));
    expect((await c.read())!.payload[0]).toBe(0xfe);
    c.write(command(COM_QUERY, 'SELECT 1; SELECT 2'));
    expect((await readReply()).error?.code).toBe(1064);
  });
});
