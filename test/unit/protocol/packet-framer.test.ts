import { PacketFramer } from '../../../lib/protocol/packet-framer.js';

const frame = (seq: number, payload: Buffer): Buffer => {
  const h = Buffer.alloc(4);
  h.writeUIntLE(payload.length, 0, 3);
  h[3] = seq;
  return Buffer.concat([h, payload]);
};

describe('PacketFramer', () => {
  it('returns nothing until a whole packet has arrived, byte by byte', () => {
    const f = new PacketFramer(1024);
    const bytes = frame(0, Buffer.from([0x03, 0x41, 0x42]));
    for (let i = 0; i < bytes.length - 1; i++) {
      f.push(bytes.subarray(i, i + 1));
      expect(f.next()).toBeNull();
    }
    f.push(bytes.subarray(bytes.length - 1));
    expect(f.next()).toEqual({
      sequenceId: 0,
      nextSequenceId: 1,
      payload: Buffer.from([3, 0x41, 0x42]),
    });
    expect(f.next()).toBeNull();
  });

  it('splits several packets delivered in one read, in order', () => {
    const f = new PacketFramer(1024);
    f.push(
      Buffer.concat([
        frame(0, Buffer.from([0x0e])),
        frame(0, Buffer.from([0x03, 0x31])),
        frame(0, Buffer.from([0x01])),
      ]),
    );
    expect(f.next()).toMatchObject({ payload: Buffer.from([0x0e]) });
    expect(f.next()).toMatchObject({ payload: Buffer.from([0x03, 0x31]) });
    expect(f.next()).toMatchObject({ payload: Buffer.from([0x01]) });
    expect(f.next()).toBeNull();
  });

  it('accepts an empty payload', () => {
    const f = new PacketFramer(10);
    f.push(Buffer.from([0, 0, 0, 5]));
    expect(f.next()).toEqual({ sequenceId: 5, nextSequenceId: 6, payload: Buffer.alloc(0) });
  });

  it('joins a payload split at 0xFFFFFF, including the empty final chunk of an exact multiple', () => {
    const size = 0xffffff;
    const body = Buffer.alloc(size, 7);
    const f = new PacketFramer(64 * 1024 * 1024);
    const head1 = Buffer.from([0xff, 0xff, 0xff, 0]);
    f.push(head1);
    f.push(body);
    expect(f.next()).toBeNull();
    f.push(Buffer.from([0, 0, 0, 1]));
    const p = f.next();
    expect(p).not.toBeNull();
    expect(p && 'payload' in p ? p.payload.length : -1).toBe(size);
    expect(p).toMatchObject({ sequenceId: 0, nextSequenceId: 2 });
  });

  it('joins a payload of 0xFFFFFF + 3 bytes from two chunks', () => {
    const f = new PacketFramer(64 * 1024 * 1024);
    f.push(Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0]), Buffer.alloc(0xffffff, 1)]));
    f.push(frame(1, Buffer.from([2, 3, 4])));
    const p = f.next();
    if (!p || !('payload' in p)) throw new Error('expected a packet');
    expect(p.payload.length).toBe(0xffffff + 3);
    expect(p.payload.subarray(-3)).toEqual(Buffer.from([2, 3, 4]));
  });

  it('reports an oversized packet from its header alone, before buffering the body', () => {
    const f = new PacketFramer(100);
    f.push(Buffer.from([101, 0, 0, 0]));
    expect(f.next()).toEqual({ tooLarge: true, sequenceId: 0 });
  });

  it('counts split chunks against the cap', () => {
    const f = new PacketFramer(0xffffff + 10);
    f.push(Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0]), Buffer.alloc(0xffffff)]));
    f.push(Buffer.from([11, 0, 0, 1]));
    expect(f.next()).toEqual({ tooLarge: true, sequenceId: 1 });
  });

  it('rejects a gap in the sequence ids of a split payload', () => {
    const f = new PacketFramer(64 * 1024 * 1024);
    f.push(Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0]), Buffer.alloc(0xffffff)]));
    f.push(frame(5, Buffer.from([1])));
    expect(f.next()).toEqual({ outOfOrder: true, sequenceId: 5 });
  });
});
