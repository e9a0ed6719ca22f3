import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { ResolvedAccount } from '../acl/resolved-account.js';
import { generateSalt } from '../protocol/auth/salt.js';
import {
  Capability,
  Charset,
  Command,
  SERVER_CAPABILITIES,
  ServerStatus,
} from '../protocol/constants.js';
import { ER, formatError, type WireError } from '../protocol/errors.js';
import { readChangeUser } from '../protocol/handshake.js';
import { PacketFramer, type IncomingPacket } from '../protocol/packet-framer.js';
import { PacketWriter } from '../protocol/packet-writer.js';
import { writeErr, writeGreeting, writeOk, type OkFields } from '../protocol/packets.js';
import { CallReply, type CallInterruption, type ReplyChannel } from './call-reply.js';
import { databaseNamed, runCommand } from './commands.js';
import { runStatementAt } from './statements.js';
import {
  LoginFlow,
  type LoginHost,
  type LoginOutcome,
  type PeerCertificateFacts,
} from './login/login-flow.js';
import type { ColumnFields } from '../protocol/result-set.js';
import type { SqlValue } from '../sql/index.js';
import type { MysqlAccountInfo, SessionInfo } from './session-info.js';
import type { SessionServices } from './session-options.js';
import { PreparedStatements, type PreparedStatement } from './prepared/prepared-statement.js';
import { globalValuesOf, SessionSystemVariables } from './system-variables.js';
import { SessionVariables } from './user-variables.js';

type Phase = 'login' | 'ready' | 'closed';

/** Largest packet accepted before login: a login with attributes fits easily. */
const PRE_AUTH_MAX_PACKET = 64 * 1024;
/** Buffered, unprocessed input above which the socket stops reading. */
const INPUT_HIGH_WATER = 1024 * 1024;
/** Distinct user variables one session may hold (their total size is capped at maxPacketSize). */
const MAX_USER_VARIABLES = 1024;
/** How long a refused client may keep its half of the socket open. */
const LINGER_MS = 2000;
/** Buffered output above which a result set is sent before the next one is built. */
const OUTPUT_HIGH_WATER = 256 * 1024;

const normalizeHost = (address: string | undefined): string =>
  !address ? 'unknown' : address.startsWith('::ffff:') ? address.slice(7) : address;

/**
 * One client connection: greeting, login, then commands strictly one at a
 * time, in arrival order. It owns the socket, the framer and the packet
 * writer; CALLs go to the dispatcher, everything else is answered here.
 */
export class MysqlConnection implements ReplyChannel, SessionInfo, LoginHost {
  readonly writer = new PacketWriter();
  readonly host: string;
  readonly port: number;
  capabilities = 0;
  user = '';
  /** The account matched at login; set before any command runs. */
  account!: MysqlAccountInfo;
  /** The same account with what only the server may see (limits, SHOW GRANTS). */
  resolvedAccount: ResolvedAccount | null = null;
  /** Switched to TLS after an SSLRequest. */
  secure = false;
  /** Runs once when the connection has closed. */
  onClosed: (() => void) | null = null;
  database: string | null = null;
  attributes: Readonly<Record<string, string>> = {};
  inTransaction = false;
  lastInsertId: number | bigint = 0;
  /** `SET @name = value` of this session, read by `CALL p(@name)` and `SELECT @name`. */
  readonly userVariables: SessionVariables;
  /** Statements prepared on this connection (COM_STMT_PREPARE). */
  readonly prepared = new PreparedStatements();
  /** The command running came through COM_STMT_EXECUTE: its rows go in the binary protocol. */
  binaryResults = false;
  /**
   * Set while COM_STMT_PREPARE runs a session statement only to learn its
   * result columns: the rows are not sent, nor any OK or ERR.
   */
  describing: { columns: readonly ColumnFields[] } | null = null;
  /** The prepared statement whose execute asked for a cursor: a session statement's rows are kept for COM_STMT_FETCH. */
  cursorFor: PreparedStatement | null = null;
  /** The client enabled multi-statements (CLIENT_MULTI_STATEMENTS at login, or COM_SET_OPTION). */
  multiStatements = false;
  /** More statements of the current query follow: replies carry SERVER_MORE_RESULTS_EXISTS. */
  moreStatements = false;
  /** When the command running (or the last one) started, for SHOW PROCESSLIST's Time. */
  commandStartedAt = Date.now();
  /** The command byte running (or run last), for SHOW PROCESSLIST's Command; -1 before any. */
  command = -1;
  /** The statement running, for SHOW PROCESSLIST's Info; null for commands without one. */
  commandInfo: string | null = null;
  /** When the connection last went idle (nothing running, nothing buffered), for wait_timeout. */
  idleSince = Date.now();
  /** When the login succeeded (epoch ms), or when the connection was accepted before that. */
  since = Date.now();
  /** Calls made on this connection. */
  calls = 0;
  /** The procedure called last (qualified), and when, for the status report. */
  lastCall: string | null = null;
  lastCallAt = 0;
  /** The rest of a multi-statement query, run once the statement before it has succeeded. */
  private pendingStatements: { readonly sql: string; readonly next: number } | null = null;
  /** The reply that ended last was an ERR (which stops a multi-statement query). */
  private lastReplyFailed = false;
  /** `@@name` as this session reads it. */
  readonly systemVariables: SessionSystemVariables;

  private phase: Phase = 'login';
  /** Logged in and counted as an open connection. */
  private authenticated = false;
  private busy = false;
  /** The socket's send buffer is full: no command runs until it drains. */
  private awaitingDrain = false;
  private pumping = false;
  private paused = false;
  private readonly framer: PacketFramer;
  private salt: Buffer = Buffer.alloc(0);
  private login: LoginFlow | null = null;
  private currentReply: CallReply | null = null;
  private connectTimer: NodeJS.Timeout | null = null;
  /** The raw socket, or the TLS socket over it once upgraded. */
  private socket: Socket;
  private readonly onSocketData = (chunk: Buffer): void => this.onData(chunk);
  /** Teardown ran (the raw and the TLS socket may both report their close). */
  private finished = false;
  /** The client sent COM_QUIT: its close is a normal one. */
  private quitting = false;
  /** Refused by a limit (blocked host, max_connections, max_user_connections): counted as such alone. */
  private refusedByLimit = false;

  constructor(
    private readonly rawSocket: Socket,
    readonly connectionId: number,
    readonly services: SessionServices,
  ) {
    const socket = rawSocket;
    this.socket = socket;
    this.framer = new PacketFramer(Math.min(PRE_AUTH_MAX_PACKET, services.settings.maxPacketSize));
    this.userVariables = new SessionVariables(MAX_USER_VARIABLES, services.settings.maxPacketSize);
    this.systemVariables = new SessionSystemVariables(
      globalValuesOf(services, socket.localPort ?? 0),
    );
    this.host = normalizeHost(socket.remoteAddress);
    this.port = socket.remotePort ?? 0;
    socket.setNoDelay(true);
    socket.on('data', this.onSocketData);
    // A client that resets the connection is routine; 'close' follows and cleans up.
    socket.on('error', () => undefined);
    socket.on('close', () => this.onClose());
  }

  /** Server status flags for OK and EOF packets. */
  get statusFlags(): number {
    const variables = this.systemVariables;
    let flags = variables.autocommit ? ServerStatus.AUTOCOMMIT : 0;
    if (this.inTransaction) {
      flags |= ServerStatus.IN_TRANS;
      if (variables.readOnlyTransaction) flags |= ServerStatus.IN_TRANS_READONLY;
    }
    return this.moreStatements ? flags | ServerStatus.MORE_RESULTS_EXISTS : flags;
  }

  /** Logged in: past the greeting and the login. */
  get isLoggedIn(): boolean {
    return this.authenticated;
  }

  /** A command is running (SHOW PROCESSLIST shows it, not Sleep). */
  get isBusy(): boolean {
    return this.busy;
  }

  /** SHOW PROCESSLIST's State of the command running. */
  get processState(): string {
    return this.currentReply?.waiting === true ? 'waiting for a call slot' : 'executing';
  }

  /** Bytes read from this connection's socket so far. */
  get bytesReceived(): number {
    return this.rawSocket.bytesRead;
  }

  /** Bytes written to this connection's socket so far. */
  get bytesSent(): number {
    return this.rawSocket.bytesWritten;
  }

  get closed(): boolean {
    return this.phase === 'closed';
  }

  /** Sends the greeting and starts the login clock; a blocked host gets ERR 1129 instead. */
  start(): void {
    const { settings, throttle } = this.services;
    if (throttle.isBlocked(this.host)) {
      return this.refuse(formatError(ER.HOST_IS_BLOCKED, this.host));
    }
    this.salt = generateSalt();
    const capabilities = SERVER_CAPABILITIES | (this.services.tls() ? Capability.SSL : 0);
    this.login = new LoginFlow(this, this.salt, capabilities, (o) => this.loggedIn(o));
    this.writer.sequenceId = 0;
    writeGreeting(this.writer, {
      serverVersion: settings.serverVersion,
      connectionId: this.connectionId,
      salt: this.salt,
      capabilities,
      charset: Charset.UTF8MB4_GENERAL_CI,
      status: ServerStatus.AUTOCOMMIT,
      authPlugin: settings.authPlugin,
    });
    this.flushNow();
    const connectTimeout = this.services.limits.connectTimeoutMs;
    if (connectTimeout > 0) {
      this.connectTimer = setTimeout(() => {
        if (this.phase !== 'ready') this.destroy();
      }, connectTimeout);
      this.connectTimer.unref();
    }
  }

  /**
   * Refuses the connection in place of the greeting (a blocked host, too
   * many connections), with an ERR that carries no SQLSTATE: the client
   * has not said yet that it reads one.
   */
  refuse(error: WireError): void {
    this.refusedByLimit = true;
    this.services.stats.refusedByLimit++;
    this.writer.sequenceId = 0;
    this.fail(error, false);
  }

  /** Closes the connection at once, cancelling any call in flight. */
  destroy(): void {
    this.socket.destroy();
    this.rawSocket.destroy();
  }

  /** The TLS cipher and protocol version in use, or null on a plain connection. */
  get tlsInfo(): { readonly cipher: string; readonly version: string } | null {
    if (!this.secure) return null;
    const socket = this.socket as TLSSocket;
    return { cipher: socket.getCipher()?.standardName ?? '', version: socket.getProtocol() ?? '' };
  }

  /** The client's TLS certificate, or null. */
  get peerCertificate(): PeerCertificate | null {
    if (!this.secure) return null;
    const cert = (this.socket as TLSSocket).getPeerCertificate();
    return cert && Object.keys(cert).length > 0 ? cert : null;
  }

  // ---- ReplyChannel -------------------------------------------------------

  get maxPacketSize(): number {
    return this.services.settings.maxPacketSize;
  }

  get socketBacklog(): number {
    return this.socket.writableLength;
  }

  flushAndYield(): Promise<void> {
    if (!this.flushNow() && !this.closed) return this.whenDrained();
    return new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Resolves when the socket's send buffer has drained, or the socket has closed. */
  private whenDrained(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  assignUserVariables(assignments: ReadonlyArray<readonly [string, SqlValue]>): WireError | null {
    if (this.userVariables.assign(assignments)) return null;
    const { maxNames, maxBytes } = this.userVariables;
    return formatError(ER.USER_VARIABLES_LIMIT, maxNames, maxBytes);
  }

  callEnded(reply: CallReply): void {
    if (reply.timer !== null) clearTimeout(reply.timer);
    const ms = performance.now() - reply.startedAt;
    const { stats, callLog } = this.services;
    stats.callEnded(reply.procedureStats, reply.outcome, ms);
    if (callLog.enabled || reply.span !== null) this.services.callEnded(this, reply, ms);
  }

  abortReason(error: WireError): Error {
    return this.services.abortReason(error);
  }

  /** The max_execution_time this session set for itself, in ms; 0 when it set none. */
  get sessionCallTimeout(): number {
    const own = this.systemVariables.own('max_execution_time');
    return typeof own === 'number' ? own : typeof own === 'bigint' ? Number(own) : 0;
  }

  /** The idle time after which wait_timeout (or interactive_timeout) closes this session, in ms; 0 for none. */
  get idleTimeoutMs(): number {
    const name =
      this.capabilities & Capability.INTERACTIVE ? 'interactive_timeout' : 'wait_timeout';
    const own = this.systemVariables.own(name);
    if (own !== undefined && own !== null) return Number(own) * 1000;
    const { limits } = this.services;
    return name === 'wait_timeout' ? limits.waitTimeoutMs : limits.interactiveTimeoutMs;
  }

  /**
   * Closes an idle session past its wait_timeout with ERR 4031, as MySQL
   * 8.0.24 and later do, so that the client can tell why. Nothing runs,
   * so the packet opens a new sequence.
   */
  closeIdle(): void {
    if (this.closed || this.busy || !this.authenticated) return;
    this.services.stats.idleTimeouts++;
    this.writer.sequenceId = 0;
    this.fail(formatError(ER.CLIENT_INTERACTION_TIMEOUT));
  }

  /**
   * KILL QUERY (or a timeout, or shutdown): stops the call running, whose
   * client gets the ERR for `why`. False when no call is running; other
   * commands are short and are left to finish.
   */
  interruptCall(why: CallInterruption): boolean {
    return this.currentReply?.interrupt(why) ?? false;
  }

  /** KILL CONNECTION: stops the call running (its client gets ERR 1317 first), then closes. */
  kill(): void {
    if (this.closed) return;
    this.interruptCall('killed');
    this.flushNow();
    this.phase = 'closed';
    this.busy = true;
    this.framer.clear();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), LINGER_MS).unref();
  }

  reportError(error: unknown): void {
    this.services.logger.error(`connection ${this.connectionId}: reply failed`, error);
  }

  endReply(failed = false): void {
    this.lastReplyFailed = failed;
    this.flushNow();
    this.currentReply = null;
    this.busy = false;
    if (!this.pumping) this.pump();
  }

  /**
   * Holds further commands while the client is not reading its replies, so
   * a pipelining client that never reads cannot make us buffer without
   * bound: input stops too once its own buffer passes the high-water mark.
   */
  private holdForDrain(): void {
    this.awaitingDrain = true;
    void this.whenDrained().then(() => {
      this.awaitingDrain = false;
      this.pump();
    });
  }

  // ---- input --------------------------------------------------------------

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.framer.push(chunk);
    if (
      (this.busy || this.awaitingDrain) &&
      !this.paused &&
      this.framer.pendingBytes > INPUT_HIGH_WATER
    ) {
      this.paused = true;
      this.socket.pause();
    }
    this.pump();
  }

  /** Processes buffered packets until one is still running or none is complete. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.busy && !this.awaitingDrain && !this.closed) {
        if (this.socket.writableLength > OUTPUT_HIGH_WATER) return this.holdForDrain();
        if (this.pendingStatements) {
          this.runPendingStatement();
          continue;
        }
        const frame = this.framer.next();
        if (frame === null) {
          this.idleSince = Date.now();
          if (this.paused) {
            this.paused = false;
            this.socket.resume();
          }
          return;
        }
        if ('tooLarge' in frame || 'outOfOrder' in frame) {
          this.writer.sequenceId = (frame.sequenceId + 1) & 0xff;
          const error = formatError(
            'tooLarge' in frame ? ER.NET_PACKET_TOO_LARGE : ER.NET_PACKETS_OUT_OF_ORDER,
          );
          // During login it is a broken handshake, which counts against the host.
          return this.login && this.phase === 'login' ? this.login.refuse(error) : this.fail(error);
        }
        this.handlePacket(frame);
      }
    } catch (error) {
      this.internalError(error);
    } finally {
      this.pumping = false;
    }
  }

  private handlePacket(frame: IncomingPacket): void {
    switch (this.phase) {
      case 'login':
        // The login holds further packets until it asks for the next one.
        this.busy = true;
        return this.login!.receive(frame);
      case 'ready':
        return this.handleCommand(frame);
      default:
        return;
    }
  }

  // ---- login (LoginHost) ----------------------------------------------------

  awaitPacket(): void {
    this.busy = false;
    if (!this.pumping) this.pump();
  }

  holdLoginClock(): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
  }

  startTls(): void {
    const tls = this.services.tls()!;
    const buffered = this.framer.takeBuffered();
    this.rawSocket.off('data', this.onSocketData);
    const secure = tls.upgrade(this.rawSocket, buffered);
    secure.on('data', this.onSocketData);
    // A failed handshake is routine; 'close' follows and cleans up.
    secure.on('error', () => this.rawSocket.destroy());
    secure.on('close', () => this.onClose());
    this.socket = secure;
    this.secure = true;
  }

  peerCertificateFacts(): PeerCertificateFacts | null {
    return this.secure ? this.services.tls()!.peer(this.socket as TLSSocket) : null;
  }

  /** The account is proven: check the session's own limits, then answer OK. */
  private loggedIn(outcome: LoginOutcome): void {
    const { settings, stats, accountConnections } = this.services;
    const named = outcome.database || null;
    const database = named === null ? null : databaseNamed(this, named);
    if (named !== null && database === null) return this.fail(formatError(ER.BAD_DB, named));
    const previous = this.resolvedAccount;
    if (previous) accountConnections.release(previous);
    this.resolvedAccount = null;
    if (this.services.shuttingDown()) return this.fail(formatError(ER.SERVER_SHUTDOWN));
    // MySQL keeps one connection past max_connections for an admin.
    if (!outcome.account.admin && stats.connectionsOpen > this.services.limits.maxConnections) {
      stats.refusedByLimit++;
      stats.refusedMaxConnections++;
      this.refusedByLimit = true;
      return this.fail(formatError(ER.TOO_MANY_CONNECTIONS));
    }
    const refused = accountConnections.acquire(outcome.account);
    if (refused) {
      stats.refusedByLimit++;
      this.refusedByLimit = true;
      return this.fail(refused);
    }
    this.resolvedAccount = outcome.account;
    this.account = accountInfo(outcome.account);
    this.user = outcome.user;
    this.attributes = outcome.attributes;
    this.capabilities = outcome.capabilities & ~Capability.SSL;
    // COM_CHANGE_USER keeps what COM_SET_OPTION chose, as MySQL keeps the session's client flags.
    if (!this.authenticated) {
      this.multiStatements = (outcome.capabilities & Capability.MULTI_STATEMENTS) !== 0;
    }
    this.database = database;
    this.login = null;
    this.phase = 'ready';
    this.framer.maxPacketSize = settings.maxPacketSize;
    this.holdLoginClock();
    stats.loginsOk++;
    this.since = Date.now();
    if (!this.authenticated) {
      stats.sessionsOpen++;
      stats.sessionsTotal++;
      this.authenticated = true;
    } else {
      this.resetSession();
    }
    writeOk(this.writer, {}, this.statusFlags);
    this.endReply();
  }

  /** COM_CHANGE_USER: a full new login on this connection, from the greeting's challenge. */
  private changeUser(payload: Buffer): void {
    let request;
    try {
      request = readChangeUser(payload, this.capabilities);
    } catch {
      // MySQL's answer to a COM_CHANGE_USER it cannot read; the old login is gone either way.
      return this.fail(formatError(ER.UNKNOWN_COM));
    }
    this.phase = 'login';
    this.busy = true;
    this.login = new LoginFlow(this, this.salt, this.capabilities, (o) => this.loggedIn(o));
    this.login.claim(request);
  }

  /** What COM_RESET_CONNECTION and COM_CHANGE_USER clear. */
  resetSession(): void {
    this.inTransaction = false;
    this.lastInsertId = 0;
    this.userVariables.clear();
    this.systemVariables.reset();
    this.closePreparedStatements();
  }

  /** Forgets this connection's prepared statements, giving their slots back to the server. */
  private closePreparedStatements(): void {
    this.services.preparedStatements.release(this.prepared.clear());
  }

  // ---- commands -----------------------------------------------------------

  private handleCommand(frame: IncomingPacket): void {
    if (frame.sequenceId !== 0) {
      this.writer.sequenceId = (frame.sequenceId + 1) & 0xff;
      return this.fail(formatError(ER.NET_PACKETS_OUT_OF_ORDER));
    }
    this.writer.sequenceId = frame.nextSequenceId;
    const { stats } = this.services;
    stats.questions++;
    this.binaryResults = false;
    this.cursorFor = null;
    this.pendingStatements = null;
    this.moreStatements = false;
    const payload = frame.payload;
    this.commandStartedAt = Date.now();
    this.command = payload.length > 0 ? payload[0]! : -1;
    this.commandInfo = null;
    if (this.command >= 0) stats.commands[this.command]!++;
    if (this.services.shuttingDown() && this.command !== Command.QUIT) {
      return this.fail(formatError(ER.SERVER_SHUTDOWN));
    }
    if (payload.length > 0 && payload[0] === Command.CHANGE_USER) return this.changeUser(payload);
    runCommand(this, payload);
  }

  /** COM_QUIT: closes without a reply. */
  quit(): void {
    this.quitting = true;
    this.phase = 'closed';
    this.socket.end();
  }

  /**
   * Holds further commands until `work` settles, then answers with `next`
   * (or `failed`): a parse on the worker thread, a user-store lookup.
   */
  awaitThen<T>(work: Promise<T>, next: (value: T) => void, failed: (error: unknown) => void): void {
    this.busy = true;
    const resume = (run: () => void): void => {
      if (this.closed) return;
      this.busy = false;
      try {
        run();
      } catch (error) {
        return this.internalError(error);
      }
      if (!this.busy && !this.pumping) this.pump();
    };
    work.then(
      (value) => resume(() => next(value)),
      (error: unknown) => resume(() => failed(error)),
    );
  }

  /** Starts a CALL; the connection takes no other command until its reply ends. */
  startCall(reply: CallReply, run: () => void): void {
    this.busy = true;
    this.currentReply = reply;
    this.services.stats.callsTotal++;
    this.calls++;
    this.lastCall = reply.procedure;
    this.lastCallAt = this.commandStartedAt;
    try {
      run();
    } catch (error) {
      this.services.logger.error(`call ${reply.procedure} failed in dispatch`, error);
      reply.error(formatError(ER.SIGNAL_EXCEPTION));
    }
  }

  /** Sends an OK for a statement that has nothing to return. */
  replyOk(fields: OkFields = {}): void {
    if (this.describing) return;
    writeOk(this.writer, fields, this.statusFlags);
    this.flushNow();
  }

  /** Sends an ERR and keeps the connection. */
  replyError(e: WireError): void {
    if (this.describing) return;
    writeErr(this.writer, e);
    this.lastReplyFailed = true;
    this.flushNow();
  }

  /**
   * Queues the rest of a multi-statement query (null: none), which runs
   * when the statement now starting has replied without an error.
   */
  queueStatements(rest: { readonly sql: string; readonly next: number } | null): void {
    this.pendingStatements = rest;
    this.moreStatements = rest !== null;
    this.lastReplyFailed = false;
  }

  private runPendingStatement(): void {
    const rest = this.pendingStatements!;
    this.pendingStatements = null;
    this.moreStatements = false;
    // MySQL stops at the first statement that fails.
    if (this.lastReplyFailed) return;
    runStatementAt(this, rest.sql, rest.next);
  }

  // ---- output and teardown --------------------------------------------------

  /** Hands what is buffered to the socket; false when the socket takes no more until it drains. */
  flushNow(): boolean {
    if (this.writer.length > 0) {
      const bytes = this.writer.drain();
      if (!this.closed) this.socket.write(bytes);
    }
    return !this.closed && !this.socket.writableNeedDrain;
  }

  /** Sends a final error and closes, as MySQL does for protocol violations. */
  fail(e: WireError, withState = true): void {
    if (this.closed) return;
    this.writer.abortPacket();
    writeErr(this.writer, e, withState);
    const bytes = this.writer.drain();
    this.phase = 'closed';
    this.busy = true;
    this.framer.clear();
    this.socket.end(bytes);
    // A client that never closes its side must not hold the socket open.
    setTimeout(() => this.socket.destroy(), LINGER_MS).unref();
  }

  private internalError(error: unknown): void {
    this.services.logger.error(`connection ${this.connectionId}: internal error`, error);
    this.fail(formatError(ER.UNKNOWN_ERROR));
  }

  private onClose(): void {
    if (this.finished) return;
    this.finished = true;
    const wasReady = this.authenticated;
    this.phase = 'closed';
    this.framer.clear();
    if (this.connectTimer) clearTimeout(this.connectTimer);
    const { stats } = this.services;
    stats.connectionsOpen--;
    stats.closedBytesReceived += this.rawSocket.bytesRead;
    stats.closedBytesSent += this.rawSocket.bytesWritten;
    if (this.quitting) stats.closedNormally++;
    else if (!this.refusedByLimit) stats.closedByError++;
    if (wasReady) {
      stats.sessionsOpen--;
      if (!this.quitting) stats.abortedClients++;
    } else if (!this.refusedByLimit) {
      stats.abortedConnects++;
    }
    this.closePreparedStatements();
    this.authenticated = false;
    if (this.resolvedAccount) this.services.accountConnections.release(this.resolvedAccount);
    this.resolvedAccount = null;
    const reply = this.currentReply;
    this.currentReply = null;
    reply?.abort();
    const closed = this.onClosed;
    this.onClosed = null;
    closed?.();
  }
}

/** The account as handlers may see it: no verifiers. */
function accountInfo(account: ResolvedAccount): MysqlAccountInfo {
  return Object.freeze({
    user: account.user,
    host: account.host.text,
    name: account.name,
    roles: account.roles,
    admin: account.admin,
    grants: account.grants,
  });
}
