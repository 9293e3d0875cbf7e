// Counters shared by `gatehouse start --workers N`: the primary holds the only MemoryCounters
// and answers the workers' calls one at a time, so check-and-consume stays atomic across
// workers. A worker sends the calls of one event-loop turn as one message (an IPC message per
// call cost the primary more than the rest of a request). Every call is bounded: a primary that
// does not answer fails the call.
import cluster, { type Worker } from 'node:cluster';
import type { ConsumeResult, CounterCheck, CounterPeriod, Counters, CounterState } from '../api/counters.js';
import { createError } from '../errors.js';
import { MemoryCounters } from './memory-counters.js';
import { Deadlines } from '../deadlines.js';

const CHANNEL = 'gatehouse:counters';
/** The primary answers in microseconds; this only bounds a primary that is gone or stuck. */
const DEFAULT_TIMEOUT_MS = 2000;

type Call = { id: number; op: 'consume'; checks: readonly CounterCheck[] } | { id: number; op: 'adjust'; counter: string; delta: number };
type Answer = { id: number; result?: ConsumeResult; error?: string };
type Request = { channel: typeof CHANNEL; calls: Call[] };
type Reply = { channel: typeof CHANNEL; answers: Answer[] };

interface Pending {
  resolve(value: ConsumeResult | undefined): void;
  reject(error: Error): void;
  done(): void;
}

/** A worker's view: every call is a message to the primary and its answer. */
export class IpcCounters implements Counters {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private listening = false;
  private queue: Call[] = [];
  private readonly deadlines: Deadlines;

  constructor(private readonly timeoutMs = DEFAULT_TIMEOUT_MS) {
    this.deadlines = new Deadlines(timeoutMs, true);
  }

  async consume(key: string, amount: number, limit: number, period: CounterPeriod): Promise<CounterState & { allowed: boolean }> {
    const { allowed, counters } = await this.consumeAll([{ key, amount, limit, period }]);
    return { ...counters[0]!, allowed };
  }

  async consumeAll(checks: readonly CounterCheck[]): Promise<ConsumeResult> {
    return (await this.ask({ op: 'consume', checks }))!;
  }

  async adjust(id: string, delta: number): Promise<void> {
    await this.ask({ op: 'adjust', counter: id, delta });
  }

  private ask(body: { op: 'consume'; checks: readonly CounterCheck[] } | { op: 'adjust'; counter: string; delta: number }): Promise<ConsumeResult | undefined> {
    if (!process.send || !process.connected) {
      return Promise.reject(createError('GW_ERR_INTERNAL', 'Shared counters: the connection to the primary process is closed.'));
    }
    this.listen();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const done = this.deadlines.start(() => {
        this.pending.delete(id);
        reject(createError('GW_ERR_INTERNAL', `Shared counters: the primary process did not answer within ${this.timeoutMs} ms.`));
      });
      this.pending.set(id, { resolve, reject, done });
      // The calls of this turn go together, after the turn's I/O callbacks have all run.
      if (this.queue.push({ id, ...body }) === 1) setImmediate(this.flush);
    });
  }

  private readonly flush = (): void => {
    const calls = this.queue;
    this.queue = [];
    if (!process.send || !process.connected) {
      for (const call of calls) this.settle(call.id)?.reject(createError('GW_ERR_INTERNAL', 'Shared counters: the connection to the primary process is closed.'));
      return;
    }
    process.send({ channel: CHANNEL, calls } satisfies Request, undefined, undefined, (error) => {
      if (!error) return;
      for (const call of calls) this.settle(call.id)?.reject(error);
    });
  };

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    process.on('message', (message: unknown) => {
      if (!isReply(message)) return;
      for (const answer of message.answers) {
        const pending = this.settle(answer.id);
        if (!pending) continue;
        if (answer.error !== undefined) pending.reject(createError('GW_ERR_INTERNAL', `Shared counters: ${answer.error}`));
        else pending.resolve(answer.result);
      }
    });
  }

  private settle(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    if (!pending) return undefined;
    this.pending.delete(id);
    pending.done();
    return pending;
  }
}

/** In the cluster primary: hold the counters and answer every worker. */
export function hostCounters(counters = new MemoryCounters()): MemoryCounters {
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isRequest(message)) return;
    const answers: Answer[] = message.calls.map((call) => {
      try {
        const result = call.op === 'consume' ? counters.consumeNow(call.checks) : (counters.adjustNow(call.counter, call.delta), undefined);
        return { id: call.id, result };
      } catch (error) {
        return { id: call.id, error: (error as Error).message };
      }
    });
    if (worker.isConnected()) worker.send({ channel: CHANNEL, answers } satisfies Reply);
  });
  return counters;
}

function isRequest(message: unknown): message is Request {
  return typeof message === 'object' && message !== null && (message as Request).channel === CHANNEL && Array.isArray((message as Request).calls);
}

function isReply(message: unknown): message is Reply {
  return typeof message === 'object' && message !== null && (message as Reply).channel === CHANNEL && Array.isArray((message as Reply).answers);
}

/** The counters a gateway uses: its own in one process, the primary's in a cluster worker. */
export function createCounters(now?: () => number): Counters & { close?(): void } {
  return cluster.isWorker ? new IpcCounters() : new MemoryCounters(now);
}
