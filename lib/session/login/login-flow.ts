import type { MysqlAuthPlugin } from '../../acl/account-options.js';
import { USER_NAME_MAX_CHARS, type ResolvedAccount } from '../../acl/resolved-account.js';
import { Capability } from '../../protocol/constants.js';
import { ER, formatError, type WireError } from '../../protocol/errors.js';
import { isSslRequest, readLoginRequest } from '../../protocol/handshake.js';
import type { IncomingPacket } from '../../protocol/packet-framer.js';
import type { PacketWriter } from '../../protocol/packet-writer.js';
import { writeAuthMoreData, writeAuthSwitch } from '../../protocol/packets.js';
import type { SessionServices } from '../session-options.js';
import type { AuthExchange, AuthMethod, AuthStep } from './auth-method.js';
import { cachingSha2Method } from './caching-sha2-method.js';
import { decoyCredentials } from './decoy-account.js';
import { nativePasswordMethod } from './native-password-method.js';

/** The plugins the server speaks, by name. */
const METHODS: Readonly<Record<MysqlAuthPlugin, AuthMethod>> = {
  caching_sha2_password: cachingSha2Method,
  mysql_native_password: nativePasswordMethod,
};

/** A login's user name cut to MySQL's limit, as MySQL clips it before looking it up. */
export function clipUserName(name: string): string {
  if (name.length <= USER_NAME_MAX_CHARS) return name;
  const chars = Array.from(name);
  return chars.length <= USER_NAME_MAX_CHARS ? name : chars.slice(0, USER_NAME_MAX_CHARS).join('');
}

/** The certificate a TLS client presented, as the account checks need it. */
export interface PeerCertificateFacts {
  /** The server's CA verified it. */
  readonly authorized: boolean;
  /** Subject and issuer in MySQL's one-line form (`/C=../CN=..`), or null without a certificate. */
  readonly subject: string | null;
  readonly issuer: string | null;
}

/** What a login needs from its connection. */
export interface LoginHost {
  readonly writer: PacketWriter;
  readonly services: SessionServices;
  /** Client address. */
  readonly host: string;
  readonly secure: boolean;
  readonly closed: boolean;
  flushNow(): boolean;
  /** Sends a final error and closes. */
  fail(error: WireError, withState?: boolean): void;
  /** Switches the socket to TLS after an SSLRequest. */
  startTls(): void;
  /** Ready for the client's next packet. */
  awaitPacket(): void;
  /** The answer is held back on purpose (failed-login delay): the login clock must not cut it off. */
  holdLoginClock(): void;
  /** The client's certificate, or null on a plain connection. */
  peerCertificateFacts(): PeerCertificateFacts | null;
}

/** Who logged in, and what they asked for. */
export interface LoginOutcome {
  readonly account: ResolvedAccount;
  /** The user name the client sent (clipped to 32 characters). */
  readonly user: string;
  readonly database: string | null;
  readonly attributes: Readonly<Record<string, string>>;
  /** Capabilities both sides share (for COM_CHANGE_USER: unchanged). */
  readonly capabilities: number;
}

/** What a client asks to log in as, from the login packet or COM_CHANGE_USER. */
export interface LoginClaim {
  readonly user: string;
  readonly authResponse: Buffer;
  readonly database: string | null;
  readonly authPlugin: string | null;
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * One login, from the client's first packet to the verdict: the optional
 * SSLRequest, the login packet, the account lookup, an AuthSwitch when
 * the client started with a plugin the account does not use, the plugin's
 * exchange, the failed-login delay, and the account's TLS requirements.
 * COM_CHANGE_USER enters at `claim` with the session's capabilities.
 * Every refusal is the same ERR 1045 after the same steps and work.
 */
export class LoginFlow {
  private stage: 'handshake' | 'exchange' | 'done' = 'handshake';
  private exchange: AuthExchange | null = null;
  private account: ResolvedAccount | undefined;
  private claimed: LoginClaim | null = null;
  private passwordUsed = false;
  private answered = false;
  /** SHA256(SHA256(password)) a full login proved, cached once the login is let in. */
  private digest: Buffer | null = null;
  private capabilities: number;

  constructor(
    private readonly host: LoginHost,
    private readonly salt: Buffer,
    serverCapabilities: number,
    private readonly done: (outcome: LoginOutcome) => void,
  ) {
    this.capabilities = serverCapabilities;
  }

  /** Takes the next client packet of this login. */
  receive(frame: IncomingPacket): void {
    const { writer } = this.host;
    if (frame.sequenceId !== writer.sequenceId) {
      writer.sequenceId = (frame.sequenceId + 1) & 0xff;
      return this.refuse(formatError(ER.NET_PACKETS_OUT_OF_ORDER));
    }
    writer.sequenceId = frame.nextSequenceId;
    if (this.stage === 'handshake') return this.handshake(frame.payload);
    if (this.stage === 'exchange') return this.step(this.answer(frame.payload));
  }

  /** A COM_CHANGE_USER (or the login packet): look the account up and start its plugin. */
  claim(claim: LoginClaim): void {
    this.claimed = { ...claim, user: clipUserName(claim.user) };
    this.passwordUsed = claim.authResponse.length > 0;
    const { accounts } = this.host.services;
    let found: ReturnType<typeof accounts.find>;
    try {
      found = accounts.find(this.claimed.user, this.host.host);
    } catch (error) {
      return this.storeFailed(error);
    }
    if (found instanceof Promise) {
      found.then(
        (account) => this.start(account),
        (error: unknown) => this.storeFailed(error),
      );
    } else {
      this.start(found);
    }
  }

  private handshake(payload: Buffer): void {
    const { host } = this;
    // Pre-4.1 clients cannot read a SQLSTATE, so their refusal carries none.
    if (payload.length < 4 || !(payload.readUInt32LE(0) & Capability.PROTOCOL_41)) {
      return this.refuse(formatError(ER.HANDSHAKE_ERROR), false);
    }
    if (isSslRequest(payload)) {
      if (host.secure || !(this.capabilities & Capability.SSL)) {
        return this.refuse(formatError(ER.HANDSHAKE_ERROR));
      }
      host.startTls();
      return host.awaitPacket();
    }
    let login;
    try {
      login = readLoginRequest(payload);
    } catch {
      return this.refuse(formatError(ER.HANDSHAKE_ERROR));
    }
    if (host.services.settings.requireSecureTransport && !host.secure) {
      return host.fail(formatError(ER.SECURE_TRANSPORT_REQUIRED));
    }
    this.capabilities &= login.capabilities;
    // Without PLUGIN_AUTH the client can only mean mysql_native_password.
    const authPlugin = this.capabilities & Capability.PLUGIN_AUTH ? login.authPlugin : null;
    this.claim({ ...login, authPlugin });
  }

  private start(account: ResolvedAccount | undefined): void {
    if (this.host.closed) return;
    this.account = account;
    const claim = this.claimed!;
    const credentials = account?.credentials ?? decoyCredentials();
    const offered = (claim.authPlugin || 'mysql_native_password') as MysqlAuthPlugin;
    const services = this.host.services;
    const use: MysqlAuthPlugin = credentials.plugins.includes(offered)
      ? offered
      : credentials.plugins[0]!;
    // A client that names a plugin but sends no answer expects to be asked
    // again (an AuthSwitch), unless the password really is empty.
    const passwordless = use === 'caching_sha2_password' ? credentials.sha2 : credentials.native;
    const switching = use !== offered || (claim.authResponse.length === 0 && passwordless !== null);
    // The switch carries the connection's one challenge, as MySQL's does:
    // C clients keep the last one they were sent for COM_CHANGE_USER.
    if (switching && !(this.capabilities & Capability.PLUGIN_AUTH)) return this.verdict(false);
    this.exchange = METHODS[use].begin({
      salt: this.salt,
      secure: this.host.secure,
      credentials,
      cachedDigest: account ? services.sha2Cache.get(account) : null,
      rsa: services.rsaKeys(),
      work: services.stats.auth,
    });
    this.stage = 'exchange';
    if (switching) {
      writeAuthSwitch(this.host.writer, use, this.salt);
      this.host.flushNow();
      return this.host.awaitPacket();
    }
    this.step(this.answer(claim.authResponse));
  }

  /** Feeds the plugin; its first answer says whether a password was used. */
  private answer(packet: Buffer): AuthStep {
    if (!this.answered) this.passwordUsed = packet.length > 0;
    this.answered = true;
    return this.exchange!.next(packet);
  }

  private step(step: AuthStep): void {
    const { writer } = this.host;
    if (step.kind === 'more') {
      writeAuthMoreData(writer, step.data);
      this.host.flushNow();
      return this.host.awaitPacket();
    }
    if (step.kind === 'reject') return this.verdict(false);
    this.digest = step.digest ?? null;
    if (step.data) writeAuthMoreData(writer, step.data);
    this.verdict(true);
  }

  /** Holds the answer if this host has been failing, then gives it. */
  private verdict(ok: boolean): void {
    this.stage = 'done';
    const delay = this.host.services.throttle.delayFor(this.host.host);
    if (delay === 0) return this.finish(ok);
    this.host.holdLoginClock();
    setTimeout(() => this.finish(ok), delay).unref();
  }

  private finish(ok: boolean): void {
    const { host } = this;
    if (host.closed) return;
    const account = this.account;
    if (!ok || !account || !this.transportAllowed(account)) return this.denied();
    // Only a login that is let in teaches the cache.
    if (this.digest) host.services.sha2Cache.set(account, this.digest);
    host.services.throttle.succeeded(host.host);
    const claim = this.claimed!;
    this.done({
      account,
      user: claim.user,
      database: claim.database,
      attributes: claim.attributes,
      capabilities: this.capabilities,
    });
  }

  /** MySQL's REQUIRE SSL / X509 / SUBJECT / ISSUER. */
  private transportAllowed(account: ResolvedAccount): boolean {
    if (!account.requireSsl) return true;
    if (!this.host.secure) return false;
    const required = account.certificate;
    if (!required) return true;
    const peer = this.host.peerCertificateFacts();
    if (!peer || !peer.authorized || peer.subject === null) return false;
    if (required.subject !== undefined && required.subject !== peer.subject) return false;
    if (required.issuer !== undefined && required.issuer !== peer.issuer) return false;
    return true;
  }

  private denied(): void {
    const { host } = this;
    host.services.throttle.failed(host.host);
    host.services.stats.loginsFailed++;
    const used = this.passwordUsed ? 'YES' : 'NO';
    host.fail(formatError(ER.ACCESS_DENIED, this.claimed!.user, host.host, used));
  }

  /** A broken handshake also counts against the host, as in MySQL's max_connect_errors. */
  refuse(error: WireError, withState = true): void {
    this.host.services.throttle.failed(this.host.host);
    this.host.fail(error, withState);
  }

  private storeFailed(error: unknown): void {
    this.host.services.logger.error('user store failed', error);
    if (!this.host.closed) this.verdict(false);
  }
}
