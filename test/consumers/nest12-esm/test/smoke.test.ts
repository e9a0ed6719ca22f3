// Smoke test of the published package in a Nest 12 ES-module app: tsc compiles
// this file to an ES module and jest runs the output in native ESM mode
// (node --experimental-vm-modules).
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import mysql from 'mysql2/promise';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { AddressInfo, Server as NetServer } from 'node:net';
import { MysqlRpcServer } from 'nestjs-mysql-rpc';
import { AppModule } from '../src/app.module.js';

describe('nestjs-mysql-rpc in a Nest 12 ES-module app', () => {
  let app: INestMicroservice | undefined;
  let conn: Connection | undefined;
  let port = 0;

  beforeAll(async () => {
    const strategy = new MysqlRpcServer({
      host: '127.0.0.1',
      port: 0,
      users: {
        testuser: { password: 'testpass', grants: ['rpc.*'] },
        root: { password: 'rootpass', grants: ['rpc.*'], admin: true },
      },
    });
    app = await NestFactory.createMicroservice<MicroserviceOptions>(AppModule, {
      strategy,
      logger: ['error', 'warn'],
    });
    await app.listen();
    ({ port } = strategy.unwrap<NetServer>().address() as AddressInfo);
    conn = await mysql.createConnection({
      host: '127.0.0.1',
      port,
      user: 'testuser',
      password: 'testpass',
    });
  });

  afterAll(async () => {
    await conn?.end();
    await app?.close();
  });

  test('resolves to the ES-module build', () => {
    expect(import.meta.resolve('nestjs-mysql-rpc')).toMatch(
      /\/node_modules\/nestjs-mysql-rpc\/dist\/esm\/index\.js$/,
    );
  });

  test('CALL myadd(3, 4) reaches the @MessagePattern handler', async () => {
    const [results] = await conn!.query<RowDataPacket[][]>('CALL myadd(3, 4)');
    expect({ ...results[0][0] }).toEqual({ sum: 7, user: 'testuser' });
  });

  test('a statement over 1 MiB is parsed on the worker thread and answered', async () => {
    // Only the parse worker answers statements this large; had it failed to load, the
    // connection would get ERR 1105 and be closed.
    const padding = `/* ${'x'.repeat(1_200_000)} */`;
    const [results] = await conn!.query<RowDataPacket[][]>(`CALL myadd(3, 4 ${padding})`);
    expect({ ...results[0][0] }).toEqual({ sum: 7, user: 'testuser' });
    const error = await conn!.query(`SELECT 1${'+1'.repeat(600_000)}`).then(
      () => undefined,
      (e: { errno?: number; message?: string }) => e,
    );
    expect(error?.errno).toBe(1064);
    expect(error?.message).toContain("near 'SELECT 1+1+1");
  });

  test('CALL of an unknown procedure fails with ER_SP_DOES_NOT_EXIST (1305)', async () => {
    const error = await conn!.query('CALL nosuch()').then(
      () => undefined,
      (e: { errno?: number; code?: string }) => e,
    );
    expect(error?.errno).toBe(1305);
    expect(error?.code).toBe('ER_SP_DOES_NOT_EXIST');
  });

  test('logs in over TLS with the generated certificate; access decorators are enforced', async () => {
    const root = await mysql.createConnection({
      host: '127.0.0.1',
      port,
      user: 'root',
      password: 'rootpass',
      ssl: { rejectUnauthorized: false },
    });
    const [results] = await root.query<RowDataPacket[][]>('CALL secret()');
    expect({ ...results[0][0] }).toEqual({ secure: 1 });
    await root.end();
    const error = await conn!.query('CALL secret()').then(
      () => undefined,
      (e: { errno?: number }) => e,
    );
    expect(error?.errno).toBe(1370);
  });
});
