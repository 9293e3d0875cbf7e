// An upstream's server-sent events read straight from undici's dispatch handler: the bytes
// of each network read go through the SSE parser into a queue the provider's loop takes from.
// undici's request() built a Readable per stream, its async iterator, an AbortController, and
// two generator layers above it (parse, guard): a promise or more per layer per event. Here
// there is one per event, backpressure pauses the socket, and the connection is kept for the
// next call when the reader stops at the last event.
import type { Dispatcher } from 'undici';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { SSEEvent } from '../sse.js';

/** Events held before the socket is paused; reading below LOW resumes it. */
const HIGH = 256;
const LOW = 32;
/** Bytes and time let in after the reader stops, so that the connection can be reused. */
const AFTER_END_BYTES = 64 * 1024;
const AFTER_END_MS = 1000;

type Waiter = { resolve: (step: IteratorResult<SSEEvent>) => void; reject: (error: unknown) => void };

/**
 * The events of one upstream response, as an async iterator. `fail` maps a transport error
 * (abort, timeout, reset) to what the reader should see; `done` runs once, when the exchange
 * is over (released timers and listeners).
 */
export class SSEEvents implements AsyncIterableIterator<SSEEvent> {
  private controller: Dispatcher.DispatchController | undefined;
  private readonly queue: SSEEvent[] = [];
  private head = 0;
  private waiter: Waiter | undefined;
  private ended = false;
  private failure: unknown = undefined;
  private failed = false;
  private paused = false;
  /** The reader is gone: bytes are only let in to end the response cleanly. */
  private draining = false;
  private drained = 0;
  private drainTimer: NodeJS.Timeout | undefined;
  private finished = false;
  private readonly decoder = new TextDecoder();
  private readonly parser = createParser({
    onEvent: (message: EventSourceMessage) => {
      this.queue.push({ event: message.event, data: message.data, id: message.id });
    },
  });

  constructor(
    private readonly fail: (error: unknown) => unknown,
    private readonly done: () => void,
    /** Whether the call was cancelled: a reader that stops then closes the connection. */
    private readonly cancelled: () => boolean,
  ) {}

  /** undici's controller for this exchange, once the request started. */
  attach(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
  }

  /** The response's bytes. */
  data(chunk: Buffer): void {
    if (this.draining) {
      this.drained += chunk.length;
      if (this.drained > AFTER_END_BYTES) this.controller?.abort(new Error('the stream went on after its reader stopped'));
      return;
    }
    this.parser.feed(this.decoder.decode(chunk, { stream: true }));
    this.wake();
    if (!this.paused && this.queue.length - this.head >= HIGH) {
      this.paused = true;
      this.controller?.pause();
    }
  }

  /** The response ended: a last event without its blank line still counts (some servers end that way). */
  end(): void {
    if (!this.draining) {
      this.parser.feed(this.decoder.decode());
      this.parser.feed('\n\n');
    }
    this.ended = true;
    this.finish();
    this.wake();
  }

  error(error: unknown): void {
    this.failed = true;
    this.failure = error;
    this.finish();
    this.wake();
  }

  next(): Promise<IteratorResult<SSEEvent>> {
    if (this.draining) return Promise.resolve({ value: undefined, done: true });
    if (this.head < this.queue.length) return Promise.resolve(this.take());
    if (this.failed) return Promise.reject(this.fail(this.failure));
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /**
   * The reader stopped (at `[DONE]`, or it gave up): an unfinished response is let in to its
   * end, bounded, so the connection stays usable; `cancelled` closes it at once instead.
   */
  stop(cancelled: boolean): void {
    if (this.finished || this.draining) return;
    this.draining = true;
    this.queue.length = 0;
    this.head = 0;
    if (cancelled) {
      this.controller?.abort(new Error('the reader cancelled the stream'));
      return;
    }
    if (this.paused) {
      this.paused = false;
      this.controller?.resume();
    }
    this.drainTimer = setTimeout(() => this.controller?.abort(new Error('the stream did not end after its reader stopped')), AFTER_END_MS);
    this.drainTimer.unref();
  }

  return(): Promise<IteratorResult<SSEEvent>> {
    this.stop(this.cancelled());
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private take(): IteratorResult<SSEEvent> {
    const value = this.queue[this.head]!;
    this.queue[this.head++] = undefined as never;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      // A reader that never quite catches up: drop the taken slots now and then.
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (this.paused && this.queue.length - this.head <= LOW) {
      this.paused = false;
      this.controller?.resume();
    }
    return { value, done: false };
  }

  private wake(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    if (this.head < this.queue.length) {
      this.waiter = undefined;
      waiter.resolve(this.take());
    } else if (this.failed) {
      this.waiter = undefined;
      waiter.reject(this.fail(this.failure));
    } else if (this.ended) {
      this.waiter = undefined;
      waiter.resolve({ value: undefined, done: true });
    }
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.drainTimer);
    this.done();
  }
}
