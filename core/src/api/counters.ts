import type { RenewalPeriod } from '../config/types.js';

/**
 * A window: a renewal period (fixed windows aligned to the UTC calendar: seconds, minutes,
 * hours and days on their boundaries, months and years from their first day), a length in
 * milliseconds (fixed windows aligned to the Unix epoch), or the window itself, for calendars
 * the service does not know (a time zone's days and weeks): the caller passes the one holding now.
 */
export type CounterPeriod = RenewalPeriod | number | ExplicitWindow;

/** Epoch milliseconds: `start` inclusive, `end` exclusive. */
export interface ExplicitWindow {
  readonly start: number;
  readonly end: number;
}

export interface CounterCheck {
  /** Any string naming what is counted ("endpoint:chat"); the window is added by the service. */
  readonly key: string;
  readonly amount: number;
  readonly limit: number;
  readonly period: CounterPeriod;
  /**
   * The caller needs the decision exact but not `used`/`remaining` (rate-limit headers): under
   * `--workers N` a worker may then admit from a share of the limit the primary set aside for
   * it, without a message per call. The workers still admit exactly the limit in all (the
   * primary takes the shares back before it refuses anyone); `used` is what this worker knew.
   * Leave it off for a counter that is adjusted afterwards or whose `used` drives a decision.
   */
  readonly shareable?: boolean;
}

export interface CounterState {
  /** This counter in this window: what adjust() takes. */
  readonly id: string;
  /** The count in the window after the call (unchanged when refused). */
  readonly used: number;
  readonly limit: number;
  /** max(0, limit - used) */
  readonly remaining: number;
  /** Milliseconds until the window ends and the count starts again from 0. */
  readonly resetMs: number;
  /** Whether this check's amount fits (used + amount ≤ limit before the call). */
  readonly fits: boolean;
}

export interface ConsumeResult {
  /** Every check fitted, and every amount was counted. */
  readonly allowed: boolean;
  /** One per check, in order. */
  readonly counters: readonly CounterState[];
}

/**
 * Shared counters with atomic check-and-consume. In one process they live in memory; under
 * `gatehouse start --workers N` they live in the cluster primary and every worker asks it, so
 * N workers admit exactly the limit. Rate limits and budgets build on it.
 */
export interface Counters {
  /** Count `amount` against `limit` in the current window, only if it fits. */
  consume(key: string, amount: number, limit: number, period: CounterPeriod): Promise<CounterState & { readonly allowed: boolean }>;
  /** All or nothing: every amount is counted only if every check fits. */
  consumeAll(checks: readonly CounterCheck[]): Promise<ConsumeResult>;
  /** Add `delta` (negative gives back) to a counter a consume returned, in its window; never below 0. */
  adjust(id: string, delta: number): Promise<void>;
  /**
   * Stores in this process's memory only: consumeAll answered at once, with no promise (a
   * limit checked on every request need not wait a turn). Callers use it when it is there.
   */
  consumeAllNow?(checks: readonly CounterCheck[]): ConsumeResult;
  /** As consumeAllNow, for adjust. */
  adjustNow?(id: string, delta: number): void;
}
