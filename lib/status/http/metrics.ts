import { collectDefaultMetrics, Registry } from 'prom-client';
import { LATENCY_BOUNDS_MS } from '../latency-histogram.js';
import type { StatusProvider } from '../status-provider.js';
import type { StatusReport } from '../status-report.js';
import { SnapshotMetric, type MetricSample } from './snapshot-metric.js';

/** The `le` label of each latency bucket, in seconds as Prometheus wants durations, then `+Inf`. */
const BUCKET_LE: readonly string[] = [
  ...LATENCY_BOUNDS_MS.map((ms) => String(Number((ms / 1000).toPrecision(12)))),
  '+Inf',
];

const SERVER_STATES: readonly StatusReport['server']['state'][] = [
  'starting',
  'listening',
  'draining',
  'closed',
];

let processRegistry: Registry | null = null;

/**
 * Node's process metrics (CPU, memory, event loop, GC), collected once per
 * process: they describe the process, not a server, and prom-client's
 * collectors (a GC observer, an event-loop monitor) are never stopped, so
 * one set per server would pile up with each server a process creates.
 * Its own registry, not prom-client's global one, which the app may use.
 */
function processMetrics(): Registry {
  if (processRegistry === null) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The Prometheus exposition of one server: its `mysql_rpc_*` metrics, in
 * a registry of its own so that two servers in one process never clash,
 * followed by Node's process metrics.
 */
export class StatusMetrics {
  /** The server's `mysql_rpc_*` metrics, for an app that merges them into its own registry. */
  readonly registry = new Registry();
  private snapshot: StatusReport | null = null;

  constructor(private readonly provider: StatusProvider) {
    for (const metric of this.define()) metric.registerIn(this.registry);
  }

  /** The Content-Type of `text()`. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text, scraped now. */
  async text(): Promise<string> {
    const [own, process] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return own + '\n' + process;
  }

  /**
   * The report every metric of one scrape reads: built once, when the
   * first of them asks, and dropped after the current turn, so a scrape
   * costs one report and still never shows stale numbers.
   */
  private report(): StatusReport {
    if (this.snapshot === null) {
      this.snapshot = this.provider.report();
      queueMicrotask(() => (this.snapshot = null));
    }
    return this.snapshot;
  }

  private define(): SnapshotMetric[] {
    const r = () => this.report();
    const one = (value: number): MetricSample[] => [{ value, labels: {} }];
    const counter = (name: string, help: string, value: (report: StatusReport) => number) =>
      new SnapshotMetric(name, help, 'counter', () => one(value(r())));
    const gauge = (name: string, help: string, value: (report: StatusReport) => number) =>
      new SnapshotMetric(name, help, 'gauge', () => one(value(r())));
    return [
      new SnapshotMetric('mysql_rpc_info', 'Versions of the server, as labels.', 'gauge', () => {
        const s = r().server;
        const labels = {
          version: s.version,
          node_version: s.nodeVersion,
          nest_version: s.nestVersion,
          mysql_version: s.mysqlVersion,
        };
        return [{ value: 1, labels }];
      }),
      new SnapshotMetric(
        'mysql_rpc_state',
        'The server state: 1 for the current one.',
        'gauge',
        () =>
          SERVER_STATES.map((state) => ({
            value: r().server.state === state ? 1 : 0,
            labels: { state },
          })),
      ),
      gauge('mysql_rpc_start_time_seconds', 'When the server started, in Unix seconds.', (x) =>
        Math.floor(Date.parse(x.server.startedAt) / 1000),
      ),
      gauge('mysql_rpc_uptime_seconds', 'Seconds since the server started.', (x) =>
        Math.floor(x.server.uptimeSeconds),
      ),
      counter(
        'mysql_rpc_connections_total',
        'TCP connections accepted.',
        (x) => x.connections.total,
      ),
      gauge(
        'mysql_rpc_connections_open',
        'Connections open, logged in or not.',
        (x) => x.connections.open,
      ),
      gauge(
        'mysql_rpc_connections_logged_in',
        'Connections logged in.',
        (x) => x.connections.loggedIn,
      ),
      gauge(
        'mysql_rpc_connections_running',
        'Connections running a command.',
        (x) => x.connections.running,
      ),
      gauge(
        'mysql_rpc_connections_max_used',
        'The most connections open at once.',
        (x) => x.connections.maxUsed,
      ),
      new SnapshotMetric(
        'mysql_rpc_connections_closed_total',
        'Connections closed, by COM_QUIT (normal) or any other way (error).',
        'counter',
        () => {
          const c = r().connections;
          return [
            { value: c.closedNormally, labels: { how: 'normal' } },
            { value: c.closedByError, labels: { how: 'error' } },
          ];
        },
      ),
      counter(
        'mysql_rpc_connections_refused_total',
        'Connections refused by a limit (max_connections, max_user_connections, a blocked host).',
        (x) => x.connections.refusedByLimit,
      ),
      counter(
        'mysql_rpc_aborted_connects_total',
        'Connections closed before finishing a login.',
        (x) => x.connections.abortedConnects,
      ),
      counter(
        'mysql_rpc_aborted_clients_total',
        'Logged-in connections that ended without COM_QUIT.',
        (x) => x.connections.abortedClients,
      ),
      counter(
        'mysql_rpc_idle_timeouts_total',
        'Sessions closed by wait_timeout.',
        (x) => x.connections.idleTimeouts,
      ),
      new SnapshotMetric(
        'mysql_rpc_logins_total',
        'Logins by result: ok, failed (ERR 1045) or blocked by the throttle (ERR 1129).',
        'counter',
        () => {
          const l = r().logins;
          return [
            { value: l.ok, labels: { result: 'ok' } },
            { value: l.failed, labels: { result: 'failed' } },
            { value: l.blocked, labels: { result: 'blocked' } },
          ];
        },
      ),
      new SnapshotMetric('mysql_rpc_calls_total', 'Calls ended, by outcome.', 'counter', () =>
        outcomes(r().calls, {}),
      ),
      gauge('mysql_rpc_calls_running', 'Calls running now.', (x) => x.calls.running),
      gauge(
        'mysql_rpc_calls_waiting',
        'Calls waiting for a slot under maxCallsInFlight.',
        (x) => x.calls.waiting,
      ),
      new SnapshotMetric(
        'mysql_rpc_procedure_calls_total',
        'Calls ended, by procedure and outcome.',
        'counter',
        () => r().procedures.flatMap((p) => outcomes(p, { procedure: p.name })),
      ),
      new SnapshotMetric(
        'mysql_rpc_call_duration_seconds',
        'Call durations by procedure.',
        'histogram',
        () => this.durations(),
      ),
      counter('mysql_rpc_questions_total', 'Commands received.', (x) => x.questions),
      counter(
        'mysql_rpc_received_bytes_total',
        'Bytes read from clients, TLS included.',
        (x) => x.bytes.received,
      ),
      counter(
        'mysql_rpc_sent_bytes_total',
        'Bytes written to clients, TLS included.',
        (x) => x.bytes.sent,
      ),
      gauge(
        'mysql_rpc_prepared_statements',
        'Prepared statements open.',
        (x) => x.preparedStatements,
      ),
      gauge(
        'mysql_rpc_max_connections',
        'The max_connections limit.',
        (x) => x.limits.maxConnections,
      ),
      gauge(
        'mysql_rpc_max_calls_in_flight',
        'The cap on calls running at once; 0 for none.',
        (x) => x.limits.maxCallsInFlight,
      ),
    ];
  }

  /** Each procedure's latency buckets, made cumulative, with their sum and count. */
  private durations(): MetricSample[] {
    const samples: MetricSample[] = [];
    for (const { name, latency } of this.provider.procedureLatencies()) {
      let cumulative = 0;
      for (let i = 0; i < BUCKET_LE.length; i++) {
        cumulative += latency.buckets[i]!;
        samples.push({
          metricName: 'mysql_rpc_call_duration_seconds_bucket',
          value: cumulative,
          labels: { procedure: name, le: BUCKET_LE[i]! },
        });
      }
      samples.push(
        {
          metricName: 'mysql_rpc_call_duration_seconds_sum',
          value: latency.sum / 1000,
          labels: { procedure: name },
        },
        {
          metricName: 'mysql_rpc_call_duration_seconds_count',
          value: latency.count,
          labels: { procedure: name },
        },
      );
    }
    return samples;
  }
}

/** Counts by outcome as samples, with the labels they share. */
function outcomes(
  counts: {
    readonly ok: number;
    readonly failed: number;
    readonly timedOut: number;
    readonly killed: number;
  },
  labels: Readonly<Record<string, string>>,
): MetricSample[] {
  return [
    { value: counts.ok, labels: { ...labels, outcome: 'ok' } },
    { value: counts.failed, labels: { ...labels, outcome: 'failed' } },
    { value: counts.timedOut, labels: { ...labels, outcome: 'timed_out' } },
    { value: counts.killed, labels: { ...labels, outcome: 'killed' } },
  ];
}
