import { hashPassword } from '../../../lib/acl/hash-password.js';
import { MysqlStatusHttp } from '../../../lib/status/http/status-http.js';
import type { MysqlStatusHttpOptions } from '../../../lib/status/http/status-http-options.js';
import { fixedProvider } from './status-fixture.js';

const quiet = { warn: () => {}, error: () => {} };
const basic = (user: string, password: string) =>
  'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
const TOKEN = 's3cret-token-for-scrapers';

const started: MysqlStatusHttp[] = [];
async function start(options: MysqlStatusHttpOptions, admins: Record<string, string> = {}) {
  const provider = fixedProvider(undefined, admins);
  const http = new MysqlStatusHttp(provider, { port: 0, ...options }, quiet);
  started.push(http);
  const url = (await http.listen())!;
  /** Status of GET path with these headers. */
  const status = async (headers: Record<string, string> = {}, path = 'status.json') =>
    (await fetch(url + path, { headers })).status;
  return { url, status, provider };
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((h) => h.close()));
});

describe('status endpoints: HTTP Basic viewers', () => {
  it('let a viewer in with its password, on every route', async () => {
    const { status } = await start({ viewers: { root: 'viewpass' } });
    for (const path of ['', 'status.json', 'metrics']) {
      expect(await status({ authorization: basic('root', 'viewpass') }, path)).toBe(200);
    }
  });

  it('refuse a missing, wrong or malformed login with the same 401 and a Basic challenge', async () => {
    const { url } = await start({ viewers: { root: 'viewpass', ops: 'pa:ss' } });
    const answers = await Promise.all(
      [
        {} as Record<string, string>,
        { authorization: basic('root', 'wrong') },
        { authorization: basic('nobody', 'viewpass') },
        { authorization: basic('root', '') },
        { authorization: basic('ROOT', 'viewpass') },
        { authorization: 'Basic ' + Buffer.from('rootviewpass').toString('base64') },
        { authorization: 'Basic !!!' },
        { authorization: 'Digest root' },
        { authorization: 'Basic' },
      ].map(async (headers) => {
        const res = await fetch(url + 'status.json', { headers });
        return [res.status, res.headers.get('www-authenticate'), await res.text()];
      }),
    );
    for (const answer of answers) {
      expect(answer).toEqual([
        401,
        'Basic realm="nestjs-mysql-rpc", charset="UTF-8"',
        'authentication required\n',
      ]);
    }
  });

  it('split the login at the first colon: passwords may hold colons, names may not', async () => {
    const { status } = await start({ viewers: { ops: 'pa:ss:word' } });
    expect(await status({ authorization: basic('ops', 'pa:ss:word') })).toBe(200);
  });

  it('take UTF-8 names and passwords', async () => {
    const { status } = await start({ viewers: { jürgen: 'pässwörd' } });
    expect(await status({ authorization: basic('jürgen', 'pässwörd') })).toBe(200);
  });

  it("check hashPassword's verifiers, either kind, without holding the password", async () => {
    const { nativePasswordHash, cachingSha2PasswordHash } = hashPassword('hashed-pass');
    const { status } = await start({
      viewers: {
        both: hashPassword('both-pass'),
        sha2: { cachingSha2PasswordHash },
        native: { nativePasswordHash },
      },
    });
    expect(await status({ authorization: basic('both', 'both-pass') })).toBe(200);
    expect(await status({ authorization: basic('sha2', 'hashed-pass') })).toBe(200);
    expect(await status({ authorization: basic('native', 'hashed-pass') })).toBe(200);
    expect(await status({ authorization: basic('sha2', 'other') })).toBe(401);
    expect(await status({ authorization: basic('native', 'other') })).toBe(401);
    expect(await status({ authorization: basic('nobody', 'hashed-pass') })).toBe(401);
  });

  it('refuse a viewer with an empty password or a malformed verifier, quoting no secret', () => {
    const make = (viewers: MysqlStatusHttpOptions['viewers']) => () =>
      new MysqlStatusHttp(fixedProvider(), { viewers }, quiet);
    expect(make({ root: '' })).toThrow(
      "statusHttp viewer 'root': an empty password would let anyone in",
    );
    expect(make({ root: {} })).toThrow("statusHttp viewer 'root': give a password or verifiers");
    expect(make({ 'a:b': 'pw' })).toThrow(
      "statusHttp viewer 'a:b': a user name is not empty and has no colon",
    );
    expect(make({ '': 'pw' })).toThrow(/no colon/);
    const bad = '*NOT-A-HASH-secretstuff';
    expect(make({ root: { nativePasswordHash: bad } })).toThrow(
      "statusHttp viewer 'root': a verifier is malformed",
    );
    expect(make({ root: { cachingSha2PasswordHash: '$A$005$short' } })).toThrow(/malformed$/);
  });
});

describe('status endpoints: admin accounts', () => {
  it("accept the server's admin accounts, asking for the client's address", async () => {
    const { status, provider } = await start({ accounts: true }, { root: 'rootpass' });
    expect(await status({ authorization: basic('root', 'rootpass') })).toBe(200);
    expect(await status({ authorization: basic('root', 'wrong') })).toBe(401);
    expect(provider.adminChecks).toEqual([
      { user: 'root', password: 'rootpass', host: '127.0.0.1' },
      { user: 'root', password: 'wrong', host: '127.0.0.1' },
    ]);
  });

  it('take either the viewer password or the account password when both are on', async () => {
    const { status } = await start(
      { accounts: true, viewers: { root: 'viewpass' } },
      { root: 'rootpass' },
    );
    expect(await status({ authorization: basic('root', 'viewpass') })).toBe(200);
    expect(await status({ authorization: basic('root', 'rootpass') })).toBe(200);
    expect(await status({ authorization: basic('root', 'other') })).toBe(401);
  });

  it('are not asked when accounts is off', async () => {
    const { status, provider } = await start({ viewers: { a: 'b' } }, { root: 'rootpass' });
    expect(await status({ authorization: basic('root', 'rootpass') })).toBe(401);
    expect(provider.adminChecks).toEqual([]);
  });
});

describe('status endpoints: token', () => {
  it('accept the token as a Bearer or in X-Status-Token', async () => {
    const { status } = await start({ token: TOKEN });
    expect(await status({ authorization: `Bearer ${TOKEN}` })).toBe(200);
    expect(await status({ authorization: `bearer ${TOKEN}` })).toBe(200);
    expect(await status({ 'x-status-token': TOKEN }, 'metrics')).toBe(200);
  });

  it('refuse a wrong, shorter, longer or empty token with a Bearer challenge only', async () => {
    const { url } = await start({ token: TOKEN });
    for (const given of ['wrong', TOKEN.slice(0, -1), TOKEN + 'x', '']) {
      for (const headers of [
        { authorization: `Bearer ${given}` },
        { 'x-status-token': given },
      ] as Record<string, string>[]) {
        const res = await fetch(url + 'metrics', { headers });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="nestjs-mysql-rpc"');
      }
    }
  });

  it('offer both challenges when Basic and the token are both accepted', async () => {
    const { url, status } = await start({ token: TOKEN, viewers: { root: 'viewpass' } });
    const res = await fetch(url);
    expect(res.headers.get('www-authenticate')).toBe(
      'Basic realm="nestjs-mysql-rpc", charset="UTF-8", Bearer realm="nestjs-mysql-rpc"',
    );
    expect(await status({ authorization: basic('root', 'viewpass') })).toBe(200);
    expect(await status({ authorization: `Bearer ${TOKEN}` })).toBe(200);
    // Basic does not take the token as a password.
    expect(await status({ authorization: basic('root', TOKEN) })).toBe(401);
  });

  it('refuse an empty token in the options', () => {
    expect(() => new MysqlStatusHttp(fixedProvider(), { token: '' }, quiet)).toThrow(/token/);
  });
});

describe('status endpoints: credentials in the URL', () => {
  it('are ignored: a query string never authenticates', async () => {
    const { url } = await start({ token: TOKEN, viewers: { root: 'viewpass' } }, {});
    for (const query of [
      `?token=${TOKEN}`,
      `?access_token=${TOKEN}`,
      `?x-status-token=${TOKEN}`,
      '?user=root&password=viewpass',
      `?authorization=${encodeURIComponent(basic('root', 'viewpass'))}`,
    ]) {
      expect((await fetch(url + 'status.json' + query)).status).toBe(401);
      expect((await fetch(url + query)).status).toBe(401);
    }
  });
});
