import {
  EmptyQueryError,
  parseNextStatement,
  parseStatement,
  SqlSyntaxError,
  TooManyPlaceholdersError,
  TooManyCallArgumentsError,
  type Statement,
} from '../../../lib/sql/index.js';

type Call = Extract<Statement, { kind: 'call' }>;

const prepared = (sql: string): Call => {
  const s = parseStatement(sql, null, { placeholders: true });
  if (s.kind !== 'call') throw new Error(`expected a CALL, got ${s.kind}`);
  return s;
};

describe('CALL with ? placeholders (COM_STMT_PREPARE)', () => {
  it.each([
    ['CALL p(?)', [0], [null]],
    ['CALL p(?, ?)', [0, 1], [null, null]],
    ['CALL p(1, ?, "x", ?)', [1, 3], [1, null, null, 'x', null].filter((_, i) => i !== 2)],
    ['CALL p()', [], []],
    ['CALL p(  ?  )', [0], [null]],
  ])('%s', (sql, placeholders, args) => {
    const call = prepared(sql);
    expect(call.placeholders).toEqual(placeholders);
    expect(call.args).toHaveLength(args.length);
    for (const p of placeholders) expect(call.args[p]).toBeNull();
  });

  it('refuses ? where placeholders are not allowed, as a text query', () => {
    expect(() => parseStatement('CALL p(?)')).toThrow(SqlSyntaxError);
    expect((parseStatement('CALL p(1)') as Call).placeholders).toBeNull();
  });

  it('refuses ? in an expression position it cannot stand in', () => {
    expect(() => prepared('CALL p(-?)')).toThrow(SqlSyntaxError);
    expect(() => prepared('CALL p(??)')).toThrow(SqlSyntaxError);
  });

  it('counts placeholders past 65,535 as ERR 1390, before the argument count', () => {
    const many = `CALL p(${new Array(65536).fill('?').join(',')})`;
    expect(() => prepared(many)).toThrow(TooManyPlaceholdersError);
    const literals = `CALL p(${new Array(65536).fill('1').join(',')})`;
    expect(() => prepared(literals)).toThrow(TooManyCallArgumentsError);
  });
});

describe('CALL arguments written as user variables', () => {
  const vars = { get: (name: string) => ({ a: 5, b: 'x' })[name] };

  it('remembers the variable at each position, with its value', () => {
    const call = parseStatement('CALL p(1, @a, @`B`, 2)', vars) as Call;
    expect(call.args).toEqual([1, 5, 'x', 2]);
    expect(call.variables).toEqual([null, 'a', 'b', null]);
  });

  it('has no variables list when no argument is one', () => {
    expect((parseStatement('CALL p(1, 2)', vars) as Call).variables).toBeNull();
  });

  it('reads an unset variable as NULL and still names it', () => {
    const call = parseStatement('CALL p(@nope)', vars) as Call;
    expect(call.args).toEqual([null]);
    expect(call.variables).toEqual(['nope']);
  });
});

describe('parseNextStatement (multi-statements)', () => {
  const all = (sql: string): string[] => {
    const kinds: string[] = [];
    let from = 0;
    for (;;) {
      const { statement, next } = parseNextStatement(sql, from);
      kinds.push(statement.kind);
      if (next < 0) return kinds;
      from = next;
    }
  };

  it('splits at each semicolon', () => {
    expect(all('SET @a = 1; SELECT @a; CALL p(1)')).toEqual(['set', 'select', 'call']);
  });

  it('keeps semicolons inside strings, quoted names and comments', () => {
    expect(all("SELECT 'a;b'; CALL `x;y`(1) /* ; */; SELECT 1 -- ;\n")).toEqual([
      'select',
      'call',
      'select',
    ]);
  });

  it('treats blanks and comments after the last semicolon as nothing', () => {
    expect(parseNextStatement('SELECT 1;  /* c */ ', 0).next).toBe(-1);
    expect(parseNextStatement('SELECT 1', 0).next).toBe(-1);
  });

  it('does not read past the semicolon: a broken later statement fails only when parsed', () => {
    const first = parseNextStatement("SELECT 1; SELECT 'unterminated", 0);
    expect(first.statement.kind).toBe('select');
    expect(first.next).toBeGreaterThan(0);
    expect(() => parseNextStatement("SELECT 1; SELECT 'unterminated", first.next)).toThrow(
      SqlSyntaxError,
    );
  });

  it('reports an empty statement between semicolons', () => {
    const first = parseNextStatement('SELECT 1; ; SELECT 2', 0);
    expect(() => parseNextStatement('SELECT 1; ; SELECT 2', first.next)).toThrow();
    expect(() => parseNextStatement('  ', 0)).toThrow(EmptyQueryError);
  });

  it('ends an unknown statement at its semicolon', () => {
    const first = parseNextStatement('DO 1; SELECT 2', 0);
    expect(first.statement.kind).toBe('other');
    expect(parseNextStatement('DO 1; SELECT 2', first.next).statement.kind).toBe('select');
    // Quoted from where it starts, as MySQL quotes an unknown statement.
    const second = parseNextStatement(
      'SELECT 1; DO 2',
      parseNextStatement('SELECT 1; DO 2', 0).next,
    );
    expect(second.statement).toMatchObject({ kind: 'other', near: 'DO 2' });
  });
});
