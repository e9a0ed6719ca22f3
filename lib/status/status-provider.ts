import type { LatencyHistogram } from './latency-histogram.js';
import type { StatusReport } from './status-report.js';

/** What the status endpoints read of a running server. */
export interface StatusProvider {
  /** The whole report, built now. */
  report(): StatusReport;
  /** Each registered procedure's latency histogram, for the metrics endpoint. */
  procedureLatencies(): Iterable<{ readonly name: string; readonly latency: LatencyHistogram }>;
  /**
   * True when `user` and `password` are the credentials of one of the
   * server's admin accounts that may log in from `host` (the HTTP
   * client's address). Wrong user and wrong password look the same.
   */
  verifyAdmin(user: string, password: string, host: string): Promise<boolean>;
}
