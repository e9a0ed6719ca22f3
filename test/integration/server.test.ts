import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { createServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import * as mysql2 from 'mysql2/promise';
import {
  hashPassword,
  MYSQL_RPC_TRANSPORT,
  MysqlRpcServer,
  type MysqlRpcStatus,
  type MysqlUserStore,
} from '../../lib/index.js';
import { RawClient } from '../support/raw-client.js';
import { receivedEvents, startTestServer } from '../support/test-app.js';

@Controller()
class BindingController {
  @MessagePattern('mine', MYSQL_RPC_TRANSPORT)
  mine() {
    return { who: 'mysql' };
  }

  @MessagePattern('tcp_only', Transport.TCP)
  tcpOnly() {
    return { who: 'tcp' };
  }
}

@Module({ controllers: [BindingController] })
class BindingModule {}

const portOf = (s: MysqlRpcServer) => (s.unwrap<NetServer>().address() as AddressInfo).port;

async function connect(port: number, user = 'testuser', password = 'testpass') {
  return mysql2.createConnection({ host: '127.0.0.1', port, user, password });
}

describe('MysqlRpcServer as a Nest transport', () => {
  it('reports listening, draining and closed through status, and closes open connections', async () => {
    const strategy = new MysqlRpcServer({
      port: 0,
      users: { testuser: { password: 'testpass', grants: ['rpc.*'] } },
    });
    const seen: MysqlRpcStatus[] = [];
    strategy.status.subscribe((s) => seen.push(s));
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(BindingModule, {
      strategy,
      logger: false,
    });
    await app.listen();
    expect(seen).toEqual(['listening']);
    const conn = await connect(portOf(strategy));
    const closed = new Promise<void>((resolve) => conn.on('error', () => resolve()));
    await app.close();
    expect(seen).toEqual(['listening', 'draining', 'closed']);
    await closed;
  });

  it('rejects listen() when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as AddressInfo).port;
    const strategy = new MysqlRpcServer({ port, users: { u: { password: 'p' } } });
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(BindingModule, {
      strategy,
      logger: false,
    });
    await expect(app.listen()).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await app.close();
    blocker.close();
  });

  it('forwards on() to the net.Server, including listeners added before listen()', async () => {
    const strategy = new MysqlRpcServer({
      port: 0,
      users: { testuser: { password: 'testpass', grants: ['rpc.*'] } },
    });
    const sockets: Socket[] = [];
    strategy.on('connection', (s) => sockets.push(s));
    expect(() => strategy.unwrap()).toThrow(/Not initialized/);
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(BindingModule, {
      strategy,
      logger: false,
    });
    await app.listen();
    const conn = await connect(portOf(strategy));
    expect(sockets).toHaveLength(1);
    await conn.end();
    await app.close();
  });

  it('binds handlers declared for its transport id and not those of another transport', async () => {
    const strategy = new MysqlRpcServer({
      port: 0,
      users: { testuser: { password: 'testpass', grants: ['rpc.*'] } },
    });
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(BindingModule, {
      strategy,
      logger: false,
    });
    await app.listen();
    const conn = await connect(portOf(strategy));
    const [mine] = await conn.query('CALL mine()');
    expect((mine as unknown[][])[0]).toEqual([{ who: 'mysql' }]);
    await expect(conn.query('CALL tcp_only()')).rejects.toMatchObject({ errno: 1305 });
    await conn.end();
    await app.close();
  });

  it('runs the processing hooks around every call, the end hook once per call', async () => {
    const server = await startTestServer();
    const events: string[] = [];
    server.strategy.setOnProcessingStartHook((_t, ctx, done) => {
      events.push(`start:${(ctx as { getProcedure(): string }).getProcedure()}`);
      return done();
    });
    server.strategy.setOnProcessingEndHook((_t, ctx) => {
      events.push(`end:${(ctx as { getProcedure(): string }).getProcedure()}`);
    });
    const conn = await connect(server.port);
    await conn.query('CALL myadd(1, 2)');
    await conn.query('CALL multi()');
    await expect(conn.query('CALL crash()')).rejects.toMatchObject({ errno: 1644 });
    expect(events).toEqual([
      'start:myadd',
      'end:myadd',
      'start:multi',
      'end:multi',
      'start:crash',
      'end:crash',
    ]);
    await conn.end();
    await server.close();
  });

  it('acknowledges a CALL of an @EventPattern handler and runs it', async () => {
    const server = await startTestServer();
    const conn = await connect(server.port);
    const [ok] = await conn.query("CALL audit('login', 7)");
    expect(ok).toMatchObject({ affectedRows: 0 });
    await new Promise((r) => setTimeout(r, 20));
    expect(receivedEvents).toContainEqual(['login', 7]);
    await conn.end();
    await server.close();
  });

  it('accepts users from a hash or a custom (async) user store', async () => {
    const hashed = await startTestServer({
      users: {
        ops: { nativePasswordHash: hashPassword('s3cret').nativePasswordHash, grants: ['*.*'] },
      },
    });
    const c1 = await connect(hashed.port, 'ops', 's3cret');
    await c1.end();
    await expect(connect(hashed.port, 'ops', 'nope')).rejects.toMatchObject({ errno: 1045 });
    await hashed.close();

    const lookups: string[] = [];
    const dyn = { user: 'dyn', password: '', grants: ['*.*'] };
    const store: MysqlUserStore = {
      async findAccount(name) {
        lookups.push(name);
        if (name === 'boom') throw new Error('backend down');
        return name === 'dyn' ? dyn : undefined;
      },
    };
    const custom = await startTestServer({ users: store });
    const c2 = await connect(custom.port, 'dyn', '');
    await c2.end();
    // A failing store denies the login with the usual answer and no detail.
    await expect(connect(custom.port, 'boom', 'x')).rejects.toMatchObject({
      errno: 1045,
      message: "Access denied for user 'boom'@'127.0.0.1' (using password: YES)",
    });
    expect(lookups).toEqual(['dyn', 'boom']);
    await custom.close();
  });

  it('refuses bad credentials configuration at construction', () => {
    expect(() => new MysqlRpcServer({ users: { a: {} } })).toThrow(/password or at least one/);
    expect(() => new MysqlRpcServer({ users: { a: { nativePasswordHash: 'abc' } } })).toThrow(
      /40 hex/,
    );
  });

  it('drops a client that does not log in within connectTimeout', async () => {
    const server = await startTestServer({ connectTimeout: 100 });
    const c = await RawClient.connect(server.port);
    await c.read();
    await c.waitClosed(2000);
    await server.close();
  });
});
