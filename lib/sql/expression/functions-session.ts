import type { Expr } from './ast.js';
import { fn, type CallSite, type FunctionSpec } from './function-spec.js';
import { stringType, Types, type ResultType } from './result-type.js';
import { Temporal, toInteger, type Value } from './value.js';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Fractional-second digits asked for by NOW(fsp) and the like: a literal 0..6. */
function fspOf(exprs: readonly Expr[]): number {
  const e = exprs[0];
  return e !== undefined && e.kind === 'int' && e.value <= 6n ? Number(e.value) : 0;
}

/** The statement's time as DATE, TIME or DATETIME text, in UTC or the server's zone. */
export function formatTemporal(
  date: Date,
  type: 'DATE' | 'TIME' | 'DATETIME',
  fsp: number,
  utc: boolean,
): Temporal {
  const y = utc ? date.getUTCFullYear() : date.getFullYear();
  const mo = utc ? date.getUTCMonth() : date.getMonth();
  const d = utc ? date.getUTCDate() : date.getDate();
  const h = utc ? date.getUTCHours() : date.getHours();
  const mi = utc ? date.getUTCMinutes() : date.getMinutes();
  const s = utc ? date.getUTCSeconds() : date.getSeconds();
  const ms = utc ? date.getUTCMilliseconds() : date.getMilliseconds();
  const day = `${pad(y, 4)}-${pad(mo + 1)}-${pad(d)}`;
  let time = `${pad(h)}:${pad(mi)}:${pad(s)}`;
  if (fsp > 0) time += '.' + pad(ms, 3).padEnd(6, '0').slice(0, fsp);
  const text = type === 'DATE' ? day : type === 'TIME' ? time : `${day} ${time}`;
  return new Temporal(type, text);
}

function clock(type: 'DATE' | 'TIME' | 'DATETIME', utc: boolean | null): FunctionSpec {
  const max = type === 'DATE' ? 0 : 1;
  return fn(
    0,
    max,
    (_args, exprs) => ({ kind: 'temporal', type, fsp: type === 'DATE' ? 0 : fspOf(exprs) }),
    (args, site) => {
      const fsp =
        args.length > 0 && args[0] !== null ? Math.min(6, Number(toInteger(args[0]!))) : 0;
      return formatTemporal(site.ctx.session.now, type, fsp, utc ?? site.ctx.session.utc);
    },
  );
}

const session = (type: ResultType, read: (site: CallSite) => Value): FunctionSpec =>
  fn(0, 0, type, (_args, site) => read(site));

const NAME = stringType(64);
const ACCOUNT = stringType(288);

/** DATABASE(), USER() and the other functions of the session, and the clock's. */
export const SESSION_FUNCTIONS: ReadonlyArray<readonly [string, FunctionSpec]> = [
  ['DATABASE', session(NAME, (s) => s.ctx.session.database)],
  ['SCHEMA', session(NAME, (s) => s.ctx.session.database)],
  ['USER', session(ACCOUNT, (s) => s.ctx.session.user)],
  ['SESSION_USER', session(ACCOUNT, (s) => s.ctx.session.user)],
  ['SYSTEM_USER', session(ACCOUNT, (s) => s.ctx.session.user)],
  ['CURRENT_USER', session(ACCOUNT, (s) => s.ctx.session.currentUser)],
  ['VERSION', session(stringType(60), (s) => s.ctx.session.version)],
  ['CONNECTION_ID', session(Types.UNSIGNED, (s) => BigInt(s.ctx.session.connectionId))],
  ['LAST_INSERT_ID', session(Types.UNSIGNED, (s) => BigInt(s.ctx.session.lastInsertId))],
  // After a SELECT, as any statement that returns rows, MySQL's ROW_COUNT() is -1.
  ['ROW_COUNT', session(Types.INT, () => -1n)],
  ['NOW', clock('DATETIME', null)],
  ['CURRENT_TIMESTAMP', clock('DATETIME', null)],
  ['LOCALTIME', clock('DATETIME', null)],
  ['LOCALTIMESTAMP', clock('DATETIME', null)],
  ['SYSDATE', clock('DATETIME', null)],
  ['CURDATE', clock('DATE', null)],
  ['CURRENT_DATE', clock('DATE', null)],
  ['CURTIME', clock('TIME', null)],
  ['CURRENT_TIME', clock('TIME', null)],
  ['UTC_DATE', clock('DATE', true)],
  ['UTC_TIME', clock('TIME', true)],
  ['UTC_TIMESTAMP', clock('DATETIME', true)],
  [
    'UNIX_TIMESTAMP',
    fn(0, 0, Types.INT, (_args, site) => BigInt(Math.floor(site.ctx.session.now.getTime() / 1000))),
  ],
];
