// Usage tracking: one record per request (streams included) with tokens, latency and cost,
// written off the request path to SQLite (default) or PostgreSQL; read back over HTTP, with
// `gatehouse usage`, and as Prometheus metrics.
import { definePlugin, STAGE } from '@gatehousejs/core';
import { usageConfigSchema, type UsageConfig } from './config.js';
import { usageCommand } from './cli.js';
import { registerRoutes } from './routes.js';
import { UsageTracker } from './tracker.js';

export default definePlugin<never>({
  id: 'usage',
  apiVersion: 1,
  setup(api) {
    api.config.extend({ topLevel: { usage: usageConfigSchema } });
    const tracker = new UsageTracker({ log: api.log, configDir: api.configDir, redact: (value) => api.redact(value) });

    api.onConfig((_options, config) => tracker.configure(config.raw.usage as UsageConfig | undefined));
    api.hooks.ready.tap(() => tracker.start());
    // After the other close hooks: requests have drained, every record is queued; write them all.
    api.hooks.close.tap({ stage: STAGE.LATE }, () => tracker.flush());
    api.onClose(() => tracker.close());

    api.hooks.onRequest.tap({ stage: STAGE.EARLY }, (ctx) => tracker.requestStarted(ctx));
    api.hooks.transformChunk.tap({ stage: STAGE.LATE }, (chunk, ctx) => tracker.chunk(chunk, ctx));
    api.hooks.onResponse.tap({ stage: STAGE.LATE }, (ctx) => tracker.observe(ctx));

    // The same database for other plugins' tables (gateway keys), even with tracking disabled.
    api.stores.provide('sql', { open: async () => tracker.sql, close: async () => undefined });
    // The price book with its config overrides, for plugins that price requests (budgets).
    api.stores.provide('prices', { open: async () => tracker.priceLookup, close: async () => undefined });

    registerRoutes(api, tracker);
    api.cli.command(usageCommand(tracker));
  },
});

export { UsageTracker } from './tracker.js';
export { SqliteStore } from './store/sqlite.js';
export { PostgresStore } from './store/postgres.js';
export type { UsageStore, SummaryGroup, RecordPage, SqlStore, SqlValue } from './store/types.js';
export type { UsageRecord } from './record.js';
export { BUNDLED_PRICES, PRICES_AS_OF, PriceBook, costNanoUsd, type Price, type PriceLookup } from './prices.js';
export { nearestRank, percentilesOf } from './summary.js';
export { renderTable, type Column } from './table.js';
export { METADATA_HEADER } from './metadata.js';
export { usageConfigSchema, type UsageConfig } from './config.js';
