export { MysqlRpcServer, MYSQL_RPC_TRANSPORT } from './server/mysql-rpc.server.js';
export type { MysqlRpcStatus, MysqlRpcEvents } from './server/mysql-rpc.server.js';
export { MysqlRpcContext } from './server/mysql-rpc.context.js';
export { MYSQL_RPC_DEFAULTS } from './server/mysql-rpc.options.js';
export type { MysqlRpcServerOptions } from './server/mysql-rpc.options.js';
export { MysqlError } from './server/mysql-error.js';
export type { MysqlErrorPayload } from './server/mysql-error.js';
export { MysqlResultSet, MysqlOk } from './results/result-values.js';
export type { MysqlColumn, MysqlRow, MysqlOkFields } from './results/result-values.js';
export type { MysqlColumnTypeName } from './results/column-definition.js';
export type { MysqlUserOptions, MysqlUserStore, MysqlUsersOption } from './acl/user-store.js';
export type {
  MysqlAccountOptions,
  MysqlAuthPlugin,
  MysqlRoleGrants,
  MysqlTlsRequirement,
} from './acl/account-options.js';
export { hashPassword } from './acl/hash-password.js';
export { createAccountMatcher } from './acl/account-matcher.js';
export type { MysqlPasswordVerifiers } from './acl/hash-password.js';
export { MysqlAclGuard } from './acl/mysql-acl.guard.js';
export { MysqlPublic, MysqlAdmin, MysqlRoles } from './acl/access-decorators.js';
export type { MysqlAccess } from './acl/access-metadata.js';
export type { SessionInfo, MysqlAccountInfo } from './session/session-info.js';
export type { LoginThrottleOptions } from './session/login/login-throttle.js';
export type { MysqlTlsOptions, MysqlRsaKeyOptions } from './tls/tls-options.js';
export type { ServerStats } from './status/server-stats.js';
export type { SqlValue } from './sql/index.js';
export { MysqlResultStream } from './results/result-stream.js';
export type { MysqlStreamColumn, MysqlRowSource } from './results/result-stream.js';
export { MysqlProcedure, MYSQL_SIGNATURE_METADATA } from './signature/procedure-decorator.js';
export { MYSQL_SIGNATURE_EXTRAS_KEY } from './signature/procedure-signature.js';
export type {
  MysqlProcedureSignature,
  MysqlParameter,
  MysqlParameterMode,
} from './signature/procedure-signature.js';
export { MysqlOutParameters } from './signature/out-parameters.js';
export type { CatalogParameter as MysqlParameterInfo } from './session/procedure-catalog.js';
export type { MysqlCallTracer, MysqlCallSpan, MysqlCallStart } from './status/call-tracer.js';
export type { MysqlCallOutcome } from './status/server-stats.js';
export type {
  MysqlCallEnd,
  StatusReport as MysqlStatusReport,
  ProcedureReport as MysqlProcedureReport,
  ClientReport as MysqlClientReport,
  StatusLimits as MysqlStatusLimits,
} from './status/status-report.js';
export type {
  MysqlStatusHttpOptions,
  MysqlStatusViewer,
} from './status/http/status-http-options.js';
export type { StatusHandler as MysqlStatusHandler } from './status/http/status-http.js';
