import { MAX_PACKET_CHUNK } from './constants.js';

/** One logical client packet: chunks of a split payload already joined. */
export interface IncomingPacket {
  /** Sequence id of the first wire chunk. */
  readonly sequenceId: number;
  /** Sequence id the next packet of this exchange must carry. */
  readonly nextSequenceId: number;
  readonly payload: Buffer;
}

/** The framer's verdict on what it has buffered so far. */
export type FrameResult =
  | IncomingPacket
  | { readonly tooLarge: true; readonly sequenceId: number }
  | { readonly outOfOrder: true; readonly sequenceId: number }
  | null;

/**
 * Turns a byte stream into logical packets. Payloads of 16 MiB - 1 or more
 * arrive as several wire chunks and are joined here; the size cap is
 * checked against each header before its body is buffered, so a hostile
 * length never makes us hold more than `maxPacketSize` bytes.
 */
export class PacketFramer {
  private chunks: Buffer[] = [];
  private headOffset = 0;
  private buffered = 0;
  private parts: Buffer[] = [];
  private partsLength = 0;
  private firstSequenceId = -1;
  private expectedSequenceId = -1;
  private readonly header = Buffer.allocUnsafe(4);

  /** Largest logical payload accepted; may be raised once the client is trusted. */
  constructor(public maxPacketSize: number) {}

  /** Adds bytes read from the socket. */
  push(data: Buffer): void {
    if (data.length === 0) return;
    this.chunks.push(data);
    this.buffered += data.length;
  }

  /** Bytes received but not yet returned as packets. */
  get pendingBytes(): number {
    return this.buffered + this.partsLength;
  }

  /** Returns the next complete packet, a cap or order violation, or null when more bytes are needed. */
  next(): FrameResult {
    for (;;) {
      if (this.buffered < 4) return null;
      this.copyOut(this.header, 4, false);
      const length = this.header[0]! | (this.header[1]! << 8) | (this.header[2]! << 16);
      const sequenceId = this.header[3]!;
      if (this.partsLength + length > this.maxPacketSize) return { tooLarge: true, sequenceId };
      if (this.firstSequenceId >= 0 && sequenceId !== this.expectedSequenceId) {
        return { outOfOrder: true, sequenceId };
      }
      if (this.buffered < 4 + length) return null;
      this.skip(4);
      const body = this.take(length);
      if (this.firstSequenceId < 0) this.firstSequenceId = sequenceId;
      this.expectedSequenceId = (sequenceId + 1) & 0xff;
      if (length === MAX_PACKET_CHUNK) {
        this.parts.push(body);
        this.partsLength += length;
        continue;
      }
      let payload = body;
      if (this.parts.length > 0) {
        this.parts.push(body);
        payload = Buffer.concat(this.parts, this.partsLength + length);
        this.parts = [];
        this.partsLength = 0;
      }
      const packet: IncomingPacket = {
        sequenceId: this.firstSequenceId,
        nextSequenceId: this.expectedSequenceId,
        payload,
      };
      this.firstSequenceId = -1;
      this.expectedSequenceId = -1;
      return packet;
    }
  }

  /**
   * Hands over the raw bytes not yet framed and forgets them: after an
   * SSLRequest they are the start of the TLS handshake, not packets.
   */
  takeBuffered(): Buffer {
    const out = this.buffered > 0 ? this.take(this.buffered) : Buffer.alloc(0);
    this.clear();
    return Buffer.from(out);
  }

  /** Drops everything buffered, e.g. once the connection is closing. */
  clear(): void {
    this.chunks = [];
    this.headOffset = 0;
    this.buffered = 0;
    this.parts = [];
    this.partsLength = 0;
  }

  private skip(n: number): void {
    this.copyOut(null, n, true);
  }

  /** Returns the next n bytes, without copying when one chunk holds them all. */
  private take(n: number): Buffer {
    const head = this.chunks[0];
    if (n === 0) return Buffer.alloc(0);
    if (head && head.length - this.headOffset >= n) {
      const out = head.subarray(this.headOffset, this.headOffset + n);
      this.advance(n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    this.copyOut(out, n, true);
    return out;
  }

  private advance(n: number): void {
    this.headOffset += n;
    this.buffered -= n;
    if (this.headOffset === this.chunks[0]!.length) {
      this.chunks.shift();
      this.headOffset = 0;
    }
  }

  private copyOut(target: Buffer | null, n: number, consume: boolean): void {
    let written = 0;
    let index = 0;
    let offset = this.headOffset;
    while (written < n) {
      const chunk = this.chunks[index]!;
      const count = Math.min(chunk.length - offset, n - written);
      if (target) chunk.copy(target, written, offset, offset + count);
      written += count;
      offset += count;
      if (offset === chunk.length) {
        index++;
        offset = 0;
      }
    }
    if (consume) {
      this.chunks.splice(0, index);
      this.headOffset = offset;
      this.buffered -= n;
    }
  }
}
