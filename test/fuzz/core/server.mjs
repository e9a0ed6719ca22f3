/**
 * The server under test: the sample app as a child process on a free port,
 * started through core/server-entry.mjs (the sample's module, accounts and
 * roles from dist/, the harness's extra accounts, the throttle as asked).
 * Knows whether it is still alive, its RSS, and its last log lines.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';

const ENTRY = fileURLToPath(new URL('./server-entry.mjs', import.meta.url));
import { setTimeout as delay } from 'node:timers/promises';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const c = connect({ port, host: '127.0.0.1' });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

export class ServerProcess {
  /** `throttle`: 'off' or LoginThrottleOptions for the server's loginThrottle. */
  constructor(root, { throttle = 'off' } = {}) {
    this.root = root;
    this.throttle = throttle;
    this.child = null;
    this.exit = null;
    this.log = [];
    this.starts = 0;
    this.errorLines = 0;
    /** Distinct ERROR log lines (numbers folded), with counts. */
    this.errorKinds = new Map();
  }

  async start() {
    for (const f of ['dist/sample/app.module.js', 'dist/sample/accounts.js', 'dist/lib/index.js']) {
      const path = join(this.root, f);
      if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build:sample`);
    }
    this.port = await freePort();
    this.exit = null;
    this.starts++;
    const child = spawn(process.execPath, [ENTRY], {
      cwd: this.root,
      env: {
        ...process.env,
        FUZZ_ROOT: this.root,
        FUZZ_THROTTLE: this.throttle === 'off' ? 'off' : JSON.stringify(this.throttle),
        PORT: String(this.port),
        HOST: '127.0.0.1',
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    this.asks = 0;
    const keep = (d) => {
      for (const line of d.toString('utf8').split('\n')) {
        if (!line) continue;
        if (/\bERROR\b/.test(line)) {
          this.errorLines++;
          const key = line
            .replace(/^.*?ERROR\s*/, '')
            .replace(/\d+/g, 'N')
            .slice(0, 160);
          if (this.errorKinds.size < 30)
            this.errorKinds.set(key, (this.errorKinds.get(key) ?? 0) + 1);
          else if (this.errorKinds.has(key)) this.errorKinds.set(key, this.errorKinds.get(key) + 1);
        }
        this.log.push(line);
      }
      if (this.log.length > 400) this.log.splice(0, this.log.length - 200);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('exit', (code, signal) => {
      this.exit = { code, signal };
    });
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline) {
      if (this.exit) throw new Error(`server exited at start: ${this.tail(20)}`);
      if (await canConnect(this.port)) return this.port;
      await delay(50);
    }
    throw new Error('server did not start listening within 20 s');
  }

  get alive() {
    return this.child !== null && this.exit === null;
  }

  get pid() {
    return this.child?.pid;
  }

  /** Resident set size in bytes from /proc, or null when unreadable. */
  rss() {
    if (!this.alive) return null;
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
      return m ? Number(m[1]) * 1024 : null;
    } catch {
      return null;
    }
  }

  tail(n = 30) {
    return this.log.slice(-n).join('\n');
  }

  /**
   * The server's prepared-statement budget over IPC: { count, limit }
   * (statements open across all connections, max_prepared_stmt_count), or
   * null when the server does not answer within `ms`.
   */
  preparedStatements(ms = 2000) {
    const child = this.child;
    if (!this.alive || !child.connected) return Promise.resolve(null);
    const id = ++this.asks;
    return new Promise((resolve) => {
      const done = (v) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(v);
      };
      const onMessage = (m) => m?.type === 'prepared-done' && m.id === id && done(m.prepared);
      const timer = setTimeout(() => done(null), ms);
      child.on('message', onMessage);
      try {
        child.send({ type: 'prepared', id }, (e) => e && done(null));
      } catch {
        done(null);
      }
    });
  }

  /** Waits briefly for an exit that may be under way (after a reset or a silence). */
  async settle(ms = 150) {
    const deadline = Date.now() + ms;
    while (this.alive && Date.now() < deadline) await delay(10);
    return this.alive;
  }

  /** Stops the child this harness started (by its pid), hard if it does not go. */
  async stop() {
    const child = this.child;
    if (!child || this.exit) return;
    child.kill('SIGTERM');
    const deadline = Date.now() + 3000;
    while (!this.exit && Date.now() < deadline) await delay(20);
    if (!this.exit) child.kill('SIGKILL');
    while (!this.exit) await delay(20);
  }

  async restart() {
    await this.stop();
    return this.start();
  }
}
