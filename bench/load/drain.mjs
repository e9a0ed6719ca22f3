// The background load of the fairness scenario: one connection that sends
// the same big CALL again and again (`CALL series(100000)`: 100,000 rows) and
// reads each reply as raw packets. It checks the row count and the first and
// last row's first column, and parses nothing else: a Node client that built
// 100,000 row objects per call would take a core of the 2-core machine for
// itself, and the latency of the other connection would then measure the
// client, not the server.
//
// Protocol over IPC: {type:'loaded'} once the first call has come back
// complete (the load is then in steady state); on {type:'stop'} it finishes
// the call in flight, quits, and sends {type:'done', result}; errors are sent
// as {type:'error', message}.
// Usage (from bench/run.mjs): node bench/load/drain.mjs '<json options>'
import { createHash } from 'node:crypto';
import { connect } from 'node:net';

const options = JSON.parse(process.argv[2]);
process.on('disconnect', () => process.exit(1));

// Capability flags (MySQL protocol, "Capabilities Flags").
const CLIENT_LONG_PASSWORD = 0x1;
const CLIENT_CONNECT_WITH_DB = 0x8;
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_TRANSACTIONS = 0x2000;
const CLIENT_SECURE_CONNECTION = 0x8000;
const CLIENT_MULTI_RESULTS = 0x20000;
const CLIENT_PLUGIN_AUTH = 0x80000;
const WANTED =
  CLIENT_LONG_PASSWORD |
  CLIENT_CONNECT_WITH_DB |
  CLIENT_PROTOCOL_41 |
  CLIENT_TRANSACTIONS |
  CLIENT_SECURE_CONNECTION |
  CLIENT_MULTI_RESULTS |
  CLIENT_PLUGIN_AUTH;
const STATUS_MORE_RESULTS = 0x0008;

const sha1 = (...parts) => {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** mysql_native_password: SHA1(pw) XOR SHA1(salt + SHA1(SHA1(pw))). */
function scramble(password, salt) {
  if (!password) return Buffer.alloc(0);
  const stage1 = sha1(password);
  const mix = sha1(salt, sha1(stage1));
  for (let i = 0; i < mix.length; i++) mix[i] ^= stage1[i];
  return mix;
}

function packet(seq, payload) {
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = seq;
  return Buffer.concat([header, payload]);
}

/** A length-encoded integer at `pos`: [value, next position]. */
function lenenc(buf, pos) {
  const first = buf[pos];
  if (first < 0xfb) return [first, pos + 1];
  if (first === 0xfc) return [buf.readUInt16LE(pos + 1), pos + 3];
  if (first === 0xfd) return [buf.readUIntLE(pos + 1, 3), pos + 4];
  return [Number(buf.readBigUInt64LE(pos + 1)), pos + 9];
}

/** The first column of a text-protocol row, as a string (null for NULL). */
function firstCell(row) {
  if (row[0] === 0xfb) return null;
  const [length, pos] = lenenc(row, 0);
  return row.toString('utf8', pos, pos + length);
}

function errorText(payload) {
  // 0xff, code (2), '#' + SQLSTATE (5), message
  const code = payload.readUInt16LE(1);
  const start = payload[3] === 0x23 ? 9 : 3;
  return `ERR ${code}: ${payload.toString('utf8', start)}`;
}

/**
 * Splits the byte stream into packet payloads and hands each to `onPacket`.
 * Payloads are views into the received chunks; only a packet cut across two
 * chunks is copied.
 */
function packetReader(socket, onPacket) {
  let pending = null;
  socket.on('data', (chunk) => {
    let buf = pending ? Buffer.concat([pending, chunk]) : chunk;
    pending = null;
    let pos = 0;
    while (buf.length - pos >= 4) {
      const length = buf.readUIntLE(pos, 3);
      if (buf.length - pos - 4 < length) break;
      onPacket(buf.subarray(pos + 4, pos + 4 + length), buf[pos + 3]);
      pos += 4 + length;
    }
    if (pos < buf.length) pending = buf.subarray(pos);
  });
}

const socket = connect({ host: '127.0.0.1', port: options.port });
socket.setNoDelay(true);
let onPacket = null; // the current state of the conversation
packetReader(socket, (payload, seq) => onPacket(payload, seq));
const failed = (message) => {
  process.send({ type: 'error', message });
  process.exitCode = 1;
  socket.destroy();
  process.disconnect();
};
socket.on('error', (error) => failed(`load connection: ${error.message}`));

/** Logs in; resolves once the server says OK. */
function login() {
  return new Promise((resolve, reject) => {
    onPacket = (greeting) => {
      if (greeting[0] === 0xff) return reject(new Error(errorText(greeting)));
      let pos = greeting.indexOf(0, 1) + 1; // after the server version
      pos += 4; // connection id
      const salt1 = greeting.subarray(pos, pos + 8);
      pos += 9; // salt part 1, filler
      const capsLow = greeting.readUInt16LE(pos);
      pos += 2 + 1 + 2; // caps (low), charset, status
      const capsHigh = greeting.readUInt16LE(pos);
      pos += 2;
      const saltLength = greeting[pos];
      pos += 1 + 10; // salt length, reserved
      const salt2Length = Math.max(13, saltLength - 8) - 1; // it ends with a NUL
      const salt = Buffer.concat([salt1, greeting.subarray(pos, pos + salt2Length)]);
      const serverCaps = capsLow | (capsHigh << 16);
      const caps = (WANTED & serverCaps) | CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION;
      const fixed = Buffer.alloc(32);
      fixed.writeUInt32LE(caps >>> 0, 0);
      fixed.writeUInt32LE(16 * 1024 * 1024, 4);
      fixed[8] = 45; // utf8mb4_general_ci
      const auth = scramble(options.password, salt);
      const parts = [fixed, Buffer.from(`${options.user}\0`), Buffer.from([auth.length]), auth];
      if (caps & CLIENT_CONNECT_WITH_DB) parts.push(Buffer.from(`${options.database}\0`));
      if (caps & CLIENT_PLUGIN_AUTH) parts.push(Buffer.from('mysql_native_password\0'));
      socket.write(packet(1, Buffer.concat(parts)));
      onPacket = (reply, replySeq) => {
        if (reply[0] === 0x00) return resolve();
        if (reply[0] === 0xff) return reject(new Error(errorText(reply)));
        if (reply[0] === 0xfe && reply.length > 1) {
          // Auth switch: plugin name, NUL, new salt (NUL-terminated).
          const nameEnd = reply.indexOf(0, 1);
          const plugin = reply.toString('latin1', 1, nameEnd);
          if (plugin !== 'mysql_native_password') {
            return reject(new Error(`unsupported auth plugin ${plugin}`));
          }
          let newSalt = reply.subarray(nameEnd + 1);
          if (newSalt[newSalt.length - 1] === 0) newSalt = newSalt.subarray(0, -1);
          socket.write(packet(replySeq + 1, scramble(options.password, newSalt)));
          return undefined;
        }
        return reject(new Error(`unexpected login reply 0x${reply[0].toString(16)}`));
      };
      return undefined;
    };
  });
}

/**
 * One COM_QUERY; resolves with the first result set's row count and the
 * first column of its first and last rows once the final OK has arrived.
 */
function query(sql) {
  return new Promise((resolve, reject) => {
    let resultIndex = 0;
    let state = 'header'; // header -> columns -> rows -> header ...
    let columnsLeft = 0;
    let rows = 0;
    let first = null;
    let last = null;
    onPacket = (payload) => {
      const head = payload[0];
      if (state === 'header') {
        if (head === 0xff) return reject(new Error(errorText(payload)));
        if (head === 0x00) {
          // OK: affected rows, insert id (both lenenc), then the status flags.
          const [, afterAffected] = lenenc(payload, 1);
          const [, afterId] = lenenc(payload, afterAffected);
          const status = payload.readUInt16LE(afterId);
          if (!(status & STATUS_MORE_RESULTS)) resolve({ rows, first, last });
          return undefined;
        }
        [columnsLeft] = lenenc(payload, 0);
        state = 'columns';
        return undefined;
      }
      if (state === 'columns') {
        if (columnsLeft-- === 0) state = 'rows'; // this packet is the EOF after them
        return undefined;
      }
      // Rows until an EOF packet (0xfe, shorter than 9 bytes).
      if (head === 0xfe && payload.length < 9) {
        const status = payload.readUInt16LE(3);
        resultIndex++;
        state = 'header';
        if (!(status & STATUS_MORE_RESULTS)) resolve({ rows, first, last });
        return undefined;
      }
      if (head === 0xff) return reject(new Error(errorText(payload)));
      if (resultIndex === 0) {
        if (rows === 0) first = firstCell(payload);
        rows++;
        last = payload;
      }
      return undefined;
    };
    const sqlBytes = Buffer.from(sql);
    socket.write(packet(0, Buffer.concat([Buffer.from([0x03]), sqlBytes])));
  }).then((result) => ({ ...result, last: result.last && firstCell(result.last) }));
}

try {
  await login();
  let stopping = false;
  process.on('message', (message) => {
    if (message.type === 'stop') stopping = true;
  });
  const callMs = [];
  const started = process.hrtime.bigint();
  let lastEnd = started;
  while (!stopping) {
    const t0 = process.hrtime.bigint();
    const { rows, first, last } = await query(options.sql);
    const t1 = process.hrtime.bigint();
    if (rows !== options.expectRows || first !== '1' || last !== String(options.expectRows)) {
      throw new Error(
        `${options.sql}: ${rows} rows, ids ${first}..${last}; expected 1..${options.expectRows}`,
      );
    }
    if (callMs.length === 0) process.send({ type: 'loaded' });
    callMs.push(Number(t1 - t0) / 1e6);
    lastEnd = t1;
  }
  socket.end(packet(0, Buffer.from([0x01]))); // COM_QUIT
  callMs.sort((a, b) => a - b);
  process.send({
    type: 'done',
    result: {
      calls: callMs.length,
      callsPerSecond: callMs.length / (Number(lastEnd - started) / 1e9),
      medianCallMs: callMs[Math.floor(callMs.length / 2)],
    },
  });
  process.disconnect();
} catch (error) {
  failed(error?.message ?? String(error));
}
