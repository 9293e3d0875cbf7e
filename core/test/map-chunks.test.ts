import { expect } from 'chai';
import { END, mapChunks, SKIP } from '../src/streaming/map-chunks.js';

/** A source that records what its reader did to it. */
function source<T>(items: readonly T[], { failAt }: { failAt?: number } = {}) {
  const log: string[] = [];
  let index = 0;
  const iterator: AsyncIterableIterator<T> = {
    next() {
      if (failAt !== undefined && index === failAt) {
        log.push('fail');
        return Promise.reject(new Error('source broke'));
      }
      if (index >= items.length) {
        log.push('end');
        return Promise.resolve({ value: undefined, done: true });
      }
      log.push(`read ${index}`);
      return Promise.resolve({ value: items[index++]!, done: false });
    },
    return() {
      log.push('closed');
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return { iterator, log };
}

async function drain<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('mapChunks (a stream layer without a generator)', () => {
  it('maps every item in order, skips SKIP, and runs onEnd once the source ends', async () => {
    const { iterator, log } = source([1, 2, 3, 4]);
    let ended = 0;
    const out = await drain(mapChunks(iterator, (n) => (n % 2 === 0 ? SKIP : n * 10), () => ended++));
    expect(out).to.deep.equal([10, 30]);
    expect(ended).to.equal(1);
    expect(log).to.deep.equal(['read 0', 'read 1', 'read 2', 'read 3', 'end']);
  });

  it('stops at END: closes the source, runs onEnd, then answers done to every later read', async () => {
    const { iterator, log } = source(['a', '[DONE]', 'after']);
    let ended = 0;
    const mapped = mapChunks(iterator, (s) => (s === '[DONE]' ? END : s.toUpperCase()), () => ended++);
    expect(await mapped.next()).to.deep.equal({ value: 'A', done: false });
    expect(await mapped.next()).to.deep.equal({ value: undefined, done: true });
    expect(await mapped.next()).to.deep.equal({ value: undefined, done: true });
    expect(ended).to.equal(1);
    expect(log).to.deep.equal(['read 0', 'read 1', 'closed']);
  });

  it('a map that throws closes the source and the reader gets the error (onEnd does not run)', async () => {
    const { iterator, log } = source([1, 2, 3]);
    let ended = 0;
    const mapped = mapChunks(iterator, (n) => {
      if (n === 2) throw new Error('bad item');
      return n;
    }, () => ended++);
    expect(await mapped.next()).to.deep.equal({ value: 1, done: false });
    const error = await mapped.next().then(() => undefined, (e: Error) => e);
    expect(error?.message).to.equal('bad item');
    expect(await mapped.next()).to.deep.equal({ value: undefined, done: true });
    expect(ended).to.equal(0);
    expect(log).to.deep.equal(['read 0', 'read 1', 'closed']);
  });

  it("a map's error wins over the source failing to close", async () => {
    const failing: AsyncIterableIterator<number> = {
      next: () => Promise.resolve({ value: 1, done: false }),
      return: () => Promise.reject(new Error('close failed')),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    const error = await mapChunks(failing, () => {
      throw new Error('bad item');
    }).next().then(() => undefined, (e: Error) => e);
    expect(error?.message).to.equal('bad item');
  });

  it('a source that fails is not closed again, and its error reaches the reader', async () => {
    const { iterator, log } = source([1, 2], { failAt: 1 });
    const mapped = mapChunks(iterator, (n) => n);
    expect(await mapped.next()).to.deep.equal({ value: 1, done: false });
    const error = await mapped.next().then(() => undefined, (e: Error) => e);
    expect(error?.message).to.equal('source broke');
    expect(log).to.deep.equal(['read 0', 'fail']);
  });

  it('an onEnd that throws fails the last read (a truncated stream)', async () => {
    const { iterator } = source([1]);
    const mapped = mapChunks(iterator, (n) => n, () => {
      throw new Error('cut off');
    });
    expect(await mapped.next()).to.deep.equal({ value: 1, done: false });
    const error = await mapped.next().then(() => undefined, (e: Error) => e);
    expect(error?.message).to.equal('cut off');
  });

  it("the reader's return() closes the source once, after a read in progress, and onEnd does not run", async () => {
    const { iterator, log } = source([1, 2, 3]);
    let ended = 0;
    const mapped = mapChunks(iterator, (n) => n, () => ended++);
    const reading = mapped.next();
    const returned = mapped.return!();
    expect(await reading).to.deep.equal({ value: 1, done: false });
    expect(await returned).to.deep.equal({ value: undefined, done: true });
    await mapped.return!();
    expect(await mapped.next()).to.deep.equal({ value: undefined, done: true });
    expect(ended).to.equal(0);
    expect(log).to.deep.equal(['read 0', 'closed']);
  });

  it('a for-await that breaks early closes the source', async () => {
    const { iterator, log } = source([1, 2, 3]);
    for await (const n of mapChunks(iterator, (x) => x)) if (n === 1) break;
    expect(log).to.deep.equal(['read 0', 'closed']);
  });

  it('skips a long run of items without growing the stack', async () => {
    const items = Array.from({ length: 20_000 }, (_, i) => i);
    const { iterator } = source(items);
    const out = await drain(mapChunks(iterator, (n) => (n === 19_999 ? n : SKIP)));
    expect(out).to.deep.equal([19_999]);
  });
});
