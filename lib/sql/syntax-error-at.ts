import { SqlSyntaxError } from './sql-syntax-error.js';

// MySQL prints the fragment with '%-.80s' over characters, so a surrogate pair counts once.
const NEAR_CHARS = 80;

/** Builds the syntax error MySQL reports for a token starting at `offset` in `sql`. */
export function syntaxErrorAt(sql: string, offset: number): SqlSyntaxError {
  return new SqlSyntaxError(nearText(sql, offset), lineAt(sql, offset));
}

function nearText(sql: string, offset: number): string {
  const len = sql.length;
  let p = offset;
  for (let chars = 0; chars < NEAR_CHARS && p < len; chars++) {
    const c = sql.charCodeAt(p);
    const pair = c >= 0xd800 && c <= 0xdbff && isLowSurrogate(sql.charCodeAt(p + 1));
    p += pair ? 2 : 1;
  }
  return sql.slice(offset, p);
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

function lineAt(sql: string, offset: number): number {
  let line = 1;
  for (let p = sql.indexOf('\n'); p !== -1 && p < offset; p = sql.indexOf('\n', p + 1)) line++;
  return line;
}
