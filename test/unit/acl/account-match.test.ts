import fc from 'fast-check';
import {
  accountName,
  compareAccounts,
  matchAccount,
  quotedAccountName,
  quoteIdentifier,
  sortAccounts,
} from '../../../lib/acl/account-match.js';
import { parseHostPattern, type HostPattern } from '../../../lib/acl/host-pattern.js';

interface Account {
  readonly user: string;
  readonly host: HostPattern;
  readonly id: number;
}

let nextId = 0;
const account = (user: string, host: string): Account => ({
  user,
  host: parseHostPattern(host),
  id: nextId++,
});
const names = (accounts: readonly Account[]) => accounts.map((a) => `'${a.user}'@'${a.host.text}'`);

/** Sorts, then logs `user` in from `ip`; the winner as `'user'@'host'`. */
function login(accounts: Account[], user: string, ip: string): string | undefined {
  const found = matchAccount(sortAccounts(accounts), user, ip);
  return found && `'${found.user}'@'${found.host.text}'`;
}

describe('matchAccount: MySQL precedence', () => {
  it("prefers ''@'localhost' to 'bob'@'%' for bob from the loopback address", () => {
    const accounts = [account('bob', '%'), account('', 'localhost')];
    expect(login(accounts, 'bob', '127.0.0.1')).toBe("''@'localhost'");
    expect(login(accounts, 'bob', '::1')).toBe("''@'localhost'");
    expect(login(accounts, 'bob', '10.0.0.1')).toBe("'bob'@'%'");
  });

  it('follows the manual: localhost rows, named first, then % rows', () => {
    const accounts = [
      account('root', '%'),
      account('jeffrey', '%'),
      account('root', 'localhost'),
      account('', 'localhost'),
    ];
    expect(names(sortAccounts(accounts))).toEqual([
      "'root'@'localhost'",
      "''@'localhost'",
      "'root'@'%'",
      "'jeffrey'@'%'",
    ]);
    expect(login(accounts, 'jeffrey', '127.0.0.1')).toBe("''@'localhost'");
    expect(login(accounts, 'root', '127.0.0.1')).toBe("'root'@'localhost'");
    expect(login(accounts, 'jeffrey', '10.0.0.1')).toBe("'jeffrey'@'%'");
  });

  it("ranks 'bob'@'10.0.0.1' over 'bob'@'10.%' over 'bob'@'%'", () => {
    const accounts = [account('bob', '%'), account('bob', '10.%'), account('bob', '10.0.0.1')];
    expect(login(accounts, 'bob', '10.0.0.1')).toBe("'bob'@'10.0.0.1'");
    expect(login(accounts, 'bob', '10.0.0.2')).toBe("'bob'@'10.%'");
    expect(login(accounts, 'bob', '11.0.0.1')).toBe("'bob'@'%'");
  });

  it('lets the host decide before the user', () => {
    const accounts = [account('bob', '10.%'), account('', '10.0.0.1')];
    expect(login(accounts, 'bob', '10.0.0.1')).toBe("''@'10.0.0.1'");
    expect(login(accounts, 'bob', '10.0.0.2')).toBe("'bob'@'10.%'");
  });

  it.each([
    ['%', '10.0.0.1'],
    ['localhost', '127.0.0.1'],
    ['10.0.0.1', '10.0.0.1'],
    ['::1', '::1'],
    ['10.%', '10.0.0.1'],
    ['10.0.0.0/8', '10.0.0.1'],
    ['10.0.0.0/255.0.0.0', '10.0.0.1'],
  ])('puts a named user before the anonymous one on @%j', (host, ip) => {
    expect(login([account('', host), account('bob', host)], 'bob', ip)).toBe(`'bob'@'${host}'`);
    expect(login([account('bob', host), account('', host)], 'bob', ip)).toBe(`'bob'@'${host}'`);
    expect(login([account('', host), account('bob', host)], 'carol', ip)).toBe(`''@'${host}'`);
  });

  it('ranks addresses and networks, narrowest first, above localhost and patterns', () => {
    const accounts = [
      account('bob', '%'),
      account('bob', '127.%'),
      account('bob', 'localhost'),
      account('bob', '127.0.0.0/8'),
      account('bob', '127.0.0.0/255.255.255.0'),
      account('bob', '127.0.0.0/24'),
      account('bob', '127.0.0.1'),
    ];
    expect(names(sortAccounts(accounts))).toEqual([
      "'bob'@'127.0.0.1'",
      "'bob'@'127.0.0.0/24'",
      "'bob'@'127.0.0.0/255.255.255.0'",
      "'bob'@'127.0.0.0/8'",
      "'bob'@'localhost'",
      "'bob'@'127.%'",
      "'bob'@'%'",
    ]);
    expect(login(accounts, 'bob', '127.0.0.1')).toBe("'bob'@'127.0.0.1'");
    expect(login(accounts, 'bob', '127.0.0.2')).toBe("'bob'@'127.0.0.0/24'");
    expect(login(accounts, 'bob', '127.1.0.2')).toBe("'bob'@'127.0.0.0/8'");
    expect(login(accounts, 'bob', '::1')).toBe("'bob'@'localhost'");
  });

  it('compares user names case-sensitively, as MySQL does', () => {
    const accounts = [account('Bob', '%')];
    expect(login(accounts, 'bob', '10.0.0.1')).toBeUndefined();
    expect(login(accounts, 'Bob', '10.0.0.1')).toBe("'Bob'@'%'");
  });

  it('matches the anonymous user for any name, the empty name only to it', () => {
    const accounts = [account('bob', '%'), account('', '10.%')];
    expect(login(accounts, 'carol', '10.0.0.1')).toBe("''@'10.%'");
    expect(login(accounts, '', '10.0.0.1')).toBe("''@'10.%'");
    expect(login(accounts, '', '11.0.0.1')).toBeUndefined();
    expect(login(accounts, 'carol', '11.0.0.1')).toBeUndefined();
  });

  it('finds nothing among no accounts', () => {
    expect(matchAccount([], 'bob', '10.0.0.1')).toBeUndefined();
  });
});

describe('sortAccounts', () => {
  it('returns a new array and leaves its input alone', () => {
    const accounts = [account('bob', '%'), account('bob', '10.0.0.1')];
    const before = [...accounts];
    const sorted = sortAccounts(accounts);
    expect(sorted).not.toBe(accounts);
    expect(accounts).toEqual(before);
    expect(names(sorted)).toEqual(["'bob'@'10.0.0.1'", "'bob'@'%'"]);
  });

  it('keeps accounts MySQL leaves unordered in their configured order', () => {
    const a = account('alice', '%');
    const b = account('bob', '%');
    const c = account('alice', '%');
    expect(sortAccounts([a, b, c])).toEqual([a, b, c]);
    expect(sortAccounts([c, b, a])).toEqual([c, b, a]);
  });
});

describe('account names', () => {
  it.each([
    ['bob', '%', 'bob@%', '`bob`@`%`'],
    ['', 'localhost', '@localhost', '``@`localhost`'],
    ['root', '10.0.0.0/255.0.0.0', 'root@10.0.0.0/255.0.0.0', '`root`@`10.0.0.0/255.0.0.0`'],
    ['we`ird', '::1', 'we`ird@::1', '`we``ird`@`::1`'],
    ['ünï', '%', 'ünï@%', '`ünï`@`%`'],
  ])('%j@%j', (user, host, plain, quoted) => {
    expect(accountName(user, host)).toBe(plain);
    expect(quotedAccountName(user, host)).toBe(quoted);
  });

  it('quotes identifiers as MySQL does', () => {
    expect(quoteIdentifier('rpc')).toBe('`rpc`');
    expect(quoteIdentifier('')).toBe('``');
    expect(quoteIdentifier('a``b')).toBe('`a````b`');
  });
});

describe('account order properties', () => {
  // The order the manual and MySQL's ACL_USER_compare give, written out by hand for a
  // pool of hosts: smaller is more specific.
  const rank: Record<string, readonly number[]> = {
    '127.0.0.1': [0, 0, 0],
    '::1': [0, 0, 0],
    '10.0.0.1': [0, 0, 0],
    '10.0.0.2': [0, 0, 0],
    '10.0.0.0/24': [0, 8, 1],
    '10.0.0.0/255.255.255.0': [0, 8, 2],
    '10.0.0.0/8': [0, 24, 1],
    '127.0.0.0/8': [0, 24, 1],
    '10.0.0.0/255.0.0.0': [0, 24, 2],
    '::ffff:0:0/96': [0, 32, 1],
    '::/0': [0, 128, 1],
    localhost: [1, 0, 0],
    '10.0.0._': [1, 1, -8],
    '127.%': [1, 1, -4],
    '10.%': [1, 1, -3],
    '1%': [1, 1, -1],
    '%.1': [1, 1, 0],
    '%': [1, 2, 0],
  };
  const hosts = Object.keys(rank);
  const users = ['', 'bob', 'alice', 'Bob'];
  const clients = [
    '127.0.0.1',
    '10.0.0.1',
    '10.0.0.2',
    '10.0.0.10',
    '::1',
    '192.168.0.1',
    'fd00::1',
  ];
  const accountsArb = fc.array(
    fc.record({ user: fc.constantFrom(...users), host: fc.constantFrom(...hosts) }),
    { maxLength: 12 },
  );

  /** The reference: the most specific candidate, a named user on ties, then the first given. */
  function reference(accounts: Account[], user: string, ip: string): Account | undefined {
    const key = (a: Account, i: number) => [...rank[a.host.text], a.user === '' ? 1 : 0, i];
    const less = (x: number[], y: number[]) => {
      const j = x.findIndex((v, i) => v !== y[i]);
      return j !== -1 && x[j] < y[j];
    };
    let best: { a: Account; k: number[] } | undefined;
    accounts.forEach((a, i) => {
      if ((a.user !== '' && a.user !== user) || !a.host.matches(ip)) return;
      const k = key(a, i);
      if (!best || less(k, best.k)) best = { a, k };
    });
    return best?.a;
  }

  it('matchAccount picks what the hand-written order picks', () => {
    fc.assert(
      fc.property(
        accountsArb,
        fc.constantFrom('bob', 'alice', 'Bob', '', 'carol'),
        fc.constantFrom(...clients),
        (specs, user, ip) => {
          const accounts = specs.map((s) => account(s.user, s.host));
          expect(matchAccount(sortAccounts(accounts), user, ip)).toBe(
            reference(accounts, user, ip),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('sortAccounts is a stable sort by compareAccounts', () => {
    fc.assert(
      fc.property(accountsArb, (specs) => {
        const accounts = specs.map((s) => account(s.user, s.host));
        const sorted = sortAccounts(accounts);
        expect([...sorted].sort((a, b) => a.id - b.id)).toEqual(accounts);
        for (let i = 1; i < sorted.length; i++) {
          const order = compareAccounts(sorted[i - 1], sorted[i]);
          expect(order).toBeLessThanOrEqual(0);
          if (order === 0) expect(sorted[i - 1].id).toBeLessThan(sorted[i].id);
        }
      }),
    );
  });
});
