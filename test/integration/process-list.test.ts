import * as mysql2 from 'mysql2/promise';
import { startTestServer, type TestServer } from '../support/test-app.js';

/**
 * SHOW [FULL] PROCESSLIST: every connection for an admin, one's own user's
 * for anyone else, with MySQL's eight columns (mysqladmin processlist).
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    users: {
      testuser: { password: 'testpass', grants: ['rpc.*'] },
      other: { password: 'otherpass', grants: ['rpc.*'] },
      boss: { password: 'bosspass', grants: ['*.*'], admin: true },
    },
  });
});
afterAll(() => server.close());

const connect = (user: string, password: string) =>
  mysql2.createConnection({ host: '127.0.0.1', port: server.port, user, password });

type ProcessRow = {
  Id: number;
  User: string;
  Host: string;
  db: string | null;
  Command: string;
  Time: number;
  State: string;
  Info: string | null;
};

const list = async (conn: mysql2.Connection, sql = 'SHOW PROCESSLIST') =>
  (await conn.query(sql))[0] as ProcessRow[];

describe('SHOW PROCESSLIST', () => {
  let mine: mysql2.Connection;
  let mineIdle: mysql2.Connection;
  let theirs: mysql2.Connection;
  let admin: mysql2.Connection;
  beforeAll(async () => {
    mine = await connect('testuser', 'testpass');
    mineIdle = await connect('testuser', 'testpass');
    theirs = await connect('other', 'otherpass');
    admin = await connect('boss', 'bosspass');
    await mineIdle.query('USE rpc');
  });
  afterAll(() => Promise.all([mine, mineIdle, theirs, admin].map((c) => c.end())));

  it("shows an account only its own user's connections, itself running the statement", async () => {
    const rows = await list(mine);
    expect(Object.keys(rows[0]!)).toEqual([
      'Id',
      'User',
      'Host',
      'db',
      'Command',
      'Time',
      'State',
      'Info',
    ]);
    expect(rows.map((r) => r.User)).toEqual(['testuser', 'testuser']);
    const self = rows.find((r) => r.Id === mine.threadId)!;
    expect(self).toMatchObject({ Command: 'Query', Info: 'SHOW PROCESSLIST', Time: 0 });
    expect(self.Host).toMatch(/^127\.0\.0\.1:\d+$/);
    const idle = rows.find((r) => r.Id === mineIdle.threadId)!;
    expect(idle).toMatchObject({ Command: 'Sleep', Info: null, db: 'rpc', State: '' });
  });

  it('shows an admin every connection, in id order', async () => {
    const rows = await list(admin);
    const ids = [mine, mineIdle, theirs, admin].map((c) => c.threadId);
    for (const id of ids) expect(rows.some((r) => r.Id === id)).toBe(true);
    expect(rows.map((r) => r.Id)).toEqual([...rows.map((r) => r.Id)].sort((a, b) => a - b));
  });

  it('cuts Info at 100 characters unless FULL', async () => {
    const padded = `SHOW PROCESSLIST /* ${'x'.repeat(200)} */`;
    const cut = (await list(mine, padded)).find((r) => r.Id === mine.threadId)!;
    expect(cut.Info).toBe(padded.slice(0, 100));
    const whole = `SHOW FULL PROCESSLIST /* ${'x'.repeat(200)} */`;
    const full = (await list(mine, whole)).find((r) => r.Id === mine.threadId)!;
    expect(full.Info).toBe(whole);
  });
});
