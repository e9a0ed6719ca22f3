import { AccountDirectory } from '../../../lib/acl/account-directory.js';
import { hashPassword } from '../../../lib/acl/hash-password.js';
import { resolveAccount } from '../../../lib/acl/resolved-account.js';
import { Sha2Cache } from '../../../lib/acl/sha2-cache.js';
import { cachingSha2Digest } from '../../../lib/protocol/auth/caching-sha2.js';

const context = { defaultSchema: 'rpc', roles: { reporting: ['rpc.report_*'] } };

describe('resolveAccount', () => {
  it('hashes a password into both verifiers and the fast-path digest, and keeps no password', () => {
    const a = resolveAccount({ user: 'u', password: 'secret', grants: ['rpc.*'] }, context);
    expect(a.credentials.plugins).toEqual(['caching_sha2_password', 'mysql_native_password']);
    expect(a.credentials.sha2Digest).toEqual(cachingSha2Digest('secret'));
    expect(JSON.stringify(a)).not.toContain('secret');
    expect(a.name).toBe('u@%');
    expect(a.grants.covers('rpc', 'anything')).toBe(true);
  });

  it('takes verifiers alone, and offers only the plugins it has a verifier for', () => {
    const v = hashPassword('pw');
    const native = resolveAccount({ user: 'n', nativePasswordHash: v.nativePasswordHash }, context);
    expect(native.credentials.plugins).toEqual(['mysql_native_password']);
    const sha2 = resolveAccount(
      { user: 's', cachingSha2PasswordHash: v.cachingSha2PasswordHash },
      context,
    );
    expect(sha2.credentials.plugins).toEqual(['caching_sha2_password']);
    expect(sha2.credentials.sha2Digest).toBeNull();
    const pinned = resolveAccount(
      { user: 'p', password: 'pw', plugin: 'mysql_native_password' },
      context,
    );
    expect(pinned.credentials.plugins).toEqual(['mysql_native_password']);
  });

  it('grants nothing by default, and adds its roles’ grants', () => {
    const none = resolveAccount({ user: 'x', password: 'pw' }, context);
    expect(none.grants.covers('rpc', 'myadd')).toBe(false);
    const r = resolveAccount({ user: 'r', password: 'pw', roles: ['reporting'] }, context);
    expect(r.grants.covers('rpc', 'report_daily')).toBe(true);
    expect(r.grants.covers('rpc', 'myadd')).toBe(false);
  });

  it.each([
    [{ user: 'a' }, /password or at least one verifier/],
    [{ user: 'a', password: 'x', nativePasswordHash: '*' + 'A'.repeat(40) }, /not both/],
    [{ user: 'a', nativePasswordHash: 'abc' }, /40 hex/],
    [{ user: 'a', cachingSha2PasswordHash: '$A$005$short' }, /'a'@'%'/],
    [{ user: 'a', password: 'x', roles: ['nope'] }, /^account 'a'@'%': unknown role 'nope'/],
    [{ user: 'a', password: 'x', grants: ['a.b.c'] }, /grant/],
    [
      { user: 'a', password: 'x', host: 'db.example.com' },
      /^account 'a'@'db.example.com': host pattern/,
    ],
    [
      { user: 'a', nativePasswordHash: '*' + 'A'.repeat(40), plugin: 'caching_sha2_password' },
      /needs its verifier/,
    ],
    [{ user: 'a', password: 'x', maxUserConnections: -1 }, /maxUserConnections/],
    [{ user: 'x'.repeat(33), password: 'x' }, /32 characters/],
  ] as const)('refuses %j at start-up', (options, message) => {
    expect(() => resolveAccount(options as never, context)).toThrow(message);
  });

  it('never puts a verifier in an error message', () => {
    const bad = '$A$005$' + 'x'.repeat(10);
    try {
      resolveAccount({ user: 'a', cachingSha2PasswordHash: bad }, context);
    } catch (e) {
      expect((e as Error).message).not.toContain(bad);
    }
  });
});

describe('AccountDirectory', () => {
  it('matches the most specific account, and refuses duplicates', async () => {
    const dir = new AccountDirectory(
      [
        { user: 'bob', host: '%', password: 'a' },
        { user: 'bob', host: '10.0.0.0/8', password: 'b' },
      ],
      context,
    );
    expect((await dir.find('bob', '10.1.2.3'))!.name).toBe('bob@10.0.0.0/8');
    expect((await dir.find('bob', '192.168.1.1'))!.name).toBe('bob@%');
    expect(await dir.find('alice', '10.1.2.3')).toBeUndefined();
    expect((await dir.get('bob', '10.0.0.0/8'))!.name).toBe('bob@10.0.0.0/8');
    expect(
      () =>
        new AccountDirectory(
          [
            { user: 'bob', password: 'a' },
            { user: 'bob', host: '%', password: 'b' },
          ],
          context,
        ),
    ).toThrow(/defined twice/);
  });

  it('does not trust a store that answers with an account the login cannot use', async () => {
    const wrongHost = { user: 'dyn', host: '10.0.0.0/8', password: 'pw' };
    const wrongUser = { user: 'other', password: 'pw' };
    const anonymous = { user: '', host: 'localhost', password: 'pw' };
    const dir = new AccountDirectory(
      {
        findAccount: (user: string) =>
          user === 'a' ? wrongHost : user === 'b' ? wrongUser : anonymous,
      },
      context,
    );
    expect(await dir.find('a', '192.168.1.1')).toBeUndefined();
    expect(await dir.find('b', '192.168.1.1')).toBeUndefined();
    expect((await dir.find('c', '127.0.0.1'))!.name).toBe('@localhost');
  });

  it('resolves a store’s records once per object', async () => {
    const record = { user: 'dyn', password: 'pw', grants: ['*.*'] };
    let calls = 0;
    const dir = new AccountDirectory(
      {
        findAccount: (user: string, host: string) => {
          calls++;
          return user === 'dyn' && host === '1.2.3.4' ? record : undefined;
        },
      },
      context,
    );
    const first = await dir.find('dyn', '1.2.3.4');
    expect(await dir.find('dyn', '1.2.3.4')).toBe(first);
    expect(await dir.find('dyn', '5.6.7.8')).toBeUndefined();
    expect(calls).toBe(3);
    expect(await dir.get('dyn', '%')).toBeUndefined();
  });
});

describe('Sha2Cache', () => {
  it('remembers a learnt digest for the verifier it was proven against only', () => {
    const cache = new Sha2Cache();
    const v1 = hashPassword('one').cachingSha2PasswordHash;
    const a = resolveAccount({ user: 'u', cachingSha2PasswordHash: v1 }, context);
    expect(cache.get(a)).toBeNull();
    cache.set(a, cachingSha2Digest('one'));
    expect(cache.get(a)).toEqual(cachingSha2Digest('one'));
    const changed = resolveAccount(
      { user: 'u', cachingSha2PasswordHash: hashPassword('two').cachingSha2PasswordHash },
      context,
    );
    expect(cache.get(changed)).toBeNull();
    cache.clear();
    expect(cache.get(a)).toBeNull();
  });
});
