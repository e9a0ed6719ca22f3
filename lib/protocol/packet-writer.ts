import { MAX_PACKET_CHUNK } from './constants.js';
import { numberText } from './number-text.js';

const INITIAL_SIZE = 16 * 1024;
const HAND_OVER_SIZE = 64 * 1024;
/** Largest buffer a writer starts again with after handing one over. */
const KEPT_CAPACITY = 256 * 1024;
/** Longest string copied by a plain loop rather than Buffer#write (see asciiAt). */
const ASCII_LOOP_MAX = 48;

/**
 * Builds outgoing packets in one growing buffer, so a whole reply leaves in
 * one socket write. Every packet is framed here and nowhere else: the
 * sequence id advances by one per wire chunk, and payloads of 16 MiB - 1 or
 * more are split exactly as the protocol requires.
 */
export class PacketWriter {
  private buffer = Buffer.allocUnsafe(INITIAL_SIZE);
  private position = 0;
  private packetStart = -1;
  /** Sequence id the next packet will carry. */
  sequenceId = 0;

  /** Bytes framed and waiting for `drain`. */
  get length(): number {
    return this.position;
  }

  /** Starts a packet; fields written until `end()` form its payload. */
  begin(): this {
    if (this.packetStart >= 0) throw new Error('packet already open');
    this.ensure(4);
    this.packetStart = this.position;
    this.position += 4;
    return this;
  }

  /** Closes the open packet: writes its header and splits it if needed. */
  end(): void {
    const start = this.packetStart;
    if (start < 0) throw new Error('no packet open');
    this.packetStart = -1;
    const length = this.position - start - 4;
    if (length < MAX_PACKET_CHUNK) {
      this.writeHeader(start, length);
      return;
    }
    this.splitLongPacket(start, length);
  }

  /** Hands over everything framed so far and starts afresh. */
  drain(): Buffer {
    if (this.packetStart >= 0) throw new Error('packet still open');
    const used = this.position;
    this.position = 0;
    // Small replies are copied so the buffer is reused; large ones are
    // handed over as they are, which saves copying megabytes.
    if (used <= HAND_OVER_SIZE) return Buffer.from(this.buffer.subarray(0, used));
    const out = this.buffer.subarray(0, used);
    // A writer that just filled a large buffer (a result written in slices)
    // will fill as much again: start at that size rather than regrowing, up
    // to a cap, so one huge reply does not leave a huge buffer behind.
    this.buffer = Buffer.allocUnsafe(Math.min(this.buffer.length, KEPT_CAPACITY));
    return out;
  }

  /** A copy of bytes already framed, `[from, to)` of what `drain` would return. */
  slice(from: number, to: number): Buffer {
    return Buffer.from(this.buffer.subarray(from, to));
  }

  /** Drops a packet left open by a failed write, so the writer stays usable. */
  abortPacket(): void {
    if (this.packetStart < 0) return;
    this.position = this.packetStart;
    this.packetStart = -1;
  }

  u8(value: number): this {
    this.ensure(1);
    this.buffer[this.position++] = value;
    return this;
  }

  u16(value: number): this {
    this.ensure(2);
    this.buffer.writeUInt16LE(value, this.position);
    this.position += 2;
    return this;
  }

  u24(value: number): this {
    this.ensure(3);
    this.buffer.writeUIntLE(value, this.position, 3);
    this.position += 3;
    return this;
  }

  u32(value: number): this {
    this.ensure(4);
    this.buffer.writeUInt32LE(value >>> 0, this.position);
    this.position += 4;
    return this;
  }

  /** Length-encoded integer (1, 3, 4 or 9 bytes). */
  lenenc(value: number | bigint): this {
    if (typeof value === 'number' && value < 0xfb) return this.u8(value);
    const n = BigInt(value);
    if (n < 0x10000n) return this.u8(0xfc).u16(Number(n));
    if (n < 0x1000000n) return this.u8(0xfd).u24(Number(n));
    this.ensure(9);
    this.buffer[this.position++] = 0xfe;
    this.buffer.writeBigUInt64LE(n, this.position);
    this.position += 8;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.ensure(data.length);
    this.buffer.set(data, this.position);
    this.position += data.length;
    return this;
  }

  zeros(count: number): this {
    this.ensure(count);
    this.buffer.fill(0, this.position, this.position + count);
    this.position += count;
    return this;
  }

  /** UTF-8 text with no terminator (the rest of a packet). */
  text(value: string): this {
    const max = value.length * 3;
    this.ensure(max);
    this.position += this.buffer.write(value, this.position, 'utf8');
    return this;
  }

  /** UTF-8 text followed by a NUL byte. */
  nulText(value: string): this {
    return this.text(value).u8(0);
  }

  /** Length-encoded UTF-8 string. */
  lenencText(value: string): this {
    // Up to 83 UTF-16 units encode in at most 249 bytes: a one-byte length
    // always fits, so short strings are written without measuring first.
    if (value.length <= 83) {
      const lengthAt = this.position;
      this.ensure(1 + value.length * 3);
      if (value.length <= ASCII_LOOP_MAX && this.asciiAt(value, lengthAt + 1)) {
        this.buffer[lengthAt] = value.length;
        this.position = lengthAt + 1 + value.length;
        return this;
      }
      const written = this.buffer.write(value, lengthAt + 1, 'utf8');
      this.buffer[lengthAt] = written;
      this.position = lengthAt + 1 + written;
      return this;
    }
    const byteLength = Buffer.byteLength(value, 'utf8');
    this.lenenc(byteLength);
    this.ensure(byteLength);
    this.position += this.buffer.write(value, this.position, 'utf8');
    return this;
  }

  /**
   * A finite number as length-encoded text, as MySQL writes a DOUBLE. Safe
   * integers are written digit by digit with no string in between: numbers
   * are most cells of most rows.
   */
  lenencNumber(value: number): this {
    if (!Number.isSafeInteger(value)) return this.lenencText(numberText(value));
    let rest = value < 0 ? -value : value;
    const digits = decimalDigits(rest);
    const length = value < 0 ? digits + 1 : digits;
    this.ensure(1 + length);
    const buffer = this.buffer;
    let at = this.position;
    buffer[at++] = length;
    if (value < 0) buffer[at++] = 0x2d;
    let p = at + digits - 1;
    // Above 2^31 the digits need float division; below it, integer arithmetic does.
    for (; rest > 0x7fffffff; p--) {
      const q = Math.floor(rest / 10);
      buffer[p] = 0x30 + (rest - q * 10);
      rest = q;
    }
    for (; p >= at; p--) {
      const q = (rest / 10) | 0;
      buffer[p] = 0x30 + (rest - q * 10);
      rest = q;
    }
    this.position = at + digits;
    return this;
  }

  /** Length-encoded byte string. */
  lenencBytes(data: Uint8Array): this {
    return this.lenenc(data.length).bytes(data);
  }

  /**
   * Copies `value` to `at` if it is all ASCII; false (having written part
   * of it, which the caller overwrites) at the first other character.
   * Short cells are the bulk of every row, and Buffer#write costs a fixed
   * fraction of a microsecond per call that a plain loop does not.
   */
  private asciiAt(value: string, at: number): boolean {
    const buffer = this.buffer;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) return false;
      buffer[at + i] = c;
    }
    return true;
  }

  private writeHeader(at: number, length: number): void {
    this.buffer[at] = length & 0xff;
    this.buffer[at + 1] = (length >>> 8) & 0xff;
    this.buffer[at + 2] = (length >>> 16) & 0xff;
    this.buffer[at + 3] = this.sequenceId;
    this.sequenceId = (this.sequenceId + 1) & 0xff;
  }

  private splitLongPacket(start: number, length: number): void {
    const payload = Buffer.from(this.buffer.subarray(start + 4, start + 4 + length));
    const chunks = Math.floor(length / MAX_PACKET_CHUNK) + 1;
    this.position = start;
    this.ensure(length + 4 * chunks);
    for (let offset = 0; ; offset += MAX_PACKET_CHUNK) {
      const size = Math.min(MAX_PACKET_CHUNK, length - offset);
      this.writeHeader(this.position, size);
      this.position += 4;
      this.buffer.set(payload.subarray(offset, offset + size), this.position);
      this.position += size;
      if (size < MAX_PACKET_CHUNK) break;
    }
  }

  private ensure(extra: number): void {
    const needed = this.position + extra;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.position);
    this.buffer = grown;
  }
}

/** Decimal digits of a non-negative safe integer, by comparison rather than division. */
function decimalDigits(n: number): number {
  let digits = 1;
  for (let limit = 10; n >= limit && digits < 16; limit *= 10) digits++;
  return digits;
}
