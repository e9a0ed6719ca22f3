import type { Socket } from 'node:net';
import { UNKNOWN_USER_HASH, type MysqlUserRecord } from '../acl/user-store.js';
import { NATIVE_PASSWORD_PLUGIN, verifyNativePassword } from '../protocol/auth/native-password.js';
import { generateSalt } from '../protocol/auth/salt.js';
import {
  Capability,
  Charset,
  Command,
  SERVER_CAPABILITIES,
  ServerStatus,
  SetOption,
} from '../protocol/constants.js';
import { ER, formatError, type WireError } from '../protocol/errors.js';
import { isSslRequest, readLoginRequest, type LoginRequest } from '../protocol/handshake.js';
import { PacketFramer, type IncomingPacket } from '../protocol/packet-framer.js';
import { PacketWriter } from '../protocol/packet-writer.js';
import {
  writeAuthSwitch,
  writeEndMarker,
  writeErr,
  writeGreeting,
  writeOk,
  type OkFields,
} from '../protocol/packets.js';
import { parseStatement, type Statement } from '../sql/index.js';
import { ParseWorkerError } from '../sql/off-thread.js';
import { CallReply, type ReplyChannel } from './call-reply.js';
import type { SessionInfo } from './session-info.js';
import type { SessionServices } from './session-options.js';
import { decodeUtf8InSlices } from './sliced-decode.js';
import { executeStatement, parseOptionsOf, replyParseError, runStatement } from './statements.js';
import { SessionVariables } from './user-variables.js';

type Phase = 'login' | 'auth-switch' | 'authenticating' | 'ready' | 'closed';

/** Largest packet accepted before login: a login with attributes fits easily. */
const PRE_AUTH_MAX_PACKET = 64 * 1024;
/**
 * Statements larger than this are parsed away from the event loop: a parse
 * costs up to ~60 ns a byte for the densest text, so this bounds what one
 * statement can hold the loop for to about 15 ms.
 */
const LARGE_STATEMENT = 256 * 1024;
/** Buffered, unprocessed input above which the socket stops reading. */
const INPUT_HIGH_WATER = 1024 * 1024;
/** Distinct user variables one session may hold (their total size is capped at maxPacketSize). */
const MAX_USER_VARIABLES = 1024;
/** How long a refused client may keep its half of the socket open. */
const LINGER_MS = 2000;
/** Buffered output above which a result set is sent before the next one is built. */
const OUTPUT_HIGH_WATER = 256 * 1024;

/** A store's verifier if well-formed; a malformed record is a bug in the store, and fails closed. */
function checkedVerifier(record: MysqlUserRecord): Buffer | null {
  const hash = record.nativeHash;
  if (hash === null) return null;
  if (Buffer.isBuffer(hash) && hash.length === 20) return hash;
  throw new TypeError(`user store returned a malformed nativeHash for '${record.name}'`);
}

/** Longest user name MySQL 8 keeps (USERNAME_CHAR_LENGTH), in characters. */
const USER_NAME_MAX_CHARS = 32;

/** A login's user name cut to MySQL's limit, as MySQL clips it before looking it up. */
function clipUserName(name: string): string {
  if (name.length <= USER_NAME_MAX_CHARS) return name;
  const chars = Array.from(name);
  return chars.length <= USER_NAME_MAX_CHARS ? name : chars.slice(0, USER_NAME_MAX_CHARS).join('');
}

const normalizeHost = (address: string | undefined): string =>
  !address ? 'unknown' : address.startsWith('::ffff:') ? address.slice(7) : address;

/**
 * One client connection: greeting, login, then commands strictly one at a
 * time, in arrival order. It owns the socket, the framer and the packet
 * writer; CALLs go to the dispatcher, everything else is answered here.
 */
export class MysqlConnection implements ReplyChannel, SessionInfo {
  readonly writer = new PacketWriter();
  readonly host: string;
  readonly port: number;
  capabilities = 0;
  user = '';
  database: string | null = null;
  attributes: Readonly<Record<string, string>> = {};
  inTransaction = false;
  lastInsertId: number | bigint = 0;
  /** `SET @name = value` of this session, read by `CALL p(@name)` and `SELECT @name`. */
  readonly userVariables: SessionVariables;

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
  private login: LoginRequest | null = null;
  private currentReply: CallReply | null = null;
  private connectTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: Socket,
    readonly connectionId: number,
    readonly services: SessionServices,
  ) {
    this.framer = new PacketFramer(Math.min(PRE_AUTH_MAX_PACKET, services.settings.maxPacketSize));
    this.userVariables = new SessionVariables(MAX_USER_VARIABLES, services.settings.maxPacketSize);
    this.host = normalizeHost(socket.remoteAddress);
    this.port = socket.remotePort ?? 0;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    // A client that resets the connection is routine; 'close' follows and cleans up.
    socket.on('error', () => undefined);
    socket.on('close', () => this.onClose());
  }

  /** Server status flags for OK and EOF packets. */
  get statusFlags(): number {
    return this.inTransaction
      ? ServerStatus.AUTOCOMMIT | ServerStatus.IN_TRANS
      : ServerStatus.AUTOCOMMIT;
  }

  get closed(): boolean {
    return this.phase === 'closed';
  }

  /** Sends the greeting and starts the login clock. */
  start(): void {
    const { settings } = this.services;
    this.salt = generateSalt();
    this.writer.sequenceId = 0;
    writeGreeting(this.writer, {
      serverVersion: settings.serverVersion,
      connectionId: this.connectionId,
      salt: this.salt,
      capabilities: SERVER_CAPABILITIES,
      charset: Charset.UTF8MB4_GENERAL_CI,
      status: ServerStatus.AUTOCOMMIT,
      authPlugin: NATIVE_PASSWORD_PLUGIN,
    });
    this.flushNow();
    if (settings.connectTimeout > 0) {
      this.connectTimer = setTimeout(() => {
        if (this.phase !== 'ready') this.socket.destroy();
      }, settings.connectTimeout);
      this.connectTimer.unref();
    }
  }

  /** Closes the connection at once, cancelling any call in flight. */
  destroy(): void {
    this.socket.destroy();
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

  reportError(error: unknown): void {
    this.services.logger.error(`connection ${this.connectionId}: reply failed`, error);
  }

  endReply(): void {
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
        const frame = this.framer.next();
        if (frame === null) {
          if (this.paused) {
            this.paused = false;
            this.socket.resume();
          }
          return;
        }
        if ('tooLarge' in frame) {
          this.writer.sequenceId = (frame.sequenceId + 1) & 0xff;
          return this.fail(formatError(ER.NET_PACKET_TOO_LARGE));
        }
        if ('outOfOrder' in frame) {
          this.writer.sequenceId = (frame.sequenceId + 1) & 0xff;
          return this.fail(formatError(ER.NET_PACKETS_OUT_OF_ORDER));
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
        return this.handleLogin(frame);
      case 'auth-switch':
        return this.handleAuthSwitchResponse(frame);
      case 'ready':
        return this.handleCommand(frame);
      default:
        return;
    }
  }

  // ---- login --------------------------------------------------------------

  private handleLogin(frame: IncomingPacket): void {
    this.writer.sequenceId = frame.nextSequenceId;
    if (frame.sequenceId !== 1) return this.fail(formatError(ER.NET_PACKETS_OUT_OF_ORDER));
    const payload = frame.payload;
    // Pre-4.1 clients cannot read a SQLSTATE, so their refusal carries none.
    if (payload.length < 4 || !(payload.readUInt32LE(0) & Capability.PROTOCOL_41)) {
      return this.fail(formatError(ER.HANDSHAKE_ERROR), false);
    }
    // TLS is not configured, and SSL was not advertised.
    if (isSslRequest(payload)) return this.fail(formatError(ER.HANDSHAKE_ERROR));
    let login: LoginRequest;
    try {
      login = readLoginRequest(payload);
    } catch {
      return this.fail(formatError(ER.HANDSHAKE_ERROR));
    }
    this.login = login;
    this.user = clipUserName(login.user);
    this.attributes = login.attributes;
    this.capabilities = login.capabilities & SERVER_CAPABILITIES;
    const plugin = login.authPlugin;
    if (plugin && plugin !== NATIVE_PASSWORD_PLUGIN && this.capabilities & Capability.PLUGIN_AUTH) {
      this.salt = generateSalt();
      this.phase = 'auth-switch';
      writeAuthSwitch(this.writer, NATIVE_PASSWORD_PLUGIN, this.salt);
      this.flushNow();
      return;
    }
    this.authenticate(login.authResponse);
  }

  private handleAuthSwitchResponse(frame: IncomingPacket): void {
    if (frame.sequenceId !== this.writer.sequenceId) {
      this.writer.sequenceId = (frame.sequenceId + 1) & 0xff;
      return this.fail(formatError(ER.NET_PACKETS_OUT_OF_ORDER));
    }
    this.writer.sequenceId = frame.nextSequenceId;
    this.authenticate(frame.payload);
  }

  private authenticate(response: Buffer): void {
    this.phase = 'authenticating';
    this.busy = true;
    const { users, logger } = this.services;
    const denied = (): void =>
      this.fail(
        formatError(ER.ACCESS_DENIED, this.user, this.host, response.length > 0 ? 'YES' : 'NO'),
      );
    let lookup: Promise<MysqlUserRecord | undefined>;
    try {
      lookup = Promise.resolve(users.findUser(this.user));
    } catch (error) {
      lookup = Promise.reject(error);
    }
    lookup
      .then((record) => {
        if (this.closed) return;
        // Unknown users are checked against a random verifier, so that they
        // cost the same work and get the same answer as a wrong password.
        const known = record !== undefined && record !== null;
        const verifier = known ? checkedVerifier(record) : UNKNOWN_USER_HASH;
        const matches = verifyNativePassword(verifier, this.salt, response);
        if (!known || !matches) return denied();
        this.loggedIn();
      })
      .catch((error: unknown) => {
        logger.error(`user store failed for connection ${this.connectionId}`, error);
        if (!this.closed) denied();
      });
  }

  private loggedIn(): void {
    const { settings, stats } = this.services;
    const database = this.login?.database || null;
    if (database !== null && database !== settings.database) {
      return this.fail(formatError(ER.BAD_DB, database));
    }
    this.database = database;
    this.login = null;
    this.phase = 'ready';
    this.framer.maxPacketSize = settings.maxPacketSize;
    if (this.connectTimer) clearTimeout(this.connectTimer);
    stats.connectionsOpen++;
    stats.connectionsTotal++;
    this.authenticated = true;
    writeOk(this.writer, {}, this.statusFlags);
    this.endReply();
  }

  // ---- commands -----------------------------------------------------------

  private handleCommand(frame: IncomingPacket): void {
    if (frame.sequenceId !== 0) {
      this.writer.sequenceId = (frame.sequenceId + 1) & 0xff;
      return this.fail(formatError(ER.NET_PACKETS_OUT_OF_ORDER));
    }
    this.writer.sequenceId = frame.nextSequenceId;
    const payload = frame.payload;
    const command = payload.length > 0 ? payload[0] : -1;
    this.services.stats.questions++;
    switch (command) {
      case Command.QUERY:
        if (payload.length > LARGE_STATEMENT) return this.runLargeStatement(payload);
        return runStatement(this, payload.toString('utf8', 1));
      case Command.PING:
        return this.replyOk();
      case Command.QUIT:
        this.phase = 'closed';
        this.socket.end();
        return;
      case Command.INIT_DB:
        return this.useDatabase(payload.toString('utf8', 1));
      case Command.STATISTICS:
        this.writer.begin().text(this.services.stats.statisticsLine()).end();
        this.flushNow();
        return;
      case Command.FIELD_LIST:
        // No tables here: the column list is always empty.
        writeEndMarker(this.writer, this.capabilities, this.statusFlags);
        this.flushNow();
        return;
      case Command.SET_OPTION:
        return this.setOption(payload);
      case Command.STMT_SEND_LONG_DATA:
      case Command.STMT_CLOSE:
        // These never get a reply, not even an error: answering would shift
        // every later reply by one. Prepared statements are not supported,
        // so there is nothing to close or append to.
        return;
      case Command.RESET_CONNECTION:
        this.inTransaction = false;
        this.lastInsertId = 0;
        this.userVariables.clear();
        return this.replyOk();
      default:
        return this.replyError(formatError(ER.UNKNOWN_COM));
    }
  }

  private setOption(payload: Buffer): void {
    const option = payload.length === 3 ? payload.readUInt16LE(1) : -1;
    // Multi-statements are not implemented, so only turning them off succeeds.
    if (option !== SetOption.MULTI_STATEMENTS_OFF) {
      return this.replyError(formatError(ER.UNKNOWN_COM));
    }
    writeEndMarker(this.writer, this.capabilities, this.statusFlags);
    this.flushNow();
  }

  /** USE / COM_INIT_DB: only the server's one database exists. */
  useDatabase(name: string): void {
    if (name !== this.services.settings.database) {
      return this.replyError(formatError(ER.BAD_DB, name));
    }
    this.database = name;
    this.replyOk();
  }

  /**
   * A statement over LARGE_STATEMENT is parsed on the worker thread where
   * there is one, else decoded a slice at a time and parsed here. Either
   * way the connection takes no other command meanwhile, so order is kept.
   */
  private runLargeStatement(payload: Buffer): void {
    this.busy = true;
    const parser = this.services.largeStatements;
    const parsed: Promise<Statement> = parser
      ? parser.parse(payload.subarray(1), parseOptionsOf(this), this.userVariables)
      : decodeUtf8InSlices(payload, 1).then((sql) =>
          parseStatement(sql, this.userVariables, parseOptionsOf(this)),
        );
    const resume = (run: () => void): void => {
      if (this.closed) return;
      this.busy = false;
      try {
        run();
      } catch (error) {
        return this.internalError(error);
      }
      if (!this.busy) this.pump();
    };
    parsed.then(
      (statement) => resume(() => executeStatement(this, statement)),
      (error: unknown) =>
        resume(() =>
          error instanceof ParseWorkerError && error.outOfMemory
            ? this.replyError(formatError(ER.OUT_OF_RESOURCES))
            : replyParseError(this, error),
        ),
    );
  }

  /** Starts a CALL; the connection takes no other command until its reply ends. */
  startCall(reply: CallReply, run: () => void): void {
    this.busy = true;
    this.currentReply = reply;
    try {
      run();
    } catch (error) {
      this.services.logger.error(`call ${reply.procedure} failed in dispatch`, error);
      reply.error(formatError(ER.SIGNAL_EXCEPTION));
    }
  }

  /** Sends an OK for a statement that has nothing to return. */
  replyOk(fields: OkFields = {}): void {
    writeOk(this.writer, fields, this.statusFlags);
    this.flushNow();
  }

  /** Sends an ERR and keeps the connection. */
  replyError(e: WireError): void {
    writeErr(this.writer, e);
    this.flushNow();
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
  private fail(e: WireError, withState = true): void {
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
    const wasReady = this.authenticated;
    this.phase = 'closed';
    this.framer.clear();
    if (this.connectTimer) clearTimeout(this.connectTimer);
    if (wasReady) this.services.stats.connectionsOpen--;
    this.authenticated = false;
    const reply = this.currentReply;
    this.currentReply = null;
    reply?.abort();
  }
}
