// A gateway key as the plugin keeps it: what is stored, what the admin routes and the CLI show
// (never the secret, never its hash) and the principal it authenticates as.
import type { Principal } from '@gatehousejs/core';

export const RENEWAL_PERIODS = ['second', 'minute', 'hour', 'day', 'month', 'year'] as const;
export type RenewalPeriod = (typeof RENEWAL_PERIODS)[number];

/** Read by the rate-limit plugin from the principal. */
export interface KeyLimits {
  readonly requests?: { readonly calls: number; readonly renewal_period: RenewalPeriod };
  readonly tokens?: { readonly tokens: number; readonly renewal_period: RenewalPeriod };
}

export interface KeyInfo {
  readonly id: string;
  readonly name: string;
  readonly owner: string | null;
  /** Endpoint or route names it may call; null: all. */
  readonly endpoints: readonly string[] | null;
  readonly limits: KeyLimits | null;
  /** Epoch ms; null: never. */
  readonly expiresAt: number | null;
  readonly createdAt: number;
  readonly revokedAt: number | null;
  /** Issued (stored in the SQL store) or declared in the config file. */
  readonly source: 'store' | 'config';
}

/** A key with the SHA-256 of its full text, the only form of the secret the gateway keeps. */
export interface HashedKey extends KeyInfo {
  readonly hash: Buffer;
}

/** What `authenticate` returns for a key: the shape the rate-limit plugin reads. */
export interface KeyPrincipal extends Principal {
  readonly id: string;
  readonly name: string;
  readonly owner: string | undefined;
  readonly limits?: KeyLimits;
}

export function principalOf(key: KeyInfo): KeyPrincipal {
  return Object.freeze({ id: key.id, name: key.name, owner: key.owner ?? undefined, endpoints: key.endpoints, ...(key.limits ? { limits: key.limits } : {}) });
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The key as the admin routes and `gatehouse keys list --json` show it. */
export function publicView(key: KeyInfo, now: number): Record<string, unknown> {
  return {
    id: key.id,
    name: key.name,
    owner: key.owner,
    endpoints: key.endpoints,
    limits: key.limits,
    expires_at: iso(key.expiresAt),
    created_at: iso(key.createdAt),
    revoked_at: iso(key.revokedAt),
    status: statusOf(key, now),
    source: key.source,
  };
}

export function statusOf(key: KeyInfo, now: number): 'active' | 'revoked' | 'expired' {
  if (key.revokedAt !== null) return 'revoked';
  if (key.expiresAt !== null && key.expiresAt <= now) return 'expired';
  return 'active';
}
