import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The clients outside Node these tests run, as Debian installs them
 * (scripts/install-compat-clients.sh, which .ci/run calls): the MariaDB
 * 10.11 command-line tools (libmariadb3, whose caching_sha2_password.so
 * does the RSA exchange itself), PyMySQL (which aborts on any sequence-id
 * gap) with `cryptography` for its RSA path, mysqlclient (MySQLdb, on
 * libmariadb3: COM_CHANGE_USER from C), PHP (mysqli and PDO on mysqlnd),
 * Perl DBD::MariaDB, Ruby mysql2, Go with go-sql-driver/mysql (built
 * offline in GOPATH mode), MariaDB Connector/J and HAProxy.
 *
 * On a machine without one, the tests needing it are skipped with a
 * notice; under CI a missing client is a failure, not a skip.
 */
export const PYTHON = '/usr/bin/python3';
export const MYSQL = '/usr/bin/mysql';
export const MYSQLADMIN = '/usr/bin/mysqladmin';
export const MARIADB_SLAP = '/usr/bin/mariadb-slap';
export const PHP = '/usr/bin/php';
export const PERL = '/usr/bin/perl';
export const RUBY = '/usr/bin/ruby';
export const GO = '/usr/bin/go';
export const JAVA = '/usr/bin/java';
export const JAVAC = '/usr/bin/javac';
export const HAPROXY = '/usr/sbin/haproxy';
/** Debian's MariaDB Connector/J (libmariadb-java). */
export const CONNECTOR_J = '/usr/share/java/mariadb-java-client.jar';
/** Debian's GOPATH with go-sql-driver/mysql's source (golang-github-go-sql-driver-mysql-dev). */
export const GOPATH = '/usr/share/gocode';

/** The Python helper every Python test runs (one connection per run, JSON in and out). */
export const PY_CLIENT = join(__dirname, 'py', 'client.py');

/** True when `file args` runs and exits 0. */
const runs = (file: string, args: string[]): boolean => {
  if (!existsSync(file)) return false;
  try {
    execFileSync(file, args, { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
};

const pythonImports = (module: string): boolean => runs(PYTHON, ['-c', `import ${module}`]);

/** What CI installs for each client, for the error message. */
const PACKAGES = {
  mysql: 'mariadb-client',
  mysqladmin: 'mariadb-client',
  'mariadb-slap': 'mariadb-client',
  pymysql: 'python3-pymysql',
  cryptography: 'python3-cryptography',
  MySQLdb: 'python3-mysqldb',
  php: 'php-cli php-mysql',
  'DBD::MariaDB': 'libdbd-mariadb-perl',
  'ruby-mysql2': 'ruby-mysql2',
  go: 'golang-go golang-github-go-sql-driver-mysql-dev',
  'connector-j': 'default-jdk-headless libmariadb-java',
  haproxy: 'haproxy',
} as const;

export type ClientName = keyof typeof PACKAGES;

const found: Record<ClientName, () => boolean> = {
  mysql: () => existsSync(MYSQL),
  mysqladmin: () => existsSync(MYSQLADMIN),
  'mariadb-slap': () => existsSync(MARIADB_SLAP),
  pymysql: () => pythonImports('pymysql'),
  cryptography: () => pythonImports('cryptography'),
  MySQLdb: () => pythonImports('MySQLdb'),
  php: () =>
    runs(PHP, ['-r', 'exit(extension_loaded("mysqli") && extension_loaded("pdo_mysql") ? 0 : 1);']),
  'DBD::MariaDB': () => runs(PERL, ['-MDBD::MariaDB', '-MJSON::PP', '-e', '1']),
  'ruby-mysql2': () => runs(RUBY, ['-rmysql2', '-rjson', '-e', '1']),
  go: () =>
    existsSync(GO) && existsSync(join(GOPATH, 'src/github.com/go-sql-driver/mysql/driver.go')),
  'connector-j': () => existsSync(JAVA) && existsSync(JAVAC) && existsSync(CONNECTOR_J),
  haproxy: () => existsSync(HAPROXY),
};

/**
 * True when every named client is installed. Under CI a missing one
 * throws (the suite fails); elsewhere it warns once and returns false, so
 * the caller can skip.
 */
export function haveClients(...names: ClientName[]): boolean {
  const missing = names.filter((name) => !found[name]());
  if (missing.length === 0) return true;
  const packages = [...new Set(missing.map((name) => PACKAGES[name]))].join(' ');
  if (process.env.CI) {
    throw new Error(`CI must install ${packages} (missing: ${missing.join(', ')}; see .ci/run)`);
  }
  console.warn(`${missing.join(', ')} not installed (apt-get install ${packages}): skipping`);
  return false;
}

/** How a finished process ended: never thrown, so tests can assert on failures. */
export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end and returns its exit code and output. */
export function runProcess(file: string, args: readonly string[]): Promise<ProcessResult> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Login flags of the MariaDB tools: a password of null sends none (no -p). */
export function loginArgs(port: number, user: string, password: string | null): string[] {
  return [
    '-h127.0.0.1',
    `-P${port}`,
    `-u${user}`,
    ...(password === null ? [] : [`--password=${password}`]),
  ];
}

/** `mysql -e sql` as `user`; `extra` flags (`--skip-ssl`, `--batch`, ...) go before `-e`. */
export function mysqlCli(
  port: number,
  user: string,
  password: string | null,
  sql: string,
  ...extra: string[]
): Promise<ProcessResult> {
  return runProcess(MYSQL, [...loginArgs(port, user, password), ...extra, '-e', sql]);
}

/** One connection of the Python helper: what to connect with and what to run. */
export interface PyClientSpec {
  driver: 'pymysql' | 'MySQLdb';
  port: number;
  user: string;
  password: string;
  /** TLS without certificate checks (the server's certificate is self-signed). */
  tls?: boolean;
  /** TLS checked against this CA file (PEM). */
  ca?: string;
  /** PyMySQL's server_public_key: the server's RSA public key (PEM), so it need not ask for it. */
  serverPublicKey?: string;
  /** MySQLdb: an option file and group for libmariadb (e.g. `server-public-key=...`). */
  defaultsFile?: string;
  defaultsGroup?: string;
  database?: string;
  /** Run in order on the connection: queries, select_db, ping, change_user. */
  actions?: PyAction[];
}

export type PyAction =
  ['query', string] | ['select_db', string] | ['ping'] | ['change_user', string, string, string?];

/** What one action gave: every result set's rows, or the error, or ok. */
export type PyStep = { sets: unknown[][][] } | { error: [number | string, string] } | { ok: true };

/** What the Python helper printed. */
export interface PyClientResult {
  /** The connection failed: [errno, message], or [exception type, message] for non-MySQL errors. */
  connectError?: [number | string, string];
  /** TLS protocol of the connection (e.g. `TLSv1.3`), or null on a plain connection. */
  tls?: string | null;
  steps?: PyStep[];
}

/** Runs one connection of the Python helper and parses its report. */
export async function pyClient(spec: PyClientSpec): Promise<PyClientResult> {
  const result = await runProcess(PYTHON, [PY_CLIENT, JSON.stringify(spec)]);
  if (result.code !== 0) {
    throw new Error(`python helper failed (${result.code}):\n${result.stderr}${result.stdout}`);
  }
  return JSON.parse(result.stdout) as PyClientResult;
}
