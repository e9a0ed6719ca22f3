import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StatusProvider } from '../status-provider.js';
import { STATUS_REALM, StatusAuth } from './auth.js';
import { StatusMetrics } from './metrics.js';
import type { MysqlStatusHttpOptions } from './status-http-options.js';
import { renderStatusPage } from './status-page.js';
import { STATUS_PAGE_CSP } from './status-page-style.js';

/** Where the endpoints log: Nest's `Logger` fits. */
export interface StatusHttpLogger {
  warn(message: string): void;
  error(message: unknown, ...rest: unknown[]): void;
}

/** A request handler for Node's http server, Express, or Nest's `app.use()`. */
export type StatusHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

type Route = 'page' | 'json' | 'metrics';

const ROUTES: ReadonlyMap<string, Route> = new Map([
  ['/', 'page'],
  ['', 'page'],
  ['/status.json', 'json'],
  ['/metrics', 'metrics'],
]);

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_REFRESH_SECONDS = 5;
/** Time a client has to send its request: the endpoints read nothing but headers. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Headers every answer carries: nothing here may be cached or sniffed into another type. */
const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': STATUS_PAGE_CSP,
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

const normalizeHost = (address: string | undefined): string =>
  !address ? 'unknown' : address.startsWith('::ffff:') ? address.slice(7) : address;

const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || host.startsWith('127.');

/**
 * The HTTP status endpoints of one server: `/` (the page), `/status.json`
 * and `/metrics` (Prometheus), behind Basic or token authentication.
 * `handler` serves them wherever it is mounted; `listen()` also serves
 * them on a port of their own.
 */
export class MysqlStatusHttp {
  private readonly auth: StatusAuth;
  private readonly metrics: StatusMetrics;
  private readonly refreshSeconds: number;
  private server: Server | null = null;

  constructor(
    private readonly provider: StatusProvider,
    private readonly options: MysqlStatusHttpOptions,
    private readonly logger: StatusHttpLogger,
  ) {
    this.auth = new StatusAuth(options, provider);
    this.metrics = new StatusMetrics(provider);
    const refresh = options.refreshSeconds ?? DEFAULT_REFRESH_SECONDS;
    if (!Number.isInteger(refresh) || refresh < 0) {
      throw new Error('statusHttp refreshSeconds must be an integer >= 0');
    }
    this.refreshSeconds = refresh;
    const port = options.port;
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
      throw new Error('statusHttp port must be an integer from 0 to 65535');
    }
  }

  /** The server's `mysql_rpc_*` metrics registry, to merge into an app's own. */
  get registry(): StatusMetrics['registry'] {
    return this.metrics.registry;
  }

  /**
   * Serves one request. Paths are read relative to where the handler is
   * mounted (Express strips the mount path from `req.url`); a path it
   * does not serve goes to `next` when there is one, else gets a 404.
   */
  readonly handler: StatusHandler = (req, res, next) => {
    this.serve(req, res, next).catch((error: unknown) => {
      this.logger.error(error);
      if (!res.headersSent) this.send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy();
    });
  };

  /**
   * Starts the standalone listener when a port is configured, and resolves
   * to its URL (`http://127.0.0.1:8308/`); null without a port.
   */
  async listen(): Promise<string | null> {
    const { port } = this.options;
    if (port === undefined || this.server) return this.url();
    const host = this.options.host ?? DEFAULT_HOST;
    const server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS }, this.handler);
    server.headersTimeout = REQUEST_TIMEOUT_MS;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => this.logger.error(error));
    this.server = server;
    const url = this.url()!;
    if (!isLoopback(host)) {
      this.logger.warn(
        `status HTTP on ${host}: passwords and tokens cross the network in clear; put TLS in front of it`,
      );
    }
    return url;
  }

  /** The standalone listener's URL, or null when it is not listening. */
  url(): string | null {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) return null;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}/`;
  }

  /** Stops the standalone listener, dropping its keep-alive connections. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async serve(
    req: IncomingMessage,
    res: ServerResponse,
    next?: (error?: unknown) => void,
  ): Promise<void> {
    const url = req.url ?? '/';
    const query = url.search(/[?#]/);
    const path = query < 0 ? url : url.slice(0, query);
    const route = ROUTES.get(path);
    if (!route) {
      if (next) return next();
      return this.send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return this.send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    }
    if (route === 'page' && this.redirectToSlash(req, res)) return;
    const allowed = await this.auth.check({
      headers: req.headers,
      host: normalizeHost(req.socket.remoteAddress),
    });
    if (!allowed) {
      const challenges: string[] = [];
      if (this.auth.basic) challenges.push(`Basic realm="${STATUS_REALM}", charset="UTF-8"`);
      if (this.auth.bearer) challenges.push(`Bearer realm="${STATUS_REALM}"`);
      res.setHeader('WWW-Authenticate', challenges);
      return this.send(res, 401, 'text/plain; charset=utf-8', 'authentication required\n');
    }
    switch (route) {
      case 'page':
        return this.send(
          res,
          200,
          'text/html; charset=utf-8',
          renderStatusPage(this.provider.report(), { refreshSeconds: this.refreshSeconds }),
          PAGE_HEADERS,
        );
      case 'json':
        return this.send(
          res,
          200,
          'application/json; charset=utf-8',
          JSON.stringify(this.provider.report(), null, 2) + '\n',
        );
      case 'metrics':
        return this.send(res, 200, this.metrics.contentType, await this.metrics.text());
    }
  }

  /**
   * The page links to `status.json` and `metrics` relatively; mounted at
   * `/mysql-status` and asked for without the final slash, those would
   * resolve beside the mount point instead of under it. Express keeps the
   * path as asked in `originalUrl`.
   */
  private redirectToSlash(req: IncomingMessage, res: ServerResponse): boolean {
    const original = (req as IncomingMessage & { originalUrl?: unknown }).originalUrl;
    if (typeof original !== 'string') return false;
    const query = original.search(/[?#]/);
    const path = query < 0 ? original : original.slice(0, query);
    // Only a plain local path: `//host` or `/\host` would send the browser elsewhere.
    const local = path.startsWith('/') && !path.startsWith('//') && !path.includes('\\');
    if (!local || path.endsWith('/')) return false;
    res.setHeader('Location', path + '/' + (query < 0 ? '' : original.slice(query)));
    this.send(res, 308, 'text/plain; charset=utf-8', 'moved\n');
    return true;
  }

  private send(
    res: ServerResponse,
    status: number,
    type: string,
    body: string,
    headers: Readonly<Record<string, string>> = {},
  ): void {
    const bytes = Buffer.from(body, 'utf8');
    res.statusCode = status;
    for (const [name, value] of Object.entries({ ...COMMON_HEADERS, ...headers })) {
      res.setHeader(name, value);
    }
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', bytes.length);
    res.end(res.req?.method === 'HEAD' ? undefined : bytes);
  }
}
