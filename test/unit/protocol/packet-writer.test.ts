import { PacketWriter } from '../../../lib/protocol/packet-writer.js';

describe('PacketWriter', () => {
  it('frames packets with consecutive sequence ids', () => {
    const w = new PacketWriter();
    w.sequenceId = 1;
    w.begin().u8(0x00).u8(0x00).end();
    w.begin().u8(0xfe).end();
    expect(w.drain().toString('hex')).toBe('02000001' + '0000' + '01000002' + 'fe');
    expect(w.sequenceId).toBe(3);
  });

  it('wraps the sequence id after 255', () => {
    const w = new PacketWriter();
    w.sequenceId = 255;
    w.begin().end();
    w.begin().end();
    expect(w.drain().toString('hex')).toBe('000000ff' + '00000000');
  });

  it.each([
    [0, '00'],
    [250, 'fa'],
    [251, 'fcfb00'],
    [0xffff, 'fcffff'],
    [0x10000, 'fd000001'],
    [0xffffff, 'fdffffff'],
    [0x1000000, 'fe0000000100000000'],
    [2n ** 64n - 1n, 'feffffffffffffffff'],
  ])('writes length-encoded integer %s', (value, hex) => {
    const w = new PacketWriter();
    w.begin().lenenc(value).end();
    expect(w.drain().subarray(4).toString('hex')).toBe(hex);
  });

  it('writes length-encoded strings by byte length, including 4-byte characters', () => {
    const w = new PacketWriter();
    w.begin().lenencText('a😀').lenencText('x'.repeat(300)).end();
    const p = w.drain().subarray(4);
    expect(p[0]).toBe(5);
    expect(p.subarray(1, 6).toString('utf8')).toBe('a😀');
    expect(p.subarray(6, 9).toString('hex')).toBe('fc2c01');
  });

  it('uses one-byte lengths right up to the boundary for multi-byte text', () => {
    const w = new PacketWriter();
    const s = 'é'.repeat(83); // 166 bytes
    w.begin().lenencText(s).end();
    const p = w.drain().subarray(4);
    expect(p[0]).toBe(166);
    const w2 = new PacketWriter();
    w2.begin().lenencText('€'.repeat(84)).end(); // 252 bytes: needs 0xfc
    expect(w2.drain().subarray(4, 7).toString('hex')).toBe('fcfc00');
  });

  it('splits a payload of exactly 0xFFFFFF bytes into a full chunk and an empty one', () => {
    const w = new PacketWriter();
    w.sequenceId = 1;
    w.begin().bytes(Buffer.alloc(0xffffff, 9)).end();
    const out = w.drain();
    expect(out.length).toBe(4 + 0xffffff + 4);
    expect(out.subarray(0, 4).toString('hex')).toBe('ffffff01');
    expect(out.subarray(4 + 0xffffff).toString('hex')).toBe('00000002');
    expect(w.sequenceId).toBe(3);
  });

  it('splits a longer payload and keeps the bytes in order', () => {
    const w = new PacketWriter();
    const payload = Buffer.alloc(0xffffff + 10);
    for (let i = 0; i < payload.length; i += 4096) payload[i] = (i / 4096) & 0xff;
    w.sequenceId = 3;
    w.begin().bytes(payload).end();
    const out = w.drain();
    expect(out.subarray(0, 4).toString('hex')).toBe('ffffff03');
    const second = out.subarray(4 + 0xffffff);
    expect(second.subarray(0, 4).toString('hex')).toBe('0a000004');
    expect(Buffer.concat([out.subarray(4, 4 + 0xffffff), second.subarray(4)]).equals(payload)).toBe(
      true,
    );
  });

  it('refuses to drain with a packet open', () => {
    const w = new PacketWriter();
    w.begin();
    expect(() => w.drain()).toThrow();
  });
});
