// Consumer smoke tests: does the package work once published?
//
// 1. Builds the package (npm run build) and packs it (npm pack), exactly as
//    `npm publish` would, and checks what the tarball holds.
// 2. For each consumer project here (nest11-cjs, nest12-esm), copies it to a
//    fresh directory under os.tmpdir() and installs its own dependencies plus
//    the tarball there, as a user would; the repository is never written to.
// 3. Compiles the consumer with its own tsconfig (which type-checks the
//    shipped .d.ts under that module mode) and runs its jest test on the
//    compiled JavaScript.
// 4. Prints a summary; exits non-zero if any step failed.
//
// Usage: node test/consumers/run.mjs [--serial] [--keep] [consumer ...]
//   --serial  run the consumers one after the other (default: concurrently)
//   --keep    keep the temporary directory for inspection

import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const MINUTE = 60_000;

const args = process.argv.slice(2);
const serial = args.includes('--serial');
const keep = args.includes('--keep');
const wanted = args.filter((a) => !a.startsWith('--'));
const allConsumers = readdirSync(here, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(here, e.name, 'package.json')))
  .map((e) => e.name)
  .sort();
const unknown = wanted.filter((name) => !allConsumers.includes(name));
if (unknown.length > 0) {
  console.error(`unknown consumer(s): ${unknown.join(', ')}; known: ${allConsumers.join(', ')}`);
  process.exit(2);
}
const consumers = wanted.length > 0 ? wanted : allConsumers;

// Children must not inherit the npm_* variables of `npm run test:consumers`
// (npm_config_local_prefix and friends would point them back at the root).
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'INIT_CWD'),
);
const npmCommand = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * Runs a command, streaming its output with every line prefixed by `label`.
 * Resolves to { ok, code, stdout, output, ms }; never rejects.
 */
function run(label, command, commandArgs, { cwd, timeout, quietStdout = false }) {
  const started = Date.now();
  console.log(`[${label}] $ ${[command, ...commandArgs].join(' ')}   (in ${cwd})`);
  return new Promise((done) => {
    const child = spawn(command, commandArgs, {
      cwd,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      shell: process.platform === 'win32',
    });
    let stdout = '';
    let output = '';
    let timedOut = false;
    const pending = { stdout: '', stderr: '' };
    const emit = (stream, text, flush) => {
      pending[stream] += text;
      const lines = pending[stream].split(/\r?\n/);
      pending[stream] = flush ? '' : lines.pop();
      for (const line of lines) {
        if (flush && line === '') continue;
        (stream === 'stderr' ? process.stderr : process.stdout).write(`[${label}] ${line}\n`);
      }
    };
    child.stdout.setEncoding('utf8').on('data', (text) => {
      stdout += text;
      output += text;
      if (!quietStdout) emit('stdout', text, false);
    });
    child.stderr.setEncoding('utf8').on('data', (text) => {
      output += text;
      emit('stderr', text, false);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`[${label}] timed out after ${timeout / 1000}s; killing it`);
      try {
        if (process.platform === 'win32') child.kill('SIGKILL');
        else process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeout);
    const finish = (code, error) => {
      clearTimeout(timer);
      if (!quietStdout) emit('stdout', '', true);
      emit('stderr', '', true);
      if (error) console.error(`[${label}] ${error.message}`);
      const ok = code === 0 && !timedOut && !error;
      done({ ok, code, stdout, output, ms: Date.now() - started });
    };
    child.on('error', (error) => finish(null, error));
    child.on('close', (code) => finish(code));
  });
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;
const width = Math.max(6, ...consumers.map((n) => n.length)) + 2;
/** One summary row: name, verdict, then the rest; `detail` lines are indented under it. */
const row = (name, ok, rest) => `${name.padEnd(width)}${ok ? 'ok  ' : 'FAIL'}  ${rest}`;
const detail = (text) => `${' '.repeat(width)}${text}`;
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Checks the file list of `npm pack --json`: problems fail the run, warnings are printed. */
function checkTarball(packInfo) {
  const files = new Set(packInfo.files.map((f) => f.path.replace(/\\/g, '/')));
  const problems = [];
  const warnings = [];
  const pkg = readJson(join(root, 'package.json'));
  // Every file package.json points at (main, module, types, exports) must ship.
  const targets = new Set(['package.json']);
  for (const field of ['main', 'module', 'types']) if (pkg[field]) targets.add(pkg[field]);
  const walk = (value) => {
    if (typeof value === 'string') targets.add(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(pkg.exports);
  // The folder markers that make Node read dist/cjs as CommonJS and dist/esm as ESM.
  targets.add('dist/cjs/package.json');
  targets.add('dist/esm/package.json');
  targets.add('LICENSE');
  for (const target of targets) {
    const path = target.replace(/^\.\//, '');
    if (!path.includes('*') && !files.has(path)) problems.push(`missing from the tarball: ${path}`);
  }
  for (const [folder, type] of [
    ['dist/cjs', 'commonjs'],
    ['dist/esm', 'module'],
  ]) {
    const marker = join(root, folder, 'package.json');
    const actual = existsSync(marker) ? readJson(marker).type : undefined;
    if (actual !== type)
      problems.push(`${folder}/package.json has type ${actual}, expected ${type}`);
  }
  // Tests, samples and tooling must not ship (lib/ may, on purpose, for the source maps).
  const stray = [...files].filter((f) =>
    /^(src|test|sample|bench|scripts|coverage|node_modules|\.ci)\/|^tsconfig|^jest\.config/.test(f),
  );
  if (stray.length > 0) problems.push(`development files in the tarball: ${stray.join(', ')}`);
  if (!files.has('README.md'))
    warnings.push('no README.md in the tarball: the npm page would be empty');
  // Source maps whose sources are not shipped cannot be followed by a user's debugger or editor.
  const unshipped = new Set();
  for (const f of files) {
    if (!f.endsWith('.map')) continue;
    const map = readJson(join(root, f));
    for (const source of map.sources ?? []) {
      const target = join(dirname(f), map.sourceRoot ?? '', source).replace(/\\/g, '/');
      if (!files.has(target) && !map.sourcesContent) unshipped.add(target);
    }
  }
  if (unshipped.size > 0) {
    const sample = [...unshipped].slice(0, 3).join(', ');
    warnings.push(
      `source maps point at ${unshipped.size} source file(s) not in the tarball (e.g. ${sample})`,
    );
  }
  return { problems, warnings };
}

/** Installed versions of the packages that matter, checked against the declared majors. */
function installedVersions(dir) {
  const pkg = readJson(join(dir, 'package.json'));
  const declared = { ...pkg.dependencies, ...pkg.devDependencies };
  const names = [
    '@nestjs/common',
    '@nestjs/core',
    '@nestjs/microservices',
    'rxjs',
    'typescript',
    'jest',
    'mysql2',
    'nestjs-mysql-rpc',
  ];
  const versions = {};
  const problems = [];
  for (const name of names) {
    const file = join(dir, 'node_modules', name, 'package.json');
    if (!existsSync(file)) {
      problems.push(`${name} is not installed`);
      continue;
    }
    const { version } = readJson(file);
    versions[name] = version;
    const major = /^[~^]?(\d+)\./.exec(declared[name] ?? '')?.[1];
    if (major !== undefined && version.split('.')[0] !== major) {
      problems.push(`${name} ${version} installed, but ${declared[name]} was asked for`);
    }
  }
  return { versions, problems };
}

/** The last "Tests:" line jest printed, e.g. "Tests:       3 passed, 3 total". */
function jestSummary(output) {
  const lines = output.split(/\r?\n/).filter((l) => /^(Test Suites|Tests):/.test(l.trim()));
  return lines.map((l) => l.trim().replace(/\s+/g, ' ')).join('; ');
}

async function testConsumer(name, tarball, workRoot) {
  const result = { name, steps: [], ok: false, jest: '', versions: {}, ms: 0 };
  const started = Date.now();
  const step = async (label, fn) => {
    const outcome = await fn();
    result.steps.push({ label, ok: outcome.ok, ms: outcome.ms ?? 0, detail: outcome.detail });
    return outcome.ok;
  };
  const dir = join(workRoot, name);
  cpSync(join(here, name), dir, {
    recursive: true,
    filter: (src) =>
      !['node_modules', 'dist', 'package-lock.json'].includes(basename(src)) &&
      !src.endsWith('.tgz'),
  });
  const npm = (label, npmArgs, timeout) =>
    run(name, npmCommand, npmArgs, { cwd: dir, timeout }).then((r) => ({
      ...r,
      detail: r.ok ? undefined : `${label} exited with ${r.code ?? 'a timeout/error'}`,
    }));
  try {
    if (
      !(await step('install', () =>
        npm('npm install', ['install', '--no-audit', '--no-fund', tarball], 10 * MINUTE),
      ))
    )
      return result;
    const installed = installedVersions(dir);
    result.versions = installed.versions;
    console.log(
      `[${name}] installed: ${Object.entries(installed.versions)
        .map(([n, v]) => `${n}@${v}`)
        .join(', ')}`,
    );
    const versionsOk = await step('versions', () => ({
      ok: installed.problems.length === 0,
      detail: installed.problems.join('; ') || undefined,
    }));
    if (!versionsOk) return result;
    if (!(await step('tsc', () => npm('npm run build', ['run', 'build'], 5 * MINUTE))))
      return result;
    let testOutput = '';
    const tested = await step('jest', async () => {
      const r = await npm('npm test', ['test'], 5 * MINUTE);
      testOutput = r.output;
      return r;
    });
    result.jest = jestSummary(testOutput);
    result.ok = tested;
    return result;
  } catch (error) {
    result.steps.push({
      label: 'internal',
      ok: false,
      ms: 0,
      detail: String(error?.stack ?? error),
    });
    return result;
  } finally {
    result.ms = Date.now() - started;
  }
}

async function main() {
  const started = Date.now();
  const workRoot = mkdtempSync(join(tmpdir(), 'nestjs-mysql-rpc-consumers-'));
  let failed = false;
  const report = [];
  try {
    const build = await run('build', npmCommand, ['run', 'build'], {
      cwd: root,
      timeout: 5 * MINUTE,
    });
    report.push(row('build', build.ok, seconds(build.ms)));
    if (!build.ok) {
      failed = true;
      return;
    }
    const pack = await run('pack', npmCommand, ['pack', '--json', '--pack-destination', workRoot], {
      cwd: root,
      timeout: 2 * MINUTE,
      quietStdout: true,
    });
    let packInfo;
    try {
      packInfo = JSON.parse(pack.stdout)[0];
    } catch {
      packInfo = undefined;
    }
    if (!pack.ok || !packInfo) {
      report.push(row('pack', false, seconds(pack.ms)));
      failed = true;
      return;
    }
    const tarball = join(workRoot, packInfo.filename.replace(/^@/, '').replace(/\//g, '-'));
    const check = checkTarball(packInfo);
    console.log(
      `[pack] ${basename(tarball)}: ${packInfo.entryCount} files, ${(packInfo.size / 1024).toFixed(1)} kB packed, ${(packInfo.unpackedSize / 1024).toFixed(1)} kB unpacked`,
    );
    for (const warning of check.warnings) console.log(`[pack] warning: ${warning}`);
    for (const problem of check.problems) console.error(`[pack] problem: ${problem}`);
    const packNote = `${basename(tarball)}, ${packInfo.entryCount} files`;
    const warned = check.warnings.length ? `, ${check.warnings.length} warning(s)` : '';
    report.push(
      row('pack', check.problems.length === 0, `${seconds(pack.ms)}  ${packNote}${warned}`),
    );
    if (check.problems.length > 0) failed = true;

    const results = [];
    if (serial) {
      for (const name of consumers) results.push(await testConsumer(name, tarball, workRoot));
    } else {
      results.push(
        ...(await Promise.all(consumers.map((n) => testConsumer(n, tarball, workRoot)))),
      );
    }
    for (const r of results) {
      if (!r.ok) failed = true;
      const steps = r.steps
        .map((s) => `${s.label} ${s.ok ? 'ok' : 'FAIL'}${s.ms ? ` ${seconds(s.ms)}` : ''}`)
        .join(', ');
      report.push(row(r.name, r.ok, `${seconds(r.ms)}  [${steps}]`));
      const v = r.versions;
      if (v['@nestjs/core']) {
        report.push(
          detail(
            `@nestjs/core ${v['@nestjs/core']}, @nestjs/microservices ${v['@nestjs/microservices']}, ` +
              `typescript ${v.typescript}, jest ${v.jest}, mysql2 ${v.mysql2}`,
          ),
        );
      }
      if (r.jest) report.push(detail(`jest: ${r.jest}`));
      for (const s of r.steps)
        if (!s.ok && s.detail) report.push(detail(`${s.label}: ${s.detail}`));
    }
  } finally {
    if (keep) console.log(`\nkept ${workRoot}`);
    else rmSync(workRoot, { recursive: true, force: true });
    console.log('\n== consumer smoke tests ==');
    for (const line of report) console.log(line);
    console.log(`${failed ? 'FAILED' : 'all passed'} in ${seconds(Date.now() - started)}`);
    if (failed && !keep) console.log('(rerun with --keep to inspect the installed consumers)');
    process.exitCode = failed ? 1 : 0;
  }
}

await main();
