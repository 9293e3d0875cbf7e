// Timeouts for many calls that share one duration, with one timer between them. A timer per
// plugin tap call (set, then cleared) was a measurable part of every request; here a call is
// a Set entry, and the one timer is armed for the oldest call (calls expire in the order they
// started, since they share the duration).
interface Pending {
  readonly due: number;
  readonly onTimeout: () => void;
}

export class Deadlines {
  private readonly pending = new Set<Pending>();
  private timer: NodeJS.Timeout | undefined;

  /**
   * `background`: the timer never keeps the process alive (unref'd), and it is not cleared when
   * the last call finishes, so short calls one after another cost no timer work at all; it fires
   * once per duration at most and stops when nothing is pending. Without it (start-up and
   * shutdown hooks), the timer is cleared as soon as nothing is pending.
   */
  constructor(
    private readonly ms: number,
    private readonly background = false,
  ) {}

  /** Calls `onTimeout` after the duration unless `done` (the returned function) is called first. */
  start(onTimeout: () => void): () => void {
    const entry: Pending = { due: performance.now() + this.ms, onTimeout };
    this.pending.add(entry);
    if (this.timer === undefined) this.arm(this.ms);
    return () => {
      this.pending.delete(entry);
      // Nothing left to watch: no timer keeps an idle process alive.
      if (!this.background && this.pending.size === 0 && this.timer !== undefined) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  private arm(delay: number): void {
    this.timer = setTimeout(this.sweep, Math.max(1, Math.ceil(delay)));
    if (this.background) this.timer.unref();
  }

  private readonly sweep = (): void => {
    this.timer = undefined;
    const now = performance.now();
    for (const entry of this.pending) {
      if (entry.due > now) {
        this.arm(entry.due - now);
        return;
      }
      this.pending.delete(entry);
      entry.onTimeout();
    }
  };
}
