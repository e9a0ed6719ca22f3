// The npm drivers as an application uses them: mysql2 (query, and execute:
// the binary protocol), mysql (query) and mariadb (query, and execute).
// Usage: node client.mjs [host port user password]  (or COMPAT_* variables;
// see ../harness/checks.ts). Prints one JSON object: "<variant>.<check>" ->
// result or { error: { code, sqlState, message } }.
//
// Values: Buffers are { hex }, Dates their ISO text (the program runs in
// UTC), integers beyond 2^53 (BigInt or exact number strings) as the
// driver gives them: a BigInt is { bigint }, a string stays a string.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const mysql2 = require('mysql2/promise');
const mysql = require('mysql');
const mariadb = require('mariadb');

const [host, port, user, password] = [
  process.argv[2] ?? process.env.COMPAT_HOST ?? '127.0.0.1',
  Number(process.argv[3] ?? process.env.COMPAT_PORT ?? 3308),
  process.argv[4] ?? process.env.COMPAT_USER ?? 'testuser',
  process.argv[5] ?? process.env.COMPAT_PASSWORD ?? 'testpass',
];
const tlsUser = process.env.COMPAT_TLS_USER ?? 'secure';
/** Only these checks (by name) when set; login_full_path runs only when named here. */
const ONLY = process.env.COMPAT_ONLY ? process.env.COMPAT_ONLY.split(',') : null;
/** login_full_path: accounts `<prefix><driver>` known only by their caching_sha2 verifier. */
const FULL_PATH_PREFIX = process.env.COMPAT_FULL_PATH_PREFIX ?? 'full_';
const FULL_PATH_PASSWORD = process.env.COMPAT_FULL_PATH_PASSWORD ?? 'sha2pass';
const tlsPassword = process.env.COMPAT_TLS_PASSWORD ?? 'securepass';
const LARGE = 'x'.repeat(Number(process.env.COMPAT_LARGE_LENGTH ?? 1572864));
const UNICODE = 'ünï 😀 €𝄞 中文';

/** The argtypes arguments (see ARGS in ../harness/checks.ts), as JS values. */
const ARGS = [
  7,
  -7,
  9007199254740993n,
  1.5,
  '12.50',
  'it\'s "q" \\ x',
  'héllo 😀 中',
  null,
  Buffer.from('00ff275c', 'hex'),
  new Date(Date.UTC(2026, 0, 2)),
  new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
];
const PLACEHOLDERS = ARGS.map(() => '?').join(', ');

function encode(v) {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return { hex: v.toString('hex') };
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
  if (typeof v === 'bigint')
    return Number.isSafeInteger(Number(v)) ? Number(v) : { bigint: String(v) };
  if (Array.isArray(v)) return v.map(encode);
  if (typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
  return v;
}

const isRows = (part) => Array.isArray(part);

/** A reply as result sets of rows (the OK packets dropped), whatever shape the driver used. */
function sets(result) {
  if (!Array.isArray(result)) return []; // an OK alone
  if (result.length === 0 || !isRows(result[0])) return [result.map(encode)]; // one plain result set
  return result.filter(isRows).map((rows) => rows.map(encode));
}

function describeError(e) {
  if (typeof e?.errno === 'number' && e.errno > 0 && e.sqlState) {
    return {
      error: {
        code: e.errno,
        sqlState: e.sqlState,
        // mariadb prefixes "(conn:N, no: E, SQLState: S) " and appends "\nsql: ..." to its messages.
        message: String(e.sqlMessage ?? e.text ?? e.message)
          .replace(/^\(conn:[^)]*\) /, '')
          .replace(/\nsql: [\s\S]*$/, ''),
      },
    };
  }
  return {
    error: {
      code: e?.code ?? e?.constructor?.name ?? 'Error',
      sqlState: null,
      message: String(e?.message ?? e),
    },
  };
}

/** One driver in one mode: how it connects and runs a statement with or without values. */
const tls = { rejectUnauthorized: false };
const VARIANTS = {
  'mysql2.query': {
    family: 'mysql2',
    connect: (o) => mysql2.createConnection({ ...o, supportBigNumbers: true }),
    run: async (c, sql, values) => sets((await c.query(sql, values))[0]),
    close: (c) => c.end(),
  },
  'mysql2.execute': {
    prepared: true,
    connect: (o) => mysql2.createConnection({ ...o, supportBigNumbers: true }),
    run: async (c, sql, values) => sets((await c.execute(sql, values ?? []))[0]),
    close: (c) => c.end(),
  },
  'mysql.query': {
    connect: (o) =>
      new Promise((resolve, reject) => {
        const c = mysql.createConnection({ ...o, supportBigNumbers: true });
        c.connect((e) => (e ? reject(e) : resolve(c)));
      }),
    run: (c, sql, values) =>
      new Promise((resolve, reject) =>
        c.query(sql, values ?? [], (e, result) => (e ? reject(e) : resolve(sets(result)))),
      ),
    close: (c) => new Promise((resolve) => c.end(() => resolve())),
  },
  'mariadb.query': {
    family: 'mariadb',
    // The RSA public key is asked for only when allowed to.
    fullPath: { allowPublicKeyRetrieval: true },
    connect: (o) => mariadb.createConnection(o),
    run: async (c, sql, values) => sets(await c.query(sql, values)),
    close: (c) => c.end(),
  },
  'mariadb.execute': {
    prepared: true,
    connect: (o) => mariadb.createConnection(o),
    run: async (c, sql, values) => sets(await c.execute(sql, values ?? [])),
    close: (c) => c.end(),
  },
};

const login = { host, port, user, password };

/** The checks, each on a fresh connection; `prepared` only in the binary-protocol variants. */
const CHECKS = {
  login: (v, c) => v.run(c, 'CALL whoami()'),
  login_tls: null, // below: its own account and TLS
  login_wrong_password: null,
  // A first login of an account with no cached digest, without TLS: the RSA exchange.
  login_full_path: null,
  myadd: (v, c) => v.run(c, 'CALL myadd(3, 4)'),
  myadd_bound: (v, c) => v.run(c, 'CALL myadd(?, ?)', [3, 4]),
  argtypes: (v, c) => v.run(c, `CALL argtypes(${PLACEHOLDERS})`, ARGS),
  series: (v, c) => v.run(c, 'CALL series(3)'),
  stats: (v, c) => v.run(c, 'CALL stats()'),
  unicode: (v, c) => v.run(c, 'CALL echo(?)', [UNICODE]),
  null: (v, c) => v.run(c, 'CALL echo(NULL)'),
  large: async (v, c) => {
    const [[row]] = await v.run(c, 'CALL echo(?)', [LARGE]);
    return [[{ length: row.v?.length ?? null, same: row.v === LARGE }]];
  },
  out_param: async (v, c) => ({
    call: await v.run(c, 'CALL myadd_out(3, 4, @s)'),
    select: await v.run(c, 'SELECT @s'),
  }),
  out_param_bound: 'prepared',
  error_unknown: (v, c) => v.run(c, 'CALL nosuch()'),
  error_denied: (v, c) => v.run(c, 'CALL secret()'),
  error_failing: (v, c) => v.run(c, "CALL fail('dup')"),
};
// A prepared CALL with a placeholder as OUT argument: the OUT values come as one more result set
// to a client that set CLIENT_PS_MULTI_RESULTS (mariadb), none to one that did not (mysql2).
const PREPARED_ONLY = {
  out_param_bound: (v, c) => v.run(c, 'CALL myadd_out(?, ?, ?)', [3, 4, null]),
};

/** A check's deadline: a reply the server never sends fails that check, not the run. */
const CHECK_TIMEOUT_MS = 10_000;

async function withConnection(variant, options, fn) {
  let timer;
  let c;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => {
      c?.destroy?.();
      reject(
        Object.assign(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`), { code: 'Timeout' }),
      );
    }, CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      (async () => {
        c = await variant.connect(options);
        return fn(c);
      })(),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
    if (c)
      await Promise.race([
        variant.close(c).catch(() => undefined),
        new Promise((r) => setTimeout(r, 1000)),
      ]);
  }
}

/** Past this many seconds the remaining checks are reported as not run (a server that never answers). */
const BUDGET_MS = Number(process.env.COMPAT_BUDGET_SECONDS ?? 90) * 1000;
const started = Date.now();
const NOT_RUN = {
  error: {
    code: 'NotRun',
    sqlState: null,
    message: `not run: the ${BUDGET_MS / 1000} s budget was spent`,
  },
};

const report = {};
for (const [name, variant] of Object.entries(VARIANTS)) {
  for (const [check, body] of Object.entries(CHECKS)) {
    const fn = body === 'prepared' ? (variant.prepared ? PREPARED_ONLY[check] : null) : body;
    // The login is the same in both modes of a driver: checked in its query variant.
    if (variant.prepared && check.startsWith('login')) continue;
    if (ONLY ? !ONLY.includes(check) : check === 'login_full_path') continue;
    if (check === 'login_full_path' && !variant.family) continue; // mysql (npm) has no caching_sha2 full path
    let result;
    if (Date.now() - started > BUDGET_MS) {
      report[`${name}.${check}`] = NOT_RUN;
      continue;
    }
    try {
      if (check === 'login_tls') {
        result = await withConnection(
          variant,
          { ...login, user: tlsUser, password: tlsPassword, ssl: tls },
          (c) => variant.run(c, 'CALL whoami()'),
        );
      } else if (check === 'login_full_path') {
        const account = { user: FULL_PATH_PREFIX + variant.family, password: FULL_PATH_PASSWORD };
        result = await withConnection(variant, { ...login, ...account, ...variant.fullPath }, (c) =>
          variant.run(c, 'CALL myadd(1, 2)'),
        );
      } else if (check === 'login_wrong_password') {
        result = await withConnection(variant, { ...login, password: 'wrong' }, () => 'logged in');
      } else if (fn) {
        result = await withConnection(variant, login, (c) => fn(variant, c));
      } else {
        continue;
      }
    } catch (e) {
      result = describeError(e);
    }
    report[`${name}.${check}`] = result;
  }
}
console.log(JSON.stringify(report));
