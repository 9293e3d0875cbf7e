// Fixed windows aligned to the period, in UTC: every gateway process (and every Redis client)
// derives the same window from the clock, so counters need no coordination to roll over.
import type { CounterPeriod } from '../api/counters.js';

const PERIOD_MS = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

export interface CounterWindow {
  /** Epoch milliseconds, inclusive. */
  readonly start: number;
  /** Epoch milliseconds, exclusive. */
  readonly end: number;
}

/** The window of `period` holding `now`: months and years by the calendar (UTC), the rest by length; an explicit window as given. */
export function counterWindow(period: CounterPeriod, now: number): CounterWindow {
  if (typeof period === 'object') return period;
  if (period === 'month' || period === 'year') {
    const date = new Date(now);
    const year = date.getUTCFullYear();
    if (period === 'year') return { start: Date.UTC(year, 0, 1), end: Date.UTC(year + 1, 0, 1) };
    const month = date.getUTCMonth();
    return { start: Date.UTC(year, month, 1), end: Date.UTC(year, month + 1, 1) };
  }
  const length = typeof period === 'number' ? period : PERIOD_MS[period];
  const start = now - (now % length);
  return { start, end: start + length };
}

/** The id of a key's counter in a window: what adjust() is given back. */
export function windowedId(key: string, window: CounterWindow): string {
  return `${key}@${window.start}`;
}

