// Timeouts for many calls that share one duration, with one timer between them. A timer per
// plugin tap call (set, then cleared) was a measurable part of every request; here a call is
// an entry in a list, and the one timer is armed for the oldest call (calls expire in the order
// they started, since they share the duration).
//
// The list is linked through the entries, not a Set: a long-lived Set with an add and a delete
// per request rehashes into a new table every few calls, and V8 links each obsolete table to
// the next one and leaves its entries in it. Once a full GC has moved one table to the old
// generation, that dead table kept every later table (and the requests their entries close
// over) alive through each young-generation collection: ~1.5 MB promoted per scavenge instead
// of ~45 KB, scavenges of 10-20 ms instead of ~1 ms, and a full GC every two seconds. A removed
// entry here points at nothing, so nothing dead holds a live request.
interface Pending {
  readonly due: number;
  readonly onTimeout: () => void;
  prev: Pending | undefined;
  next: Pending | undefined;
  /** False once removed (finished or fired): a second removal is a no-op. */
  linked: boolean;
}

export class Deadlines {
  private head: Pending | undefined;
  private tail: Pending | undefined;
  private count = 0;
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

  /** Calls in flight (for tests and diagnostics). */
  get size(): number {
    return this.count;
  }

  /** Calls `onTimeout` after the duration unless `done` (the returned function) is called first. */
  start(onTimeout: () => void): () => void {
    const entry: Pending = { due: performance.now() + this.ms, onTimeout, prev: this.tail, next: undefined, linked: true };
    if (this.tail) this.tail.next = entry;
    else this.head = entry;
    this.tail = entry;
    this.count++;
    if (this.timer === undefined) this.arm(this.ms);
    return () => {
      this.unlink(entry);
      // Nothing left to watch: no timer keeps an idle process alive.
      if (!this.background && this.count === 0 && this.timer !== undefined) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  private unlink(entry: Pending): void {
    if (!entry.linked) return;
    entry.linked = false;
    if (entry.prev) entry.prev.next = entry.next;
    else this.head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.tail = entry.prev;
    entry.prev = entry.next = undefined;
    this.count--;
  }

  private arm(delay: number): void {
    this.timer = setTimeout(this.sweep, Math.max(1, Math.ceil(delay)));
    if (this.background) this.timer.unref();
  }

  private readonly sweep = (): void => {
    this.timer = undefined;
    const now = performance.now();
    for (let entry = this.head; entry !== undefined; entry = this.head) {
      if (entry.due > now) {
        this.arm(entry.due - now);
        return;
      }
      this.unlink(entry);
      entry.onTimeout();
    }
  };
}
