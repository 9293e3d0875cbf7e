// Budgets: spend limits in USD per key, per endpoint or for the whole gateway, over calendar
// windows in a time zone; they refuse (429) or alert (a webhook) when spent. Costs come from
// the usage plugin's prices; counters live in memory (core's shared counters: one process, or
// every worker of --workers N; rebuilt from the usage records at start-up) or on Redis
// (several instances). Fails closed with a 503 when the store cannot answer.
import { definePlugin, STAGE, type SqlStore } from '@gatehousejs/core';
import { RedisCounters, redisUrlSetting } from '@gatehousejs/plugin-rate-limit';
import type { PriceLookup } from '@gatehousejs/plugin-usage';
import { Alerts } from './alerts.js';
import { budgetsCommand } from './cli.js';
import { budgetsSchema, resolveSettings, storeIdentity, type BudgetsConfig } from './config.js';
import { Ledger } from './ledger.js';
import { Pricing } from './pricing.js';
import { rebuildSpend } from './rebuild.js';
import { registerRoutes } from './routes.js';

export default definePlugin<never>({
  id: 'budgets',
  apiVersion: 1,
  // The usage plugin prices requests (the `prices` store) and keeps the records spend is rebuilt from.
  dependencies: ['usage'],
  setup(api) {
    api.config.extend({ topLevel: { budgets: budgetsSchema } });
    const pricing = new Pricing(api.log);
    const alerts = new Alerts(api.log);
    const ledger = new Ledger(api.counters, pricing, alerts, api.clock, api.log);
    let identity: string | undefined;
    let redis: RedisCounters | undefined;
    let ready = false;

    const rebuild = () =>
      redis || !api.stores.has('sql') ? Promise.resolve() : rebuildSpend(api.stores.get<SqlStore>('sql'), api.counters, ledger.index.all, api.clock.now(), api.log);

    // Start-up and every hot reload: budgets apply at once; the store is chosen once, at start-up.
    api.onConfig(async (_options, config) => {
      const raw = config.raw.budgets as BudgetsConfig | undefined;
      // The URL may carry a password: resolved like any secret, and masked from then on.
      const redisUrl = raw?.store === 'redis' ? await api.resolveSecret(redisUrlSetting(raw), '/budgets/redis_url') : '';
      const settings = await resolveSettings(raw, redisUrl, (value, pointer) => api.resolveSecret(value, pointer));
      const next = storeIdentity(settings);
      if (identity !== undefined && next !== identity) {
        api.log.warn('budgets: the store settings changed (store, redis_url, redis_prefix or redis_timeout_ms): restart the gateway to apply them; the budgets apply now');
      }
      pricing.maxOutputTokens = settings.maxOutputTokens;
      alerts.configure(settings.alerts);
      ledger.configure(settings.budgets);
      if (identity === undefined && settings.store === 'redis') {
        redis = new RedisCounters({ url: settings.redisUrl, prefix: settings.redisPrefix, timeoutMs: settings.redisTimeoutMs, log: api.log, now: () => api.clock.now(), label: 'Budgets' });
        ledger.useStore(redis);
      }
      identity ??= next;
      // A budget added by a reload gets its window's spend so far (each budget is read once).
      if (ready) await rebuild();
    });
    api.hooks.ready.tap(async () => {
      pricing.use(api.stores.get<PriceLookup>('prices'));
      await redis?.ready();
      await rebuild();
      ready = true;
    });
    api.onClose(async () => {
      await alerts.close();
      await redis?.close();
    });

    // After the rate limits: a request they refuse reserves no money.
    api.hooks.rateLimit.tap({ stage: STAGE.DEFAULT + 10 }, (ctx) => ledger.check(ctx));
    api.hooks.onResponse.tap({ stage: STAGE.EARLY }, (ctx) => ledger.reconcile(ctx));

    registerRoutes(api, ledger);
    api.cli.command(budgetsCommand(ledger, api.clock));
  },
});

export { calendarWindow, isoInZone, BUDGET_WINDOWS, type BudgetWindow } from './calendar.js';
export { budgetsSchema, type BudgetsConfig } from './config.js';
export type { BudgetStatus } from './report.js';
