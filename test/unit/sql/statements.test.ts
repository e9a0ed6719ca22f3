import { parseStatement } from '../../../lib/sql/index.js';
import { other, syntaxError } from './helpers.js';

describe('USE', () => {
  it.each([
    ['USE db', 'db'],
    ['use db;', 'db'],
    ['USE `my db`', 'my db'],
    ['USE `a``b` ;', 'a`b'],
    ['USE /* c */ db -- c', 'db'],
    ['USE MyDb', 'MyDb'],
    ['USE 1db', '1db'],
    ['USE status', 'status'],
    ['USE 😀db', '😀db'],
    ['/*!40101 USE db */', 'db'],
  ])('%j → %j', (sql, schema) => {
    expect(parseStatement(sql)).toEqual({ kind: 'use', schema });
  });

  it.each([
    ['USE', ''],
    ['USE ;', ';'],
    ["USE 'db'", "'db'"],
    ['USE select', 'select'],
    ['USE db.x', '.x'],
    ['USE db x', 'x'],
    ['USE db; USE x', 'USE x'],
    ['USE 123', '123'],
  ])('%j → near %j', (sql, near) => {
    expect(syntaxError(sql)).toEqual({ near, line: 1 });
  });
});

describe('SET', () => {
  it.each([
    'SET NAMES utf8mb4',
    "SET NAMES 'utf8mb4' COLLATE 'utf8mb4_general_ci'",
    'SET autocommit=1',
    'set autocommit = 0;',
    'SET @@session.sql_mode = "STRICT_TRANS_TABLES"',
    'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED',
    'SET a=1, b=2',
    'SET character_set_results = NULL',
    "SET @x = 'a;b'",
    'SET @x = 1 /* ; */',
    '/*!40101 SET NAMES utf8 */',
  ])('%j', (sql) => {
    expect(parseStatement(sql)).toMatchObject({ kind: 'set' });
  });

  it('reads a user variable set from a system variable as an expression the session evaluates', () => {
    const set = parseStatement('/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;');
    expect(set).toMatchObject({
      kind: 'set',
      assignments: [{ user: 'old_character_set_client', at: 0 }],
    });
  });

  it.each([
    ['SET', ''],
    ['SET ;', ';'],
    ['SET -- nothing', ''],
    ['SET a=1; SET b=2', 'SET b=2'],
    ['SET a=1;;', ';'],
  ])('%j → near %j', (sql, near) => {
    expect(syntaxError(sql)).toEqual({ near, line: 1 });
  });
});

describe('transactions', () => {
  it.each([
    ['START TRANSACTION', 'begin'],
    ['start transaction;', 'begin'],
    ['START TRANSACTION READ ONLY', 'begin'],
    ['START TRANSACTION READ WRITE', 'begin'],
    ['START TRANSACTION WITH CONSISTENT SNAPSHOT', 'begin'],
    ['START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY', 'begin'],
    ['START TRANSACTION READ WRITE, WITH CONSISTENT SNAPSHOT;', 'begin'],
    ['BEGIN', 'begin'],
    ['begin work', 'begin'],
    ['BEGIN;', 'begin'],
    ['COMMIT', 'commit'],
    ['COMMIT WORK', 'commit'],
    ['commit;', 'commit'],
    ['COMMIT AND CHAIN', 'commit'],
    ['COMMIT AND NO CHAIN', 'commit'],
    ['COMMIT RELEASE', 'commit'],
    ['COMMIT NO RELEASE', 'commit'],
    ['COMMIT WORK AND NO CHAIN NO RELEASE', 'commit'],
    ['COMMIT AND NO CHAIN RELEASE', 'commit'],
    ['COMMIT AND CHAIN NO RELEASE', 'commit'],
    ['ROLLBACK', 'rollback'],
    ['ROLLBACK WORK', 'rollback'],
    ['rollback;', 'rollback'],
    ['ROLLBACK AND CHAIN', 'rollback'],
    ['ROLLBACK WORK AND NO CHAIN RELEASE', 'rollback'],
    ['/* c */ COMMIT /* c */', 'commit'],
  ])('%j → %s', (sql, action) => {
    expect(parseStatement(sql)).toEqual({ kind: 'transaction', action });
  });

  it.each([
    ['START TRANSACTION READ', ''],
    ['START TRANSACTION READ UNCOMMITTED', 'UNCOMMITTED'],
    ['START TRANSACTION WITH SNAPSHOT', 'SNAPSHOT'],
    ['START TRANSACTION ISOLATION LEVEL READ COMMITTED', 'ISOLATION LEVEL READ COMMITTED'],
    ['START TRANSACTION READ ONLY,', ''],
    ['START TRANSACTION READ ONLY READ WRITE', 'READ WRITE'],
    ['START TRANSACTION READ ONLY, READ WRITE', ''],
    ['START TRANSACTION READ WRITE, READ ONLY', ''],
    ['START TRANSACTION READ WRITE, READ ONLY -- c', ''],
    ['START TRANSACTION READ WRITE, READ ONLY; x', '; x'],
    ['START TRANSACTION READ WRITE, READ ONLY x', 'x'],
    ['START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT, READ WRITE', ''],
    ['START TRANSACTION WITH CONSISTENT SNAPSHOT, READ WRITE, READ ONLY', ''],
    ['START TRANSACTION READ ONLY, READ ONLY, READ WRITE', ''],
    ['START TRANSACTION READ WRITE, READ WRITE, READ ONLY', ''],
    ['BEGIN TRANSACTION', 'TRANSACTION'],
    ['BEGIN WORK WORK', 'WORK'],
    ['COMMIT foo', 'foo'],
    ['COMMIT AND', ''],
    ['COMMIT AND NO', ''],
    ['COMMIT NO', ''],
    ['COMMIT NO CHAIN', 'CHAIN'],
    ['COMMIT AND CHAIN RELEASE', ''],
    ['COMMIT AND CHAIN RELEASE;', ';'],
    ['ROLLBACK AND CHAIN RELEASE', ''],
    ['COMMIT; BEGIN', 'BEGIN'],
  ])('%j → near %j', (sql, near) => {
    expect(syntaxError(sql)).toEqual({ near, line: 1 });
  });

  // MySQL ORs the options together and only rejects READ ONLY with READ WRITE (MariaDB agrees).
  it.each([
    'START TRANSACTION READ ONLY, READ ONLY',
    'START TRANSACTION READ WRITE, READ WRITE',
    'START TRANSACTION WITH CONSISTENT SNAPSHOT, WITH CONSISTENT SNAPSHOT',
    'START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT, READ ONLY',
    'START TRANSACTION READ WRITE, WITH CONSISTENT SNAPSHOT, READ WRITE',
  ])('%j repeats a mode and is accepted', (sql) => {
    expect(parseStatement(sql)).toEqual({ kind: 'transaction', action: 'begin' });
  });

  it('rejects READ ONLY with READ WRITE in any order and with any other option', () => {
    const options = ['WITH CONSISTENT SNAPSHOT', 'READ ONLY', 'READ WRITE'];
    const lists: string[][] = [];
    for (const a of options) {
      for (const b of options) {
        lists.push([a, b]);
        for (const c of options) lists.push([a, b, c]);
      }
    }
    for (const list of lists) {
      const sql = `START TRANSACTION ${list.join(', ')}`;
      const conflict = list.includes('READ ONLY') && list.includes('READ WRITE');
      if (conflict) expect(syntaxError(sql)).toEqual({ near: '', line: 1 });
      else expect(parseStatement(sql)).toEqual({ kind: 'transaction', action: 'begin' });
    }
  });

  it.each([
    ['ROLLBACK TO SAVEPOINT sp1', 'ROLLBACK'],
    ['ROLLBACK WORK TO sp1', 'ROLLBACK'],
    ['START SLAVE', 'START'],
    ['START REPLICA', 'START'],
    ['START GROUP_REPLICATION', 'START'],
    ['SAVEPOINT sp1', 'SAVEPOINT'],
    ['RELEASE SAVEPOINT sp1', 'RELEASE'],
    ["XA START 'x'", 'XA'],
  ])('%j → other %s', (sql, keyword) => {
    expect(parseStatement(sql)).toEqual(other(sql, keyword));
  });
});

describe('SHOW WARNINGS', () => {
  it.each([
    'SHOW WARNINGS',
    'show warnings;',
    'SHOW WARNINGS LIMIT 10',
    'SHOW WARNINGS LIMIT 0, 10',
    'SHOW WARNINGS LIMIT 10 OFFSET 5',
    'SHOW /* c */ WARNINGS -- c',
  ])('%j', (sql) => {
    expect(parseStatement(sql)).toEqual({ kind: 'show-warnings' });
  });

  it.each([
    ['SHOW WARNINGS LIMIT', ''],
    ['SHOW WARNINGS LIMIT x', 'x'],
    ['SHOW WARNINGS LIMIT 1,', ''],
    ['SHOW WARNINGS LIMIT -1', '-1'],
    ['SHOW WARNINGS foo', 'foo'],
    ['SHOW WARNINGS; SHOW ERRORS', 'SHOW ERRORS'],
  ])('%j → near %j', (sql, near) => {
    expect(syntaxError(sql)).toEqual({ near, line: 1 });
  });

  it.each(['SHOW ERRORS', 'SHOW COUNT(*) WARNINGS'])('%j → other SHOW', (sql) => {
    expect(parseStatement(sql)).toEqual(other(sql, 'SHOW'));
  });

  it.each([
    ['SHOW PROCESSLIST', false],
    ['show full processlist', true],
    ['SHOW FULL\n  PROCESSLIST;', true],
  ])('%j → SHOW PROCESSLIST (full: %j)', (sql, full) => {
    expect(parseStatement(sql)).toEqual({ kind: 'show-processlist', full });
  });

  it('still reads SHOW FULL TABLES as a catalog SHOW', () => {
    expect(parseStatement('SHOW FULL TABLES').kind).toBe('show');
  });

  it.each(['SHOW TABLES', 'SHOW VARIABLES LIKE "x%"'])('%j → a SHOW the session answers', (sql) => {
    expect(parseStatement(sql).kind).toBe('show');
  });
});

describe('other statements', () => {
  it.each([
    ['INSERT INTO t VALUES (1)', 'INSERT'],
    ['insert into t values (1)', 'INSERT'],
    ['UPDATE t SET a = 1', 'UPDATE'],
    ['delete from t', 'DELETE'],
    ['CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END', 'CREATE'],
    ['DROP TABLE t; DROP TABLE u', 'DROP'],
    ['PING', 'PING'],
    ['foo bar', 'FOO'],
    ['/* c */ explain select 1', 'EXPLAIN'],
    ['WITH x AS (SELECT 1) SELECT * FROM x', 'WITH'],
    ['(SELECT 1) UNION (SELECT 2)', 'SELECT'],
    ['((select 1))', 'SELECT'],
    ['(VALUES ROW(1))', 'VALUES'],
    ['(TABLE t)', 'TABLE'],
    ['DO 1 -- x', 'DO'],
    ['HANDLER t OPEN', 'HANDLER'],
    ['LOAD DATA INFILE "x" INTO TABLE t', 'LOAD'],
    ['GRANT ALL ON *.* TO u@localhost', 'GRANT'],
    ['INSERT INTO t VALUES (@a, ?, \\N, 1--1, --)', 'INSERT'],
    ['ÉTAT 1', 'ÉTAT'],
    ['/*!50003 CREATE*/ /*!50020 DEFINER=`root`@`%`*/ /*!50003 TRIGGER t */', 'CREATE'],
  ])('%j → other %s', (sql, keyword) => {
    expect(parseStatement(sql)).toEqual(other(sql, keyword));
  });
});

describe('user variables', () => {
  const vars = new Map<string, import('../../../lib/sql/index.js').SqlValue>([
    ['a', 5],
    ['name', 'x'],
  ]);

  it('reads SET @var = literal assignments in order, beside the other assignments', () => {
    expect(
      parseStatement("SET @_myadd_0=5,@_myadd_1='six', NAMES utf8mb4, @c := NULL"),
    ).toMatchObject({
      kind: 'set',
      userVariables: [
        ['_myadd_0', 5],
        ['_myadd_1', 'six'],
        ['c', null],
      ],
      assignments: [{ names: 'utf8mb4', collation: null }],
    });
    expect(parseStatement('SET @A = -1.5, @`q q` = 0x01')).toMatchObject({
      kind: 'set',
      userVariables: [
        ['a', -1.5],
        ['q q', Buffer.from([1])],
      ],
    });
    // An expression is kept for the session to evaluate.
    expect(parseStatement('SET @e = 1 + 2')).toMatchObject({
      kind: 'set',
      assignments: [{ user: 'e', at: 0 }],
    });
  });

  it('rejects a user variable assignment without a value', () => {
    expect(() => parseStatement('SET @a')).toThrow("near '' at line 1");
    expect(() => parseStatement('SET @a =')).toThrow("near '' at line 1");
  });

  // MySQL checks (evaluates) every assignment of a SET before it updates any (sql_set_variables).
  it('reads every value in a SET before assigning any', () => {
    expect(parseStatement('SET @b = 2, @c = @b, @a = @a, @d = @a', vars)).toEqual({
      kind: 'set',
      userVariables: [
        ['b', 2],
        ['c', null],
        ['a', 5],
        ['d', 5],
      ],
    });
    expect(parseStatement('SET @a = 1, @b = @a', vars)).toEqual({
      kind: 'set',
      userVariables: [
        ['a', 1],
        ['b', 5],
      ],
    });
  });

  it('substitutes @var in CALL arguments, case-insensitively; an unset one is NULL', () => {
    expect(parseStatement('CALL p(@a, @NAME, @unset, @`a`)', vars)).toEqual({
      kind: 'call',
      schema: null,
      name: 'p',
      args: [5, 'x', null, 5],
      variables: ['a', 'name', 'unset', 'a'],
      placeholders: null,
    });
  });

  it('reads unquoted names with dots and dollars, as MySQL lexes them after @', () => {
    const dotted = new Map<string, import('../../../lib/sql/index.js').SqlValue>([
      ['a.b', 1],
      ['a$b', 2],
      ['_x.y.z', 3],
      ['1e5', 4],
      ['.', 5],
      ['x', 6],
      ['é.ü', 7],
    ]);
    expect(
      parseStatement('CALL p(@a.b, @a$b, @_X.Y.z, @1e5, @., @`a.b`, @"_x.y.z", @é.ü)', dotted),
    ).toEqual({
      kind: 'call',
      schema: null,
      name: 'p',
      args: [1, 2, 3, 4, 5, 1, 3, 7],
      variables: ['a.b', 'a$b', '_x.y.z', '1e5', '.', 'a.b', '_x.y.z', 'é.ü'],
      placeholders: null,
    });
    expect(parseStatement('SET @a.b = 1, @a$b := @a.b, @x.y.z = 0x01', dotted)).toEqual({
      kind: 'set',
      userVariables: [
        ['a.b', 1],
        ['a$b', 1],
        ['x.y.z', Buffer.from([1])],
      ],
    });
    expect(parseStatement('SELECT @a.b, @A.B x, @_x.y.z, @a..b', dotted)).toEqual({
      kind: 'select',
      items: [
        { expr: { type: 'literal', value: 1 }, column: '@a.b' },
        { expr: { type: 'literal', value: 1 }, column: 'x' },
        { expr: { type: 'literal', value: 3 }, column: '@_x.y.z' },
        { expr: { type: 'literal', value: null }, column: '@a..b' },
      ],
      limit: null,
    });
  });

  it('ends an unquoted name at the first other character, which then starts a new token', () => {
    const v = new Map<string, import('../../../lib/sql/index.js').SqlValue>([['x', 6]]);
    // `@x'41'` is @x aliased '41', not @ and a hex string.
    expect(parseStatement("SELECT @x'41'", v)).toEqual({
      kind: 'select',
      items: [{ expr: { type: 'literal', value: 6 }, column: '41' }],
      limit: null,
    });
    expect(syntaxError("CALL p(@b'2')")).toEqual({ near: "'2')", line: 1 });
    expect(syntaxError('CALL p(@a-b)')).toEqual({ near: '-b)', line: 1 });
    expect(syntaxError('CALL p(@ a)')).toEqual({ near: 'a)', line: 1 });
    expect(syntaxError("CALL p(@'a'.b)")).toEqual({ near: '.b)', line: 1 });
  });

  it('selects @var under its own name', () => {
    expect(parseStatement('SELECT @a, @unset AS u, @unset', vars)).toEqual({
      kind: 'select',
      items: [
        { expr: { type: 'literal', value: 5 }, column: '@a' },
        { expr: { type: 'literal', value: null }, column: 'u' },
        { expr: { type: 'literal', value: null }, column: '@unset' },
      ],
      limit: null,
    });
  });
});
