import fc from 'fast-check';
import {
  GRANT_NAME_MAX_CHARS,
  GrantSet,
  parseGrant,
  showGrants,
  showGrantsTitle,
  type Grant,
} from '../../../lib/acl/grants.js';

/** The slow, obviously right `*` glob `covers` must agree with. */
function slowGlob(pattern: string, name: string): boolean {
  if (pattern === '') return name === '';
  if (pattern[0] === '*') {
    return slowGlob(pattern.slice(1), name) || (name !== '' && slowGlob(pattern, name.slice(1)));
  }
  return name !== '' && pattern[0] === name[0] && slowGlob(pattern.slice(1), name.slice(1));
}

/** The parser either returns a grant or throws the documented Error naming the text. */
function parsesOrRefuses(text: string, defaultSchema: string): void {
  let grant: Grant;
  try {
    grant = parseGrant(text, defaultSchema);
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`grant '${text}'`);
    return;
  }
  expect(grant.text).toBe(text);
  expect(['global', 'schema', 'procedure', 'pattern']).toContain(grant.kind);
}

/** A grant's parsed fields, its text aside (distributed over the kinds). */
type Fields<G> = G extends unknown ? Omit<G, 'text'> : never;

const build = (grants: string[], roleNames: string[] = [], roles: Record<string, string[]> = {}) =>
  GrantSet.build(grants, roleNames, roles, 'app');

describe('parseGrant: forms', () => {
  it.each<[string, Fields<Grant>]>([
    ['*.*', { kind: 'global' }],
    ['rpc.*', { kind: 'schema', schema: 'rpc' }],
    ['RPC.*', { kind: 'schema', schema: 'RPC' }],
    ['rpc.**', { kind: 'schema', schema: 'rpc' }],
    ['*', { kind: 'schema', schema: 'app' }],
    ['rpc.myadd', { kind: 'procedure', schema: 'rpc', procedure: 'myadd' }],
    ['rpc.MyAdd', { kind: 'procedure', schema: 'rpc', procedure: 'MyAdd' }],
    ['myadd', { kind: 'procedure', schema: 'app', procedure: 'myadd' }],
    ['rpc.report_*', { kind: 'pattern', schema: 'rpc', procedure: 'report_*' }],
    ['rpc.*_daily', { kind: 'pattern', schema: 'rpc', procedure: '*_daily' }],
    ['rpc.a*b*c', { kind: 'pattern', schema: 'rpc', procedure: 'a*b*c' }],
    ['report_*', { kind: 'pattern', schema: 'app', procedure: 'report_*' }],
    ['`rpc`.`my proc`', { kind: 'procedure', schema: 'rpc', procedure: 'my proc' }],
    ['`rpc`.*', { kind: 'schema', schema: 'rpc' }],
    ['`rpc`.`*`', { kind: 'schema', schema: 'rpc' }],
    ['`rpc`.`report_*`', { kind: 'pattern', schema: 'rpc', procedure: 'report_*' }],
    ['`r``pc`.x', { kind: 'procedure', schema: 'r`pc', procedure: 'x' }],
    ['rpc.`a.b`', { kind: 'procedure', schema: 'rpc', procedure: 'a.b' }],
    ['`my proc`', { kind: 'procedure', schema: 'app', procedure: 'my proc' }],
    ['$x.y_1', { kind: 'procedure', schema: '$x', procedure: 'y_1' }],
    ['ünï.çode', { kind: 'procedure', schema: 'ünï', procedure: 'çode' }],
    ['`123`.`456`', { kind: 'procedure', schema: '123', procedure: '456' }],
    ['rpc.1a', { kind: 'procedure', schema: 'rpc', procedure: '1a' }],
    ['rpc.select', { kind: 'procedure', schema: 'rpc', procedure: 'select' }],
    [
      `rpc.${'p'.repeat(GRANT_NAME_MAX_CHARS)}`,
      { kind: 'procedure', schema: 'rpc', procedure: 'p'.repeat(64) },
    ],
  ])('%s', (text, expected) => {
    expect(parseGrant(text, 'app')).toEqual({ text, ...expected });
  });
});

describe('parseGrant: refusals', () => {
  it.each([
    ['', /missing a name/],
    ['.', /unexpected "\."/],
    ['rpc.', /missing a name/],
    ['.x', /unexpected "\."/],
    ['a.b.c', /unexpected "\."/],
    ['rpc .x', /unexpected " "/],
    ['rpc.x ', /unexpected " "/],
    [' rpc.x', /unexpected " "/],
    ['rpc-x.y', /unexpected "-"/],
    ['rpc.x;', /unexpected ";"/],
    ["'rpc'.x", /unexpected "'"/],
    ['"rpc".x', /unexpected "\\""/],
    ['`rpc', /unterminated/],
    ['rpc.`x', /unterminated/],
    ['`rpc`x', /unexpected "x"/],
    ['``.x', /empty name/],
    ['rpc.``', /empty name/],
    ['*.x', /only \*\.\*/],
    ['*.`x`', /only \*\.\*/],
    ['*.x*', /only \*\.\*/],
    ['rp*.x', /no wildcards/],
    ['`*`.*', /no wildcards/],
    ['`r*`.x', /no wildcards/],
    ['123.x', /back quotes/],
    ['rpc.123', /back quotes/],
    ['123', /back quotes/],
    [`${'s'.repeat(GRANT_NAME_MAX_CHARS + 1)}.x`, /schema name longer/],
    [`rpc.${'p'.repeat(GRANT_NAME_MAX_CHARS + 1)}`, /procedure name longer/],
    [`\`${'é'.repeat(GRANT_NAME_MAX_CHARS + 1)}\`.*`, /schema name longer/],
  ])('refuses %j', (text, reason) => {
    let thrown: unknown;
    try {
      parseGrant(text, 'app');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toContain(`grant '${text}'`);
    expect((thrown as Error).message).toMatch(reason);
  });

  it('refuses a bare name when the server has no database', () => {
    expect(() => parseGrant('myadd', '')).toThrow(/grant 'myadd': names no schema/);
    expect(() => parseGrant('*', '')).toThrow(/no schema/);
    expect(parseGrant('rpc.myadd', '')).toMatchObject({ schema: 'rpc' });
    expect(parseGrant('*.*', '')).toMatchObject({ kind: 'global' });
  });

  it('refuses what is not a string', () => {
    expect(() => parseGrant(7 as unknown as string, 'app')).toThrow(Error);
  });
});

describe('GrantSet', () => {
  it.each<[string[], string, string, boolean]>([
    [[], 'rpc', 'myadd', false],
    [['*.*'], 'anything', 'at_all', true],
    [['rpc.*'], 'rpc', 'myadd', true],
    [['rpc.*'], 'RPC', 'MyAdd', true],
    [['rpc.*'], 'rpc2', 'myadd', false],
    [['RPC.myadd'], 'rpc', 'MYADD', true],
    [['rpc.myadd'], 'rpc', 'myadd2', false],
    [['rpc.myadd'], 'other', 'myadd', false],
    [['myadd'], 'app', 'myadd', true],
    [['myadd'], 'rpc', 'myadd', false],
    [['*'], 'APP', 'x', true],
    [['rpc.report_*'], 'rpc', 'report_daily', true],
    [['rpc.report_*'], 'rpc', 'Report_', true],
    [['rpc.report_*'], 'rpc', 'report', false],
    [['rpc.report_*'], 'rpc', 'my_report_daily', false],
    [['rpc.*_daily'], 'rpc', 'sales_DAILY', true],
    [['rpc.*_daily'], 'rpc', 'sales_daily2', false],
    [['rpc.a*b*a'], 'rpc', 'aba', true],
    [['rpc.a*b*a'], 'rpc', 'ab', false],
    [['rpc.a*b*a'], 'rpc', 'a_b_b_a', true],
    [['rpc.a*a'], 'rpc', 'a', false],
    [['`rpc`.`my proc`'], 'rpc', 'My Proc', true],
    [['rpc.x', 'ops.*'], 'ops', 'y', true],
  ])('%j covers %s.%s: %s', (grants, schema, procedure, expected) => {
    expect(build(grants).covers(schema, procedure)).toBe(expected);
  });

  it("adds its roles' grants and lists the roles once", () => {
    const set = build(['rpc.myadd'], ['reporting', 'ops', 'reporting'], {
      reporting: ['rpc.report_*'],
      ops: ['ops.*'],
      unused: ['*.*'],
    });
    expect(set.roles).toEqual(['reporting', 'ops']);
    expect(set.covers('rpc', 'myadd')).toBe(true);
    expect(set.covers('rpc', 'report_x')).toBe(true);
    expect(set.covers('ops', 'restart')).toBe(true);
    expect(set.covers('rpc', 'drop_all')).toBe(false);
  });

  it.each(['nope', 'toString', '__proto__', 'constructor', ''])(
    'refuses the unknown role %j',
    (role) => {
      expect(() => build([], [role], { reporting: ['rpc.*'] })).toThrow(`unknown role '${role}'`);
    },
  );

  it('names the role whose grant is malformed', () => {
    expect(() => build([], ['reporting'], { reporting: ['rpc.x.y'] })).toThrow(
      /^role 'reporting': grant 'rpc\.x\.y': unexpected/,
    );
    expect(() => build(['rpc..x'], [], {})).toThrow(/^grant 'rpc\.\.x'/);
  });
});

describe('showGrants', () => {
  const grants = (...texts: string[]) => texts.map((t) => parseGrant(t, 'rpc'));
  const show = (options: Partial<Parameters<typeof showGrants>[0]>) =>
    showGrants({ user: 'testuser', host: '%', grants: [], roles: [], admin: false, ...options });

  it('prints USAGE for an account without grants', () => {
    expect(show({})).toEqual(['GRANT USAGE ON *.* TO `testuser`@`%`']);
  });

  it('prints schema grants, then procedure grants, in MySQL order', () => {
    expect(
      show({ grants: grants('zeta.*', 'rpc.myadd', 'Alpha.*', 'rpc.report_*', 'rpc.AAA') }),
    ).toEqual([
      'GRANT USAGE ON *.* TO `testuser`@`%`',
      'GRANT EXECUTE ON `Alpha`.* TO `testuser`@`%`',
      'GRANT EXECUTE ON `zeta`.* TO `testuser`@`%`',
      'GRANT EXECUTE ON PROCEDURE `rpc`.`aaa` TO `testuser`@`%`',
      'GRANT EXECUTE ON PROCEDURE `rpc`.`myadd` TO `testuser`@`%`',
      'GRANT EXECUTE ON PROCEDURE `rpc`.`report_*` TO `testuser`@`%`',
    ]);
  });

  it('resolves bare names in the default schema and shows each grant once', () => {
    expect(show({ grants: grants('myadd', 'rpc.MYADD', '*', 'RPC.*') })).toEqual([
      'GRANT USAGE ON *.* TO `testuser`@`%`',
      'GRANT EXECUTE ON `rpc`.* TO `testuser`@`%`',
      'GRANT EXECUTE ON PROCEDURE `rpc`.`myadd` TO `testuser`@`%`',
    ]);
  });

  it('folds EXECUTE into the global line for *.*', () => {
    expect(show({ grants: grants('*.*') })).toEqual(['GRANT EXECUTE ON *.* TO `testuser`@`%`']);
  });

  it('prints RELOAD, PROCESS, SUPER for an admin, EXECUTE after them', () => {
    expect(show({ user: 'root', host: 'localhost', admin: true })).toEqual([
      'GRANT RELOAD, PROCESS, SUPER ON *.* TO `root`@`localhost`',
    ]);
    expect(
      show({ user: 'root', host: 'localhost', admin: true, grants: grants('*.*', 'rpc.*') }),
    ).toEqual([
      'GRANT RELOAD, PROCESS, SUPER, EXECUTE ON *.* TO `root`@`localhost`',
      'GRANT EXECUTE ON `rpc`.* TO `root`@`localhost`',
    ]);
  });

  it('prints the roles last, sorted, comma-joined', () => {
    expect(show({ user: 'analyst', roles: ['reporting'] })).toEqual([
      'GRANT USAGE ON *.* TO `analyst`@`%`',
      'GRANT `reporting`@`%` TO `analyst`@`%`',
    ]);
    expect(
      show({
        user: 'analyst',
        roles: ['ops', 'b`ad', 'Reporting', 'ops'],
        grants: grants('rpc.x'),
      }),
    ).toEqual([
      'GRANT USAGE ON *.* TO `analyst`@`%`',
      'GRANT EXECUTE ON PROCEDURE `rpc`.`x` TO `analyst`@`%`',
      'GRANT `Reporting`@`%`,`b``ad`@`%`,`ops`@`%` TO `analyst`@`%`',
    ]);
  });

  it('quotes the anonymous user and odd names', () => {
    expect(show({ user: '', host: 'localhost', grants: grants('`we``ird`.`a b`') })).toEqual([
      'GRANT USAGE ON *.* TO ``@`localhost`',
      'GRANT EXECUTE ON PROCEDURE `we``ird`.`a b` TO ``@`localhost`',
    ]);
  });

  it('titles its column as MySQL does', () => {
    expect(showGrantsTitle('testuser', '%')).toBe('Grants for testuser@%');
    expect(showGrantsTitle('', 'localhost')).toBe('Grants for @localhost');
  });
});

describe('grant properties', () => {
  const nameChar = fc.constantFrom('a', 'b', 'A', 'B', '_', '*');
  const grantName = fc.array(nameChar, { minLength: 1, maxLength: 6 }).map((a) => a.join(''));
  const schemaName = fc.constantFrom('rpc', 'RPC', 'ops', 'app');
  // Grant texts with the meaning the naive check gives them alongside.
  const grantSpec = fc.oneof(
    fc.constant({ text: '*.*', schema: '*', name: '*' }),
    fc
      .record({ schema: schemaName, name: grantName })
      .map((g) => ({ text: `${g.schema}.${g.name}`, ...g })),
    fc
      .record({ schema: schemaName, name: grantName })
      .map((g) => ({ text: `\`${g.schema}\`.\`${g.name}\``, ...g })),
    grantName.map((name) => ({ text: name, schema: 'app', name })),
  );

  /** Whether one grant, read by hand, lets `schema`.`procedure` be called. */
  function naive(
    spec: { schema: string; name: string },
    schema: string,
    procedure: string,
  ): boolean {
    if (spec.schema === '*') return true;
    if (spec.schema.toLowerCase() !== schema.toLowerCase()) return false;
    return slowGlob(spec.name.toLowerCase(), procedure.toLowerCase());
  }

  it('covers agrees with a naive check of every grant', () => {
    fc.assert(
      fc.property(
        fc.array(grantSpec, { maxLength: 6 }),
        fc.array(grantSpec, { maxLength: 4 }),
        fc.constantFrom('rpc', 'Rpc', 'ops', 'app', 'other'),
        fc
          .array(fc.constantFrom('a', 'b', 'A', 'B', '_', 'c'), { maxLength: 7 })
          .map((a) => a.join('')),
        (own, role, schema, procedure) => {
          const set = GrantSet.build(
            own.map((g) => g.text),
            ['r'],
            { r: role.map((g) => g.text) },
            'app',
          );
          const expected = [...own, ...role].some((g) => naive(g, schema, procedure));
          expect(set.covers(schema, procedure)).toBe(expected);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('stays fast on the worst globs', () => {
    const set = build([`rpc.${'*a'.repeat(30)}b`]);
    const start = performance.now();
    for (let i = 0; i < 1000; i++) expect(set.covers('rpc', 'a'.repeat(64))).toBe(false);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('parses junk or refuses it with the documented Error', () => {
    const grantish = fc
      .array(fc.constantFrom('a', '1', '*', '.', '`', ' ', '$', 'é', "'", '_'), { maxLength: 16 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(
        fc.oneof(grantish, fc.string(), fc.string({ unit: 'binary' })),
        fc.constantFrom('app', ''),
        parsesOrRefuses,
      ),
      { numRuns: 5000 },
    );
  });
});
