import type { ClientReport, ProcedureReport, StatusReport } from '../status-report.js';
import {
  formatBytes,
  formatCount,
  formatLimitMs,
  formatMs,
  formatRate,
  formatTime,
  formatUptime,
} from './format.js';
import { html, SafeHtml, type HtmlValue } from './html.js';
import { STATUS_PAGE_CSS } from './status-page-style.js';

/** Built apart from the templates: the CSP allows this exact text by its hash, to the byte. */
const STYLE = new SafeHtml(`<style>${STATUS_PAGE_CSS}</style>`);

/**
 * Clients listed on the page at most: a server with thousands of
 * connections must not make every reload megabytes long. The JSON has them all.
 */
export const PAGE_CLIENT_ROWS = 500;
/** Characters of a running statement the page shows; the JSON has all of it. */
export const PAGE_INFO_CHARS = 200;

/** How the page is rendered. */
export interface StatusPageOptions {
  /** Seconds between reloads; 0 for none. */
  readonly refreshSeconds: number;
}

const num = (n: number): string => formatCount(n);
/** A count coloured when it is not zero: failures should catch the eye. */
const alarm = (n: number, level: 'bad' | 'warn' = 'bad'): SafeHtml =>
  n === 0 ? html`${num(n)}` : html`<span class="${level}">${num(n)}</span>`;

function row(label: string, value: HtmlValue): SafeHtml {
  return html`<dt>${label}</dt>
    <dd>${value}</dd>`;
}

function header(report: StatusReport): SafeHtml {
  const s = report.server;
  const listen = s.listening.length > 0 ? s.listening.join(', ') : 'not listening';
  return html`<header>
    <h1>nestjs-mysql-rpc <span class="state state-${s.state}">${s.state}</span></h1>
    <p class="meta">
      <b>${listen}</b> · up <b>${formatUptime(s.uptimeSeconds)}</b> · v${s.version} · Node
      ${s.nodeVersion} · Nest ${s.nestVersion} · MySQL ${s.mysqlVersion} · pid ${s.pid}
    </p>
  </header>`;
}

function tiles(report: StatusReport): SafeHtml {
  const { connections: c, calls, logins, bytes, limits } = report;
  return html`<section class="tiles">
    <div class="tile">
      <h2>Connections</h2>
      <p class="big">${num(c.open)} <small>of ${num(limits.maxConnections)}</small></p>
      <meter
        min="0"
        max="${limits.maxConnections}"
        high="${Math.floor(limits.maxConnections * 0.8)}"
        value="${c.open}"
      ></meter>
      <p class="sub">${num(c.loggedIn)} logged in · ${num(c.running)} running</p>
    </div>
    <div class="tile">
      <h2>Calls</h2>
      <p class="big">${formatRate(calls.ratePerSecond)} <small>/s</small></p>
      <p class="sub">
        ${num(calls.total)} in all · ${num(calls.running)} running · ${alarm(calls.waiting, 'warn')}
        waiting
      </p>
    </div>
    <div class="tile">
      <h2>Outcomes</h2>
      <p class="big"><span class="ok">${num(calls.ok)}</span> <small>ok</small></p>
      <p class="sub">
        ${alarm(calls.failed)} failed · ${alarm(calls.timedOut)} timed out ·
        ${alarm(calls.killed, 'warn')} killed
      </p>
    </div>
    <div class="tile">
      <h2>Logins</h2>
      <p class="big">${num(logins.ok)} <small>ok</small></p>
      <p class="sub">${alarm(logins.failed, 'warn')} failed · ${alarm(logins.blocked)} blocked</p>
    </div>
    <div class="tile">
      <h2>Traffic</h2>
      <p class="big">${formatBytes(bytes.sent)} <small>out</small></p>
      <p class="sub">${formatBytes(bytes.received)} in · ${num(report.questions)} commands</p>
    </div>
  </section>`;
}

function procedureRow(p: ProcedureReport): SafeHtml {
  // Calls still running have no duration yet: a dash, not a misleading 0 ms.
  const ended = p.ok + p.failed + p.timedOut + p.killed;
  const ms = (value: number): string => (ended === 0 ? '–' : formatMs(value));
  return html`<tr>
    <td class="l name">${p.name}</td>
    <td>${num(p.calls)}</td>
    <td>${num(p.ok)}</td>
    <td>${alarm(p.failed)}</td>
    <td>${alarm(p.timedOut)}</td>
    <td>${alarm(p.killed, 'warn')}</td>
    <td class="sep">${formatRate(p.ratePerSecond)}</td>
    <td class="sep">${ms(p.meanMs)}</td>
    <td>${ms(p.p50Ms)}</td>
    <td>${ms(p.p95Ms)}</td>
    <td>${ms(p.p99Ms)}</td>
    <td>${ms(p.maxMs)}</td>
    <td class="sep l">${formatTime(p.lastCallAt)}</td>
  </tr>`;
}

/**
 * Procedures that were called get a row each, in name order so rows stay
 * put between reloads; the others are one line of names, so an app with
 * many procedures still shows its busy ones at a glance.
 */
function procedures(list: readonly ProcedureReport[]): SafeHtml {
  const called = list.filter((p) => p.calls > 0);
  const idle = list.filter((p) => p.calls === 0).map((p) => p.name);
  const table =
    called.length === 0
      ? html`<p class="none">No calls yet.</p>`
      : html`<table>
          <thead>
            <tr>
              <th class="l">procedure</th>
              <th>calls</th>
              <th>ok</th>
              <th>failed</th>
              <th>timed out</th>
              <th>killed</th>
              <th class="sep">calls/s</th>
              <th class="sep">mean ms</th>
              <th>p50 ms</th>
              <th>p95 ms</th>
              <th>p99 ms</th>
              <th>max ms</th>
              <th class="sep l">last call (UTC)</th>
            </tr>
          </thead>
          <tbody>
            ${called.map(procedureRow)}
          </tbody>
        </table>`;
  const rest =
    idle.length === 0
      ? ''
      : html`<p class="idle-list">Not called yet (${num(idle.length)}): ${idle.join(', ')}</p>`;
  return html`<section class="panel" id="procedures">
    <h2>Procedures (${num(list.length)})</h2>
    ${list.length === 0 ? html`<p class="none">No procedures registered.</p>` : [table, rest]}
  </section>`;
}

function clientRow(c: ClientReport, now: Date): SafeHtml {
  const info = c.info === null ? '' : c.info;
  const shown = info.length > PAGE_INFO_CHARS ? info.slice(0, PAGE_INFO_CHARS) + '…' : info;
  return html`<tr>
    <td>${c.id}</td>
    <td class="l">${c.user ?? '–'}</td>
    <td class="l">${c.account ?? '–'}</td>
    <td class="l">${c.address}</td>
    <td class="l">${c.database ?? ''}</td>
    <td class="l">${c.secure ? 'TLS' : ''}</td>
    <td class="l" title="${formatTime(c.since)} UTC">
      ${formatUptime((now.getTime() - Date.parse(c.since)) / 1000)}
    </td>
    <td class="l sep">${c.command}</td>
    <td class="l">${c.state}</td>
    <td>${num(c.seconds)}</td>
    <td class="sep">${num(c.calls)}</td>
    <td class="l">${c.lastCall ?? ''}</td>
    <td class="l sql" title="${shown}">${shown}</td>
  </tr>`;
}

function clients(list: readonly ClientReport[], now: Date): SafeHtml {
  const shown = list.slice(0, PAGE_CLIENT_ROWS);
  const more = list.length - shown.length;
  const body =
    list.length === 0
      ? html`<p class="none">No clients connected.</p>`
      : html`<table>
            <thead>
              <tr>
                <th>id</th>
                <th class="l">user</th>
                <th class="l">account</th>
                <th class="l">address</th>
                <th class="l">db</th>
                <th class="l">tls</th>
                <th class="l">connected</th>
                <th class="l sep">command</th>
                <th class="l">state</th>
                <th>time s</th>
                <th class="sep">calls</th>
                <th class="l">last call</th>
                <th class="l">statement</th>
              </tr>
            </thead>
            <tbody>
              ${shown.map((c) => clientRow(c, now))}
            </tbody>
          </table>
          ${more > 0 ? html`<p class="none">and ${num(more)} more: see status.json</p>` : ''}`;
  return html`<section class="panel" id="clients">
    <h2>Online clients (${num(list.length)})</h2>
    ${body}
  </section>`;
}

function panel(title: string, rows: readonly SafeHtml[]): SafeHtml {
  return html`<div class="panel">
    <h2>${title}</h2>
    <dl>${rows}</dl>
  </div>`;
}

function details(report: StatusReport): SafeHtml {
  const { connections: c, limits: l, server: s } = report;
  const counters = [
    row('accepted', num(c.total)),
    row('most at once', num(c.maxUsed)),
    row('closed normally', num(c.closedNormally)),
    row('closed by an error', num(c.closedByError)),
    row('refused by a limit', alarm(c.refusedByLimit, 'warn')),
    row('aborted logins', alarm(c.abortedConnects, 'warn')),
    row('aborted sessions', num(c.abortedClients)),
    row('idle timeouts', num(c.idleTimeouts)),
    row('prepared statements open', num(report.preparedStatements)),
  ];
  const limits = [
    row('max connections', num(l.maxConnections)),
    row('max per account', l.maxUserConnections === 0 ? 'none' : num(l.maxUserConnections)),
    row('calls in flight', l.maxCallsInFlight === 0 ? 'no cap' : num(l.maxCallsInFlight)),
    row('call timeout', formatLimitMs(l.callTimeoutMs)),
    row('login timeout', formatLimitMs(l.connectTimeoutMs)),
    row('idle timeout', formatLimitMs(l.waitTimeoutMs)),
    row('max packet', formatBytes(l.maxPacketSize)),
    row('max prepared statements', num(l.maxPreparedStatements)),
    row('shutdown grace', formatLimitMs(l.shutdownGraceMs)),
  ];
  const server = [
    row('package', s.version),
    row('Node.js', s.nodeVersion),
    row('NestJS', s.nestVersion),
    row('MySQL version', s.mysqlVersion),
    row('pid', s.pid),
    row('started (UTC)', formatTime(s.startedAt)),
    row('uptime', formatUptime(s.uptimeSeconds)),
    row('call log', s.callLog ? 'on' : 'off'),
  ];
  return html`<section class="columns">
    ${panel('Connection counters', counters)} ${panel('Limits', limits)} ${panel('Server', server)}
  </section>`;
}

/**
 * The status page: the report laid out to be read at a glance. Every
 * value goes through `html`, which escapes it; the page loads nothing and
 * runs no script (its reload is a meta refresh).
 */
export function renderStatusPage(
  report: StatusReport,
  options: StatusPageOptions,
  now = new Date(),
): string {
  const refresh = options.refreshSeconds;
  const listen = report.server.listening[0] ?? '';
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        ${refresh > 0 ? html`<meta http-equiv="refresh" content="${refresh}" />` : ''}
        <title>nestjs-mysql-rpc ${listen}</title>
        ${STYLE}
      </head>
      <body>
        ${header(report)} ${tiles(report)} ${procedures(report.procedures)}
        ${clients(report.clients, now)} ${details(report)}
        <footer>
          Report of ${formatTime(now.toISOString())}
          UTC${refresh > 0 ? ` · reloads every ${refresh} s` : ''} ·
          <a href="status.json">status.json</a> · <a href="metrics">metrics</a>
        </footer>
      </body>
    </html> `;
  return page.text;
}
