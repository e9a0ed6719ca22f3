import { execFile } from 'node:child_process';
import {
  PASSWORDS,
  authWorkOf,
  compatAccounts,
  sha2OnlyAccount,
  type AuthWork,
} from '../accounts.js';
import { startTestServer, type TestServer } from '../../support/test-app.js';
import { startSample, type SampleServer } from './sample-server.js';

/**
 * The client programs under test/compat/<lang>/ all work the same way:
 * they take the server's host, port, user and password from argv (or
 * COMPAT_HOST, COMPAT_PORT, COMPAT_USER, COMPAT_PASSWORD), run a list of
 * named checks, each on a fresh connection so one failure cannot spoil the
 * next, and print one JSON object on their last line:
 *
 *     { "<variant>.<check>": <result> | { "error": { code, sqlState, message } } }
 *
 * A query's result is the list of its result sets, each a list of rows,
 * each row an object (column name -> value). Values are written in JSON
 * as the driver handed them over, with three encodings where JSON has no
 * exact form: an integer beyond ±(2^53 - 1) is `{ "bigint": "digits" }`,
 * bytes the driver marks as binary (or that are not UTF-8, in languages
 * whose strings are bytes) are `{ "hex": "..." }`, and a date or time
 * object is its text (each program says how it formats it).
 *
 * A check that fails with something other than a MySQL error (a driver
 * exception, a lost connection) reports the exception's class or kind as
 * `code`, so the failure names itself.
 *
 * A server that never answers must not cost the whole report: every
 * program reads with a 10 s timeout (that check fails), and past a budget
 * of 90 s (COMPAT_BUDGET_SECONDS) reports its remaining checks as
 * `NotRun`; runChecks kills it at 150 s.
 */
export type Report = Record<string, unknown>;

/** What a failed check reports. */
export interface CheckError {
  error: { code: number | string; sqlState: string | null; message: string };
}

/** The TLS-only account of the sample (sample/accounts.ts), for the login_tls checks. */
export const TLS_ACCOUNT = { user: 'secure', password: 'securepass' } as const;

/** The account every check logs in with unless it says otherwise. */
export const ACCOUNT = { user: 'testuser', password: 'testpass' } as const;

/** The size of the large argument every client echoes (1.5 MiB, ASCII). */
export const LARGE_LENGTH = 1_572_864;

/** Environment every client program gets: where the server is and how to log in. */
export function clientEnv(
  server: { host?: string; port: number },
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TZ: 'UTC',
    COMPAT_HOST: server.host ?? '127.0.0.1',
    COMPAT_PORT: String(server.port),
    COMPAT_USER: ACCOUNT.user,
    COMPAT_PASSWORD: ACCOUNT.password,
    COMPAT_TLS_USER: TLS_ACCOUNT.user,
    COMPAT_TLS_PASSWORD: TLS_ACCOUNT.password,
    COMPAT_LARGE_LENGTH: String(LARGE_LENGTH),
    ...extra,
  };
}

/**
 * Runs a client program and returns its report. A program that exits
 * non-zero or prints no JSON object throws with everything it printed.
 */
export function runChecks(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 150_000,
): Promise<Report> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const last = stdout.trimEnd().split('\n').pop() ?? '';
        if (!error && last.startsWith('{')) {
          try {
            resolve(JSON.parse(last) as Report);
            return;
          } catch {
            // fall through to the report below
          }
        }
        reject(
          new Error(
            `${file} ${args.join(' ')} failed (${error?.message ?? 'no JSON report'}):\n` +
              `--- stdout\n${stdout.slice(-4000)}\n--- stderr\n${stderr.slice(-4000)}`,
          ),
        );
      },
    );
  });
}

/** The ERR a check must report. */
export const err = (code: number, sqlState: string | null, message: string): CheckError => ({
  error: { code, sqlState, message },
});

/** The three procedure errors every client checks, with MySQL's codes and texts. */
export const ERR_UNKNOWN = err(1305, '42000', 'PROCEDURE rpc.nosuch does not exist');
export const ERR_DENIED = err(
  1370,
  '42000',
  "execute command denied to user 'testuser'@'%' for routine 'rpc.secret'",
);
export const ERR_FAILING = err(1062, '23000', "Duplicate entry 'x' for key 'PRIMARY'");
export const ERR_WRONG_PASSWORD = err(
  1045,
  '28000',
  "Access denied for user 'testuser'@'127.0.0.1' (using password: YES)",
);

/**
 * The arguments of the `argtypes` checks, in order, as every program binds
 * them: int, negative, bigint beyond 2^53, double, decimal as a string, a
 * string with quotes and a backslash, unicode with a 4-byte character,
 * NULL, binary bytes (NUL, 0xff, a quote, a backslash), a date, a
 * datetime. Languages with a decimal type bind one more: 12.50 as that type.
 */
export const ARGS = {
  int: 7,
  negative: -7,
  bigint: '9007199254740993',
  double: 1.5,
  decimal: '12.50',
  string: 'it\'s "q" \\ x',
  unicode: 'héllo 😀 中',
  binaryHex: '00ff275c',
  date: '2026-01-02',
  datetime: '2026-01-02 03:04:05',
} as const;

/** The unicode text of the unicode checks (a 4-byte character among others). */
export const UNICODE = 'ünï 😀 €𝄞 中文';

/** One row of `argtypes`: how the server decoded the argument at that position. */
export const argRow = (position: number, jsType: string, value: string | null) => ({
  position,
  js_type: jsType,
  value,
});

/** `binaryHex` as a string the server decoded as UTF-8: NUL, U+FFFD, quote, backslash. */
export const BINARY_AS_TEXT = "\u0000\ufffd'\\";

/** Asserts one check of a report, naming it in the failure. */
export function expectCheck(report: Report, name: string, expected: unknown): void {
  expect({ [name]: report[name] }).toEqual({ [name]: expected });
}

/**
 * Declares one jest test per expected check (so each failing check is its
 * own failure, named), plus one that the program ran exactly these checks.
 */
export function defineChecks(report: () => Report, expected: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(expected)) {
    it(name, () => expectCheck(report(), name, value));
  }
  it('ran exactly these checks', () => {
    expect(Object.keys(report()).sort()).toEqual(Object.keys(expected).sort());
  });
}

/**
 * One client program against its own sample server: skipped with a notice
 * when the client is not installed (a failure under CI, see haveClients),
 * otherwise the sample is started, the program run once (given the
 * environment clientEnv makes), and each check of `expected` asserted as
 * its own test.
 */
export function describeProgram(
  title: string,
  installed: boolean,
  run: (env: NodeJS.ProcessEnv) => Promise<Report>,
  expected: Record<string, unknown>,
): void {
  (installed ? describe : describe.skip)(title, () => {
    let server: SampleServer | undefined;
    let report: Report = {};
    beforeAll(async () => {
      server = await startSample();
      report = await run(clientEnv(server));
    }, 240_000);
    afterAll(() => server?.close());
    defineChecks(() => report, expected);
  });
}

/**
 * The program's login_full_path checks: the first login of accounts known
 * only by their caching_sha2_password verifier (`full_<family>`, as
 * sha2OnlyAccount makes them), without TLS, so the server has no cached
 * digest and the client must take the full path through the RSA exchange.
 * The sample has no such account (each of its accounts has a password, so
 * a cached digest from the start): these run against the test app, with
 * COMPAT_ONLY=login_full_path, and the server's counters must show one
 * full-path check and one RSA decryption per login.
 */
export function describeFullPathLogins(
  title: string,
  installed: boolean,
  families: string[],
  run: (env: NodeJS.ProcessEnv) => Promise<Report>,
  expected: Record<string, unknown>,
): void {
  (installed ? describe : describe.skip)(`${title}: caching_sha2 full path (RSA)`, () => {
    let server: TestServer | undefined;
    let report: Report = {};
    let work: AuthWork | undefined;
    beforeAll(async () => {
      server = await startTestServer({
        users: compatAccounts(...families.map((family) => sha2OnlyAccount(`full_${family}`))),
      });
      work = await authWorkOf(server, async () => {
        report = await run(
          clientEnv(server!, {
            COMPAT_ONLY: 'login_full_path',
            COMPAT_FULL_PATH_PREFIX: 'full_',
            COMPAT_FULL_PATH_PASSWORD: PASSWORDS.sha2,
          }),
        );
      });
    }, 240_000);
    afterAll(() => server?.close());
    defineChecks(() => report, expected);
    it('each took the full path through RSA (no cached digest, no TLS)', () => {
      const logins = Object.keys(expected).length;
      expect(work).toEqual({
        nativeChecks: 0,
        fastChecks: expect.any(Number),
        fullChecks: logins,
        rsaDecrypts: logins,
      });
    });
  });
}

/** The same ERR as a driver that keeps no SQLSTATE reports it. */
export const withoutSqlState = (e: CheckError): CheckError => ({
  error: { ...e.error, sqlState: null },
});
