/**
 * Kind `grants`: what each account may do once logged in. An input is a
 * directive `as:USER` (the session becomes that account by COM_CHANGE_USER
 * if it is not already) and then statements: a CALL of every procedure of
 * the sample, SHOW GRANTS (own, CURRENT_USER(), another account's, one
 * that does not exist), FLUSH HOSTS / PRIVILEGES in every spelling, and
 * COM_REFRESH with every flag byte. Mutations change the account, the
 * statement's text (bytes), or the flags.
 *
 * Oracle, beyond the shared ones: for statements the harness can read for
 * certain (a plain `CALL name(args)`, `FLUSH ...`, `SHOW GRANTS`), the
 * answer must follow the grant table (read from the sample's accounts, not
 * from the server): ERR 1370 exactly when the account may not call the
 * procedure (grants, roles, @MysqlAdmin, the TLS-only guard), naming that
 * account, host and routine; ERR 1227 for FLUSH and COM_REFRESH exactly
 * when it is not an admin; SHOW GRANTS listing its own account.
 */
import { mutateBytes } from '../core/mutate.mjs';
import { COM, command, directive, frame, framesOf, specialOf } from '../core/wire.mjs';

/** The sample's procedures and what they demand beyond a grant. */
const PROCEDURES = {
  myadd: { args: '(3, 4)' },
  whoami: { args: '()' },
  series: { args: '(2)' },
  numbers: { args: '(2)' },
  stats: { args: '()' },
  touch: { args: '(1)' },
  fail: { args: "('dup')" },
  secret: { args: '()', admin: true },
  report_daily: { args: '()', role: 'reporting' },
  tls_info: { args: '()', tls: true },
  nope: { args: '()', missing: true },
};

/** Does grant text (`*.*`, `rpc.*`, `rpc.report_*`, `name`) cover rpc.`proc`? */
function covers(grant, proc) {
  const g = grant.toLowerCase();
  const [schema, name] = g.includes('.') ? g.split('.', 2) : ['rpc', g];
  if (schema !== '*' && schema !== 'rpc') return false;
  if (name === '*') return true;
  const re = new RegExp(`^${name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return re.test(proc.toLowerCase());
}

/** May `account` CALL `proc` (over TLS or not)? Written from the sample's declarations. */
export function mayCall(account, proc, secure) {
  const p = PROCEDURES[proc];
  const grants = [...account.grants, ...account.roleGrants];
  if (!grants.some((g) => covers(g, proc))) return false;
  if (!p || p.missing) return true; // granted: ERR 1305 follows, not 1370
  if (p.admin && !account.admin) return false;
  if (p.role && !account.roles.includes(p.role)) return false;
  if (p.tls && !secure) return false;
  return true;
}

const FLUSHES = [
  'FLUSH HOSTS',
  'FLUSH PRIVILEGES',
  'flush privileges',
  'FLUSH LOCAL HOSTS',
  'FLUSH NO_WRITE_TO_BINLOG PRIVILEGES',
  'FLUSH HOSTS, PRIVILEGES',
  'FLUSH PRIVILEGES,HOSTS',
  'FLUSH /* c */ HOSTS;',
  'FLUSH',
  'FLUSH HOSTS,',
  'FLUSH TABLES',
  'FLUSH LOGS',
  'FLUSH LOCAL',
  'FLUSH HOSTS PRIVILEGES',
  "FLUSH 'HOSTS'",
];

const SHOWS = [
  'SHOW GRANTS',
  'show grants;',
  'SHOW GRANTS FOR CURRENT_USER()',
  'SHOW GRANTS FOR CURRENT_USER',
  "SHOW GRANTS FOR 'app'@'%'",
  "SHOW GRANTS FOR 'root'@'localhost'",
  "SHOW GRANTS FOR 'root'@'LOCALHOST'",
  'SHOW GRANTS FOR `analyst`@`%`',
  "SHOW GRANTS FOR 'nobody'@'%'",
  "SHOW GRANTS FOR 'testuser'",
  'SHOW GRANTS FOR testuser@"%"',
  "SHOW GRANTS FOR ''@''",
  "SHOW GRANTS FOR 'app'@'%' USING 'reporting'",
  'SHOW GRANTS FOR',
  "SHOW GRANTS FOR 'x'@'%' extra",
];

const REFRESH_FLAGS = [null, 0x00, 0x01, 0x02, 0x04, 0x08, 0x09, 0x10, 0x20, 0x40, 0x80, 0xff];

/** An entry: { user, sql } or { user, refresh: flags|null }. */
function render(e) {
  const parts = [frame(0, directive('as', e.user))];
  if (e.refresh !== undefined) {
    parts.push(
      command(COM.REFRESH, e.refresh === null ? Buffer.alloc(0) : Buffer.from([e.refresh])),
    );
  } else parts.push(command(COM.QUERY, e.sql));
  return Buffer.concat(parts);
}

/** { user, sql } or { user, refresh } read back from an input (so that replays check too), or null. */
function readEntry(bytes) {
  const frames = framesOf(bytes);
  if (frames.length !== 2) return null;
  const as = specialOf(frames[0].payload);
  const cmd = frames[1];
  if (as?.name !== 'as' || cmd.seq !== 0 || cmd.payload.length === 0) return null;
  if (frames[1].end !== bytes.length) return null;
  if (cmd.payload[0] === COM.REFRESH && cmd.payload.length <= 2) {
    return { user: as.arg, refresh: cmd.payload.length === 2 ? cmd.payload[1] : null };
  }
  if (cmd.payload[0] !== COM.QUERY) return null;
  return { user: as.arg, sql: cmd.payload.toString('latin1', 1) };
}

/** Accounts a logged-in session can become over a plain connection, from 127.0.0.1. */
const usable = (ctx) => [...ctx.accounts.values()].filter((a) => a.reachable && !a.requireSsl);

export default {
  name: 'grants',
  description: 'CALL grants, SHOW GRANTS, FLUSH and COM_REFRESH per account',
  weight: 2,
  session: 'logged-in',
  seeds(ctx) {
    const out = [];
    for (const a of usable(ctx)) {
      for (const [proc, p] of Object.entries(PROCEDURES)) {
        out.push({ user: a.user, sql: `CALL ${proc}${p.args}` });
      }
      for (const sql of [...FLUSHES, ...SHOWS]) out.push({ user: a.user, sql });
      for (const refresh of REFRESH_FLAGS) out.push({ user: a.user, refresh });
    }
    return out.map((e) => ({ ...e, bytes: render(e) }));
  },
  mutate(rng, entry, ctx) {
    const e = { user: entry.user, sql: entry.sql, refresh: entry.refresh };
    // Bytes: the statement's only; the `as` directive stays as it is.
    const asFrame = framesOf(entry.bytes)[0];
    const byBytes = () => ({
      bytes: Buffer.concat([
        entry.bytes.subarray(0, asFrame.end),
        mutateBytes(rng, entry.bytes.subarray(asFrame.end), ctx),
      ]),
    });
    if (e.user === undefined) return byBytes();
    const op = rng.below(10);
    if (op < 3) e.user = rng.pick(usable(ctx)).user;
    else if (op < 5 && e.refresh !== undefined) e.refresh = rng.u32() & 0xff;
    else if (op < 5) {
      e.sql = rng.chance(0.5)
        ? `CALL ${rng.pick(Object.keys(PROCEDURES))}${rng.pick(Object.values(PROCEDURES)).args}`
        : rng.pick([...FLUSHES, ...SHOWS]);
    } else if (e.sql !== undefined) {
      e.sql = mutateBytes(rng, Buffer.from(e.sql), ctx).toString('latin1');
      return { ...e, bytes: render(e), text: true };
    } else {
      return byBytes();
    }
    return { ...e, bytes: render(e) };
  },
  wire: (bytes) => bytes,
  check(out, entry0, session) {
    const entry = readEntry(entry0.bytes);
    if (!entry || session.user !== entry.user || out.closed) return null;
    const account = session.env.accounts.get(entry.user);
    if (!account) return null;
    const err = out.errors[0];
    if (entry.refresh !== undefined) {
      const denied = err?.code === 1227;
      if (account.admin === denied) {
        return `COM_REFRESH by ${entry.user} (admin ${account.admin}) got ${JSON.stringify(err ?? out.trace)}`;
      }
      return null;
    }
    const sql = entry.sql;
    const call = /^CALL (\w+)\((?:\d+(?:, \d+)*|'dup'|)\)$/.exec(sql);
    if (call && call[1] in PROCEDURES) {
      const allowed = mayCall(account, call[1], session.secure);
      const denied = err?.code === 1370;
      if (allowed === denied) {
        return `CALL ${call[1]} by ${entry.user}: expected ${allowed ? 'no ' : ''}ERR 1370, got ${JSON.stringify(err ?? out.trace)}`;
      }
      // The account's host pattern (MySQL's priv_host) or the client's address.
      const named = [account.host, '127.0.0.1'].map(
        (h) => `'${entry.user}'@'${h}' for routine 'rpc.${call[1]}'`,
      );
      if (denied && !named.some((n) => err.message.endsWith(n))) {
        return `ERR 1370 names the wrong account or routine: ${err.message}`;
      }
      return null;
    }
    if (
      /^FLUSH (?:LOCAL |NO_WRITE_TO_BINLOG )?(?:HOSTS|PRIVILEGES)(?:, ?(?:HOSTS|PRIVILEGES))*$/i.test(
        sql,
      )
    ) {
      const denied = err?.code === 1227;
      if (account.admin === denied || (account.admin && err)) {
        return `${sql} by ${entry.user} (admin ${account.admin}) got ${JSON.stringify(err ?? out.trace)}`;
      }
      return null;
    }
    if (/^SHOW GRANTS(?: FOR CURRENT_USER(?:\(\))?)?;?$/i.test(sql)) {
      const first = out.firstRow?.[0]?.toString('utf8') ?? '';
      if (err || !first.startsWith('GRANT ') || !first.includes(`\`${entry.user}\`@`)) {
        return `${sql} by ${entry.user} answered ${JSON.stringify(err ?? first)}`;
      }
    }
    return null;
  },
};
