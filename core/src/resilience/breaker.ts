// One circuit breaker per endpoint: after `failures` consecutive retryable failures the endpoint
// is skipped for `coolOffMs`; then a single probe request is let through, and its outcome
// closes the breaker or opens it for another cool-off. Kept by the gateway, so state survives
// hot reloads (keyed by endpoint name).
import type { Clock } from '../api/provider.js';

interface BreakerState {
  failures: number;
  openUntil: number;
  probing: boolean;
}

export type BreakerVerdict = 'closed' | 'probe' | 'open';

export interface BreakerSettings {
  readonly failures: number;
  readonly coolOffMs: number;
}

export class CircuitBreakers {
  private readonly states = new Map<string, BreakerState>();

  constructor(private readonly clock: Clock) {}

  /** Whether a request may go to `endpoint` now; 'probe' means it is the one probe after a cool-off. */
  check(endpoint: string): BreakerVerdict {
    const state = this.states.get(endpoint);
    if (!state || state.openUntil === 0) return 'closed';
    if (state.probing || this.clock.now() < state.openUntil) return 'open';
    state.probing = true;
    return 'probe';
  }

  success(endpoint: string): void {
    const state = this.states.get(endpoint);
    if (state) this.states.delete(endpoint);
  }

  /** A retryable failure. Returns true when this failure opened the breaker. */
  failure(endpoint: string, settings: BreakerSettings): boolean {
    let state = this.states.get(endpoint);
    if (!state) this.states.set(endpoint, (state = { failures: 0, openUntil: 0, probing: false }));
    state.failures++;
    if (state.probing || (state.openUntil === 0 && state.failures >= settings.failures)) {
      state.openUntil = this.clock.now() + settings.coolOffMs;
      state.probing = false;
      return true;
    }
    return false;
  }

  /** A probe that ended neither way (a 4xx, a cancelled request): let the next request probe. */
  release(endpoint: string): void {
    const state = this.states.get(endpoint);
    if (state) state.probing = false;
  }

  /** Seconds until an open breaker lets a probe through (for Retry-After). */
  retryAfterSeconds(endpoint: string): number {
    const state = this.states.get(endpoint);
    return state ? Math.max(1, Math.ceil((state.openUntil - this.clock.now()) / 1000)) : 1;
  }
}
