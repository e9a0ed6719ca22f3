/** Capability flags exchanged in the handshake (CLIENT_* in the MySQL sources). */
export const Capability = {
  LONG_PASSWORD: 0x1,
  FOUND_ROWS: 0x2,
  LONG_FLAG: 0x4,
  CONNECT_WITH_DB: 0x8,
  NO_SCHEMA: 0x10,
  COMPRESS: 0x20,
  ODBC: 0x40,
  LOCAL_FILES: 0x80,
  IGNORE_SPACE: 0x100,
  PROTOCOL_41: 0x200,
  INTERACTIVE: 0x400,
  SSL: 0x800,
  IGNORE_SIGPIPE: 0x1000,
  TRANSACTIONS: 0x2000,
  RESERVED: 0x4000,
  SECURE_CONNECTION: 0x8000,
  MULTI_STATEMENTS: 0x10000,
  MULTI_RESULTS: 0x20000,
  PS_MULTI_RESULTS: 0x40000,
  PLUGIN_AUTH: 0x80000,
  CONNECT_ATTRS: 0x100000,
  PLUGIN_AUTH_LENENC_CLIENT_DATA: 0x200000,
  CAN_HANDLE_EXPIRED_PASSWORDS: 0x400000,
  SESSION_TRACK: 0x800000,
  DEPRECATE_EOF: 0x1000000,
  QUERY_ATTRIBUTES: 0x8000000,
} as const;

/**
 * What this server implements, and so advertises. COMPRESS, LOCAL_FILES,
 * SESSION_TRACK and QUERY_ATTRIBUTES are left out on purpose: a client
 * that believes in them would send bytes we cannot read.
 */
export const SERVER_CAPABILITIES =
  Capability.LONG_PASSWORD |
  Capability.FOUND_ROWS |
  Capability.LONG_FLAG |
  Capability.CONNECT_WITH_DB |
  Capability.PROTOCOL_41 |
  // Only the client's to declare (it picks interactive_timeout), as MySQL announces it.
  Capability.INTERACTIVE |
  Capability.TRANSACTIONS |
  Capability.SECURE_CONNECTION |
  Capability.MULTI_RESULTS |
  Capability.PS_MULTI_RESULTS |
  Capability.PLUGIN_AUTH |
  Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA |
  Capability.CONNECT_ATTRS |
  Capability.MULTI_STATEMENTS |
  Capability.DEPRECATE_EOF;

/** Server status flags carried by OK and EOF packets. */
export const ServerStatus = {
  IN_TRANS: 0x0001,
  AUTOCOMMIT: 0x0002,
  MORE_RESULTS_EXISTS: 0x0008,
  NO_GOOD_INDEX_USED: 0x0010,
  NO_INDEX_USED: 0x0020,
  CURSOR_EXISTS: 0x0040,
  LAST_ROW_SENT: 0x0080,
  DB_DROPPED: 0x0100,
  NO_BACKSLASH_ESCAPES: 0x0200,
  METADATA_CHANGED: 0x0400,
  QUERY_WAS_SLOW: 0x0800,
  PS_OUT_PARAMS: 0x1000,
  IN_TRANS_READONLY: 0x2000,
  SESSION_STATE_CHANGED: 0x4000,
} as const;

/** Command bytes: the first byte of every packet a logged-in client sends. */
export const Command = {
  SLEEP: 0x00,
  QUIT: 0x01,
  INIT_DB: 0x02,
  QUERY: 0x03,
  FIELD_LIST: 0x04,
  CREATE_DB: 0x05,
  DROP_DB: 0x06,
  REFRESH: 0x07,
  SHUTDOWN: 0x08,
  STATISTICS: 0x09,
  PROCESS_INFO: 0x0a,
  CONNECT: 0x0b,
  PROCESS_KILL: 0x0c,
  DEBUG: 0x0d,
  PING: 0x0e,
  TIME: 0x0f,
  DELAYED_INSERT: 0x10,
  CHANGE_USER: 0x11,
  BINLOG_DUMP: 0x12,
  TABLE_DUMP: 0x13,
  CONNECT_OUT: 0x14,
  REGISTER_SLAVE: 0x15,
  STMT_PREPARE: 0x16,
  STMT_EXECUTE: 0x17,
  STMT_SEND_LONG_DATA: 0x18,
  STMT_CLOSE: 0x19,
  STMT_RESET: 0x1a,
  SET_OPTION: 0x1b,
  STMT_FETCH: 0x1c,
  DAEMON: 0x1d,
  BINLOG_DUMP_GTID: 0x1e,
  RESET_CONNECTION: 0x1f,
  /** MariaDB only: one statement over many rows of parameters. */
  STMT_BULK_EXECUTE: 0xfa,
} as const;

/** COM_SET_OPTION arguments. */
export const SetOption = {
  MULTI_STATEMENTS_ON: 0,
  MULTI_STATEMENTS_OFF: 1,
} as const;

/** Column types of a column definition packet (enum_field_types). */
export const ColumnType = {
  DECIMAL: 0x00,
  TINY: 0x01,
  SHORT: 0x02,
  LONG: 0x03,
  FLOAT: 0x04,
  DOUBLE: 0x05,
  NULL: 0x06,
  TIMESTAMP: 0x07,
  LONGLONG: 0x08,
  INT24: 0x09,
  DATE: 0x0a,
  TIME: 0x0b,
  DATETIME: 0x0c,
  YEAR: 0x0d,
  VARCHAR: 0x0f,
  BIT: 0x10,
  JSON: 0xf5,
  NEWDECIMAL: 0xf6,
  ENUM: 0xf7,
  SET: 0xf8,
  TINY_BLOB: 0xf9,
  MEDIUM_BLOB: 0xfa,
  LONG_BLOB: 0xfb,
  BLOB: 0xfc,
  VAR_STRING: 0xfd,
  STRING: 0xfe,
  GEOMETRY: 0xff,
} as const;

/** Numeric code of a column type. */
export type ColumnTypeCode = (typeof ColumnType)[keyof typeof ColumnType];

/** Column definition flags. */
export const ColumnFlag = {
  NOT_NULL: 0x0001,
  PRI_KEY: 0x0002,
  UNIQUE_KEY: 0x0004,
  MULTIPLE_KEY: 0x0008,
  BLOB: 0x0010,
  UNSIGNED: 0x0020,
  ZEROFILL: 0x0040,
  BINARY: 0x0080,
  ENUM: 0x0100,
  AUTO_INCREMENT: 0x0200,
  TIMESTAMP: 0x0400,
  SET: 0x0800,
  NUM: 0x8000,
} as const;

/**
 * Collation ids. utf8mb4_general_ci (45) rather than MySQL 8's
 * utf8mb4_0900_ai_ci (255) in the greeting: every client of the last fifteen
 * years knows 45, while some older ones reject 255 as unknown.
 */
export const Charset = {
  UTF8MB4_GENERAL_CI: 45,
  BINARY: 63,
  UTF8MB4_0900_AI_CI: 255,
} as const;

/** Packet header markers. */
export const Marker = {
  OK: 0x00,
  AUTH_MORE_DATA: 0x01,
  LOCAL_INFILE: 0xfb,
  EOF: 0xfe,
  ERR: 0xff,
} as const;

/** Largest payload of one wire packet; longer payloads are split. */
export const MAX_PACKET_CHUNK = 0xffffff;

/** Protocol version byte of the v10 greeting. */
export const PROTOCOL_VERSION = 10;

/**
 * The flags byte of COM_STMT_EXECUTE: a cursor type, and MySQL 8's marker
 * that a `parameter_count` follows (query attributes with no parameters).
 */
export const CursorType = {
  NO_CURSOR: 0x00,
  READ_ONLY: 0x01,
  FOR_UPDATE: 0x02,
  SCROLLABLE: 0x04,
  PARAMETER_COUNT_AVAILABLE: 0x08,
} as const;

/** Bit of a bound parameter's 2-byte type (type, then flags 0x80) that marks it unsigned. */
export const PARAMETER_UNSIGNED = 0x8000;

/** COM_STMT_BULK_EXECUTE flags (MariaDB). */
export const BulkFlag = {
  SEND_UNIT_RESULTS: 64,
  SEND_TYPES_TO_SERVER: 128,
} as const;

/** COM_STMT_BULK_EXECUTE per-value indicator (MariaDB). */
export const BulkIndicator = {
  NONE: 0,
  NULL: 1,
  DEFAULT: 2,
  IGNORE: 3,
} as const;
