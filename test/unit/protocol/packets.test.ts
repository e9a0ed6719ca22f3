import { Capability, SERVER_CAPABILITIES } from '../../../lib/protocol/constants.js';
import { ER, formatError } from '../../../lib/protocol/errors.js';
import { PacketWriter } from '../../../lib/protocol/packet-writer.js';
import {
  writeEndMarker,
  writeErr,
  writeGreeting,
  writeOk,
  writeAuthSwitch,
} from '../../../lib/protocol/packets.js';
import {
  textRowFits,
  writeColumnDefinition,
  writeResultSetHeader,
  writeTextRow,
} from '../../../lib/protocol/result-set.js';
import { isSslRequest, readLoginRequest } from '../../../lib/protocol/handshake.js';
import { MalformedPacketError } from '../../../lib/protocol/payload-reader.js';
import { generateSalt } from '../../../lib/protocol/auth/salt.js';
import {
  nativePasswordHash,
  scrambleNativePassword,
  verifyNativePassword,
} from '../../../lib/protocol/auth/native-password.js';

const one = (fn: (w: PacketWriter) => void, seq = 1): Buffer => {
  const w = new PacketWriter();
  w.sequenceId = seq;
  fn(w);
  return w.drain();
};

describe('packet encoders', () => {
  it('writes the v10 greeting field by field', () => {
    const salt = Buffer.from('abcdefghijklmnopqrst');
    const out = one(
      (w) =>
        writeGreeting(w, {
          serverVersion: '8.0.36-x',
          connectionId: 0x01020304,
          salt,
          capabilities: 0x81fff7ff,
          charset: 45,
          status: 2,
          authPlugin: 'mysql_native_password',
        }),
      0,
    );
    const p = out.subarray(4);
    expect(out[3]).toBe(0);
    expect(p[0]).toBe(10);
    expect(p.subarray(1, 10).toString()).toBe('8.0.36-x\0');
    expect(p.readUInt32LE(10)).toBe(0x01020304);
    expect(p.subarray(14, 22).toString()).toBe('abcdefgh');
    expect(p[22]).toBe(0);
    expect(p.readUInt16LE(23)).toBe(0xf7ff);
    expect(p[25]).toBe(45);
    expect(p.readUInt16LE(26)).toBe(2);
    expect(p.readUInt16LE(28)).toBe(0x81ff);
    expect(p[30]).toBe(21);
    expect(p.subarray(31, 41).equals(Buffer.alloc(10))).toBe(true);
    expect(p.subarray(41, 54).toString()).toBe('ijklmnopqrst\0');
    expect(p.subarray(54).toString()).toBe('mysql_native_password\0');
  });

  it('writes OK with lenenc counters, status and info', () => {
    const hex = one((w) =>
      writeOk(w, { affectedRows: 300, insertId: 5, info: 'hi' }, 0x0002),
    ).toString('hex');
    expect(hex).toBe('0c000001' + '00' + 'fc2c01' + '05' + '0200' + '0000' + '026869');
  });

  it('writes ERR with and without SQLSTATE', () => {
    const e = formatError(ER.ACCESS_DENIED, 'bob', '10.0.0.1', 'YES');
    const p = one((w) => writeErr(w, e)).subarray(4);
    expect(p[0]).toBe(0xff);
    expect(p.readUInt16LE(1)).toBe(1045);
    expect(p.subarray(3, 9).toString()).toBe('#28000');
    expect(p.subarray(9).toString()).toBe(
      "Access denied for user 'bob'@'10.0.0.1' (using password: YES)",
    );
    const q = one((w) => writeErr(w, formatError(ER.TOO_MANY_CONNECTIONS), false)).subarray(4);
    expect(q.subarray(3).toString()).toBe('Too many connections');
  });

  it('ends rows with EOF, or with an 0xFE OK under DEPRECATE_EOF', () => {
    expect(one((w) => writeEndMarker(w, 0, 0x000a)).toString('hex')).toBe('05000001fe00000a00');
    expect(one((w) => writeEndMarker(w, Capability.DEPRECATE_EOF, 0x000a)).toString('hex')).toBe(
      '07000001fe00000a000000',
    );
  });

  it('writes an AuthSwitchRequest', () => {
    const salt = Buffer.from('0123456789abcdefghij');
    const p = one((w) => writeAuthSwitch(w, 'mysql_native_password', salt), 2).subarray(4);
    expect(p.toString('latin1')).toBe('\xfemysql_native_password\x000123456789abcdefghij\x00');
  });

  it('writes a column definition and text rows with NULL as 0xFB', () => {
    const col = one((w) =>
      writeColumnDefinition(w, {
        name: 'sum',
        type: 8,
        charset: 63,
        length: 20,
        flags: 0x80,
        decimals: 0,
      }),
    ).subarray(4);
    expect(col.toString('hex')).toBe(
      '03646566' +
        '00' +
        '00' +
        '00' +
        '0373756d' +
        '0373756d' +
        '0c' +
        '3f00' +
        '14000000' +
        '08' +
        '8000' +
        '00' +
        '0000',
    );
    const row = one((w) => writeTextRow(w, ['7', null, Buffer.from([0xff])], 1024)).subarray(4);
    expect(row.toString('hex')).toBe('0137' + 'fb' + '01ff');
  });

  it('writes number cells as MySQL writes them, integers digit by digit', () => {
    const text = (cells: Array<number | null>) => {
      const w = new PacketWriter();
      expect(writeTextRow(w, cells, 1024)).toBe(true);
      const payload = w.drain().subarray(4);
      const out: Array<string | null> = [];
      for (let p = 0; p < payload.length;) {
        if (payload[p] === 0xfb) {
          out.push(null);
          p++;
        } else {
          out.push(payload.toString('latin1', p + 1, p + 1 + payload[p]!));
          p += 1 + payload[p]!;
        }
      }
      return out;
    };
    const max = Number.MAX_SAFE_INTEGER;
    expect(text([0, 7, -42, 10, 1000000, max, -max, null])).toEqual([
      '0',
      '7',
      '-42',
      '10',
      '1000000',
      String(max),
      String(-max),
      null,
    ]);
    // Every digit-count boundary, and both sides of the switch to float division at 2^31.
    const edges = [2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 2 ** 32 + 7];
    for (let p = 1; p <= 15; p++) edges.push(10 ** p - 1, 10 ** p, 10 ** p + 1);
    const all = [...edges, ...edges.map((n) => -n)];
    expect(text(all)).toEqual(all.map(String));
    expect(text([1.5, -0.125, 1e308, -1e21, 1.5e-7, 2 ** 60])).toEqual([
      '1.5',
      '-0.125',
      '1e308',
      '-1e21',
      '1.5e-7',
      '1152921504606847000',
    ]);
    // A number's bound (24 characters) settles most rows; the exact size decides the rest.
    expect(textRowFits([123], 4)).toBe(true);
    expect(textRowFits([123], 3)).toBe(false);
    const longest = parseFloat('-1.2345678901234567e-300'); // 17 digits, a 3-digit exponent
    expect(String(longest)).toHaveLength(24);
    expect(textRowFits([longest], 25)).toBe(true);
    expect(textRowFits([longest], 24)).toBe(false);
  });

  it('refuses a row over the payload limit before writing any of it', () => {
    // payload of ['abc', null, <2 bytes>]: 4 + 1 + 3 = 8 bytes
    const cells = ['abc', null, Buffer.from([1, 2])];
    expect(textRowFits(cells, 8)).toBe(true);
    expect(textRowFits(cells, 7)).toBe(false);
    // 'é' is one UTF-16 unit and two bytes: measured exactly when the bound does not settle it.
    expect(textRowFits(['é'.repeat(100)], 201)).toBe(true);
    expect(textRowFits(['é'.repeat(100)], 200)).toBe(false);
    expect(textRowFits(['x'.repeat(300)], 302)).toBe(false);
    expect(textRowFits(['x'.repeat(300)], 303)).toBe(true);
    const w = new PacketWriter();
    w.sequenceId = 1;
    expect(writeTextRow(w, ['x'.repeat(300)], 302)).toBe(false);
    expect(w.length).toBe(0);
    expect(w.sequenceId).toBe(1);
    expect(writeTextRow(w, ['x'.repeat(300)], 303)).toBe(true);
    expect(w.length).toBe(4 + 303);
  });

  it('numbers every packet of a result set consecutively', () => {
    const out = one((w) => {
      writeResultSetHeader(
        w,
        0,
        [{ name: 'a', type: 8, charset: 63, length: 20, flags: 0, decimals: 0 }],
        0x000a,
      );
      writeTextRow(w, ['1'], 1024);
      writeTextRow(w, ['2'], 1024);
      writeEndMarker(w, 0, 0x000a);
    });
    const seqs: number[] = [];
    for (let o = 0; o < out.length;) {
      const len = out.readUIntLE(o, 3);
      seqs.push(out[o + 3]!);
      o += 4 + len;
    }
    // count, definition, EOF, two rows, EOF
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('advertises what is implemented and nothing else', () => {
    expect(SERVER_CAPABILITIES & Capability.PROTOCOL_41).toBeTruthy();
    expect(SERVER_CAPABILITIES & Capability.LONG_PASSWORD).toBeTruthy();
    expect(SERVER_CAPABILITIES & Capability.MULTI_STATEMENTS).toBeTruthy();
    for (const off of [
      Capability.COMPRESS,
      Capability.LOCAL_FILES,
      Capability.SSL,
      Capability.SESSION_TRACK,
      Capability.QUERY_ATTRIBUTES,
    ]) {
      expect(SERVER_CAPABILITIES & off).toBe(0);
    }
  });
});

describe('login packet', () => {
  const base = (caps: number, tail: Buffer[]): Buffer => {
    const head = Buffer.alloc(32);
    head.writeUInt32LE(caps, 0);
    head.writeUInt32LE(1 << 24, 4);
    head[8] = 45;
    return Buffer.concat([head, ...tail]);
  };

  it('reads user, lenenc auth data, database, plugin and attributes', () => {
    const caps =
      Capability.PROTOCOL_41 |
      Capability.SECURE_CONNECTION |
      Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA |
      Capability.CONNECT_WITH_DB |
      Capability.PLUGIN_AUTH |
      Capability.CONNECT_ATTRS;
    const attrs = Buffer.from([4, ...Buffer.from('_pid'), 2, ...Buffer.from('42')]);
    const p = base(caps, [
      Buffer.from('bob\0'),
      Buffer.from([3, 1, 2, 3]),
      Buffer.from('rpc\0'),
      Buffer.from('mysql_native_password\0'),
      Buffer.from([attrs.length]),
      attrs,
    ]);
    const login = readLoginRequest(p);
    expect(login).toMatchObject({
      user: 'bob',
      database: 'rpc',
      authPlugin: 'mysql_native_password',
      charset: 45,
    });
    expect(login.authResponse).toEqual(Buffer.from([1, 2, 3]));
    expect(login.attributes).toEqual({ _pid: '42' });
  });

  it('tolerates a login that stops after the user name (health checks)', () => {
    const login = readLoginRequest(
      base(Capability.PROTOCOL_41 | Capability.SECURE_CONNECTION, [Buffer.from('haproxy\0')]),
    );
    expect(login.user).toBe('haproxy');
    expect(login.authResponse.length).toBe(0);
  });

  it('raises MalformedPacketError for a truncated auth field', () => {
    const p = base(Capability.PROTOCOL_41 | Capability.SECURE_CONNECTION, [
      Buffer.from('bob\0'),
      Buffer.from([20, 1, 2]),
    ]);
    expect(() => readLoginRequest(p)).toThrow(MalformedPacketError);
  });

  it('recognises an SSLRequest', () => {
    expect(isSslRequest(base(Capability.PROTOCOL_41 | Capability.SSL, []))).toBe(true);
    expect(isSslRequest(base(Capability.PROTOCOL_41, []))).toBe(false);
  });
});

describe('mysql_native_password', () => {
  it('makes salts of printable-range bytes without NUL or $', () => {
    for (let i = 0; i < 200; i++) {
      const s = generateSalt();
      expect(s.length).toBe(20);
      for (const b of s) {
        expect(b).toBeGreaterThanOrEqual(1);
        expect(b).toBeLessThanOrEqual(127);
        expect(b).not.toBe(0x24);
      }
    }
  });

  it('matches the known double-SHA1 of a password', () => {
    // MySQL: SELECT PASSWORD('testpass') = *00E247AC5F9AF26AE0194B41E1E769DEE1429A29
    expect(nativePasswordHash('testpass').toString('hex').toUpperCase()).toBe(
      '00E247AC5F9AF26AE0194B41E1E769DEE1429A29',
    );
  });

  it('accepts the right scramble and rejects others', () => {
    const salt = generateSalt();
    const stored = nativePasswordHash('s3cret');
    expect(verifyNativePassword(stored, salt, scrambleNativePassword('s3cret', salt))).toBe(true);
    expect(verifyNativePassword(stored, salt, scrambleNativePassword('s3cres', salt))).toBe(false);
    expect(
      verifyNativePassword(stored, generateSalt(), scrambleNativePassword('s3cret', salt)),
    ).toBe(false);
    expect(verifyNativePassword(stored, salt, Buffer.alloc(19))).toBe(false);
    expect(verifyNativePassword(stored, salt, Buffer.alloc(0))).toBe(false);
    expect(verifyNativePassword(null, salt, Buffer.alloc(0))).toBe(true);
    expect(verifyNativePassword(null, salt, Buffer.alloc(20))).toBe(false);
  });
});
