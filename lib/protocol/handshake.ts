import { Capability } from './constants.js';
import { MalformedPacketError, PayloadReader } from './payload-reader.js';

/** What a client says about itself in HandshakeResponse41. */
export interface LoginRequest {
  capabilities: number;
  maxPacketSize: number;
  charset: number;
  user: string;
  authResponse: Buffer;
  database: string | null;
  authPlugin: string | null;
  attributes: Record<string, string>;
}

/** The first 32 bytes every 4.1 login starts with; alone, they are an SSLRequest. */
export interface LoginPrefix {
  capabilities: number;
  maxPacketSize: number;
  charset: number;
}

const PREFIX_LENGTH = 32;
const MAX_ATTRIBUTES = 64;

/** Reads the fixed 32-byte prefix shared by SSLRequest and the login packet. */
export function readLoginPrefix(payload: Buffer): LoginPrefix {
  const r = new PayloadReader(payload);
  const capabilities = r.u32();
  const maxPacketSize = r.u32();
  const charset = r.u8();
  r.skip(23);
  return { capabilities, maxPacketSize, charset };
}

/** True when the packet is an SSLRequest rather than a full login. */
export function isSslRequest(payload: Buffer): boolean {
  return payload.length === PREFIX_LENGTH && (payload.readUInt32LE(0) & Capability.SSL) !== 0;
}

/**
 * Decodes HandshakeResponse41. Fields after the auth response are optional
 * in practice (health checkers stop after the user name), so their absence
 * is tolerated; a field that is present but cut short is malformed.
 */
export function readLoginRequest(payload: Buffer): LoginRequest {
  if (payload.length < PREFIX_LENGTH + 1) throw new MalformedPacketError();
  const prefix = readLoginPrefix(payload);
  const caps = prefix.capabilities;
  const r = new PayloadReader(payload);
  r.skip(PREFIX_LENGTH);
  const user = r.nulText(true);
  let authResponse: Buffer = Buffer.alloc(0);
  if (r.remaining > 0) {
    if (caps & Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA) authResponse = r.lenencBytes();
    else if (caps & Capability.SECURE_CONNECTION) authResponse = r.bytes(r.u8());
    else authResponse = r.nulBytes(true);
  }
  let database: string | null = null;
  if (caps & Capability.CONNECT_WITH_DB && r.remaining > 0) {
    database = r.nulText(true);
  }
  let authPlugin: string | null = null;
  if (caps & Capability.PLUGIN_AUTH && r.remaining > 0) {
    authPlugin = r.nulText(true);
  }
  const attributes =
    caps & Capability.CONNECT_ATTRS && r.remaining > 0 ? readAttributes(r) : noAttributes();
  return { ...prefix, user, authResponse, database, authPlugin, attributes };
}

/** What a client sends in COM_CHANGE_USER to log in again on the same connection. */
export interface ChangeUserRequest {
  user: string;
  authResponse: Buffer;
  database: string | null;
  authPlugin: string | null;
  attributes: Record<string, string>;
}

/**
 * Decodes COM_CHANGE_USER (command byte included). Its layout depends on
 * the capabilities agreed at login, which the caller passes in; fields
 * after the database are optional, as older clients stop there.
 */
export function readChangeUser(payload: Buffer, caps: number): ChangeUserRequest {
  const r = new PayloadReader(payload);
  r.skip(1);
  const user = r.nulText(true);
  const authResponse = caps & Capability.SECURE_CONNECTION ? r.bytes(r.u8()) : r.nulBytes(true);
  const database = r.remaining > 0 ? r.nulText(true) || null : null;
  if (r.remaining > 0) r.skip(2); // character set: the session keeps utf8mb4
  const authPlugin = caps & Capability.PLUGIN_AUTH && r.remaining > 0 ? r.nulText(true) : null;
  const attributes =
    caps & Capability.CONNECT_ATTRS && r.remaining > 0 ? readAttributes(r) : noAttributes();
  return { user, authResponse, database, authPlugin, attributes };
}

const noAttributes = (): Record<string, string> => Object.create(null) as Record<string, string>;

/** Connection attributes: a length-encoded block of key/value pairs, at most MAX_ATTRIBUTES kept. */
function readAttributes(r: PayloadReader): Record<string, string> {
  const attributes = noAttributes();
  const attrs = new PayloadReader(r.lenencBytes());
  let count = 0;
  while (attrs.remaining > 0 && count++ < MAX_ATTRIBUTES) {
    const key = attrs.lenencBytes().toString('utf8');
    attributes[key] = attrs.lenencBytes().toString('utf8');
  }
  return attributes;
}
