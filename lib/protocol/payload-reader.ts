/** Thrown when a client packet ends before a field it must contain. */
export class MalformedPacketError extends Error {
  constructor() {
    super('Malformed communication packet.');
  }
}

/**
 * Reads fields from one client payload. Every read is bounds-checked:
 * a short or lying packet raises `MalformedPacketError`, never a RangeError.
 */
export class PayloadReader {
  offset = 0;

  constructor(readonly payload: Buffer) {}

  get remaining(): number {
    return this.payload.length - this.offset;
  }

  u8(): number {
    this.need(1);
    return this.payload[this.offset++]!;
  }

  u16(): number {
    this.need(2);
    const v = this.payload.readUInt16LE(this.offset);
    this.offset += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.payload.readUInt32LE(this.offset);
    this.offset += 4;
    return v;
  }

  /** Length-encoded integer; lengths beyond 2^53 are malformed by definition here. */
  lenenc(): number {
    const first = this.u8();
    if (first < 0xfb) return first;
    if (first === 0xfc) return this.u16();
    if (first === 0xfd) {
      this.need(3);
      const v = this.payload.readUIntLE(this.offset, 3);
      this.offset += 3;
      return v;
    }
    if (first === 0xfe) {
      this.need(8);
      const v = this.payload.readBigUInt64LE(this.offset);
      this.offset += 8;
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new MalformedPacketError();
      return Number(v);
    }
    throw new MalformedPacketError();
  }

  bytes(length: number): Buffer {
    this.need(length);
    const v = this.payload.subarray(this.offset, this.offset + length);
    this.offset += length;
    return v;
  }

  skip(length: number): void {
    this.need(length);
    this.offset += length;
  }

  /** Bytes up to the next NUL (consumed); the whole rest when `lenient` and there is none. */
  nulBytes(lenient = false): Buffer {
    const end = this.payload.indexOf(0, this.offset);
    if (end < 0) {
      if (!lenient) throw new MalformedPacketError();
      return this.rest();
    }
    const v = this.payload.subarray(this.offset, end);
    this.offset = end + 1;
    return v;
  }

  nulText(lenient = false): string {
    return this.nulBytes(lenient).toString('utf8');
  }

  lenencBytes(): Buffer {
    return this.bytes(this.lenenc());
  }

  rest(): Buffer {
    const v = this.payload.subarray(this.offset);
    this.offset = this.payload.length;
    return v;
  }

  private need(n: number): void {
    if (this.offset + n > this.payload.length) throw new MalformedPacketError();
  }
}
