import { TYPE_SHAPES } from '../results/column-definition.js';
import type { MysqlColumn } from '../results/result-values.js';
import type { ParameterMode } from '../session/procedure-catalog.js';
import type { MysqlParameter, MysqlProcedureSignature } from './procedure-signature.js';
import { parseSqlType, SignatureError, type SqlType } from './sql-type.js';

/** A parameter declaration, checked. */
export interface ParsedParameter {
  readonly name: string;
  readonly mode: ParameterMode;
  readonly type: SqlType;
}

/** A signature, checked: what a server compiles into coercers and catalog entries. */
export interface ParsedSignature {
  /** null when the signature declares no parameter list (arguments unchecked). */
  readonly params: readonly ParsedParameter[] | null;
  readonly columns: readonly MysqlColumn[] | null;
  readonly comment: string;
  readonly named: boolean;
}

/** MySQL's identifier limit, which parameter names share. */
const MAX_NAME = 64;
const MODES: ReadonlySet<string> = new Set(['IN', 'OUT', 'INOUT']);

/** A bare parameter name: letters, digits, `_` and `$`, not all digits (as MySQL's unquoted identifiers). */
const isNameChar = (c: string): boolean => /[\p{L}\p{N}_$]/u.test(c);

function checkName(name: string, where: string): string {
  if (name.length === 0 || name.length > MAX_NAME) {
    throw new SignatureError(`${where}: a parameter name needs 1..${MAX_NAME} characters`);
  }
  return name;
}

/** Reads `` `quoted` `` or a bare name at the front of `text`: [name, rest]. */
function leadingName(text: string, where: string): [string, string] {
  if (text.startsWith('`')) {
    let name = '';
    let i = 1;
    for (;;) {
      const q = text.indexOf('`', i);
      if (q < 0) throw new SignatureError(`${where}: unterminated \` in "${text}"`);
      name += text.slice(i, q);
      if (text[q + 1] === '`') {
        name += '`';
        i = q + 2;
      } else {
        return [checkName(name, where), text.slice(q + 1)];
      }
    }
  }
  let i = 0;
  for (const c of text) {
    if (!isNameChar(c)) break;
    i += c.length;
  }
  const name = text.slice(0, i);
  if (!name || /^\d+$/.test(name)) throw new SignatureError(`${where}: expected a parameter name`);
  return [checkName(name, where), text.slice(i)];
}

function parseParameter(p: MysqlParameter, index: number): ParsedParameter {
  const where = `parameter ${index + 1}`;
  if (typeof p === 'object' && p !== null) {
    const mode = p.mode ?? 'IN';
    if (!MODES.has(mode)) throw new SignatureError(`${where}: mode must be IN, OUT or INOUT`);
    if (typeof p.name !== 'string' || typeof p.type !== 'string') {
      throw new SignatureError(`${where}: name and type must be strings`);
    }
    return { name: checkName(p.name, where), mode, type: typed(p.type, where) };
  }
  if (typeof p !== 'string') throw new SignatureError(`${where}: expected a string or an object`);
  let rest = p.trim();
  let mode: ParameterMode = 'IN';
  const first = /^[A-Za-z]+(?=\s)/.exec(rest)?.[0].toUpperCase();
  if (first && MODES.has(first)) {
    mode = first as ParameterMode;
    rest = rest.slice(first.length).trimStart();
  }
  const [name, typeText] = leadingName(rest, where);
  if (!/^\s/.test(typeText))
    throw new SignatureError(`${where}: expected "[IN|OUT|INOUT] name TYPE", got "${p}"`);
  return { name, mode, type: typed(typeText.trim(), `${where} (${name})`) };
}

function typed(text: string, where: string): SqlType {
  try {
    return parseSqlType(text);
  } catch (e) {
    if (e instanceof SignatureError) throw new SignatureError(`${where}: ${e.message}`);
    throw e;
  }
}

function parseColumns(columns: ReadonlyArray<string | MysqlColumn>): MysqlColumn[] {
  if (!Array.isArray(columns) || columns.length === 0) {
    throw new SignatureError('columns must list at least one column');
  }
  return columns.map((c, i) => {
    const column: MysqlColumn = typeof c === 'string' ? { name: c } : { ...c };
    if (typeof column.name !== 'string')
      throw new SignatureError(`column ${i + 1}: a name is required`);
    if (column.type !== undefined && !Object.hasOwn(TYPE_SHAPES, column.type)) {
      throw new SignatureError(`column ${column.name}: unknown type "${String(column.type)}"`);
    }
    return Object.freeze(column);
  });
}

const parsed = new WeakMap<object, ParsedSignature>();

/**
 * Checks a signature strictly: every parameter's mode, name (unique, case
 * aside, as MySQL's ERR 1330 wants) and type, the columns' types, the
 * payload style. Throws a SignatureError saying what is wrong; the same
 * object is checked once.
 */
export function parseSignature(signature: MysqlProcedureSignature): ParsedSignature {
  if (typeof signature !== 'object' || signature === null) {
    throw new SignatureError('the signature must be an object');
  }
  const known = parsed.get(signature);
  if (known) return known;
  const { params, columns, comment = '', payload = 'positional' } = signature;
  if (payload !== 'positional' && payload !== 'named') {
    throw new SignatureError(`payload must be 'positional' or 'named'`);
  }
  if (typeof comment !== 'string') throw new SignatureError('comment must be a string');
  if (params !== undefined && !Array.isArray(params)) {
    throw new SignatureError('params must be an array');
  }
  const list = params?.map(parseParameter) ?? null;
  const seen = new Set<string>();
  for (const p of list ?? []) {
    const key = p.name.toLowerCase();
    if (seen.has(key)) throw new SignatureError(`duplicate parameter: ${p.name}`);
    seen.add(key);
  }
  if (payload === 'named' && !list) throw new SignatureError(`payload 'named' needs params`);
  const result: ParsedSignature = Object.freeze({
    params: list && Object.freeze(list),
    columns: columns === undefined ? null : Object.freeze(parseColumns(columns)),
    comment,
    named: payload === 'named',
  });
  parsed.set(signature, result);
  return result;
}
