// Every budget's state in its current window, for GET /api/budgets and `gatehouse budgets`:
// one read of all the counters (a check of 0 counts nothing).
import type { Counters } from '@gatehousejs/core';
import { isoInZone } from './calendar.js';
import { NANO_PER_USD, type BudgetIndex } from './budget.js';
import { unavailable } from './ledger.js';

export interface BudgetStatus {
  readonly name: string;
  readonly scope: 'gateway' | { readonly key: string } | { readonly endpoint: string };
  readonly action: 'reject' | 'alert';
  readonly window: string;
  readonly time_zone: string;
  readonly amount_usd: number;
  /** Reservations of requests in flight included (reject budgets). */
  readonly spent_usd: number;
  readonly remaining_usd: number;
  readonly window_start: string;
  readonly resets_at: string;
}

export async function budgetStatus(counters: Counters, index: BudgetIndex, now: number): Promise<BudgetStatus[]> {
  if (index.empty) return [];
  const windows = index.all.map((b) => b.windowAt(now));
  const result = await counters.consumeAll(index.all.map((b, i) => ({ key: b.counterKey, amount: 0, limit: b.amountNano, period: windows[i]! }))).catch(unavailable);
  return index.all.map((budget, i) => {
    const spec = budget.spec;
    const spent = result.counters[i]!.used;
    return {
      name: spec.name,
      scope: spec.scope.type === 'gateway' ? 'gateway' : spec.scope.type === 'key' ? { key: spec.scope.key } : { endpoint: spec.scope.endpoint },
      action: spec.action,
      window: spec.window,
      time_zone: spec.timeZone,
      amount_usd: spec.amountUsd,
      spent_usd: spent / NANO_PER_USD,
      remaining_usd: Math.max(0, budget.amountNano - spent) / NANO_PER_USD,
      window_start: isoInZone(windows[i]!.start, spec.timeZone),
      resets_at: budget.resetsAt(windows[i]!),
    };
  });
}
