import { ER, formatError } from '../../../../lib/protocol/errors.js';
import { SessionRefusal } from '../../../../lib/session/session-refusal.js';
import { showResult } from '../../../../lib/session/virtual-tables/show-results.js';
import type { ShowStatement } from '../../../../lib/sql/query/index.js';
import { source } from './source.js';

const shown = (show: ShowStatement, overrides = {}) => {
  const r = showResult(show, source(overrides));
  return {
    columns: r.table.columns.map((c) => c.name),
    rows: r.table.rows(),
    likeTitle: r.likeTitle,
  };
};

function refused(show: ShowStatement, overrides = {}): { code: number; message: string } {
  try {
    showResult(show, source(overrides)).table.rows();
  } catch (error) {
    if (!(error instanceof SessionRefusal)) throw error;
    return { code: error.wire.code, message: error.wire.message };
  }
  throw new Error('expected a refusal');
}

describe('SHOW results, with MySQL 8’s column names', () => {
  it('SHOW VARIABLES', () => {
    const r = shown({ what: 'variables', scope: 'session', filter: null });
    expect(r.columns).toEqual(['Variable_name', 'Value']);
    expect(r.rows).toContainEqual(['lower_case_table_names', '0']);
  });

  it('SHOW STATUS, its values as text as SHOW VARIABLES prints them', () => {
    const r = shown({ what: 'status', scope: 'global', filter: null });
    expect(r.columns).toEqual(['Variable_name', 'Value']);
    expect(r.rows).toEqual([
      ['Bytes_received', '120'],
      ['Ssl_cipher', ''],
      ['Uptime', '42'],
    ]);
    const types = showResult({ what: 'status', scope: 'session', filter: null }, source()).table
      .columns;
    expect(types.map((c) => c.sqlType)).toEqual(['varchar(64)', 'varchar(1024)']);
  });

  it('SHOW STATUS asks for the scope it shows, and passes on a refusal before any row', () => {
    const scopes: string[] = [];
    const status = (scope: 'global' | 'session') => {
      scopes.push(scope);
      if (scope === 'global') {
        throw new SessionRefusal(formatError(ER.SPECIFIC_ACCESS_DENIED, 'PROCESS'));
      }
      return [['Uptime', 1] as const];
    };
    expect(shown({ what: 'status', scope: 'session', filter: null }, { status }).rows).toEqual([
      ['Uptime', '1'],
    ]);
    expect(() =>
      showResult({ what: 'status', scope: 'global', filter: null }, source({ status })),
    ).toThrow(SessionRefusal);
    expect(scopes).toEqual(['session', 'global']);
  });

  it('SHOW DATABASES and SHOW TABLES, with their LIKE titles', () => {
    const dbs = shown({ what: 'databases', filter: null });
    expect(dbs.columns).toEqual(['Database']);
    expect(dbs.rows).toEqual([['information_schema'], ['rpc']]);
    expect(dbs.likeTitle!('r%')).toBe('Database (r%)');
    const tables = shown({ what: 'tables', full: true, schema: null, filter: null });
    expect(tables.columns).toEqual(['Tables_in_rpc', 'Table_type']);
    expect(tables.rows).toEqual([]);
    expect(tables.likeTitle!('x')).toBe('Tables_in_rpc (x)');
    const schema = shown({
      what: 'tables',
      full: false,
      schema: 'INFORMATION_SCHEMA',
      filter: null,
    });
    expect(schema.columns).toEqual(['Tables_in_information_schema']);
    expect(schema.rows).toContainEqual(['ROUTINES']);
    expect(schema.rows).toContainEqual(['PROCESSLIST']);
  });

  it('SHOW TABLE STATUS, SHOW ENGINES, SHOW PLUGINS, SHOW COLLATION, SHOW CHARACTER SET', () => {
    expect(shown({ what: 'table-status', schema: 'rpc', filter: null }).columns).toHaveLength(18);
    const status = shown({ what: 'table-status', schema: 'information_schema', filter: null });
    expect(status.rows[0]![0]).toBe('CHARACTER_SETS');
    expect(status.rows[0]).toHaveLength(18);
    expect(shown({ what: 'engines' })).toMatchObject({
      columns: ['Engine', 'Support', 'Comment', 'Transactions', 'XA', 'Savepoints'],
      rows: [],
    });
    expect(shown({ what: 'plugins' })).toMatchObject({
      columns: ['Name', 'Status', 'Type', 'Library', 'License'],
      rows: [
        ['caching_sha2_password', 'ACTIVE', 'AUTHENTICATION', null, 'MIT'],
        ['mysql_native_password', 'ACTIVE', 'AUTHENTICATION', null, 'MIT'],
      ],
    });
    expect(shown({ what: 'collation', filter: null }).columns).toEqual([
      'Collation',
      'Charset',
      'Id',
      'Default',
      'Compiled',
      'Sortlen',
      'Pad_attribute',
    ]);
    expect(shown({ what: 'charset', filter: null }).columns).toEqual([
      'Charset',
      'Description',
      'Default collation',
      'Maxlen',
    ]);
  });

  it('SHOW PROCEDURE STATUS, SHOW FUNCTION STATUS and SHOW CREATE PROCEDURE', () => {
    const status = shown({ what: 'routine-status', routine: 'PROCEDURE', filter: null });
    expect(status.columns).toEqual([
      'Db',
      'Name',
      'Type',
      'Definer',
      'Modified',
      'Created',
      'Security_type',
      'Comment',
      'character_set_client',
      'collation_connection',
      'Database Collation',
    ]);
    expect(status.rows.map((r) => r[1])).toEqual(['add', 'audit', 'free', 'odd name']);
    expect(shown({ what: 'routine-status', routine: 'FUNCTION', filter: null }).rows).toEqual([]);
    const create = shown({
      what: 'create-routine',
      routine: 'PROCEDURE',
      schema: null,
      name: 'ADD',
    });
    expect(create.columns).toEqual([
      'Procedure',
      'sql_mode',
      'Create Procedure',
      'character_set_client',
      'collation_connection',
      'Database Collation',
    ]);
    expect(create.rows[0]![0]).toBe('add');
    // Without a current database the procedure is still the server's.
    expect(
      shown(
        { what: 'create-routine', routine: 'PROCEDURE', schema: null, name: 'free' },
        { currentDatabase: null },
      ).rows,
    ).toHaveLength(1);
  });

  it('SHOW COLUMNS, SHOW INDEX and SHOW CREATE TABLE of information_schema’s tables', () => {
    const columns = shown({
      what: 'columns',
      full: false,
      schema: 'information_schema',
      table: 'keywords',
      filter: null,
    });
    expect(columns.columns).toEqual(['Field', 'Type', 'Null', 'Key', 'Default', 'Extra']);
    expect(columns.rows).toEqual([
      ['WORD', 'varchar(128)', 'YES', '', null, ''],
      ['RESERVED', 'int', 'YES', '', null, ''],
    ]);
    expect(
      shown({
        what: 'columns',
        full: true,
        schema: 'information_schema',
        table: 'KEYWORDS',
        filter: null,
      }).columns,
    ).toEqual([
      'Field',
      'Type',
      'Collation',
      'Null',
      'Key',
      'Default',
      'Extra',
      'Privileges',
      'Comment',
    ]);
    expect(
      shown({
        what: 'index',
        full: false,
        schema: 'information_schema',
        table: 'KEYWORDS',
        filter: null,
      }).rows,
    ).toEqual([]);
    expect(
      shown({
        what: 'create-table',
        full: false,
        schema: 'information_schema',
        table: 'KEYWORDS',
        filter: null,
      }).rows[0]![1],
    ).toBe(
      'CREATE TEMPORARY TABLE `KEYWORDS` (\n  `WORD` varchar(128) DEFAULT NULL,\n  `RESERVED` int DEFAULT NULL\n) ENGINE=MEMORY DEFAULT CHARSET=utf8mb3',
    );
  });

  it('refuses what does not exist, as MySQL', () => {
    expect(refused({ what: 'tables', full: false, schema: 'nodb', filter: null })).toEqual({
      code: 1049,
      message: "Unknown database 'nodb'",
    });
    expect(refused({ what: 'tables', full: false, schema: 'RPC', filter: null })).toEqual({
      code: 1049,
      message: "Unknown database 'RPC'",
    });
    expect(
      refused(
        { what: 'tables', full: false, schema: null, filter: null },
        { currentDatabase: null },
      ),
    ).toEqual({ code: 1046, message: 'No database selected' });
    expect(
      refused({ what: 'create-routine', routine: 'PROCEDURE', schema: 'rpc', name: 'nope' }),
    ).toEqual({ code: 1305, message: 'PROCEDURE nope does not exist' });
    expect(
      refused({ what: 'create-routine', routine: 'PROCEDURE', schema: 'other', name: 'add' }),
    ).toEqual({ code: 1305, message: 'PROCEDURE add does not exist' });
    expect(
      refused({ what: 'create-routine', routine: 'FUNCTION', schema: null, name: 'add' }),
    ).toEqual({ code: 1305, message: 'FUNCTION add does not exist' });
    expect(refused({ what: 'create-database', name: 'nodb' })).toEqual({
      code: 1049,
      message: "Unknown database 'nodb'",
    });
    expect(
      refused({ what: 'columns', full: false, schema: null, table: 't', filter: null }),
    ).toEqual({ code: 1146, message: "Table 'rpc.t' doesn't exist" });
    expect(
      refused({
        what: 'index',
        full: false,
        schema: 'information_schema',
        table: 'NOPE',
        filter: null,
      }),
    ).toEqual({ code: 1146, message: "Table 'information_schema.NOPE' doesn't exist" });
  });
});
