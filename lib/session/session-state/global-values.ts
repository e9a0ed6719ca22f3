import { hostname } from 'node:os';
import type { SessionServices } from '../session-options.js';
import { VARIABLES, type StoredValue } from './catalog.js';

/** The global value of every variable, by storage name: one table per server, shared by its sessions. */
export type GlobalValues = ReadonlyMap<string, StoredValue>;

const MACHINES: Readonly<Record<string, string>> = { x64: 'x86_64', arm64: 'aarch64' };
const SYSTEMS: Readonly<Record<string, string>> = {
  linux: 'Linux',
  darwin: 'macos',
  win32: 'Win64',
  freebsd: 'FreeBSD',
};

const cache = new WeakMap<SessionServices, GlobalValues>();

/**
 * The globals of the server `services` belong to, built on its first
 * connection: the compiled-in values, and what the server's options and
 * its host decide. `port` is the port the server listens on.
 */
export function globalValuesOf(services: SessionServices, port: number): GlobalValues {
  let values = cache.get(services);
  if (!values) {
    values = buildGlobals(services, port);
    cache.set(services, values);
  }
  return values;
}

function buildGlobals(services: SessionServices, port: number): GlobalValues {
  const { settings } = services;
  const values = new Map<string, StoredValue>();
  for (const d of VARIABLES.values()) if (d.storage === d.name) values.set(d.name, d.value);
  const tls = services.tls() !== null ? 'YES' : 'DISABLED';
  const set = (name: string, value: StoredValue): void => {
    values.set(name, value);
  };
  set('version', settings.serverVersion);
  set('version_comment', settings.versionComment);
  set('max_allowed_packet', settings.maxPacketSize);
  set('default_authentication_plugin', settings.authPlugin);
  set('require_secure_transport', settings.requireSecureTransport ? 1 : 0);
  set('have_ssl', tls);
  set('have_openssl', tls);
  set('max_prepared_stmt_count', services.preparedStatements.limit);
  set('port', port);
  set('hostname', hostname());
  set('version_compile_machine', MACHINES[process.arch] ?? process.arch);
  set('version_compile_os', SYSTEMS[process.platform] ?? process.platform);
  // The zone the server writes dates in, which clients compare with their own.
  set(
    'system_time_zone',
    settings.encode.utc ? 'UTC' : Intl.DateTimeFormat().resolvedOptions().timeZone,
  );
  return values;
}
