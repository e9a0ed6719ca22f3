import {
  DEFAULT_SERVER_VERSION_ID,
  parseStatement,
  serverVersionId,
  SqlSyntaxError,
  type Statement,
} from '../../../lib/sql/index.js';

function args(sql: string, versionId?: number): unknown[] {
  const options = versionId === undefined ? undefined : { serverVersionId: versionId };
  const statement: Statement = parseStatement(sql, null, options);
  if (statement.kind !== 'call') throw new Error(`expected a CALL, got ${statement.kind}`);
  return statement.args;
}

function nearOf(sql: string, versionId?: number): string {
  const options = versionId === undefined ? undefined : { serverVersionId: versionId };
  try {
    parseStatement(sql, null, options);
  } catch (error) {
    if (error instanceof SqlSyntaxError) return error.near;
    throw error;
  }
  throw new Error(`expected a syntax error for ${JSON.stringify(sql)}`);
}

describe('serverVersionId', () => {
  it.each([
    ['8.0.36-nestjs-mysql-rpc', 80036],
    ['8.0.36', 80036],
    ['5.7.44-log', 50744],
    ['8.4.0-lts', 80400],
    ['9.1.0', 90100],
    ['10.11.19-MariaDB', 101119],
    ['8.0', 80000],
    ['8', 80000],
    ['8.0.5a', 80005],
  ])('%j → %d', (version, id) => {
    expect(serverVersionId(version)).toBe(id);
  });

  it('falls back to the default for a string that does not start with a version', () => {
    expect(DEFAULT_SERVER_VERSION_ID).toBe(80036);
    expect(serverVersionId('')).toBe(DEFAULT_SERVER_VERSION_ID);
    expect(serverVersionId('custom')).toBe(DEFAULT_SERVER_VERSION_ID);
  });
});

describe('/*!NNNNN ... */ runs only on a server at least that version', () => {
  it('runs content up to the default version 8.0.36 and skips newer ones', () => {
    expect(args('CALL p(1 /*!80036 , 2 */)')).toEqual([1, 2]);
    expect(args('CALL p(1 /*!50001 , 2 */)')).toEqual([1, 2]);
    expect(args('CALL p(1 /*!00000 , 2 */)')).toEqual([1, 2]);
    expect(args('CALL p(1 /*!80037 , 2 */)')).toEqual([1]);
    expect(args('CALL p(1 /*!99999 , 2 */)')).toEqual([1]);
    expect(args('CALL p(1 /*! , 2 */)')).toEqual([1, 2]);
  });

  it('compares with the version it is given', () => {
    expect(args('CALL p(1 /*!80000 , 2 */)', 50744)).toEqual([1]);
    expect(args('CALL p(1 /*!50744 , 2 */)', 50744)).toEqual([1, 2]);
    expect(args('CALL p(1 /*!80037 , 2 */)', 80037)).toEqual([1, 2]);
    expect(args('CALL p(1 /*! , 2 */)', 1)).toEqual([1, 2]);
  });

  it('makes a whole statement in a skipped comment an empty query', () => {
    expect(() => parseStatement('/*!99999 CALL p(1) */')).toThrow('Query was empty');
    expect(parseStatement('/*!80036 USE db */')).toEqual({ kind: 'use', schema: 'db' });
  });

  it('reads exactly five digits on an 8.0 server, the rest being SQL', () => {
    expect(args('CALL p(/*!1234567*/)')).toEqual([67]);
    expect(args('CALL p(/*!123456 */)')).toEqual([6]);
    expect(nearOf("/*!800001CALL db.p(1, 'x') */")).toBe("1CALL db.p(1, 'x') */");
  });

  it('reads six digits followed by a blank from 8.1 on, as MySQL 8.1+ does', () => {
    expect(args('CALL p(1 /*!100000 , 2 */)', 80400)).toEqual([1]);
    expect(args('CALL p(1 /*!080400 , 2 */)', 80400)).toEqual([1, 2]);
    expect(args('CALL p(1 /*!080401 , 2 */)', 80400)).toEqual([1]);
    // Without the blank the sixth digit is SQL again: version 08040, then `1`.
    expect(args('CALL p(/*!0804012*/)', 80400)).toEqual([12]);
  });

  it('treats /*M! (MariaDB only) as a plain comment', () => {
    expect(args('CALL p(1 /*M! , 2 */)')).toEqual([1]);
    expect(args('CALL p(1 /*M!50000 , 2 */)')).toEqual([1]);
  });
});

describe('skipped version comments', () => {
  it('end at the first */, even inside what looks like a string', () => {
    expect(nearOf("CALL p(1 /*!99999 '*/' */)")).toBe("' */)");
    expect(args("CALL p(1 /*!99999 ' */, '*/')")).toEqual([1, '*/']);
  });

  it('may hold one level of nested comments', () => {
    expect(args('CALL p(1 /*!99999 /* x */ , 2 */)')).toEqual([1]);
    expect(args('CALL p(1 /*!99999 /* x */ /* y */ , 2 */)')).toEqual([1]);
    expect(args('CALL p(1 /*!99999 /*!50000 x */ , 2 */)')).toEqual([1]);
    expect(args('CALL p(1 /*!99999 /*/ */ */)')).toEqual([1]);
    // A nested comment is not itself nestable: its first */ closes it.
    expect(nearOf('CALL p(1 /*!99999 /* /* x */ */ */)')).toBe('*/)');
  });

  it('can sit inside a running version comment', () => {
    expect(args('/*!CALL p(1 /*!99999 , 2 */)*/')).toEqual([1]);
    expect(args('/*!50000 CALL p(1 /*!99999 , 2 */, 3)*/')).toEqual([1, 3]);
  });

  it('are reported from their start when unterminated, nested comments patched as MySQL does', () => {
    expect(nearOf('CALL p(1) /*!99999 x')).toBe('/*!99999 x');
    expect(nearOf('CALL p(1) /*!99999 /* x */ y')).toBe('/*!99999 (* x *) y');
    expect(nearOf('CALL p(1) /*!99999 /* x')).toBe('/*!99999 (* x');
    expect(nearOf('CALL p(1) /*!99999 /*/ */')).toBe('/*!99999 (*/ *)');
    expect(nearOf('CALL p(1) /*!99999 ' + '/**/'.repeat(30))).toBe(
      '/*!99999 ' + '(**)'.repeat(30).slice(0, 71),
    );
  });

  it('count lines for the error position', () => {
    expect(() => parseStatement('CALL p(1 /*!99999 \n\n */, x)')).toThrow("near 'x)' at line 3");
  });
});
