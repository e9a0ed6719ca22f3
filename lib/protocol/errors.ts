/** One row of the server error table: code, SQLSTATE and message template. */
export interface ErrorSpec {
  readonly code: number;
  readonly sqlState: string;
  readonly template: string;
}

const spec = (code: number, sqlState: string, template: string): ErrorSpec => ({
  code,
  sqlState,
  template,
});

/**
 * Every error this server sends, in one table. Templates use `%s` in
 * order, as the MySQL sources do; `formatError` fills them.
 */
export const ER = {
  TOO_MANY_CONNECTIONS: spec(1040, '08004', 'Too many connections'),
  OUT_OF_RESOURCES: spec(
    1041,
    'HY000',
    "Out of memory; check if mysqld or some other process uses all available memory; if not, you may have to use 'ulimit' to allow mysqld to use more memory or you can add more swap space",
  ),
  HANDSHAKE_ERROR: spec(1043, '08S01', 'Bad handshake'),
  DBACCESS_DENIED: spec(1044, '42000', "Access denied for user '%s'@'%s' to database '%s'"),
  ACCESS_DENIED: spec(1045, '28000', "Access denied for user '%s'@'%s' (using password: %s)"),
  UNKNOWN_COM: spec(1047, '08S01', 'Unknown command'),
  BAD_DB: spec(1049, '42000', "Unknown database '%s'"),
  SERVER_SHUTDOWN: spec(1053, '08S01', 'Server shutdown in progress'),
  PARSE_ERROR: spec(1064, '42000', '%s'),
  CALL_ONLY: spec(
    1064,
    '42000',
    "You have an error in your SQL syntax; this server runs CALL statements only (CALL name(args)), near '%s' at line 1",
  ),
  EMPTY_QUERY: spec(1065, '42000', 'Query was empty'),
  NET_PACKET_TOO_LARGE: spec(1153, '08S01', "Got a packet bigger than 'max_allowed_packet' bytes"),
  UNKNOWN_ERROR: spec(1105, 'HY000', 'Unknown error'),
  HOST_IS_BLOCKED: spec(
    1129,
    'HY000',
    "Host '%s' is blocked because of many connection errors; unblock with 'mysqladmin flush-hosts'",
  ),
  NONEXISTING_GRANT: spec(
    1141,
    '42000',
    "There is no such grant defined for user '%s' on host '%s'",
  ),
  NET_PACKETS_OUT_OF_ORDER: spec(1156, '08S01', 'Got packets out of order'),
  NET_WRITE_INTERRUPTED: spec(1161, '08S01', 'Got timeout writing communication packets'),
  NOT_SUPPORTED_YET: spec(1235, '42000', "This version of MySQL doesn't yet support '%s'"),
  USER_VARIABLES_LIMIT: spec(
    1105,
    'HY000',
    'Too many user variables in this session (limit: %s names, %s bytes)',
  ),
  UNKNOWN_SYSTEM_VARIABLE: spec(1193, 'HY000', "Unknown system variable '%s'"),
  TOO_MANY_USER_CONNECTIONS: spec(
    1203,
    '42000',
    "User %s already has more than 'max_user_connections' active connections",
  ),
  USER_LIMIT_REACHED: spec(
    1226,
    '42000',
    "User '%s' has exceeded the '%s' resource (current value: %s)",
  ),
  SPECIFIC_ACCESS_DENIED: spec(
    1227,
    '42000',
    'Access denied; you need (at least one of) the %s privilege(s) for this operation',
  ),
  SP_DOES_NOT_EXIST: spec(1305, '42000', '%s %s does not exist'),
  SP_BADSELECT: spec(1312, '0A000', "PROCEDURE %s can't return a result set in the given context"),
  SP_WRONG_NO_OF_ARGS: spec(
    1318,
    '42000',
    'Incorrect number of arguments for %s %s; expected %s, got %s',
  ),
  PROCACCESS_DENIED: spec(1370, '42000', "%s command denied to user '%s'@'%s' for routine '%s'"),
  SECURE_TRANSPORT_REQUIRED: spec(
    3159,
    'HY000',
    'Connections using insecure transport are prohibited while --require_secure_transport=ON.',
  ),
  SIGNAL_EXCEPTION: spec(1644, '45000', 'Unhandled user-defined exception condition'),
  TOO_MANY_FIELDS: spec(1117, '42000', 'Too many columns'),
  ILLEGAL_VALUE_FOR_TYPE: spec(1367, '22007', "Illegal %s '%s' value found during parsing"),
} as const;

/** An error ready for the wire: code, SQLSTATE and final message. */
export interface WireError {
  readonly code: number;
  readonly sqlState: string;
  readonly message: string;
}

/** Fills an error template with its arguments, in order. */
export function formatError(e: ErrorSpec, ...args: Array<string | number>): WireError {
  let i = 0;
  const message = e.template.replace(/%s/g, () => String(args[i++] ?? ''));
  return { code: e.code, sqlState: e.sqlState, message };
}
