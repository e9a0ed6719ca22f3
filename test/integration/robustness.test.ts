import * as mysql2 from 'mysql2/promise';
import { counters, receivedEvents, startTestServer, type TestServer } from '../support/test-app.js';
import { RawClient, command, parseErr, type RawPacket } from '../support/raw-client.js';
import type { MysqlAccountOptions, MysqlUserStore } from '../../lib/index.js';

const COM = { QUERY: 3, PING: 0x0e, STMT_SEND_LONG_DATA: 0x18, STMT_CLOSE: 0x19 };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const connectMysql2 = () =>
  mysql2.createConnection({
    host: '127.0.0.1',
    port: server.port,
    user: 'testuser',
    password: 'testpass',
  });

async function loggedIn(): Promise<RawClient> {
  const c = await RawClient.connect(server.port);
  const { reply } = await c.login();
  expect(reply?.payload[0]).toBe(0);
  return c;
}

/** Reads one CALL reply with rows (classic EOFs): up to the OK after the last EOF, or an ERR. */
async function readCallReply(c: RawClient): Promise<RawPacket[]> {
  const out: RawPacket[] = [];
  for (;;) {
    const p = (await c.read(20000))!;
    const previous = out[out.length - 1];
    out.push(p);
    if (p.payload[0] === 0xff) return out;
    if (p.payload[0] === 0x00 && previous?.payload[0] === 0xfe) return out;
  }
}

describe('a client that pipelines and does not read', () => {
  it('stops running its commands once replies back up, and loses none when it reads again', async () => {
    const events: string[] = [];
    server.strategy.setOnProcessingStartHook((_t, _ctx, done) => {
      events.push('start');
      return done();
    });
    server.strategy.setOnProcessingEndHook(() => void events.push('end'));
    const c = await loggedIn();
    c.socket.pause();
    const calls = 3000;
    const before = counters.counted;
    c.write(
      Buffer.concat(Array.from({ length: calls }, () => command(COM.QUERY, 'CALL counted(100)'))),
    );
    await new Promise((r) => setTimeout(r, 500));
    // Each reply is ~11 KB: running them all would buffer ~33 MB for a client that reads nothing.
    expect(counters.counted - before).toBeLessThan(calls / 4);
    c.socket.resume();
    for (let i = 0; i < calls; i++) {
      const reply = await readCallReply(c);
      expect(reply[0]!.seq).toBe(1);
      expect(reply[reply.length - 1]!.payload[0]).toBe(0x00);
    }
    expect(counters.counted - before).toBe(calls);
    expect(events.filter((e) => e === 'start')).toHaveLength(calls);
    expect(events.filter((e) => e === 'end')).toHaveLength(calls);
    c.close();
    server.strategy.setOnProcessingStartHook((_t, _ctx, done) => done());
    server.strategy.setOnProcessingEndHook(() => undefined);
  });
});

describe('session limits', () => {
  it('caps user variables per session, all or nothing, and bounds the expressions it evaluates', async () => {
    const conn = await connectMysql2();
    const many = Array.from({ length: 1025 }, (_, i) => `@v${i} = ${i}`).join(', ');
    await expect(conn.query(`SET ${many}`)).rejects.toMatchObject({
      errno: 1105,
      sqlState: 'HY000',
      message: expect.stringContaining('Too many user variables'),
    });
    expect((await conn.query('SELECT @v0'))[0]).toEqual([{ '@v0': null }]);
    await conn.query(`SET ${many.slice(0, many.indexOf(', @v1024'))}`);
    expect((await conn.query('SELECT @v1023'))[0]).toEqual([{ '@v1023': 1023 }]);
    const big = 'x'.repeat(40 * 1024 * 1024);
    await expect(conn.query(`SET @big = '${big}'`)).rejects.toMatchObject({ errno: 1105 });
    // The session is full: a new name is refused, an existing one takes the value.
    await expect(conn.query('SET @e = 1 + 1')).rejects.toMatchObject({ errno: 1105 });
    await conn.query('SET @v0 = 1 + 1');
    expect((await conn.query('SELECT @v0'))[0]).toEqual([{ '@v0': 2 }]);
    const huge = Array.from({ length: 5000 }, () => '1').join(' + ');
    await expect(conn.query(`SET @v1 = ${huge}`)).rejects.toMatchObject({
      errno: 1235,
      sqlState: '42000',
      message: expect.stringContaining("This version of MySQL doesn't yet support"),
    });
    await conn.end();
  });

  it('answers SELECTs whose aliases are very long', async () => {
    const conn = await connectMysql2();
    const alias = 'a'.repeat(100_000);
    for (let i = 0; i < 3; i++) {
      const [rows] = await conn.query(`SELECT ${i} AS \`${alias}${i}\``);
      // MySQL cuts an alias to 256 bytes.
      expect(rows).toEqual([{ [alias.slice(0, 256)]: i }]);
    }
    await conn.end();
  });
});

describe('commands that take no reply', () => {
  it('sends nothing for COM_STMT_CLOSE and COM_STMT_SEND_LONG_DATA', async () => {
    const c = await loggedIn();
    c.write(
      Buffer.concat([
        command(COM.STMT_CLOSE, Buffer.from([1, 0, 0, 0])),
        command(COM.STMT_SEND_LONG_DATA, Buffer.from([1, 0, 0, 0, 0, 0, 0x41])),
        command(COM.PING),
      ]),
    );
    const next = (await c.read())!;
    expect(next).toEqual({ seq: 1, payload: Buffer.from('00000002000000', 'hex') });
    c.close();
  });
});

describe('failures inside the server', () => {
  it('answers an OK that cannot be encoded with ERR 1644 and keeps the connection', async () => {
    const c = await loggedIn();
    c.write(command(COM.QUERY, 'CALL bad_ok()'));
    expect(parseErr((await c.read())!.payload)).toMatchObject({ code: 1644, sqlState: '45000' });
    c.write(command(COM.PING));
    expect((await c.read())!.payload[0]).toBe(0);
    c.close();
  });

  it('denies a login when the user store returns a malformed record, and stays up', async () => {
    const store: MysqlUserStore = {
      findAccount: (name) =>
        name === 'broken'
          ? ({ user: name, nativePasswordHash: 'not a hash' } as MysqlAccountOptions)
          : { user: name, password: '', grants: ['*.*'] },
    };
    const s = await startTestServer({ users: store });
    const connect = (user: string, password: string) =>
      mysql2.createConnection({ host: '127.0.0.1', port: s.port, user, password });
    await expect(connect('broken', 'x')).rejects.toMatchObject({ errno: 1045 });
    const ok = await connect('fine', '');
    await ok.end();
    await s.close();
  });

  it('routes a CALL to an @EventPattern handler in any letter case', async () => {
    const c = await loggedIn();
    c.write(command(COM.QUERY, "CALL AUDIT('upper')"));
    expect((await c.read())!.payload[0]).toBe(0);
    await new Promise((r) => setTimeout(r, 20));
    expect(receivedEvents).toContainEqual(['upper']);
    c.close();
  });
});
