import {
  InvalidGroupFunctionError,
  UnknownColumnError,
  outputCell,
} from '../../../../lib/sql/expression/index.js';
import { parseStatement } from '../../../../lib/sql/index.js';
import {
  NoDatabaseSelectedError,
  NoSuchTableError,
  NoTablesUsedError,
  runQuery,
  stringType,
  Types,
  UnknownTableError,
  type ColumnSpec,
  type QueryResult,
  type SelectQuery,
  type TableResolver,
  type VirtualTable,
} from '../../../../lib/sql/query/index.js';
import type { Value } from '../../../../lib/sql/expression/index.js';
import { context } from '../expression/helpers.js';

const spec = (name: string, type = stringType(64), collation: 'ci' | 'bin' = 'ci'): ColumnSpec => ({
  name,
  type,
  sqlType: 'varchar(64)',
  collation,
  nullable: true,
});

/** A little table: names compare case-sensitively, kinds case-insensitively. */
const PETS: VirtualTable = {
  schema: 'zoo',
  name: 'PETS',
  columns: [
    spec('NAME', stringType(64), 'bin'),
    spec('KIND'),
    spec('LEGS', Types.INT),
    spec('NOTE'),
  ],
  rows: () =>
    [
      ['rex', 'dog', 4n, null],
      ['Tom', 'Cat', 4n, 'grey'],
      ['tweety', 'bird', 2n, null],
      ['felix', 'cat', 4n, 'black'],
      ['nemo', 'fish', 0n, null],
    ] as Value[][],
};

const tables: TableResolver = {
  table(ref) {
    const schema = ref.schema ?? 'zoo';
    if (schema === 'zoo' && ref.name.toLowerCase() === 'pets') return PETS;
    throw new NoSuchTableError(schema, ref.name);
  },
};

function parseQuery(sql: string): SelectQuery {
  const statement = parseStatement(sql);
  if (statement.kind !== 'query') throw new Error(`not a query: ${statement.kind}`);
  return statement.query;
}

function run(sql: string): QueryResult {
  return runQuery(parseQuery(sql), context(), tables);
}

/** Rows as text cells, as a client would read them. */
function rows(sql: string): Array<Array<string | null>> {
  const result = run(sql);
  return result.rows.map((row) =>
    row.map((v, i) => {
      const cell = outputCell(v, result.columns[i]!.type);
      return cell === null ? null : String(cell);
    }),
  );
}

function thrown(sql: string): unknown {
  try {
    run(sql);
  } catch (error) {
    return error;
  }
  throw new Error(`expected ${sql} to fail`);
}

describe('a query parsed on the worker thread', () => {
  it('runs the same once structured-cloned (bytes arrive as a Uint8Array)', () => {
    const q = parseQuery(
      "SELECT CONCAT(NAME, X'21') c, LEGS * 1.5 FROM pets WHERE KIND <> _binary'dog' ORDER BY 1",
    );
    const here = runQuery(q, context(), tables);
    const there = runQuery(structuredClone(q), context(), tables);
    expect(there).toEqual(here);
    expect(here.rows[0]).toEqual([Buffer.from('Tom!'), expect.anything()]);
  });
});

describe('SELECT over a virtual table', () => {
  it('filters, orders and cuts', () => {
    expect(rows("SELECT NAME FROM pets WHERE KIND = 'CAT' ORDER BY NAME")).toEqual([
      ['Tom'],
      ['felix'],
    ]);
    expect(rows('SELECT NAME FROM pets WHERE LEGS > 2 ORDER BY NAME DESC LIMIT 1, 2')).toEqual([
      ['felix'],
      ['Tom'],
    ]);
    expect(rows("SELECT NAME FROM pets WHERE NAME = 'TOM'")).toEqual([]);
    expect(rows("SELECT NAME FROM pets WHERE NOTE IS NULL AND KIND IN ('dog', 'FISH')")).toEqual([
      ['rex'],
      ['nemo'],
    ]);
    expect(rows("SELECT NAME FROM pets WHERE KIND LIKE 'C%' AND NOTE LIKE '%e%'")).toEqual([
      ['Tom'],
    ]);
  });

  it('orders by aliases, positions and expressions, NULLs first', () => {
    expect(rows('SELECT NAME n, NOTE FROM pets ORDER BY NOTE, n')).toEqual([
      ['nemo', null],
      ['rex', null],
      ['tweety', null],
      ['felix', 'black'],
      ['Tom', 'grey'],
    ]);
    expect(rows('SELECT NAME, LEGS FROM pets ORDER BY 2 DESC, LENGTH(NAME) LIMIT 2')).toEqual([
      ['rex', '4'],
      ['Tom', '4'],
    ]);
    // A column's collation orders: KIND ignores case.
    expect(rows('SELECT DISTINCT KIND FROM pets ORDER BY KIND')).toEqual([
      ['bird'],
      ['Cat'],
      ['dog'],
      ['fish'],
    ]);
  });

  it('expands `*` and `t.*`, and names columns by the table’s spelling', () => {
    const r = run('SELECT p.*, name, LEGS + 1 AS more FROM zoo.pets p LIMIT 1');
    expect(r.columns.map((c) => c.name)).toEqual(['NAME', 'KIND', 'LEGS', 'NOTE', 'NAME', 'more']);
    expect(r.columns.map((c) => c.type.kind)).toEqual([
      'string',
      'string',
      'int',
      'string',
      'string',
      'int',
    ]);
    expect(run('SELECT `zoo`.`PETS`.* FROM zoo.pets').columns).toHaveLength(4);
  });

  it('groups, aggregates and filters groups', () => {
    expect(
      rows('SELECT KIND, COUNT(*) n, SUM(LEGS), MAX(NAME) FROM pets GROUP BY KIND HAVING n > 1'),
    ).toEqual([['Cat', '2', '8', 'felix']]);
    expect(
      rows('SELECT COUNT(*), COUNT(NOTE), COUNT(DISTINCT KIND), AVG(LEGS), MIN(LEGS) FROM pets'),
    ).toEqual([['5', '2', '4', '2.8000', '0']]);
    // Aggregates over no rows still give one row.
    expect(rows("SELECT COUNT(*), SUM(LEGS) FROM pets WHERE KIND = 'none'")).toEqual([['0', null]]);
    expect(
      rows('SELECT KIND FROM pets GROUP BY KIND ORDER BY COUNT(*) DESC, KIND LIMIT 1'),
    ).toEqual([['Cat']]);
  });

  it('evaluates without a table, once', () => {
    expect(rows('SELECT 1 + 1, @@wait_timeout')).toEqual([['2', '28800']]);
    expect(rows('SELECT 1 WHERE 0')).toEqual([]);
    expect(rows('SELECT COUNT(*)')).toEqual([['1']]);
  });

  it('refuses as MySQL does, before reading any row', () => {
    expect(thrown('SELECT nope FROM pets')).toEqual(new UnknownColumnError('nope', 'field list'));
    expect(thrown('SELECT 1 FROM pets WHERE nope')).toEqual(
      new UnknownColumnError('nope', 'where clause'),
    );
    expect(thrown('SELECT 1 FROM pets ORDER BY nope')).toEqual(
      new UnknownColumnError('nope', 'order clause'),
    );
    expect(thrown('SELECT 1 FROM pets ORDER BY 2')).toEqual(
      new UnknownColumnError('2', 'order clause'),
    );
    expect(thrown('SELECT 1 FROM pets GROUP BY nope')).toEqual(
      new UnknownColumnError('nope', 'group statement'),
    );
    expect(thrown('SELECT x.NAME FROM pets p')).toEqual(
      new UnknownColumnError('x.NAME', 'field list'),
    );
    expect(thrown('SELECT pets.NAME FROM pets p')).toEqual(
      new UnknownColumnError('pets.NAME', 'field list'),
    );
    expect(thrown('SELECT x.* FROM pets')).toEqual(new UnknownTableError('x'));
    expect(thrown('SELECT *')).toBeInstanceOf(NoTablesUsedError);
    expect(thrown('SELECT 1 FROM pets WHERE COUNT(*) > 1')).toBeInstanceOf(
      InvalidGroupFunctionError,
    );
    expect(thrown('SELECT COUNT(COUNT(*)) FROM pets')).toBeInstanceOf(InvalidGroupFunctionError);
    expect(thrown('SELECT * FROM other.t')).toEqual(new NoSuchTableError('other', 't'));
    const noDb: TableResolver = {
      table: () => {
        throw new NoDatabaseSelectedError();
      },
    };
    expect(() => runQuery(parseQuery('SELECT * FROM t'), context(), noDb)).toThrow(
      NoDatabaseSelectedError,
    );
  });
});
