// A request's budgets: reserved on the rateLimit hook (the most the request may cost, checked
// and counted in one atomic call on the store), set right against the real cost in onResponse
// (streams included; a failed request gives its reservation back). Key and gateway budgets
// count once per request; endpoint budgets for every target tried, a fallback against its own.
// Alert budgets count the real cost only, after the answer, and alert on the request that
// carries their spend across the amount: one request per window, however many instances.
import type { Clock, Counters, CounterCheck, CounterState, ExplicitWindow, RateLimitDenial, RequestContext } from '@gatehousejs/core';
import { failClosed } from '@gatehousejs/plugin-rate-limit';
import type { Logger } from 'winston';
import { BudgetIndex, usd, type Budget } from './budget.js';
import type { BudgetSpec } from './config.js';
import type { Pricing } from './pricing.js';
import type { Alerts } from './alerts.js';

export const STATE_KEY = 'budgets';

interface Reservation {
  readonly counter: string;
  readonly amount: number;
  /** Set for an endpoint budget: released unless this endpoint answered. */
  readonly endpoint: string | undefined;
}

interface RequestState {
  /** Key and gateway budgets were counted (on the first target admitted). */
  requestCounted: boolean;
  readonly reservations: Reservation[];
}

const NO_BUDGETS: readonly Budget[] = Object.freeze([]);
/** Alert budgets never refuse: their counters take any amount. */
const UNLIMITED = Number.MAX_SAFE_INTEGER;

export const unavailable = (error: unknown) => failClosed('Budgets', error);

export class Ledger {
  index = new BudgetIndex([]);

  constructor(
    private store: Counters,
    private readonly pricing: Pricing,
    private readonly alerts: Alerts,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  configure(specs: readonly BudgetSpec[]): void {
    this.index = new BudgetIndex(specs, this.index);
  }

  useStore(store: Counters): void {
    this.store = store;
  }

  get counters(): Counters {
    return this.store;
  }

  /** The rateLimit tap: undefined admits (the reservation counted), a denial refuses (nothing counted). */
  async check(ctx: RequestContext): Promise<RateLimitDenial | undefined> {
    const index = this.index;
    if (index.empty) return undefined;
    let state = ctx.state.get(STATE_KEY) as RequestState | undefined;
    const first = !state?.requestCounted;
    const gateway = first ? index.gateway.reject : NO_BUDGETS;
    const key = first ? index.forKey(ctx.principal?.id).reject : NO_BUDGETS;
    const endpoint = index.forEndpoint(ctx.target.endpoint).reject;
    const n = gateway.length + key.length + endpoint.length;
    if (n === 0) return undefined;
    const price = this.pricing.priceOf(ctx.target);
    if (!price) return undefined;

    const amount = this.pricing.reservation(ctx, price);
    const now = this.clock.now();
    const budgets: Budget[] = new Array(n);
    const checks: CounterCheck[] = new Array(n);
    let i = 0;
    for (const list of [gateway, key, endpoint]) {
      for (const budget of list) {
        budgets[i] = budget;
        checks[i++] = { key: budget.counterKey, amount, limit: budget.amountNano, period: budget.windowAt(now) };
      }
    }
    const result = await this.store.consumeAll(checks).catch(unavailable);
    if (!result.allowed) return denial(budgets, checks, result.counters, amount);

    if (!state) ctx.state.set(STATE_KEY, (state = { requestCounted: false, reservations: [] }));
    state.requestCounted = true;
    const firstEndpoint = gateway.length + key.length;
    for (let j = 0; j < n; j++) {
      state.reservations.push({ counter: result.counters[j]!.id, amount, endpoint: j >= firstEndpoint ? ctx.target.endpoint : undefined });
    }
    return undefined;
  }

  /** onResponse: reservations become the real cost; alert budgets count it. Never throws. */
  async reconcile(ctx: RequestContext): Promise<void> {
    const state = ctx.state.get(STATE_KEY) as RequestState | undefined;
    if (!state && !this.index.alerts) return;
    const cost = this.pricing.actual(ctx);
    const work: Promise<void>[] = [];
    for (const r of state?.reservations ?? NO_RESERVATIONS) {
      let delta = 0;
      // A target that did not answer (a fallback took over) cost nothing.
      if (r.endpoint !== undefined && r.endpoint !== ctx.target?.endpoint) delta = -r.amount;
      else if (cost !== undefined) delta = cost - r.amount;
      else if (ctx.error && ctx.timings.firstChunk === undefined) delta = -r.amount;
      // Without usage on a completed answer the reservation stands: it is the best estimate there is.
      if (delta !== 0) work.push(this.adjust(ctx, r.counter, delta));
    }
    if (cost !== undefined && cost > 0 && ctx.target) work.push(this.countAlerts(ctx, cost));
    await Promise.all(work);
  }

  private async adjust(ctx: RequestContext, counter: string, delta: number): Promise<void> {
    try {
      await this.store.adjust(counter, delta);
    } catch (error) {
      this.log.warn('budgets: could not set a reservation right against the cost', { requestId: ctx.id, delta, error: (error as Error).message });
    }
  }

  private async countAlerts(ctx: RequestContext, cost: number): Promise<void> {
    const index = this.index;
    const budgets = [...index.gateway.alert, ...index.forKey(ctx.principal?.id).alert, ...index.forEndpoint(ctx.target.endpoint).alert];
    if (budgets.length === 0) return;
    const now = this.clock.now();
    const windows = budgets.map((b) => b.windowAt(now));
    try {
      const result = await this.store.consumeAll(budgets.map((b, i) => ({ key: b.counterKey, amount: cost, limit: UNLIMITED, period: windows[i]! })));
      for (let i = 0; i < budgets.length; i++) {
        const used = result.counters[i]!.used;
        const budget = budgets[i]!;
        // Counted atomically: exactly one request moves the spend from below the amount to it.
        if (used >= budget.amountNano && used - cost < budget.amountNano) this.alerts.fire(budget, used, windows[i]!);
      }
    } catch (error) {
      this.log.warn('budgets: could not count a request against the alert budgets', { requestId: ctx.id, error: (error as Error).message });
    }
  }
}

const NO_RESERVATIONS: readonly Reservation[] = Object.freeze([]);

/** Name every budget that refused; Retry-After waits for the last of them to reset. */
function denial(budgets: readonly Budget[], checks: readonly CounterCheck[], counters: readonly CounterState[], amount: number): RateLimitDenial {
  const reasons: string[] = [];
  let resetMs = 0;
  for (let i = 0; i < budgets.length; i++) {
    const counter = counters[i]!;
    if (counter.fits) continue;
    resetMs = Math.max(resetMs, counter.resetMs);
    const budget = budgets[i]!;
    const resets = budget.resetsAt(checks[i]!.period as ExplicitWindow);
    reasons.push(
      counter.remaining === 0
        ? `${budget.label} is spent; it resets at ${resets}.`
        : `${budget.label} has USD ${usd(counter.remaining)} left, less than this request may cost (about USD ${usd(amount)}: lower max_tokens or the input); it resets at ${resets}.`,
    );
  }
  return { retryAfter: Math.max(1, Math.ceil(resetMs / 1000)), message: reasons.join(' ') };
}
