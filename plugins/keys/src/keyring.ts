// The keys the hot path checks, in memory: no request ever waits on SQL. Issued keys are found
// by the id in their text, declared keys by comparing digests with every one of them; every
// comparison is constant-time. Swapped whole on each refresh from the store.
import { timingSafeEqual } from 'node:crypto';
import { principalOf, type HashedKey, type KeyPrincipal } from './key.js';
import { hashKey, issuedKeyId, sameDigest } from './token.js';

export interface KeyEntry {
  readonly key: HashedKey;
  readonly principal: KeyPrincipal;
}

const entry = (key: HashedKey): KeyEntry => ({ key, principal: principalOf(key) });

export class KeyRing {
  private issued = new Map<string, KeyEntry>();
  private configured: readonly KeyEntry[] = [];
  private required = false;
  /** Whether the store has been read at least once: until then the ring cannot tell who is unknown. */
  loaded = false;

  configure(keys: readonly HashedKey[], required: boolean): void {
    this.configured = keys.map(entry);
    this.required = required;
  }

  load(stored: readonly HashedKey[]): void {
    this.issued = new Map(stored.map((key) => [key.id, entry(key)]));
    this.loaded = true;
  }

  /**
   * Auth is on once any key exists (a revoked one too: revoking the last key must not open the
   * gateway), when `keys.required` is set, and while the store has never been read (fail closed).
   */
  get authOn(): boolean {
    return this.required || this.configured.length > 0 || this.issued.size > 0 || !this.loaded;
  }

  get hasConfigKeys(): boolean {
    return this.configured.length > 0;
  }

  configKeys(): readonly HashedKey[] {
    return this.configured.map((e) => e.key);
  }

  /** `digest`: the credential's SHA-256 when the caller has it already (one hash per request). */
  find(credential: string, digest: Buffer = hashKey(credential)): KeyEntry | undefined {
    const id = issuedKeyId(credential);
    const issued = id === undefined ? undefined : this.issued.get(id);
    if (issued) return sameDigest(digest, issued.key.hash) ? issued : undefined;
    let found: KeyEntry | undefined;
    // No early exit: the time taken does not say which declared key was close.
    for (const e of this.configured) if (timingSafeEqual(digest, e.key.hash) && !found) found = e;
    return found;
  }
}
