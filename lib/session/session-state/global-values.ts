import { hostname } from 'node:os';
import type { SessionServices } from '../session-options.js';
import { LIMIT_VARIABLES } from '../server-limits.js';
import { VARIABLES, type StoredValue } from './catalog.js';

/** The global value of every variable, by storage name: one table per server, shared by its sessions. */
export type GlobalValues = ReadonlyMap<string, StoredValue>;

/**
 * The server's global values. An admin's SET GLOBAL goes through
 * `assign`, which also moves the limit a variable shows (max_connections,
 * wait_timeout...), so the server acts on the new value at once. A
 * session reads a global it has not set for itself when it uses it, so a
 * new global applies to open sessions too.
 */
export class ServerGlobals extends Map<string, StoredValue> {
  constructor(private readonly services: SessionServices) {
    super();
  }

  /** Sets a global (already checked by SET) and applies it. */
  assign(storage: string, value: StoredValue): void {
    this.set(storage, value);
    const n = typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : 0;
    const limit = LIMIT_VARIABLES.get(storage);
    if (limit) return limit.write(this.services.limits, n);
    switch (storage) {
      case 'max_user_connections':
        this.services.accountConnections.maxUserConnections = n;
        return;
      case 'max_prepared_stmt_count':
        this.services.preparedStatements.limit = n;
        return;
      case 'general_log':
        this.services.callLog.enabled = n === 1;
        return;
    }
  }
}

const MACHINES: Readonly<Record<string, string>> = { x64: 'x86_64', arm64: 'aarch64' };
const SYSTEMS: Readonly<Record<string, string>> = {
  linux: 'Linux',
  darwin: 'macos',
  win32: 'Win64',
  freebsd: 'FreeBSD',
};

const cache = new WeakMap<SessionServices, ServerGlobals>();

/**
 * The globals of the server `services` belong to, built on its first
 * connection: the compiled-in values, and what the server's options and
 * its host decide. `port` is the port the server listens on.
 */
export function globalValuesOf(services: SessionServices, port: number): ServerGlobals {
  let values = cache.get(services);
  if (!values) {
    values = buildGlobals(services, port);
    cache.set(services, values);
  }
  return values;
}

function buildGlobals(services: SessionServices, port: number): ServerGlobals {
  const { settings, limits } = services;
  const values = new ServerGlobals(services);
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
  set('max_user_connections', services.accountConnections.maxUserConnections);
  set('general_log', services.callLog.enabled ? 1 : 0);
  for (const v of LIMIT_VARIABLES.values()) set(v.name, v.read(limits));
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
