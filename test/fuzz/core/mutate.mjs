/**
 * Byte-level and frame-level mutators shared by the input kinds. Each takes
 * (rng, bytes, ctx) and returns new bytes; `ctx.maxBytes` bounds growth and
 * `ctx.other()` gives another corpus entry for splicing.
 */
import { frame, lenenc, MAX_CHUNK } from './wire.mjs';

export const INTERESTING_8 = [0x00, 0x01, 0x7f, 0x80, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff];
export const INTERESTING_32 = [
  0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0xffffff, 0x1000000, 0x7fffffff,
  0x80000000, 0xffffffff,
];

/** Length-encoded integers that lie: huge, zero, off by one, truncated forms. */
export function lyingLenenc(rng, honest) {
  return rng.pick([
    () => lenenc(0),
    () => lenenc(Math.max(0, honest - 1)),
    () => lenenc(honest + 1),
    () => lenenc(0xfa),
    () => Buffer.from([0xfb]),
    () => Buffer.from([0xfc, 0xff, 0xff]),
    () => Buffer.from([0xfd, 0xff, 0xff, 0xff]),
    () => Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
    () => Buffer.from([0xfe, 0, 0, 0, 0, 0, 0, 0x20, 0]),
    () => Buffer.from([0xfe, 0xff, 0xff, 0xff, 0x7f]), // cut short
    () => Buffer.from([0xfc]),
    () => Buffer.from([0xff]),
    () => lenenc(rng.u32()),
  ])();
}

const clampGrow = (ctx, b) => (b.length > ctx.maxBytes ? b.subarray(0, ctx.maxBytes) : b);

export const byteMutators = {
  bitFlip(rng, b) {
    if (b.length === 0) return Buffer.from([rng.u32() & 0xff]);
    const out = Buffer.from(b);
    for (let n = rng.int(1, 4); n > 0; n--) {
      const i = rng.below(out.length);
      out[i] ^= 1 << rng.below(8);
    }
    return out;
  },
  setByte(rng, b) {
    if (b.length === 0) return Buffer.from([rng.pick(INTERESTING_8)]);
    const out = Buffer.from(b);
    out[rng.below(out.length)] = rng.chance(0.6) ? rng.pick(INTERESTING_8) : rng.u32() & 0xff;
    return out;
  },
  arith(rng, b) {
    if (b.length === 0) return b;
    const out = Buffer.from(b);
    const i = rng.below(out.length);
    out[i] = (out[i] + rng.int(-35, 35)) & 0xff;
    return out;
  },
  setWord(rng, b) {
    if (b.length < 4) return b;
    const out = Buffer.from(b);
    const i = rng.below(out.length - 3);
    const v = rng.pick(INTERESTING_32);
    if (rng.chance(0.5)) out.writeUInt32LE(v >>> 0, i);
    else out.writeUInt16LE(v & 0xffff, i);
    return out;
  },
  insert(rng, b, ctx) {
    const at = rng.below(b.length + 1);
    const n = rng.size(32) + 1;
    const ins = rng.chance(0.5) ? rng.bytes(n) : Buffer.alloc(n, rng.pick(INTERESTING_8));
    return clampGrow(ctx, Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]));
  },
  insertLenenc(rng, b, ctx) {
    const at = rng.below(b.length + 1);
    const ins = lyingLenenc(rng, b.length - at);
    return clampGrow(ctx, Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]));
  },
  overwriteLenenc(rng, b) {
    if (b.length === 0) return b;
    const at = rng.below(b.length);
    const ins = lyingLenenc(rng, b.length - at);
    const out = Buffer.from(b);
    ins.copy(out, at, 0, Math.min(ins.length, out.length - at));
    return out;
  },
  delete(rng, b) {
    if (b.length === 0) return b;
    const at = rng.below(b.length);
    const n = Math.min(b.length - at, rng.size(32) + 1);
    return Buffer.concat([b.subarray(0, at), b.subarray(at + n)]);
  },
  truncate(rng, b) {
    return b.subarray(0, rng.below(b.length + 1));
  },
  duplicate(rng, b, ctx) {
    if (b.length === 0) return b;
    const at = rng.below(b.length);
    const n = Math.min(b.length - at, rng.size(64) + 1);
    const piece = b.subarray(at, at + n);
    const times = rng.chance(0.9) ? rng.int(2, 16) : rng.size(Math.floor(ctx.bigBytes / n)) + 2;
    const parts = [b.subarray(0, at)];
    for (let i = 0; i < times; i++) parts.push(piece);
    parts.push(b.subarray(at));
    return clampGrow(ctx, Buffer.concat(parts));
  },
  swap(rng, b) {
    if (b.length < 4) return b;
    const n = rng.int(1, Math.min(16, b.length >> 1));
    const i = rng.below(b.length - n + 1);
    const j = rng.below(b.length - n + 1);
    const out = Buffer.from(b);
    b.copy(out, i, j, j + n);
    b.copy(out, j, i, i + n);
    return out;
  },
  splice(rng, b, ctx) {
    const o = ctx.other?.();
    if (!o || o.length === 0) return b;
    const cutA = rng.below(b.length + 1);
    const cutB = rng.below(o.length + 1);
    return clampGrow(ctx, Buffer.concat([b.subarray(0, cutA), o.subarray(cutB)]));
  },
  zeroRange(rng, b) {
    if (b.length === 0) return b;
    const at = rng.below(b.length);
    const out = Buffer.from(b);
    out.fill(rng.chance(0.5) ? 0 : 0xff, at, Math.min(out.length, at + rng.size(16) + 1));
    return out;
  },
};

const BYTE_WEIGHTS = [
  [4, 'bitFlip'],
  [4, 'setByte'],
  [2, 'arith'],
  [2, 'setWord'],
  [3, 'insert'],
  [2, 'insertLenenc'],
  [2, 'overwriteLenenc'],
  [3, 'delete'],
  [1, 'truncate'],
  [2, 'duplicate'],
  [1, 'swap'],
  [2, 'splice'],
  [1, 'zeroRange'],
];

/** Applies 1..n random byte mutators. */
export function mutateBytes(rng, b, ctx, rounds = rng.int(1, 3)) {
  let out = b;
  for (let i = 0; i < rounds; i++) out = byteMutators[rng.weighted(BYTE_WEIGHTS)](rng, out, ctx);
  return out;
}

/** Splits a byte stream into wire frames as far as the headers allow; the rest is `tail`. */
export function splitFrames(stream) {
  const frames = [];
  let off = 0;
  while (stream.length - off >= 4) {
    const len = stream.readUIntLE(off, 3);
    if (stream.length - off - 4 < len) break;
    frames.push({ seq: stream[off + 3], payload: stream.subarray(off + 4, off + 4 + len) });
    off += 4 + len;
  }
  return { frames, tail: stream.subarray(off) };
}

export const joinFrames = ({ frames, tail }) =>
  Buffer.concat([...frames.map((f) => frame(f.seq, f.payload)), tail ?? Buffer.alloc(0)]);

/**
 * Frame-level mutations of a stream of wire packets: header length lies,
 * sequence id changes, payload mutation with a consistent header,
 * pipelining of extra packets, truncation in the middle of a frame.
 */
export function mutateFrames(rng, stream, ctx, payloadMutator) {
  const parsed = splitFrames(stream);
  const { frames } = parsed;
  if (frames.length === 0) return mutateBytes(rng, stream, ctx);
  const i = rng.below(frames.length);
  const f = frames[i];
  const op = rng.weighted([
    [8, 'payload'],
    [2, 'seq'],
    [2, 'lengthLie'],
    [2, 'append'],
    [1, 'dropFrame'],
    [1, 'dupFrame'],
    [1, 'cutInside'],
    [1, 'raw'],
  ]);
  switch (op) {
    case 'payload':
      frames[i] = { seq: f.seq, payload: payloadMutator(rng, f.payload, ctx) };
      return joinFrames(parsed);
    case 'seq':
      frames[i] = {
        seq: rng.pick([0, 1, 2, 3, 0xff, (f.seq + 1) & 0xff, (f.seq - 1) & 0xff, rng.u32() & 0xff]),
        payload: f.payload,
      };
      return joinFrames(parsed);
    case 'lengthLie': {
      const out = joinFrames(parsed);
      let off = 0;
      for (let k = 0; k < i; k++) off += 4 + frames[k].payload.length;
      const lie = rng.pick([
        0,
        Math.max(0, f.payload.length - 1),
        f.payload.length + 1,
        f.payload.length + rng.int(2, 64),
        ctx.preAuthCap,
        ctx.preAuthCap + 1,
        MAX_CHUNK - 1,
        MAX_CHUNK,
        rng.u32() & 0xffffff,
      ]);
      out.writeUIntLE(lie, off, 3);
      return out;
    }
    case 'append': {
      const extra = ctx.extraFrames?.(rng);
      if (!extra) return joinFrames(parsed);
      frames.splice(i + 1, 0, ...splitFrames(extra).frames);
      return joinFrames(parsed);
    }
    case 'dropFrame':
      if (frames.length > 1) frames.splice(i, 1);
      return joinFrames(parsed);
    case 'dupFrame':
      frames.splice(i, 0, f);
      return joinFrames(parsed);
    case 'cutInside': {
      const out = joinFrames(parsed);
      return out.subarray(0, rng.below(out.length));
    }
    default:
      return mutateBytes(rng, stream, ctx);
  }
}
