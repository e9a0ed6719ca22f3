import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MysqlStatusHttp, type StatusHttpLogger } from '../../../lib/status/http/status-http.js';
import type { MysqlStatusHttpOptions } from '../../../lib/status/http/status-http-options.js';
import { fixedProvider, report } from './status-fixture.js';

const VIEWER = 'Basic ' + Buffer.from('root:viewpass').toString('base64');
const quiet: StatusHttpLogger = { warn: () => {}, error: () => {} };

/** Endpoints started on a free port; stopped after each test. */
const started: MysqlStatusHttp[] = [];
async function start(options: Partial<MysqlStatusHttpOptions> = {}, logger = quiet) {
  const http = new MysqlStatusHttp(
    fixedProvider(),
    { port: 0, viewers: { root: 'viewpass' }, ...options },
    logger,
  );
  started.push(http);
  const url = await http.listen();
  return { http, url: url! };
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((h) => h.close()));
});

const get = (url: string, init: RequestInit = {}) =>
  fetch(url, { ...init, headers: { authorization: VIEWER, ...init.headers } });

describe('MysqlStatusHttp: routes', () => {
  it('serves the page, the JSON report and the metrics, each with its content type', async () => {
    const { url } = await start();
    const page = await get(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<h2>Procedures (3)</h2>');

    const json = await get(url + 'status.json');
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await json.json()).toEqual(report());

    const metrics = await get(url + 'metrics');
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await metrics.text()).toContain('mysql_rpc_calls_total{outcome="ok"} 1200');
  });

  it('sends no-store and nosniff everywhere, and a strict CSP with the page', async () => {
    const { url } = await start();
    for (const path of ['', 'status.json', 'metrics', 'nope']) {
      const res = await get(url + path);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const page = await get(url);
    expect(page.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/,
    );
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('answers 404 to other paths, 405 to other methods, and HEAD without a body', async () => {
    const { url } = await start();
    expect((await get(url + 'status')).status).toBe(404);
    expect((await get(url + 'metrics/')).status).toBe(404);
    expect((await fetch(url + 'favicon.ico')).status).toBe(404);
    const post = await get(url + 'status.json', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await get(url + 'status.json', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(100);
    expect(await head.text()).toBe('');
  });

  it('reads the path without its query string', async () => {
    const { url } = await start();
    expect((await get(url + 'status.json?pretty=1')).status).toBe(200);
    expect((await get(url + '?x=1')).status).toBe(200);
  });

  it('answers 500 and logs when the report fails', async () => {
    const errors: unknown[] = [];
    const provider = fixedProvider();
    const http = new MysqlStatusHttp(
      {
        ...provider,
        report: () => {
          throw new Error('boom');
        },
      },
      { port: 0, viewers: { root: 'viewpass' } },
      { ...quiet, error: (e) => void errors.push(e) },
    );
    started.push(http);
    const url = (await http.listen())!;
    const res = await get(url + 'status.json');
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('internal error\n');
    expect(errors).toEqual([new Error('boom')]);
  });
});

describe('MysqlStatusHttp: mounted under a prefix', () => {
  /**
   * What Express (and Nest's app.use on it) does for `app.use('/mysql-status', handler)`:
   * req.url relative to the mount, originalUrl as asked, next() for what the handler leaves.
   */
  async function mount(
    handler: MysqlStatusHttp['handler'],
  ): Promise<{ server: Server; base: string }> {
    const server = createServer((req, res) => {
      const url = req.url ?? '/';
      const notFound = () => {
        res.statusCode = 404;
        res.end('app 404');
      };
      const match = /^\/mysql-status(?=[/?]|$)/.exec(url);
      if (!match) return notFound();
      Object.assign(req, { originalUrl: url });
      const rest = url.slice(match[0].length);
      req.url = rest.startsWith('/') ? rest : '/' + rest;
      handler(req, res, notFound);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { server, base: `http://127.0.0.1:${port}` };
  }

  it('serves its routes relative to the mount point and leaves the rest to the app', async () => {
    const http = new MysqlStatusHttp(fixedProvider(), { viewers: { root: 'viewpass' } }, quiet);
    expect(await http.listen()).toBeNull();
    const { server, base } = await mount(http.handler);
    try {
      expect((await get(base + '/mysql-status/status.json')).status).toBe(200);
      expect((await get(base + '/mysql-status/metrics')).status).toBe(200);
      const page = await get(base + '/mysql-status/');
      expect(await page.text()).toContain('<a href="status.json">');
      const other = await get(base + '/mysql-status/other');
      expect([other.status, await other.text()]).toEqual([404, 'app 404']);
    } finally {
      server.close();
    }
  });

  it('redirects the page without its final slash, so its relative links stay under the mount', async () => {
    const http = new MysqlStatusHttp(fixedProvider(), { viewers: { root: 'viewpass' } }, quiet);
    const { server, base } = await mount(http.handler);
    try {
      const res = await fetch(base + '/mysql-status?a=1', { redirect: 'manual' });
      expect(res.status).toBe(308);
      expect(res.headers.get('location')).toBe('/mysql-status/?a=1');
      const followed = await get(base + '/mysql-status');
      expect(followed.status).toBe(200);
      expect(followed.url).toBe(base + '/mysql-status/');
    } finally {
      server.close();
    }
  });
});

describe('MysqlStatusHttp: standalone listener', () => {
  it('binds 127.0.0.1 unless told otherwise', async () => {
    const { url, http } = await start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(http.url()).toBe(url);
  });

  it('warns when it binds beyond the loopback', async () => {
    const warnings: string[] = [];
    await start({ host: '0.0.0.0' }, { ...quiet, warn: (m) => void warnings.push(m) });
    expect(warnings).toEqual([expect.stringContaining('in clear')]);
  });

  it('closes with keep-alive connections open, and can close twice', async () => {
    const { http, url } = await start();
    await get(url + 'status.json');
    await http.close();
    await http.close();
    expect(http.url()).toBeNull();
    await expect(fetch(url)).rejects.toThrow();
  });

  it('rejects listen() when the port is taken', async () => {
    const { url } = await start();
    const port = Number(new URL(url).port);
    const second = new MysqlStatusHttp(fixedProvider(), { port, viewers: { a: 'b' } }, quiet);
    await expect(second.listen()).rejects.toThrow(/EADDRINUSE/);
    expect(second.url()).toBeNull();
  });

  it('refuses options it cannot serve safely', () => {
    const make = (options: MysqlStatusHttpOptions) => () =>
      new MysqlStatusHttp(fixedProvider(), options, quiet);
    expect(make({ port: 0 })).toThrow(/needs viewers, accounts: true or a token/);
    expect(make({ port: 70000, token: 't' })).toThrow(/port/);
    expect(make({ token: 't', refreshSeconds: -1 })).toThrow(/refreshSeconds/);
  });
});
