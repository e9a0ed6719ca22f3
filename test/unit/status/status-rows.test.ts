import type {
  ClientReport,
  ProcedureReport,
  StatusReport,
} from '../../../lib/status/status-report.js';
import { statusReportRows } from '../../../lib/status/status-rows.js';

// The report is built here rather than borrowed from the HTTP tests'
// fixture, so the exact values below stay this file's own.

const PROCEDURE: ProcedureReport = {
  name: 'myadd',
  calls: 10,
  ok: 8,
  failed: 1,
  timedOut: 1,
  killed: 0,
  ratePerSecond: 0.167,
  meanMs: 0.42,
  p50Ms: 0.31,
  p95Ms: 1.25,
  p99Ms: 4.5,
  maxMs: 12.75,
  lastCallAt: '2025-01-02T03:04:05.678Z',
};

const CLIENT: ClientReport = {
  id: 12,
  user: 'testuser',
  account: "'testuser'@'%'",
  address: '127.0.0.1:40012',
  database: 'rpc',
  secure: true,
  since: '2025-01-02T03:00:00.000Z',
  command: 'Query',
  state: 'executing',
  seconds: 3,
  info: 'call myadd(1, 2)',
  calls: 10,
  lastCall: 'myadd',
  lastCallAt: '2025-01-02T03:04:05.678Z',
};

/** A connection still logging in: most of its fields are null. */
const CONNECTING: ClientReport = {
  id: 3,
  user: null,
  account: null,
  address: '10.0.0.7:51000',
  database: null,
  secure: false,
  since: '2025-01-02T03:04:00.000Z',
  command: 'Connect',
  state: 'login',
  seconds: 0,
  info: null,
  calls: 0,
  lastCall: null,
  lastCallAt: null,
};

function report(overrides: Partial<StatusReport> = {}): StatusReport {
  return {
    server: {
      version: '0.1.0',
      nodeVersion: 'v20.19.0',
      nestVersion: '11.1.0',
      mysqlVersion: '8.0.36-nestjs-mysql-rpc',
      pid: 4242,
      startedAt: '2025-01-02T00:00:00.000Z',
      uptimeSeconds: 11_045,
      listening: ['127.0.0.1:3308', '[::1]:3308'],
      state: 'listening',
      callLog: false,
    },
    limits: {
      maxConnections: 151,
      maxUserConnections: 0,
      connectTimeoutMs: 10_000,
      waitTimeoutMs: 28_800_000,
      callTimeoutMs: 0,
      maxCallsInFlight: 64,
      maxPacketSize: 67_108_864,
      maxPreparedStatements: 16_382,
      shutdownGraceMs: 10_000,
    },
    connections: {
      open: 2,
      loggedIn: 1,
      running: 1,
      total: 57,
      maxUsed: 9,
      closedNormally: 50,
      closedByError: 5,
      refusedByLimit: 0,
      abortedConnects: 2,
      abortedClients: 1,
      idleTimeouts: 0,
    },
    logins: { ok: 55, failed: 2, blocked: 0 },
    calls: {
      total: 10,
      ok: 8,
      failed: 1,
      timedOut: 1,
      killed: 0,
      running: 1,
      waiting: 0,
      ratePerSecond: 0.167,
    },
    bytes: { received: 123_456, sent: 7_654_321 },
    questions: 1300,
    preparedStatements: 2,
    procedures: [PROCEDURE],
    clients: [CONNECTING, CLIENT],
    ...overrides,
  };
}

describe('statusReportRows', () => {
  const rows = statusReportRows(report());
  const values = new Map(rows);

  it('gives each value one row with a unique name', () => {
    expect(values.size).toBe(rows.length);
    for (const row of rows) expect(row).toHaveLength(2);
  });

  it('names rows section.snake_case, as status variables are named', () => {
    expect(rows.slice(0, 10).map(([name]) => name)).toEqual([
      'server.version',
      'server.node_version',
      'server.nest_version',
      'server.mysql_version',
      'server.pid',
      'server.started_at',
      'server.uptime_seconds',
      'server.listening',
      'server.state',
      'server.call_log',
    ]);
    for (const [name] of rows) expect(name).toMatch(/^[a-z_]+(\.[a-z0-9_]+)*$/);
    expect(values.get('limits.max_calls_in_flight')).toBe(64);
    expect(values.get('limits.max_packet_size')).toBe(67_108_864);
    expect(values.get('connections.logged_in')).toBe(1);
    expect(values.get('connections.max_used')).toBe(9);
    expect(values.get('connections.closed_by_error')).toBe(5);
    expect(values.get('logins.failed')).toBe(2);
    expect(values.get('calls.timed_out')).toBe(1);
    expect(values.get('calls.rate_per_second')).toBe(0.167);
    expect(values.get('bytes.sent')).toBe(7_654_321);
  });

  it('puts the sections in the order of the report, with the two plain totals after bytes', () => {
    const sections = [...new Set(rows.map(([name]) => name.split('.')[0]))];
    expect(sections).toEqual([
      'server',
      'limits',
      'connections',
      'logins',
      'calls',
      'bytes',
      'questions',
      'prepared_statements',
      'procedure',
      'client',
    ]);
    expect(values.get('questions')).toBe(1300);
    expect(values.get('prepared_statements')).toBe(2);
  });

  it('flattens each procedure under its name, without a row for the name itself', () => {
    const own = rows.filter(([name]) => name.startsWith('procedure.'));
    expect(own).toEqual([
      ['procedure.myadd.calls', 10],
      ['procedure.myadd.ok', 8],
      ['procedure.myadd.failed', 1],
      ['procedure.myadd.timed_out', 1],
      ['procedure.myadd.killed', 0],
      ['procedure.myadd.rate_per_second', 0.167],
      ['procedure.myadd.mean_ms', 0.42],
      ['procedure.myadd.p50_ms', 0.31],
      ['procedure.myadd.p95_ms', 1.25],
      ['procedure.myadd.p99_ms', 4.5],
      ['procedure.myadd.max_ms', 12.75],
      ['procedure.myadd.last_call_at', '2025-01-02T03:04:05.678Z'],
    ]);
  });

  it('flattens each client under its connection id, in the order given', () => {
    const own = rows.filter(([name]) => name.startsWith('client.'));
    expect(own.map(([name]) => name.split('.')[1])).toEqual([
      ...Array(13).fill('3'),
      ...Array(13).fill('12'),
    ]);
    expect(own.filter(([name]) => name.startsWith('client.12.'))).toEqual([
      ['client.12.user', 'testuser'],
      ['client.12.account', "'testuser'@'%'"],
      ['client.12.address', '127.0.0.1:40012'],
      ['client.12.database', 'rpc'],
      ['client.12.secure', 'ON'],
      ['client.12.since', '2025-01-02T03:00:00.000Z'],
      ['client.12.command', 'Query'],
      ['client.12.state', 'executing'],
      ['client.12.seconds', 3],
      ['client.12.info', 'call myadd(1, 2)'],
      ['client.12.calls', 10],
      ['client.12.last_call', 'myadd'],
      ['client.12.last_call_at', '2025-01-02T03:04:05.678Z'],
    ]);
    expect(values.has('client.12.id')).toBe(false);
  });

  it('shows booleans as ON/OFF, keeps null as null and joins lists', () => {
    expect(values.get('server.call_log')).toBe('OFF');
    expect(values.get('client.12.secure')).toBe('ON');
    expect(values.get('client.3.secure')).toBe('OFF');
    for (const field of ['user', 'account', 'database', 'info', 'last_call', 'last_call_at']) {
      expect([field, values.get(`client.3.${field}`)]).toEqual([field, null]);
    }
    expect(values.get('server.listening')).toBe('127.0.0.1:3308, [::1]:3308');
    // Numbers stay numbers (the result set types them), strings stay strings.
    expect(values.get('server.pid')).toBe(4242);
    expect(values.get('server.state')).toBe('listening');
    expect(values.get('client.3.state')).toBe('login');
  });

  it('keeps a procedure name as registered, and shows a procedure never called', () => {
    const idle: ProcedureReport = {
      ...PROCEDURE,
      name: 'MixedCase',
      calls: 0,
      ok: 0,
      failed: 0,
      timedOut: 0,
      lastCallAt: null,
    };
    const named = new Map(statusReportRows(report({ procedures: [idle] })));
    expect(named.get('procedure.MixedCase.calls')).toBe(0);
    expect(named.get('procedure.MixedCase.last_call_at')).toBeNull();
    expect(named.has('procedure.mixed_case.calls')).toBe(false);
  });

  it('has no procedure or client rows when there are none', () => {
    const bare = statusReportRows(
      report({
        procedures: [],
        clients: [],
        server: {
          ...report().server,
          listening: [],
          callLog: true,
        },
      }),
    );
    expect(bare.some(([name]) => /^(procedure|client)\./.test(name))).toBe(false);
    const named = new Map(bare);
    expect(named.get('server.listening')).toBe('');
    expect(named.get('server.call_log')).toBe('ON');
  });
});
