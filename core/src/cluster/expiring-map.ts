// Counter state kept per window (counts, the primary's shares, a worker's shares): entries whose
// window has ended are dropped every minute, so keys seen once do not stay forever. The timer
// runs only while something is held, and never keeps the process alive.

const SWEEP_MS = 60_000;

export class ExpiringMap<V extends { readonly end: number }> extends Map<string, V> {
  private sweeper: NodeJS.Timeout | undefined;

  /** `now` is read at each sweep (the owner's clock, which tests move). */
  constructor(
    private readonly now: () => number,
    private readonly sweepMs = SWEEP_MS,
  ) {
    super();
  }

  override set(key: string, value: V): this {
    super.set(key, value);
    if (!this.sweeper) {
      this.sweeper = setInterval(() => this.sweep(), this.sweepMs);
      this.sweeper.unref();
    }
    return this;
  }

  /** Drop the entries whose window has ended; the timer stops once none is left. */
  sweep(): void {
    const now = this.now();
    for (const [key, value] of this) if (value.end <= now) this.delete(key);
    if (this.size === 0) this.stop();
  }

  /** Stop sweeping (the owner closes); a later set() starts again. */
  stop(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** Whether the sweep timer is armed (for tests). */
  get sweeping(): boolean {
    return this.sweeper !== undefined;
  }
}
