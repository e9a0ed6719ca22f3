import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { AddressInfo, Server as NetServer } from 'node:net';
import * as mysql2 from 'mysql2/promise';
import { MysqlRpcServer } from '../../lib/index.js';
import { SAMPLE_ACCOUNTS, SAMPLE_ROLES } from '../../sample/accounts.js';
import { AppModule } from '../../sample/app.module.js';

/** The sample app as `npm start` runs it, on a free port, called like its README shows. */
describe('the sample app', () => {
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
    });
  });
  afterAll(async () => {
    await conn.end();
    await close();
  });

  const call = async (sql: string) => (await conn.query(sql))[0] as unknown[];

  it('adds', async () => {
    expect((await call('call myadd(3,4)'))[0]).toEqual([{ sum: 7 }]);
  });

  it('returns rows of every type', async () => {
    const [rows] = await call('CALL series(3)');
    expect(rows).toEqual([
      {
        id: 1,
        square: 1,
        half: 0.5,
        label: 'row 1',
        even: 0,
        at: expect.stringMatching(/^2026-01-01 /),
      },
      { id: 2, square: 4, half: 1, label: 'row 2', even: 1, at: expect.any(String) },
      { id: 3, square: 9, half: 1.5, label: 'row 3', even: 0, at: expect.any(String) },
    ]);
  });

  it('returns two result sets, an OK with info, and the caller', async () => {
    const sets = await call('CALL stats()');
    expect(sets).toHaveLength(3);
    expect(sets[0]).toEqual([{ metric: 'uptime_s', value: expect.any(Number) }]);
    expect(sets[1]).toEqual([{ heap_used: expect.any(Number), rss: expect.any(Number) }]);
    expect(await call('CALL touch(3)')).toMatchObject({ affectedRows: 3 });
    expect((await call('CALL whoami()'))[0]).toEqual([
      {
        user: 'testuser',
        account: 'testuser@%',
        roles: '',
        tls: 0,
        client: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
        connection_id: expect.any(Number),
        database: null,
        procedure: 'whoami',
      },
    ]);
  });

  it('shows each kind of error', async () => {
    await expect(call("CALL fail('dup')")).rejects.toMatchObject({
      errno: 1062,
      sqlState: '23000',
    });
    await expect(call("CALL fail('rpc')")).rejects.toMatchObject({
      errno: 1644,
      sqlMessage: 'custom',
    });
    await expect(call("CALL fail('other')")).rejects.toMatchObject({
      errno: 1644,
      sqlMessage: 'Unhandled user-defined exception condition',
    });
  });
});
