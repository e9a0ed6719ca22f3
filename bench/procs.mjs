// Child processes and what /proc says about them. Every child the bench
// starts goes through spawnTracked(), so one place can kill them all when the
// run ends, fails, or is interrupted.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

const children = new Set();
const exitHooks = [];

/** spawn(), remembered until the child exits. */
export function spawnTracked(command, args, options) {
  const child = spawn(command, args, options);
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.once('error', () => children.delete(child));
  return child;
}

/** Registers a synchronous clean-up step (e.g. removing a data directory). */
export function onExit(hook) {
  exitHooks.push(hook);
}

/** Kills every live child with SIGKILL and runs the clean-up steps; synchronous. */
export function killAll() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  children.clear();
  for (const hook of exitHooks.splice(0)) {
    try {
      hook();
    } catch {
      // best effort: we are exiting anyway
    }
  }
}

/** Makes sure no child outlives us, whatever way we exit. */
export function installExitHandlers() {
  process.on('exit', killAll);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ]) {
    process.on(signal, () => {
      console.error(`\nbench: ${signal}, stopping every child process`);
      process.exit(code); // the 'exit' handler kills them
    });
  }
  process.on('uncaughtException', (error) => {
    console.error('bench: failed:', error);
    process.exit(1);
  });
  process.on('unhandledRejection', (error) => {
    console.error('bench: failed:', error);
    process.exit(1);
  });
}

/** A port nothing listens on right now (the kernel picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Resolves with the first stdout line matching `pattern`; rejects when the
 * child exits first or `timeoutMs` passes. Later lines go to our stderr with
 * a prefix, so a server's warnings stay visible without mixing with results.
 */
export function waitForLine(child, pattern, timeoutMs, prefix) {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let found = false;
    const timer = setTimeout(
      () => fail(new Error(`no ${pattern} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const fail = (error) => {
      clearTimeout(timer);
      if (!found) reject(error);
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text) => {
      buffered += text;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const match = found ? null : pattern.exec(line);
        if (match) {
          found = true;
          clearTimeout(timer);
          resolve(match);
        } else if (line.trim()) {
          process.stderr.write(`[${prefix}] ${line}\n`);
        }
      }
    });
    child.once('exit', (code, signal) =>
      fail(new Error(`exited (${signal ?? code}) before ready`)),
    );
    child.once('error', fail);
  });
}

/** Resolves when the child has exited (at once if it already has). */
export function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

// Kernel clock ticks per second, the unit of utime/stime in /proc/<pid>/stat.
let clockTicks;
function clkTck() {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** CPU time (user + system, all threads) the process has used, in microseconds. */
export function cpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after it are plain.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]); // field 14 of the whole line
  const stime = Number(fields[12]); // field 15
  return ((utime + stime) * 1e6) / clkTck();
}

/**
 * Resets the process's peak RSS to its current RSS (Linux `clear_refs` 5), so
 * the peak read after a measurement belongs to that measurement alone.
 * Returns false where the kernel does not allow it (then peaks accumulate).
 */
export function resetPeakRss(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Peak resident set size (VmHWM) in KiB. */
export function peakRssKiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) : NaN;
}

/** Current resident set size (VmRSS) in KiB. */
export function rssKiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) : NaN;
}

/**
 * Clock ticks of CPU the whole machine has spent busy so far, and those spent
 * by this process and its reaped children (every child the bench starts is
 * reaped before the report). Their difference over a run is the CPU other
 * work on the machine took: on a shared 2-core machine the main source of
 * noise, so the report states it.
 */
export function cpuAccounting() {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .map(Number);
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return {
    machineBusy: user + nice + system + irq + softirq + steal,
    steal,
    ours: fields[11] + fields[12] + fields[13] + fields[14], // utime stime cutime cstime
    at: process.hrtime.bigint(),
  };
}

/** Share of the machine (0..1 of all cores) busy outside the bench between two accountings. */
export function otherLoad(before, after, cores) {
  const seconds = Number(after.at - before.at) / 1e9;
  const capacity = seconds * clkTck() * cores;
  const other = after.machineBusy - before.machineBusy - (after.ours - before.ours);
  return { other: Math.max(0, other) / capacity, steal: (after.steal - before.steal) / capacity };
}
