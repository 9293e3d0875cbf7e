// One attempt at a request: its own AbortSignal, which the caller's signal and the attempt's
// timer both abort, so that the error the caller sees says which of them it was.
import { abortedBy, ConnectionError, GatehouseError, TimeoutError } from './errors.js';

export class Attempt {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timedOut = false;
  private readonly onAbort = (): void => this.controller.abort(this.caller?.reason);

  constructor(
    private readonly caller: AbortSignal | undefined,
    private readonly timeoutMs: number,
  ) {
    if (caller?.aborted) this.controller.abort(caller.reason);
    else caller?.addEventListener('abort', this.onAbort, { once: true });
    this.startTimer();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Runs while we wait on the gateway; a stream stops it while its consumer holds a chunk. */
  startTimer(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.timeoutMs);
  }

  stopTimer(): void {
    clearTimeout(this.timer);
  }

  /** Done with it: aborting closes a stream the consumer left early (a no-op once a body is read). */
  end(): void {
    this.stopTimer();
    this.caller?.removeEventListener('abort', this.onAbort);
    this.controller.abort();
  }

  /** What went wrong, as the caller should see it. */
  failure(error: unknown): GatehouseError {
    if (this.caller?.aborted) return abortedBy(this.caller);
    if (this.timedOut) return new TimeoutError(`The gateway did not answer within ${this.timeoutMs} ms.`);
    if (error instanceof GatehouseError) return error;
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    return new ConnectionError(`Connection to the gateway failed: ${reason}`, { cause: error });
  }
}
