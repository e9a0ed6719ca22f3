import { register } from 'prom-client';
import { LATENCY_BOUNDS_MS } from '../../../lib/status/latency-histogram.js';
import { StatusMetrics } from '../../../lib/status/http/metrics.js';
import { fixedProvider, latencies, procedure, report } from './status-fixture.js';

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** Reads Prometheus' text format: TYPE lines and samples (labels unescaped). */
function parse(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ')) continue;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample: ${line}`);
    const labels: Record<string, string> = {};
    const pairs = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g;
    let rest = m[2] ?? '';
    for (const p of rest.matchAll(pairs)) {
      labels[p[1]!] = p[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      rest = rest.replace(p[0], '');
    }
    if (rest !== '') throw new Error(`bad labels in: ${line}`);
    // prom-client writes NaN as `Nan`, which Prometheus reads case-insensitively.
    const value = m[3] === '+Inf' ? Infinity : /^nan$/i.test(m[3]!) ? NaN : Number(m[3]);
    if (Number.isNaN(value) && !/^nan$/i.test(m[3]!)) throw new Error(`bad value in: ${line}`);
    samples.push({ name: m[1]!, labels, value });
  }
  return { types, samples };
}

async function scrape(metrics: StatusMetrics) {
  return parse(await metrics.text());
}

const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) => {
  const found = find(samples, name, labels);
  if (found.length !== 1)
    throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0]!.value;
};

describe('StatusMetrics', () => {
  it('names every server metric mysql_rpc_* with its type, beside Node process metrics', async () => {
    const { types, samples } = await scrape(new StatusMetrics(fixedProvider()));
    expect(
      Object.fromEntries([...types].filter(([name]) => name.startsWith('mysql_rpc_'))),
    ).toEqual({
      mysql_rpc_info: 'gauge',
      mysql_rpc_state: 'gauge',
      mysql_rpc_start_time_seconds: 'gauge',
      mysql_rpc_uptime_seconds: 'gauge',
      mysql_rpc_connections_total: 'counter',
      mysql_rpc_connections_open: 'gauge',
      mysql_rpc_connections_logged_in: 'gauge',
      mysql_rpc_connections_running: 'gauge',
      mysql_rpc_connections_max_used: 'gauge',
      mysql_rpc_connections_closed_total: 'counter',
      mysql_rpc_connections_refused_total: 'counter',
      mysql_rpc_aborted_connects_total: 'counter',
      mysql_rpc_aborted_clients_total: 'counter',
      mysql_rpc_idle_timeouts_total: 'counter',
      mysql_rpc_logins_total: 'counter',
      mysql_rpc_calls_total: 'counter',
      mysql_rpc_calls_running: 'gauge',
      mysql_rpc_calls_waiting: 'gauge',
      mysql_rpc_procedure_calls_total: 'counter',
      mysql_rpc_call_duration_seconds: 'histogram',
      mysql_rpc_questions_total: 'counter',
      mysql_rpc_received_bytes_total: 'counter',
      mysql_rpc_sent_bytes_total: 'counter',
      mysql_rpc_prepared_statements: 'gauge',
      mysql_rpc_max_connections: 'gauge',
      mysql_rpc_max_calls_in_flight: 'gauge',
    });
    expect(types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(types.get('nodejs_heap_size_used_bytes')).toBe('gauge');
    expect(types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
    expect(value(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it("reads the report's counters, with labels for outcomes, results and states", async () => {
    const { samples } = await scrape(new StatusMetrics(fixedProvider()));
    expect(value(samples, 'mysql_rpc_connections_total')).toBe(57);
    expect(value(samples, 'mysql_rpc_connections_open')).toBe(3);
    expect(value(samples, 'mysql_rpc_connections_logged_in')).toBe(2);
    expect(value(samples, 'mysql_rpc_connections_closed_total', { how: 'normal' })).toBe(50);
    expect(value(samples, 'mysql_rpc_connections_closed_total', { how: 'error' })).toBe(4);
    expect(value(samples, 'mysql_rpc_logins_total', { result: 'failed' })).toBe(2);
    expect(value(samples, 'mysql_rpc_calls_total', { outcome: 'ok' })).toBe(1200);
    expect(value(samples, 'mysql_rpc_calls_total', { outcome: 'failed' })).toBe(30);
    expect(value(samples, 'mysql_rpc_calls_total', { outcome: 'timed_out' })).toBe(3);
    expect(value(samples, 'mysql_rpc_calls_total', { outcome: 'killed' })).toBe(1);
    expect(
      value(samples, 'mysql_rpc_procedure_calls_total', { procedure: 'myadd', outcome: 'failed' }),
    ).toBe(20);
    expect(
      value(samples, 'mysql_rpc_procedure_calls_total', { procedure: 'whoami', outcome: 'ok' }),
    ).toBe(224);
    expect(value(samples, 'mysql_rpc_calls_running')).toBe(1);
    expect(value(samples, 'mysql_rpc_sent_bytes_total')).toBe(7_654_321);
    expect(value(samples, 'mysql_rpc_uptime_seconds')).toBe(11_045);
    expect(value(samples, 'mysql_rpc_start_time_seconds')).toBe(
      Date.parse('2025-01-02T00:00:00.000Z') / 1000,
    );
    expect(value(samples, 'mysql_rpc_state', { state: 'listening' })).toBe(1);
    expect(value(samples, 'mysql_rpc_state', { state: 'draining' })).toBe(0);
    expect(find(samples, 'mysql_rpc_info')[0]!.labels).toEqual({
      version: '0.1.0',
      node_version: 'v20.0.0',
      nest_version: '11.0.0',
      mysql_version: '8.0.36-nestjs-mysql-rpc',
    });
  });

  it('turns the latency buckets into a cumulative histogram in seconds whose +Inf is the count', async () => {
    const { samples } = await scrape(new StatusMetrics(fixedProvider()));
    const buckets = find(samples, 'mysql_rpc_call_duration_seconds_bucket', { procedure: 'myadd' });
    expect(buckets.map((b) => b.labels.le)).toEqual([
      ...LATENCY_BOUNDS_MS.map((ms) => String(ms / 1000)),
      '+Inf',
    ]);
    expect(buckets.map((b) => b.labels.le).slice(0, 4)).toEqual([
      '0.0001',
      '0.00025',
      '0.0005',
      '0.001',
    ]);
    const counts = buckets.map((b) => b.value);
    for (let i = 1; i < counts.length; i++)
      expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]!);
    // Observed: 0.05, 0.2, 0.2, 0.7, 3, 40 and 20000 ms.
    const le = (bound: string) => buckets.find((b) => b.labels.le === bound)!.value;
    expect([le('0.0001'), le('0.00025'), le('0.001'), le('0.005'), le('0.05'), le('10')]).toEqual([
      1, 3, 4, 5, 6, 6,
    ]);
    const count = value(samples, 'mysql_rpc_call_duration_seconds_count', { procedure: 'myadd' });
    expect(le('+Inf')).toBe(count);
    expect(count).toBe(7);
    const sum = value(samples, 'mysql_rpc_call_duration_seconds_sum', { procedure: 'myadd' });
    expect(sum).toBeCloseTo(latencies().get('myadd')!.sum / 1000, 9);
    // A procedure never called: every bucket, the sum and the count are 0.
    const idle = find(samples, 'mysql_rpc_call_duration_seconds_bucket', { procedure: 'idle' });
    expect(idle).toHaveLength(LATENCY_BOUNDS_MS.length + 1);
    expect(idle.every((b) => b.value === 0)).toBe(true);
    expect(value(samples, 'mysql_rpc_call_duration_seconds_count', { procedure: 'idle' })).toBe(0);
  });

  it('escapes label values: a procedure name cannot break the format', async () => {
    const name = 'we"ird\\name\nx';
    const provider = fixedProvider(report({ procedures: [procedure(name, 5)] }));
    const { samples } = await scrape(new StatusMetrics(provider));
    expect(
      value(samples, 'mysql_rpc_procedure_calls_total', { procedure: name, outcome: 'ok' }),
    ).toBe(5);
  });

  it('builds one report per scrape', async () => {
    const provider = fixedProvider();
    let reports = 0;
    const counting = { ...provider, report: () => (reports++, provider.report()) };
    const metrics = new StatusMetrics(counting);
    await metrics.text();
    expect(reports).toBe(1);
    await metrics.text();
    expect(reports).toBe(2);
  });

  it('keeps two servers in one process apart, and out of prom-client’s global registry', async () => {
    const before = (await register.getMetricsAsJSON()).length;
    const a = new StatusMetrics(fixedProvider(report({ questions: 1 })));
    const b = new StatusMetrics(fixedProvider(report({ questions: 2 })));
    expect(value((await scrape(a)).samples, 'mysql_rpc_questions_total')).toBe(1);
    expect(value((await scrape(b)).samples, 'mysql_rpc_questions_total')).toBe(2);
    expect(a.registry).not.toBe(b.registry);
    expect((await register.getMetricsAsJSON()).length).toBe(before);
    expect(a.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});
