import * as mariadb from 'mariadb';
import * as mysql2 from 'mysql2/promise';
import { startTestServer, type TestServer } from '../support/test-app.js';
import { BASE_CAPS, command, parseErr, RawClient, type RawPacket } from '../support/raw-client.js';

/**
 * Prepared statements (COM_STMT_*) and the binary protocol, with the two
 * npm drivers that use them (mysql2's execute(), mariadb's execute()) and
 * a byte-level client for what drivers never send.
 */

const COM = {
  PING: 0x0e,
  STMT_PREPARE: 0x16,
  STMT_EXECUTE: 0x17,
  STMT_SEND_LONG_DATA: 0x18,
  STMT_CLOSE: 0x19,
  STMT_RESET: 0x1a,
  STMT_FETCH: 0x1c,
} as const;
const PS_MULTI_RESULTS = 0x40000;
const CAPS = BASE_CAPS | PS_MULTI_RESULTS;
const CURSOR_READ_ONLY = 0x01;
const STATUS = { CURSOR_EXISTS: 0x0040, LAST_ROW_SENT: 0x0080 } as const;
const TYPE = { LONGLONG: 0x08, VAR_STRING: 0xfd, BLOB: 0xfc, DOUBLE: 0x05, NULL: 0x06 } as const;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const connectOptions = () => ({
  host: '127.0.0.1',
  port: server.port,
  user: 'testuser',
  password: 'testpass',
  supportBigNumbers: true,
  bigNumberStrings: true,
  dateStrings: true,
});

/** Every cell as text (binary as hex), so both protocols compare alike. */
const cells = (rows: unknown): Array<Record<string, string | null>> =>
  (rows as Array<Record<string, unknown>>).map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [
        k,
        v === null
          ? null
          : Buffer.isBuffer(v)
            ? 'hex:' + v.toString('hex')
            : typeof v === 'object'
              ? JSON.stringify(v)
              : String(v),
      ]),
    ),
  );

/** The row sets of a CALL's result, without its final OK. */
const sets = (result: unknown) =>
  (result as unknown[]).filter((part) => Array.isArray(part)).map((rows) => cells(rows));

describe('mysql2 execute()', () => {
  let conn: mysql2.Connection;
  beforeAll(async () => {
    conn = await mysql2.createConnection(connectOptions());
  });
  afterAll(() => conn.end());

  it('runs CALL myadd(?, ?) through the binary protocol', async () => {
    const [result] = await conn.execute('CALL myadd(?, ?)', [3, 4]);
    expect(sets(result)).toEqual([[{ sum: '7' }]]);
  });

  it('runs the same statement again with other values', async () => {
    for (const [a, b] of [
      [1, 2],
      [-5, 5],
      [2.5, 0.25],
    ]) {
      const [result] = await conn.execute('CALL myadd(?, ?)', [a, b]);
      expect(sets(result)).toEqual([[{ sum: String(a! + b!) }]]);
    }
  });

  it('decodes each parameter type as the handler sees it', async () => {
    const [result] = await conn.execute('CALL inspect(?, ?, ?, ?, ?, ?)', [
      42,
      -7,
      1.5,
      'héllo 😀',
      null,
      Buffer.from([0, 1, 254, 255]),
    ]);
    expect(sets(result)[0]!.map((r) => [r.type, r.value])).toEqual([
      ['number', '42'],
      ['number', '-7'],
      ['number', '1.5'],
      ['string', 'héllo 😀'],
      ['null', null],
      ['buffer', '0001feff'],
    ]);
  });

  it('returns every column type in binary rows as the text protocol does', async () => {
    const [text] = await conn.query('CALL types()');
    const [binary] = await conn.execute('CALL types()');
    expect(sets(binary)).toEqual(sets(text));
  });

  it('returns several result sets, then the final OK', async () => {
    const [text] = await conn.query('CALL multi()');
    const [binary] = await conn.execute('CALL multi()');
    expect(sets(binary)).toEqual(sets(text));
    expect(sets(binary).length).toBeGreaterThan(1);
  });

  it('answers unknown and denied procedures with their codes at prepare', async () => {
    await expect(conn.execute('CALL nosuch(?)', [1])).rejects.toMatchObject({
      errno: 1305,
      sqlState: '42000',
      sqlMessage: 'PROCEDURE rpc.nosuch does not exist',
    });
    await expect(conn.execute('CALL other.myadd(?, ?)', [1, 2])).rejects.toMatchObject({
      errno: 1370,
      sqlState: '42000',
    });
  });

  it("keeps a handler's MySQL error", async () => {
    const [text] = await conn.query('CALL mysql_error()').then(
      () => [null],
      (e: { errno: number; sqlState: string }) => [e],
    );
    await expect(conn.execute('CALL mysql_error()')).rejects.toMatchObject({
      errno: text!.errno,
      sqlState: text!.sqlState,
    });
  });

  it("announces a session statement's result columns at prepare, as MySQL does", async () => {
    // A text of its own: mysql2 keeps prepared statements by text, and close() does not forget them.
    const statement = await conn.prepare('SELECT @@version_comment AS comment, 2 AS two');
    const info = (statement as unknown as { statement: { columns: Array<{ name: string }> } })
      .statement;
    expect(info.columns.map((c) => c.name)).toEqual(['comment', 'two']);
  });

  it('prepares session statements too', async () => {
    const [rows] = await conn.execute('SELECT @@version_comment AS c, 1 AS one');
    expect(cells(rows)).toEqual([{ c: 'nestjs-mysql-rpc', one: '1' }]);
  });
});

describe('mariadb execute()', () => {
  let conn: mariadb.Connection;
  beforeAll(async () => {
    conn = await mariadb.createConnection({
      ...connectOptions(),
      bigIntAsNumber: false,
      checkDuplicate: false,
    } as mariadb.ConnectionConfig);
  });
  afterAll(() => conn.end());

  it('runs CALL myadd(?, ?)', async () => {
    const result = await conn.execute('CALL myadd(?, ?)', [3, 4]);
    expect(sets(result)).toEqual([[{ sum: '7' }]]);
  });

  it('returns every column type in binary rows as the text protocol does', async () => {
    const text = await conn.query('CALL types()');
    const binary = await conn.execute('CALL types()');
    expect(sets(binary)).toEqual(sets(text));
  });

  it("keeps the raw bytes of the _binary'...' literals its text protocol sends", async () => {
    const bytes = Buffer.from([0x00, 0xff, 0x27, 0x5c, 0x80, 0xc3, 0x28, 0xed, 0xa0, 0x80]);
    const text = await conn.query('CALL inspect(?, ?)', [bytes, 'é😀']);
    expect(sets(text)[0]!.map((r) => [r.type, r.value])).toEqual([
      ['buffer', bytes.toString('hex')],
      ['string', 'é😀'],
    ]);
  });

  it('decodes a bigint beyond 2^53 exactly', async () => {
    const result = await conn.execute('CALL inspect(?)', [9007199254740993n]);
    expect(sets(result)[0]!.map((r) => [r.type, r.value])).toEqual([
      ['bigint', '9007199254740993'],
    ]);
  });
});

// ---- byte level ----------------------------------------------------------------

/** Reads packets up to and including the end of a PREPARE_OK. */
async function prepare(c: RawClient, sql: string) {
  c.write(command(COM.STMT_PREPARE, sql));
  const first = (await c.read())!;
  if (first.payload[0] === 0xff) return { error: parseErr(first.payload) };
  const p = first.payload;
  const id = p.readUInt32LE(1);
  const columns = p.readUInt16LE(5);
  const params = p.readUInt16LE(7);
  const definitions: RawPacket[] = [];
  // Classic EOFs (no DEPRECATE_EOF in CAPS): each list is followed by one.
  for (const n of [params, columns]) {
    if (n === 0) continue;
    for (let i = 0; i < n; i++) definitions.push((await c.read())!);
    expect((await c.read())!.payload[0]).toBe(0xfe);
  }
  return { id, columns, params, definitions };
}

/** A COM_STMT_EXECUTE payload binding `values` with `types` (null types: not bound again). */
function execute(
  id: number,
  values: Array<Buffer | null>,
  types: number[] | null,
  flags = 0,
): Buffer {
  const head = Buffer.alloc(10);
  head[0] = COM.STMT_EXECUTE;
  head.writeUInt32LE(id, 1);
  head[5] = flags;
  head.writeUInt32LE(1, 6);
  if (values.length === 0) return head;
  const bitmap = Buffer.alloc((values.length + 7) >> 3);
  values.forEach((v, i) => {
    if (v === null) bitmap[i >> 3]! |= 1 << (i & 7);
  });
  const parts: Buffer[] = [head, bitmap, Buffer.from([types ? 1 : 0])];
  if (types) for (const t of types) parts.push(Buffer.from([t, 0]));
  for (const v of values) if (v !== null) parts.push(v);
  return Buffer.concat(parts);
}

const lenenc = (s: string | Buffer): Buffer => {
  const b = Buffer.from(s);
  if (b.length >= 0xfb) throw new Error('short strings only');
  return Buffer.concat([Buffer.from([b.length]), b]);
};
const int64 = (n: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(n);
  return b;
};
const frameOf = (payload: Buffer) => {
  const h = Buffer.alloc(4);
  h.writeUIntLE(payload.length, 0, 3);
  return Buffer.concat([h, payload]);
};

/** Reads a whole result (sets of raw rows) up to the final OK or ERR. */
async function readResult(c: RawClient) {
  const rows: Buffer[][] = [];
  for (;;) {
    const head = (await c.read())!.payload;
    if (head[0] === 0x00) return { rows, ok: head };
    if (head[0] === 0xff) return { rows, error: parseErr(head) };
    const n = head[0]!;
    for (let i = 0; i < n; i++) await c.read();
    await c.read(); // EOF after the definitions
    const set: Buffer[] = [];
    for (;;) {
      const p = (await c.read())!.payload;
      if (p[0] === 0xfe && p.length < 9) break;
      if (p[0] === 0xff) return { rows, error: parseErr(p) };
      set.push(p);
    }
    rows.push(set);
  }
}

describe('COM_STMT_* at the byte level', () => {
  let c: RawClient;
  beforeEach(async () => {
    c = await RawClient.connect(server.port);
    const { reply } = await c.login('testuser', 'testpass', CAPS);
    expect(reply!.payload[0]).toBe(0x00);
  });
  afterEach(() => c.close());

  it('answers PREPARE_OK with the placeholder count and no columns for a CALL', async () => {
    const p = await prepare(c, 'CALL myadd(?, 5)');
    expect(p).toMatchObject({ columns: 0, params: 1 });
  });

  it('announces no columns, and sends nothing else, for a session statement that would fail', async () => {
    const p = await prepare(c, 'SELECT @@no_such_variable');
    expect(p).toMatchObject({ columns: 0, params: 0 });
    c.write(frameOf(execute(p.id!, [], null)));
    expect((await readResult(c)).error?.code).toBe(1193);
    const ok = await prepare(c, "SHOW VARIABLES LIKE 'version%'");
    expect(ok).toMatchObject({ columns: 2, params: 0 });
  });

  it('runs an execute, then again reusing the bound types', async () => {
    const { id } = await prepare(c, 'CALL inspect(?, ?)');
    c.write(frameOf(execute(id!, [int64(5n), lenenc('x')], [TYPE.LONGLONG, TYPE.VAR_STRING])));
    const first = await readResult(c);
    expect(first.rows[0]).toHaveLength(2);
    c.write(frameOf(execute(id!, [int64(6n), lenenc('yz')], null)));
    const second = await readResult(c);
    expect(second.error).toBeUndefined();
    // Binary row: 0x00, NULL bitmap (3 columns + 2 offset bits: 1 byte), then values.
    expect(second.rows[0]![1]!.includes(Buffer.from('yz'))).toBe(true);
  });

  it('describes declared parameters in PREPARE_OK and returns OUT values flagged PS_OUT_PARAMS', async () => {
    const p = await prepare(c, 'CALL sig_out_return(?, ?, ?)');
    expect(p).toMatchObject({ columns: 0, params: 3 });
    // Column definition: catalog, schema, table, org_table, name, org_name, then 0x0c and the fixed fields.
    const typeOf = (def: RawPacket) => {
      let at = 0;
      for (let i = 0; i < 6; i++) at += 1 + def.payload[at]!;
      return def.payload[at + 1 + 2 + 4]!;
    };
    expect(p.definitions!.map(typeOf)).toEqual([0x03, 0x08, 0xfd]); // INT, BIGINT, VARCHAR
    c.write(
      frameOf(execute(p.id!, [int64(5n), null, null], [TYPE.LONGLONG, TYPE.NULL, TYPE.NULL])),
    );
    // The handler's rows: header, 1 definition, EOF, 2 rows, EOF.
    expect((await c.read())!.payload[0]).toBe(1);
    await c.read();
    await c.read();
    await c.read();
    await c.read();
    expect((await c.read())!.payload[0]).toBe(0xfe);
    // The OUT parameters: header, 2 definitions, EOF flagged, one binary row, EOF flagged.
    expect((await c.read())!.payload[0]).toBe(2);
    await c.read();
    await c.read();
    const metaEof = (await c.read())!.payload;
    expect(metaEof.readUInt16LE(3) & 0x1000).toBe(0x1000);
    const row = (await c.read())!.payload;
    expect(row[0]).toBe(0x00);
    // NULL bitmap (1 byte), s BIGINT = 10, label = 'n5'.
    expect(row.readBigInt64LE(2)).toBe(10n);
    expect(row.subarray(10).toString()).toBe('\x02n5');
    const rowsEof = (await c.read())!.payload;
    expect(rowsEof[0]).toBe(0xfe);
    expect(rowsEof.readUInt16LE(3) & 0x1008).toBe(0x1008);
    const ok = (await c.read())!.payload;
    expect(ok[0]).toBe(0x00);
    expect(ok.readUInt16LE(3) & 0x1008).toBe(0);
  });

  it('refuses a literal in an OUT position of a prepared CALL (ERR 1414)', async () => {
    const p = await prepare(c, 'CALL sig_out_ctx(?, ?, 3)');
    c.write(frameOf(execute(p.id!, [int64(1n), int64(2n)], [TYPE.LONGLONG, TYPE.LONGLONG])));
    expect((await readResult(c)).error).toMatchObject({ code: 1414, sqlState: '42000' });
  });

  it('takes statement id 0xffffffff as the one prepared last (MariaDB pipelining)', async () => {
    await prepare(c, 'CALL myadd(?, 1)');
    c.write(frameOf(execute(0xffffffff, [int64(41n)], [TYPE.LONGLONG])));
    const result = await readResult(c);
    expect(result.error).toBeUndefined();
    expect(result.rows[0]).toHaveLength(1);
  });

  it('refuses an execute without types when none were ever bound', async () => {
    const { id } = await prepare(c, 'CALL inspect(?)');
    c.write(frameOf(execute(id!, [int64(5n)], null)));
    expect((await readResult(c)).error).toEqual({
      code: 1210,
      sqlState: 'HY000',
      message: 'Incorrect arguments to mysqld_stmt_execute',
    });
  });

  it('gives ERR 1243 for an unknown statement id', async () => {
    c.write(frameOf(execute(99, [], null)));
    expect((await readResult(c)).error).toEqual({
      code: 1243,
      sqlState: 'HY000',
      message: 'Unknown prepared statement handler (99) given to mysqld_stmt_execute',
    });
  });

  it('closes a statement without a reply', async () => {
    const { id } = await prepare(c, 'CALL myadd(1, 2)');
    const close = Buffer.alloc(5);
    close[0] = COM.STMT_CLOSE;
    close.writeUInt32LE(id!, 1);
    c.write(frameOf(close));
    c.write(command(COM.PING));
    const next = (await c.read())!;
    expect(next).toMatchObject({ seq: 1 });
    expect(next.payload[0]).toBe(0x00);
    c.write(frameOf(execute(id!, [], null)));
    expect((await readResult(c)).error?.code).toBe(1243);
  });

  it('joins long data sent in pieces, unanswered, and forgets it after a reset', async () => {
    const { id } = await prepare(c, 'CALL inspect(?)');
    for (const piece of ['abc', 'def', 'ghi']) {
      const head = Buffer.alloc(7);
      head[0] = COM.STMT_SEND_LONG_DATA;
      head.writeUInt32LE(id!, 1);
      head.writeUInt16LE(0, 5);
      c.write(frameOf(Buffer.concat([head, Buffer.from(piece)])));
    }
    c.write(frameOf(execute(id!, [Buffer.alloc(0)], [TYPE.VAR_STRING])));
    const joined = await readResult(c);
    expect(joined.rows[0]![0]!.includes(Buffer.from('abcdefghi'))).toBe(true);

    const head = Buffer.alloc(7);
    head[0] = COM.STMT_SEND_LONG_DATA;
    head.writeUInt32LE(id!, 1);
    c.write(frameOf(Buffer.concat([head, Buffer.from('stale')])));
    const reset = Buffer.alloc(5);
    reset[0] = COM.STMT_RESET;
    reset.writeUInt32LE(id!, 1);
    c.write(frameOf(reset));
    expect((await c.read())!.payload[0]).toBe(0x00);
    c.write(frameOf(execute(id!, [lenenc('fresh')], [TYPE.VAR_STRING])));
    const after = await readResult(c);
    expect(after.rows[0]![0]!.includes(Buffer.from('fresh'))).toBe(true);
    expect(after.rows[0]![0]!.includes(Buffer.from('stale'))).toBe(false);
  });

  it('reports long data for a parameter that does not exist at the execute', async () => {
    const { id } = await prepare(c, 'CALL inspect(?)');
    const head = Buffer.alloc(7);
    head[0] = COM.STMT_SEND_LONG_DATA;
    head.writeUInt32LE(id!, 1);
    head.writeUInt16LE(3, 5);
    c.write(frameOf(Buffer.concat([head, Buffer.from('x')])));
    c.write(frameOf(execute(id!, [int64(1n)], [TYPE.LONGLONG])));
    expect((await readResult(c)).error).toEqual({
      code: 1210,
      sqlState: 'HY000',
      message: 'Incorrect arguments to mysqld_stmt_send_long_data',
    });
    // Reported once: the next execute runs.
    c.write(frameOf(execute(id!, [int64(2n)], [TYPE.LONGLONG])));
    const next = await readResult(c);
    expect(next.error).toBeUndefined();
    expect(next.rows[0]).toHaveLength(1);
  });

  it('has no cursor to fetch from without one, nor for a CALL (as MySQL)', async () => {
    const { id } = await prepare(c, 'CALL myadd(1, 2)');
    const fetch = Buffer.alloc(9);
    fetch[0] = COM.STMT_FETCH;
    fetch.writeUInt32LE(id!, 1);
    fetch.writeUInt32LE(10, 5);
    c.write(frameOf(fetch));
    expect(parseErr((await c.read())!.payload)).toEqual({
      code: 1421,
      sqlState: 'HY000',
      message: `The statement (${id}) has no open cursor.`,
    });
    // A cursor asked for a CALL: the rows come at once, and still no cursor.
    c.write(frameOf(execute(id!, [], null, CURSOR_READ_ONLY)));
    expect((await readResult(c)).rows).toHaveLength(1);
    c.write(frameOf(fetch));
    expect(parseErr((await c.read())!.payload).code).toBe(1421);
  });

  it("keeps a session statement's rows in a read-only cursor for COM_STMT_FETCH", async () => {
    const { id } = await prepare(c, "SHOW VARIABLES LIKE 'character_set_%'");
    c.write(frameOf(execute(id!, [], null, CURSOR_READ_ONLY)));
    // Column count, 2 definitions, then one end marker flagged CURSOR_EXISTS and no rows.
    expect((await c.read())!.payload[0]).toBe(2);
    await c.read();
    await c.read();
    const opened = (await c.read())!.payload;
    expect(opened[0]).toBe(0xfe);
    expect(opened.readUInt16LE(3) & STATUS.CURSOR_EXISTS).toBe(STATUS.CURSOR_EXISTS);
    const fetch = (rows: number) => {
      const p = Buffer.alloc(9);
      p[0] = COM.STMT_FETCH;
      p.writeUInt32LE(id!, 1);
      p.writeUInt32LE(rows, 5);
      c.write(frameOf(p));
    };
    /** Reads binary rows up to the end marker; returns them and its status. */
    const fetched = async () => {
      const rows: Buffer[] = [];
      for (;;) {
        const p = (await c.read())!.payload;
        if (p[0] === 0xfe && p.length < 9) return { rows, status: p.readUInt16LE(3) };
        expect(p[0]).toBe(0x00);
        rows.push(p);
      }
    };
    fetch(2);
    const first = await fetched();
    expect(first.rows).toHaveLength(2);
    expect(first.status & STATUS.CURSOR_EXISTS).toBe(STATUS.CURSOR_EXISTS);
    expect(first.rows[0]!.includes(Buffer.from('character_set_'))).toBe(true);
    fetch(1000);
    const rest = await fetched();
    expect(rest.rows.length).toBeGreaterThan(0);
    expect(rest.status & STATUS.LAST_ROW_SENT).toBe(STATUS.LAST_ROW_SENT);
    // The cursor closed with its last row.
    fetch(1);
    expect(parseErr((await c.read())!.payload).code).toBe(1421);
  });

  it('refuses more than 65,535 placeholders with ERR 1390', async () => {
    const sql = `CALL myadd(${new Array(65536).fill('?').join(',')})`;
    expect((await prepare(c, sql)).error).toEqual({
      code: 1390,
      sqlState: '42000',
      message: 'Prepared statement contains too many placeholders',
    });
  });

  it('answers a truncated execute with ERR 1210 and keeps the connection', async () => {
    const { id } = await prepare(c, 'CALL inspect(?)');
    const whole = execute(id!, [int64(5n)], [TYPE.LONGLONG]);
    c.write(frameOf(whole.subarray(0, whole.length - 3)));
    expect((await readResult(c)).error?.code).toBe(1210);
    c.write(command(COM.PING));
    expect((await c.read())!.payload[0]).toBe(0x00);
  });

  it('needs MULTI_RESULTS for a prepared CALL that returns rows (ERR 1312)', async () => {
    const plain = await RawClient.connect(server.port);
    await plain.login('testuser', 'testpass', BASE_CAPS & ~0x20000);
    const { id } = await prepare(plain, 'CALL myadd(1, 2)');
    plain.write(frameOf(execute(id!, [], null)));
    expect((await readResult(plain)).error).toEqual({
      code: 1312,
      sqlState: '0A000',
      message: "PROCEDURE rpc.myadd can't return a result set in the given context",
    });
    plain.close();
  });
});

describe('max_prepared_stmt_count', () => {
  let small: TestServer;
  let c: RawClient;
  beforeAll(async () => {
    small = await startTestServer({ maxPreparedStatements: 4 });
  });
  afterAll(() => small.close());
  beforeEach(async () => {
    c = await RawClient.connect(small.port);
    await c.login('testuser', 'testpass', CAPS);
  });
  afterEach(() => c.close());

  it('caps prepared statements at max_prepared_stmt_count (ERR 1461)', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push((await prepare(c, 'CALL myadd(?, ?)')).id!);
    expect((await prepare(c, 'CALL myadd(?, ?)')).error).toEqual({
      code: 1461,
      sqlState: '42000',
      message: "Can't create more than max_prepared_stmt_count statements (current value: 4)",
    });
    const close = Buffer.alloc(5);
    close[0] = COM.STMT_CLOSE;
    close.writeUInt32LE(ids[0]!, 1);
    c.write(frameOf(close));
    expect((await prepare(c, 'CALL myadd(?, ?)')).id).toBeGreaterThan(ids[3]!);
  });

  it('gives the slots back when the connection closes', async () => {
    for (let i = 0; i < 4; i++) expect((await prepare(c, 'CALL myadd(?, ?)')).id).toBeDefined();
    c.close();
    await c.waitClosed();
    const other = await RawClient.connect(small.port);
    await other.login('testuser', 'testpass', CAPS);
    // The server frees them when it sees the close; allow it a moment.
    for (let attempt = 0; ; attempt++) {
      const p = await prepare(other, 'CALL myadd(?, ?)');
      if (p.id !== undefined || attempt > 50) {
        expect(p.id).toBeDefined();
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    other.close();
  });
});
