import { EmptyQueryError } from './empty-query-error.js';
import { Lexer } from './lexer.js';
import { parseCall } from './parse-call.js';
import { parseFlush } from './parse-flush.js';
import { parseKill } from './parse-kill.js';
import { parseSelect } from './parse-select.js';
import { parseSet } from './parse-set.js';
import { parseShow } from './parse-show.js';
import { parseBegin, parseCommitOrRollback, parseStart } from './parse-transaction.js';
import { parseUse } from './parse-use.js';
import { DEFAULT_SERVER_VERSION_ID } from './server-version.js';
import { quoteOf, skipRest } from './statement-end.js';
import { syntaxErrorAt } from './syntax-error-at.js';
import { isKeyword, isPunct } from './token-tests.js';
import { Tok } from './token-type.js';
import type { Statement, UserVariables } from './types.js';

const LPAREN = 0x28;
const SEMICOLON = 0x3b;

// Query expressions MySQL accepts inside leading parentheses, e.g. `(SELECT 1) UNION (SELECT 2)`.
const PARENTHESIZABLE = ['SELECT', 'WITH', 'VALUES', 'TABLE'] as const;

/** How to read a query. */
export interface ParseOptions {
  /** The server's MYSQL_VERSION_ID (see serverVersionId), which decides the `/*!NNNNN ... *\/` comments that run; 80036 if not given. */
  readonly serverVersionId?: number;
  /** Accept `?` placeholders as CALL arguments (COM_STMT_PREPARE); off by default. */
  readonly placeholders?: boolean;
}

/**
 * Parses one query (multi-statements off); throws SqlSyntaxError,
 * EmptyQueryError, SqlUnsupportedError, IllegalDoubleError,
 * TooManySelectItemsError or TooManyCallArgumentsError. `userVariables`
 * supplies `@name` values, shared and not copied (handlers must not change
 * them); an unset one reads as NULL, as in MySQL.
 */
export function parseStatement(
  sql: string,
  userVariables: UserVariables | null = null,
  options?: ParseOptions,
): Statement {
  const lx = new Lexer(sql, userVariables, options?.serverVersionId ?? DEFAULT_SERVER_VERSION_ID);
  lx.next();
  return parseAt(lx, options);
}

/** One statement of several (multi-statements on), and where the next one starts. */
export interface NextStatement {
  readonly statement: Statement;
  /** Offset of the text after this statement's `;`, or -1 when nothing but blanks and comments follows. */
  readonly next: number;
}

/**
 * Parses the statement that starts at `from`, ending at a `;` or the end
 * of the query; the text after the `;` is not read (MySQL runs a statement
 * before it parses the next). Throws as parseStatement does.
 */
export function parseNextStatement(
  sql: string,
  from: number,
  userVariables: UserVariables | null = null,
  options?: ParseOptions,
): NextStatement {
  const lx = new Lexer(sql, userVariables, options?.serverVersionId ?? DEFAULT_SERVER_VERSION_ID);
  lx.multiStatements = true;
  lx.seek(from);
  lx.next();
  const statement = parseAt(lx, options);
  const end = lx.statementEnd;
  return { statement, next: end >= 0 && moreFollows(sql, end, options) ? end : -1 };
}

/** Whether anything but blanks and comments follows `offset`; an unterminated literal counts. */
function moreFollows(sql: string, offset: number, options?: ParseOptions): boolean {
  const probe = new Lexer(sql, null, options?.serverVersionId ?? DEFAULT_SERVER_VERSION_ID);
  probe.seek(offset);
  try {
    probe.next();
  } catch {
    return true;
  }
  return probe.type !== Tok.Eof;
}

function parseAt(lx: Lexer, options: ParseOptions | undefined): Statement {
  const sql = lx.sql;
  if (lx.type === Tok.Eof) throw new EmptyQueryError(lx.sawComment);
  if (isPunct(lx, SEMICOLON)) return onlySemicolons(lx);
  if (isPunct(lx, LPAREN)) return parenthesized(lx);
  // A statement starts with a keyword; MySQL never takes `x.` or a digit-led word as one.
  if (lx.type !== Tok.Word || !lx.keyword) throw syntaxErrorAt(sql, lx.start);
  if (isKeyword(lx, 'CALL')) return parseCall(lx, options?.placeholders === true);
  if (isKeyword(lx, 'SELECT')) return parseSelect(lx);
  if (isKeyword(lx, 'SET')) return parseSet(lx);
  if (isKeyword(lx, 'USE')) return parseUse(lx);
  if (isKeyword(lx, 'SHOW')) return parseShow(lx);
  if (isKeyword(lx, 'FLUSH')) return parseFlush(lx);
  if (isKeyword(lx, 'KILL')) return parseKill(lx);
  if (isKeyword(lx, 'START')) return parseStart(lx);
  if (isKeyword(lx, 'BEGIN')) return parseBegin(lx);
  if (isKeyword(lx, 'COMMIT')) return parseCommitOrRollback(lx, 'commit');
  if (isKeyword(lx, 'ROLLBACK')) return parseCommitOrRollback(lx, 'rollback');
  return other(lx);
}

function onlySemicolons(lx: Lexer): never {
  const first = lx.start;
  while (isPunct(lx, SEMICOLON)) lx.next();
  if (lx.type === Tok.Eof) throw new EmptyQueryError(lx.sawComment);
  throw syntaxErrorAt(lx.sql, first);
}

function parenthesized(lx: Lexer): Statement {
  while (isPunct(lx, LPAREN)) lx.next();
  for (const keyword of PARENTHESIZABLE) if (isKeyword(lx, keyword)) return other(lx);
  throw syntaxErrorAt(lx.sql, lx.start);
}

function other(lx: Lexer): Statement {
  const keyword = lx.sql.slice(lx.start, lx.end).toUpperCase();
  skipRest(lx);
  return { kind: 'other', keyword, near: quoteOf(lx) };
}
