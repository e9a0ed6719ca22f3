import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { StatusReport } from '../../lib/status/status-report.js';
import { startTestServer, type TestServer } from '../support/test-app.js';
import { freePort, REPO_ROOT } from './harness/sample-server.js';

/**
 * The status page in a real browser: Debian's chromium, headless, driven
 * by puppeteer-core, against the transport server with real calls made
 * through mysql2. It also takes the screenshot the README shows: into
 * docs/ with UPDATE_SCREENSHOT=1, else into the temp directory, so a run
 * leaves the checkout as it was.
 */
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = process.env.UPDATE_SCREENSHOT
  ? join(REPO_ROOT, 'docs', 'status-page.png')
  : join(tmpdir(), 'nestjs-mysql-rpc-status-page.png');

function haveChromium(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI)
    throw new Error('CI must install chromium (see scripts/install-compat-clients.sh)');
  console.warn('chromium not installed (apt-get install chromium): skipping');
  return false;
}
const installed = haveChromium();
const suite = installed ? describe : describe.skip;

const VIEWER = { username: 'root', password: 'viewpass' };
const basic = (user: string, password: string) =>
  'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');

let server: TestServer;
let url: string;
let browser: Browser;
/** Connections kept open, so the clients table has rows. */
const connections: Connection[] = [];
/** A call still running while the page is read. */
let running: Promise<unknown>;

async function connect(): Promise<Connection> {
  const conn = await createConnection({
    host: '127.0.0.1',
    port: server.port,
    user: 'testuser',
    password: 'testpass',
  });
  connections.push(conn);
  return conn;
}

beforeAll(async () => {
  if (!installed) return;
  const statusPort = await freePort();
  server = await startTestServer({
    users: [
      { user: 'testuser', password: 'testpass', grants: ['rpc.*'] },
      { user: 'root', host: 'localhost', password: 'rootpass', grants: ['*.*'], admin: true },
    ],
    // The sample's setting, plus the admin accounts: root's view password or its own.
    statusHttp: { port: statusPort, viewers: { root: 'viewpass' }, accounts: true },
  });
  url = `http://127.0.0.1:${statusPort}/`;

  const busy = await connect();
  for (let i = 0; i < 40; i++) await busy.query(`call myadd(${i}, 1)`);
  for (let i = 0; i < 12; i++) await busy.query(`call echo('x${i}')`);
  for (const ms of [2, 4, 8, 16, 32]) await busy.query(`call sleep_ms(${ms})`);
  for (let i = 0; i < 3; i++) await expect(busy.query('call mysql_error()')).rejects.toThrow();
  await connect();
  running = (await connect()).query('call sleep_ms(4000)');
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Chromium's sandbox needs user namespaces, which CI's root containers lack.
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await running?.catch(() => {});
  await Promise.all(connections.map((c) => c.end()));
  await server?.close();
});

/** A page at 1200 px that records every console message (CSP violations land there). */
async function openPage(): Promise<{ page: Page; messages: string[] }> {
  const page = await browser.newPage();
  const messages: string[] = [];
  page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => messages.push(`pageerror: ${String(e)}`));
  await page.setViewport({ width: 1200, height: 900 });
  return { page, messages };
}

// Run in the page: as strings, since the tests are typed without the DOM's globals.
const visibleText = async (page: Page): Promise<string> =>
  String(await page.evaluate('document.body.innerText'));

suite('HTTP status page in headless chromium', () => {
  it('asks for credentials and refuses wrong ones', async () => {
    // Challenged by the 401 with nothing to answer, Chromium gives the page up.
    const bare = await openPage();
    await expect(bare.page.goto(url)).rejects.toThrow(/ERR_INVALID_AUTH_CREDENTIALS/);
    await bare.page.close();
    // With a wrong password it shows the refusal, and nothing of the report.
    const wrong = await openPage();
    await wrong.page.authenticate({ username: 'root', password: 'wrong' });
    expect((await wrong.page.goto(url))!.status()).toBe(401);
    expect((await visibleText(wrong.page)).trim()).toBe('authentication required');
    await wrong.page.close();
  });

  it('shows the procedures with their counts and latency percentiles, and the clients', async () => {
    const { page, messages } = await openPage();
    await page.authenticate(VIEWER);
    const response = await page.goto(url);
    expect(response!.status()).toBe(200);
    const text = await visibleText(page);
    expect(text).toMatch(/^nestjs-mysql-rpc\s+listening/);

    const headers = await page.$$eval('#procedures th', (ths) =>
      ths.map((th) => th.textContent!.trim()),
    );
    expect(headers.slice(0, 13)).toEqual([
      'procedure',
      'calls',
      'ok',
      'failed',
      'timed out',
      'killed',
      'calls/s',
      'mean ms',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'last call (UTC)',
    ]);
    const rows = await page.$$eval('#procedures tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())),
    );
    const byName = new Map(rows.map((r) => [r[0], r]));
    expect(byName.get('myadd')!.slice(1, 6)).toEqual(['40', '40', '0', '0', '0']);
    expect(byName.get('echo')!.slice(1, 3)).toEqual(['12', '12']);
    expect(byName.get('mysql_error')!.slice(1, 4)).toEqual(['3', '0', '3']);
    // The five sleeps ended; the sixth is still running.
    expect(byName.get('sleep_ms')!.slice(1, 3)).toEqual(['6', '5']);
    for (const row of rows)
      for (const cell of row.slice(7, 12)) expect(cell).toMatch(/^\d[\d.,]*$/);
    // The percentiles read in order, up to the largest duration (no timing is asserted).
    const [mean, p50, p95, p99, max] = byName.get('sleep_ms')!.slice(7, 12).map(Number);
    expect([mean, p50, p95, p99].every((v) => v! > 0 && v! <= max!)).toBe(true);
    expect(p50! <= p95! && p95! <= p99!).toBe(true);
    expect(text).toMatch(/Not called yet \(\d+\): /);

    expect(text).toMatch(/Online clients \(3\)/i);
    expect(text).toContain('call sleep_ms(4000)');
    expect(text).toContain('testuser@%');
    // No CSP refusal, no script error: the page's own style sheet is allowed, and nothing else is asked.
    expect(messages.filter((m) => !/favicon/.test(m))).toEqual([]);
    const background = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(background).toBe('rgb(246, 247, 249)');

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.close();
  });

  it('reloads itself with the numbers of the moment', async () => {
    const { page } = await openPage();
    await page.authenticate(VIEWER);
    await page.goto(url);
    const calls = () =>
      page.$$eval(
        '#procedures tbody tr',
        (trs) =>
          trs.find((tr) => tr.querySelector('td')!.textContent === 'myadd')!.children[1]!
            .textContent,
      );
    expect(await calls()).toBe('40');
    await connections[0]!.query('call myadd(1, 1)');
    await page.waitForNavigation({ timeout: 8000 });
    expect(await calls()).toBe('41');
    await page.close();
  });

  it('serves the same numbers as JSON and as Prometheus metrics', async () => {
    const headers = { authorization: basic('root', 'viewpass') };
    const report = (await (await fetch(url + 'status.json', { headers })).json()) as StatusReport;
    const myadd = report.procedures.find((p) => p.name === 'myadd')!;
    expect(myadd.calls).toBe(41);
    const metrics = await (await fetch(url + 'metrics', { headers })).text();
    expect(metrics).toContain('mysql_rpc_call_duration_seconds_count{procedure="myadd"} 41');
    expect(metrics).toContain(
      'mysql_rpc_call_duration_seconds_bucket{procedure="myadd",le="+Inf"} 41',
    );
    expect(metrics).toContain(
      'mysql_rpc_procedure_calls_total{procedure="mysql_error",outcome="failed"} 3',
    );
    expect(metrics).toMatch(/^process_cpu_user_seconds_total \d/m);
  });

  it("lets the server's admin accounts in with their own password, and no other account", async () => {
    const status = async (user: string, password: string) =>
      (await fetch(url + 'status.json', { headers: { authorization: basic(user, password) } }))
        .status;
    expect(await status('root', 'rootpass')).toBe(200);
    expect(await status('root', 'viewpass')).toBe(200);
    expect(await status('root', 'wrong')).toBe(401);
    // A good login, but not an admin's.
    expect(await status('testuser', 'testpass')).toBe(401);
  });
});
