// A budget as the request path uses it: its amount in nano-dollars, its counter's key, its
// current calendar window (recomputed only when the clock leaves it), and the budgets that
// apply to a request, indexed by scope once per config.
import type { ExplicitWindow } from '@gatehousejs/core';
import { calendarWindow, isoInZone } from './calendar.js';
import type { BudgetSpec } from './config.js';

export const NANO_PER_USD = 1e9;

export class Budget {
  readonly amountNano: number;
  readonly counterKey: string;
  /** Budget "team-a-daily" (USD 50.00 per day, Europe/Paris) */
  readonly label: string;
  private current: ExplicitWindow = { start: 0, end: 0 };

  constructor(readonly spec: BudgetSpec) {
    this.amountNano = Math.round(spec.amountUsd * NANO_PER_USD);
    this.counterKey = `budget:${spec.name}`;
    // Cents as accountants write them; an amount finer than a cent as given.
    const amount = Number.isInteger(Math.round(spec.amountUsd * 1e6) / 1e4) ? spec.amountUsd.toFixed(2) : String(spec.amountUsd);
    this.label = `Budget "${spec.name}" (USD ${amount} per ${spec.window}, ${spec.timeZone})`;
  }

  windowAt(now: number): ExplicitWindow {
    if (now >= this.current.end || now < this.current.start) this.current = calendarWindow(this.spec.window, this.spec.timeZone, now);
    return this.current;
  }

  /** The window's end in the budget's zone: 2026-12-08T00:00:00+01:00. */
  resetsAt(window: ExplicitWindow): string {
    return isoInZone(window.end, this.spec.timeZone);
  }
}

/** The budgets of one scope, split by what they do on a request. */
export interface ScopeBudgets {
  readonly reject: Budget[];
  readonly alert: Budget[];
}

const NONE: ScopeBudgets = Object.freeze({ reject: [], alert: [] });

export class BudgetIndex {
  readonly all: readonly Budget[];
  /** Whether any budget alerts (they count every answer's cost). */
  readonly alerts: boolean;
  readonly gateway: ScopeBudgets = { reject: [], alert: [] };
  private readonly keys = new Map<string, ScopeBudgets>();
  private readonly endpoints = new Map<string, ScopeBudgets>();

  constructor(specs: readonly BudgetSpec[], previous?: BudgetIndex) {
    // A budget whose definition is unchanged keeps its object (and its cached window) across reloads.
    const kept = new Map(previous?.all.map((b) => [JSON.stringify(b.spec), b]));
    this.all = specs.map((spec) => kept.get(JSON.stringify(spec)) ?? new Budget(spec));
    for (const budget of this.all) {
      const scope = budget.spec.scope;
      const group = scope.type === 'gateway' ? this.gateway : scope.type === 'key' ? entry(this.keys, scope.key) : entry(this.endpoints, scope.endpoint);
      group[budget.spec.action].push(budget);
    }
    this.alerts = this.all.some((b) => b.spec.action === 'alert');
  }

  forKey(id: string | undefined): ScopeBudgets {
    return id === undefined ? NONE : (this.keys.get(id) ?? NONE);
  }

  forEndpoint(name: string): ScopeBudgets {
    return this.endpoints.get(name) ?? NONE;
  }

  get empty(): boolean {
    return this.all.length === 0;
  }
}

function entry(map: Map<string, ScopeBudgets>, id: string): ScopeBudgets {
  let group = map.get(id);
  if (!group) map.set(id, (group = { reject: [], alert: [] }));
  return group;
}

export function usd(nano: number): string {
  const dollars = nano / NANO_PER_USD;
  return Math.abs(dollars) >= 0.01 || dollars === 0 ? dollars.toFixed(2) : dollars.toFixed(6);
}
