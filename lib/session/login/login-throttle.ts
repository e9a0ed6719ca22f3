import { withoutUndefined } from '../without-undefined.js';

/** How failed logins slow down and then block a host (MySQL's connection_control and max_connect_errors). */
export interface LoginThrottleOptions {
  /** Failed logins in a row from one host after which its answers are delayed; 0 turns delays off. Default 3. */
  delayAfterFailures?: number;
  /** Delay for the first delayed answer, growing by this much per further failure, in ms. Default 1000. */
  minDelayMs?: number;
  /** Longest delay, in ms. Default 10000. */
  maxDelayMs?: number;
  /** Failed logins in a row after which a host is refused (ERR 1129) until FLUSH HOSTS; 0 never blocks. Default 100. */
  maxConnectErrors?: number;
}

/** Defaults of the throttle. */
export const LOGIN_THROTTLE_DEFAULTS: Required<LoginThrottleOptions> = {
  delayAfterFailures: 3,
  minDelayMs: 1000,
  maxDelayMs: 10_000,
  maxConnectErrors: 100,
};

/** Hosts tracked at once; beyond it the oldest record is dropped, so a flood of addresses cannot grow memory. */
const MAX_HOSTS = 100_000;

/** What the throttle did, counted. */
export interface LoginThrottleCounts {
  /** Login answers that were delayed. */
  delayed: number;
  /** Connections refused because their host was blocked. */
  refused: number;
  /** Hosts that reached maxConnectErrors. */
  blockedHosts: number;
}

/**
 * Counts failed logins per client address. After `delayAfterFailures` in
 * a row, each answer to that host (right password or wrong) waits a
 * little longer; after `maxConnectErrors`, the host is refused outright.
 * A successful login clears its count; FLUSH HOSTS clears them all.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number>();
  private readonly options: Required<LoginThrottleOptions>;
  constructor(
    options: LoginThrottleOptions | false = {},
    /** Where it counts what it did (the server's stats). */
    readonly counts: LoginThrottleCounts = { delayed: 0, refused: 0, blockedHosts: 0 },
  ) {
    const o = options === false ? { delayAfterFailures: 0, maxConnectErrors: 0 } : options;
    this.options = { ...LOGIN_THROTTLE_DEFAULTS, ...withoutUndefined(o) };
    for (const [key, value] of Object.entries(this.options)) {
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new RangeError(`loginThrottle.${key} must be an integer >= 0`);
      }
    }
  }

  /** True when the host has reached maxConnectErrors: refuse before the greeting. */
  isBlocked(host: string): boolean {
    const max = this.options.maxConnectErrors;
    if (max === 0 || (this.failures.get(host) ?? 0) < max) return false;
    this.counts.refused++;
    return true;
  }

  /** Milliseconds to hold this host's next login answer. */
  delayFor(host: string): number {
    const { delayAfterFailures, minDelayMs, maxDelayMs } = this.options;
    const failed = this.failures.get(host) ?? 0;
    if (delayAfterFailures === 0 || failed < delayAfterFailures) return 0;
    this.counts.delayed++;
    return Math.min(maxDelayMs, (failed - delayAfterFailures + 1) * minDelayMs);
  }

  /** Records a failed login (or a broken handshake) from the host. */
  failed(host: string): void {
    const count = (this.failures.get(host) ?? 0) + 1;
    this.failures.delete(host);
    if (this.failures.size >= MAX_HOSTS) this.failures.delete(this.failures.keys().next().value!);
    this.failures.set(host, count);
    if (count === this.options.maxConnectErrors) this.counts.blockedHosts++;
  }

  /** A successful login forgives the host. */
  succeeded(host: string): void {
    this.failures.delete(host);
  }

  /** FLUSH HOSTS: unblocks and forgives every host. */
  flush(): void {
    this.failures.clear();
  }
}
