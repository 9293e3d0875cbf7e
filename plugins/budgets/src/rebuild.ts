// Memory counters die with the gateway: at start-up (and for a budget a hot reload adds) the
// window's spend so far is read back from the usage records (SUM of their cost since the
// window's start, for the budget's scope). Under --workers N the counters live in the primary
// and outlive a worker: a marker per budget, claimed atomically there, makes one worker read
// it once. Redis keeps its counters: nothing to rebuild.
import type { Counters, ExplicitWindow, SqlStore, SqlValue } from '@gatehousejs/core';
import type { Logger } from 'winston';
import type { Budget } from './budget.js';

/** The markers' window: the counters' whole life. */
const EVER: ExplicitWindow = Object.freeze({ start: 0, end: 8.64e15 });

export async function rebuildSpend(sql: SqlStore, counters: Counters, budgets: readonly Budget[], now: number, log: Logger): Promise<void> {
  for (const budget of budgets) {
    try {
      const claim = await counters.consume(`budgets:rebuilt:${budget.spec.name}`, 1, 1, EVER);
      if (!claim.allowed) continue;
      const window = budget.windowAt(now);
      const spent = await spentSince(sql, budget, window);
      if (spent > 0) await counters.consume(budget.counterKey, spent, Number.MAX_SAFE_INTEGER, window);
    } catch (error) {
      log.warn('budgets: could not read the spend so far from the usage store; this budget counts from now on', { budget: budget.spec.name, error: (error as Error).message });
    }
  }
}

async function spentSince(sql: SqlStore, budget: Budget, window: ExplicitWindow): Promise<number> {
  const scope = budget.spec.scope;
  const params: SqlValue[] = [window.start, window.end];
  let where = '';
  if (scope.type === 'key') {
    where = ' AND key_id = ?';
    params.push(scope.key);
  } else if (scope.type === 'endpoint') {
    where = ' AND endpoint = ?';
    params.push(scope.endpoint);
  }
  const rows = await sql.query<{ spent: unknown }>(`SELECT COALESCE(SUM(cost_nusd), 0) AS spent FROM usage_records WHERE ts >= ? AND ts < ?${where}`, params);
  return Number(rows[0]?.spent ?? 0);
}
