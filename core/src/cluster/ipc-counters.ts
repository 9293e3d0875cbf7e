// Counters shared by `gatehouse start --workers N`. The primary holds the only MemoryCounters
// (counter-host.ts); a worker sends it the calls of one event-loop turn as one message (an IPC
// message per call cost the primary more than the rest of a request) and admits `shareable`
// checks from the shares the primary set aside for it, without a message. Every call is
// bounded: a primary that does not answer fails the call.
import cluster, { type Worker } from 'node:cluster';
import type { ConsumeResult, CounterCheck, CounterPeriod, Counters, CounterState } from '../api/counters.js';
import { createError } from '../errors.js';
import { Deadlines } from '../deadlines.js';
import { CounterHost } from './counter-host.js';
import { CHANNEL, isAnswers, isRecall, type Answer, type Call, type WorkerMessage } from './counter-messages.js';
import { MemoryCounters } from './memory-counters.js';
import { counterWindow, windowedId } from './windows.js';
import { ExpiringMap } from './expiring-map.js';
import { IdTable } from '../util/id-table.js';

/** The primary answers in microseconds; this only bounds a primary that is gone or stuck. */
const DEFAULT_TIMEOUT_MS = 2000;

export interface WorkerTransport {
  /** False when there is no primary to talk to; `sent` reports a failed send. */
  connected(): boolean;
  send(message: WorkerMessage, sent: (error: Error | null) => void): void;
  listen(onMessage: (message: unknown) => void): void;
}

/** The worker's IPC channel to its cluster primary. */
const processTransport: WorkerTransport = {
  connected: () => process.send !== undefined && process.connected,
  send: (message, sent) => process.send!(message, undefined, undefined, sent),
  listen: (onMessage) => process.on('message', onMessage),
};

interface Pending {
  /** A consume's checks: the shares in its answer are kept as the answer arrives. */
  readonly checks: readonly CounterCheck[] | undefined;
  resolve(answer: Answer): void;
  reject(error: Error): void;
  done(): void;
}

/** Units the primary set aside for this worker on one counter in one window. */
interface Share {
  units: number;
  /**
   * The counter as this worker knows it: the primary's count at the grant, without this worker's
   * unused units, plus what it admitted since. Other workers' unused shares count as used in it,
   * so `remaining` may read low by up to what they hold aside.
   */
  used: number;
  readonly limit: number;
  readonly end: number;
}

const closed = () => createError('GW_ERR_INTERNAL', 'Shared counters: the connection to the primary process is closed.');

/** A worker's view: calls go to the primary, shareable checks are admitted from shares when they can be. */
export class IpcCounters implements Counters {
  private nextId = 1;
  private readonly pending = new IdTable<Pending>();
  private listening = false;
  private queue: Call[] = [];
  private readonly deadlines: Deadlines;
  private readonly shares = new ExpiringMap<Share>(() => this.now());

  constructor(
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
    private readonly transport: WorkerTransport = processTransport,
    private readonly now: () => number = Date.now,
  ) {
    this.deadlines = new Deadlines(timeoutMs, true);
  }

  async consume(key: string, amount: number, limit: number, period: CounterPeriod): Promise<CounterState & { allowed: boolean }> {
    const { allowed, counters } = await this.consumeAll([{ key, amount, limit, period }]);
    return Object.assign({}, counters[0]!, { allowed });
  }

  consumeAll(checks: readonly CounterCheck[]): Promise<ConsumeResult> {
    const local = this.shares.size > 0 ? this.fromShares(checks) : undefined;
    if (local) return Promise.resolve(local);
    return this.ask({ op: 'consume', checks }).then((answer) => answer.result!);
  }

  async adjust(id: string, delta: number): Promise<void> {
    await this.ask({ op: 'adjust', counter: id, delta });
  }

  close(): void {
    this.shares.stop();
  }

  /** Every check shareable and covered by its share: counted here, all or nothing; otherwise undefined. */
  private fromShares(checks: readonly CounterCheck[]): ConsumeResult | undefined {
    const now = this.now();
    const found: Share[] = new Array(checks.length);
    const ids: string[] = new Array(checks.length);
    for (let i = 0; i < checks.length; i++) {
      const check = checks[i]!;
      if (check.shareable !== true) return undefined;
      const id = windowedId(check.key, counterWindow(check.period, now));
      const share = this.shares.get(id);
      // A reload that changed the limit goes to the primary, which decides with the new one.
      if (!share || share.end <= now || share.units < check.amount || share.limit !== check.limit || found.includes(share)) return undefined;
      found[i] = share;
      ids[i] = id;
    }
    const counters: CounterState[] = new Array(checks.length);
    for (let i = 0; i < checks.length; i++) {
      const share = found[i]!;
      const amount = checks[i]!.amount;
      share.units -= amount;
      share.used += amount;
      counters[i] = { id: ids[i]!, used: share.used, limit: share.limit, remaining: Math.max(0, share.limit - share.used), resetMs: share.end - now, fits: true };
    }
    return { allowed: true, counters };
  }

  /**
   * Called as the answer arrives, not in a promise continuation: a recall can arrive in the same
   * read from the channel, and it must find the share this answer granted.
   */
  private keepShares(checks: readonly CounterCheck[], result: ConsumeResult, shares: readonly number[]): void {
    const now = this.now();
    for (let i = 0; i < checks.length; i++) {
      const units = shares[i] ?? 0;
      if (units <= 0) continue;
      const state = result.counters[i]!;
      const share = this.shares.get(state.id);
      // `state` is this worker's view already (ownView): its unused units are not in `used`.
      if (share) {
        share.used = state.used;
        share.units += units;
      } else {
        this.shares.set(state.id, { units, used: state.used, limit: state.limit, end: now + state.resetMs });
      }
    }
  }

  /** The primary wants the shares of these counters back: all of what is left goes, now. */
  private giveBack(ids: readonly string[]): void {
    const returned: [string, number][] = ids.map((id) => {
      const units = this.shares.get(id)?.units ?? 0;
      this.shares.delete(id);
      return [id, units];
    });
    if (this.transport.connected()) this.transport.send({ channel: CHANNEL, returned }, () => undefined);
  }

  /**
   * The primary's count takes every worker's unused shares as used; the answer this worker gives
   * its caller leaves its own out (they are not admitted), as later answers from shares do. The
   * share learns the primary's count too, so that its next answers start from it.
   */
  private ownView(result: ConsumeResult): ConsumeResult {
    let counters: CounterState[] | undefined;
    for (let i = 0; i < result.counters.length; i++) {
      const state = result.counters[i]!;
      const share = this.shares.get(state.id);
      if (!share) continue;
      const used = Math.max(0, state.used - share.units);
      share.used = used;
      if (share.units <= 0) continue;
      (counters ??= result.counters.slice())[i] = Object.assign({}, state, { used, remaining: Math.max(0, state.limit - used) });
    }
    return counters ? { allowed: result.allowed, counters } : result;
  }

  private ask(body: { op: 'consume'; checks: readonly CounterCheck[] } | { op: 'adjust'; counter: string; delta: number }): Promise<Answer> {
    if (!this.transport.connected()) return Promise.reject(closed());
    this.listen();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const done = this.deadlines.start(() => {
        this.pending.take(id);
        reject(createError('GW_ERR_INTERNAL', `Shared counters: the primary process did not answer within ${this.timeoutMs} ms.`));
      });
      this.pending.set(id, { checks: body.op === 'consume' ? body.checks : undefined, resolve, reject, done });
      // The calls of this turn go together, after the turn's I/O callbacks have all run.
      if (this.queue.push({ id, ...body }) === 1) setImmediate(this.flush);
    });
  }

  private readonly flush = (): void => {
    const calls = this.queue;
    this.queue = [];
    if (!this.transport.connected()) {
      for (const call of calls) this.settle(call.id)?.reject(closed());
      return;
    }
    this.transport.send({ channel: CHANNEL, calls }, (error) => {
      if (!error) return;
      for (const call of calls) this.settle(call.id)?.reject(error);
    });
  };

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    this.transport.listen((message: unknown) => {
      if (isRecall(message)) return this.giveBack(message.recall);
      if (!isAnswers(message)) return;
      for (const answer of message.answers) {
        const pending = this.settle(answer.id);
        if (!pending) continue;
        if (answer.error !== undefined) pending.reject(createError('GW_ERR_INTERNAL', `Shared counters: ${answer.error}`));
        else {
          // Read against the shares held before this answer's grant, then the grant is kept.
          if (answer.result) answer.result = this.ownView(answer.result);
          if (answer.shares && answer.result && pending.checks) this.keepShares(pending.checks, answer.result, answer.shares);
          pending.resolve(answer);
        }
      }
    });
  }

  private settle(id: number): Pending | undefined {
    const pending = this.pending.take(id);
    if (!pending) return undefined;
    pending.done();
    return pending;
  }

}

/** In the cluster primary: hold the counters and answer every worker. */
export function hostCounters(counters = new MemoryCounters()): CounterHost {
  const host = new CounterHost(counters, {
    send: (id, message) => {
      const worker = cluster.workers?.[id];
      if (worker?.isConnected()) worker.send(message);
    },
    workers: () => Object.keys(cluster.workers ?? {}).length,
  });
  cluster.on('message', (worker: Worker, message: unknown) => host.receive(worker.id, message));
  cluster.on('exit', (worker: Worker) => host.workerGone(worker.id));
  return host;
}

/** The counters a gateway uses: its own in one process, the primary's in a cluster worker. */
export function createCounters(now?: () => number): Counters & { close?(): void } {
  return cluster.isWorker ? new IpcCounters(DEFAULT_TIMEOUT_MS, processTransport, now) : new MemoryCounters(now);
}
