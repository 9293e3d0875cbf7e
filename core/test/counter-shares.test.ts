// The cluster's shared counters with shares, in one process: a CounterHost and IpcCounters
// "workers" joined by queues that deliver each direction in order on a later turn, as a
// cluster's IPC channels do. counters.test.ts runs the real cluster.
import { expect } from 'chai';
import type { CounterCheck } from '../src/index.js';
import { MemoryCounters } from '../src/index.js';
import { CounterHost } from '../src/cluster/counter-host.js';
import type { HostMessage, WorkerMessage } from '../src/cluster/counter-messages.js';
import { IpcCounters } from '../src/cluster/ipc-counters.js';

const START = Date.parse('2026-03-14T15:09:10.000Z');

interface LocalCluster {
  host: CounterHost;
  workers: IpcCounters[];
  /** Messages each worker sent the primary (calls and returns). */
  sent: number[];
  clock: { now: number };
  /** Stop delivering to and from this worker (a process that hangs or is gone). */
  cut(worker: number): void;
  close(): void;
}

function localCluster(size: number, { recallTimeoutMs = 200 } = {}): LocalCluster {
  const clock = { now: START };
  const now = () => clock.now;
  const cutOff = new Set<number>();
  const sent = new Array<number>(size).fill(0);
  const listeners: ((message: unknown) => void)[] = [];
  // Like IPC: a copy of each message, delivered in order on a later turn, and the messages that
  // arrived together delivered one after another in that turn, with no microtask between them.
  const inbox: (() => void)[] = [];
  const deliver = (to: () => void) => {
    if (inbox.push(to) === 1) setImmediate(() => { for (const next of inbox.splice(0)) next(); });
  };
  const copy = <T>(message: T): T => JSON.parse(JSON.stringify(message)) as T;
  const host = new CounterHost(new MemoryCounters(now), {
    send: (worker: number, message: HostMessage) => {
      if (!cutOff.has(worker)) deliver(() => listeners[worker]?.(copy(message)));
    },
    workers: () => size - cutOff.size,
  }, now, recallTimeoutMs);
  const workers = Array.from({ length: size }, (_, worker) => new IpcCounters(1000, {
    connected: () => true,
    send: (message: WorkerMessage, done) => {
      sent[worker]!++;
      if (!cutOff.has(worker)) deliver(() => host.receive(worker, copy(message)));
      done(null);
    },
    listen: (onMessage) => { listeners[worker] = onMessage; },
  }, now));
  return {
    host, workers, sent, clock,
    cut: (worker) => cutOff.add(worker),
    close: () => { host.close(); for (const w of workers) w.close(); },
  };
}

const requests = (limit: number, key = 'endpoint:chat'): CounterCheck[] => [{ key, amount: 1, limit, period: 'minute', shareable: true }];

/** `count` calls one after another; how many were admitted. */
async function inTurn(worker: IpcCounters, checks: CounterCheck[], count: number): Promise<number> {
  let admitted = 0;
  for (let i = 0; i < count; i++) if ((await worker.consumeAll(checks)).allowed) admitted++;
  return admitted;
}

describe('shared counters with shares (cluster workers)', () => {
  let cluster: LocalCluster;
  afterEach(() => cluster?.close());

  it('admits shareable calls from a share, with far fewer messages than calls', async () => {
    cluster = localCluster(2);
    const admitted = await inTurn(cluster.workers[0]!, requests(1_000_000), 1000);
    expect(admitted).to.equal(1000);
    // One message per 33 calls: the call that asks, then 32 from the share it brought back.
    expect(cluster.sent[0]).to.equal(Math.ceil(1000 / 33));
  });

  it('sends every call that is not shareable to the primary', async () => {
    cluster = localCluster(2);
    const checks = [{ ...requests(1_000_000)[0]!, shareable: false }];
    expect(await inTurn(cluster.workers[0]!, checks, 50)).to.equal(50);
    expect(cluster.sent[0]).to.equal(50);
  });

  it('takes back an idle worker\'s share before refusing another worker: exactly the limit in all', async () => {
    cluster = localCluster(2);
    const [a, b] = cluster.workers as [IpcCounters, IpcCounters];
    // a's first call leaves 99 of 100: it gets a share (floor(99 / 8) = 12) and then goes quiet.
    expect(await inTurn(a, requests(100), 1)).to.equal(1);
    expect(await inTurn(b, requests(100), 150)).to.equal(99);
    expect(await inTurn(a, requests(100), 5)).to.equal(0);
    const state = await cluster.host.counters.consumeAll(requests(100).map((c) => ({ ...c, amount: 0 })));
    expect(state.counters[0]!.used).to.equal(100);
  });

  it('admits exactly the limit from concurrent bursts on three workers', async () => {
    cluster = localCluster(3);
    const limit = 500;
    const burst = (worker: IpcCounters) => Promise.all(Array.from({ length: 300 }, async (_, i) => {
      // Interleave turns so that shares are granted, used and recalled while others ask.
      await new Promise((resolve) => setImmediate(resolve));
      if (i % 3 === 0) await new Promise((resolve) => setImmediate(resolve));
      return (await worker.consumeAll(requests(limit))).allowed;
    }));
    const results = (await Promise.all(cluster.workers.map(async (w) => {
      const first = await inTurn(w, requests(limit), 40);
      return first + (await burst(w)).filter(Boolean).length;
    })));
    expect(results.reduce((a, b) => a + b, 0)).to.equal(limit);
  });

  it('is all or nothing across checks: one check without room refuses the call and counts none', async () => {
    cluster = localCluster(2);
    const [a] = cluster.workers as [IpcCounters];
    const both = [...requests(1000, 'endpoint:chat'), ...requests(3, 'key:k:requests')];
    expect(await inTurn(a, both, 5)).to.equal(3);
    // The endpoint counter counted only the three admitted calls (the share a holds aside).
    const endpoint = await a.consumeAll(requests(1000, 'endpoint:chat'));
    expect(endpoint.allowed).to.equal(true);
    expect(endpoint.counters[0]!.used).to.equal(4);
  });

  it('grants no share for a call with a check that is not shareable (it could never use it), so its counts stay true', async () => {
    cluster = localCluster(2);
    const [a] = cluster.workers as [IpcCounters];
    const mixed = [...requests(1000), { key: 'key:k:tokens', amount: 10, limit: 100_000, period: 'minute' as const }];
    let last;
    for (let i = 0; i < 10; i++) last = await a.consumeAll(mixed);
    expect(cluster.sent[0]).to.equal(10);
    expect(last!.counters[0]).to.deep.include({ used: 10, remaining: 990 });
    const state = await cluster.host.counters.consumeAll(requests(1000).map((c) => ({ ...c, amount: 0 })));
    expect(state.counters[0]!.used).to.equal(10);
  });

  it('leaves its own unused share out of the counts an answer from the primary reports', async () => {
    cluster = localCluster(2);
    const [a] = cluster.workers as [IpcCounters];
    await a.consumeAll(requests(1000)); // a now holds 32 aside, counted as used by the primary
    const mixed = [...requests(1000), { key: 'key:k:tokens', amount: 10, limit: 100_000, period: 'minute' as const }];
    const result = await a.consumeAll(mixed);
    expect(result.counters[0]).to.deep.include({ used: 2, remaining: 998 });
    // And the share is still there: the next shareable call is answered without a message.
    const sent = cluster.sent[0];
    expect((await a.consumeAll(requests(1000))).counters[0]).to.deep.include({ used: 3 });
    expect(cluster.sent[0]).to.equal(sent);
  });

  it('reports the count this worker knows and the time to the reset from a share', async () => {
    cluster = localCluster(2);
    const [a] = cluster.workers as [IpcCounters];
    await inTurn(a, requests(1000), 3);
    const sentBefore = cluster.sent[0];
    const result = await a.consumeAll(requests(1000));
    expect(cluster.sent[0]).to.equal(sentBefore); // answered from the share
    expect(result.counters[0]).to.deep.include({ used: 4, limit: 1000, remaining: 996, resetMs: 50_000, fits: true });
  });

  it('starts again from zero in the next window, never from an old window\'s share', async () => {
    cluster = localCluster(2);
    const [a] = cluster.workers as [IpcCounters];
    expect(await inTurn(a, requests(10), 10)).to.equal(10);
    expect(await inTurn(a, requests(10), 1)).to.equal(0);
    cluster.clock.now += 60_000;
    expect(await inTurn(a, requests(10), 12)).to.equal(10);
  });

  it('goes to the primary when the limit changed (a reload), and the primary decides with the new one', async () => {
    cluster = localCluster(2);
    const [a] = cluster.workers as [IpcCounters];
    expect(await inTurn(a, requests(1000), 2)).to.equal(2);
    expect(await inTurn(a, requests(2), 3)).to.equal(0);
  });

  it('decides without a worker that does not give its share back, keeping that share counted', async () => {
    cluster = localCluster(2, { recallTimeoutMs: 50 });
    const [a, b] = cluster.workers as [IpcCounters, IpcCounters];
    expect(await inTurn(a, requests(100), 1)).to.equal(1); // a holds 12 aside
    cluster.cut(0);
    const started = performance.now();
    // Never more than the limit: a's 12 may have been admitted, so b gets at most 100 - 1 - 12.
    expect(await inTurn(b, requests(100), 100)).to.equal(87);
    expect(performance.now() - started).to.be.below(5000);
  });

  it('a worker that exited keeps what it held counted and is not waited for', async () => {
    cluster = localCluster(2, { recallTimeoutMs: 60_000 });
    const [a, b] = cluster.workers as [IpcCounters, IpcCounters];
    expect(await inTurn(a, requests(100), 1)).to.equal(1);
    cluster.cut(0);
    cluster.host.workerGone(0);
    expect(await inTurn(b, requests(100), 100)).to.equal(87);
  });

  it('takes shares back when an adjust pushes the counter up, so a worker stops admitting from them', async () => {
    cluster = localCluster(2);
    const [a, b] = cluster.workers as [IpcCounters, IpcCounters];
    const first = await a.consumeAll(requests(100));
    expect(await inTurn(a, requests(100), 1)).to.equal(1); // from the share
    await b.adjust(first.counters[0]!.id, 200);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await inTurn(a, requests(100), 3)).to.equal(0);
  });
});
