import * as mysql2 from 'mysql2/promise';
import { counters, startTestServer, type TestServer } from '../support/test-app.js';
import {
  BASE_CAPS,
  CLIENT,
  RawClient,
  command,
  greetingSalt,
  loginPacket,
  parseErr,
  scramble,
  type RawPacket,
} from '../support/raw-client.js';
import { ColumnFlag } from '../../lib/protocol/constants.js';

const COM_QUERY = 3;
const MiB = 1024 * 1024;

let server: TestServer;
/** A server whose max_allowed_packet is 1 MiB, for the reply bounds. */
let small: TestServer;
beforeAll(async () => {
  [server, small] = await Promise.all([startTestServer(), startTestServer({ maxPacketSize: MiB })]);
});
afterAll(() => Promise.all([server.close(), small.close()]));

const connect = (port = server.port) =>
  mysql2.createConnection({ host: '127.0.0.1', port, user: 'testuser', password: 'testpass' });

/** The first row of a CALL's first result set. */
async function callRow<T>(c: mysql2.Connection, sql: string, args: unknown[] = []): Promise<T> {
  const [sets] = (await c.query(sql, args)) as unknown as [T[][]];
  return sets[0]![0]!;
}

async function loggedIn(port = server.port): Promise<RawClient> {
  const c = await RawClient.connect(port);
  const { reply } = await c.login();
  expect(reply?.payload[0]).toBe(0);
  return c;
}

/**
 * Reads a CALL's reply with one result set (classic EOFs) to its final OK or
 * ERR, checking sequence ids; returns the row payloads and the last packet.
 */
async function readOneResultSet(
  c: RawClient,
  first?: RawPacket,
): Promise<{ rows: Buffer[]; last: RawPacket }> {
  const rows: Buffer[] = [];
  let seq = 1;
  let eofs = 0;
  let columns = -1;
  let p = first ?? (await c.read(20000))!;
  for (; ; p = (await c.read(20000))!) {
    if (p.seq !== (seq & 0xff)) throw new Error(`sequence id ${p.seq}, expected ${seq & 0xff}`);
    seq++;
    const kind = p.payload[0];
    if (kind === 0xff) return { rows, last: p };
    if (columns < 0) {
      if (kind === 0x00) return { rows, last: p };
      columns = kind!;
    } else if (kind === 0xfe && p.payload.length < 9) {
      eofs++;
    } else if (kind === 0x00 && eofs === 2) {
      return { rows, last: p };
    } else if (eofs === 1) {
      rows.push(p.payload);
    }
  }
}

/** Polls until `read()` stops changing (the producer has stopped), at most `ms`. */
async function settled(read: () => number, ms = 3000): Promise<number> {
  let last = -1;
  let stable = 0;
  for (const end = Date.now() + ms; Date.now() < end && stable < 3;) {
    await new Promise((r) => setTimeout(r, 50));
    const now = read();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return last;
}

describe('fairness: a large result is encoded in slices', () => {
  it('runs another connection’s call while a 100,000-row result is still being encoded', async () => {
    const n = 100_000;
    const b = await connect();
    const a = await loggedIn();
    counters.cellsRead = 0;
    a.write(command(COM_QUERY, `CALL tracked_rows(${n})`));
    // The first bytes of A's reply: its columns are typed, its rows not yet all written.
    const first = (await a.read(20000))!;
    a.socket.pause();
    const during = (await callRow<{ n: number }>(b, 'CALL cells_read()')).n;
    a.socket.resume();
    const { rows, last } = await readOneResultSet(a, first);
    expect(rows).toHaveLength(n);
    expect(last.payload[0]).toBe(0);
    // B's call ran while A's rows were still being read out of the handler's array.
    expect(during).toBeGreaterThan(0);
    expect(during).toBeLessThan(counters.cellsRead);
    a.close();
    await b.end();
  });
});

describe('reply bounds: no packet beyond max_allowed_packet', () => {
  it('answers ERR 1153 for a handler row larger than max_allowed_packet and keeps the session', async () => {
    const c = await connect(small.port);
    await expect(c.query('CALL big_result(?)', [MiB + 10])).rejects.toMatchObject({
      errno: 1153,
      sqlState: '08S01',
      message: "Got a packet bigger than 'max_allowed_packet' bytes",
    });
    const ok = await callRow<{ data: string }>(c, 'CALL big_result(1000)');
    expect(ok.data).toHaveLength(1000);
    await c.end();
  });

  it('answers ERR 1153 for SELECT @a, @a, @a beyond max_allowed_packet instead of one huge row', async () => {
    const c = await connect(small.port);
    const value = 'v'.repeat(400 * 1024);
    await c.query(`SET @a = '${value}'`);
    const [[one]] = (await c.query('SELECT @a')) as unknown as [[Record<string, string>]];
    expect(one!['@a']).toHaveLength(value.length);
    await expect(c.query('SELECT @a, @a, @a')).rejects.toMatchObject({ errno: 1153 });
    const [[again]] = (await c.query('SELECT 1 AS x')) as unknown as [[{ x: number }]];
    expect(again!.x).toBe(1);
    await c.end();
  });

  it('answers ERR 1153 in place of a streamed row larger than max_allowed_packet', async () => {
    const c = await connect(small.port);
    await expect(c.query('CALL stream_rows(3, ?)', [MiB + 1])).rejects.toMatchObject({
      errno: 1153,
    });
    const [rows] = (await c.query('CALL stream_rows(2, 10)')) as unknown as [unknown[][]];
    expect(rows[0]).toHaveLength(2);
    await c.end();
  });
});

describe('statement limits', () => {
  it('answers ERR 1117 for a SELECT of more than 4096 items, and ERR 1318 for a CALL of more than 65,535 arguments', async () => {
    const c = await connect();
    await expect(c.query('SELECT ' + Array(5000).fill('1').join(','))).rejects.toMatchObject({
      errno: 1117,
      sqlState: '42000',
      message: 'Too many columns',
    });
    const [cols] = (await c.query('SELECT ' + Array(4096).fill('1').join(','), [])) as unknown as [
      unknown[],
    ];
    expect(cols).toHaveLength(1);
    await expect(
      c.query('CALL myadd(' + Array(70000).fill('1').join(',') + ')'),
    ).rejects.toMatchObject({
      errno: 1318,
      sqlState: '42000',
      message:
        'Incorrect number of arguments for PROCEDURE rpc.myadd; expected at most 65535, got 70000',
    });
    expect(await callRow(c, 'CALL myadd(2, 3)')).toEqual({ sum: 5 });
    await c.end();
  });
});

describe('MysqlResultStream', () => {
  it('streams rows of an async generator, a generator and an Observable with declared columns', async () => {
    const c = await connect();
    for (const proc of ['stream_rows', 'stream_sync', 'stream_observable']) {
      const [sets, fields] = (await c.query(`CALL ${proc}(20000)`)) as unknown as [
        Array<Array<{ n: number; pad: string }>>,
        Array<Array<{ name: string; columnType: number; flags: number }>>,
      ];
      const rows = sets[0]!;
      expect(rows).toHaveLength(20000);
      expect(rows[0]!.n).toBe(1);
      expect(rows[19999]!.n).toBe(20000);
      expect(fields[0]!.map((f) => [f.name, f.columnType])).toEqual([
        ['n', 8],
        ['pad', 253],
      ]);
      // Declared, not inferred: a streamed column never claims NOT NULL.
      expect(fields[0]![0]!.flags & ColumnFlag.NOT_NULL).toBe(0);
    }
    await c.end();
  });

  it('pauses the source while the client does not read, and resumes it', async () => {
    const n = 100_000;
    const pad = 400;
    const a = await loggedIn();
    counters.generated = 0;
    a.write(command(COM_QUERY, `CALL stream_rows(${n}, ${pad})`));
    const first = (await a.read(20000))!;
    a.socket.pause();
    const produced = await settled(() => counters.generated);
    // 40 MB of rows against the few MB the kernel buffers: the source stopped.
    expect(produced).toBeLessThan(n / 2);
    a.socket.resume();
    const { rows, last } = await readOneResultSet(a, first);
    expect(rows).toHaveLength(n);
    expect(last.payload[0]).toBe(0);
    expect(counters.generated).toBe(n);
    a.close();
  });

  it('closes the source when the client goes away mid-stream, and the connection is released', async () => {
    const a = await loggedIn();
    const closedBefore = counters.streamsClosed;
    const openBefore = server.strategy.stats.connectionsOpen;
    a.write(command(COM_QUERY, 'CALL stream_rows(1000000, 100)'));
    await a.read(20000);
    a.close();
    expect(await settled(() => counters.streamsClosed)).toBe(closedBefore + 1);
    expect(server.strategy.stats.connectionsOpen).toBe(openBefore - 1);
  });

  it('ends with the source’s MysqlError, or a generic ERR that leaks nothing, after the rows so far', async () => {
    const c = await connect();
    await expect(c.query("CALL stream_fail('mysql')")).rejects.toMatchObject({
      errno: 1146,
      sqlState: '42S02',
      message: "Table 'rpc.x' doesn't exist",
    });
    const generic = await c.query("CALL stream_fail('crash')").catch((e: Error) => e);
    expect(generic).toMatchObject({ errno: 1644, sqlState: '45000' });
    expect(String((generic as Error).message)).not.toContain('secret');
    await expect(c.query('CALL stream_observable_fail()')).rejects.toMatchObject({
      errno: 1146,
    });
    expect(await callRow(c, 'CALL myadd(1, 2)')).toEqual({ sum: 3 });
    await c.end();
  });

  it('may be one of several result sets of a call', async () => {
    const c = await connect();
    const [sets] = (await c.query('CALL stream_then_rows()')) as unknown as [unknown[][]];
    expect(sets[0]).toEqual([
      { n: 1, pad: 'p' },
      { n: 2, pad: 'p' },
    ]);
    expect(sets[1]).toEqual([{ after: 'yes' }]);
    await c.end();
  });

  it('ends an Observable that outruns a client not reading with ERR 1161, bounding what is buffered', async () => {
    const a = await loggedIn();
    // 40,000 rows of ~1 KiB: about 40 MiB produced at once, past the 16 MiB backlog.
    a.write(command(COM_QUERY, 'CALL stream_observable(40000, 1000)'));
    const first = (await a.read(20000))!;
    a.socket.pause();
    await new Promise((r) => setTimeout(r, 200));
    a.socket.resume();
    const { rows, last } = await readOneResultSet(a, first);
    expect(rows.length).toBeLessThan(40000);
    expect(parseErr(last.payload)).toEqual({
      code: 1161,
      sqlState: '08S01',
      message: 'Got timeout writing communication packets',
    });
    a.write(command(COM_QUERY, 'CALL myadd(2, 2)'));
    const after = await readOneResultSet(a);
    expect(after.rows).toHaveLength(1);
    a.close();
  });
});

describe('login', () => {
  it('clips a long user name to 32 characters, as MySQL does, in ERR 1045', async () => {
    const c = await RawClient.connect(server.port);
    const greeting = (await c.read())!;
    const user = 'u'.repeat(30) + 'é😀' + 'x'.repeat(500);
    const auth = scramble('nope', greetingSalt(greeting.payload));
    c.write(loginPacket({ user, auth, caps: BASE_CAPS | CLIENT.PLUGIN_AUTH }));
    const reply = (await c.read())!;
    expect(parseErr(reply.payload)).toEqual({
      code: 1045,
      sqlState: '28000',
      message: `Access denied for user '${'u'.repeat(30)}é😀'@'127.0.0.1' (using password: YES)`,
    });
    c.close();
  });
});
