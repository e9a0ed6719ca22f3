import { isDigit, isHexDigit, isIdentChar, isSpace, isSpaceOrControl } from './char-codes.js';
import { DEFAULT_SERVER_VERSION_ID } from './server-version.js';
import { syntaxErrorAt } from './syntax-error-at.js';
import { Tok, type TokenType } from './token-type.js';
import type { UserVariables } from './types.js';
import { skipVersionComment, versionDigits, versionNumber } from './version-comment.js';

const NUL = 0x00;
const LF = 0x0a;
const BANG = 0x21;
const DQUOTE = 0x22;
const HASH = 0x23;
const QUOTE = 0x27;
const STAR = 0x2a;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const ZERO = 0x30;
const ONE = 0x31;
const AT = 0x40;
const UPPER_N = 0x4e;
const BACKSLASH = 0x5c;
const BACKTICK = 0x60;
const LOWER_B = 0x62;
const LOWER_E = 0x65;
const LOWER_N = 0x6e;
const LOWER_X = 0x78;

/** A lexer's state as mark() saves it, for reset(). */
export type LexerMark = ReturnType<Lexer['mark']>;

// Mirrors MySQL's sql_lex.cc. Tokens are described through mutable fields rather than objects so
// the hot path allocates nothing per token; each position is visited a bounded number of times.
/** Pull lexer over one query: `next()` moves to the following token and describes it in the fields below. */
export class Lexer {
  /** The query text. */
  readonly sql: string;
  /** Kind of the current token. */
  type: TokenType = Tok.Eof;
  /** Offset of the current token's first code unit. */
  start = 0;
  /** Offset just past the current token. */
  end = 0;
  /** End offset of the token before the current one, to quote an item's source text. */
  prevEnd = 0;
  /** For Punct: its character code. */
  char = 0;
  /** For Word: MySQL would look it up as a keyword (it does not next to a joining `.`, nor for digit-led words). */
  keyword = false;
  /** For Word: directly followed by `.` and an identifier character, so `.` and an identifier come next. */
  dotFollows = false;
  /** For String, NString and QuotedIdent: the body holds escapes or doubled quotes to decode. */
  escaped = false;
  /** A comment of any kind has been skipped so far. */
  sawComment = false;
  /**
   * Multi-statements are on: a `;` ends the statement, and what follows is
   * the next one, which this lexer does not read.
   */
  multiStatements = false;
  /** Where the statement being read starts: 0, or past the `;` of the one before it. */
  statementStart = 0;
  /** With multiStatements: offset just past the `;` that ended the statement, else -1. */
  statementEnd = -1;

  private pos = 0;
  private inVersionComment = false;
  // MySQL's IDENT_SEP / IDENT_START states: `a.b` and `a.1b` are two identifiers, not `a` and `.1`.
  private dotNext = false;
  private identNext = false;
  // MySQL's HOSTNAME state after `@`, SYSTEM_VAR after `@@` and IDENT_OR_KEYWORD after that:
  // the name directly after `@` is lexed by its own rules, not as ordinary tokens.
  private userNameNext = false;
  private secondAtNext = false;
  private systemNameNext = false;

  constructor(
    sql: string,
    /** The session's user variables, read where a literal may stand (`CALL p(@a)`). */
    readonly userVariables: UserVariables | null = null,
    /** MYSQL_VERSION_ID of the server, deciding which `/*!NNNNN ... *\/` comments run. */
    private readonly serverVersionId: number = DEFAULT_SERVER_VERSION_ID,
  ) {
    this.sql = sql;
  }

  /** Starts lexing at `offset` instead of the beginning (the next of several statements). */
  seek(offset: number): void {
    this.statementStart = offset;
    this.pos = offset;
    this.start = this.end = this.prevEnd = offset;
  }

  // Every field that changes as the lexer reads, named one by one: a fixed-shape literal
  // costs a few nanoseconds, a generic copy of the object about a hundred times more.
  /** The lexer's state now, to read the same tokens again after reset(). */
  mark() {
    return {
      type: this.type,
      start: this.start,
      end: this.end,
      prevEnd: this.prevEnd,
      char: this.char,
      keyword: this.keyword,
      dotFollows: this.dotFollows,
      escaped: this.escaped,
      sawComment: this.sawComment,
      multiStatements: this.multiStatements,
      statementStart: this.statementStart,
      statementEnd: this.statementEnd,
      pos: this.pos,
      inVersionComment: this.inVersionComment,
      dotNext: this.dotNext,
      identNext: this.identNext,
      userNameNext: this.userNameNext,
      secondAtNext: this.secondAtNext,
      systemNameNext: this.systemNameNext,
    };
  }

  /** Puts the lexer back where mark() found it, version comments and pending `@`/`.` states included. */
  reset(m: LexerMark): void {
    this.type = m.type;
    this.start = m.start;
    this.end = m.end;
    this.prevEnd = m.prevEnd;
    this.char = m.char;
    this.keyword = m.keyword;
    this.dotFollows = m.dotFollows;
    this.escaped = m.escaped;
    this.sawComment = m.sawComment;
    this.multiStatements = m.multiStatements;
    this.statementStart = m.statementStart;
    this.statementEnd = m.statementEnd;
    this.pos = m.pos;
    this.inVersionComment = m.inVersionComment;
    this.dotNext = m.dotNext;
    this.identNext = m.identNext;
    this.userNameNext = m.userNameNext;
    this.secondAtNext = m.secondAtNext;
    this.systemNameNext = m.systemNameNext;
  }

  /** Advances to the next token; throws SqlSyntaxError on an unterminated literal or comment. */
  next(): void {
    this.prevEnd = this.end;
    let p = this.pos;
    if (this.dotNext) {
      this.dotNext = false;
      this.identNext = true;
      this.punct(p, DOT);
      return;
    }
    if (this.identNext) {
      this.identNext = false;
      this.word(p, false);
      return;
    }
    const sql = this.sql;
    if (this.userNameNext) {
      this.userNameNext = false;
      if (this.userVariableName(p)) return;
    } else if (this.systemNameNext) {
      this.systemNameNext = false;
      // Digit-led too: `@@1e5` names a variable, it is not a number.
      if (isIdentChar(sql.charCodeAt(p))) return this.word(p, true);
    }
    p = this.skipIgnorable(p);
    if (p >= sql.length) {
      this.set(Tok.Eof, p, p);
      return;
    }
    const c = sql.charCodeAt(p);
    if (isDigit(c)) return this.numberOrWord(p);
    if (isIdentChar(c)) {
      if (sql.charCodeAt(p + 1) === QUOTE) {
        const lower = c | 0x20;
        if (lower === LOWER_N) return this.string(p, p + 2, QUOTE, Tok.NString);
        if (lower === LOWER_X) return this.hexString(p);
        if (lower === LOWER_B) return this.bitString(p);
      }
      return this.word(p, true);
    }
    switch (c) {
      case QUOTE:
      case DQUOTE:
        return this.string(p, p + 1, c, Tok.String);
      case BACKTICK:
        return this.quotedIdent(p);
      case DOT:
        if (isDigit(sql.charCodeAt(p + 1))) return this.fraction(p, p + 1);
        this.identNext = isIdentChar(sql.charCodeAt(p + 1));
        return this.punct(p, DOT);
      case BACKSLASH:
        if (sql.charCodeAt(p + 1) === UPPER_N) return this.set(Tok.NullEscape, p, p + 2);
        return this.punct(p, c);
      case AT:
        return this.at(p);
      default:
        return this.punct(p, c);
    }
  }

  /** Skips white space and comments, entering and leaving executable comments; returns the next token's offset. */
  private skipIgnorable(from: number): number {
    const sql = this.sql;
    const len = sql.length;
    let p = from;
    for (;;) {
      if (p >= len) {
        // MySQL rejects end of input inside /*! ... without its */.
        if (this.inVersionComment) throw syntaxErrorAt(sql, len);
        return p;
      }
      const c = sql.charCodeAt(p);
      if (isSpace(c)) {
        p++;
      } else if (c === HASH) {
        this.sawComment = true;
        p = this.lineEnd(p + 1);
      } else if (c === MINUS && sql.charCodeAt(p + 1) === MINUS) {
        if (p + 2 < len && !isSpaceOrControl(sql.charCodeAt(p + 2))) return p;
        this.sawComment = true;
        p = this.lineEnd(p + 2);
      } else if (c === SLASH && sql.charCodeAt(p + 1) === STAR) {
        this.sawComment = true;
        if (sql.charCodeAt(p + 2) === BANG) {
          p = this.versionComment(p);
        } else {
          // Comments do not nest: the first */ closes, as in MySQL; /*+ hints are plain comments here.
          const close = sql.indexOf('*/', p + 2);
          if (close === -1) throw syntaxErrorAt(sql, p);
          p = close + 2;
        }
      } else if (c === STAR && this.inVersionComment && sql.charCodeAt(p + 1) === SLASH) {
        this.inVersionComment = false;
        p += 2;
      } else {
        return p;
      }
    }
  }

  /**
   * `/*!` at `start`: enters the comment when it has no version or one the server has
   * reached, as its content is SQL then; otherwise skips it whole. Returns where to go on.
   */
  private versionComment(start: number): number {
    const sql = this.sql;
    const body = start + 3;
    const digits = versionDigits(sql, body, this.serverVersionId);
    if (digits > 0 && versionNumber(sql, body, digits) > this.serverVersionId) {
      return skipVersionComment(sql, start, body + digits);
    }
    this.inVersionComment = true;
    return body + digits;
  }

  /** Offset of the newline (or NUL, where MySQL also stops) ending a line comment. */
  private lineEnd(from: number): number {
    const sql = this.sql;
    const len = sql.length;
    let p = from;
    while (p < len) {
      const c = sql.charCodeAt(p);
      if (c === LF || c === NUL) break;
      p++;
    }
    return p;
  }

  private set(type: TokenType, start: number, end: number): void {
    this.type = type;
    this.start = start;
    this.end = end;
    this.pos = end;
  }

  private punct(p: number, c: number): void {
    this.char = c;
    this.set(Tok.Punct, p, p + 1);
  }

  /** `@`, after which MySQL reads a user variable name (`@a.b`), unless quoted, or for `@@` a system variable name. */
  private at(p: number): void {
    const next = this.sql.charCodeAt(p + 1);
    if (this.secondAtNext) {
      this.secondAtNext = false;
      this.systemNameNext = next !== BACKTICK;
    } else if (next === AT) {
      this.secondAtNext = true;
    } else {
      this.userNameNext = next !== QUOTE && next !== DQUOTE && next !== BACKTICK;
    }
    this.punct(p, AT);
  }

  /** An unquoted user variable name from `start`: identifier characters and dots. False when there is none. */
  private userVariableName(start: number): boolean {
    const sql = this.sql;
    let p = start;
    while (isIdentChar(sql.charCodeAt(p)) || sql.charCodeAt(p) === DOT) p++;
    if (p === start) return false;
    this.keyword = false;
    this.dotFollows = false;
    this.set(Tok.Word, start, p);
    return true;
  }

  /** An unquoted identifier from `start`; `keyword` says whether MySQL would try it as a keyword. */
  private word(start: number, keyword: boolean): void {
    const sql = this.sql;
    let p = start;
    while (isIdentChar(sql.charCodeAt(p))) p++;
    const dotFollows = sql.charCodeAt(p) === DOT && isIdentChar(sql.charCodeAt(p + 1));
    this.dotFollows = dotFollows;
    this.dotNext = dotFollows;
    this.keyword = keyword && !dotFollows;
    this.set(Tok.Word, start, p);
  }

  /** A token starting with a digit: 0x.., 0b.., integer, decimal, float, or a digit-led identifier. */
  private numberOrWord(start: number): void {
    const sql = this.sql;
    if (sql.charCodeAt(start) === ZERO) {
      const marker = sql.charCodeAt(start + 1);
      if (marker === LOWER_X || marker === LOWER_B) {
        const hex = marker === LOWER_X;
        let p = start + 2;
        while (hex ? isHexDigit(sql.charCodeAt(p)) : isBit(sql.charCodeAt(p))) p++;
        if (p > start + 2 && !isIdentChar(sql.charCodeAt(p))) {
          return this.set(hex ? Tok.HexNumber : Tok.BitNumber, start, p);
        }
        return this.word(start, false);
      }
    }
    let p = start;
    while (isDigit(sql.charCodeAt(p))) p++;
    const c = sql.charCodeAt(p);
    if (!isIdentChar(c)) {
      if (c === DOT) return this.fraction(start, p + 1);
      return this.set(Tok.Integer, start, p);
    }
    if ((c | 0x20) === LOWER_E) {
      const d = sql.charCodeAt(p + 1);
      if (isDigit(d)) return this.exponentDigits(start, p + 1);
      if ((d === PLUS || d === MINUS) && isDigit(sql.charCodeAt(p + 2))) {
        return this.exponentDigits(start, p + 2);
      }
    }
    // `1e`, `1ex`, `123abc`: MySQL reads these as identifiers.
    this.word(start, false);
  }

  /** The digits after a decimal point at `p`, then an optional exponent. */
  private fraction(start: number, from: number): void {
    const sql = this.sql;
    let p = from;
    while (isDigit(sql.charCodeAt(p))) p++;
    if ((sql.charCodeAt(p) | 0x20) !== LOWER_E) return this.set(Tok.Decimal, start, p);
    p++;
    const sign = sql.charCodeAt(p);
    if (sign === PLUS || sign === MINUS) p++;
    // MySQL gives up on the token here and the parser fails at its start.
    if (!isDigit(sql.charCodeAt(p))) throw syntaxErrorAt(sql, start);
    this.exponentDigits(start, p);
  }

  private exponentDigits(start: number, from: number): void {
    const sql = this.sql;
    let p = from;
    while (isDigit(sql.charCodeAt(p))) p++;
    this.set(Tok.Float, start, p);
  }

  /** A quoted string whose body starts at `from`; backslash escapes and doubled quotes are kept for decoding. */
  private string(start: number, from: number, quote: number, type: TokenType): void {
    const sql = this.sql;
    const len = sql.length;
    let escaped = false;
    let p = from;
    for (;;) {
      if (p >= len) throw syntaxErrorAt(sql, start);
      const c = sql.charCodeAt(p);
      if (c === BACKSLASH) {
        escaped = true;
        p += 2;
      } else if (c === quote) {
        if (sql.charCodeAt(p + 1) !== quote) break;
        escaped = true;
        p += 2;
      } else {
        p++;
      }
    }
    this.escaped = escaped;
    this.set(type, start, p + 1);
  }

  private quotedIdent(start: number): void {
    const sql = this.sql;
    const len = sql.length;
    let escaped = false;
    let p = start + 1;
    for (;;) {
      // MySQL treats a NUL inside back quotes as an unmatched quote.
      if (p >= len || sql.charCodeAt(p) === NUL) throw syntaxErrorAt(sql, start);
      if (sql.charCodeAt(p) === BACKTICK) {
        if (sql.charCodeAt(p + 1) !== BACKTICK) break;
        escaped = true;
        p += 2;
      } else {
        p++;
      }
    }
    this.escaped = escaped;
    this.set(Tok.QuotedIdent, start, p + 1);
  }

  private hexString(start: number): void {
    const sql = this.sql;
    let p = start + 2;
    while (isHexDigit(sql.charCodeAt(p))) p++;
    if (sql.charCodeAt(p) !== QUOTE || (p - start) % 2 !== 0) throw syntaxErrorAt(sql, start);
    this.set(Tok.HexString, start, p + 1);
  }

  private bitString(start: number): void {
    const sql = this.sql;
    let p = start + 2;
    while (isBit(sql.charCodeAt(p))) p++;
    if (sql.charCodeAt(p) !== QUOTE) throw syntaxErrorAt(sql, start);
    this.set(Tok.BitString, start, p + 1);
  }
}

function isBit(c: number): boolean {
  return c === ZERO || c === ONE;
}
