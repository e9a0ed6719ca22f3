import type { ResolvedAccount } from './resolved-account.js';

/** Accounts whose digest is remembered at once; the oldest is forgotten beyond this. */
const CAPACITY = 10_000;

/**
 * caching_sha2_password's in-memory cache, as MySQL keeps it: after a full
 * login succeeds, SHA256(SHA256(password)) lets later logins of the same
 * account take the fast path. Entries are tied to the verifier they were
 * proven against, so an account whose verifier changes (in a store) starts
 * over on the full path. `FLUSH PRIVILEGES` empties it.
 */
export class Sha2Cache {
  private readonly entries = new Map<string, { verifier: string; digest: Buffer }>();

  /** The digest learnt for this account and its current verifier, or null. */
  get(account: ResolvedAccount): Buffer | null {
    const sha2 = account.credentials.sha2;
    if (!sha2) return null;
    const entry = this.entries.get(account.name);
    return entry && entry.verifier === sha2.text ? entry.digest : null;
  }

  /** Remembers a digest proven by a full login. */
  set(account: ResolvedAccount, digest: Buffer): void {
    const sha2 = account.credentials.sha2;
    if (!sha2 || account.credentials.sha2Digest) return;
    this.entries.delete(account.name);
    if (this.entries.size >= CAPACITY) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(account.name, { verifier: sha2.text, digest });
  }

  /** Forgets every learnt digest (FLUSH PRIVILEGES). */
  clear(): void {
    this.entries.clear();
  }
}
