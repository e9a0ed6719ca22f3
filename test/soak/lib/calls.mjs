// The calls the soak makes, each with an answer that identifies it, so a
// reply given to the wrong call (on the same connection or another one) is
// caught: myadd's sum is unique per call, series/numbers have a random row
// count checked with the first and last rows, touch a random affectedRows,
// whoami the account and transport of the connection. A call the account
// may not make (grants, roles, @MysqlAdmin, the TLS-only guard; decided
// from the sample's accounts, not by the server) must get ERR 1370 naming
// that account and routine.
import { createRequire } from 'node:module';
import { fileURLToPath, URL } from 'node:url';
import { mayCall } from '../../fuzz/kinds/grants.mjs';
import { SOAK_ACCOUNTS } from './server-entry.mjs';
import { queryPacket } from './wire.mjs';

/**
 * The server's accounts by user name, as the checks need them: password,
 * host, plugins, grants, roles and their grants, admin, requireSsl.
 */
export function soakAccounts(
  sampleMain = process.env.SOAK_SERVER_MAIN ||
    fileURLToPath(new URL('../../../dist/sample/main.js', import.meta.url)),
) {
  const require = createRequire(sampleMain);
  const { SAMPLE_ACCOUNTS, SAMPLE_ROLES } = require('./accounts.js');
  const table = new Map();
  for (const a of [...SAMPLE_ACCOUNTS, ...SOAK_ACCOUNTS]) {
    table.set(a.user, {
      user: a.user,
      password: a.password,
      host: a.host ?? '%',
      hashOnly: a.hashOnly === true,
      native: !a.hashOnly && a.plugin !== 'caching_sha2_password',
      grants: a.grants ?? [],
      roles: a.roles ?? [],
      roleGrants: (a.roles ?? []).flatMap((r) => SAMPLE_ROLES[r] ?? []),
      admin: a.admin === true,
      requireSsl: a.requireSsl === true,
    });
  }
  return table;
}

export const DUP_MESSAGE = "Duplicate entry 'x' for key 'PRIMARY'";
const SERIES_COLUMNS = ['id', 'square', 'half', 'label', 'even', 'at'];
const NUMBERS_COLUMNS = ['id', 'label', 'value', 'at'];
const SERIES_EPOCH = Date.UTC(2026, 0, 1);
const NUMBERS_EPOCH = Date.UTC(2026, 0, 1);

/** Seeded PRNG (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  next.pick = (weights) => {
    let total = 0;
    for (const w of Object.values(weights)) total += w;
    let r = next() * total;
    for (const [k, w] of Object.entries(weights)) if ((r -= w) < 0) return k;
    return Object.keys(weights)[0];
  };
  return next;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');
/** DATETIME(3) text as the server writes it (its default `timezone: 'local'`; same machine, same TZ). */
export function datetime3(ms) {
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

export const seriesRow = (i) => [
  String(i),
  String(i * i),
  String(i / 2),
  `row ${i}`,
  i % 2 === 0 ? '1' : '0',
  datetime3(SERIES_EPOCH + (i - 1) * 1000),
];
export const numbersRow = (i) => [
  String(i),
  `row ${i}`,
  String(i / 8),
  datetime3(NUMBERS_EPOCH + i * 1000),
];

let nextCallId = 1;

/** Row-count mixes: mostly small replies, some medium, rare large. */
const SIZES = {
  small: (r) => r.int(1, 60),
  medium: (r) => r.int(200, 3000),
  large: (r) => r.int(20000, 100000),
};

/** Weights of the procedures in the ordinary mix (per mille). */
export const MIX = {
  myadd: 500,
  'series:small': 150,
  'series:medium': 12,
  'series:large': 0.5,
  'numbers:small': 100,
  'numbers:medium': 8,
  'numbers:large': 0.5,
  stats: 50,
  touch: 100,
  dup: 79,
};

/** The mix of a session that changes accounts: every procedure, so that some are denied. */
export const ACCOUNT_MIX = {
  myadd: 300,
  'series:small': 100,
  'numbers:small': 60,
  stats: 40,
  touch: 60,
  dup: 40,
  whoami: 150,
  secret: 40,
  report: 40,
  tls_info: 40,
};

/**
 * A random call: { proc, sql, packet, checkRaw(parser), checkMysql2(err, result) }.
 * The checks return null when the answer is right, else what is wrong.
 * `options.account` (from soakAccounts) and `options.secure`: who calls, and
 * over TLS or not; a call that account may not make expects ERR 1370.
 */
export function makeCall(r, options = {}) {
  const call = pickCall(r, options);
  const account = options.account;
  if (!account) return call;
  const proc = call.proc === 'fail' ? 'fail' : call.proc;
  if (mayCall(account, proc, options.secure === true)) return call;
  return denied(call, account);
}

/** The same statement, expected to be refused with ERR 1370 naming the account and routine. */
function denied(call, account) {
  const routine = `rpc.${call.proc}`;
  // The account's host pattern (MySQL's priv_host), or the client's address.
  const texts = [account.host, '127.0.0.1'].map(
    (h) => `execute command denied to user '${account.user}'@'${h}' for routine '${routine}'`,
  );
  const why = (code, state, message) =>
    code === 1370 && state === '42000' && texts.includes(message)
      ? null
      : `expected ERR 1370 for ${account.user} on ${routine}, got ${code ?? 'no error'} ${show(message)}`;
  return {
    ...call,
    proc: `${call.proc} (denied)`,
    denied: true,
    checkRaw: (p) => {
      if (p.seqError) return `sequence: ${p.seqError}`;
      if (p.malformed) return `malformed: ${p.malformed}`;
      if (!p.err) return `expected ERR 1370, got ${p.resultSets.length} result sets / OK`;
      return why(p.err.code, p.err.sqlState, p.err.message);
    },
    checkMysql2: (err) =>
      err ? why(err.errno, err.sqlState, err.sqlMessage) : 'expected ERR 1370, got an answer',
  };
}

function pickCall(r, options) {
  const weights = { ...MIX, ...options.weights };
  if (options.noNumbers)
    for (const k of Object.keys(weights)) if (k.startsWith('numbers')) delete weights[k];
  let choice = options.force ?? r.pick(weights);
  if (options.noNumbers && choice.startsWith('numbers'))
    choice = choice.replace('numbers', 'series');
  const [proc, size] = choice.split(':');
  switch (proc) {
    case 'myadd': {
      const id = nextCallId++;
      const a = id * 4096 + r.int(0, 2047);
      const b = r.int(0, 2047);
      return build('myadd', `CALL myadd(${a}, ${b})`, { sum: a + b });
    }
    case 'series':
    case 'numbers': {
      const max = proc === 'series' ? 100000 : 200000;
      const n =
        options.n ??
        Math.min(max, SIZES[size ?? 'small'](r) * (proc === 'numbers' && size === 'large' ? 2 : 1));
      return build(proc, `CALL ${proc}(${n})`, { n });
    }
    case 'stats':
      return build('stats', 'CALL stats()', {});
    case 'touch': {
      const n = r.int(1, 2 ** 31 - 1);
      return build('touch', `CALL touch(${n})`, { n });
    }
    case 'dup':
      return build('fail', "CALL fail('dup')", {});
    case 'whoami':
      return build('whoami', 'CALL whoami()', { account: options.account, secure: options.secure });
    case 'secret':
      return build('secret', 'CALL secret()', {});
    case 'report':
      return build('report_daily', 'CALL report_daily()', {});
    case 'tls_info':
      return build('tls_info', 'CALL tls_info()', { account: options.account });
    default:
      throw new Error(`unknown call ${choice}`);
  }
}

function build(proc, sql, expect) {
  return {
    proc,
    sql,
    expect,
    packet: queryPacket(sql),
    large: (expect.n ?? 0) >= 20000,
    checkRaw: (p) => checkRaw(proc, expect, p),
    checkMysql2: (err, result) => checkMysql2(proc, expect, err, result),
  };
}

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const show = (v) =>
  JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x))?.slice(0, 160);

/** Final OK after result sets: status without MORE_RESULTS_EXISTS. */
function finalOk(p, affectedRows = 0) {
  if (!p.ok) return 'no final OK';
  if (p.ok.affectedRows !== affectedRows)
    return `affectedRows ${p.ok.affectedRows}, expected ${affectedRows}`;
  return null;
}

function checkRows(set, columns, n, rowOf, label) {
  if (!same(set.columns, columns)) return `${label}: columns ${show(set.columns)}`;
  if (set.rows !== n) return `${label}: ${set.rows} rows, expected ${n}`;
  if (!set.countsUp) return `${label}: column id does not count 1..${n}`;
  if (!same(set.first, rowOf(1)))
    return `${label}: first row ${show(set.first)}, expected ${show(rowOf(1))}`;
  if (!same(set.last, rowOf(n)))
    return `${label}: last row ${show(set.last)}, expected ${show(rowOf(n))}`;
  return null;
}

function checkRaw(proc, expect, p) {
  if (p.seqError) return `sequence: ${p.seqError}`;
  if (p.malformed) return `malformed: ${p.malformed}`;
  const sets = p.resultSets;
  if (proc === 'fail') {
    if (!p.err) return `expected ERR 1062, got ${sets.length} result sets / OK`;
    const { code, sqlState, message } = p.err;
    if (code !== 1062 || sqlState !== '23000' || message !== DUP_MESSAGE)
      return `ERR ${code} ${sqlState} ${show(message)}, expected 1062 23000`;
    return null;
  }
  if (p.err)
    return `ERR ${p.err.code} ${p.err.sqlState} ${show(p.err.message)}${p.err.midResultSet ? ' (mid result set)' : ''}`;
  switch (proc) {
    case 'myadd':
      if (sets.length !== 1) return `${sets.length} result sets`;
      if (!same(sets[0].columns, ['sum']) || sets[0].rows !== 1)
        return `shape ${show(sets[0].columns)} x ${sets[0].rows}`;
      if (sets[0].first[0] !== String(expect.sum))
        return `sum ${sets[0].first[0]}, expected ${expect.sum}`;
      return finalOk(p);
    case 'series':
    case 'numbers': {
      if (sets.length !== 1) return `${sets.length} result sets`;
      const why =
        proc === 'series'
          ? checkRows(sets[0], SERIES_COLUMNS, expect.n, seriesRow, 'series')
          : checkRows(sets[0], NUMBERS_COLUMNS, expect.n, numbersRow, 'numbers');
      return why ?? finalOk(p);
    }
    case 'stats': {
      if (sets.length !== 2) return `${sets.length} result sets, expected 2`;
      const [a, b] = sets;
      if (!same(a.columns, ['metric', 'value']) || a.rows !== 1 || a.first[0] !== 'uptime_s')
        return `stats set 1: ${show(a.columns)} ${show(a.first)}`;
      if (!same(b.columns, ['heap_used', 'rss']) || b.rows !== 1 || !(Number(b.first[1]) > 0))
        return `stats set 2: ${show(b.columns)} ${show(b.first)}`;
      return finalOk(p);
    }
    case 'touch':
      if (sets.length !== 0) return `${sets.length} result sets, expected a plain OK`;
      return finalOk(p, expect.n);
    case 'whoami':
    case 'secret':
    case 'report_daily':
    case 'tls_info': {
      if (sets.length !== 1) return `${sets.length} result sets`;
      const row = Object.fromEntries(sets[0].columns.map((c, i) => [c, sets[0].first?.[i]]));
      return checkRow(proc, expect, row, sets[0].rows) ?? finalOk(p);
    }
    default:
      return `unknown proc ${proc}`;
  }
}

/** The first row of whoami(), secret(), report_daily(), tls_info() (cells as text). */
function checkRow(proc, expect, row, rows) {
  switch (proc) {
    case 'whoami': {
      const a = expect.account;
      if (!a) return null;
      if (row.user !== a.user || row.account !== `${a.user}@${a.host}`)
        return `whoami says ${show(row.user)} / ${show(row.account)}, the connection is ${a.user}@${a.host}`;
      if (String(row.tls) !== (expect.secure ? '1' : '0'))
        return `whoami says tls ${show(row.tls)}, the connection is ${expect.secure ? '' : 'not '}TLS`;
      return null;
    }
    case 'secret':
      return row.secret === 'the answer is 42' ? null : `secret() gave ${show(row)}`;
    case 'report_daily':
      return rows === 2 && row.day === '2026-01-01' && String(row.calls) === '120'
        ? null
        : `report_daily() gave ${rows} rows, first ${show(row)}`;
    case 'tls_info':
      return String(row.secure) === '1' &&
        (!expect.account || row.account === `${expect.account.user}@${expect.account.host}`)
        ? null
        : `tls_info() gave ${show(row)}`;
    default:
      return `unknown proc ${proc}`;
  }
}

const seriesObject = (i) => {
  const [id, square, half, label, even, at] = seriesRow(i);
  return { id: +id, square: +square, half: +half, label, even: +even, at };
};
const numbersObject = (i) => {
  const [id, label, value, at] = numbersRow(i);
  return { id: +id, label, value: +value, at };
};
const sameObject = (a, b) =>
  a !== null &&
  typeof a === 'object' &&
  Object.keys(b).length === Object.keys(a).length &&
  Object.keys(b).every((k) => a[k] === b[k]);

function checkMysql2Rows(rows, n, rowOf, label) {
  if (!Array.isArray(rows)) return `${label}: not rows: ${show(rows)}`;
  if (rows.length !== n) return `${label}: ${rows.length} rows, expected ${n}`;
  for (let i = 0; i < n; i++)
    if (Number(rows[i]?.id) !== i + 1) return `${label}: row ${i + 1} has id ${show(rows[i]?.id)}`;
  if (!sameObject(rows[0], rowOf(1)))
    return `${label}: first row ${show(rows[0])}, expected ${show(rowOf(1))}`;
  if (!sameObject(rows[n - 1], rowOf(n)))
    return `${label}: last row ${show(rows[n - 1])}, expected ${show(rowOf(n))}`;
  return null;
}

/** mysql2 (dateStrings: true): CALL replies are [rows..., ResultSetHeader], a plain OK is a ResultSetHeader. */
function checkMysql2(proc, expect, err, result) {
  if (proc === 'fail') {
    if (!err) return `expected ERR 1062, got ${show(result)}`;
    if (err.errno !== 1062 || err.sqlState !== '23000' || err.sqlMessage !== DUP_MESSAGE)
      return `ERR ${err.errno} ${err.sqlState} ${show(err.sqlMessage ?? err.message)}`;
    return null;
  }
  if (err) return `ERR ${err.errno ?? err.code} ${show(err.sqlMessage ?? err.message)}`;
  const header = Array.isArray(result) ? result.at(-1) : result;
  const sets = Array.isArray(result) ? result.slice(0, -1) : [];
  if (!header || typeof header.affectedRows !== 'number') return `no final OK: ${show(result)}`;
  switch (proc) {
    case 'myadd':
      if (sets.length !== 1 || sets[0].length !== 1) return `shape ${show(result)}`;
      if (Number(sets[0][0].sum) !== expect.sum)
        return `sum ${show(sets[0][0])}, expected ${expect.sum}`;
      return null;
    case 'series':
      if (sets.length !== 1) return `${sets.length} result sets`;
      return checkMysql2Rows(sets[0], expect.n, seriesObject, 'series');
    case 'numbers':
      if (sets.length !== 1) return `${sets.length} result sets`;
      return checkMysql2Rows(sets[0], expect.n, numbersObject, 'numbers');
    case 'stats':
      if (sets.length !== 2) return `${sets.length} result sets, expected 2`;
      if (sets[0][0]?.metric !== 'uptime_s' || !(Number(sets[1][0]?.rss) > 0))
        return `stats ${show(sets)}`;
      return null;
    case 'touch':
      if (Array.isArray(result)) return `expected a plain OK, got ${show(result)}`;
      if (header.affectedRows !== expect.n)
        return `affectedRows ${header.affectedRows}, expected ${expect.n}`;
      return null;
    case 'whoami':
    case 'secret':
    case 'report_daily':
    case 'tls_info':
      if (sets.length !== 1 || !sets[0][0]) return `shape ${show(result)}`;
      return checkRow(proc, expect, sets[0][0], sets[0].length);
    default:
      return `unknown proc ${proc}`;
  }
}

// ---- prepared statements (mysql2 and mariadb execute()) ------------------------------------

/** Weights of the procedures in the prepared-statement mix (per mille). */
export const EXEC_MIX = {
  myadd: 450,
  'series:small': 150,
  'series:medium': 8,
  'numbers:small': 100,
  'numbers:medium': 6,
  stats: 40,
  touch: 100,
  dup: 60,
  whoami: 40,
  out: 50,
  inout: 30,
};

/**
 * A random call through a prepared statement: { proc, sql (with `?`),
 * args, check(err, result, driver) } where driver is 'mysql2' or 'mariadb'.
 * The answer identifies the call as the text calls' do; the OUT-parameter
 * procedures (myadd_out, inc_inout) come back as a result set only to a
 * client with CLIENT_PS_MULTI_RESULTS (mariadb sets it, mysql2 does not):
 * mariadb must show the sum (or the counter + 1), mysql2 a plain OK.
 */
export function makeExecCall(r, options = {}) {
  const weights = { ...EXEC_MIX, ...options.weights };
  const choice = options.force ?? r.pick(weights);
  const [proc, size] = choice.split(':');
  const mk = (name, sql, args, expect) => ({
    proc: `${name} (prepared)`,
    sql,
    args,
    expect,
    check: (err, result, driver) => checkExec(name, expect, err, result, driver),
  });
  switch (proc) {
    case 'myadd': {
      const id = nextCallId++;
      const a = id * 4096 + r.int(0, 2047);
      const b = r.int(0, 2047);
      // Sometimes a literal stays in the text: the statement has one placeholder. Few such
      // texts, as the drivers keep a statement per text (the server's budget is 16,382).
      const literal = [0, 7, 42, 2047][r.int(0, 3)];
      return r() < 0.2
        ? mk('myadd', `CALL myadd(?, ${literal})`, [a], { sum: a + literal })
        : mk('myadd', 'CALL myadd(?, ?)', [a, b], { sum: a + b });
    }
    case 'series':
    case 'numbers': {
      const n = SIZES[size ?? 'small'](r);
      return mk(proc, `CALL ${proc}(?)`, [n], { n });
    }
    case 'stats':
      return mk('stats', 'CALL stats()', [], {});
    case 'touch': {
      const n = r.int(1, 2 ** 31 - 1);
      return mk('touch', 'CALL touch(?)', [n], { n });
    }
    case 'dup':
      return mk('fail', 'CALL fail(?)', ['dup'], {});
    case 'whoami':
      return mk('whoami', 'CALL whoami()', [], { account: options.account, secure: false });
    case 'out': {
      const id = nextCallId++;
      const a = id * 4096 + r.int(0, 2047);
      const b = r.int(0, 2047);
      return mk('myadd_out', 'CALL myadd_out(?, ?, ?)', [a, b, null], { out: { sum: a + b } });
    }
    case 'inout': {
      const n = nextCallId++ * 8;
      return mk('inc_inout', 'CALL inc_inout(?)', [n], { out: { counter: n + 1 } });
    }
    default:
      throw new Error(`unknown prepared call ${choice}`);
  }
}

/** A driver's value as a number (mariadb gives BIGINT as BigInt) or text, for comparing. */
const plain = (v) => (typeof v === 'bigint' ? Number(v) : v);
/** DATETIME as text without a zero fraction: mysql2 drops it in binary rows when the value has none. */
const wholeSeconds = (v) => (typeof v === 'string' ? v.replace(/\.0+$/, '') : v);

function normalizedRow(row) {
  if (row === null || typeof row !== 'object') return row;
  const out = {};
  for (const [k, v] of Object.entries(row)) out[k] = k === 'at' ? wholeSeconds(v) : plain(v);
  return out;
}

function checkExecRows(rows, n, rowOf, label) {
  if (!Array.isArray(rows)) return `${label}: not rows: ${show(rows)}`;
  if (rows.length !== n) return `${label}: ${rows.length} rows, expected ${n}`;
  for (let i = 0; i < n; i++)
    if (Number(rows[i]?.id) !== i + 1)
      return `${label}: row ${i + 1} has id ${show(plain(rows[i]?.id))}`;
  for (const i of [1, n]) {
    const want = normalizedRow(rowOf(i));
    if (!sameObject(normalizedRow(rows[i - 1]), want))
      return `${label}: row ${i} ${show(normalizedRow(rows[i - 1]))}, expected ${show(want)}`;
  }
  return null;
}

/** mysql2 and mariadb execute() results: CALL replies are [rows..., ok header], a plain OK is the header. */
function checkExec(proc, expect, err, result, driver) {
  if (proc === 'fail') {
    if (!err) return `expected ERR 1062, got ${show(result)}`;
    if (
      err.errno !== 1062 ||
      err.sqlState !== '23000' ||
      !String(err.sqlMessage ?? err.text ?? err.message).includes(DUP_MESSAGE)
    )
      return `ERR ${err.errno} ${err.sqlState} ${show(err.sqlMessage ?? err.message)}`;
    return null;
  }
  if (err) return `ERR ${err.errno ?? err.code} ${show(err.sqlMessage ?? err.message)}`;
  const header = Array.isArray(result) ? result.at(-1) : result;
  const sets = Array.isArray(result) ? result.filter((x) => Array.isArray(x)) : [];
  if (!header || header.affectedRows === undefined) return `no final OK: ${show(result)}`;
  switch (proc) {
    case 'myadd':
      if (sets.length !== 1 || sets[0].length !== 1) return `shape ${show(result)}`;
      if (Number(sets[0][0].sum) !== expect.sum)
        return `sum ${show(plain(sets[0][0].sum))}, expected ${expect.sum}`;
      return null;
    case 'series':
      if (sets.length !== 1) return `${sets.length} result sets`;
      return checkExecRows(sets[0], expect.n, seriesObject, 'series');
    case 'numbers':
      if (sets.length !== 1) return `${sets.length} result sets`;
      return checkExecRows(sets[0], expect.n, numbersObject, 'numbers');
    case 'stats':
      if (sets.length !== 2) return `${sets.length} result sets, expected 2`;
      if (sets[0][0]?.metric !== 'uptime_s' || !(Number(sets[1][0]?.rss) > 0))
        return `stats ${show(sets.map((s) => s.map(normalizedRow)))}`;
      return null;
    case 'touch':
      if (sets.length) return `expected a plain OK, got ${show(result)}`;
      if (Number(header.affectedRows) !== expect.n)
        return `affectedRows ${header.affectedRows}, expected ${expect.n}`;
      return null;
    case 'whoami':
      if (sets.length !== 1 || !sets[0][0]) return `shape ${show(result)}`;
      return checkRow('whoami', expect, normalizedRow(sets[0][0]), sets[0].length);
    case 'myadd_out':
    case 'inc_inout': {
      // Only a client with CLIENT_PS_MULTI_RESULTS gets the OUT parameters, as one result set.
      if (driver !== 'mariadb')
        return sets.length ? `OUT parameters to ${driver}: ${show(result)}` : null;
      const [name, want] = Object.entries(expect.out)[0];
      if (sets.length !== 1 || sets[0].length !== 1) return `OUT parameters ${show(sets)}`;
      if (Number(sets[0][0][name]) !== want)
        return `OUT ${name} ${show(plain(sets[0][0][name]))}, expected ${want}`;
      return null;
    }
    default:
      return `unknown proc ${proc}`;
  }
}

// ---- multi-statement batches (the pipelined raw client) -------------------------------------

/**
 * Several CALLs in one COM_QUERY (the connection has multi-statements on):
 * myadd (a sum unique to the call), touch (random affectedRows), a small
 * series; sometimes fail('dup') last, or in the middle, where the reply must
 * end with its ERR and what follows must not run. checkRaw walks the
 * parser's units statement by statement: each statement's final OK flagged
 * MORE_RESULTS_EXISTS but the last one's.
 */
export function makeMultiCall(r) {
  const parts = [];
  const count = r.int(2, 5);
  const failAt = r() < 0.15 ? r.int(0, count - 1) : -1;
  for (let i = 0; i < count; i++) {
    if (i === failAt) {
      // The statements after it are sent too: they must not run (the reply ends with the ERR).
      parts.push({ proc: 'fail', sql: "CALL fail('dup')" });
      continue;
    }
    const x = r();
    if (x < 0.6) {
      const id = nextCallId++;
      const a = id * 4096 + r.int(0, 2047);
      const b = r.int(0, 2047);
      parts.push({ proc: 'myadd', sql: `CALL myadd(${a}, ${b})`, sum: a + b });
    } else if (x < 0.85) {
      const n = r.int(1, 2 ** 31 - 1);
      parts.push({ proc: 'touch', sql: `CALL touch(${n})`, n });
    } else {
      const n = r.int(1, 20);
      parts.push({ proc: 'series', sql: `CALL series(${n})`, n });
    }
  }
  const sql = parts.map((p) => p.sql).join(r() < 0.5 ? '; ' : ';');
  const stopped = parts.some((p) => p.proc === 'fail');
  return {
    proc: 'multi',
    sql,
    packet: queryPacket(sql),
    checkRaw: (p) => checkMulti(parts, stopped, p),
    checkMysql2: () => 'not a mysql2 call',
  };
}

function checkMulti(parts, stopped, p) {
  if (p.seqError) return `sequence: ${p.seqError}`;
  if (p.malformed) return `malformed: ${p.malformed}`;
  const units = p.units;
  let u = 0;
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    const at = `statement ${i + 1} of ${parts.length} (${part.sql})`;
    if (part.proc === 'fail') {
      if (u !== units.length) return `${at}: ${units.length - u} replies more before its ERR`;
      if (!p.err)
        return `${at}: expected ERR 1062 ending the reply, got ${p.ok ? 'OK' : 'nothing'}`;
      if (p.err.code !== 1062 || p.err.message !== DUP_MESSAGE)
        return `${at}: ERR ${p.err.code} ${show(p.err.message)}`;
      return null;
    }
    if (part.proc !== 'touch') {
      const set = units[u]?.k === 'set' ? units[u++].set : null;
      if (!set) return `${at}: no result set`;
      if (!(set.status & 0x0008)) return `${at}: its result set is not flagged MORE_RESULTS_EXISTS`;
      if (part.proc === 'myadd' && (set.rows !== 1 || set.first?.[0] !== String(part.sum)))
        return `${at}: sum ${show(set.first)}, expected ${part.sum}`;
      if (part.proc === 'series') {
        const why = checkRows(set, SERIES_COLUMNS, part.n, seriesRow, 'series');
        if (why) return `${at}: ${why}`;
      }
    }
    const ok = units[u]?.k === 'ok' ? units[u++].ok : null;
    if (!ok) return `${at}: no OK ${p.err ? `(ERR ${p.err.code} ${show(p.err.message)})` : ''}`;
    if (Boolean(ok.status & 0x0008) === last)
      return `${at}: its OK is ${last ? '' : 'not '}flagged MORE_RESULTS_EXISTS`;
    if (part.proc === 'touch' && ok.affectedRows !== part.n)
      return `${at}: affectedRows ${ok.affectedRows}, expected ${part.n}`;
  }
  if (stopped) return 'expected the ERR of fail()';
  if (p.err) return `ERR ${p.err.code} ${show(p.err.message)} after every statement had answered`;
  if (u !== units.length)
    return `${units.length - u} replies more than the ${parts.length} statements`;
  return null;
}
