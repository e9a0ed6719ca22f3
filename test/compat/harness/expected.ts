import {
  ARGS,
  BINARY_AS_TEXT,
  ERR_DENIED,
  ERR_FAILING,
  ERR_UNKNOWN,
  ERR_WRONG_PASSWORD,
  LARGE_LENGTH,
  UNICODE,
  argRow,
} from './checks.js';

/**
 * What the sample's procedures answer, written the way one client hands
 * the values over: the text protocol gives some drivers every value as a
 * string, Connector/J reads TINYINT(1) as a boolean, the npm drivers turn
 * DATETIME into a JS Date, and so on. Each client's test says which style
 * its variants use.
 */
export interface ValueStyle {
  /** A BIGINT value. */
  int(n: number): unknown;
  /** A DOUBLE value. */
  double(x: number): unknown;
  /** A TINYINT(1) value (a JS boolean in the handler). */
  bool(b: boolean): unknown;
  /** A DATETIME(3) value, given as 'YYYY-MM-DD HH:MM:SS.mmm' (the sample runs in UTC). */
  datetime(text: string): unknown;
  /** Any BIGINT (a count, an id) whose value varies. */
  anyInt(): unknown;
}

/** Numbers as numbers, TINYINT(1) as 0/1, DATETIME as its text. */
export const NATIVE: ValueStyle = {
  int: (n) => n,
  double: (x) => x,
  bool: (b) => (b ? 1 : 0),
  datetime: (t) => t,
  anyInt: () => expect.any(Number),
};

/** Every value as the text the server sent (the text protocol read without types). */
export const TEXT: ValueStyle = {
  int: (n) => String(n),
  double: (x) => String(x),
  bool: (b) => (b ? '1' : '0'),
  datetime: (t) => t,
  anyInt: () => expect.stringMatching(/^\d+$/),
};

/** The npm drivers: numbers, and DATETIME as a Date (written as its ISO text). */
export const NODE: ValueStyle = {
  ...NATIVE,
  datetime: (t) => `${t.replace(' ', 'T')}Z`,
};

/** Connector/J: numbers, TINYINT(1) as a Boolean. */
export const JDBC: ValueStyle = { ...NATIVE, bool: (b) => b };

/** `CALL whoami()` as `user` (whoami in sample/math.controller.ts). */
export function whoami(style: ValueStyle, user: string, tls: boolean) {
  return [
    [
      {
        user,
        account: `${user}@%`,
        roles: '',
        tls: style.bool(tls),
        client: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
        connection_id: style.anyInt(),
        database: null,
        procedure: 'whoami',
      },
    ],
  ];
}

/** `CALL myadd(a, b)`: one row, `sum`. */
export const sum = (style: ValueStyle, n: number) => [[{ sum: style.int(n) }]];

/** `CALL series(n)`: id, square, half, label, even, at (2026-01-01 00:00:00 + i s). */
export function series(style: ValueStyle, n = 3) {
  return [
    Array.from({ length: n }, (_, i) => ({
      id: style.int(i + 1),
      square: style.int((i + 1) ** 2),
      half: style.double((i + 1) / 2),
      label: `row ${i + 1}`,
      even: style.bool(i % 2 === 1),
      at: style.datetime(`2026-01-01 00:00:0${i}.000`),
    })),
  ];
}

/** `CALL stats()`: two result sets (uptime; heap and RSS), then the final OK. */
export function stats(style: ValueStyle) {
  return [
    [{ metric: 'uptime_s', value: style.anyInt() }],
    [{ heap_used: style.anyInt(), rss: style.anyInt() }],
  ];
}

/** `CALL echo(v)`: one row `{v}` as received. */
export const echo = (v: unknown) => [[{ v }]];

/** The unicode round trip and the NULL echo. */
export const UNICODE_ECHO = echo(UNICODE);
export const NULL_ECHO = echo(null);

/** The large echo: the program reports the length it got back and whether it is the same text. */
export const LARGE = [[{ length: LARGE_LENGTH, same: true }]];

/**
 * A prepared `CALL myadd_out(?, ?, ?)` (sample/types.controller.ts: IN a
 * INT, IN b INT, OUT sum BIGINT): the OUT values as one more result set,
 * one row named after the parameters (SERVER_PS_OUT_PARAMS), before the OK.
 */
export const OUT_SET = [[{ sum: 7 }]];

/**
 * The same CALL from a client that did not set CLIENT_PS_MULTI_RESULTS
 * (mysql2, mysqlnd): as MySQL, the server sends no OUT result set, which
 * the client could not tell from the CALL's own, only the OK.
 */
export const NO_OUT_SET: unknown[] = [];

/** `CALL myadd_out(3, 4, @s)` (an OK, no result set), then `SELECT @s`. */
export const outParam = (style: ValueStyle) => ({ call: [], select: [[{ '@s': style.int(7) }]] });

/**
 * How the server decodes each argtypes argument, by how the client sent it.
 * Text (written into the SQL): as the README's literal table says. Binary
 * (COM_STMT_EXECUTE): the same values a text CALL with the equivalent
 * literal gives the handler: integers as number (bigint beyond 2^53),
 * DOUBLE as number, DECIMAL as its literal would be (number), string
 * types as string, BLOB types as Buffer, DATE as 'YYYY-MM-DD' and
 * DATETIME as 'YYYY-MM-DD HH:MM:SS' (fraction only when not zero),
 * NULL as null.
 */
export const decoded = {
  int: (position: number, v: number) => argRow(position, 'number', String(v)),
  bigint: (position: number) => argRow(position, 'bigint', ARGS.bigint),
  bigintAsString: (position: number) => argRow(position, 'string', ARGS.bigint),
  double: (position: number) => argRow(position, 'number', '1.5'),
  doubleAsString: (position: number) => argRow(position, 'string', '1.5'),
  decimalString: (position: number) => argRow(position, 'string', ARGS.decimal),
  decimal: (position: number) => argRow(position, 'number', '12.5'),
  string: (position: number) => argRow(position, 'string', ARGS.string),
  unicode: (position: number) => argRow(position, 'string', ARGS.unicode),
  null: (position: number) => argRow(position, 'null', null),
  buffer: (position: number) => argRow(position, 'buffer', ARGS.binaryHex),
  bytesAsText: (position: number) => argRow(position, 'string', BINARY_AS_TEXT),
  text: (position: number, text: string) => argRow(position, 'string', text),
};

/**
 * The first eight argtypes rows, the same for nearly every client: 7, -7,
 * 2^53 + 1, 1.5, '12.50', the quoted string, the unicode string, NULL.
 */
export function firstArgRows(
  options: { bigint?: 'bigint' | 'string'; double?: 'number' | 'string' } = {},
) {
  return [
    decoded.int(1, 7),
    decoded.int(2, -7),
    options.bigint === 'string' ? decoded.bigintAsString(3) : decoded.bigint(3),
    options.double === 'string' ? decoded.doubleAsString(4) : decoded.double(4),
    decoded.decimalString(5),
    decoded.string(6),
    decoded.unicode(7),
    decoded.null(8),
  ];
}

/** The argtypes result: one result set of these rows, with `position` as the style writes a BIGINT. */
export function argtypes(style: ValueStyle, rows: ReturnType<typeof argRow>[]) {
  return [rows.map((r) => ({ ...r, position: style.int(r.position) }))];
}

/** The date and datetime arguments as strings (how text clients and most binary binds deliver them). */
export const DATE_ROWS = [decoded.text(10, ARGS.date), decoded.text(11, ARGS.datetime)];

/** The login checks of a variant: testuser without TLS, `secure` over TLS, a wrong password. */
export function loginChecks(style: ValueStyle, wrongPassword: unknown = ERR_WRONG_PASSWORD) {
  return {
    login: whoami(style, 'testuser', false),
    login_tls: whoami(style, 'secure', true),
    login_wrong_password: wrongPassword,
  };
}

/**
 * The checks every variant runs (see the programs), as they must come out:
 * the sample's procedures in `style`, the argtypes rows given, and the
 * three procedure errors.
 */
export function callChecks(style: ValueStyle, argRows: ReturnType<typeof argRow>[]) {
  return {
    myadd: sum(style, 7),
    myadd_bound: sum(style, 7),
    argtypes: argtypes(style, argRows),
    series: series(style),
    stats: stats(style),
    unicode: UNICODE_ECHO,
    null: NULL_ECHO,
    large: LARGE,
    out_param: outParam(style),
    error_unknown: ERR_UNKNOWN,
    error_denied: ERR_DENIED,
    error_failing: ERR_FAILING,
  };
}

/** Prefixes each check with its variant: `mysql2.query` + `myadd` -> `mysql2.query.myadd`. */
export function variant(name: string, checks: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(checks).map(([k, v]) => [`${name}.${k}`, v]));
}

/** `checks` without the named ones (a variant that has no way to run them). */
export function omit(checks: Record<string, unknown>, ...names: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(checks).filter(([k]) => !names.includes(k)));
}

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A whole-text matcher: the literal parts are matched exactly, the holes
 * are regular expressions (`rx\`Connection id:\t\t${ANY_INT}\n\``).
 */
export function rx(parts: TemplateStringsArray, ...holes: string[]) {
  const source = parts.map((p, i) => escapeRegExp(p) + (i < holes.length ? holes[i] : '')).join('');
  return expect.stringMatching(new RegExp(`^${source}$`));
}

/** Holes for rx: a decimal number, anything on one line. */
export const ANY_INT = '\\d+';
export const ANY_TEXT = '[^\\n]*';
