import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as mysql2 from 'mysql2/promise';
import { RawClient, parseErr } from '../support/raw-client.js';

// The sample app as `npm start` builds it (npm test builds it first), in its own process,
// so that the compiled parse worker is the one at work.
const SAMPLE = join(__dirname, '../../dist/sample/main.js');
const CHUNK = 0xffffff;

let server: ChildProcess;
let port: number;

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port: free } = probe.address() as AddressInfo;
  probe.close();
  return free;
}

beforeAll(async () => {
  port = await freePort();
  server = spawn(process.execPath, [SAMPLE], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', STATUS_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  for await (const chunk of server.stdout!) {
    out += String(chunk);
    if (out.includes('listening')) break;
  }
}, 30000);
afterAll(() => {
  server.kill();
});

/** COM_QUERY of `sql`, split into 16 MiB packets as the protocol requires. */
function bigQuery(sql: string): Buffer[] {
  const payload = Buffer.concat([Buffer.from([0x03]), Buffer.from(sql, 'utf8')]);
  const packets: Buffer[] = [];
  let seq = 0;
  for (let offset = 0; ; offset += CHUNK) {
    const part = payload.subarray(offset, offset + CHUNK);
    const header = Buffer.alloc(4);
    header.writeUIntLE(part.length, 0, 3);
    header[3] = seq++;
    packets.push(header, part);
    if (part.length < CHUNK) return packets;
  }
}

describe('a statement of tens of MiB', () => {
  it('is parsed away from the event loop: other connections are answered meanwhile', async () => {
    const b = await mysql2.createConnection({
      host: '127.0.0.1',
      port,
      user: 'testuser',
      password: 'testpass',
    });
    const a = await RawClient.connect(port);
    expect((await a.login()).reply?.payload[0]).toBe(0);
    // 20 million tokens: seconds of lexing for any parser written in JavaScript.
    const sql = 'SELECT 1' + '+1'.repeat(10_000_000);
    const order: string[] = [];
    const aReply = a.read(120000).then((p) => {
      order.push('a');
      return p;
    });
    await new Promise<void>((resolve) =>
      a.socket.write(Buffer.concat(bigQuery(sql)), () => resolve()),
    );
    // Give the server time to take in the last bytes of A's statement.
    await new Promise((r) => setTimeout(r, 300));
    const [sets] = (await b.query('CALL myadd(1, 2)')) as unknown as [
      Array<Array<{ sum: number }>>,
    ];
    order.push('b');
    expect(sets[0]![0]!.sum).toBe(3);
    const reply = (await aReply)!;
    expect(order).toEqual(['b', 'a']);
    expect(parseErr(reply.payload)).toMatchObject({ code: 1064, sqlState: '42000' });
    expect(parseErr(reply.payload).message).toContain("near 'SELECT 1+1+1+1");
    await b.end();
    a.close();
  }, 120000);
});
