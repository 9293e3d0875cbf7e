// The top-level `rate_limits:` key and the per-endpoint `max_output_tokens`: their schemas
// (validated by core with the rest of the file) and the settings derived from them.
import { createError, type JSONSchema } from '@gatehousejs/core';

export const RENEWAL_PERIODS = ['second', 'minute', 'hour', 'day', 'month', 'year'] as const;
export type RenewalPeriod = (typeof RENEWAL_PERIODS)[number];

export interface RequestLimit {
  readonly calls: number;
  readonly renewal_period: RenewalPeriod;
}

export interface TokenLimit {
  readonly tokens: number;
  readonly renewal_period: RenewalPeriod;
}

/** A key's limits: the keys plugin puts them on `ctx.principal.limits`; `rate_limits.keys` gives defaults. */
export interface KeyLimits {
  readonly requests?: RequestLimit;
  readonly tokens?: TokenLimit;
}

const period: JSONSchema = { enum: [...RENEWAL_PERIODS] };

export const keyLimitsSchema: JSONSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    requests: {
      type: 'object',
      additionalProperties: false,
      required: ['calls', 'renewal_period'],
      properties: { calls: { type: 'integer', minimum: 1 }, renewal_period: period },
    },
    tokens: {
      type: 'object',
      additionalProperties: false,
      required: ['tokens', 'renewal_period'],
      properties: { tokens: { type: 'integer', minimum: 1 }, renewal_period: period },
    },
  },
};

const maxOutputTokens: JSONSchema = { type: 'integer', minimum: 1 };

/** Where counters live (memory, or Redis): the same keys for every plugin that counts (budgets too). */
export const COUNTER_STORE_PROPERTIES: Readonly<Record<string, JSONSchema>> = Object.freeze({
  store: { enum: ['memory', 'redis'] },
  redis_url: { type: 'string', minLength: 1 },
  redis_prefix: { type: 'string', minLength: 1, maxLength: 100 },
  redis_timeout_ms: { type: 'integer', minimum: 10, maximum: 10_000 },
});

export const rateLimitsSchema: JSONSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...COUNTER_STORE_PROPERTIES,
    max_output_tokens: maxOutputTokens,
    keys: keyLimitsSchema,
  },
};

/** Per endpoint: the output reserved for a request that sets no max_tokens. */
export const endpointKeys: Record<string, JSONSchema> = { max_output_tokens: maxOutputTokens };

export interface RateLimitsConfig {
  store?: 'memory' | 'redis';
  redis_url?: string;
  redis_prefix?: string;
  redis_timeout_ms?: number;
  max_output_tokens?: number;
  keys?: KeyLimits;
}

export interface Settings {
  readonly store: 'memory' | 'redis';
  /** The resolved URL (it may hold a password: never log it, see redisLocation). */
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly redisTimeoutMs: number;
  /** Reserved output for requests without max_tokens on endpoints without max_output_tokens (0: none). */
  readonly maxOutputTokens: number;
  readonly keyDefaults: KeyLimits;
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** `redis_url` as written, else `$REDIS_URL` when that is set, else the local default; resolved by api.resolveSecret. */
export function redisUrlSetting(raw: RateLimitsConfig | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return raw?.redis_url ?? (env.REDIS_URL ? '$REDIS_URL' : DEFAULT_REDIS_URL);
}

/** `redisUrl` is the resolved URL (only the Redis store needs one). */
export function resolveSettings(raw: RateLimitsConfig | undefined, redisUrl = ''): Settings {
  const config = raw ?? {};
  return {
    store: config.store ?? 'memory',
    redisUrl,
    redisPrefix: config.redis_prefix ?? 'gatehouse:rl:',
    redisTimeoutMs: config.redis_timeout_ms ?? 500,
    maxOutputTokens: config.max_output_tokens ?? 0,
    keyDefaults: config.keys ?? {},
  };
}

/** Settings that pick the store: a change needs a restart. */
export function storeIdentity(s: Settings): string {
  return JSON.stringify([s.store, s.store === 'redis' ? [s.redisUrl, s.redisPrefix, s.redisTimeoutMs] : []]);
}

/** host:port of a Redis URL, for messages: never the password. */
export function redisLocation(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'the configured Redis';
  }
}

/**
 * MLflow's `limit.key`: absent, one counter for the endpoint; `user`, one per caller
 * (Databricks' per-user limits). Anything else is refused, naming the endpoint.
 */
export function checkEndpointLimits(endpoints: readonly { name: string; limit?: { key?: string } }[] | undefined): void {
  for (const endpoint of endpoints ?? []) {
    const key = endpoint.limit?.key;
    if (key !== undefined && key !== 'user') {
      throw createError('GW_ERR_CONFIG_INVALID', `Endpoint "${endpoint.name}": limit.key must be "user" (one counter per caller) or left out (one counter for the endpoint); got "${key}".`);
    }
  }
}
