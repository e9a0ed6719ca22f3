import { parseStatement, SqlSyntaxError } from '../../../lib/sql/index.js';

describe('SHOW GRANTS', () => {
  it.each([
    ['SHOW GRANTS', null],
    ['show grants;', null],
    ['SHOW GRANTS FOR CURRENT_USER', null],
    ['SHOW GRANTS FOR CURRENT_USER()', null],
    ["SHOW GRANTS FOR 'bob'@'10.0.0.%'", { user: 'bob', host: '10.0.0.%' }],
    ['SHOW GRANTS FOR `bob`@`%`', { user: 'bob', host: '%' }],
    ['SHOW GRANTS FOR bob@localhost', { user: 'bob', host: 'localhost' }],
    ["SHOW GRANTS FOR bob@'127.0.0.1'", { user: 'bob', host: '127.0.0.1' }],
    ["SHOW GRANTS FOR 'bob'", { user: 'bob', host: '%' }],
    ["SHOW GRANTS FOR ''@'localhost'", { user: '', host: 'localhost' }],
  ])('%s', (sql, account) => {
    expect(parseStatement(sql)).toEqual({ kind: 'show-grants', account });
  });

  it.each([
    'SHOW GRANTS FOR',
    'SHOW GRANTS FOR CURRENT_USER(',
    "SHOW GRANTS FOR 'bob'@",
    "SHOW GRANTS FOR 'bob' 'x'",
    'SHOW GRANTS FOR 1',
  ])('refuses %s with a syntax error', (sql) => {
    expect(() => parseStatement(sql)).toThrow(SqlSyntaxError);
  });
});

describe('FLUSH', () => {
  it.each([
    ['FLUSH HOSTS', ['hosts']],
    ['flush privileges', ['privileges']],
    ['FLUSH LOCAL HOSTS, PRIVILEGES', ['hosts', 'privileges']],
    ['FLUSH NO_WRITE_TO_BINLOG PRIVILEGES;', ['privileges']],
  ])('%s', (sql, targets) => {
    expect(parseStatement(sql)).toEqual({ kind: 'flush', targets });
  });

  it('leaves options this server does not have to the CALL-only answer', () => {
    expect(parseStatement('FLUSH TABLES')).toMatchObject({ kind: 'other', keyword: 'FLUSH' });
    expect(parseStatement('FLUSH HOSTS, TABLES')).toMatchObject({ kind: 'other' });
  });

  it('leaves a dangling comma to the ERR 1064 of other statements', () => {
    expect(parseStatement('FLUSH HOSTS,')).toMatchObject({ kind: 'other', keyword: 'FLUSH' });
  });
});
