import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { MysqlRpcServer } from '../lib/index.js';
import { SAMPLE_ACCOUNTS, SAMPLE_ROLES } from './accounts.js';
import { AppModule } from './app.module.js';

async function bootstrap(): Promise<void> {
  const port = Number(process.env.PORT ?? 3308);
  const host = process.env.HOST ?? '127.0.0.1';
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(AppModule, {
    strategy: new MysqlRpcServer({
      host,
      port,
      users: SAMPLE_ACCOUNTS,
      roles: SAMPLE_ROLES,
    }),
  });
  app.enableShutdownHooks();
  await app.listen();
  console.log(`nestjs-mysql-rpc sample listening on ${host}:${port}`);
  console.log(`try: mysql -h${host} -P${port} -utestuser -ptestpass -e 'call myadd(3,4)'`);
}

void bootstrap();
