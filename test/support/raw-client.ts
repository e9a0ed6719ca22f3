import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** One packet as read off the wire: its sequence id and payload. */
export interface RawPacket {
  seq: number;
  payload: Buffer;
}

const sha1 = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** Client-side caching_sha2_password scramble: SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) || salt). */
export function scrambleSha2(password: string, salt: Buffer): Buffer {
  const sha256 = (b: Buffer) => createHash('sha256').update(b).digest();
  const stage1 = sha256(Buffer.from(password, 'utf8'));
  const mask = sha256(Buffer.concat([sha256(stage1), salt]));
  return Buffer.from(stage1.map((b, i) => b ^ mask[i]!));
}

/** Client-side mysql_native_password scramble, written independently of the server's code. */
export function scramble(password: string, salt: Buffer): Buffer {
  if (!password) return Buffer.alloc(0);
  const s1 = sha1(Buffer.from(password));
  const s3 = sha1(salt, sha1(s1));
  return Buffer.from(s1.map((b, i) => b ^ s3[i]!));
}

/** Frames one packet. */
export function frame(seq: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUIntLE(payload.length, 0, 3);
  h[3] = seq;
  return Buffer.concat([h, payload]);
}

/** A command packet (sequence 0): command byte + body. */
export function command(cmd: number, body: Buffer | string = Buffer.alloc(0)): Buffer {
  return frame(0, Buffer.concat([Buffer.from([cmd]), Buffer.from(body)]));
}

export const CLIENT = {
  LONG_PASSWORD: 0x1,
  CONNECT_WITH_DB: 0x8,
  PROTOCOL_41: 0x200,
  SSL: 0x800,
  TRANSACTIONS: 0x2000,
  SECURE_CONNECTION: 0x8000,
  MULTI_RESULTS: 0x20000,
  PLUGIN_AUTH: 0x80000,
  PLUGIN_AUTH_LENENC_CLIENT_DATA: 0x200000,
  DEPRECATE_EOF: 0x1000000,
} as const;

/** Default client capabilities for raw tests: classic EOFs, multi-results. */
export const BASE_CAPS =
  CLIENT.LONG_PASSWORD |
  CLIENT.PROTOCOL_41 |
  CLIENT.TRANSACTIONS |
  CLIENT.SECURE_CONNECTION |
  CLIENT.MULTI_RESULTS |
  CLIENT.PLUGIN_AUTH;

/** Builds a HandshakeResponse41. */
export function loginPacket(opts: {
  user: string;
  auth: Buffer;
  caps?: number;
  database?: string;
  plugin?: string;
  seq?: number;
}): Buffer {
  const caps = (opts.caps ?? BASE_CAPS) | (opts.database ? CLIENT.CONNECT_WITH_DB : 0);
  const head = Buffer.alloc(32);
  head.writeUInt32LE(caps >>> 0, 0);
  head.writeUInt32LE(16 * 1024 * 1024, 4);
  head[8] = 45;
  const parts: Buffer[] = [head, Buffer.from(opts.user + '\0')];
  parts.push(Buffer.from([opts.auth.length]), opts.auth);
  if (opts.database) parts.push(Buffer.from(opts.database + '\0'));
  if (caps & CLIENT.PLUGIN_AUTH)
    parts.push(Buffer.from((opts.plugin ?? 'mysql_native_password') + '\0'));
  return frame(opts.seq ?? 1, Buffer.concat(parts));
}

/**
 * A byte-level MySQL client for tests that must see exactly what the
 * server sends: every packet with its sequence id, in order.
 */
export class RawClient {
  private buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (d) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Reads the next packet; null when the server closed the connection first. */
  async read(timeoutMs = 5000): Promise<RawPacket | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.buffer.length >= 4) {
        const len = this.buffer.readUIntLE(0, 3);
        if (this.buffer.length >= 4 + len) {
          const p = { seq: this.buffer[3]!, payload: this.buffer.subarray(4, 4 + len) };
          this.buffer = this.buffer.subarray(4 + len);
          return p;
        }
      }
      if (this.closed) return null;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a packet');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Resolves when the server has closed the connection. */
  async waitClosed(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('server did not close the connection');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  write(data: Buffer): void {
    this.socket.write(data);
  }

  /** Reads the greeting and logs in; returns the greeting payload. */
  async login(user = 'testuser', password = 'testpass', caps = BASE_CAPS, database?: string) {
    const greeting = await this.read();
    if (!greeting) throw new Error('no greeting');
    const salt = greetingSalt(greeting.payload);
    this.write(loginPacket({ user, auth: scramble(password, salt), caps, database }));
    const reply = await this.read();
    return { greeting: greeting.payload, reply };
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Extracts the 20-byte salt from a Handshake v10 payload. */
export function greetingSalt(g: Buffer): Buffer {
  const versionEnd = g.indexOf(0, 1);
  const p = versionEnd + 1 + 4;
  const part1 = g.subarray(p, p + 8);
  const part2Start = p + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10;
  const part2 = g.subarray(part2Start, part2Start + 12);
  return Buffer.concat([part1, part2]);
}

/** Parses an ERR payload. */
export function parseErr(p: Buffer): { code: number; sqlState: string; message: string } {
  if (p[0] !== 0xff) throw new Error(`not an ERR packet: ${p.toString('hex')}`);
  const code = p.readUInt16LE(1);
  if (p[3] === 0x23)
    return { code, sqlState: p.toString('latin1', 4, 9), message: p.toString('utf8', 9) };
  return { code, sqlState: '', message: p.toString('utf8', 3) };
}
