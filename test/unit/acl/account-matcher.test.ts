import { createAccountMatcher } from '../../../lib/acl/account-matcher.js';

describe('createAccountMatcher', () => {
  it('picks the most specific account, as the server does for its own list', () => {
    const near = { user: 'bob', host: '10.0.0.1', password: 'a' };
    const net = { user: 'bob', host: '10.0.0.0/8', password: 'b' };
    const any = { user: 'bob', password: 'c' };
    const anon = { user: '', host: 'localhost', password: 'd' };
    const match = createAccountMatcher([any, anon, net, near]);
    expect(match('bob', '10.0.0.1')).toBe(near);
    expect(match('bob', '10.9.9.9')).toBe(net);
    expect(match('bob', '192.168.0.1')).toBe(any);
    expect(match('bob', '127.0.0.1')).toBe(anon);
    expect(match('alice', '192.168.0.1')).toBeUndefined();
  });
});
