import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { nativePasswordHash } from '../../../lib/protocol/auth/native-password.js';
import { parseSha2Verifier, verifySha2Password } from '../../../lib/protocol/auth/sha256-crypt.js';

// The CLI is compiled as `scripts/build.mjs` compiles lib/ (the same
// tsconfig.build.json and tsconfig.esm.json, the same package.json type
// markers), but only main.ts and what it imports, into a directory of its
// own: rebuilding dist/ here would delete it under the other suites that
// run from it at the same time, and fail on any unrelated type error.
const ROOT = resolve(__dirname, '../../..');
const FORMATS = { cjs: 'tsconfig.build.json', esm: 'tsconfig.esm.json' } as const;
type Format = keyof typeof FORMATS;

let out: string;
const mainJs = (format: Format): string => join(out, format, 'cli', 'main.js');

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'mysql-rpc-cli-'));
  for (const [format, base] of Object.entries(FORMATS)) {
    const config = join(out, `tsconfig.${format}.json`);
    writeFileSync(
      config,
      JSON.stringify({
        extends: join(ROOT, base),
        compilerOptions: {
          rootDir: join(ROOT, 'lib'),
          outDir: join(out, format),
          typeRoots: [join(ROOT, 'node_modules/@types')],
          declaration: false,
          declarationMap: false,
          sourceMap: false,
        },
        include: [],
        files: [join(ROOT, 'lib/cli/main.ts')],
      }),
    );
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', config]);
    const type = format === 'cjs' ? 'commonjs' : 'module';
    writeFileSync(join(out, format, 'package.json'), JSON.stringify({ type }) + '\n');
  }
}, 120_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

function run(format: Format, args: string[], input: string | Buffer = '') {
  const r = spawnSync(process.execPath, [mainJs(format), ...args], { input, timeout: 20_000 });
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

const native = (password: string): string =>
  '*' + nativePasswordHash(password).toString('hex').toUpperCase();

/** Both lines of the plain output, checked against the password they must verify. */
function expectVerifiers(stdout: string, password: string): void {
  const m =
    /^mysql_native_password {2}(\*[0-9A-F]{40})\r?\ncaching_sha2_password {2}(\$A\$005\$[./0-9A-Za-z]{63})\r?\n$/.exec(
      stdout,
    );
  expect(m).not.toBeNull();
  expect(m![1]).toBe(native(password));
  const v = parseSha2Verifier(m![2]!);
  expect(verifySha2Password(v, Buffer.from(password, 'utf8'))).toBe(true);
  expect(verifySha2Password(v, Buffer.from(password + 'x', 'utf8'))).toBe(false);
}

describe.each(['cjs', 'esm'] as const)('nestjs-mysql-rpc hash-password (%s build)', (format) => {
  it('is a node script', () => {
    expect(readFileSync(mainJs(format), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('hashes a piped password into both verifiers, dropping one trailing newline', () => {
    const r = run(format, ['hash-password'], 'correct horse battery staple\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expectVerifiers(r.stdout, 'correct horse battery staple');
  });

  it('prints the option names and values as one JSON object with --json', () => {
    const r = run(format, ['hash-password', '--json'], 'pässwörd 🔑\r\n');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json).sort()).toEqual(['cachingSha2PasswordHash', 'nativePasswordHash']);
    expect(json.nativePasswordHash).toBe(native('pässwörd 🔑'));
    const v = parseSha2Verifier(json.cachingSha2PasswordHash);
    expect(verifySha2Password(v, Buffer.from('pässwörd 🔑', 'utf8'))).toBe(true);
  });
});

describe('nestjs-mysql-rpc hash-password', () => {
  it("gives MySQL's PASSWORD('password') for the native verifier", () => {
    const r = run('cjs', ['hash-password'], 'password');
    expect(r.stdout.split('\n')[0]).toBe(
      'mysql_native_password  *2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19',
    );
  });

  it('drops only one newline: the rest is part of the password', () => {
    expectVerifiers(run('cjs', ['hash-password'], 'secret\n\n').stdout, 'secret\n');
    expectVerifiers(run('cjs', ['hash-password'], 'secret\r\r\n').stdout, 'secret\r');
    expectVerifiers(run('cjs', ['hash-password'], ' secret ').stdout, ' secret ');
  });

  it('never takes the password from the command line', () => {
    for (const args of [
      ['hunter2'],
      ['--json', 'hunter2'],
      ['--password=hunter2'],
      ['-p', 'hunter2'],
    ]) {
      const r = run('cjs', ['hash-password', ...args], 'ignored\n');
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('never read from the command line');
      expect(r.stderr).not.toContain('hunter2');
    }
  });

  it('refuses an empty, over-long, NUL-bearing or non-UTF-8 password', () => {
    const cases: [string | Buffer, RegExp][] = [
      ['', /empty password/],
      ['\n', /empty password/],
      ['x'.repeat(257), /longer than 256 bytes/],
      ['x'.repeat(5000) + '\n', /longer than 256 bytes/],
      ['sec\0ret', /NUL/],
      [Buffer.from([0x73, 0xff, 0x0a]), /not valid UTF-8/],
    ];
    for (const [input, message] of cases) {
      const r = run('cjs', ['hash-password'], input);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    }
    expectVerifiers(run('cjs', ['hash-password'], 'x'.repeat(256) + '\n').stdout, 'x'.repeat(256));
  });

  it('prints usage for --help, no command, or an unknown one (not quoted back)', () => {
    const help = run('cjs', ['hash-password', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: nestjs-mysql-rpc hash-password \[--json\]/);
    const top = run('esm', ['--help']);
    expect(top.status).toBe(0);
    expect(top.stdout).toMatch(/^Usage: nestjs-mysql-rpc <command>/);
    const none = run('cjs', []);
    expect(none.status).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^Usage: nestjs-mysql-rpc <command>/);
    const unknown = run('cjs', ['hunter2']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command');
    expect(unknown.stderr).not.toContain('hunter2');
  });
});

// The prompt, on a real pseudo-terminal: Python's pty module forks the CLI
// with a pty as its stdin/stdout/stderr, waits for each prompt, types keys.
const PYTHON = '/usr/bin/python3';
const DRIVER = `
import json, os, pty, select, sys, time
steps = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
out = b''
def read_some(timeout):
    global out
    if not select.select([fd], [], [], timeout)[0]:
        return True
    try:
        data = os.read(fd, 4096)
    except OSError:
        return False
    out += data
    return bool(data)
pos = 0
for expect, chunks in steps:
    deadline = time.time() + 10
    while out.find(expect.encode(), pos) < 0 and time.time() < deadline and read_some(0.2):
        pass
    pos = out.find(expect.encode(), pos) + len(expect)
    for chunk in chunks:
        os.write(fd, chunk.encode())
        time.sleep(0.1)
deadline = time.time() + 10
while time.time() < deadline and read_some(0.2):
    pass
status = os.waitpid(pid, 0)[1]
print(json.dumps({'status': os.waitstatus_to_exitcode(status), 'output': out.decode('utf-8', 'replace')}))
`;

const withPty = existsSync(PYTHON) ? describe : describe.skip;

withPty('nestjs-mysql-rpc hash-password at a terminal', () => {
  function typeAt(steps: [string, string[]][], args: string[] = []) {
    const r = spawnSync(
      PYTHON,
      [
        '-c',
        DRIVER,
        JSON.stringify(steps),
        process.execPath,
        mainJs('cjs'),
        'hash-password',
        ...args,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as { status: number; output: string };
  }

  it('asks twice without echoing, handling Backspace', () => {
    const r = typeAt([
      ['Password: ', ['s3cr3tX\x7f!\r']],
      ['Again: ', ['s3cr3t!\r']],
    ]);
    expect(r.status).toBe(0);
    expect(r.output).not.toContain('s3cr3t');
    const plain = r.output.slice(r.output.indexOf('mysql_native_password'));
    expectVerifiers(plain, 's3cr3t!');
  });

  it('ignores arrow keys, clears the line on Ctrl-U, keeps what is typed ahead', () => {
    const r = typeAt([['Password: ', ['ab', '\x1b[D', 'c\x15pässwörd\rpässwörd\r']]], ['--json']);
    expect(r.status).toBe(0);
    expect(r.output).not.toContain('pässwörd');
    const json = JSON.parse(r.output.slice(r.output.indexOf('{')));
    expect(json.nativePasswordHash).toBe(native('pässwörd'));
  });

  it('refuses two different passwords', () => {
    const r = typeAt([
      ['Password: ', ['secret\r']],
      ['Again: ', ['Secret\r']],
    ]);
    expect(r.status).toBe(1);
    expect(r.output).toContain('the two passwords do not match');
    expect(r.output).not.toContain('ecret');
  });

  it('exits 130 on Ctrl-C, printing nothing', () => {
    const r = typeAt([['Password: ', ['abc\x03']]]);
    expect(r.status).toBe(130);
    expect(r.output).not.toContain('abc');
    expect(r.output).not.toContain('mysql_native_password');
  });
});
