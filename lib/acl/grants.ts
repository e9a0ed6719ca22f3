import { isIdentChar } from '../sql/char-codes.js';
import { accountName, quoteIdentifier, quotedAccountName } from './account-match.js';

/** `*.*`: every procedure of every schema. */
export interface GlobalGrant {
  readonly kind: 'global';
  /** The grant as configured. */
  readonly text: string;
}

/** `rpc.*`: every procedure of one schema. */
export interface SchemaGrant {
  readonly kind: 'schema';
  /** The grant as configured. */
  readonly text: string;
  /** The schema, unquoted, in the case it was written. */
  readonly schema: string;
}

/** `rpc.name`: one procedure. */
export interface ProcedureGrant {
  readonly kind: 'procedure';
  /** The grant as configured. */
  readonly text: string;
  /** The schema, unquoted, in the case it was written. */
  readonly schema: string;
  /** The procedure, unquoted, in the case it was written. */
  readonly procedure: string;
}

/** `rpc.report_*`: the procedures of one schema whose names fit a glob (this server's extension). */
export interface PatternGrant {
  readonly kind: 'pattern';
  /** The grant as configured. */
  readonly text: string;
  /** The schema, unquoted, in the case it was written. */
  readonly schema: string;
  /** The name with its `*` wildcards, unquoted, in the case it was written. */
  readonly procedure: string;
}

/** One parsed grant: which procedures an account may CALL. */
export type Grant = GlobalGrant | SchemaGrant | ProcedureGrant | PatternGrant;

/** Longest schema or routine name MySQL accepts (NAME_CHAR_LEN), in characters. */
export const GRANT_NAME_MAX_CHARS = 64;

const BACKQUOTE = 0x60;
const DOT = 0x2e;
const STAR = 0x2a;

/** One dot-separated part of a grant. */
interface NamePart {
  readonly name: string;
  readonly quoted: boolean;
}

/**
 * Parses one grant: `*.*`, `rpc.*`, `rpc.name`, `name` or `*` (in `defaultSchema`, as
 * MySQL's `ON name` and `ON *` mean the current database), with `*` wildcards in the
 * procedure name (`rpc.report_*`; quoted or not, `*` there is always a wildcard). Either
 * part may be back-quoted as in SQL (`` `rpc`.`my proc` ``, a back quote doubled inside).
 * Unquoted parts are identifier characters as MySQL's; schemas are literal, with no
 * wildcards. Throws an Error naming the grant when it is malformed.
 */
export function parseGrant(text: string, defaultSchema: string): Grant {
  if (typeof text !== 'string') throw new Error('grants must be strings');
  const fail = (why: string): never => {
    throw new Error(`grant '${text}': ${why}`);
  };
  const parts = splitParts(text, fail);
  const name = parts[parts.length - 1];
  let schema: NamePart;
  if (parts.length === 2) {
    schema = parts[0];
  } else {
    if (defaultSchema === '') fail('names no schema and the server has no database');
    schema = { name: defaultSchema, quoted: true };
  }
  const allProcedures = isAllStars(name.name);
  if (!schema.quoted && schema.name === '*') {
    if (!allProcedures) fail('only *.* may use * for the schema');
    return { kind: 'global', text };
  }
  checkName(schema.name, 'schema', fail);
  if (schema.name.includes('*')) fail('schema names take no wildcards');
  if (allProcedures) return { kind: 'schema', text, schema: schema.name };
  checkName(name.name, 'procedure', fail);
  const kind = name.name.includes('*') ? 'pattern' : 'procedure';
  return { kind, text, schema: schema.name, procedure: name.name };
}

/**
 * What one account may CALL: its own grants and those of its roles, compiled once (at
 * start-up) so that {@link GrantSet.covers}, asked on every CALL, is a few map look-ups.
 */
export class GrantSet {
  private constructor(
    /** The roles whose grants it holds, each once, in the order given. */
    readonly roles: readonly string[],
    private readonly global: boolean,
    private readonly schemas: ReadonlySet<string>,
    private readonly procedures: ReadonlyMap<string, ReadonlySet<string>>,
    private readonly patterns: ReadonlyMap<string, readonly Glob[]>,
  ) {}

  /**
   * Compiles `grants` together with those of `roleNames`, looked up in `roles`. Throws
   * on a malformed grant and on a role `roles` does not define, so that configuration
   * mistakes stop the server at start-up.
   */
  static build(
    grants: readonly string[],
    roleNames: readonly string[],
    roles: Readonly<Record<string, readonly string[]>>,
    defaultSchema: string,
  ): GrantSet {
    const parsed = grants.map((g) => parseGrant(g, defaultSchema));
    const held = [...new Set(roleNames)];
    for (const role of held) {
      const own = Object.hasOwn(roles, role) ? roles[role] : undefined;
      if (!Array.isArray(own)) throw new Error(`unknown role '${role}'`);
      for (const g of own) {
        try {
          parsed.push(parseGrant(g, defaultSchema));
        } catch (error) {
          throw new Error(`role '${role}': ${(error as Error).message}`);
        }
      }
    }
    let global = false;
    const schemas = new Set<string>();
    const procedures = new Map<string, Set<string>>();
    const patterns = new Map<string, Glob[]>();
    for (const g of parsed) {
      if (g.kind === 'global') {
        global = true;
      } else if (g.kind === 'schema') {
        schemas.add(fold(g.schema));
      } else if (g.kind === 'procedure') {
        entry(procedures, fold(g.schema), () => new Set()).add(fold(g.procedure));
      } else {
        entry(patterns, fold(g.schema), () => []).push(new Glob(fold(g.procedure)));
      }
    }
    return new GrantSet(held, global, schemas, procedures, patterns);
  }

  /** Whether it may CALL `schema`.`procedure` (names compared case-insensitively). */
  covers(schema: string, procedure: string): boolean {
    if (this.global) return true;
    const s = fold(schema);
    if (this.schemas.has(s)) return true;
    const p = fold(procedure);
    if (this.procedures.get(s)?.has(p)) return true;
    const globs = this.patterns.get(s);
    if (globs) for (const glob of globs) if (glob.matches(p)) return true;
    return false;
  }
}

/** What {@link showGrants} lists for one account. */
export interface ShowGrantsOptions {
  /** The account's user name. */
  readonly user: string;
  /** The account's host pattern as configured. */
  readonly host: string;
  /** Its own grants, parsed (not its roles': SHOW GRANTS without USING lists those as roles). */
  readonly grants: readonly Grant[];
  /** The roles it holds. */
  readonly roles: readonly string[];
  /** Whether it has MySQL's RELOAD/PROCESS/SUPER idea (FLUSH, and the admin statements). */
  readonly admin: boolean;
}

/** The column title of SHOW GRANTS: `Grants for user@host`, unquoted. */
export function showGrantsTitle(user: string, host: string): string {
  return `Grants for ${accountName(user, host)}`;
}

/**
 * The rows MySQL 8 returns for SHOW GRANTS, in its order and quoting (mysql_show_grants):
 * the global line (`USAGE`, or the static privileges in MySQL's bit order: `RELOAD,
 * PROCESS, SUPER` for an admin, `EXECUTE` with `*.*`); one line per schema, by name; one line per
 * procedure (names lower-cased as MySQL stores routine names; glob grants printed the same
 * way, `` `rpc`.`report_*` ``), by quoted name; then the roles on one line, by name,
 * comma-joined without a space, each as `` `role`@`%` ``. Grants that differ only in case
 * are shown once, as first written.
 */
export function showGrants(options: ShowGrantsOptions): string[] {
  const to = ` TO ${quotedAccountName(options.user, options.host)}`;
  const global = options.grants.some((g) => g.kind === 'global');
  // global_acls_vector order: RELOAD is bit 6, PROCESS 8, SUPER 15, EXECUTE 18.
  const privileges = [
    ...(options.admin ? ['RELOAD', 'PROCESS', 'SUPER'] : []),
    ...(global ? ['EXECUTE'] : []),
  ];
  const lines = [`GRANT ${privileges.length ? privileges.join(', ') : 'USAGE'} ON *.*${to}`];
  const schemas = new Map<string, string>();
  const procedures = new Map<string, string>();
  for (const g of options.grants) {
    if (g.kind === 'schema') {
      if (!schemas.has(fold(g.schema))) schemas.set(fold(g.schema), g.schema);
    } else if (g.kind === 'procedure' || g.kind === 'pattern') {
      const key = `${fold(g.schema)}\0${fold(g.procedure)}`;
      const name = `${quoteIdentifier(g.schema)}.${quoteIdentifier(fold(g.procedure))}`;
      if (!procedures.has(key)) procedures.set(key, name);
    }
  }
  // MySQL keys schema lines by the bare name, procedure lines by the quoted `db`.`name`.
  for (const schema of sortedBytes(schemas.values())) {
    lines.push(`GRANT EXECUTE ON ${quoteIdentifier(schema)}.*${to}`);
  }
  for (const name of sortedBytes(procedures.values())) {
    lines.push(`GRANT EXECUTE ON PROCEDURE ${name}${to}`);
  }
  if (options.roles.length) {
    const roles = sortedBytes(new Set(options.roles)).map((r) => quotedAccountName(r, '%'));
    lines.push(`GRANT ${roles.join(',')}${to}`);
  }
  return lines;
}

/** A procedure-name glob, `*` for any run, split once into its literal pieces. */
class Glob {
  private readonly head: string;
  private readonly middle: readonly string[];
  private readonly tail: string;
  private readonly minLength: number;

  constructor(pattern: string) {
    const pieces = pattern.split('*');
    this.head = pieces[0];
    this.tail = pieces[pieces.length - 1];
    this.middle = pieces.slice(1, -1).filter((p) => p !== '');
    this.minLength = pieces.reduce((n, p) => n + p.length, 0);
  }

  /** Whether `name` fits; leftmost placement of each middle piece is optimal for `*` alone. */
  matches(name: string): boolean {
    if (name.length < this.minLength || !name.startsWith(this.head) || !name.endsWith(this.tail)) {
      return false;
    }
    let at = this.head.length;
    const end = name.length - this.tail.length;
    for (const piece of this.middle) {
      const found = name.indexOf(piece, at);
      if (found === -1 || found + piece.length > end) return false;
      at = found + piece.length;
    }
    return true;
  }
}

/** Splits `a.b` into its one or two parts, unquoting back-quoted ones. */
function splitParts(text: string, fail: (why: string) => never): NamePart[] {
  const parts: NamePart[] = [];
  let p = 0;
  for (;;) {
    if (text.charCodeAt(p) === BACKQUOTE) {
      let name = '';
      let q = p + 1;
      for (;;) {
        const close = text.indexOf('`', q);
        if (close === -1) fail('unterminated back-quoted name');
        name += text.slice(q, close);
        if (text.charCodeAt(close + 1) !== BACKQUOTE) {
          p = close + 1;
          break;
        }
        name += '`';
        q = close + 2;
      }
      if (name === '') fail('empty name');
      parts.push({ name, quoted: true });
    } else {
      const start = p;
      while (p < text.length && (isIdentChar(text.charCodeAt(p)) || text.charCodeAt(p) === STAR))
        p++;
      if (p === start) fail(p === text.length ? 'missing a name' : unexpected(text, p));
      const name = text.slice(start, p);
      // MySQL: an unquoted identifier may not consist solely of digits.
      if (/^[0-9]+$/.test(name)) fail(`'${name}' needs back quotes`);
      parts.push({ name, quoted: false });
    }
    if (p === text.length) return parts;
    if (text.charCodeAt(p) !== DOT || parts.length === 2) fail(unexpected(text, p));
    p++;
  }
}

/** Names the character at `p` for an error message, quoted so that quotes and spaces show. */
function unexpected(text: string, p: number): string {
  return `unexpected ${JSON.stringify(String.fromCodePoint(text.codePointAt(p) ?? 0))}`;
}

function checkName(name: string, what: string, fail: (why: string) => never): void {
  if (Array.from(name).length > GRANT_NAME_MAX_CHARS) {
    fail(`${what} name longer than ${GRANT_NAME_MAX_CHARS} characters`);
  }
}

function isAllStars(name: string): boolean {
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) !== STAR) return false;
  return true;
}

/** The form names are compared in: MySQL lower-cases routine names, and this server schema names. */
function fold(name: string): string {
  return name.toLowerCase();
}

function entry<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/** `names` sorted by their UTF-8 bytes, as std::map<std::string> orders them in MySQL. */
function sortedBytes(names: Iterable<string>): string[] {
  return [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}
