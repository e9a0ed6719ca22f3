import { LatencyHistogram } from '../../../lib/status/latency-histogram.js';
import type { StatusProvider } from '../../../lib/status/status-provider.js';
import type {
  ClientReport,
  ProcedureReport,
  StatusReport,
} from '../../../lib/status/status-report.js';

/** A procedure line with its counts; durations made up. */
export function procedure(name: string, calls: number, failed = 0): ProcedureReport {
  return {
    name,
    calls,
    ok: calls - failed,
    failed,
    timedOut: 0,
    killed: 0,
    ratePerSecond: calls / 60,
    meanMs: 0.42,
    p50Ms: 0.31,
    p95Ms: 1.25,
    p99Ms: 4.5,
    maxMs: 12.75,
    lastCallAt: calls > 0 ? '2025-01-02T03:04:05.678Z' : null,
  };
}

/** An online client; `info` is the statement it runs. */
export function client(id: number, user: string, info: string | null = null): ClientReport {
  return {
    id,
    user,
    account: `'${user}'@'%'`,
    address: `127.0.0.1:${40000 + id}`,
    database: 'rpc',
    secure: id % 2 === 0,
    since: '2025-01-02T03:00:00.000Z',
    command: info === null ? 'Sleep' : 'Query',
    state: info === null ? '' : 'executing',
    seconds: 3,
    info,
    calls: id * 10,
    lastCall: 'myadd',
    lastCallAt: '2025-01-02T03:04:00.000Z',
  };
}

/** A whole report, with what a test overrides. */
export function report(overrides: Partial<StatusReport> = {}): StatusReport {
  return {
    server: {
      version: '0.1.0',
      nodeVersion: 'v20.0.0',
      nestVersion: '11.0.0',
      mysqlVersion: '8.0.36-nestjs-mysql-rpc',
      pid: 4242,
      startedAt: '2025-01-02T00:00:00.000Z',
      uptimeSeconds: 11_045,
      listening: ['127.0.0.1:3308'],
      state: 'listening',
      callLog: false,
    },
    limits: {
      maxConnections: 151,
      maxUserConnections: 0,
      connectTimeoutMs: 10_000,
      waitTimeoutMs: 28_800_000,
      callTimeoutMs: 0,
      maxCallsInFlight: 0,
      maxPacketSize: 64 * 1024 * 1024,
      maxPreparedStatements: 16382,
      shutdownGraceMs: 10_000,
    },
    connections: {
      open: 3,
      loggedIn: 2,
      running: 1,
      total: 57,
      maxUsed: 9,
      closedNormally: 50,
      closedByError: 4,
      refusedByLimit: 0,
      abortedConnects: 2,
      abortedClients: 1,
      idleTimeouts: 0,
    },
    logins: { ok: 55, failed: 2, blocked: 0 },
    calls: {
      total: 1234,
      ok: 1200,
      failed: 30,
      timedOut: 3,
      killed: 1,
      running: 1,
      waiting: 0,
      ratePerSecond: 4.25,
    },
    bytes: { received: 123_456, sent: 7_654_321 },
    questions: 1300,
    preparedStatements: 2,
    procedures: [procedure('myadd', 1000, 20), procedure('whoami', 234, 10), procedure('idle', 0)],
    clients: [client(1, 'testuser', 'call myadd(1, 2)'), client(2, 'app')],
    ...overrides,
  };
}

/** Histograms with known observations, by procedure name. */
export function latencies(): Map<string, LatencyHistogram> {
  const myadd = new LatencyHistogram();
  for (const ms of [0.05, 0.2, 0.2, 0.7, 3, 40, 20_000]) myadd.observe(ms);
  const idle = new LatencyHistogram();
  return new Map([
    ['myadd', myadd],
    ['idle', idle],
  ]);
}

/** What verifyAdmin was asked, for assertions. */
export interface AdminCheck {
  readonly user: string;
  readonly password: string;
  readonly host: string;
}

/**
 * A provider answering from fixed data: the HTTP layer's tests need a
 * report and credentials, not a MySQL server (the compat test has one).
 * `admins` are the user → password pairs verifyAdmin accepts.
 */
export function fixedProvider(
  data: StatusReport = report(),
  admins: Record<string, string> = {},
): StatusProvider & { readonly adminChecks: AdminCheck[] } {
  const histograms = latencies();
  const adminChecks: AdminCheck[] = [];
  return {
    adminChecks,
    report: () => data,
    procedureLatencies: () => [...histograms].map(([name, latency]) => ({ name, latency })),
    verifyAdmin: async (user, password, host) => {
      adminChecks.push({ user, password, host });
      return Object.hasOwn(admins, user) && admins[user] === password;
    },
  };
}
