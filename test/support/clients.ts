import * as mariadb from 'mariadb';
import * as mysql from 'mysql';
import * as mysql2 from 'mysql2/promise';

/** A query's outcome, the same shape whichever client ran it. */
export interface QueryOutcome {
  /** Row sets in order (a CALL's result sets; one for a SELECT). */
  sets: Record<string, unknown>[][];
  /** The final OK's counters, when there was one. */
  ok: { affectedRows: number; insertId: number | bigint } | null;
}

/** A client error as the three drivers report it. */
export interface ClientError {
  errno: number;
  sqlState: string;
  message: string;
}

/** The operations tests need from any npm MySQL client. */
export interface TestClient {
  readonly name: string;
  query(sql: string): Promise<QueryOutcome>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  port: number;
  user?: string;
  password?: string;
  database?: string;
}

type ClientFactory = (o: ConnectOptions) => Promise<TestClient>;

const isOk = (v: unknown): v is { affectedRows: number; insertId: number | bigint } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && 'affectedRows' in v;

function normalise(result: unknown): QueryOutcome {
  if (isOk(result))
    return {
      sets: [],
      ok: { affectedRows: Number(result.affectedRows), insertId: result.insertId },
    };
  const parts = result as unknown[];
  // A plain SELECT answers with one array of row objects.
  if (parts.length === 0 || !Array.isArray(parts[0])) {
    return { sets: [parts.map((r) => ({ ...(r as object) }))], ok: null };
  }
  const sets: Record<string, unknown>[][] = [];
  let ok: QueryOutcome['ok'] = null;
  for (const part of parts) {
    if (Array.isArray(part)) sets.push(part.map((r) => ({ ...(r as object) })));
    else if (isOk(part)) ok = { affectedRows: Number(part.affectedRows), insertId: part.insertId };
  }
  return { sets, ok };
}

const toClientError = (e: unknown): ClientError => {
  const err = e as {
    errno?: number;
    sqlState?: string;
    message?: string;
    sqlMessage?: string;
    text?: string;
  };
  return {
    errno: err.errno ?? -1,
    sqlState: err.sqlState ?? '',
    // mariadb prefixes its messages with "(conn:N, no: E, SQLState: S) ".
    message: (err.sqlMessage ?? err.text ?? err.message ?? '').replace(/^\(conn:[^)]*\) /, ''),
  };
};

/**
 * Settings all three drivers share: exact big numbers and dates as text, so
 * tests compare what the server sent rather than each driver's conversions.
 */
const common = (o: ConnectOptions) => ({
  host: '127.0.0.1',
  port: o.port,
  user: o.user ?? 'testuser',
  password: o.password ?? 'testpass',
  database: o.database,
  supportBigNumbers: true,
  bigNumberStrings: true,
  dateStrings: true,
});

const viaMysql2: ClientFactory = async (o) => {
  const conn = await mysql2.createConnection(common(o));
  return {
    name: 'mysql2',
    async query(sql) {
      try {
        const [result] = await conn.query(sql);
        return normalise(result);
      } catch (e) {
        throw toClientError(e);
      }
    },
    close: () => conn.end(),
  };
};

const viaMysql: ClientFactory = async (o) => {
  const conn = mysql.createConnection(common(o));
  await new Promise<void>((resolve, reject) =>
    conn.connect((e) => (e ? reject(toClientError(e)) : resolve())),
  );
  return {
    name: 'mysql',
    query: (sql) =>
      new Promise((resolve, reject) =>
        conn.query(sql, (e, result) => (e ? reject(toClientError(e)) : resolve(normalise(result)))),
      ),
    close: () => new Promise((resolve) => conn.end(() => resolve())),
  };
};

const viaMariadb: ClientFactory = async (o) => {
  const conn = await mariadb.createConnection({
    ...common(o),
    bigIntAsNumber: false,
    checkDuplicate: false,
  } as mariadb.ConnectionConfig);
  return {
    name: 'mariadb',
    async query(sql) {
      try {
        const result = await conn.query(sql);
        return normalise(result);
      } catch (e) {
        throw toClientError(e);
      }
    },
    close: () => conn.end(),
  };
};

/** The three npm clients every integration test runs against. */
export const CLIENTS: ReadonlyArray<[string, ClientFactory]> = (
  [
    ['mysql2', viaMysql2],
    ['mysql', viaMysql],
    ['mariadb', viaMariadb],
  ] as const
).map(([name, factory]): [string, ClientFactory] => [
  name,
  (o) =>
    factory(o).catch((e: unknown) => {
      throw toClientError(e);
    }),
]);

/** Runs `fn` and returns the client error it must reject with. */
export async function expectClientError(p: Promise<unknown>): Promise<ClientError> {
  try {
    await p;
  } catch (e) {
    return e as ClientError;
  }
  throw new Error('expected the query to fail');
}
