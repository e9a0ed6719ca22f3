import { ExpressionParser } from './expression/parse-expression.js';
import type { Lexer } from './lexer.js';
import type { ShowFilter, ShowStatement } from './query/ast.js';
import { expectEnd, quoteOf, skipRest } from './statement-end.js';
import { syntaxErrorAt } from './syntax-error-at.js';
import { isIdentifier, isKeyword, isPunct } from './token-tests.js';
import { identifierValue, stringValue } from './token-value.js';
import { Tok } from './token-type.js';
import type { Statement } from './types.js';

const COMMA = 0x2c;
const DOT = 0x2e;

/**
 * SHOW statements, with the lexer on SHOW: WARNINGS, GRANTS, [FULL] PROCESSLIST, and those
 * answered from the server's catalog, settings and counters (VARIABLES, STATUS, COLLATION,
 * CHARACTER SET, DATABASES, [FULL] TABLES, TABLE STATUS, ENGINES, PLUGINS, PROCEDURE /
 * FUNCTION STATUS, CREATE PROCEDURE / FUNCTION / DATABASE / TABLE, COLUMNS, INDEX). Other
 * SHOWs (ERRORS, ENGINE ... STATUS...) are `other`.
 */
export function parseShow(lx: Lexer): Statement {
  lx.next();
  if (isKeyword(lx, 'GRANTS')) return parseShowGrants(lx);
  if (isKeyword(lx, 'WARNINGS')) return parseShowWarnings(lx);
  const processList = parseShowProcessList(lx);
  if (processList) return processList;
  const show = parseCatalogShow(lx);
  if (show === null) return otherShow(lx);
  expectEnd(lx);
  return { kind: 'show', show };
}

function otherShow(lx: Lexer): Statement {
  skipRest(lx);
  return { kind: 'other', keyword: 'SHOW', near: quoteOf(lx) };
}

function fail(lx: Lexer): never {
  throw syntaxErrorAt(lx.sql, lx.start);
}

/** Moves past the keyword `word` if it is the current token. */
function accept(lx: Lexer, word: string): boolean {
  if (!isKeyword(lx, word)) return false;
  lx.next();
  return true;
}

function expectKeyword(lx: Lexer, word: string): void {
  if (!accept(lx, word)) fail(lx);
}

/** The SHOW after the SHOW keyword, or null when it is not one answered here (nothing consumed but modifiers). */
function parseCatalogShow(lx: Lexer): ShowStatement | null {
  let scope: 'session' | 'global' | null = null;
  if (accept(lx, 'GLOBAL')) scope = 'global';
  else if (accept(lx, 'SESSION') || accept(lx, 'LOCAL')) scope = 'session';
  // Without a scope word both are the session's, as in MySQL.
  if (accept(lx, 'VARIABLES'))
    return { what: 'variables', scope: scope ?? 'session', filter: filter(lx) };
  if (accept(lx, 'STATUS'))
    return { what: 'status', scope: scope ?? 'session', filter: filter(lx) };
  if (scope !== null) return null;
  if (accept(lx, 'COLLATION')) return { what: 'collation', filter: filter(lx) };
  if (accept(lx, 'CHARSET')) return { what: 'charset', filter: filter(lx) };
  if (accept(lx, 'CHARACTER')) {
    expectKeyword(lx, 'SET');
    return { what: 'charset', filter: filter(lx) };
  }
  if (accept(lx, 'DATABASES') || accept(lx, 'SCHEMAS'))
    return { what: 'databases', filter: filter(lx) };
  if (accept(lx, 'ENGINES')) return { what: 'engines' };
  if (accept(lx, 'STORAGE')) {
    expectKeyword(lx, 'ENGINES');
    return { what: 'engines' };
  }
  if (accept(lx, 'PLUGINS')) return { what: 'plugins' };
  if (isKeyword(lx, 'PROCEDURE') || isKeyword(lx, 'FUNCTION')) return routineStatus(lx);
  if (accept(lx, 'CREATE')) return showCreate(lx);
  if (accept(lx, 'TABLE')) {
    expectKeyword(lx, 'STATUS');
    return { what: 'table-status', schema: fromSchema(lx), filter: filter(lx) };
  }
  const extended = accept(lx, 'EXTENDED');
  const full = accept(lx, 'FULL');
  if (accept(lx, 'TABLES'))
    return { what: 'tables', full, schema: fromSchema(lx), filter: filter(lx) };
  if (accept(lx, 'COLUMNS') || accept(lx, 'FIELDS')) return tableShow(lx, 'columns', full);
  if (!full && (accept(lx, 'INDEX') || accept(lx, 'INDEXES') || accept(lx, 'KEYS'))) {
    return tableShow(lx, 'index', extended);
  }
  return null;
}

function routineStatus(lx: Lexer): ShowStatement | null {
  const routine = isKeyword(lx, 'PROCEDURE') ? 'PROCEDURE' : 'FUNCTION';
  lx.next();
  // SHOW PROCEDURE CODE is a debug build's statement.
  if (!accept(lx, 'STATUS')) return null;
  return { what: 'routine-status', routine, filter: filter(lx) };
}

function showCreate(lx: Lexer): ShowStatement | null {
  if (isKeyword(lx, 'PROCEDURE') || isKeyword(lx, 'FUNCTION')) {
    const routine = isKeyword(lx, 'PROCEDURE') ? 'PROCEDURE' : 'FUNCTION';
    lx.next();
    const [schema, name] = qualifiedName(lx);
    return { what: 'create-routine', routine, schema, name };
  }
  if (accept(lx, 'DATABASE') || accept(lx, 'SCHEMA')) {
    if (accept(lx, 'IF')) {
      expectKeyword(lx, 'NOT');
      expectKeyword(lx, 'EXISTS');
    }
    return { what: 'create-database', name: name(lx) };
  }
  if (accept(lx, 'TABLE') || accept(lx, 'VIEW')) {
    const [schema, table] = qualifiedName(lx);
    return { what: 'create-table', full: false, schema, table, filter: null };
  }
  return null;
}

/** `{FROM | IN} table [{FROM | IN} db] [LIKE | WHERE]` of SHOW COLUMNS and SHOW INDEX. */
function tableShow(lx: Lexer, what: 'columns' | 'index', full: boolean): ShowStatement {
  if (!accept(lx, 'FROM') && !accept(lx, 'IN')) fail(lx);
  const [named, table] = qualifiedName(lx);
  const schema = fromSchema(lx) ?? named;
  return { what, full, schema, table, filter: what === 'columns' ? filter(lx) : whereOnly(lx) };
}

/** `{FROM | IN} db`, or null when absent. */
function fromSchema(lx: Lexer): string | null {
  if (!accept(lx, 'FROM') && !accept(lx, 'IN')) return null;
  return name(lx);
}

function name(lx: Lexer): string {
  if (!isIdentifier(lx)) fail(lx);
  const value = identifierValue(lx);
  lx.next();
  return value;
}

function qualifiedName(lx: Lexer): [schema: string | null, name: string] {
  const first = name(lx);
  if (!isPunct(lx, DOT)) return [null, first];
  lx.next();
  return [first, name(lx)];
}

/** `LIKE 'pattern'` or `WHERE expr`, or nothing. */
function filter(lx: Lexer): ShowFilter {
  if (accept(lx, 'LIKE')) {
    if (lx.type !== Tok.String && lx.type !== Tok.NString) fail(lx);
    let pattern = stringValue(lx);
    lx.next();
    while (lx.type === Tok.String) {
      pattern += stringValue(lx);
      lx.next();
    }
    return { like: pattern };
  }
  return whereOnly(lx);
}

function whereOnly(lx: Lexer): ShowFilter {
  if (!accept(lx, 'WHERE')) return null;
  return { where: new ExpressionParser(lx).expression() };
}

function parseShowWarnings(lx: Lexer): Statement {
  lx.next();
  if (isKeyword(lx, 'LIMIT')) {
    lx.next();
    expectInteger(lx);
    if (isPunct(lx, COMMA) || isKeyword(lx, 'OFFSET')) {
      lx.next();
      expectInteger(lx);
    }
  }
  expectEnd(lx);
  return { kind: 'show-warnings' };
}

function expectInteger(lx: Lexer): void {
  if (lx.type !== Tok.Integer) throw syntaxErrorAt(lx.sql, lx.start);
  lx.next();
}

const AT = 0x40;
const LPAREN = 0x28;
const RPAREN = 0x29;

/** `SHOW GRANTS [FOR CURRENT_USER[()] | 'user'[@'host']]`, with the lexer on GRANTS. */
function parseShowGrants(lx: Lexer): Statement {
  lx.next();
  let account: { user: string; host: string } | null = null;
  if (isKeyword(lx, 'FOR')) {
    lx.next();
    if (isKeyword(lx, 'CURRENT_USER')) {
      lx.next();
      if (isPunct(lx, LPAREN)) {
        lx.next();
        if (!isPunct(lx, RPAREN)) throw syntaxErrorAt(lx.sql, lx.start);
        lx.next();
      }
    } else {
      const user = accountPart(lx);
      let host = '%';
      if (isPunct(lx, AT)) {
        lx.next();
        host = accountPart(lx);
      }
      account = { user, host };
    }
  }
  expectEnd(lx);
  return { kind: 'show-grants', account };
}

/** A user or host name: quoted string, back-quoted or plain identifier. */
function accountPart(lx: Lexer): string {
  let value: string;
  if (lx.type === Tok.String) value = stringValue(lx);
  else if (isIdentifier(lx)) value = identifierValue(lx);
  else throw syntaxErrorAt(lx.sql, lx.start);
  lx.next();
  return value;
}

// `FULL` also starts SHOW FULL TABLES / COLUMNS: only the word after it tells.
const PROCESSLIST_AFTER_FULL = /\s+PROCESSLIST(?![\w$])/iy;

/** `SHOW [FULL] PROCESSLIST`, with the lexer on the word after SHOW; null (nothing consumed) for any other SHOW. */
function parseShowProcessList(lx: Lexer): Statement | null {
  let full = false;
  if (isKeyword(lx, 'FULL')) {
    PROCESSLIST_AFTER_FULL.lastIndex = lx.end;
    if (!PROCESSLIST_AFTER_FULL.test(lx.sql)) return null;
    lx.next();
    full = true;
  }
  if (!isKeyword(lx, 'PROCESSLIST')) return null;
  lx.next();
  expectEnd(lx);
  return { kind: 'show-processlist', full };
}
