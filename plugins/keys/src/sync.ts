// Keeps the in-memory ring in step with the store: read at ready, every `refresh_seconds`
// (a key revoked on another instance stops working here within that time) and at once after a
// local create or revoke. A store that fails leaves the last keys read in place, and says so.
import type { Logger } from 'winston';
import type { KeyRing } from './keyring.js';
import type { KeyStore } from './store.js';

/** How long `ready` waits for the first read before serving on what the config declares. */
const FIRST_LOAD_TIMEOUT_MS = 10_000;

export class KeySync {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private failures = 0;
  private intervalMs = 5000;

  constructor(
    private readonly store: () => KeyStore,
    private readonly ring: KeyRing,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.schedule();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, FIRST_LOAD_TIMEOUT_MS);
    });
    await Promise.race([this.refresh(), late]).finally(() => clearTimeout(timer));
    if (!this.ring.loaded) {
      this.log.error('keys: the key store could not be read at start-up; declared keys work, issued keys are refused (503) until it can', { store: this.store().location });
    }
  }

  setInterval(ms: number): void {
    const changed = ms !== this.intervalMs;
    this.intervalMs = ms;
    if (changed && this.timer) this.schedule();
  }

  private schedule(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.refresh(), this.intervalMs);
    this.timer.unref();
  }

  /** Read every key; never throws. A call during a read gets the next read, which sees its writes. */
  refresh(): Promise<void> {
    if (this.running) {
      this.next ??= this.running.then(() => {
        this.next = undefined;
        return this.refresh();
      });
      return this.next;
    }
    this.running = this.readAll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async readAll(): Promise<void> {
    try {
      this.ring.load(await this.store().all());
    } catch (error) {
      this.failures++;
      if (this.failures === 1 || this.failures % 10 === 0) {
        this.log.warn('keys: reading the key store failed; the keys read last stay in use', { error: (error as Error).message, attempts: this.failures });
      }
      return;
    }
    if (this.failures > 0) this.log.info('keys: key store recovered', { failed_attempts: this.failures });
    this.failures = 0;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
