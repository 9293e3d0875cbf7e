// Counters in this process's memory: atomic because one event loop runs each call to the end.
// Under --workers N the primary holds the only instance (see ipc-counters.ts).
import type { ConsumeResult, CounterCheck, CounterPeriod, Counters, CounterState } from '../api/counters.js';
import { counterWindow, windowedId } from './windows.js';
import { ExpiringMap } from './expiring-map.js';

interface Entry {
  used: number;
  /** The window's end: after it the entry is dead and swept. */
  readonly end: number;
}

export class MemoryCounters implements Counters {
  private readonly entries = new ExpiringMap<Entry>(() => this.now());

  constructor(private readonly now: () => number = Date.now) {}

  async consume(key: string, amount: number, limit: number, period: CounterPeriod): Promise<CounterState & { allowed: boolean }> {
    const { allowed, counters } = this.consumeNow([{ key, amount, limit, period }]);
    return Object.assign({}, counters[0]!, { allowed });
  }

  async consumeAll(checks: readonly CounterCheck[]): Promise<ConsumeResult> {
    return this.consumeNow(checks);
  }

  async adjust(id: string, delta: number): Promise<void> {
    this.adjustNow(id, delta);
  }

  consumeAllNow(checks: readonly CounterCheck[]): ConsumeResult {
    return this.consumeNow(checks);
  }

  /** Synchronous, so that the cluster primary answers each message in one turn. */
  consumeNow(checks: readonly CounterCheck[]): ConsumeResult {
    const now = this.now();
    const found: { id: string; entry: Entry | undefined; end: number }[] = [];
    let allowed = true;
    for (const check of checks) {
      const window = counterWindow(check.period, now);
      const id = windowedId(check.key, window);
      let entry = this.entries.get(id);
      if (entry && entry.end <= now) entry = undefined;
      found.push({ id, entry, end: window.end });
      if ((entry?.used ?? 0) + check.amount > check.limit) allowed = false;
    }
    const counters: CounterState[] = new Array(checks.length);
    for (let i = 0; i < checks.length; i++) {
      const check = checks[i]!;
      const { id, end } = found[i]!;
      let entry = found[i]!.entry;
      const before = entry?.used ?? 0;
      if (allowed && check.amount !== 0) {
        if (!entry) this.entries.set(id, (entry = { used: 0, end }));
        entry.used += check.amount;
      }
      const used = entry?.used ?? 0;
      counters[i] = { id, used, limit: check.limit, remaining: Math.max(0, check.limit - used), resetMs: end - now, fits: before + check.amount <= check.limit };
    }
    return { allowed, counters };
  }

  adjustNow(id: string, delta: number): void {
    const entry = this.entries.get(id);
    if (entry) entry.used = Math.max(0, entry.used + delta);
  }

  close(): void {
    this.entries.stop();
  }
}
