/** The text of MySQL's ER_PARSE_ERROR (1064) for a given `near` fragment and line. */
export function syntaxErrorMessage(near: string, line: number): string {
  return (
    'You have an error in your SQL syntax; check the manual that corresponds to your MySQL ' +
    `server version for the right syntax to use near '${near}' at line ${line}`
  );
}

/** A query MySQL would reject with ER_PARSE_ERROR; `message` is the exact text MySQL sends. */
export class SqlSyntaxError extends Error {
  /** The query from the offending token on, cut to 80 characters ('' at end of input). */
  readonly near: string;
  /** 1-based line on which the offending token starts. */
  readonly line: number;

  constructor(near: string, line: number) {
    super(syntaxErrorMessage(near, line));
    this.name = 'SqlSyntaxError';
    this.near = near;
    this.line = line;
  }
}

/** A valid statement using something this server cannot evaluate; answered with ER_NOT_SUPPORTED_YET (1235). */
export class SqlUnsupportedError extends Error {
  constructor(
    /** What is not supported, as MySQL's message quotes it. */
    readonly feature: string,
  ) {
    super(`This version of MySQL doesn't yet support '${feature}'`);
    this.name = 'SqlUnsupportedError';
  }
}
