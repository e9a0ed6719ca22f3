// The soak's server child: `node --expose-gc test/soak/lib/server-entry.mjs`
// runs the sample app (dist/sample/main.js, or SOAK_SERVER_MAIN) unchanged,
// with one addition that changes nothing in the server: over the IPC
// channel the harness may ask for
//  - a full garbage collection before it reads memory, so the baseline and
//    the final figure compare live memory, not garbage V8 has not yet needed
//    to collect ({ type: 'gc' } -> { type: 'gc-done', memory });
// and the server exits when the channel closes (the harness is gone, even
// after a SIGKILL) instead of lingering as an orphan.
// (Started through this file rather than `node dist/sample/main.js` also so
// that a cleanup by name of other sample servers on a shared machine does
// not take the soak's server down mid-run.)
import { createRequire } from 'node:module';
import { fileURLToPath, URL } from 'node:url';

if (process.send) {
  process.on('message', (message) => {
    if (message?.type !== 'gc') return;
    if (typeof globalThis.gc === 'function') {
      globalThis.gc();
      globalThis.gc();
    }
    process.send({ type: 'gc-done', id: message.id, memory: process.memoryUsage() });
  });
  process.on('disconnect', () => process.exit(0));
  process.channel?.unref();
}

// The sample app is CommonJS (dist/ from `npm run build:sample`).
createRequire(import.meta.url)(
  process.env.SOAK_SERVER_MAIN ||
    fileURLToPath(new URL('../../../dist/sample/main.js', import.meta.url)),
);
