// Rate limits: MLflow's per-endpoint `limit` and per-key request and token limits, on the
// rateLimit hook. Counters live in memory (core's shared counters: one process, or every
// worker of --workers N) or on Redis (several gateway instances). Fails closed with a 503
// when the store cannot answer.
import { definePlugin, estimateTokens, STAGE } from '@gatehousejs/core';
import { checkEndpointLimits, endpointKeys, rateLimitsSchema, redisUrlSetting, resolveSettings, storeIdentity, type RateLimitsConfig } from './config.js';
import { Limiter } from './limiter.js';
import { RedisCounters } from './redis-store.js';

export default definePlugin<never>({
  id: 'rate-limit',
  apiVersion: 1,
  setup(api) {
    api.config.extend({ topLevel: { rate_limits: rateLimitsSchema }, endpoint: endpointKeys });
    const limiter = new Limiter(api.counters, resolveSettings(undefined), api.log);
    let identity: string | undefined;
    let redis: RedisCounters | undefined;
    let countsTokens = false;

    // Start-up and every hot reload: limits apply at once; the store is chosen once, at start-up.
    api.onConfig(async (_options, config) => {
      checkEndpointLimits(config.raw.endpoints as { name: string; limit?: { key?: string } }[] | undefined);
      const raw = config.raw.rate_limits as RateLimitsConfig | undefined;
      // The URL may carry a password: resolved like any secret, and masked from then on.
      const redisUrl = raw?.store === 'redis' ? await api.resolveSecret(redisUrlSetting(raw), '/rate_limits/redis_url') : '';
      const settings = resolveSettings(raw, redisUrl);
      const next = storeIdentity(settings);
      if (identity !== undefined && next !== identity) {
        api.log.warn('rate limits: the store settings changed (store, redis_url, redis_prefix or redis_timeout_ms): restart the gateway to apply them; the limits apply now');
      }
      limiter.configure(settings);
      countsTokens = settings.keyDefaults.tokens !== undefined;
      if (identity === undefined && settings.store === 'redis') {
        redis = new RedisCounters({ url: settings.redisUrl, prefix: settings.redisPrefix, timeoutMs: settings.redisTimeoutMs, log: api.log });
        limiter.useStore(redis);
      }
      identity ??= next;
    });
    api.hooks.ready.tap(async () => {
      // Token limits count with the models' encodings: load them now, not on the first request.
      if (countsTokens) for (const endpoint of api.endpoints.list()) estimateTokens('warm-up', endpoint.model.name);
      await redis?.ready();
    });
    api.onClose(async () => redis?.close());

    api.hooks.rateLimit.tap({ stage: STAGE.DEFAULT }, (ctx) => limiter.check(ctx));
    api.hooks.onResponse.tap({ stage: STAGE.EARLY }, (ctx) => limiter.reconcile(ctx));
  },
});

export { Limiter } from './limiter.js';
export { RedisCounters, type RedisCountersOptions } from './redis-store.js';
export { reservedTokens, type ReservedTokens } from './reservation.js';
export { failClosed } from './fail-closed.js';
export { goDuration, rateLimitHeaders } from './headers.js';
export { COUNTER_STORE_PROPERTIES, rateLimitsSchema, resolveSettings, redisUrlSetting, redisLocation, type RateLimitsConfig, type KeyLimits, type Settings } from './config.js';
