// The soak's server child: `node --expose-gc test/soak/lib/server-entry.mjs`
// runs the sample app as built in dist/ (its module, its accounts and roles,
// its defaults: TLS with a generated certificate, a generated RSA key,
// caching_sha2_password in the greeting, the failed-login throttle on), the
// way sample/main.ts starts it, plus:
//  - the soak's own accounts (SOAK_ACCOUNTS): `soakhash` is configured with
//    a caching_sha2_password verifier only, so no digest is known at start:
//    its logins take the full path (RSA without TLS, the password in clear
//    over TLS) until one succeeds, and again after every FLUSH PRIVILEGES;
//    `soakprobe` is the same, for the flusher alone;
//  - over the IPC channel the harness may ask for
//    - a full garbage collection before it reads memory, so the baseline
//      and the final figure compare live memory, not garbage V8 has not yet
//      needed to collect ({ type: 'gc' } -> { type: 'gc-done', memory }),
//    - the server's own counters (MysqlRpcServer.stats: logins, auth checks
//      by kind, throttle), to reconcile with what the clients did
//      ({ type: 'stats' } -> { type: 'stats-done', stats }),
//    - its prepared-statement count and limit, which must come back to 0
//      once every client has gone ({ type: 'prepared' } -> { type:
//      'prepared-done', prepared: { count, limit } });
// and the server exits when the channel closes (the harness is gone, even
// after a SIGKILL) instead of lingering as an orphan.
// SOAK_SERVER_MAIN (dist/sample/main.js of another build) picks the build:
// its sample/ and lib/ are used.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';

/** Accounts the soak adds to the sample's. */
export const SOAK_ACCOUNTS = [
  { user: 'soakhash', password: 'soakhashpass', hashOnly: true, grants: ['rpc.*'] },
  // Only the admin's flusher logs in with it: its cache state is known at every step.
  { user: 'soakprobe', password: 'soakprobepass', hashOnly: true, grants: ['whoami'] },
];

async function main() {
  const mainJs =
    process.env.SOAK_SERVER_MAIN ||
    fileURLToPath(new URL('../../../dist/sample/main.js', import.meta.url));
  const sampleDir = dirname(mainJs);
  const require = createRequire(mainJs);
  require('reflect-metadata');
  const { NestFactory } = require('@nestjs/core');
  const { MysqlRpcServer, hashPassword } = require(join(sampleDir, '../lib/index.js'));
  const { SAMPLE_ACCOUNTS, SAMPLE_ROLES } = require(join(sampleDir, 'accounts.js'));
  const { AppModule } = require(join(sampleDir, 'app.module.js'));
  const extra = SOAK_ACCOUNTS.map(({ hashOnly, password, ...a }) =>
    hashOnly
      ? { ...a, cachingSha2PasswordHash: hashPassword(password).cachingSha2PasswordHash }
      : { ...a, password },
  );
  const port = Number(process.env.PORT ?? 3308);
  const host = process.env.HOST ?? '127.0.0.1';
  const strategy = new MysqlRpcServer({
    host,
    port,
    users: [...SAMPLE_ACCOUNTS, ...extra],
    roles: SAMPLE_ROLES,
    // The soak holds up to ~150 connections, and closing ones count until their
    // sockets end: max_connections (151 by default) has tests of its own.
    maxConnections: 4096,
  });
  const app = await NestFactory.createMicroservice(AppModule, { strategy });
  app.enableShutdownHooks();

  if (process.send) {
    process.on('message', (message) => {
      if (message?.type === 'gc') {
        if (typeof globalThis.gc === 'function') {
          globalThis.gc();
          globalThis.gc();
        }
        process.send({ type: 'gc-done', id: message.id, memory: process.memoryUsage() });
      } else if (message?.type === 'prepared') {
        // The server exposes no count of its prepared statements: the harness reads the private
        // field (SessionServices.preparedStatements, a PreparedStatementBudget with a count getter).
        const budget = strategy['services']?.preparedStatements;
        process.send({
          type: 'prepared-done',
          id: message.id,
          prepared: budget ? { count: budget.count, limit: budget.limit } : null,
        });
      } else if (message?.type === 'stats') {
        const s = strategy.stats;
        process.send({
          type: 'stats-done',
          id: message.id,
          stats: {
            sessionsTotal: s.sessionsTotal,
            connectionsOpen: s.connectionsOpen,
            questions: s.questions,
            loginsFailed: s.loginsFailed,
            auth: { ...s.auth },
            loginThrottle: { ...s.loginThrottle },
          },
        });
      }
    });
    process.on('disconnect', () => process.exit(0));
    process.channel?.unref();
  }

  await app.listen();
  console.log(`nestjs-mysql-rpc sample (soak) listening on ${host}:${port}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error('ERROR soak server failed to start', error);
    process.exit(1);
  });
}
