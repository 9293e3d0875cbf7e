// Counters shared by `gatehouse start --workers N`: the primary holds the only MemoryCounters
// and answers the workers' IPC messages one at a time, so check-and-consume stays atomic
// across workers. Every call is bounded: a primary that does not answer fails the call.
import cluster, { type Worker } from 'node:cluster';
import type { ConsumeResult, CounterCheck, CounterPeriod, Counters, CounterState } from '../api/counters.js';
import { createError } from '../errors.js';
import { MemoryCounters } from './memory-counters.js';

const CHANNEL = 'gatehouse:counters';
/** The primary answers in microseconds; this only bounds a primary that is gone or stuck. */
const DEFAULT_TIMEOUT_MS = 2000;

type Request =
  | { channel: typeof CHANNEL; id: number; op: 'consume'; checks: readonly CounterCheck[] }
  | { channel: typeof CHANNEL; id: number; op: 'adjust'; counter: string; delta: number };
type Reply = { channel: typeof CHANNEL; id: number; result?: ConsumeResult; error?: string };

interface Pending {
  resolve(value: ConsumeResult | undefined): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** A worker's view: every call is a message to the primary and its answer. */
export class IpcCounters implements Counters {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private listening = false;

  constructor(private readonly timeoutMs = DEFAULT_TIMEOUT_MS) {}

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
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(createError('GW_ERR_INTERNAL', `Shared counters: the primary process did not answer within ${this.timeoutMs} ms.`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      process.send!({ channel: CHANNEL, id, ...body } satisfies Request, undefined, undefined, (error) => {
        if (!error) return;
        this.settle(id)?.reject(error);
      });
    });
  }

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    process.on('message', (message: unknown) => {
      if (!isReply(message)) return;
      const pending = this.settle(message.id);
      if (!pending) return;
      if (message.error !== undefined) pending.reject(createError('GW_ERR_INTERNAL', `Shared counters: ${message.error}`));
      else pending.resolve(message.result);
    });
  }

  private settle(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    if (!pending) return undefined;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    return pending;
  }
}

/** In the cluster primary: hold the counters and answer every worker. */
export function hostCounters(counters = new MemoryCounters()): MemoryCounters {
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isRequest(message)) return;
    let reply: Reply;
    try {
      const result = message.op === 'consume' ? counters.consumeNow(message.checks) : (counters.adjustNow(message.counter, message.delta), undefined);
      reply = { channel: CHANNEL, id: message.id, result };
    } catch (error) {
      reply = { channel: CHANNEL, id: message.id, error: (error as Error).message };
    }
    if (worker.isConnected()) worker.send(reply);
  });
  return counters;
}

function isRequest(message: unknown): message is Request {
  return typeof message === 'object' && message !== null && (message as Request).channel === CHANNEL && 'op' in message;
}

function isReply(message: unknown): message is Reply {
  return typeof message === 'object' && message !== null && (message as Reply).channel === CHANNEL && !('op' in message);
}

/** The counters a gateway uses: its own in one process, the primary's in a cluster worker. */
export function createCounters(now?: () => number): Counters & { close?(): void } {
  return cluster.isWorker ? new IpcCounters() : new MemoryCounters(now);
}
