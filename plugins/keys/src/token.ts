// The key text, shown once: `gh_<key id>_<secret>`. The id finds the stored row; the gateway
// keeps only the SHA-256 of the whole text and compares digests in constant time. A 256-bit
// random secret needs no slow hash: there is nothing to guess.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

const ISSUED = /^gh_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/;

export function newKey(): { id: string; key: string } {
  const id = randomBytes(8).toString('hex');
  return { id, key: `gh_${id}_${randomBytes(32).toString('base64url')}` };
}

/** The key id of an issued key's text; undefined for anything else (a config key, a typo). */
export function issuedKeyId(text: string): string | undefined {
  return ISSUED.exec(text)?.[1];
}

/** One-shot hash (no Hash object per request: half the cost). */
export function hashKey(text: string): Buffer {
  return hash('sha256', text, 'buffer');
}

/** Whether `text` hashes to `hash`, in time independent of where they differ. */
export function matchesHash(text: string, hash: Buffer): boolean {
  return sameDigest(hashKey(text), hash);
}

/** Two digests compared in constant time. */
export function sameDigest(digest: Buffer, hash: Buffer): boolean {
  return digest.length === hash.length && timingSafeEqual(digest, hash);
}
