// The write path: a bounded in-memory queue drained in batches off the request path. A slow
// or failing store never reaches a request: failed batches stay queued and are retried with
// backoff; when the queue is full new records are dropped, counted and logged.
import type { Logger } from 'winston';
import type { UsageRecord } from './record.js';
import type { UsageStore } from './store/types.js';

export interface WriterSettings {
  readonly queueSize: number;
  readonly batchSize: number;
  readonly flushIntervalMs: number;
}

export interface WriterEvents {
  dropped(count: number): void;
  storeFailed(): void;
}

const BACKOFF_START_MS = 100;
const BACKOFF_MAX_MS = 30_000;
const DROP_LOG_INTERVAL_MS = 10_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The promise's value, or undefined if it takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

export class Writer {
  private queue: UsageRecord[] = [];
  private writing: Promise<void> | undefined;
  private current: Promise<number> | undefined;
  private drainSoon = false;
  private timer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;
  private droppedTotal = 0;
  private droppedUnlogged = 0;
  private dropLogTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: UsageStore,
    private settings: WriterSettings,
    private readonly log: Logger,
    private readonly events: WriterEvents,
  ) {}

  get depth(): number {
    return this.queue.length;
  }

  start(): void {
    this.schedule();
  }

  configure(settings: WriterSettings): void {
    const interval = settings.flushIntervalMs !== this.settings.flushIntervalMs;
    this.settings = settings;
    if (interval && this.timer) this.schedule();
  }

  private schedule(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.drain(), this.settings.flushIntervalMs);
    this.timer.unref();
  }

  /** O(1) on the request path: append, or count a drop. */
  push(record: UsageRecord): void {
    if (this.closed || this.queue.length >= this.settings.queueSize) {
      this.drop(1, this.closed ? 'the usage writer is closed' : 'the usage queue is full');
      return;
    }
    this.queue.push(record);
    // A full batch is written now rather than at the next tick of the interval.
    if (this.queue.length >= this.settings.batchSize && !this.writing && !this.retryTimer && !this.drainSoon) {
      this.drainSoon = true;
      setImmediate(() => {
        this.drainSoon = false;
        void this.drain();
      });
    }
  }

  private drop(count: number, reason: string): void {
    this.droppedTotal += count;
    this.droppedUnlogged += count;
    this.events.dropped(count);
    if (!this.dropLogTimer) this.logDrops(reason);
  }

  /** The first drop is logged at once; later ones are summed into one line every 10 s. */
  private logDrops(reason: string): void {
    this.dropLogTimer = undefined;
    if (this.droppedUnlogged === 0) return;
    this.log.warn('usage records dropped', { dropped: this.droppedUnlogged, dropped_total: this.droppedTotal, reason, queue_size: this.settings.queueSize });
    this.droppedUnlogged = 0;
    this.dropLogTimer = setTimeout(() => this.logDrops(reason), DROP_LOG_INTERVAL_MS);
    this.dropLogTimer.unref();
  }

  /**
   * Write what is queued now, batch by batch, then only full batches: records that arrive while
   * a batch is written wait for the next full batch or the next interval. Under steady load the
   * store then sees transactions of `batchSize` records, not a run of tiny ones (each of which
   * rewrites the same index pages and takes the file locks again).
   */
  drain(): Promise<void> {
    if (this.writing) return this.writing;
    if (this.retryTimer || this.queue.length === 0) return Promise.resolve();
    this.writing = this.writeAll().finally(() => {
      this.writing = undefined;
    });
    return this.writing;
  }

  private async writeAll(): Promise<void> {
    let due = this.queue.length;
    while (due > 0 || this.queue.length >= this.settings.batchSize) {
      const written = await this.writeBatch();
      if (written === 0) {
        this.retryLater();
        return;
      }
      due -= written;
    }
  }

  /**
   * One batch at a time, whoever asks (the interval, a full queue, shutdown): two concurrent
   * writes would both take the same batch off the queue. Records leave the queue only once the
   * store has them, so the bound counts what is in flight. Resolves to the records written, 0
   * when the store failed.
   */
  private writeBatch(): Promise<number> {
    this.current ??= this.writeFirstBatch().finally(() => {
      this.current = undefined;
    });
    return this.current;
  }

  private async writeFirstBatch(): Promise<number> {
    const batch = this.queue.slice(0, this.settings.batchSize);
    try {
      await this.store.insert(batch);
    } catch (error) {
      this.failures++;
      this.events.storeFailed();
      if (this.failures === 1 || this.failures % 10 === 0) {
        this.log.warn('usage store write failed; records stay queued and are retried', {
          store: this.store.location,
          error: (error as Error).message,
          attempts: this.failures,
          queued: this.queue.length,
        });
      }
      return 0;
    }
    this.queue.splice(0, batch.length);
    if (this.failures > 0) {
      this.log.info('usage store recovered', { store: this.store.location, failed_attempts: this.failures, queued: this.queue.length });
      this.failures = 0;
    }
    return batch.length;
  }

  private backoffMs(): number {
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** Math.min(this.failures - 1, 20));
    return base / 2 + Math.random() * (base / 2);
  }

  private retryLater(): void {
    if (this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.drain();
    }, this.backoffMs());
    this.retryTimer.unref();
  }

  /**
   * Shutdown: write everything still queued, retrying a failing store until `deadline`
   * (performance.now() ms). What cannot be written by then is counted as dropped and logged.
   */
  async flush(deadline: number): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    while (this.queue.length > 0) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      const written = await within(this.writeBatch(), left);
      if (written === undefined) break; // a write still hangs at the deadline
      if (!written) await sleep(Math.min(this.backoffMs(), Math.max(0, deadline - performance.now())));
    }
    clearTimeout(this.dropLogTimer);
    this.logDrops('the usage queue was full');
    clearTimeout(this.dropLogTimer);
    if (this.queue.length > 0) {
      const lost = this.queue.length;
      this.queue = [];
      this.droppedTotal += lost;
      this.events.dropped(lost);
      this.log.error('usage records lost at shutdown: the store did not take them in time', { dropped: lost, store: this.store.location });
    }
  }
}
