/** What is known about one logged-in connection; handlers see it through the context. */
export interface SessionInfo {
  /** Server-assigned id, as CONNECTION_ID() returns it. */
  readonly connectionId: number;
  /** The user name the client logged in with. */
  readonly user: string;
  /** Client IP address (IPv4-mapped addresses shown as plain IPv4). */
  readonly host: string;
  /** Client TCP port. */
  readonly port: number;
  /** Current database (schema), or null when none is selected. */
  readonly database: string | null;
  /** Connection attributes the client sent (`_client_name`, `program_name`...). */
  readonly attributes: Readonly<Record<string, string>>;
}
