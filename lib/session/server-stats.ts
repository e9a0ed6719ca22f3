import type { AuthWork } from './login/auth-method.js';
import type { LoginThrottleCounts } from './login/login-throttle.js';

/**
 * Server-wide counters the protocol itself reports (COM_STATISTICS). One
 * instance per server; the status page and SHOW STATUS read the same one.
 */
export class ServerStats {
  readonly startedAt = Date.now();
  connectionsTotal = 0;
  connectionsOpen = 0;
  questions = 0;
  /** Logins refused with ERR 1045. */
  loginsFailed = 0;
  /** Checks done by the auth plugins. */
  readonly auth: AuthWork = { nativeChecks: 0, fastChecks: 0, fullChecks: 0, rsaDecrypts: 0 };
  /** What the failed-login throttle did. */
  readonly loginThrottle: LoginThrottleCounts = { delayed: 0, refused: 0, blockedHosts: 0 };

  /** Seconds since the server started. */
  uptimeSeconds(now = Date.now()): number {
    return Math.floor((now - this.startedAt) / 1000);
  }

  /** The one-line text MySQL answers COM_STATISTICS (and `mysqladmin status`) with. */
  statisticsLine(now = Date.now()): string {
    const uptime = this.uptimeSeconds(now);
    const qps = uptime > 0 ? (this.questions / uptime).toFixed(3) : '0.000';
    return (
      `Uptime: ${uptime}  Threads: ${this.connectionsOpen}  Questions: ${this.questions}  ` +
      `Slow queries: 0  Opens: 0  Flush tables: 1  Open tables: 0  Queries per second avg: ${qps}`
    );
  }
}
