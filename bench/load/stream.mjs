// Child entry point of one streaming measurement: `CALL numbers(n)` on one
// mysql2 connection, rows taken one at a time from the 'result' event (no
// callback, so mysql2 keeps none of them: the client holds one row at a time
// too). It checks the row count and the first and last row.
//
// Protocol over IPC: {type:'ready'} once logged in and checked; the
// orchestrator reads the server's RSS and CPU and answers {type:'go'};
// {type:'done', result} after the final OK; errors as {type:'error', message}.
// Usage (from bench/run.mjs): node bench/load/stream.mjs '<json options>'
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const mysql = require('mysql2');
const options = JSON.parse(process.argv[2]);
process.on('disconnect', () => process.exit(1));

const EPOCH = Date.UTC(2026, 0, 1);
/** Row i as both servers send it: id, label, value, at (DATETIME(3), as text). */
const expectedRow = (i) => [
  i,
  `row ${i}`,
  i / 8,
  new Date(EPOCH + i * 1000).toISOString().replace('T', ' ').replace('Z', ''),
];

/** Same values; a DATETIME without the `.000` (a server sending DATETIME(0)) is accepted. */
function sameRow(row, i) {
  const want = expectedRow(i);
  return (
    Array.isArray(row) &&
    row.length === 4 &&
    Number(row[0]) === want[0] &&
    row[1] === want[1] &&
    Number(row[2]) === want[2] &&
    String(row[3]).replace(/\.0+$/, '') === want[3].replace(/\.0+$/, '')
  );
}

/** Runs the call; resolves with rows, time to first row and total time. */
function streamCall(conn, n) {
  return new Promise((resolve, reject) => {
    let rows = 0;
    let first = null;
    let last = null;
    let firstRowNs = null;
    const t0 = process.hrtime.bigint();
    const q = conn.query({ sql: `CALL numbers(${n})`, rowsAsArray: true });
    q.on('result', (row, index) => {
      // The CALL's final OK arrives as a second "result" (not an array).
      if (index !== 0 || !Array.isArray(row)) return;
      if (rows === 0) {
        first = row;
        firstRowNs = process.hrtime.bigint();
      }
      rows++;
      last = row;
    });
    q.on('error', reject);
    q.on('end', () => {
      const t1 = process.hrtime.bigint();
      const shape = (row) => {
        const text = JSON.stringify(row) ?? String(row);
        return text.length > 120 ? `${text.slice(0, 120)}...` : text;
      };
      if (rows !== n || !sameRow(first, 1) || !sameRow(last, n)) {
        reject(
          new Error(
            `CALL numbers(${n}): ${rows} rows, first ${shape(first)}, last ${shape(last)}; ` +
              `expected ${n} rows from ${shape(expectedRow(1))} to ${shape(expectedRow(n))}`,
          ),
        );
        return;
      }
      resolve({
        rows,
        seconds: Number(t1 - t0) / 1e9,
        firstRowMs: Number(firstRowNs - t0) / 1e6,
      });
    });
  });
}

const conn = mysql.createConnection({
  host: '127.0.0.1',
  port: options.port,
  user: 'testuser',
  password: 'testpass',
  database: 'rpc',
  dateStrings: true, // the DATETIME is compared as text: no time zone in play
});
conn.on('error', () => {}); // a lost connection also fails the query in flight

try {
  await new Promise((resolve, reject) => conn.connect((e) => (e ? reject(e) : resolve())));
  await streamCall(conn, 3); // a small call checks the shape before the timed one
  const go = new Promise((resolve) => process.once('message', resolve));
  process.send({ type: 'ready' });
  await go;
  const result = await streamCall(conn, options.rows);
  process.send({
    type: 'done',
    result: { ...result, rowsPerSecond: result.rows / result.seconds },
  });
  await new Promise((resolve) => conn.end(resolve));
  process.disconnect();
} catch (error) {
  process.send({ type: 'error', message: error?.message ?? String(error) });
  process.exitCode = 1;
  conn.destroy();
  process.disconnect();
}
