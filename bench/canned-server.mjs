// The ceiling peer: a plain `net` server that speaks just enough of the MySQL
// protocol for mysql2 and mariadb-slap to log in, then answers every COM_QUERY
// with the same precomputed bytes (the reply to `CALL myadd(3,4)`). It parses
// packet headers and the command byte only: no SQL, no Nest, no allocation per
// call beyond what `net` does. Nothing written on Node can answer faster, so
// our transport's fraction of it is the honest "how much do we cost" number.
//
// Usage: node bench/canned-server.mjs <port>   (prints "READY <port>")
import { createServer } from 'node:net';

// Capability flags (MySQL protocol, "Capabilities Flags").
const CLIENT_LONG_PASSWORD = 0x1;
const CLIENT_CONNECT_WITH_DB = 0x8;
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_TRANSACTIONS = 0x2000;
const CLIENT_SECURE_CONNECTION = 0x8000;
const CLIENT_MULTI_RESULTS = 0x20000;
const CLIENT_PLUGIN_AUTH = 0x80000;
const CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 0x200000;
// DEPRECATE_EOF is deliberately not advertised: classic EOF packets keep the
// precomputed reply identical for every client.
const CAPABILITIES =
  CLIENT_LONG_PASSWORD |
  CLIENT_CONNECT_WITH_DB |
  CLIENT_PROTOCOL_41 |
  CLIENT_TRANSACTIONS |
  CLIENT_SECURE_CONNECTION |
  CLIENT_MULTI_RESULTS |
  CLIENT_PLUGIN_AUTH |
  CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;

const STATUS_AUTOCOMMIT = 0x0002;
const STATUS_MORE_RESULTS = 0x0008;

const COM_QUIT = 0x01;
const COM_QUERY = 0x03;

/** One packet: 3-byte little-endian length, sequence id, payload. */
function packet(seq, payload) {
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = seq;
  return Buffer.concat([header, payload]);
}

/** Length-encoded string, for strings shorter than 251 bytes (all of ours). */
const lenencString = (s) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)]);

/** OK packet: affected rows 0, insert id 0, the given status, no warnings. */
const okPayload = (status) => Buffer.from([0x00, 0x00, 0x00, status & 0xff, status >> 8, 0, 0]);

/** EOF packet (pre-DEPRECATE_EOF): no warnings, the given status. */
const eofPayload = (status) => Buffer.from([0xfe, 0, 0, status & 0xff, status >> 8]);

function greeting(connectionId) {
  // 20 salt bytes in 1..127: never NUL, so clients that read it as a
  // NUL-terminated string still get all of it.
  const salt = Buffer.alloc(20);
  for (let i = 0; i < 20; i++) salt[i] = 1 + Math.floor(Math.random() * 127);
  const fixed = Buffer.alloc(4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10); // reserved bytes stay zero
  let o = fixed.writeUInt32LE(connectionId, 0);
  o += salt.copy(fixed, o, 0, 8); // auth-plugin-data part 1
  o = fixed.writeUInt8(0, o); // filler
  o = fixed.writeUInt16LE(CAPABILITIES & 0xffff, o);
  o = fixed.writeUInt8(45, o); // utf8mb4_general_ci: known to every client
  o = fixed.writeUInt16LE(STATUS_AUTOCOMMIT, o);
  o = fixed.writeUInt16LE(CAPABILITIES >>> 16, o);
  fixed.writeUInt8(21, o); // auth data length: 20 salt bytes + NUL
  return packet(
    0,
    Buffer.concat([
      Buffer.from([10]), // protocol version
      Buffer.from('8.0.36-canned\0'),
      fixed,
      salt.subarray(8), // auth-plugin-data part 2 (12 bytes) ...
      Buffer.from([0]), // ... and its NUL
      Buffer.from('mysql_native_password\0'),
    ]),
  );
}

/** The fixed-length tail of a column definition: a BIGINT, as MariaDB describes `a + b`. */
function columnFixedFields() {
  const fields = Buffer.alloc(13); // decimals and the 2-byte filler stay zero
  let o = fields.writeUInt8(0x0c, 0); // length of the fixed fields that follow
  o = fields.writeUInt16LE(63, o); // character set: binary (a number)
  o = fields.writeUInt32LE(21, o); // column length
  o = fields.writeUInt8(0x08, o); // MYSQL_TYPE_LONGLONG (BIGINT)
  fields.writeUInt16LE(0x0080, o); // flags: BINARY
  return fields;
}

// The whole reply to `CALL myadd(3,4)`, as MariaDB sends it without
// DEPRECATE_EOF: column count, column definition, EOF, one row, EOF, then the
// OK that ends a CALL. The first EOFs carry MORE_RESULTS (0x000A with
// autocommit) because the final OK follows.
const columnDefinition = Buffer.concat([
  lenencString('def'), // catalog
  lenencString('rpc'), // schema
  lenencString(''), // table
  lenencString(''), // org_table
  lenencString('sum'), // name
  lenencString(''), // org_name
  columnFixedFields(),
]);
const CALL_REPLY = Buffer.concat([
  packet(1, Buffer.from([1])),
  packet(2, columnDefinition),
  packet(3, eofPayload(STATUS_AUTOCOMMIT | STATUS_MORE_RESULTS)),
  packet(4, lenencString('7')),
  packet(5, eofPayload(STATUS_AUTOCOMMIT | STATUS_MORE_RESULTS)),
  packet(6, okPayload(STATUS_AUTOCOMMIT)),
]);
const OK_REPLY = packet(1, okPayload(STATUS_AUTOCOMMIT));

let nextConnectionId = 1;

const server = createServer({ noDelay: true }, (socket) => {
  socket.write(greeting(nextConnectionId++));
  let loggedIn = false;
  let pending = null; // bytes of an incomplete packet, kept across 'data' events

  socket.on('data', (chunk) => {
    let buf = pending ? Buffer.concat([pending, chunk]) : chunk;
    pending = null;
    let o = 0;
    const replies = [];
    while (buf.length - o >= 4) {
      const length = buf[o] | (buf[o + 1] << 8) | (buf[o + 2] << 16);
      if (buf.length - o < 4 + length) break;
      const seq = buf[o + 3];
      const command = length > 0 ? buf[o + 4] : -1;
      o += 4 + length;
      if (!loggedIn) {
        // Any handshake response is accepted: the OK continues its sequence.
        loggedIn = true;
        replies.push(packet(seq + 1, okPayload(STATUS_AUTOCOMMIT)));
      } else if (command === COM_QUERY) {
        replies.push(CALL_REPLY);
      } else if (command === COM_QUIT) {
        socket.end();
        return;
      } else {
        // COM_PING, COM_INIT_DB (a client's `USE`) and anything else: OK.
        replies.push(OK_REPLY);
      }
    }
    if (o < buf.length) pending = buf.subarray(o);
    if (replies.length === 1) socket.write(replies[0]);
    else if (replies.length > 1) socket.write(Buffer.concat(replies));
  });
  socket.on('error', () => socket.destroy());
});

const port = Number(process.argv[2] ?? process.env.PORT ?? 3307);
server.listen(port, '127.0.0.1', () => {
  console.log(`READY ${server.address().port}`);
});
// The orchestrator closes our stdin when it goes away, even if it is killed.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
