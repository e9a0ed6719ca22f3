import type { Lexer } from './lexer.js';
import { TooManyCallArgumentsError, TooManyPlaceholdersError } from './limit-errors.js';
import { MAX_CALL_ARGUMENTS } from './limits.js';
import { NOT_LITERAL, readLiteral } from './literal.js';
import { expectEnd } from './statement-end.js';
import { syntaxErrorAt } from './syntax-error-at.js';
import { isIdentifier, isPunct } from './token-tests.js';
import { identifierValue } from './token-value.js';
import type { SqlValue, Statement } from './types.js';
import { atUserVariable, readUserVariable } from './user-variable.js';

const LPAREN = 0x28;
const RPAREN = 0x29;
const COMMA = 0x2c;
const DOT = 0x2e;
const QUESTION = 0x3f;

/** What the arguments of a CALL were written as, beside their values. */
interface ArgumentForms {
  /** The user variable at each position (`@x`), once one has been seen; null elsewhere. */
  variables: (string | null)[] | null;
  /** Argument positions of `?` placeholders, in order; null when placeholders are not allowed. */
  placeholders: number[] | null;
}

/** Placeholders counted past the ones kept, so that too many of them is told apart. */
interface Counts {
  placeholders: number;
}

/**
 * `CALL [schema.]name [( [literal [, literal]...] )]` with the lexer on
 * CALL. With `placeholders`, an argument may be `?` (a statement being
 * prepared): its value is null until COM_STMT_EXECUTE binds it.
 */
export function parseCall(lx: Lexer, placeholders = false): Statement {
  lx.next();
  let schema: string | null = null;
  let name = readName(lx);
  if (isPunct(lx, DOT)) {
    lx.next();
    schema = name;
    name = readName(lx);
  }
  const args: SqlValue[] = [];
  const forms: ArgumentForms = { variables: null, placeholders: placeholders ? [] : null };
  const counts: Counts = { placeholders: 0 };
  let count = 0;
  if (isPunct(lx, LPAREN)) {
    lx.next();
    if (isPunct(lx, RPAREN)) lx.next();
    else count = readArguments(lx, args, forms, counts);
  }
  expectEnd(lx);
  // MySQL counts placeholders as it parses, so this comes before the argument count.
  if (counts.placeholders > MAX_CALL_ARGUMENTS) throw new TooManyPlaceholdersError();
  // Like MySQL, which counts arguments when it runs the parsed statement: syntax errors come first.
  if (count > MAX_CALL_ARGUMENTS) throw new TooManyCallArgumentsError(schema, name, count);
  return { kind: 'call', schema, name, args, ...forms };
}

function readName(lx: Lexer): string {
  if (!isIdentifier(lx)) throw syntaxErrorAt(lx.sql, lx.start);
  const name = identifierValue(lx);
  lx.next();
  return name;
}

/**
 * Literals separated by commas up to and including the closing parenthesis; returns
 * how many there are, keeping only the first MAX_CALL_ARGUMENTS in `args`.
 */
function readArguments(lx: Lexer, args: SqlValue[], forms: ArgumentForms, counts: Counts): number {
  for (let count = 1; ; count++) {
    const keep = count <= MAX_CALL_ARGUMENTS;
    let value: SqlValue | typeof NOT_LITERAL;
    if (forms.placeholders !== null && isPunct(lx, QUESTION)) {
      lx.next();
      counts.placeholders++;
      if (keep) forms.placeholders.push(count - 1);
      value = null;
    } else if (keep && atUserVariable(lx)) {
      const name = readUserVariable(lx);
      if (name === null) throw syntaxErrorAt(lx.sql, lx.start);
      (forms.variables ??= new Array<string | null>(count - 1).fill(null))[count - 1] = name;
      // Shared, not copied: a handler's arguments are read-only, and a copy per reference
      // would let `CALL p(@big, @big, ...)` multiply the variable's size.
      value = lx.userVariables?.get(name) ?? null;
    } else {
      value = readLiteral(lx, undefined, keep);
    }
    if (value === NOT_LITERAL) throw syntaxErrorAt(lx.sql, lx.start);
    if (keep) {
      args.push(value);
      if (forms.variables !== null && forms.variables.length < args.length) {
        forms.variables.push(null);
      }
    }
    if (isPunct(lx, COMMA)) {
      lx.next();
    } else if (isPunct(lx, RPAREN)) {
      lx.next();
      return count;
    } else {
      throw syntaxErrorAt(lx.sql, lx.start);
    }
  }
}
