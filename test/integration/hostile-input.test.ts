import fc from 'fast-check';
import { startTestServer, type TestServer } from '../support/test-app.js';
import { RawClient, command, frame } from '../support/raw-client.js';

/**
 * Random bytes where a client's packets go, before and after login. Every
 * packet must get an answer or a clean close, and the server must keep
 * serving other clients afterwards.
 */
const NO_REPLY = new Set([0x01, 0x18, 0x19]); // QUIT, STMT_SEND_LONG_DATA, STMT_CLOSE

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ maxPacketSize: 64 * 1024 });
});
afterAll(() => server.close());

/** Reads what is left of a multi-packet reply; a reply's packets leave in one write. */
async function drainReply(c: RawClient): Promise<void> {
  while (!c.closed) {
    const more = await c.read(10).catch(() => null);
    if (!more) return;
  }
}

async function stillServing(): Promise<void> {
  const c = await RawClient.connect(server.port);
  const { reply } = await c.login();
  expect(reply?.payload[0]).toBe(0);
  c.write(command(0x03, 'CALL myadd(1, 2)'));
  expect((await c.read())!.payload).toEqual(Buffer.from([1]));
  c.close();
}

describe('hostile input', () => {
  it('answers or closes on every random command after login', async () => {
    const c = await RawClient.connect(server.port);
    await c.login();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 255 }).filter((b) => !NO_REPLY.has(b)),
        fc.uint8Array({ maxLength: 64 }),
        async (cmd, body) => {
          if (c.closed) return;
          c.write(command(cmd, Buffer.from(body)));
          // The first packet of the reply, or null when the server closed the connection.
          const p = await c.read(5000);
          if (p) expect(p.seq).toBe(1);
          await drainReply(c);
        },
      ),
      { numRuns: 300 },
    );
    c.close();
    await stillServing();
  });

  it('answers random SQL text with a reply, never silence', async () => {
    const c = await RawClient.connect(server.port);
    await c.login();
    const sqlish = fc
      .array(
        fc.constantFrom(
          'CALL ',
          'SELECT ',
          'SET ',
          '@',
          '@@',
          "'",
          '"',
          '`',
          '(',
          ')',
          ',',
          ';',
          '--',
          '#',
          '/*',
          '*/',
          '\\',
          'x',
          '0x',
          '1',
          '-',
          ' ',
          '\n',
          'myadd',
          'é',
          '😀',
        ),
        { maxLength: 40 },
      )
      .map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(sqlish, async (sql) => {
        c.write(command(0x03, sql));
        const p = await c.read(5000);
        expect(p).not.toBeNull();
        await drainReply(c);
      }),
      { numRuns: 300 },
    );
    c.close();
    await stillServing();
  });

  it('answers or closes on random login packets', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 120 }),
        fc.integer({ min: 0, max: 3 }),
        async (body, seq) => {
          const c = await RawClient.connect(server.port);
          await c.read();
          c.write(frame(seq, Buffer.from(body)));
          const p = await c.read(5000);
          // Random bytes never make a valid login for a user with a password.
          if (p) expect(p.payload[0]).toBe(0xff);
          await c.waitClosed(5000);
        },
      ),
      { numRuns: 100 },
    );
    await stillServing();
  });
});
