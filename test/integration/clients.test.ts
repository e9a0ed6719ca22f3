import { startTestServer, type TestServer } from '../support/test-app.js';
import { CLIENTS, expectClientError, type TestClient } from '../support/clients.js';

/** Compares values across drivers: every cell as text, NULL as null, binary as hex. */
const text = (row: Record<string, unknown>): Record<string, string | null> =>
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
  );

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe.each(CLIENTS)('with the %s client', (_name, connect) => {
  let client: TestClient;
  beforeAll(async () => {
    client = await connect({ port: server.port });
  });
  afterAll(() => client.close());

  const inspect = async (args: string) => {
    const out = await client.query(`CALL inspect(${args})`);
    return out.sets[0]!.map((r) => {
      const t = text(r);
      return [t.type, t.value];
    });
  };

  it('runs CALL myadd(3, 4) and reads sum = 7', async () => {
    const out = await client.query('CALL myadd(3, 4)');
    expect(out.sets.map((s) => s.map(text))).toEqual([[{ sum: '7' }]]);
    expect(out.ok).toEqual({ affectedRows: 0, insertId: expect.anything() });
  });

  it('accepts every CALL spelling', async () => {
    for (const sql of [
      'call MyAdd(1,2)',
      'CALL rpc.myadd(1, 2)',
      'CALL `myadd`(1,2);',
      '  /* c */ CALL -- x\n myadd ( 1 , # y\n 2 ) ; ',
      'CALL `rpc` . `MYADD`(1,2)',
    ]) {
      expect((await client.query(sql)).sets[0]!.map(text)).toEqual([{ sum: '3' }]);
    }
    expect((await client.query('CALL nothing')).sets).toEqual([]);
    expect((await client.query('CALL nothing()')).sets).toEqual([]);
    expect((await client.query('call mixedcase()')).sets[0]!.map(text)).toEqual([{ ok: '1' }]);
  });

  it('passes every literal form to the handler with its exact type', async () => {
    expect(
      await inspect(
        '42, -7, 9007199254740991, 9007199254740993, -9223372036854775808, 18446744073709551615, 1.5, -2.5e-3, .5, 1E3',
      ),
    ).toEqual([
      ['number', '42'],
      ['number', '-7'],
      ['number', '9007199254740991'],
      ['bigint', '9007199254740993'],
      ['bigint', '-9223372036854775808'],
      ['bigint', '18446744073709551615'],
      ['number', '1.5'],
      ['number', '-0.0025'],
      ['number', '0.5'],
      ['number', '1000'],
    ]);
    expect(
      await inspect(
        String.raw`'it''s', "say ""hi""", 'a\nb\tc\\d\'e\0f\Zg', 'con' "cat", N'nat', _utf8mb4'intro', _binary'bin', X'00ff', 0x0A0b, b'101', NULL, \N, TRUE, false`,
      ),
    ).toEqual([
      ['string', "it's"],
      ['string', 'say "hi"'],
      ['string', "a\nb\tc\\d'e\0f\x1ag"],
      ['string', 'concat'],
      ['string', 'nat'],
      ['string', 'intro'],
      ['buffer', Buffer.from('bin').toString('hex')],
      ['buffer', '00ff'],
      ['buffer', '0a0b'],
      ['buffer', '05'],
      ['null', null],
      ['null', null],
      ['boolean', 'true'],
      ['boolean', 'false'],
    ]);
  });

  it('round-trips unicode, including 4-byte characters, both ways', async () => {
    const s = 'héllo wörld — 日本語 😀🎉 𝄞';
    const out = await client.query(`CALL echo('${s}')`);
    expect(out.sets[0]!.map(text)).toEqual([{ result: s }]);
    const row = await client.query(`CALL echo_row('😀', NULL, 'x')`);
    expect(row.sets[0]!.map(text)).toEqual([{ c0: '😀', c1: null, c2: 'x' }]);
  });

  it('returns each JS type as its MySQL column type', async () => {
    const out = await client.query('CALL types()');
    const row = text(out.sets[0]![0]!);
    expect(row).toMatchObject({
      int: '42',
      dbl: '1.5',
      big: '9007199254740993',
      ubig: '18446744073709551615',
      str: 'héllo 😀',
      bool: '1',
      buf: 'hex:0001feff',
      nul: null,
    });
    expect(row.date).toMatch(/^2026-11-2\d \d\d:\d\d:56\.789$/);
    expect(
      JSON.parse(
        typeof out.sets[0]![0]!.json === 'string'
          ? (out.sets[0]![0]!.json as string)
          : JSON.stringify(out.sets[0]![0]!.json),
      ),
    ).toEqual({ a: [1, 'x', null], b: { c: true } });
  });

  it('returns 64-bit edges exactly', async () => {
    for (const v of [
      '9223372036854775807',
      '-9223372036854775808',
      '18446744073709551615',
      '0',
      '-1',
    ]) {
      const out = await client.query(`CALL echo(${v})`);
      expect(text(out.sets[0]![0]!)).toEqual({ result: v });
    }
  });

  it('infers a column type over all rows, not the first', async () => {
    const out = await client.query('CALL mixed()');
    expect(out.sets[0]!.map(text)).toEqual([{ v: '1' }, { v: '2.5' }, { v: null }]);
  });

  it('returns 10,000 rows', async () => {
    const out = await client.query('CALL make_rows(10000)');
    expect(out.sets).toHaveLength(1);
    const rows = out.sets[0]!;
    expect(rows).toHaveLength(10000);
    expect(text(rows[9999]!)).toEqual({
      id: '9999',
      name: 'name-9999',
      ratio: '2499.75',
      odd: '1',
    });
  });

  it('returns several result sets, then the final OK with affected rows', async () => {
    const out = await client.query('CALL multi()');
    expect(out.sets.map((s) => s.map(text))).toEqual([[{ a: '1' }, { a: '2' }], [{ b: 'x' }]]);
    expect(out.ok?.affectedRows).toBe(3);
    const later = await client.query('CALL multi_async()');
    expect(later.sets.map((s) => s.map(text))).toEqual([[{ first: '1' }], [{ second: '2' }]]);
  });

  it('returns an explicit OK, explicit and empty result sets, and scalars', async () => {
    const ok = await client.query('CALL ok_info()');
    expect(ok.sets).toEqual([]);
    expect(ok.ok).toMatchObject({ affectedRows: 5 });
    expect(String(ok.ok?.insertId)).toBe('77');
    expect((await client.query('SELECT LAST_INSERT_ID()')).sets[0]!.map(text)).toEqual([
      { 'LAST_INSERT_ID()': '77' },
    ]);
    const empty = await client.query('CALL empty_set()');
    expect(empty.sets).toEqual([[]]);
    const declared = await client.query('CALL declared()');
    expect(declared.sets[0]!.map(text)).toEqual([
      { d: expect.stringMatching(/^2026-01-0[12]/), n: '12.50', u: '7' },
    ]);
    expect((await client.query('CALL scalar()')).sets[0]!.map(text)).toEqual([
      { result: 'just text' },
    ]);
    expect((await client.query('CALL nothing()')).sets).toEqual([]);
  });

  it('answers a missing procedure with ERR 1305', async () => {
    expect(await expectClientError(client.query('CALL nosuch(1)'))).toEqual({
      errno: 1305,
      sqlState: '42000',
      message: 'PROCEDURE rpc.nosuch does not exist',
    });
    // Not covered by testuser's grant on rpc.*: refused before anyone looks.
    expect(await expectClientError(client.query('CALL other.myadd(1, 2)'))).toMatchObject({
      errno: 1370,
      message: "execute command denied to user 'testuser'@'%' for routine 'other.myadd'",
    });
  });

  it('passes MysqlError and RpcException({code, sqlState, message}) through exactly', async () => {
    expect(await expectClientError(client.query('CALL mysql_error()'))).toEqual({
      errno: 1062,
      sqlState: '23000',
      message: "Duplicate entry 'a' for key 'PRIMARY'",
    });
    expect(await expectClientError(client.query('CALL rpc_error()'))).toEqual({
      errno: 1690,
      sqlState: '22003',
      message: 'BIGINT value is out of range',
    });
    expect(await expectClientError(client.query('CALL rpc_text_error()'))).toEqual({
      errno: 1644,
      sqlState: '45000',
      message: 'plain message for the client',
    });
  });

  it('hides other errors behind ERR 1644 and keeps the connection', async () => {
    for (const p of ['crash', 'crash_async', 'circular']) {
      const e = await expectClientError(client.query(`CALL ${p}()`));
      expect(e).toEqual({
        errno: 1644,
        sqlState: '45000',
        message: 'Unhandled user-defined exception condition',
      });
      expect(e.message).not.toMatch(/secret|circular/i);
    }
    expect((await client.query('CALL myadd(1, 1)')).sets[0]!.map(text)).toEqual([{ sum: '2' }]);
  });

  it('sends rows, then the ERR, when a stream fails midway', async () => {
    const e = await expectClientError(client.query('CALL rows_then_error()'));
    expect(e).toMatchObject({ errno: 1146, sqlState: '42S02' });
    expect((await client.query('CALL myadd(1, 1)')).sets[0]!.map(text)).toEqual([{ sum: '2' }]);
  });

  it('runs guarded handlers through Nest guards', async () => {
    expect((await client.query('CALL guarded(2)')).sets[0]!.map(text)).toEqual([{ n: '2' }]);
    const e = await expectClientError(client.query('CALL guarded(3)'));
    expect(e).toEqual({
      errno: 1370,
      sqlState: '42000',
      message: "execute command denied to user 'testuser'@'%' for routine 'rpc.guarded'",
    });
  });

  it('answers syntax errors with ERR 1064 and MySQL text', async () => {
    expect(await expectClientError(client.query('CALL myadd(1,)'))).toEqual({
      errno: 1064,
      sqlState: '42000',
      message:
        "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near ')' at line 1",
    });
    expect((await expectClientError(client.query('CALL myadd(1,\n foo)'))).message).toContain(
      "near 'foo)' at line 2",
    );
    // Only a comment is an empty statement that MySQL answers with OK; nothing at all is 1065.
    expect((await client.query(' /* only a comment */ ')).sets).toEqual([]);
    expect(await expectClientError(client.query(' '))).toEqual({
      errno: 1065,
      sqlState: '42000',
      message: 'Query was empty',
    });
    expect(await expectClientError(client.query('INSERT INTO t VALUES (1)'))).toMatchObject({
      errno: 1064,
      sqlState: '42000',
      message: expect.stringContaining('CALL statements'),
    });
  });

  it('answers the session statements clients send', async () => {
    expect((await client.query('select @@version_comment limit 1')).sets[0]!.map(text)).toEqual([
      { '@@version_comment': 'nestjs-mysql-rpc' },
    ]);
    expect((await client.query('SELECT DATABASE()')).sets[0]!.map(text)).toEqual([
      { 'DATABASE()': null },
    ]);
    expect((await client.query('USE rpc')).ok).not.toBeNull();
    expect((await client.query('SELECT DATABASE()')).sets[0]!.map(text)).toEqual([
      { 'DATABASE()': 'rpc' },
    ]);
    expect(await expectClientError(client.query('USE nope'))).toMatchObject({
      errno: 1049,
      message: "Unknown database 'nope'",
    });
    for (const s of [
      'SET NAMES utf8mb4',
      'SET autocommit=1',
      'START TRANSACTION',
      'COMMIT',
      'BEGIN',
      'ROLLBACK',
    ]) {
      expect((await client.query(s)).ok).not.toBeNull();
    }
    expect((await client.query('SHOW WARNINGS')).sets).toEqual([[]]);
    expect(await expectClientError(client.query('SELECT @@nonexistent_var'))).toMatchObject({
      errno: 1193,
    });
  });

  it('reads user variables set in the session as CALL arguments', async () => {
    await client.query('SET @x = 40, @y = 2, NAMES utf8mb4');
    expect((await client.query('CALL myadd(@x, @Y)')).sets[0]!.map(text)).toEqual([{ sum: '42' }]);
    expect((await client.query('SELECT @x, @nope')).sets[0]!.map(text)).toEqual([
      { '@x': '40', '@nope': null },
    ]);
    // A SET reads every value before assigning any, as MySQL does: @z gets the old @y.
    await client.query('SET @y = 2');
    await client.query('SET @y = 5, @z = @y');
    expect((await client.query('CALL myadd(@y, @z)')).sets[0]!.map(text)).toEqual([{ sum: '7' }]);
    expect((await client.query('SELECT NOW()')).sets[0]!.map(text)).toEqual([
      { 'NOW()': expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) },
    ]);
  });

  it('passes a >16 MiB argument and returns a >16 MiB result (packet splitting)', async () => {
    const n = 17 * 1024 * 1024;
    const arg = await client.query(`CALL arg_length('${'a'.repeat(n)}')`);
    expect(arg.sets[0]!.map(text)).toEqual([{ length: String(n), head: 'aaa' }]);
    const big = await client.query(`CALL big_result(${n})`);
    const data = big.sets[0]![0]!.data as string;
    expect(data.length).toBe(n);
    expect(data.startsWith('xxx') && data.endsWith('xxx')).toBe(true);
  });
});

describe('logins with each client', () => {
  it.each(CLIENTS)(
    '%s: wrong password and unknown user get the same ERR 1045',
    async (_n, connect) => {
      const a = await expectClientError(connect({ port: server.port, password: 'bad' }));
      const b = await expectClientError(connect({ port: server.port, user: 'ghost' }));
      expect(a).toMatchObject({ errno: 1045, sqlState: '28000' });
      expect(b.errno).toBe(1045);
      expect(a.message.replace("'testuser'", "'U'")).toBe(b.message.replace("'ghost'", "'U'"));
    },
  );

  it.each(CLIENTS)('%s: connects with a database and an empty password', async (_n, connect) => {
    const c = await connect({ port: server.port, user: 'nopass', password: '', database: 'rpc' });
    expect((await c.query('CALL whoami()')).sets[0]!.map(text)).toEqual([
      expect.objectContaining({
        user: 'nopass',
        database: 'rpc',
        schema: 'rpc',
        procedure: 'whoami',
        host: '127.0.0.1',
      }),
    ]);
    await c.close();
  });
});
