/**
 * Kind `command`: packets after a successful login. Seeds are the commands
 * real clients sent (captured) plus one of each command the server knows
 * and every command byte 0x00..0xff; mutations change the command byte,
 * the body, the framing (length lies, sequence ids, several packets in one
 * write). Runs on a logged-in connection that is kept while it stays usable.
 * Beyond the shared oracle: the server's prepared-statement count equals
 * what the harness's connections hold after each input.
 */
import { mutateBytes, mutateFrames } from '../core/mutate.mjs';
import { checkStatementCount } from '../core/statements.mjs';
import {
  COM,
  command,
  frame,
  lenenc,
  lenencBytes,
  nul,
  SCRAMBLE_PLACEHOLDER,
  USER,
} from '../core/wire.mjs';

/** COM_STMT_EXECUTE for statement `id` with `types` and `values` (already encoded). */
export function stmtExecute(id, types = [], values = []) {
  const head = Buffer.alloc(9);
  head.writeUInt32LE(id, 0);
  head[4] = 0; // CURSOR_TYPE_NO_CURSOR
  head.writeUInt32LE(1, 5); // iteration count
  const parts = [Buffer.from([COM.STMT_EXECUTE]), head];
  if (types.length > 0) {
    parts.push(Buffer.alloc((types.length + 7) >> 3), Buffer.from([1]));
    for (const t of types) parts.push(Buffer.from([t, 0]));
    parts.push(...values);
  }
  return frame(0, Buffer.concat(parts));
}

function knownCommands() {
  const u32 = (n) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n >>> 0);
    return b;
  };
  const i64 = (n) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(n));
    return b;
  };
  return [
    command(COM.QUERY, 'CALL myadd(3,4)'),
    command(COM.QUERY, 'SELECT @@version_comment LIMIT 1'),
    command(COM.QUERY, 'CALL stats()'),
    command(COM.QUERY, "SET @a = 'x'"),
    command(COM.INIT_DB, 'rpc'),
    command(COM.INIT_DB, 'nope'),
    command(COM.INIT_DB, ''),
    command(COM.FIELD_LIST, Buffer.concat([nul('t'), Buffer.from('%')])),
    command(COM.FIELD_LIST),
    command(COM.PING),
    command(COM.STATISTICS),
    command(COM.SET_OPTION, Buffer.from([1, 0])),
    command(COM.SET_OPTION, Buffer.from([0, 0])),
    command(COM.SET_OPTION, Buffer.from([2, 0])),
    command(COM.RESET_CONNECTION),
    command(COM.QUIT),
    command(COM.SLEEP),
    // COM_CHANGE_USER as mysql2 sends it: user, lenenc-less auth, db, charset, plugin, attrs.
    command(
      COM.CHANGE_USER,
      Buffer.concat([
        nul(USER),
        Buffer.from([20]),
        SCRAMBLE_PLACEHOLDER,
        nul('rpc'),
        Buffer.from([45, 0]),
        nul('mysql_native_password'),
        lenencBytes(
          Buffer.concat([
            lenencBytes(Buffer.from('_client_name')),
            lenencBytes(Buffer.from('fuzz')),
          ]),
        ),
      ]),
    ),
    command(COM.CHANGE_USER, Buffer.concat([nul('nobody'), Buffer.from([0]), nul('')])),
    command(COM.STMT_PREPARE, 'CALL myadd(?, ?)'),
    command(COM.STMT_PREPARE, 'SELECT ?'),
    stmtExecute(1),
    stmtExecute(1, [0x08, 0x08], [i64(3), i64(4)]),
    stmtExecute(1, [0xfd, 0x03], [lenencBytes(Buffer.from('3')), u32(4)]),
    stmtExecute(0xffffffff, [0x06], []),
    command(
      COM.STMT_SEND_LONG_DATA,
      Buffer.concat([u32(1), Buffer.from([0, 0]), Buffer.from('data')]),
    ),
    command(COM.STMT_CLOSE, u32(1)),
    command(COM.STMT_RESET, u32(1)),
    command(COM.STMT_FETCH, Buffer.concat([u32(1), u32(10)])),
    command(0x1e, lenenc(0)),
  ];
}

/** A packet to pipeline after another one. */
function extraFrame(rng, corpus) {
  if (rng.chance(0.3)) return command(rng.u32() & 0xff, rng.bytes(rng.size(16)));
  return rng.pick(corpus);
}

export default {
  name: 'command',
  description: 'command packets after login',
  weight: 3,
  session: 'logged-in',
  seeds(ctx) {
    const out = knownCommands().map((bytes) => ({ bytes }));
    for (const c of ctx.captured.commands) out.push({ bytes: frame(0, Buffer.from(c.hex, 'hex')) });
    // Every command byte, empty and with a short body of its own.
    for (let b = 0; b <= 0xff; b++) {
      out.push({ bytes: command(b) });
      const body = Buffer.alloc(9);
      body.writeUInt32LE(Math.imul(b, 2654435761) >>> 0, 0);
      out.push({ bytes: command(b, body.subarray(0, 1 + (b % 9))) });
    }
    return out;
  },
  mutate(rng, entry, ctx) {
    if (rng.chance(0.15)) {
      // A fresh command: any byte, a short random body.
      return { bytes: command(rng.u32() & 0xff, rng.bytes(rng.size(64))) };
    }
    const base = knownCommands();
    const c = { ...ctx, extraFrames: (r) => extraFrame(r, base) };
    const payloadMutator = (r, p, x) => {
      if (p.length > 0 && r.chance(0.25)) {
        const out = Buffer.from(p);
        out[0] = r.chance(0.5)
          ? r.u32() & 0xff
          : r.pick([0x03, 0x11, 0x16, 0x17, 0x18, 0x19, 0x1b]);
        return out;
      }
      return mutateBytes(r, p, x);
    };
    return { bytes: mutateFrames(rng, entry.bytes, c, payloadMutator) };
  },
  wire: (bytes) => bytes,
  /** Commands prepare and close statements too: the server's count must follow (core/statements.mjs). */
  after: (s) => checkStatementCount(s.env),
};
