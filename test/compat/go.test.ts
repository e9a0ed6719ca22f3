import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GO, GOPATH, haveClients } from './clients.js';
import {
  ERR_DENIED,
  ERR_FAILING,
  ERR_UNKNOWN,
  ERR_WRONG_PASSWORD,
  describeFullPathLogins,
  describeProgram,
  runChecks,
  withoutSqlState,
} from './harness/checks.js';
import {
  NATIVE,
  TEXT,
  callChecks,
  decoded,
  firstArgRows,
  loginChecks,
  sum,
  variant,
  type ValueStyle,
} from './harness/expected.js';

/**
 * go-sql-driver/mysql 1.5.0 (Debian's source, GOPATH mode, built offline
 * once per run into a temporary folder) through database/sql's pool:
 * test/compat/go/client.go. The driver's MySQLError has no SQLSTATE. The
 * text protocol gives every value as bytes (strings here), the binary one
 * int64 and float64.
 */
const SOURCE = join(__dirname, 'go', 'client.go');

const INSTALLED = haveClients('go');

/** The program, built once for this file (both describes run it) into a temporary folder. */
let built: Promise<string> | undefined;
const dir = mkdtempSync(join(tmpdir(), 'compat-go-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function binary(): Promise<string> {
  built ??= (async () => {
    const file = join(dir, 'client');
    await promisify(execFile)(GO, ['build', '-o', file, SOURCE], {
      cwd: dir,
      env: {
        ...process.env,
        GO111MODULE: 'off',
        GOPATH,
        GOFLAGS: '',
        GOCACHE: join(dir, 'cache'),
        CGO_ENABLED: '0',
      },
      timeout: 180_000,
    });
    return file;
  })();
  return built;
}

const run = async (env: NodeJS.ProcessEnv) => runChecks(await binary(), [], env);

/** time.Time at midnight and at 03:04:05, as the driver formats it in both modes. */
const DATETIMES = [
  decoded.text(10, '2026-01-02 00:00:00'),
  decoded.text(11, '2026-01-02 03:04:05'),
];

const errors = {
  error_unknown: withoutSqlState(ERR_UNKNOWN),
  error_denied: withoutSqlState(ERR_DENIED),
  error_failing: withoutSqlState(ERR_FAILING),
};

/** Eight concurrent `CALL myadd(i, 1000)` on the pool: each caller gets its own sum. */
const pool = (style: ValueStyle) => Array.from({ length: 8 }, (_, i) => style.int(1000 + i));

describeProgram('Go: go-sql-driver/mysql', INSTALLED, run, {
  // Every statement prepared: LONGLONG, DOUBLE, and STRING for strings, []byte and time.Time.
  ...variant('prepared', {
    ...callChecks(NATIVE, [...firstArgRows(), decoded.bytesAsText(9), ...DATETIMES]),
    ...errors,
    pool: pool(NATIVE),
  }),
  // interpolateParams=true: []byte as _binary'..', time.Time as 'YYYY-MM-DD HH:MM:SS'.
  ...variant('interpolate', {
    ...loginChecks(TEXT, withoutSqlState(ERR_WRONG_PASSWORD)),
    ...callChecks(TEXT, [...firstArgRows(), decoded.buffer(9), ...DATETIMES]),
    ...errors,
    pool: pool(TEXT),
  }),
});

describeFullPathLogins('Go: go-sql-driver/mysql', INSTALLED, ['go'], run, {
  'interpolate.login_full_path': sum(TEXT, 3),
});
