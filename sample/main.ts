import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { MysqlRpcServer } from '../lib/index.js';
import { SAMPLE_ACCOUNTS, SAMPLE_ROLES } from './accounts.js';
import { AppModule } from './app.module.js';

async function bootstrap(): Promise<void> {
  const port = Number(process.env.PORT ?? 3308);
  const host = process.env.HOST ?? '127.0.0.1';
  const statusPort = Number(process.env.STATUS_PORT ?? 8308);
  const strategy = new MysqlRpcServer({
    host,
    port,
    users: SAMPLE_ACCOUNTS,
    roles: SAMPLE_ROLES,
    // The status page, its JSON and /metrics, on this machine only, for `root`
    // with the view password `viewpass` (a demo: production config holds verifiers).
    statusHttp: { port: statusPort, viewers: { root: 'viewpass' } },
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
  console.log(`status: curl -u root:viewpass http://127.0.0.1:${statusPort}/status.json`);
}

void bootstrap();
