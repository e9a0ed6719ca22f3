import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { MysqlRpcServer } from '../lib/index.js';
import { SAMPLE_ACCOUNTS, SAMPLE_ROLES } from './accounts.js';
import { AppModule } from './app.module.js';

async function bootstrap(): Promise<void> {
  const port = Number(process.env.PORT ?? 3308);
  const host = process.env.HOST ?? '127.0.0.1';
  const strategy = new MysqlRpcServer({
    host,
    port,
    users: SAMPLE_ACCOUNTS,
    roles: SAMPLE_ROLES,
  });
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(AppModule, { strategy });
  // app.close() drains the transport first (calls in flight finish, new
  // commands get ERR 1053), then runs the providers' destroy hooks. Nest's
  // enableShutdownHooks() would run those hooks before the drain, under
  // calls still running, so the signals are handled here instead.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      console.log(`${signal}: draining calls in flight, then closing`);
      void app.close().then(() => process.exit(0));
    });
  }
  await app.listen();
  console.log(`nestjs-mysql-rpc sample listening on ${host}:${port}`);
  console.log(`try: mysql -h${host} -P${port} -utestuser -ptestpass -e 'call myadd(3,4)'`);
}

void bootstrap();
