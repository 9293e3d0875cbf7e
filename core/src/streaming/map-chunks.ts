// A stream layer without an async generator: each item of `source` mapped (or skipped, or the
// stream ended early) as the reader pulls. An `async function*` layer costs a few promises and
// microtask turns per item for its request queue and its `yield`'s await; this one costs the
// source's promise and one `then`. Same semantics as the generator it replaces:
//   for await (const item of source) { const out = map(item); if (out === SKIP) continue;
//     if (out === END) break; yield out; }  onEnd();
// - a `map` that throws closes the source (its return()) and the reader gets the error;
// - a source that fails is not closed again (it is over), the reader gets its error;
// - END closes the source, then runs onEnd; a source that ends runs onEnd; onEnd may throw;
// - the reader's return() closes the source (after a read in progress, as a generator queues it).

/** `map`'s answer for an item that is not passed on. */
export const SKIP: unique symbol = Symbol('gatehouse.skip');
/** `map`'s answer for an item that ends the stream (OpenAI's `[DONE]`): the source is closed. */
export const END: unique symbol = Symbol('gatehouse.end');

export type ChunkMapper<S, T> = (item: S) => T | typeof SKIP | typeof END;

const DONE: IteratorResult<never> = Object.freeze({ value: undefined, done: true }) as IteratorResult<never>;

class MappedChunks<S, T> implements AsyncIterableIterator<T> {
  private readonly source: AsyncIterator<S>;
  private closed = false;
  private reading: Promise<unknown> | undefined;

  constructor(
    source: AsyncIterable<S>,
    private readonly map: ChunkMapper<S, T>,
    private readonly onEnd: (() => void) | undefined,
  ) {
    this.source = source[Symbol.asyncIterator]();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.closed) return Promise.resolve(DONE);
    const read = this.pull();
    this.reading = read;
    return read;
  }

  async return(): Promise<IteratorResult<T>> {
    if (this.reading) await this.reading.catch(() => undefined);
    if (!this.closed) {
      this.closed = true;
      await this.source.return?.();
    }
    return DONE;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private pull(): Promise<IteratorResult<T>> {
    return this.source.next().then(this.step, this.failed);
  }

  private readonly step = (result: IteratorResult<S>): IteratorResult<T> | Promise<IteratorResult<T>> => {
    if (result.done) {
      this.closed = true;
      this.onEnd?.();
      return DONE;
    }
    let out: T | typeof SKIP | typeof END;
    try {
      out = this.map(result.value);
    } catch (error) {
      this.closed = true;
      // The map's error wins over a failure to close, as in a for-await loop.
      const rethrow = () => Promise.reject(error);
      return this.closeSource().then(rethrow, rethrow);
    }
    if (out === SKIP) return this.pull();
    if (out === END) {
      this.closed = true;
      return this.closeSource().then(() => {
        this.onEnd?.();
        return DONE;
      });
    }
    return { value: out, done: false };
  };

  private readonly failed = (error: unknown): never => {
    this.closed = true;
    throw error;
  };

  private async closeSource(): Promise<void> {
    await this.source.return?.();
  }
}

/** `source` with `map` applied to each item as it is read (see the file's comment for the rules). */
export function mapChunks<S, T>(source: AsyncIterable<S>, map: ChunkMapper<S, T>, onEnd?: () => void): AsyncIterableIterator<T> {
  return new MappedChunks(source, map, onEnd);
}
