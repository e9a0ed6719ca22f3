// The fuzz harness's server: the sample app as built in dist/ (its module,
// its accounts and roles), on the port the harness chose, with
//  - the harness's extra accounts (core/accounts.mjs), and
//  - the failed-login throttle from FUZZ_THROTTLE: `off` (the campaign's
//    server: every input judged on its own, none turned into a delay or an
//    ERR 1129 by the inputs before it) or a JSON LoginThrottleOptions (the
//    throttle check's server).
// Everything else is the sample's configuration (TLS with a generated
// certificate, a generated RSA key, caching_sha2_password in the greeting,
// connectTimeout 10 s).
// Over the IPC channel the harness may ask for the server's prepared-statement
// count ({ type: 'prepared' } -> { type: 'prepared-done', prepared: { count,
// limit } }), and the server exits when the channel closes.
//   FUZZ_ROOT=<repo> PORT=<port> node test/fuzz/core/server-entry.mjs
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FUZZ_ACCOUNTS, sampleAccounts } from './accounts.mjs';

const root = process.env.FUZZ_ROOT;
if (!root) throw new Error('FUZZ_ROOT is not set');
const require = createRequire(join(root, 'package.json'));
require('reflect-metadata');
const { NestFactory } = require('@nestjs/core');
const { MysqlRpcServer, hashPassword } = require(join(root, 'dist/lib/index.js'));
const { AppModule } = require(join(root, 'dist/sample/app.module.js'));

const { accounts, roles } = sampleAccounts(root);
const extra = FUZZ_ACCOUNTS.map(({ hashOnly, password, ...a }) =>
  hashOnly === 'sha2'
    ? { ...a, cachingSha2PasswordHash: hashPassword(password).cachingSha2PasswordHash }
    : { ...a, password },
);
const throttle = process.env.FUZZ_THROTTLE ?? 'off';
const port = Number(process.env.PORT);
const host = process.env.HOST ?? '127.0.0.1';
const strategy = new MysqlRpcServer({
  host,
  port,
  users: [...accounts, ...extra],
  roles,
  loginThrottle: throttle === 'off' ? false : JSON.parse(throttle),
});
const app = await NestFactory.createMicroservice(AppModule, {
  strategy,
  logger: ['error', 'warn'],
});
if (process.send) {
  process.on('message', (message) => {
    if (message?.type !== 'prepared') return;
    // The server exposes no count of its prepared statements: the harness reads the
    // private field (SessionServices.preparedStatements, a PreparedStatementBudget).
    const budget = strategy['services']?.preparedStatements;
    process.send({
      type: 'prepared-done',
      id: message.id,
      prepared: budget ? { count: budget.count, limit: budget.limit } : null,
    });
  });
  process.on('disconnect', () => process.exit(0));
  process.channel?.unref();
}
app.enableShutdownHooks();
await app.listen();
console.log(`fuzz server listening on ${host}:${port} (throttle ${throttle})`);
