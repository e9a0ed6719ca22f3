import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { AddressInfo, Server as NetServer } from 'node:net';
import * as mysql2 from 'mysql2/promise';
import { MysqlRpcServer } from '../../lib/index.js';
import { SAMPLE_ACCOUNTS, SAMPLE_ROLES } from '../../sample/accounts.js';
import { AppModule } from '../../sample/app.module.js';
import { CLIENTS, expectClientError, type TestClient } from '../support/clients.js';
import {
  pipelineRuns,
  receivedEvents,
  startTestServer,
  type TestServer,
} from '../support/test-app.js';

/** A row with each cell as its text, so that the clients' number types do not matter. */
const asText = (row: Record<string, unknown>): Record<string, string | null> =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k,
      v === null ? null : Buffer.isBuffer(v) ? v.toString('hex') : String(v),
    ]),
  );

/** Procedures with declared signatures, called by real clients over real sockets. */
describe('signatures', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  describe.each(CLIENTS)('with %s', (_name, connect) => {
    let client: TestClient;
    beforeAll(async () => {
      client = await connect({ port: server.port });
    });
    afterAll(async () => {
      await client.close();
    });

    /** Rows with every cell as text (NULL as null): the three clients type numbers differently. */
    const rows = async (sql: string) => (await client.query(sql)).sets[0]?.map(asText);
    const fails = (sql: string) => expectClientError(client.query(sql));

    it('coerces arguments to the declared types before the handler runs', async () => {
      expect(await rows("CALL sig_add('3', 4.5)")).toEqual([{ sum: '8', types: 'number,number' }]);
    });

    it('answers ERR 1318 for a wrong argument count', async () => {
      expect(await fails('CALL sig_add(1, 2, 3)')).toEqual({
        errno: 1318,
        sqlState: '42000',
        message: 'Incorrect number of arguments for PROCEDURE rpc.sig_add; expected 2, got 3',
      });
      expect((await fails('CALL sig_none(1)')).message).toBe(
        'Incorrect number of arguments for PROCEDURE rpc.sig_none; expected 0, got 1',
      );
      expect(await rows('CALL sig_none()')).toEqual([{ none: '1' }]);
    });

    it.each([
      ["sig_int('abc')", 1366, 'HY000', "Incorrect integer value: 'abc' for column 'a' at row 1"],
      ["sig_int('12abc')", 1265, '01000', "Data truncated for column 'a' at row 1"],
      ['sig_int(2147483648)', 1264, '22003', "Out of range value for column 'a' at row 1"],
      ['sig_utiny(-1)', 1264, '22003', "Out of range value for column 'a' at row 1"],
      [
        'sig_bigint(9223372036854775808)',
        1264,
        '22003',
        "Out of range value for column 'a' at row 1",
      ],
      ["sig_varchar('abcde')", 1406, '22001', "Data too long for column 'b' at row 1"],
      [
        "sig_varchar(x'c328')",
        1366,
        'HY000',
        "Incorrect string value: '\\xC3(' for column 'b' at row 1",
      ],
      ['sig_decimal(1000)', 1264, '22003', "Out of range value for column 'd' at row 1"],
      [
        "sig_decimal('1.5x')",
        1366,
        'HY000',
        "Incorrect decimal value: '1.5x' for column 'd' at row 1",
      ],
      [
        "sig_date('2026-02-30')",
        1292,
        '22007',
        "Incorrect date value: '2026-02-30' for column 'd' at row 1",
      ],
      [
        "sig_datetime('2026-01-02 24:00:00')",
        1292,
        '22007',
        "Incorrect datetime value: '2026-01-02 24:00:00' for column 'd' at row 1",
      ],
      [
        "sig_time('839:00:00')",
        1292,
        '22007',
        "Incorrect time value: '839:00:00' for column 't' at row 1",
      ],
      [
        "sig_json('{bad')",
        3140,
        '22032',
        'Invalid JSON text: "Missing a name for object member." at position 1 in value for column \'j\'.',
      ],
      [
        "sig_json(x'31')",
        3144,
        '22032',
        "Cannot create a JSON value from a string with CHARACTER SET 'binary'.",
      ],
      ['sig_bool(128)', 1264, '22003', "Out of range value for column 'f' at row 1"],
      ["sig_varbinary('abcde')", 1406, '22001', "Data too long for column 'b' at row 1"],
      ["sig_double('x1')", 1265, '01000', "Data truncated for column 'd' at row 1"],
      ['sig_extras(40000)', 1264, '22003', "Out of range value for column 'x' at row 1"],
    ])('CALL %s is ERR %d', async (call, errno, sqlState, message) => {
      expect(await fails(`CALL ${call}`)).toEqual({ errno, sqlState, message });
      // The connection goes on.
      expect(await rows('CALL sig_add(1, 1)')).toEqual([{ sum: '2', types: 'number,number' }]);
    });

    it.each([
      ["sig_int(' 12 ')", { type: 'number', v: '12' }],
      ['sig_int(2.5)', { type: 'number', v: '3' }],
      ['sig_int(-2.5)', { type: 'number', v: '-3' }],
      ["sig_int('1e3')", { type: 'number', v: '1000' }],
      ['sig_int(TRUE)', { type: 'number', v: '1' }],
      ['sig_int(NULL)', { type: 'null', v: null }],
      ['sig_utiny(255)', { type: 'number', v: '255' }],
      ['sig_bigint(9007199254740993)', { type: 'bigint', v: '9007199254740993' }],
      ["sig_bigint('-9223372036854775808')", { type: 'bigint', v: '-9223372036854775808' }],
      ['sig_ubigint(18446744073709551615)', { type: 'bigint', v: '18446744073709551615' }],
      ["sig_varchar('😀é  ')", { type: 'string', v: '😀é  ' }],
      ["sig_varchar('abcd   ')", { type: 'string', v: 'abcd' }],
      ['sig_varchar(12.5)', { type: 'string', v: '12.5' }],
      ['sig_decimal(1.005)', { type: 'string', v: '1.01' }],
      ["sig_decimal('-0.001')", { type: 'string', v: '0.00' }],
      ['sig_decimal(7)', { type: 'string', v: '7.00' }],
      ["sig_date('2026/1/2')", { type: 'string', v: '2026-01-02' }],
      ['sig_date(20260102)', { type: 'string', v: '2026-01-02' }],
      ["sig_datetime('2026-1-2 3:4:5.6789')", { type: 'string', v: '2026-01-02 03:04:05.679' }],
      ["sig_time('-1 2:03:04')", { type: 'string', v: '-26:03:04' }],
      ['sig_bool(5)', { type: 'boolean', v: '1' }],
      ['sig_bool(FALSE)', { type: 'boolean', v: '0' }],
      ["sig_varbinary('ab')", { type: 'buffer', v: '6162' }],
      ['sig_double(1e300)', { type: 'number', v: '1e+300' }],
    ])('CALL %s gives the handler %j', async (call, expected) => {
      expect(await rows(`CALL ${call}`)).toEqual([expected]);
    });

    it('parses a JSON argument for the handler', async () => {
      expect(await rows(`CALL sig_json('{"a": [1, "x", null]}')`)).toEqual([
        { type: 'object', v: '{"a":[1,"x",null]}' },
      ]);
      expect(await rows(`CALL sig_json(3)`)).toEqual([{ type: 'number', v: '3' }]);
    });

    it('passes a named payload, with INOUT and without OUT', async () => {
      await client.query('SET @b = 5');
      await client.query('SET @c = 99');
      expect(await rows('CALL sig_named(2, @b, @c)')).toEqual([
        { payload: '{"a":2,"b":5}', outs: '{"b":5,"c":20}' },
      ]);
      expect(await rows('SELECT @b, @c')).toEqual([{ '@b': '5', '@c': '20' }]);
    });

    it('answers ERR 1414 when an OUT or INOUT argument is not a user variable', async () => {
      expect(await fails('CALL sig_named(2, 3, @c)')).toEqual({
        errno: 1414,
        sqlState: '42000',
        message:
          'OUT or INOUT argument 2 for routine rpc.sig_named is not a variable or NEW pseudo-variable in BEFORE trigger',
      });
      // In MySQL's order: an earlier IN argument's error comes first.
      expect((await fails("CALL sig_named('x', 3, 4)")).errno).toBe(1366);
    });

    it('sets OUT parameters through the context', async () => {
      await client.query('SET @s = 123');
      const outcome = await client.query('CALL sig_out_ctx(3, 4, @s)');
      expect(outcome.sets).toEqual([]);
      expect(await rows('SELECT @s')).toEqual([{ '@s': '7' }]);
    });

    it('sets OUT parameters through a returned MysqlOutParameters, with its rows', async () => {
      expect(await rows('CALL sig_out_return(21, @s, @label)')).toEqual([
        { row: '1' },
        { row: '2' },
      ]);
      expect(await rows('SELECT @s, @label')).toEqual([{ '@s': '42', '@label': 'n21' }]);
    });

    it('runs INOUT parameters from the variable and back', async () => {
      await client.query('SET @x = 5');
      await client.query('CALL sig_inout(@x)');
      await client.query('CALL sig_inout(@x)');
      expect(await rows('SELECT @x')).toEqual([{ '@x': '7' }]);
      await client.query('SET @unset_inout = NULL');
      await client.query('CALL sig_inout(@unset_inout)');
      expect(await rows('SELECT @unset_inout')).toEqual([{ '@unset_inout': null }]);
    });

    it('keeps an INOUT value the handler did not touch, coerced, and sets an untouched OUT to NULL', async () => {
      await client.query("SET @k = '2.5'");
      await client.query('SET @u = 9');
      await client.query('CALL sig_inout_keep(@k, @u)');
      expect(await rows('SELECT @k, @u')).toEqual([{ '@k': '2.50', '@u': null }]);
    });

    it('coerces OUT values to their declared types', async () => {
      await client.query('CALL sig_out_types(@t, @d, @j, @f)');
      expect(await rows('SELECT @t, @d, @j, @f')).toEqual([
        { '@t': '42', '@d': '2026-01-02 03:04:06', '@j': '{"a":[1,"x"]}', '@f': '1' },
      ]);
    });

    it('fails the CALL after its rows when an OUT value does not fit its type', async () => {
      await client.query('SET @t = 3');
      expect(await fails('CALL sig_out_bad(@t)')).toEqual({
        errno: 1264,
        sqlState: '22003',
        message: "Out of range value for column 't' at row 1",
      });
      expect(await rows('SELECT @t')).toEqual([{ '@t': '3' }]);
      expect((await fails('CALL sig_out_unknown(@t)')).errno).toBe(1644);
    });

    it('writes plain results through declared columns', async () => {
      expect(await rows('CALL sig_columns(1)')).toEqual([
        { id: '1', label: 'only', price: '9.50' },
      ]);
      expect(await rows('CALL sig_columns(2)')).toEqual([
        { id: '1', label: 'item 1', price: '1.00' },
        { id: '2', label: 'item 2', price: '2.00' },
      ]);
      const empty = await client.query('CALL sig_columns(0)');
      expect(empty.sets).toEqual([[]]);
    });

    it('still runs guards, interceptors and pipes exactly once, and keeps OUT values', async () => {
      const before = { ...pipelineRuns };
      await client.query('SET @s = NULL');
      // Coerced before the guard sees it: '4' is the number 4.
      expect(await rows("CALL sig_pipeline('4', 5, @s)")).toEqual([
        { a: '4', b: '10', enveloped: '1' },
      ]);
      expect(await rows('SELECT @s')).toEqual([{ '@s': '14' }]);
      expect(pipelineRuns).toEqual({
        guard: before.guard + 1,
        interceptor: before.interceptor + 1,
        pipe: before.pipe + 1,
        handler: before.handler + 1,
        watched: before.watched,
      });
      expect((await fails('CALL sig_pipeline(3, 5, @s)')).errno).toBe(1370);
      expect(pipelineRuns.handler).toBe(before.handler + 1);
      // A signature error comes before any enhancer.
      expect((await fails("CALL sig_pipeline('x', 5, @s)")).errno).toBe(1366);
      expect(pipelineRuns.guard).toBe(before.guard + 2);
    });

    it('keeps OUT values of a returned MysqlOutParameters that an interceptor passes on', async () => {
      await client.query('SET @s = NULL');
      const watched = pipelineRuns.watched;
      expect(await rows('CALL sig_pipeline_wrapped(@s)')).toEqual([{ row: '1' }]);
      expect(pipelineRuns.watched).toBe(watched + 1);
      expect(await rows('SELECT @s')).toEqual([{ '@s': '5' }]);
    });

    it('checks the arguments of an event handler before acknowledging it', async () => {
      expect((await fails("CALL sig_event('x')")).errno).toBe(1366);
      const count = receivedEvents.length;
      await client.query("CALL sig_event('17')");
      await new Promise((r) => setTimeout(r, 20));
      expect(receivedEvents.slice(count)).toEqual([[17]]);
    });
  });

  it('describes declared signatures in the catalog', () => {
    const entry = server.strategy.procedure('SIG_OUT_RETURN')!;
    expect(
      entry.params?.map((p) => [p.position, p.name, p.mode, p.dataType, p.dtdIdentifier]),
    ).toEqual([
      [1, 'a', 'IN', 'int', 'int'],
      [2, 's', 'OUT', 'bigint', 'bigint'],
      [3, 'label', 'OUT', 'varchar', 'varchar(8)'],
    ]);
    expect(entry.params?.[2]).toMatchObject({
      characterMaximumLength: 8,
      characterOctetLength: 32,
      characterSetName: 'utf8mb4',
      numericPrecision: null,
    });
    expect(server.strategy.procedure('sig_extras')?.comment).toBe('declared in the extras');
    expect(server.strategy.procedure('sig_columns')?.columns?.map((c) => c.name)).toEqual([
      'id',
      'label',
      'price',
    ]);
    expect(server.strategy.procedure('myadd')?.params).toBeNull();
  });
});

/** The sample's procedures for the compat suite, as `npm start` serves them. */
describe('the sample procedures for the compat suite', () => {
  let close: () => Promise<void>;
  let conn: mysql2.Connection;

  beforeAll(async () => {
    const strategy = new MysqlRpcServer({ port: 0, users: SAMPLE_ACCOUNTS, roles: SAMPLE_ROLES });
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(AppModule, {
      strategy,
      logger: false,
    });
    await app.listen();
    close = () => app.close();
    const port = (strategy.unwrap<NetServer>().address() as AddressInfo).port;
    conn = await mysql2.createConnection({
      host: '127.0.0.1',
      port,
      user: 'testuser',
      password: 'testpass',
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
  });
  afterAll(async () => {
    await conn.end();
    await close();
  });

  const sets = async (sql: string) => (await conn.query(sql))[0] as unknown as unknown[][];

  it('echo returns each argument as received', async () => {
    expect((await sets("CALL echo('héllo 😀')"))[0]).toEqual([{ v: 'héllo 😀' }]);
    expect((await sets('CALL echo(NULL)'))[0]).toEqual([{ v: null }]);
    expect((await sets('CALL echo(18446744073709551615)'))[0]).toEqual([
      { v: '18446744073709551615' },
    ]);
    expect((await sets("CALL echo(x'00ff')"))[0]).toEqual([{ v: Buffer.from([0, 255]) }]);
    expect((await sets('CALL echo(-2.5e-3)'))[0]).toEqual([{ v: -0.0025 }]);
  });

  it('argtypes shows how each argument was decoded', async () => {
    expect(
      (await sets("CALL argtypes(1, 2.5, 'x', x'00ff', NULL, TRUE, 18446744073709551615)"))[0],
    ).toEqual([
      { position: 1, js_type: 'number', value: '1' },
      { position: 2, js_type: 'number', value: '2.5' },
      { position: 3, js_type: 'string', value: 'x' },
      { position: 4, js_type: 'buffer', value: '00ff' },
      { position: 5, js_type: 'null', value: null },
      { position: 6, js_type: 'boolean', value: 'true' },
      { position: 7, js_type: 'bigint', value: '18446744073709551615' },
    ]);
    expect((await sets('CALL argtypes()'))[0]).toEqual([]);
  });

  it('myadd_out sets its OUT parameter; inc_inout its INOUT one', async () => {
    await conn.query('CALL myadd_out(3, 4, @s)');
    // A BIGINT: a string, with bigNumberStrings.
    expect((await conn.query('SELECT @s'))[0]).toEqual([{ '@s': '7' }]);
    await expect(conn.query('CALL myadd_out(3, 4, 5)')).rejects.toMatchObject({ errno: 1414 });
    await expect(conn.query('CALL myadd_out(3, 4)')).rejects.toMatchObject({ errno: 1318 });
    await conn.query('SET @x = 5');
    await conn.query('CALL inc_inout(@x)');
    expect((await conn.query('SELECT @x'))[0]).toEqual([{ '@x': '6' }]);
  });

  it('greet takes a named payload', async () => {
    expect((await sets("CALL greet('Ada')"))[0]).toEqual([{ greeting: 'hello Ada' }]);
    await expect(conn.query(`CALL greet('${'x'.repeat(65)}')`)).rejects.toMatchObject({
      errno: 1406,
    });
  });

  it('typed_echo shows each argument as its type made it', async () => {
    expect(
      (await sets(`CALL typed_echo(7, 1.005, 'héllo', '2026-1-2 3:4:5.6789', '{"a": 1}', 5)`))[0],
    ).toEqual([
      { i: 7, d: '1.01', s: 'héllo', t: '2026-01-02 03:04:05.679', j: { a: 1 }, flag: 1 },
    ]);
  });
});
