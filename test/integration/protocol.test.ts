import { startTestServer, type TestServer } from '../support/test-app.js';
import {
  BASE_CAPS,
  CLIENT,
  RawClient,
  command,
  frame,
  greetingSalt,
  loginPacket,
  parseErr,
  scramble,
  scrambleSha2,
  type RawPacket,
} from '../support/raw-client.js';

const COM = {
  QUIT: 1,
  INIT_DB: 2,
  QUERY: 3,
  FIELD_LIST: 4,
  STATISTICS: 9,
  PING: 0x0e,
  CHANGE_USER: 0x11,
  STMT_PREPARE: 0x16,
  SET_OPTION: 0x1b,
  RESET_CONNECTION: 0x1f,
  BINLOG_DUMP: 0x12,
};

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ maxPacketSize: 1024 * 1024 });
});
afterAll(() => server.close());

async function loggedIn(caps = BASE_CAPS): Promise<RawClient> {
  const c = await RawClient.connect(server.port);
  const { reply } = await c.login('testuser', 'testpass', caps);
  expect(reply?.payload[0]).toBe(0x00);
  expect(reply?.seq).toBe(2);
  return c;
}

/** Reads packets up to and including the final OK or ERR of a reply (status without MORE_RESULTS). */
async function readReply(c: RawClient): Promise<RawPacket[]> {
  const out: RawPacket[] = [];
  let inRows = false;
  let columnsLeft = -1;
  for (;;) {
    const p = await c.read();
    if (!p) throw new Error('connection closed mid-reply');
    out.push(p);
    const b = p.payload[0];
    if (b === 0xff) return out;
    if (columnsLeft > 0) {
      columnsLeft--;
      continue;
    }
    if (b === 0xfe && p.payload.length < 9) {
      const status = p.payload.readUInt16LE(3);
      if (columnsLeft === 0) {
        columnsLeft = -1;
        inRows = true;
        continue;
      }
      inRows = false;
      if (!(status & 0x0008)) return out;
      continue;
    }
    if (inRows) continue;
    if (b === 0x00) {
      return out;
    }
    columnsLeft = p.payload[0]!;
  }
}

const seqs = (ps: RawPacket[]): number[] => ps.map((p) => p.seq);

describe('wire protocol, byte level', () => {
  it('greets with protocol 10, an 8.0 version, a safe salt and caching_sha2_password', async () => {
    const c = await RawClient.connect(server.port);
    const g = await c.read();
    expect(g?.seq).toBe(0);
    const p = g!.payload;
    expect(p[0]).toBe(10);
    expect(p.toString('latin1', 1, p.indexOf(0, 1))).toMatch(/^8\.0\.\d+-/);
    const salt = greetingSalt(p);
    expect(salt.length).toBe(20);
    for (const b of salt) expect(b >= 1 && b <= 127 && b !== 0x24).toBe(true);
    expect(p.subarray(p.length - 22).toString()).toBe('caching_sha2_password\0');
    c.close();
  });

  it('numbers every packet of a CALL reply from 1 without gaps, across result sets', async () => {
    const c = await loggedIn();
    c.write(command(COM.QUERY, 'CALL multi()'));
    const reply = await readReply(c);
    expect(seqs(reply)).toEqual(reply.map((_, i) => i + 1));
    const last = reply[reply.length - 1]!.payload;
    expect(last[0]).toBe(0x00);
    expect(last.readUInt16LE(3) & 0x0008).toBe(0); // final OK: no MORE_RESULTS
    c.close();
  });

  it('uses EOF packets with status 0x000A between result sets without DEPRECATE_EOF', async () => {
    const c = await loggedIn();
    c.write(command(COM.QUERY, 'CALL myadd(3, 4)'));
    const reply = await readReply(c);
    // count, column, EOF, row, EOF, OK
    expect(reply.map((p) => p.payload[0])).toEqual([1, 3, 0xfe, 1, 0xfe, 0]);
    expect(reply[2]!.payload.toString('hex')).toBe('fe00000a00');
    expect(reply[3]!.payload.toString()).toBe('\x017');
    expect(reply[4]!.payload.toString('hex')).toBe('fe00000a00');
    expect(reply[5]!.payload.toString('hex')).toBe('00000002000000');
    c.close();
  });

  it('ends rows with an 0xFE OK and sends no column EOF under DEPRECATE_EOF', async () => {
    const c = await loggedIn(BASE_CAPS | CLIENT.DEPRECATE_EOF);
    c.write(command(COM.QUERY, 'CALL myadd(3, 4)'));
    const ps: RawPacket[] = [];
    for (let i = 0; i < 5; i++) ps.push((await c.read())!);
    expect(ps.map((p) => p.payload[0])).toEqual([1, 3, 1, 0xfe, 0]);
    expect(ps[3]!.payload.toString('hex')).toBe('fe00000a000000');
    expect(seqs(ps)).toEqual([1, 2, 3, 4, 5]);
    c.close();
  });

  it('flags every result set MORE_RESULTS_EXISTS under DEPRECATE_EOF, then ends with a plain OK', async () => {
    const c = await loggedIn(BASE_CAPS | CLIENT.DEPRECATE_EOF);
    c.write(command(COM.QUERY, 'CALL multi()'));
    const ps: RawPacket[] = [];
    // set 1: count, column, two rows, 0xFE OK; set 2: count, column, row, 0xFE OK; final OK
    for (let i = 0; i < 10; i++) ps.push((await c.read())!);
    expect(ps.map((p) => p.payload[0])).toEqual([1, 3, 1, 1, 0xfe, 1, 3, 1, 0xfe, 0]);
    expect(ps[4]!.payload.toString('hex')).toBe('fe00000a000000');
    expect(ps[8]!.payload.toString('hex')).toBe('fe00000a000000');
    expect(ps[9]!.payload.toString('hex')).toBe('00030002000000');
    expect(seqs(ps)).toEqual(ps.map((_, i) => i + 1));
    c.close();
  });

  it('answers ERR 1312 to a CALL with rows from a client without MULTI_RESULTS', async () => {
    const c = await loggedIn(BASE_CAPS & ~CLIENT.MULTI_RESULTS);
    c.write(command(COM.QUERY, 'CALL myadd(1, 2)'));
    const p = (await c.read())!;
    expect(p.seq).toBe(1);
    expect(parseErr(p.payload)).toEqual({
      code: 1312,
      sqlState: '0A000',
      message: "PROCEDURE rpc.myadd can't return a result set in the given context",
    });
    c.write(command(COM.QUERY, 'CALL nothing()'));
    expect((await c.read())!.payload[0]).toBe(0x00);
    c.close();
  });

  it('processes pipelined commands in one write strictly in order', async () => {
    const c = await loggedIn();
    c.write(
      Buffer.concat([
        command(COM.QUERY, 'CALL slow(30, 1)'),
        command(COM.PING),
        command(COM.QUERY, 'CALL slow(1, 2)'),
        command(COM.QUERY, 'CALL nosuch()'),
        command(COM.QUERY, 'CALL myadd(20, 22)'),
        command(COM.QUIT),
      ]),
    );
    const r1 = await readReply(c);
    expect(r1[3]!.payload.toString()).toBe('\x011');
    const ping = (await c.read())!;
    expect(ping.payload[0]).toBe(0);
    expect(ping.seq).toBe(1);
    const r2 = await readReply(c);
    expect(r2[3]!.payload.toString()).toBe('\x012');
    const e = (await c.read())!;
    expect(parseErr(e.payload).code).toBe(1305);
    const r3 = await readReply(c);
    expect(r3[3]!.payload.toString()).toBe('\x0242');
    await c.waitClosed();
  });

  it('handles a command split across many small writes', async () => {
    const c = await loggedIn();
    const bytes = command(COM.QUERY, 'CALL myadd(1, 1)');
    for (const b of bytes) {
      c.write(Buffer.from([b]));
      await new Promise((r) => setImmediate(r));
    }
    const r = await readReply(c);
    expect(r[3]!.payload.toString()).toBe('\x012');
    c.close();
  });

  it('handles login and COM_QUIT arriving in the same write (HAProxy mysql-check)', async () => {
    const c = await RawClient.connect(server.port);
    await c.read();
    c.write(
      Buffer.concat([
        loginPacket({
          user: 'nopass',
          auth: Buffer.alloc(0),
          caps: CLIENT.PROTOCOL_41 | CLIENT.SECURE_CONNECTION,
        }),
        command(COM.QUIT),
      ]),
    );
    const ok = (await c.read())!;
    expect(ok.payload[0]).toBe(0x00);
    expect(ok.seq).toBe(2);
    await c.waitClosed();
  });

  it('never runs a command that arrives before login has finished', async () => {
    const c = await RawClient.connect(server.port);
    const g = (await c.read())!;
    const auth = scramble('wrong', greetingSalt(g.payload));
    c.write(
      Buffer.concat([
        loginPacket({ user: 'testuser', auth }),
        command(COM.QUERY, 'CALL myadd(1, 2)'),
      ]),
    );
    const e = (await c.read())!;
    expect(parseErr(e.payload)).toEqual({
      code: 1045,
      sqlState: '28000',
      message: "Access denied for user 'testuser'@'127.0.0.1' (using password: YES)",
    });
    expect(await c.read()).toBeNull();
  });

  it('gives a wrong user and a wrong password the same answer', async () => {
    const answers: string[] = [];
    for (const [user, password] of [
      ['testuser', 'nope'],
      ['ghost', 'testpass'],
      ['ghost', 'nope'],
    ]) {
      const c = await RawClient.connect(server.port);
      const { reply } = await c.login(user, password);
      answers.push(parseErr(reply!.payload).message.replace(`'${user}'`, "'U'"));
      expect(reply!.seq).toBe(2);
      await c.waitClosed();
    }
    expect(new Set(answers).size).toBe(1);
  });

  it('asks again after an empty auth response, and says using password: NO when it stays empty', async () => {
    const c = await RawClient.connect(server.port);
    await c.read();
    c.write(loginPacket({ user: 'testuser', auth: Buffer.alloc(0) }));
    const sw = (await c.read())!;
    expect(sw.payload[0]).toBe(0xfe);
    expect(sw.payload.toString('latin1', 1, sw.payload.indexOf(0, 1))).toBe(
      'mysql_native_password',
    );
    c.write(frame(3, Buffer.alloc(0)));
    expect(parseErr((await c.read())!.payload).message).toContain('(using password: NO)');
  });

  it('logs in an account with an empty password at once (health checks send nothing more)', async () => {
    const c = await RawClient.connect(server.port);
    await c.read();
    c.write(loginPacket({ user: 'nopass', auth: Buffer.alloc(0) }));
    expect((await c.read())!.payload[0]).toBe(0);
    c.close();
  });

  it('refuses a pre-4.1 client with an ERR that has no SQLSTATE', async () => {
    const c = await RawClient.connect(server.port);
    await c.read();
    c.write(loginPacket({ user: 'testuser', auth: Buffer.alloc(0), caps: CLIENT.LONG_PASSWORD }));
    const e = parseErr((await c.read())!.payload);
    expect(e).toEqual({ code: 1043, sqlState: '', message: 'Bad handshake' });
    await c.waitClosed();
  });

  it('switches a client that asks for a plugin it does not speak to caching_sha2_password', async () => {
    const c = await RawClient.connect(server.port);
    await c.read();
    c.write(
      loginPacket({
        user: 'testuser',
        auth: Buffer.alloc(32, 1),
        plugin: 'sha256_password',
        caps: BASE_CAPS | CLIENT.PLUGIN_AUTH_LENENC_CLIENT_DATA,
      }),
    );
    const sw = (await c.read())!;
    expect(sw.seq).toBe(2);
    expect(sw.payload[0]).toBe(0xfe);
    const nameEnd = sw.payload.indexOf(0, 1);
    expect(sw.payload.toString('latin1', 1, nameEnd)).toBe('caching_sha2_password');
    const salt = sw.payload.subarray(nameEnd + 1, nameEnd + 21);
    c.write(frame(3, scrambleSha2('testpass', salt)));
    // Fast path: the server knows the configured password's digest from the start.
    const fast = (await c.read())!;
    expect(fast.seq).toBe(4);
    expect(fast.payload.toString('hex')).toBe('0103');
    const ok = (await c.read())!;
    expect(ok.seq).toBe(5);
    expect(ok.payload[0]).toBe(0);
    c.close();
  });

  it('rejects a database other than its own at login with ERR 1049', async () => {
    const c = await RawClient.connect(server.port);
    const { reply } = await c.login('testuser', 'testpass', BASE_CAPS, 'otherdb');
    expect(parseErr(reply!.payload)).toEqual({
      code: 1049,
      sqlState: '42000',
      message: "Unknown database 'otherdb'",
    });
  });

  it('answers every unsupported command with ERR 1047, never silence', async () => {
    const c = await loggedIn();
    for (const cmd of [COM.BINLOG_DUMP, 0x00, 0x05, 0x08, 0x20, 0x7f, 0xff]) {
      c.write(command(cmd, 'x'));
      const p = (await c.read())!;
      expect(p.seq).toBe(1);
      expect(parseErr(p.payload)).toEqual({
        code: 1047,
        sqlState: '08S01',
        message: 'Unknown command',
      });
    }
    c.write(frame(0, Buffer.alloc(0)));
    expect(parseErr((await c.read())!.payload).code).toBe(1047);
    c.write(command(COM.PING));
    expect((await c.read())!.payload[0]).toBe(0);
    c.close();
  });

  it('answers PING, STATISTICS, INIT_DB, FIELD_LIST, SET_OPTION and RESET_CONNECTION', async () => {
    const c = await loggedIn();
    c.write(command(COM.PING));
    expect((await c.read())!.payload.toString('hex')).toBe('00000002000000');
    c.write(command(COM.STATISTICS));
    expect((await c.read())!.payload.toString()).toMatch(
      /^Uptime: \d+ {2}Threads: \d+ {2}Questions: \d+ {2}Slow queries: 0 {2}Opens: 0 {2}Flush tables: 1 {2}Open tables: 0 {2}Queries per second avg: \d+\.\d{3}$/,
    );
    c.write(command(COM.INIT_DB, 'rpc'));
    expect((await c.read())!.payload[0]).toBe(0);
    c.write(command(COM.INIT_DB, 'nope'));
    expect(parseErr((await c.read())!.payload)).toMatchObject({
      code: 1049,
      message: "Unknown database 'nope'",
    });
    // information_schema can be selected, as in MySQL; nothing can be called from it.
    c.write(command(COM.INIT_DB, 'INFORMATION_SCHEMA'));
    expect((await c.read())!.payload[0]).toBe(0);
    c.write(command(COM.QUERY, 'SELECT DATABASE()'));
    // Column count, definition, EOF, the row, EOF.
    const reply: Buffer[] = [];
    for (let i = 0; i < 5; i++) reply.push((await c.read())!.payload);
    expect(reply[3]!.toString()).toBe('\x12information_schema');
    c.write(command(COM.INIT_DB, 'rpc'));
    expect((await c.read())!.payload[0]).toBe(0);
    c.write(command(COM.FIELD_LIST, 'sometable\0'));
    expect((await c.read())!.payload.toString('hex')).toBe('fe00000200');
    c.write(command(COM.SET_OPTION, Buffer.from([1, 0])));
    expect((await c.read())!.payload.toString('hex')).toBe('fe00000200');
    c.write(command(COM.SET_OPTION, Buffer.from([9, 0])));
    expect(parseErr((await c.read())!.payload).code).toBe(1047);
    c.write(command(COM.RESET_CONNECTION));
    expect((await c.read())!.payload[0]).toBe(0);
    c.close();
  });

  it('answers an oversized packet with ERR 1153 and closes', async () => {
    const c = await loggedIn();
    const head = Buffer.from([0x01, 0x00, 0x20, 0x00]); // 2 MiB + 1 > 1 MiB cap
    c.write(Buffer.concat([head, Buffer.from([COM.QUERY])]));
    const e = (await c.read())!;
    expect(e.seq).toBe(1);
    expect(parseErr(e.payload)).toEqual({
      code: 1153,
      sqlState: '08S01',
      message: "Got a packet bigger than 'max_allowed_packet' bytes",
    });
    await c.waitClosed();
  });

  it('caps the login packet far below max_allowed_packet', async () => {
    const c = await RawClient.connect(server.port);
    await c.read();
    c.write(Buffer.from([0x00, 0x00, 0x10, 0x01])); // 1 MiB login
    expect(parseErr((await c.read())!.payload).code).toBe(1153);
    await c.waitClosed();
  });

  it('closes with ERR 1156 when a command does not start at sequence 0', async () => {
    const c = await loggedIn();
    c.write(frame(3, Buffer.from([COM.PING])));
    const e = (await c.read())!;
    expect(parseErr(e.payload)).toMatchObject({ code: 1156, sqlState: '08S01' });
    await c.waitClosed();
  });

  it('keeps serving other clients when one vanishes mid-reply', async () => {
    const victim = await loggedIn();
    victim.write(command(COM.QUERY, 'CALL make_rows(200000)'));
    const first = (await victim.read())!;
    expect(first.payload).toEqual(Buffer.from([4])); // the column count: the reply has begun
    victim.socket.destroy();
    const other = await loggedIn();
    other.write(command(COM.QUERY, 'CALL myadd(2, 2)'));
    const r = await readReply(other);
    expect(r[3]!.payload.toString()).toBe('\x014');
    other.close();
  });

  it('keeps serving when a client vanishes before its slow call answers', async () => {
    const victim = await loggedIn();
    victim.write(command(COM.QUERY, 'CALL slow(50, 1)'));
    victim.socket.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const other = await loggedIn();
    other.write(command(COM.QUERY, 'CALL myadd(5, 5)'));
    expect((await readReply(other))[3]!.payload.toString()).toBe('\x0210');
    other.close();
  });
});
