import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { AccountCredentials } from '../../acl/resolved-account.js';
import { parseNativePasswordHash } from '../../acl/resolved-account.js';
import { verifyPlainPassword } from '../../acl/verify-credentials.js';
import { parseSha2Verifier } from '../../protocol/auth/sha256-crypt.js';
import { decoyCredentials } from '../../session/login/decoy-account.js';
import type { StatusProvider } from '../status-provider.js';
import type { MysqlStatusHttpOptions, MysqlStatusViewer } from './status-http-options.js';

/** The realm browsers show in their login prompt. */
export const STATUS_REALM = 'nestjs-mysql-rpc';

/**
 * A viewer as checked: a plain password is kept only as its SHA-256, so
 * comparing costs one hash and reveals nothing through timing; verifiers
 * go through the same check as a MySQL login from plain text.
 */
type ViewerCheck =
  | { readonly kind: 'digest'; readonly digest: Buffer }
  | { readonly kind: 'verifier'; readonly credentials: AccountCredentials };

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Equal strings, in time that depends on neither: both are hashed to one length first. */
function sameSecret(given: string, digest: Buffer): boolean {
  return timingSafeEqual(sha256(given), digest);
}

function resolveViewer(user: string, viewer: MysqlStatusViewer): ViewerCheck {
  const fail = (why: string): never => {
    throw new Error(`statusHttp viewer '${user}': ${why}`);
  };
  // Basic sends `user:password`: a colon in a name would move it into the password.
  if (user === '' || user.includes(':')) fail('a user name is not empty and has no colon');
  if (typeof viewer === 'string') {
    if (viewer === '') fail('an empty password would let anyone in');
    return { kind: 'digest', digest: sha256(viewer) };
  }
  if (viewer === null || typeof viewer !== 'object') fail('give a password or verifiers');
  const { nativePasswordHash: native, cachingSha2PasswordHash: sha2 } = viewer;
  if (!native && !sha2) fail('give a password or verifiers');
  try {
    return {
      kind: 'verifier',
      credentials: {
        native: native ? parseNativePasswordHash(native) : undefined,
        sha2: sha2 ? parseSha2Verifier(sha2) : undefined,
        sha2Digest: null,
        plugins: [],
      },
    };
  } catch {
    // The parsers' messages may quote the verifier, which is a secret too.
    return fail('a verifier is malformed');
  }
}

/** The parts of a request the check reads. */
export interface StatusRequestCredentials {
  readonly headers: IncomingHttpHeaders;
  /** The client's address, as the admin accounts' host patterns match it. */
  readonly host: string;
}

/**
 * Who may read the status: HTTP Basic against the viewers or the server's
 * admin accounts, or a bearer token. Credentials come from headers only,
 * never from the URL, where logs and browser history would keep them.
 * Every refusal looks the same, whatever was wrong.
 */
export class StatusAuth {
  private readonly viewers = new Map<string, ViewerCheck>();
  /** Checked for a user who is not a viewer, as costly as the costliest viewer. */
  private readonly decoy: ViewerCheck | null;
  private readonly token: Buffer | null;
  private readonly accounts: boolean;

  constructor(
    options: MysqlStatusHttpOptions,
    private readonly provider: StatusProvider,
  ) {
    for (const [user, viewer] of Object.entries(options.viewers ?? {})) {
      this.viewers.set(user, resolveViewer(user, viewer));
    }
    const checks = [...this.viewers.values()];
    this.decoy =
      checks.length === 0
        ? null
        : checks.some((c) => c.kind === 'verifier')
          ? { kind: 'verifier', credentials: decoyCredentials() }
          : { kind: 'digest', digest: randomBytes(32) };
    if (
      options.token !== undefined &&
      (typeof options.token !== 'string' || options.token === '')
    ) {
      throw new Error('statusHttp token must be a non-empty string');
    }
    this.token = options.token ? sha256(options.token) : null;
    this.accounts = options.accounts === true;
    if (this.viewers.size === 0 && !this.accounts && !this.token) {
      throw new Error(
        'statusHttp needs viewers, accounts: true or a token: the status is never public',
      );
    }
  }

  /** True when Basic logins are possible (the 401 then asks for them). */
  get basic(): boolean {
    return this.viewers.size > 0 || this.accounts;
  }

  /** True when a bearer token is accepted. */
  get bearer(): boolean {
    return this.token !== null;
  }

  /** True when the request proves itself by one of the configured means. */
  async check(request: StatusRequestCredentials): Promise<boolean> {
    const { headers } = request;
    const header = headers.authorization ?? '';
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const value = space < 0 ? '' : header.slice(space + 1).trim();
    if (this.token) {
      const given = scheme === 'bearer' ? value : headers['x-status-token'];
      if (typeof given === 'string' && given !== '' && sameSecret(given, this.token)) return true;
    }
    if (scheme !== 'basic' || !this.basic) return false;
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    return this.login(decoded.slice(0, colon), decoded.slice(colon + 1), request.host);
  }

  private async login(user: string, password: string, host: string): Promise<boolean> {
    const viewer = this.viewers.get(user);
    let ok = false;
    if (viewer) ok = passes(viewer, password);
    else if (this.decoy) passes(this.decoy, password);
    if (ok) return true;
    return this.accounts ? this.provider.verifyAdmin(user, password, host) : false;
  }
}

function passes(check: ViewerCheck, password: string): boolean {
  return check.kind === 'digest'
    ? sameSecret(password, check.digest)
    : verifyPlainPassword(check.credentials, password);
}
