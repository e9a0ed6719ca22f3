import { createServer, type Server as NetServer, type Socket } from 'node:net';
import {
  RpcException,
  Server,
  type CustomTransportStrategy,
  type MessageHandler,
  type WritePacket,
} from '@nestjs/microservices';
import type { Subscription } from 'rxjs';
import { AccountConnections } from '../acl/account-connections.js';
import { AccountDirectory } from '../acl/account-directory.js';
import { executeDenied } from '../acl/access-denied.js';
import { accessFromExtras } from '../acl/access-metadata.js';
import { Sha2Cache } from '../acl/sha2-cache.js';
import { ER, formatError, type WireError } from '../protocol/errors.js';
import { planReply } from '../results/result-builder.js';
import {
  MysqlResultSet,
  type MysqlColumn,
  type MysqlOkFields,
  type MysqlRow,
} from '../results/result-values.js';
import type { CallDispatcher, ProcedureCall } from '../session/call-dispatcher.js';
import type { CallReply } from '../session/call-reply.js';
import type { CatalogProcedure } from '../session/procedure-catalog.js';
import { MysqlConnection } from '../session/connection.js';
import { PreparedStatementBudget } from '../session/prepared/prepared-statement.js';
import { writeStream, writeTable, type ResultWriterOptions } from '../session/result-writer.js';
import { LoginThrottle } from '../session/login/login-throttle.js';
import { ServerStats } from '../session/server-stats.js';
import { withoutUndefined } from '../session/without-undefined.js';
import { resolveTlsMaterial } from '../tls/tls-material.js';
import { peerCertificateInfo, upgradeToTls } from '../tls/upgrade.js';
import { OffThreadParser } from '../sql/off-thread.js';
import { PARSE_WORKER_URL } from '../sql/parse-worker-url.js';
import type { RsaKeyPair } from '../session/login/auth-method.js';
import type { SessionServices, SessionSettings, SessionTls } from '../session/session-options.js';
import { bindCall, type CallParameters } from '../signature/call-parameters.js';
import { CoercionError } from '../signature/coercion-error.js';
import { MysqlOutParameters } from '../signature/out-parameters.js';
import { parseSignature } from '../signature/parse-signature.js';
import { signatureFromExtras } from '../signature/procedure-signature.js';
import { ResolvedSignature } from '../signature/resolved-signature.js';
import { asMysqlErrorPayload } from './mysql-error.js';
import { MysqlRpcContext } from './mysql-rpc.context.js';
import { MYSQL_RPC_DEFAULTS, type MysqlRpcServerOptions } from './mysql-rpc.options.js';

/** Transport id of this strategy: `@MessagePattern('p', MYSQL_RPC_TRANSPORT)` binds a handler to it alone. */
export const MYSQL_RPC_TRANSPORT: unique symbol = Symbol('MYSQL_RPC_TRANSPORT');

/** States the server reports through `status`. */
export type MysqlRpcStatus = 'listening' | 'error' | 'closed';

/** Events of the underlying `net.Server` that `on()` forwards. */
export type MysqlRpcEvents = {
  listening: () => void;
  connection: (socket: Socket) => void;
  error: (error: Error) => void;
  close: () => void;
};

/** Per-call state the response callback carries between emissions. */
interface CallState {
  ok: MysqlOkFields | undefined;
  readonly call: ProcedureCall;
  /** Arguments and OUT values under the procedure's signature, or null. */
  readonly parameters: CallParameters | null;
  /** The signature's declared result columns, or null. */
  readonly columns: readonly MysqlColumn[] | null;
}

/** A registered handler, by the name it answers to. */
interface Procedure {
  readonly route: string;
  readonly handler: MessageHandler;
  /** Declared `@MysqlPublic()`: callable without a grant. */
  readonly public: boolean;
  /** How introspection and prepared statements describe it. */
  readonly entry: CatalogProcedure;
  /** Its declared signature (`@MysqlProcedure`), or null. */
  readonly signature: ResolvedSignature | null;
}

/** The text Nest's exception layer gives a guard that returned false. */
const FORBIDDEN = 'Forbidden resource';

/**
 * A Nest microservice transport that speaks the MySQL protocol: each
 * `CALL name(args)` runs the `@MessagePattern('name')` handler, and its
 * value goes back as MySQL result sets.
 */
export class MysqlRpcServer
  extends Server<MysqlRpcEvents, MysqlRpcStatus>
  implements CustomTransportStrategy, CallDispatcher
{
  override transportId = MYSQL_RPC_TRANSPORT;

  private readonly settings: SessionSettings;
  private readonly host: string;
  private readonly port: number;
  private readonly services: SessionServices;
  /** Handlers by lower-cased pattern: MySQL procedure names are case-insensitive. */
  private readonly routes = new Map<string, Procedure>();
  private readonly connections = new Set<MysqlConnection>();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- net.Server listeners of any event
  private readonly pendingListeners: Array<[keyof MysqlRpcEvents, (...args: any[]) => void]> = [];
  private server: NetServer | null = null;
  private nextConnectionId = 1;
  /** procedures() in name order, rebuilt after a registration. */
  private catalogCache: CatalogProcedure[] | null = null;
  /** How result sets are encoded, and how a failing row source is reported. */
  private readonly writerOptions: ResultWriterOptions;
  /** Server-wide counters (connections, questions, uptime). */
  readonly stats = new ServerStats();
  /** caching_sha2_password's RSA key pair, ready when listening starts. */
  private rsaKeys: RsaKeyPair | null = null;
  /** How connections switch to TLS, ready when listening starts; null when TLS is off. */
  private sessionTls: SessionTls | null = null;

  /** What TLS is made of; kept apart from the options, which may hold plain passwords. */
  private readonly tlsOptions: Pick<MysqlRpcServerOptions, 'tls' | 'rsaKeys'>;

  constructor(options: MysqlRpcServerOptions) {
    super();
    const o = { ...MYSQL_RPC_DEFAULTS, ...withoutUndefined(options) };
    this.host = o.host;
    this.port = o.port;
    this.settings = {
      serverVersion: o.serverVersion,
      versionComment: o.versionComment,
      database: o.database,
      maxPacketSize: o.maxPacketSize,
      connectTimeout: o.connectTimeout,
      scalarColumn: o.scalarColumn,
      encode: { utc: o.timezone === 'utc' },
      authPlugin: o.authPlugin,
      requireSecureTransport: o.requireSecureTransport,
    };
    if (!options.users) throw new Error('MysqlRpcServer: the users option is required');
    this.tlsOptions = { tls: options.tls, rsaKeys: options.rsaKeys };
    if (options.requireSecureTransport && options.tls === false) {
      throw new Error('MysqlRpcServer: requireSecureTransport needs TLS, but tls is false');
    }
    if (!Number.isSafeInteger(o.maxPacketSize) || o.maxPacketSize < 1024) {
      throw new RangeError('MysqlRpcServer: maxPacketSize must be an integer of at least 1024');
    }
    this.writerOptions = {
      encode: this.settings.encode,
      toWireError: (error) => this.rowSourceError(error),
    };
    const accounts = new AccountDirectory(options.users, {
      defaultSchema: o.database,
      roles: options.roles ?? {},
    });
    this.services = {
      settings: this.settings,
      accounts,
      sha2Cache: new Sha2Cache(),
      throttle: new LoginThrottle(options.loginThrottle, this.stats.loginThrottle),
      accountConnections: new AccountConnections(o.maxUserConnections),
      rsaKeys: () => this.rsaKeys!,
      tls: () => this.sessionTls,
      dispatcher: this,
      stats: this.stats,
      logger: this.logger,
      largeStatements: PARSE_WORKER_URL ? new OffThreadParser(PARSE_WORKER_URL) : null,
      preparedStatements: new PreparedStatementBudget(o.maxPreparedStatements),
      sessions: () => this.connections,
    };
  }

  /** Prepares TLS and keys, then starts accepting connections; `callback(err)` reports a failure. */
  listen(callback: (error?: unknown) => void): void {
    resolveTlsMaterial(this.tlsOptions.tls, this.tlsOptions.rsaKeys).then(
      (material) => {
        // Built once here: every connection asks for them while it logs in.
        this.rsaKeys = {
          privateKey: material.rsaPrivateKey,
          publicKeyPem: material.rsaPublicKeyPem,
        };
        this.sessionTls = material.secureContext
          ? {
              upgrade: (socket, buffered) => upgradeToTls(socket, buffered, material),
              peer: (socket) => peerCertificateInfo(socket),
            }
          : null;
        this.bind(callback);
      },
      (error: unknown) => {
        this._status$.next('error');
        callback(error);
      },
    );
  }

  private bind(callback: (error?: unknown) => void): void {
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.server = server;
    for (const [event, listener] of this.pendingListeners) server.on(event, listener);
    this.pendingListeners.length = 0;
    const onStartupError = (error: Error): void => {
      this._status$.next('error');
      callback(error);
    };
    server.once('error', onStartupError);
    server.listen(this.port, this.host, () => {
      server.off('error', onStartupError);
      server.on('error', (error) => {
        this._status$.next('error');
        this.logger.error(error);
      });
      this._status$.next('listening');
      callback();
    });
  }

  /** Stops listening and closes every connection; resolves once the listener is closed. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const connection of this.connections) connection.destroy();
    this.connections.clear();
    await this.services.largeStatements?.close();
    if (server) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    this._status$.next('closed');
  }

  /** Subscribes to an event of the underlying `net.Server`. */
  on<K extends keyof MysqlRpcEvents>(event: K, callback: MysqlRpcEvents[K]): void {
    if (this.server) this.server.on(event, callback);
    else this.pendingListeners.push([event, callback]);
  }

  /** The underlying `net.Server`. */
  unwrap<T = NetServer>(): T {
    if (!this.server) {
      throw new Error(
        'Not initialized. Please call the "listen"/"startAllMicroservices" method before accessing the server.',
      );
    }
    return this.server as T;
  }

  /** Registers a handler and indexes it by its case-folded name. */
  override addHandler(
    pattern: unknown,
    callback: MessageHandler,
    isEventHandler = false,
    extras: Record<string, unknown> = {},
  ): void {
    super.addHandler(pattern, callback, isEventHandler, extras);
    const route = this.normalizePattern(pattern as string);
    const key = route.toLowerCase();
    const existing = this.routes.get(key);
    if (existing && existing.route !== route) {
      this.logger.warn(`procedure "${route}" differs from "${existing.route}" only in letter case`);
    }
    const access = accessFromExtras(extras);
    const handler = this.messageHandlers.get(route)!;
    const isPublic = access?.public === true;
    const signature = this.resolveSignature(route, extras, handler.isEventHandler === true);
    this.routes.set(key, {
      route,
      handler,
      public: isPublic,
      signature,
      entry: Object.freeze({
        schema: this.settings.database,
        name: route,
        params: signature?.params ?? null,
        columns: signature?.columnFields ?? null,
        comment: signature?.comment ?? '',
        event: handler.isEventHandler === true,
        public: isPublic,
        created: new Date(),
      }),
    });
    this.catalogCache = null;
  }

  /**
   * Compiles a handler's declared signature, if any; a bad declaration
   * stops the app at start, naming the procedure.
   */
  private resolveSignature(
    route: string,
    extras: Record<string, unknown>,
    isEvent: boolean,
  ): ResolvedSignature | null {
    const declared = signatureFromExtras(extras);
    if (declared === undefined) return null;
    try {
      const resolved = new ResolvedSignature(parseSignature(declared), this.settings.encode);
      if (isEvent && resolved.outPositions.length > 0) {
        throw new Error('an event handler cannot have OUT or INOUT parameters');
      }
      return resolved;
    } catch (e) {
      throw new Error(`MysqlRpcServer: procedure "${route}": ${(e as Error).message}`);
    }
  }

  /** Every registered procedure, in name order. */
  procedures(): readonly CatalogProcedure[] {
    this.catalogCache ??= [...this.routes.values()]
      .map((p) => p.entry)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return this.catalogCache;
  }

  /** The procedure of this name (case-insensitive), if registered. */
  procedure(name: string): CatalogProcedure | undefined {
    return this.routes.get(name.toLowerCase())?.entry;
  }

  /** True when a handler of this name is declared `@MysqlPublic()`. */
  isPublic(name: string): boolean {
    return this.routes.get(name.toLowerCase())?.public === true;
  }

  /** Runs one CALL through Nest: hooks, guards, interceptors, pipes, filters. */
  dispatch(call: ProcedureCall, reply: CallReply): void {
    const procedure = this.routes.get(call.name.toLowerCase());
    if (!procedure) {
      return reply.error(formatError(ER.SP_DOES_NOT_EXIST, 'PROCEDURE', reply.procedure));
    }
    const { route, handler, signature } = procedure;
    let payload: unknown = call.args;
    let parameters: CallParameters | null = null;
    if (signature) {
      // Arguments a signature refuses are answered here, before any guard runs.
      try {
        ({ payload, parameters } = bindCall(signature, call, `${call.schema}.${route}`));
      } catch (error) {
        if (error instanceof CoercionError) return reply.error(error.wire);
        throw error;
      }
    }
    const context = new MysqlRpcContext([call.session, call.name, call.schema, parameters]);
    if (handler.isEventHandler) {
      // An event handler is fire-and-forget: the CALL is acknowledged at once.
      this.handleEvent(route, { pattern: route, data: payload }, context).catch((error: unknown) =>
        this.logger.error(error),
      );
      return reply.ok();
    }
    let subscription: Subscription | undefined;
    let started = false;
    // However the reply ends (final packet, error, client gone), the stream
    // is torn down and the end hook runs exactly once.
    reply.onFinish(() => {
      subscription?.unsubscribe();
      if (started) this.onProcessingEndHook?.(this.transportId, context);
    });
    const run = async (): Promise<void> => {
      started = true;
      try {
        const result: unknown = await handler(payload, context);
        if (!reply.isOpen) return;
        const state: CallState = {
          ok: undefined,
          call,
          parameters,
          columns: signature?.columns ?? null,
        };
        subscription = this.send(this.transformToObservable(result), (packet) =>
          this.respond(packet, reply, state),
        );
      } catch (error) {
        this.fail(reply, error);
      }
    };
    try {
      const hooked: unknown = this.onProcessingStartHook(this.transportId, context, run);
      if (hooked instanceof Promise) hooked.catch((error: unknown) => this.fail(reply, error));
    } catch (error) {
      this.fail(reply, error);
    }
  }

  /** Ends a call that failed outside the handler's own error handling. */
  private fail(reply: CallReply, error: unknown): void {
    this.logger.error(error);
    reply.error(formatError(ER.SIGNAL_EXCEPTION));
  }

  /** Turns one packet of Nest's response stream into MySQL packets. */
  private respond(packet: WritePacket, reply: CallReply, state: CallState): Promise<void> | void {
    try {
      if ('err' in packet) return reply.error(this.toWireError(packet.err, state.call));
      let pending: Promise<void> | void = undefined;
      if ('response' in packet) {
        let value: unknown = packet.response;
        if (value instanceof MysqlOutParameters) {
          const out = value as MysqlOutParameters;
          if (!state.parameters) {
            throw new Error(`procedure ${state.call.name} declares no OUT parameters`);
          }
          for (const [name, v] of Object.entries(out.values)) state.parameters.setOut(name, v);
          value = out.result;
        }
        if (state.columns) value = throughColumns(value, state.columns);
        const plan = planReply(value, this.settings.scalarColumn);
        if (plan.kind === 'table') pending = writeTable(reply, plan.table, this.writerOptions);
        else if (plan.kind === 'stream')
          pending = writeStream(reply, plan.stream, this.writerOptions);
        else if (plan.kind === 'ok') state.ok = plan.ok;
      }
      if (packet.isDisposed) {
        if (pending) return pending.then(() => this.finish(reply, state));
        this.finish(reply, state);
      }
      return pending;
    } catch (error) {
      // A value that cannot be encoded (a cycle, say) fails this call only.
      this.fail(reply, error);
    }
  }

  /**
   * Ends a call that succeeded: its OUT and INOUT values, coerced to their
   * types (a value its type refuses is MySQL's ERR instead), then the OK.
   */
  private finish(reply: CallReply, state: CallState): void {
    const parameters = state.parameters;
    if (parameters && parameters.signature.outPositions.length > 0) {
      let out;
      try {
        out = parameters.outParameters();
      } catch (error) {
        if (!(error instanceof CoercionError)) throw error;
        return reply.error(error.wire);
      }
      if (!reply.outParameters(out)) return;
    }
    reply.ok(state.ok);
  }

  /**
   * An error thrown by a streamed result's row source, after Nest's
   * exception layer had its turn: MysqlError and RpcException keep what
   * they chose to show; anything else is logged and stays in the server.
   */
  private rowSourceError(error: unknown): WireError {
    if (error instanceof RpcException) return this.toWireError(error.getError());
    this.logger.error(error);
    return formatError(ER.SIGNAL_EXCEPTION);
  }

  /**
   * Maps what Nest's exception layer produced to an ERR; internal details
   * never reach the client. A guard that said no is MySQL's ERR 1370.
   */
  private toWireError(err: unknown, call?: ProcedureCall): WireError {
    const exact = asMysqlErrorPayload(err);
    if (exact) return exact;
    if (typeof err === 'object' && err !== null) {
      const { status, message } = err as { status?: unknown; message?: unknown };
      if (call && status === 'error' && message === FORBIDDEN) {
        return executeDenied(call.session.account, `${call.schema}.${call.name}`);
      }
      // RpcException('text'): the handler chose the text for the client to see.
      if (
        status === 'error' &&
        typeof message === 'string' &&
        message !== 'Internal server error'
      ) {
        return { ...formatError(ER.SIGNAL_EXCEPTION), message };
      }
    }
    return formatError(ER.SIGNAL_EXCEPTION);
  }

  private accept(socket: Socket): void {
    const id = this.nextConnectionId;
    this.nextConnectionId = id >= 0xffffffff ? 1 : id + 1;
    const connection = new MysqlConnection(socket, id, this.services);
    this.connections.add(connection);
    connection.onClosed = () => this.connections.delete(connection);
    connection.start();
  }
}

/**
 * A plain result written through declared columns: an object is one row,
 * an array of objects or of arrays is the rows, an array of scalars is a
 * row each (one column), a scalar is one row. Explicit replies
 * (MysqlResultSet, MysqlResultStream, MysqlOk) and nothing (OK) pass as
 * they are.
 */
function throughColumns(value: unknown, columns: readonly MysqlColumn[]): unknown {
  if (value === undefined || value === null) return value;
  if (Array.isArray(value)) {
    // Rows are used in place; only scalars are wrapped, one row each.
    const rows = value.every(isRow) ? value : value.map((v: unknown) => (isRow(v) ? v : [v]));
    return new MysqlResultSet(columns, rows as MysqlRow[]);
  }
  if (!isRow(value)) return new MysqlResultSet(columns, [[value]]);
  const proto = Object.getPrototypeOf(value) as unknown;
  // Only plain objects are rows; MysqlResultSet, MysqlOk, streams and the like keep their meaning.
  if (proto !== Object.prototype && proto !== null) return value;
  return new MysqlResultSet(columns, [value as MysqlRow]);
}

/** An object or array that is a row, rather than a value (a Date, bytes, a scalar). */
const isRow = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && !(v instanceof Date) && !(v instanceof Uint8Array);
