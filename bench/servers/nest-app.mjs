// Shared start-up of the two Nest peers: the same sample AppModule (the same
// MathController) under a given transport, so the only difference between
// them is the transport. Loaded from the CommonJS build in dist/ (made by
// `npm run build:sample`), as a Nest 11 user would run it.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { URL, fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// BENCH_DIST points at another build (e.g. of an older commit) to compare
// builds with the same bench; by default the one `npm run bench` just made.
const dist = process.env.BENCH_DIST
  ? `${resolve(process.env.BENCH_DIST)}/`
  : fileURLToPath(new URL('../../dist/', import.meta.url));

/** Starts the sample app with `options` and prints "READY <port>" for the orchestrator. */
export async function startNestApp(makeOptions) {
  require('reflect-metadata');
  const { NestFactory } = require('@nestjs/core');
  const { AppModule } = require(`${dist}sample/app.module.js`);
  const port = Number(process.argv[2]);
  const app = await NestFactory.createMicroservice(AppModule, {
    ...makeOptions({ require, dist, port }),
    // Start-up banners only; a logger call per request would be measured too.
    logger: ['error', 'warn'],
  });
  await app.listen();
  console.log(`READY ${port}`);
  // The orchestrator holds our stdin open: its end means it is gone (even
  // when it was killed with SIGKILL), so we go too and leave no orphan.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
  process.on('SIGTERM', () => app.close().finally(() => process.exit(0)));
}
