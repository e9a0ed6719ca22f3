// Child entry point of one connect-per-call measurement: each of `clients`
// loops opens a fresh connection, logs in, runs `CALL myadd(1,2)` (sum 3,
// checked; `args` picks others), quits, and starts over, as a PHP-style
// client does per request.
// mysql2 (optionally over TLS) for the MySQL-speaking peers; for Nest's TCP
// transport a fresh ClientProxy per call (connect, send, close), which has
// no login to do.
//
// A call ends when the quit has been written (mysql2's end() callback; the
// ClientProxy's close()), as libmysqlclient's mysql_close() does: the
// server's work on the close overlaps the next connect, and its CPU is
// counted all the same.
//
// Protocol over IPC as load/worker.mjs: {type:'warm'} after a checked first
// call and the warm-up; {type:'go'} starts the timed window; {type:'done',
// result}; errors as {type:'error', message}.
// Usage (from bench/run.mjs): node bench/load/connect.mjs '<json options>'
import { createRequire } from 'node:module';
import { percentileMicros, runTimed } from './loop.mjs';

const require = createRequire(import.meta.url);
const options = JSON.parse(process.argv[2]);
process.on('disconnect', () => process.exit(1));
const [A, B] = options.args ?? [1, 2];
const EXPECT_SUM = A + B;

/** One mysql2 connect + login + CALL + quit; reports (error, sum). */
function mysql2Cycle() {
  const mysql = require('mysql2');
  const config = {
    host: '127.0.0.1',
    port: options.port,
    user: options.user,
    password: options.password,
    database: 'rpc',
    // mysql2 gives every new connection a prepared-statement cache sized for
    // this many (default 16,000), allocated up front: it doubled the client's
    // CPU per connect (2.2 ms -> 0.9 ms here). Nothing here is prepared.
    maxPreparedStatements: 1,
    // The servers' certificates are self-signed: encrypted, not verified.
    ...(options.tls ? { ssl: { rejectUnauthorized: false } } : {}),
  };
  return (done) => {
    const conn = mysql.createConnection(config);
    let finished = false;
    const finish = (error, sum) => {
      if (finished) return;
      finished = true;
      done(error, sum);
    };
    // A failed handshake fails the queued query too; this keeps the event
    // from crashing the worker before that callback reports it.
    conn.on('error', (error) => {
      conn.destroy();
      finish(error);
    });
    conn.query(`CALL myadd(${A},${B})`, (error, results) => {
      if (error) {
        conn.destroy();
        finish(error);
        return;
      }
      const sum = results?.[0]?.[0]?.sum;
      conn.end(() => finish(null, sum));
    });
  };
}

/** One Nest ClientProxy per call: connect, send `myadd` [a, b], close. */
function nestTcpCycle() {
  const { ClientProxyFactory, Transport } = require('@nestjs/microservices');
  return (done) => {
    const client = ClientProxyFactory.create({
      transport: Transport.TCP,
      options: { host: '127.0.0.1', port: options.port },
    });
    let answered = false;
    const finish = (error, sum) => {
      if (answered) return;
      answered = true;
      Promise.resolve(client.close()).then(
        () => done(error, sum),
        () => done(error, sum),
      );
    };
    client.connect().then(
      () =>
        client.send('myadd', [A, B]).subscribe({
          next: (value) => finish(null, value?.sum),
          error: (error) =>
            finish(error instanceof Error ? error : new Error(JSON.stringify(error))),
          complete: () => finish(new Error('completed without a value')),
        }),
      (error) => finish(error),
    );
  };
}

try {
  const cycle = options.client === 'nest-tcp' ? nestTcpCycle() : mysql2Cycle();
  // The first call must answer the right sum (every later one is checked too).
  await new Promise((resolve, reject) =>
    cycle((error, sum) => {
      if (error) reject(error);
      else if (Number(sum) !== EXPECT_SUM) {
        reject(new Error(`first call: sum = ${sum}, expected ${EXPECT_SUM}`));
      } else resolve();
    }),
  );
  // Warm-up: JIT of both sides, the server's caches, TLS session machinery.
  await runTimed([cycle], options.clients, options.warmup, false, EXPECT_SUM);
  const go = new Promise((resolve) => process.once('message', resolve));
  process.send({ type: 'warm' });
  await go;

  const { calls, elapsedNs, latencies } = await runTimed(
    [cycle],
    options.clients,
    options.seconds,
    true,
    EXPECT_SUM,
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
  process.disconnect();
} catch (error) {
  process.send({ type: 'error', message: error?.message ?? String(error) });
  process.exitCode = 1;
  process.disconnect();
}
