// The two load generators written in Node. Each opens its connections and
// returns `callers`: functions that make one `myadd(3, 4)` call and report
// (error, sum). A loop runs on each caller, `loopsPerCaller` times over.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * mysql2 (callback API, the lightest path in it): `n` connections, one loop
 * each; with `prepared`, `execute('CALL myadd(?, ?)', [3, 4])` (prepared
 * once per connection, then executed through the binary protocol).
 */
export async function mysql2Callers(port, n, prepared = false) {
  const mysql = require('mysql2');
  const connect = () =>
    new Promise((resolve, reject) => {
      const conn = mysql.createConnection({
        host: '127.0.0.1',
        port,
        user: 'testuser',
        password: 'testpass',
        database: 'rpc',
      });
      conn.connect((error) => (error ? reject(error) : resolve(conn)));
      // A lost connection also fails its pending query; this keeps the event
      // from crashing the worker before that callback reports it.
      conn.on('error', () => {});
    });
  const conns = await Promise.all(Array.from({ length: n }, connect));
  return {
    // A CALL returns [rows of the SELECT, final OK]: the sum is rows[0][0].sum.
    callers: conns.map((conn) =>
      prepared
        ? (done) =>
            conn.execute('CALL myadd(?, ?)', [3, 4], (error, results) =>
              done(error, results?.[0]?.[0]?.sum),
            )
        : (done) =>
            conn.query('CALL myadd(3,4)', (error, results) => done(error, results?.[0]?.[0]?.sum)),
    ),
    loopsPerCaller: 1,
    close: () => Promise.all(conns.map((conn) => new Promise((resolve) => conn.end(resolve)))),
  };
}

/**
 * Nest's own ClientProxy over TCP: one client (one socket, as Nest users run
 * it) with `inFlight` loops sharing it.
 */
export async function nestTcpCallers(port, inFlight) {
  const { ClientProxyFactory, Transport } = require('@nestjs/microservices');
  const client = ClientProxyFactory.create({
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port },
  });
  await client.connect();
  const call = (done) => {
    let answered = false;
    client.send('myadd', [3, 4]).subscribe({
      next: (value) => {
        answered = true;
        done(null, value?.sum);
      },
      error: (error) => done(error instanceof Error ? error : new Error(JSON.stringify(error))),
      complete: () => answered || done(new Error('completed without a value')),
    });
  };
  return { callers: [call], loopsPerCaller: inFlight, close: () => client.close() };
}
