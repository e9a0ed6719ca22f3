import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

/** The repository's root (this file is test/compat/harness/sample-server.ts). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * The compiled sample app (`node scripts/build.mjs --sample`, which `npm run
 * test:compat` runs first). COMPAT_SAMPLE_MAIN points at another build of
 * it, e.g. one made from a clean checkout while the working tree is being
 * edited.
 */
export const SAMPLE_MAIN = process.env.COMPAT_SAMPLE_MAIN ?? join(REPO_ROOT, 'dist/sample/main.js');

/** A running sample server, as a child process. */
export interface SampleServer {
  host: string;
  port: number;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  close(): Promise<void>;
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((ok) => probe.close(() => ok()));
  return port;
}

/**
 * Starts `node dist/sample/main.js` on a free port of 127.0.0.1, in UTC (so
 * the DATETIME columns it writes read the same everywhere), and resolves
 * once it says it is listening. One per test file: a few hundred ms.
 */
export async function startSample(): Promise<SampleServer> {
  if (!existsSync(SAMPLE_MAIN)) {
    throw new Error(`${SAMPLE_MAIN} is missing: run node scripts/build.mjs --sample`);
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(await freePort());
    } catch (error) {
      lastError = error; // most likely the port was taken in between: try another
    }
  }
  throw lastError;
}

function startOnce(port: number): Promise<SampleServer> {
  const host = '127.0.0.1';
  const child: ChildProcess = spawn(process.execPath, [SAMPLE_MAIN], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: host,
      STATUS_PORT: '0',
      TZ: 'UTC',
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  return new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rejectStart(new Error(`the sample did not start within 20 s:\n${output}`));
    }, 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`listening on ${host}:${port}`)) {
        clearTimeout(timer);
        resolveStart({
          host,
          port,
          output: () => output,
          async close() {
            if (child.exitCode === null && child.signalCode === null) {
              child.kill('SIGTERM');
              const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
              await exited;
              clearTimeout(killer);
            }
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      rejectStart(new Error(`the sample exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
}
