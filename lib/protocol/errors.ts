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
  NO_SUCH_THREAD: spec(1094, 'HY000', 'Unknown thread id: %s'),
  KILL_DENIED: spec(1095, 'HY000', 'You are not owner of thread %s'),
  QUERY_INTERRUPTED: spec(1317, '70100', 'Query execution was interrupted'),
  CLIENT_INTERACTION_TIMEOUT: spec(
    4031,
    'HY000',
    'The client was disconnected by the server because of inactivity. See wait_timeout and interactive_timeout for configuring this behavior.',
  ),
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
  WRONG_ARGUMENTS: spec(1210, 'HY000', 'Incorrect arguments to %s'),
  UNKNOWN_STMT_HANDLER: spec(1243, 'HY000', 'Unknown prepared statement handler (%s) given to %s'),
  PS_MANY_PARAM: spec(1390, '42000', 'Prepared statement contains too many placeholders'),
  STMT_HAS_NO_OPEN_CURSOR: spec(1421, 'HY000', 'The statement (%s) has no open cursor.'),
  MAX_PREPARED_STMT_COUNT_REACHED: spec(
    1461,
    '42000',
    "Can't create more than max_prepared_stmt_count statements (current value: %s)",
  ),
  MALFORMED_PACKET: spec(1835, 'HY000', 'Malformed communication packet.'),
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
  // A CALL's arguments against a declared signature (@MysqlProcedure), as MySQL 8 in strict mode.
  SP_NOT_VAR_ARG: spec(
    1414,
    '42000',
    'OUT or INOUT argument %s for routine %s is not a variable or NEW pseudo-variable in BEFORE trigger',
  ),
  WARN_DATA_OUT_OF_RANGE: spec(1264, '22003', "Out of range value for column '%s' at row %s"),
  WARN_DATA_TRUNCATED: spec(1265, '01000', "Data truncated for column '%s' at row %s"),
  TRUNCATED_WRONG_VALUE_FOR_FIELD: spec(
    1366,
    'HY000',
    "Incorrect %s value: '%s' for column '%s' at row %s",
  ),
  WRONG_TEMPORAL_VALUE: spec(1292, '22007', "Incorrect %s value: '%s' for column '%s' at row %s"),
  DATA_TOO_LONG: spec(1406, '22001', "Data too long for column '%s' at row %s"),
  INVALID_JSON_TEXT: spec(
    3140,
    '22032',
    'Invalid JSON text: "%s" at position %s in value for column \'%s\'.',
  ),
  INVALID_JSON_CHARSET: spec(
    3144,
    '22032',
    "Cannot create a JSON value from a string with CHARACTER SET '%s'.",
  ),
  JSON_DOCUMENT_TOO_DEEP: spec(3157, '22032', 'The JSON document exceeds the maximum depth.'),
  // Session variables (SET, SELECT @@x).
  BAD_FIELD_ERROR: spec(1054, '42S22', "Unknown column '%s' in '%s'"),
  UNKNOWN_CHARACTER_SET: spec(1115, '42000', "Unknown character set: '%s'"),
  LOCAL_VARIABLE: spec(
    1228,
    'HY000',
    "Variable '%s' is a SESSION variable and can't be used with SET GLOBAL",
  ),
  GLOBAL_VARIABLE: spec(
    1229,
    'HY000',
    "Variable '%s' is a GLOBAL variable and should be set with SET GLOBAL",
  ),
  WRONG_VALUE_FOR_VAR: spec(1231, '42000', "Variable '%s' can't be set to the value of '%s'"),
  WRONG_TYPE_FOR_VAR: spec(1232, '42000', "Incorrect argument type to variable '%s'"),
  INCORRECT_GLOBAL_LOCAL_VAR: spec(1238, 'HY000', "Variable '%s' is a %s variable"),
  COLLATION_CHARSET_MISMATCH: spec(
    1253,
    '42000',
    "COLLATION '%s' is not valid for CHARACTER SET '%s'",
  ),
  UNKNOWN_COLLATION: spec(1273, 'HY000', "Unknown collation: '%s'"),
  UNKNOWN_TIME_ZONE: spec(1298, 'HY000', "Unknown or incorrect time zone: '%s'"),
  CANT_CHANGE_TX_CHARACTERISTICS: spec(
    1568,
    '25001',
    "Transaction characteristics can't be changed while a transaction is in progress",
  ),
  VARIABLE_IS_READONLY: spec(
    1621,
    'HY000',
    "%s variable '%s' is read-only. Use SET %s to assign the value",
  ),
  // Queries over information_schema and expressions (lib/session/introspection.ts).
  NO_DB_ERROR: spec(1046, '3D000', 'No database selected'),
  BAD_TABLE_ERROR: spec(1051, '42S02', "Unknown table '%s'"),
  NO_TABLES_USED: spec(1096, 'HY000', 'No tables used'),
  UNKNOWN_TABLE: spec(1109, '42S02', "Unknown table '%s' in %s"),
  INVALID_GROUP_FUNC_USE: spec(1111, 'HY000', 'Invalid use of group function'),
  NO_SUCH_TABLE: spec(1146, '42S02', "Table '%s.%s' doesn't exist"),
  WRONG_PARAMCOUNT_TO_NATIVE_FCT: spec(
    1582,
    '42000',
    "Incorrect parameter count in the call to native function '%s'",
  ),
  DATA_OUT_OF_RANGE: spec(1690, '22003', "%s value is out of range in '%s'"),
  QUERY_TIMEOUT: spec(
    3024,
    'HY000',
    'Query execution was interrupted, maximum statement execution time exceeded',
  ),
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
