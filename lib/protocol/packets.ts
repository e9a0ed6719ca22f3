import { Capability, Marker, PROTOCOL_VERSION } from './constants.js';
import type { WireError } from './errors.js';
import type { PacketWriter } from './packet-writer.js';

/** Fields of an OK packet (and of the OK that replaces EOF). */
export interface OkFields {
  affectedRows?: number | bigint;
  insertId?: number | bigint;
  warnings?: number;
  info?: string;
}

/** Fields of the v10 greeting. */
export interface GreetingFields {
  serverVersion: string;
  connectionId: number;
  salt: Buffer;
  capabilities: number;
  charset: number;
  status: number;
  authPlugin: string;
}

/** Writes the Handshake v10 packet. */
export function writeGreeting(w: PacketWriter, g: GreetingFields): void {
  w.begin()
    .u8(PROTOCOL_VERSION)
    .nulText(g.serverVersion)
    .u32(g.connectionId)
    .bytes(g.salt.subarray(0, 8))
    .u8(0)
    .u16(g.capabilities & 0xffff)
    .u8(g.charset)
    .u16(g.status)
    .u16(g.capabilities >>> 16)
    .u8(g.salt.length + 1)
    .zeros(10)
    .bytes(g.salt.subarray(8))
    .u8(0)
    .nulText(g.authPlugin)
    .end();
}

/** Writes an OK packet; `header` 0xFE makes it the end-of-rows marker under DEPRECATE_EOF. */
export function writeOk(
  w: PacketWriter,
  ok: OkFields,
  status: number,
  header: number = Marker.OK,
): void {
  w.begin()
    .u8(header)
    .lenenc(ok.affectedRows ?? 0)
    .lenenc(ok.insertId ?? 0)
    .u16(status)
    .u16(ok.warnings ?? 0);
  // Servers write info length-encoded (net_store_data), whatever the
  // documentation's string<EOF> suggests; libmariadb reads it that way.
  if (ok.info) w.lenencText(ok.info);
  w.end();
}

/** Writes a classic 5-byte EOF packet. */
export function writeEof(w: PacketWriter, status: number, warnings = 0): void {
  w.begin().u8(Marker.EOF).u16(warnings).u16(status).end();
}

/**
 * Writes the end of a row stream or of column definitions the way the
 * client asked for: an 0xFE-headed OK with DEPRECATE_EOF, else an EOF.
 */
export function writeEndMarker(
  w: PacketWriter,
  capabilities: number,
  status: number,
  warnings = 0,
): void {
  if (capabilities & Capability.DEPRECATE_EOF) {
    writeOk(w, { warnings }, status, Marker.EOF);
  } else {
    writeEof(w, status, warnings);
  }
}

/**
 * Writes an ERR packet. `withState` is false only before the client has
 * said it speaks protocol 4.1 (e.g. an error instead of the greeting).
 */
export function writeErr(w: PacketWriter, e: WireError, withState = true): void {
  w.begin().u8(Marker.ERR).u16(e.code);
  if (withState) w.u8(0x23).text(e.sqlState);
  w.text(e.message).end();
}

/** Writes an AuthSwitchRequest naming the plugin and its fresh challenge. */
export function writeAuthSwitch(w: PacketWriter, plugin: string, data: Buffer): void {
  w.begin().u8(Marker.EOF).nulText(plugin).bytes(data).u8(0).end();
}

/** Writes an AuthMoreData packet: a plugin's own message in the middle of its exchange. */
export function writeAuthMoreData(w: PacketWriter, data: Buffer): void {
  w.begin().u8(Marker.AUTH_MORE_DATA).bytes(data).end();
}
