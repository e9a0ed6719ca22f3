import type { SqlValue } from '../sql/index.js';
import type { StatusReport } from './status-report.js';

type Row = [name: string, value: SqlValue];

/** A report value as a cell: lists joined, booleans as ON/OFF (as SHOW VARIABLES), null kept. */
function cell(value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? 'ON' : 'OFF';
  if (typeof value === 'number' || typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** `camelCase` → `camel_case`, as status variables are named. */
const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function section(prefix: string, values: object, rows: Row[]): void {
  for (const [key, value] of Object.entries(values))
    rows.push([`${prefix}.${snake(key)}`, cell(value)]);
}

/**
 * The report as `Variable_name` / `Value` rows, as `CALL rpcinfo()`
 * returns it: `server.version`, `calls.ok`, `procedure.myadd.p95_ms`,
 * `client.12.user`...
 */
export function statusReportRows(report: StatusReport): Row[] {
  const rows: Row[] = [];
  section('server', report.server, rows);
  section('limits', report.limits, rows);
  section('connections', report.connections, rows);
  section('logins', report.logins, rows);
  section('calls', report.calls, rows);
  section('bytes', report.bytes, rows);
  rows.push(['questions', report.questions], ['prepared_statements', report.preparedStatements]);
  for (const p of report.procedures) {
    const { name, ...values } = p;
    section(`procedure.${name}`, values, rows);
  }
  for (const c of report.clients) {
    const { id, ...values } = c;
    section(`client.${id}`, values, rows);
  }
  return rows;
}
