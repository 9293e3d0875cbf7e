// The decision for one request, from memory only: anonymous while no key exists, else the
// caller's key must be known, not revoked, not expired and allowed on the name it asked for.
// Messages say what to do and never contain the key.
import { createError, type Principal, type RequestContext } from '@gatehousejs/core';
import type { KeyRing } from './keyring.js';
import { hashKey, sameDigest } from './token.js';

export const ANONYMOUS: Principal = Object.freeze({ id: 'anonymous' });

/**
 * The operator's admin key used as a caller (the console's "try it"): allowed on every endpoint,
 * with no key limits of its own, and recorded in usage under this id.
 */
export const ADMIN_PRINCIPAL: Principal = Object.freeze({ id: 'admin', name: 'admin', owner: undefined });

function missing(ctx: RequestContext): Error {
  const how =
    ctx.surface === 'native'
      ? "Send your Gatehouse key where this provider's SDK sends its API key (set the SDK's apiKey to your Gatehouse key)."
      : "Send your Gatehouse key as 'Authorization: Bearer <key>' (the apiKey of the OpenAI SDK) or as 'x-api-key: <key>'.";
  return createError('GW_ERR_UNAUTHENTICATED', `Missing API key. ${how}`);
}

/** The store was never read: issued keys cannot be checked, and whether auth is on is unknown. Fail closed. */
function unavailable(): Error {
  return createError('GW_ERR_INTERNAL', 'The key store is unavailable: the gateway cannot check API keys yet. Retry shortly.', { status: 503, retryAfter: 5 });
}

const iso = (ms: number) => new Date(ms).toISOString();

/** `adminHash`: SHA-256 of the configured admin key, if any; it authenticates whether or not auth is on. */
export function authenticate(ring: KeyRing, ctx: RequestContext, now: number, adminHash?: Buffer): Principal {
  const credential = ctx.credential;
  // Hashed once, for the admin key and the ring both.
  const digest = credential !== undefined && (adminHash !== undefined || ring.authOn) ? hashKey(credential) : undefined;
  if (digest !== undefined && adminHash !== undefined && sameDigest(digest, adminHash)) return ADMIN_PRINCIPAL;
  if (!ring.authOn) return ANONYMOUS;
  if (credential === undefined || digest === undefined) {
    if (!ring.loaded && !ring.hasConfigKeys) throw unavailable();
    throw missing(ctx);
  }
  const found = ring.find(credential, digest);
  if (!found) {
    if (!ring.loaded) throw unavailable();
    throw createError('GW_ERR_UNAUTHENTICATED', 'Invalid API key: this gateway did not issue it. Check the key you configured in your client.');
  }
  const { key, principal } = found;
  if (key.revokedAt !== null) throw createError('GW_ERR_UNAUTHENTICATED', `This API key (${key.id}) was revoked on ${iso(key.revokedAt)}.`);
  if (key.expiresAt !== null && key.expiresAt <= now) throw createError('GW_ERR_UNAUTHENTICATED', `This API key (${key.id}) expired on ${iso(key.expiresAt)}.`);
  // The name asked for decides: a route reaches whichever destination it picks, an endpoint its fallbacks.
  // '' is a listing, which names no endpoint: it shows only the key's (core filters by principal.endpoints).
  if (key.endpoints !== null && ctx.requested !== '' && !key.endpoints.includes(ctx.requested)) {
    throw createError('GW_ERR_FORBIDDEN', `This API key (${key.id}) may not call "${ctx.requested}"; it may call: ${key.endpoints.join(', ')}.`);
  }
  return principal;
}
