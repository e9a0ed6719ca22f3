import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP relay between a real client and the server that records the MySQL
 * packets of each connection, so tests can show which exchange a client
 * really made (RSA key request, AuthSwitch, fast or full path) and that
 * the sequence ids have no gap. Once the client sends an SSLRequest the
 * rest of that connection is TLS and is only relayed.
 */

/** One packet as it crossed the relay. */
export interface TappedPacket {
  from: 'client' | 'server';
  seq: number;
  payload: Buffer;
}

/** What was seen of one connection. */
export interface TappedConnection {
  packets: TappedPacket[];
  /** The client asked for TLS: packets after its SSLRequest are not readable. */
  tls: boolean;
}

const CLIENT_SSL = 0x800;
const CLIENT_CONNECT_WITH_DB = 0x8;
const CLIENT_SECURE_CONNECTION = 0x8000;
const CLIENT_PLUGIN_AUTH = 0x80000;
const CLIENT_PLUGIN_AUTH_LENENC_DATA = 0x200000;
const COM_CHANGE_USER = 0x11;

export class PacketTap {
  readonly connections: TappedConnection[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Starts a relay on a free port of 127.0.0.1 to the server's port. */
  static async start(targetPort: number): Promise<PacketTap> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const tap = new PacketTap(server, (server.address() as AddressInfo).port);
    server.on('connection', (client: Socket) => tap.relay(client, targetPort));
    return tap;
  }

  /** The connections recorded so far, then forgets them. */
  take(): TappedConnection[] {
    return this.connections.splice(0);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket, targetPort: number): void {
    const upstream = connect(targetPort, '127.0.0.1');
    const record: TappedConnection = { packets: [], tls: false };
    this.connections.push(record);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    const read = (from: TappedPacket['from']) => {
      let pending = Buffer.alloc(0);
      return (chunk: Buffer) => {
        if (record.tls) return;
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 4) {
          const length = pending.readUIntLE(0, 3);
          if (pending.length < 4 + length) break;
          const packet = { from, seq: pending[3]!, payload: pending.subarray(4, 4 + length) };
          pending = pending.subarray(4 + length);
          record.packets.push(packet);
          if (isSslRequest(packet)) {
            record.tls = true;
            return;
          }
        }
      };
    };
    const fromClient = read('client');
    const fromServer = read('server');
    client.on('data', (chunk: Buffer) => {
      fromClient(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      fromServer(chunk);
      client.write(chunk);
    });
    client.on('close', () => upstream.end());
    upstream.on('close', () => client.end());
  }
}

function isSslRequest(p: TappedPacket): boolean {
  return (
    p.from === 'client' &&
    p.seq === 1 &&
    p.payload.length === 32 &&
    (p.payload.readUInt32LE(0) & CLIENT_SSL) !== 0
  );
}

/**
 * Splits a connection into exchanges: the login (from the greeting), then
 * one per command the client started with sequence id 0.
 */
export function exchanges(connection: TappedConnection): TappedPacket[][] {
  const out: TappedPacket[][] = [];
  for (const packet of connection.packets) {
    if (out.length === 0 || (packet.from === 'client' && packet.seq === 0)) out.push([]);
    out[out.length - 1]!.push(packet);
  }
  return out;
}

/** Sequence-id faults of a connection: each exchange must count 0, 1, 2, ... across both sides. */
export function sequenceFaults(connection: TappedConnection): string[] {
  const faults: string[] = [];
  exchanges(connection).forEach((exchange, n) => {
    exchange.forEach((packet, i) => {
      if (packet.seq !== (i & 0xff)) {
        faults.push(`exchange ${n}: packet ${i} from ${packet.from} has seq ${packet.seq}`);
      }
    });
  });
  return faults;
}

/**
 * The login of a connection, one short line per packet up to the server's
 * verdict: `S0 greeting caching_sha2_password`, `C1 login hashed
 * caching_sha2_password auth=32`, `S2 more 04`, `C3 02`, `S4 more
 * -----BEGIN PUBLIC KEY-----`, `C5 256 bytes`, `S6 OK`.
 */
export function describeLogin(connection: TappedConnection): string[] {
  return describeAuth(exchanges(connection)[0] ?? []);
}

/** The same for a COM_CHANGE_USER exchange (`C0 change-user ...`). */
export function describeChangeUsers(connection: TappedConnection): string[][] {
  return exchanges(connection)
    .filter((e) => e[0]?.from === 'client' && e[0].payload[0] === COM_CHANGE_USER)
    .map(describeAuth);
}

function describeAuth(exchange: TappedPacket[]): string[] {
  const lines: string[] = [];
  for (const packet of exchange) {
    const tag = `${packet.from === 'client' ? 'C' : 'S'}${packet.seq}`;
    const p = packet.payload;
    if (packet.from === 'server') {
      const line = describeServerAuthPacket(p, lines.length === 0);
      lines.push(`${tag} ${line}`);
      if (line === 'OK' || line.startsWith('ERR')) break;
    } else if (lines.length === 0 && p[0] === COM_CHANGE_USER) {
      lines.push(`${tag} ${describeChangeUser(p)}`);
    } else if (packet.seq === 1 && lines.length === 1) {
      lines.push(`${tag} ${isSslRequest(packet) ? 'ssl-request' : describeLoginRequest(p)}`);
    } else {
      lines.push(`${tag} ${p.length === 1 ? p.toString('hex') : `${p.length} bytes`}`);
    }
  }
  return lines;
}

function describeServerAuthPacket(p: Buffer, first: boolean): string {
  if (first && p[0] === 0x0a) return `greeting ${greetingPlugin(p)}`;
  switch (p[0]) {
    case 0x00:
      return 'OK';
    case 0xff:
      return `ERR ${p.readUInt16LE(1)}`;
    case 0xfe:
      return `switch ${cString(p, 1).text}`;
    case 0x01: {
      const data = p.subarray(1);
      return `more ${data.length <= 2 ? data.toString('hex') : data.toString('latin1').split('\n')[0]}`;
    }
    default:
      return `? ${p.subarray(0, 16).toString('hex')}`;
  }
}

/** The 20-byte challenge of a greeting (both parts, without the trailing NUL). */
export function greetingSalt(p: Buffer): Buffer {
  let at = cString(p, 1).end + 4;
  const first = p.subarray(at, at + 8);
  at += 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10;
  return Buffer.concat([first, p.subarray(at, at + 12)]);
}

/** The 20-byte challenge of an AuthSwitchRequest (`fe`, plugin name, data). */
export function authSwitchSalt(p: Buffer): Buffer {
  const at = cString(p, 1).end;
  return p.subarray(at, at + 20);
}

function greetingPlugin(p: Buffer): string {
  let at = cString(p, 1).end; // server version
  at += 4 + 8 + 1; // connection id, first salt part, filler
  const capabilities = p.readUInt16LE(at) | (p.readUInt16LE(at + 5) << 16);
  const saltLength = p[at + 7]!;
  at += 2 + 1 + 2 + 2 + 1 + 10;
  if (!(capabilities & CLIENT_PLUGIN_AUTH)) return '(none)';
  at += Math.max(13, saltLength - 8);
  return cString(p, at).text;
}

function describeLoginRequest(p: Buffer): string {
  const capabilities = p.readUInt32LE(0);
  const user = cString(p, 32);
  let at = user.end;
  let authLength: number;
  if (capabilities & (CLIENT_PLUGIN_AUTH_LENENC_DATA | CLIENT_SECURE_CONNECTION)) {
    // A length byte (as a lenenc integer too: login answers are far below 251 bytes).
    authLength = p[at]!;
    at += 1 + authLength;
  } else {
    const auth = cString(p, at);
    authLength = auth.end - 1 - at;
    at = auth.end;
  }
  const parts = [`login ${user.text}`];
  if (capabilities & CLIENT_CONNECT_WITH_DB) {
    const db = cString(p, at);
    at = db.end;
    parts.push(`db=${db.text}`);
  }
  parts.push(capabilities & CLIENT_PLUGIN_AUTH ? cString(p, at).text : '(no plugin)');
  parts.push(`auth=${authLength}`);
  return parts.join(' ');
}

function describeChangeUser(p: Buffer): string {
  const user = cString(p, 1);
  const authLength = p[user.end]!;
  let at = user.end + 1 + authLength;
  const db = cString(p, at);
  at = db.end + 2; // character set
  const plugin = at < p.length ? cString(p, at).text : '(no plugin)';
  return `change-user ${user.text}${db.text ? ` db=${db.text}` : ''} ${plugin} auth=${authLength}`;
}

function cString(p: Buffer, at: number): { text: string; end: number } {
  let end = p.indexOf(0, at);
  if (end < 0) end = p.length;
  return { text: p.toString('utf8', at, end), end: end + 1 };
}
