import { createServer, type Server as NetServer, type Socket } from 'node:net';
import {
  RpcException,
  Server,
  type CustomTransportStrategy,
  type MessageHandler,
  type WritePacket,
} from '@nestjs/microservices';
import { Logger } from '@nestjs/common';
import { throwError, type Subscription } from 'rxjs';
import { AccountConnections } from '../acl/account-connections.js';
import { AccountDirectory } from '../acl/account-directory.js';
import { executeDenied } from '../acl/access-denied.js';
import { accessFromExtras } from '../acl/access-metadata.js';
import { Sha2Cache } from '../acl/sha2-cache.js';
import { verifyPlainPassword } from '../acl/verify-credentials.js';
import { decoyCredentials } from '../session/login/decoy-account.js';
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
import { ProcedureStats, RATE_SAMPLE_MS, ServerStats } from '../status/server-stats.js';
import type { MysqlCallTracer } from '../status/call-tracer.js';
import { CallSlots } from '../session/call-slots.js';
import type { ServerLimits } from '../session/server-limits.js';
import type { CallLogSwitch } from '../session/session-options.js';
import { globalValuesOf } from '../session/system-variables.js';
import { formatCallLine } from '../status/call-log.js';
import { buildStatusReport, liveTotals, type StatusSource } from '../status/build-report.js';
import { statusReportRows } from '../status/status-rows.js';
import type { StatusReport } from '../status/status-report.js';
import type { StatusProvider } from '../status/status-provider.js';
import { MysqlStatusHttp, type StatusHandler } from '../status/http/status-http.js';
import type { LatencyHistogram } from '../status/latency-histogram.js';
import { MysqlResultSet as StatusResultSet } from '../results/result-values.js';
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
import { asMysqlErrorPayload, MysqlError } from './mysql-error.js';
import { MysqlRpcContext } from './mysql-rpc.context.js';
import { MYSQL_RPC_DEFAULTS, type MysqlRpcServerOptions } from './mysql-rpc.options.js';

/** Transport id of this strategy: `@MessagePattern('p', MYSQL_RPC_TRANSPORT)` binds a handler to it alone. */
export const MYSQL_RPC_TRANSPORT: unique symbol = Symbol('MYSQL_RPC_TRANSPORT');

/**
 * States the server reports through `status`: `listening`, then on
 * close() `draining` (no new connections; calls in flight finish, new
 * commands get ERR 1053), then `closed`; `error` when the listener fails.
 */
export type MysqlRpcStatus = 'listening' | 'draining' | 'error' | 'closed';

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
  /** Its own max_execution_time in ms (`@MysqlProcedure({ timeout })`), or null for the server's. */
  readonly timeout: number | null;
  /** Its calls, outcomes and durations. */
  readonly stats: ProcedureStats;
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
  /** Open connections by id (KILL finds them here). */
  private readonly connections = new Map<number, MysqlConnection>();
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
  /** Limits and timeouts as they stand (SET GLOBAL moves them). */
  private readonly limits: ServerLimits;
  private readonly callLog: CallLogSwitch;
  /** The cap on calls in flight. */
  private readonly slots: CallSlots;
  private readonly tracer: MysqlCallTracer | null;
  /** Where the per-call log goes. */
  private readonly callLogger = new Logger('MysqlRpcCalls');
  /** Sweeps idle sessions and samples the call rates, while listening. */
  private ticker: NodeJS.Timeout | null = null;
  private ticks = 0;
  /** Where the server listens, once it does. */
  private listening: string[] = [];
  private state: StatusReport['server']['state'] = 'starting';
  /** The HTTP status endpoints, when configured. */
  private readonly statusHttp: MysqlStatusHttp | null;
  /** The shutdown under way, so that close() can be called more than once. */
  private closing: Promise<void> | null = null;

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
    const interactiveTimeout = options.interactiveTimeout ?? o.idleTimeout;
    for (const [name, value, min] of [
      ['maxConnections', o.maxConnections, 1],
      ['connectTimeout', o.connectTimeout, 0],
      ['idleTimeout', o.idleTimeout, 0],
      ['interactiveTimeout', interactiveTimeout, 0],
      ['callTimeout', o.callTimeout, 0],
      ['maxCallsInFlight', o.maxCallsInFlight, 0],
      ['shutdownGracePeriod', o.shutdownGracePeriod, 0],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < min) {
        throw new RangeError(`MysqlRpcServer: ${name} must be an integer of at least ${min}`);
      }
    }
    this.limits = {
      maxConnections: o.maxConnections,
      connectTimeoutMs: o.connectTimeout,
      waitTimeoutMs: o.idleTimeout,
      interactiveTimeoutMs: interactiveTimeout,
      callTimeoutMs: o.callTimeout,
      maxCallsInFlight: o.maxCallsInFlight,
      shutdownGraceMs: o.shutdownGracePeriod,
    };
    this.callLog = {
      enabled: o.callLog !== false,
      arguments: typeof o.callLog === 'object' && o.callLog.arguments === true,
    };
    this.slots = new CallSlots(this.limits, this.stats);
    this.tracer = options.tracer ?? null;
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
      sessions: () => this.connections.values(),
      session: (id) => this.connections.get(id),
      limits: this.limits,
      callLog: this.callLog,
      shuttingDown: () => this.closing !== null,
      callEnded: (conn, reply, ms) => this.callEnded(conn, reply, ms),
      abortReason: (e) => new MysqlError(e.code, e.message, e.sqlState),
    };
    if (o.statusProcedure !== false) this.addStatusProcedure(o.statusProcedure);
    this.statusHttp = options.statusHttp
      ? new MysqlStatusHttp(this.statusProvider, options.statusHttp, this.logger)
      : null;
  }

  /**
   * The status endpoints as a request handler, `(req, res, next?)`, to
   * mount in a Nest HTTP app or any Node server:
   * `app.use('/mysql-status', server.statusHandler())`. Needs `statusHttp`.
   */
  statusHandler(): StatusHandler {
    if (!this.statusHttp) {
      throw new Error('MysqlRpcServer: statusHandler() needs the statusHttp option');
    }
    return this.statusHttp.handler;
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
      const address = server.address();
      if (address && typeof address === 'object') {
        this.listening = [
          address.family === 'IPv6'
            ? `[${address.address}]:${address.port}`
            : `${address.address}:${address.port}`,
        ];
        // The globals (SHOW VARIABLES' port among them) exist from here, for SET GLOBAL and the report.
        globalValuesOf(this.services, address.port);
      }
      server.on('error', (error) => {
        this._status$.next('error');
        this.logger.error(error);
      });
      this.state = 'listening';
      this.startTicker();
      if (this.statusHttp) return this.listenStatus(server, callback);
      this._status$.next('listening');
      callback();
    });
  }

  /**
   * Starts the status listener (when it has a port), then reports the
   * server ready; if it cannot listen, the MySQL listener is closed again
   * and the start fails.
   */
  private listenStatus(server: NetServer, callback: (error?: unknown) => void): void {
    this.statusHttp!.listen().then(
      (url) => {
        if (url) this.logger.log(`status page on ${url}`);
        this._status$.next('listening');
        callback();
      },
      (error: unknown) => {
        this.stopTicker();
        this.server = null;
        server.close();
        this._status$.next('error');
        callback(error);
      },
    );
  }

  /**
   * Shuts down gracefully: stops accepting connections, lets the calls in
   * flight finish for up to `shutdownGracePeriod` ms (answering any new
   * command with ERR 1053 and closing that connection), stops the calls
   * still running after it (ERR 1053, their handlers' signals abort), then
   * closes every connection. `status` reports `draining`, then `closed`.
   * Calling it again returns the same promise.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.state = 'draining';
    this._status$.next('draining');
    const listenerClosed = server
      ? new Promise<void>((resolve) => server.close(() => resolve()))
      : Promise.resolve();
    const running = (): number => liveTotals(this.stats, this.connections.values()).running;
    const inFlight = running();
    if (inFlight > 0) {
      this.logger.log(
        `shutting down: ${inFlight} call(s) in flight, up to ${this.limits.shutdownGraceMs} ms to finish`,
      );
      await this.drained(running, this.limits.shutdownGraceMs);
    }
    let stopped = 0;
    for (const connection of this.connections.values()) {
      if (connection.interruptCall('shutdown')) stopped++;
    }
    if (stopped > 0) this.logger.warn(`shutdown: stopped ${stopped} call(s) still running`);
    for (const connection of this.connections.values()) connection.destroy();
    this.connections.clear();
    this.stopTicker();
    await this.statusHttp?.close();
    await this.services.largeStatements?.close();
    await listenerClosed;
    this.state = 'closed';
    this._status$.next('closed');
  }

  /** Resolves when `running()` is 0 or `graceMs` has passed, whichever is first. */
  private drained(running: () => number, graceMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const deadline = Date.now() + graceMs;
      const check = (): void => {
        if (running() === 0 || Date.now() >= deadline) return resolve();
        setTimeout(check, Math.min(20, Math.max(1, deadline - Date.now())));
      };
      check();
    });
  }

  /** One tick a second: sessions idle past their wait_timeout are closed; call rates are sampled. */
  private startTicker(): void {
    this.ticker = setInterval(() => this.tick(), 1000);
    this.ticker.unref();
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }

  private tick(): void {
    const now = Date.now();
    for (const connection of this.connections.values()) {
      if (!connection.isLoggedIn || connection.isBusy) continue;
      const limit = connection.idleTimeoutMs;
      if (limit > 0 && now - connection.idleSince >= limit) connection.closeIdle();
    }
    if (++this.ticks % (RATE_SAMPLE_MS / 1000) === 0) {
      this.stats.sampleRates(this.procedureStats(), now);
    }
  }

  private *procedureStats(): Iterable<ProcedureStats> {
    for (const p of this.routes.values()) yield p.stats;
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
    const timeout = signatureFromExtras(extras)?.timeout ?? null;
    if (timeout !== null && (!Number.isSafeInteger(timeout) || timeout < 0)) {
      throw new RangeError(`MysqlRpcServer: procedure "${route}": timeout must be an integer >= 0`);
    }
    this.routes.set(key, {
      route,
      handler,
      public: isPublic,
      signature,
      timeout,
      stats: existing?.route === route ? existing.stats : new ProcedureStats(route),
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
    this.beginCall(procedure, call, reply);
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
    const context = new MysqlRpcContext([call.session, call.name, call.schema, parameters, reply]);
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
      this.slots.leave(reply);
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
    if (this.slots.enter(reply)) this.startHandler(context, run, reply);
    // Past the cap: it starts when a slot frees (the closure is made only then).
    else reply.slotRun = () => this.startHandler(context, run, reply);
  }

  /**
   * What every call that found its procedure starts with: its counters,
   * its time limit, the tracer and the call log. Kept out of dispatch(),
   * whose size decides what V8 inlines into it.
   */
  private beginCall(procedure: Procedure, call: ProcedureCall, reply: CallReply): void {
    const stats = procedure.stats;
    stats.calls++;
    stats.lastCallAt = reply.startedAt;
    reply.procedureStats = stats;
    const limit = procedure.timeout ?? this.limits.callTimeoutMs;
    const own = reply.sessionCallTimeout;
    // A session may lower the limit (SET max_execution_time), never raise it.
    const timeout = own > 0 && (limit === 0 || own < limit) ? own : limit;
    if (timeout > 0) reply.timer = setTimeout(() => reply.interrupt('timeout'), timeout);
    if (this.tracer) this.startSpan(call, procedure.route, reply);
    if (this.callLog.enabled && this.callLog.arguments) reply.loggedArgs = call.args;
  }

  /** Runs the handler through Nest's processing hook. */
  private startHandler(context: MysqlRpcContext, run: () => Promise<void>, reply: CallReply): void {
    try {
      const hooked: unknown = this.onProcessingStartHook(this.transportId, context, run);
      if (hooked instanceof Promise) hooked.catch((error: unknown) => this.fail(reply, error));
    } catch (error) {
      this.fail(reply, error);
    }
  }

  /** Hands the call to the tracer; a tracer that throws is logged and the call goes on. */
  private startSpan(call: ProcedureCall, route: string, reply: CallReply): void {
    try {
      reply.span =
        this.tracer!.start({
          procedure: route,
          schema: call.schema,
          user: call.session.user,
          host: call.session.host,
          connectionId: call.session.connectionId,
          prepared: call.prepared,
        }) ?? null;
    } catch (error) {
      this.logger.error('call tracer failed at start', error);
    }
  }

  /** A call's reply has ended: the call log and the tracer hear of it. */
  private callEnded(conn: MysqlConnection, reply: CallReply, ms: number): void {
    if (reply.span) {
      try {
        reply.span.end({ outcome: reply.outcome, durationMs: ms, errorCode: reply.errorCode });
      } catch (error) {
        this.logger.error('call tracer failed at end', error);
      }
    }
    if (this.callLog.enabled) {
      this.callLogger.log(formatCallLine(conn, reply, ms));
    }
  }

  /**
   * The built-in status procedure (pymysqlrpc's `call pymysqlrpcinfo`):
   * the whole report as Variable_name / Value rows, for admins only. It
   * goes through the same routing as a handler, so grants, counters and
   * introspection see it; a handler registered under the same name
   * replaces it.
   */
  private addStatusProcedure(name: string): void {
    const handler = ((_data: unknown, context: MysqlRpcContext) => {
      if (!context.isAdmin()) {
        return throwError(() =>
          executeDenied(context.getAccount(), `${context.getSchema()}.${name}`),
        );
      }
      return new StatusResultSet(
        [
          { name: 'Variable_name', type: 'VARCHAR', length: 128 },
          { name: 'Value', type: 'VARCHAR', length: 1024 },
        ],
        statusReportRows(this.report()),
      );
    }) as unknown as MessageHandler;
    this.routes.set(name.toLowerCase(), {
      route: name,
      handler,
      public: false,
      signature: null,
      timeout: null,
      stats: new ProcedureStats(name),
      entry: Object.freeze({
        schema: this.settings.database,
        name,
        params: null,
        columns: null,
        comment: 'Server status report (admin only)',
        event: false,
        public: false,
        created: new Date(),
      }),
    });
  }

  /** The server's status report now: what CALL rpcinfo(), the status page and its JSON show. */
  report(): StatusReport {
    return buildStatusReport(this.statusSource());
  }

  private statusSource(): StatusSource {
    return {
      stats: this.stats,
      limits: this.limits,
      maxPacketSize: this.settings.maxPacketSize,
      preparedStatements: this.services.preparedStatements,
      maxUserConnections: this.services.accountConnections.maxUserConnections,
      procedures: this.procedureStats(),
      sessions: this.connections.values(),
      listening: this.listening,
      state: this.state,
      callLog: this.callLog.enabled,
      mysqlVersion: this.settings.serverVersion,
    };
  }

  /** What the status endpoints read of this server. */
  get statusProvider(): StatusProvider {
    return {
      report: () => this.report(),
      procedureLatencies: () => this.latencies(),
      verifyAdmin: (user, password, host) => this.verifyAdmin(user, password, host),
    };
  }

  /**
   * True when `user` and `password` log in to an admin account from
   * `host`. An unknown user is checked against decoy verifiers, so every
   * refusal costs the same work.
   */
  private async verifyAdmin(user: string, password: string, host: string): Promise<boolean> {
    const account = await this.services.accounts.find(user, host);
    if (!account) {
      verifyPlainPassword(decoyCredentials(), password);
      return false;
    }
    return verifyPlainPassword(account.credentials, password) && account.admin;
  }

  private *latencies(): Iterable<{ readonly name: string; readonly latency: LatencyHistogram }> {
    for (const p of this.routes.values()) yield { name: p.route, latency: p.stats.latency };
  }

  /** Ends a call that failed outside the handler's own error handling. */
  private fail(reply: CallReply, error: unknown): void {
    // A call already answered (stopped, or its client gone) fails for nobody: a handler
    // that honours its signal throws on the way out.
    if (!reply.isOpen) return;
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
    let id = this.nextConnectionId;
    // Ids wrap after 2^32 - 1; one still open is skipped, so KILL never finds the wrong one.
    while (this.connections.has(id)) id = id >= 0xffffffff ? 1 : id + 1;
    this.nextConnectionId = id >= 0xffffffff ? 1 : id + 1;
    const connection = new MysqlConnection(socket, id, this.services);
    this.connections.set(id, connection);
    connection.onClosed = () => this.connections.delete(id);
    this.stats.connectionOpened();
    // One past max_connections is let in to log in (an admin may use it); beyond that, ERR 1040.
    if (this.stats.connectionsOpen > this.limits.maxConnections + 1) {
      this.stats.refusedMaxConnections++;
      return connection.refuse(formatError(ER.TOO_MANY_CONNECTIONS));
    }
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
