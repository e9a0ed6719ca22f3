import { createHash } from 'node:crypto';

/** The status page's whole style sheet, inline so the page needs nothing else. */
export const STATUS_PAGE_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --panel: #fff; --text: #1d232b; --muted: #69727d; --line: #e1e5ea;
  --head: #eef1f5; --accent: #0b6bcb; --ok: #1a7f37; --bad: #c62828; --warn: #b25e00;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14171b; --panel: #1c2026; --text: #e3e7ec; --muted: #98a1ab; --line: #2d333b;
    --head: #232830; --accent: #58a6ff; --ok: #3fb950; --bad: #f85149; --warn: #d29922;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0; padding: 20px 28px 28px; background: var(--bg); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
}
h1 { font-size: 20px; margin: 0; display: flex; align-items: center; gap: 10px; }
h2 { font-size: 13px; margin: 0 0 8px; color: var(--muted); text-transform: uppercase; letter-spacing: .06em; font-weight: 600; }
header { margin-bottom: 16px; }
.meta { margin: 4px 0 0; color: var(--muted); }
.meta b { color: var(--text); font-weight: 600; }
.state { font-size: 12px; font-weight: 600; padding: 2px 9px; border-radius: 999px; color: #fff; background: var(--muted); }
.state-listening { background: var(--ok); }
.state-draining { background: var(--warn); }
.state-closed { background: var(--bad); }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; margin-bottom: 16px; }
.tile, .panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.big { font-size: 26px; font-weight: 600; margin: 0; font-variant-numeric: tabular-nums; }
.big small { font-size: 14px; color: var(--muted); font-weight: 400; }
.sub { margin: 2px 0 0; color: var(--muted); font-size: 13px; font-variant-numeric: tabular-nums; }
meter { width: 100%; height: 8px; margin-top: 6px; }
.panel { margin-bottom: 16px; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th { background: var(--head); font-weight: 600; font-size: 12px; color: var(--muted); }
th.l, td.l { text-align: left; }
tbody tr:last-child td { border-bottom: 0; }
tbody tr:hover td { background: var(--head); }
td.name { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-weight: 600; color: var(--accent); }
td.sql { font-family: ui-monospace, "DejaVu Sans Mono", monospace; max-width: 320px; overflow: hidden; text-overflow: ellipsis; }
th.sep, td.sep { border-left: 1px solid var(--line); }
.idle-list { margin: 10px 0 0; color: var(--muted); font-size: 13px; }
.ok { color: var(--ok); }
.bad { color: var(--bad); font-weight: 600; }
.warn { color: var(--warn); font-weight: 600; }
.none { color: var(--muted); padding: 4px 0; margin: 0; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px; }
.columns .panel { margin-bottom: 0; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 3px 16px; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
footer { margin-top: 16px; color: var(--muted); font-size: 12px; }
a { color: var(--accent); }
`;

/**
 * The Content-Security-Policy of the page: nothing may load or run but
 * this very style sheet (by its hash), so markup that slipped through
 * escaping could still neither run script nor call home.
 */
export const STATUS_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STATUS_PAGE_CSS).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
