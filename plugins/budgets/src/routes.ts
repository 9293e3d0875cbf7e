// GET /api/budgets: every budget with its spend and what remains in the current window. Not
// behind the callers' keys: with an admin key set (the keys plugin's `admin-guard` store) it
// needs that key, as /api/usage does.
import type { AdminGuard, PluginApi, PluginHttpResponse } from '@gatehousejs/core';
import type { Ledger } from './ledger.js';
import { budgetStatus } from './report.js';

export function registerRoutes(api: PluginApi<never>, ledger: Ledger): void {
  api.http.route({
    method: 'GET',
    path: '/api/budgets',
    absolute: true,
    async handler(request): Promise<PluginHttpResponse> {
      if (api.stores.has('admin-guard')) api.stores.get<AdminGuard>('admin-guard').check(request.headers);
      return { body: { budgets: await budgetStatus(ledger.counters, ledger.index, api.clock.now()) } };
    },
  });
}
