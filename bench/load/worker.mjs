// Child entry point of one Node-client measurement. It runs apart from the
// orchestrator so each measurement starts from the same clean client process
// and the orchestrator's own work never shares its event loop.
//
// Protocol over IPC: we send {type:'warm'} once connected, checked and warmed
// up; the orchestrator samples the server's CPU and answers {type:'go'}; we
// send {type:'done', result} at the end of the timed window; errors are sent
// as {type:'error', message}.
// Usage (from bench/run.mjs): node bench/load/worker.mjs '<json options>'
import { mysql2Callers, nestTcpCallers } from './clients.mjs';
import { percentileMicros, runTimed } from './loop.mjs';

const options = JSON.parse(process.argv[2]);
// If the orchestrator dies, so do we.
process.on('disconnect', () => process.exit(1));

try {
  const { callers, loopsPerCaller, close } =
    options.client === 'nest-tcp'
      ? await nestTcpCallers(options.port, options.connections)
      : await mysql2Callers(options.port, options.connections, options.prepared);

  // The first call on every connection must answer sum 7.
  await Promise.all(
    callers.map(
      (call) =>
        new Promise((resolve, reject) =>
          call((error, sum) => {
            if (error) reject(error);
            else if (Number(sum) !== 7) reject(new Error(`first call: sum = ${sum}, expected 7`));
            else resolve();
          }),
        ),
    ),
  );
  // Warm-up: JIT of both sides, socket buffers, the server's caches.
  await runTimed(callers, loopsPerCaller, options.warmup, false);
  const go = new Promise((resolve) => process.once('message', resolve));
  process.send({ type: 'warm' });
  await go;

  const { calls, elapsedNs, latencies } = await runTimed(
    callers,
    loopsPerCaller,
    options.seconds,
    true,
  );
  const sorted = Float64Array.from(latencies).sort();
  process.send({
    type: 'done',
    result: {
      calls,
      seconds: elapsedNs / 1e9,
      qps: calls / (elapsedNs / 1e9),
      p50us: percentileMicros(sorted, 0.5),
      p99us: percentileMicros(sorted, 0.99),
      maxUs: percentileMicros(sorted, 1),
    },
  });
  await close();
  process.disconnect();
} catch (error) {
  process.send({ type: 'error', message: error?.message ?? String(error) });
  process.exitCode = 1;
  process.disconnect();
}
