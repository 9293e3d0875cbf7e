// The cluster primary's side of the shared counters: it holds the only MemoryCounters and
// answers the workers' calls one at a time, in the order they arrive, so check-and-consume
// stays atomic across workers.
//
// Shares: a message per call cost the primary about 10% of a request's CPU and the worker a
// round trip of latency. So when a worker consumes from a counter whose check is `shareable`
// and the limit is far away, the primary also sets aside a few more units for that worker
// (counted as used here) and the worker admits from them without asking. Before the primary
// refuses a call, it takes back what the workers have not used of the counters concerned and
// decides again, so the workers together still admit exactly the limit.
import type { ConsumeResult, CounterCheck } from '../api/counters.js';
import { MemoryCounters } from './memory-counters.js';
import { CHANNEL, isCalls, isReturned, type Answer, type Call, type HostMessage } from './counter-messages.js';
import { ExpiringMap } from './expiring-map.js';

/** A share is at most this many calls' amounts (fewer messages, less exact rate-limit headers)... */
const SHARE_CALLS = 32;
/** ...and at most 1/(this × workers) of what is left, so shares stop well before the limit. */
const SHARE_SPREAD = 4;
/** How long the primary waits for a worker to give its shares back before deciding without them. */
const RECALL_TIMEOUT_MS = 500;

export interface HostTransport {
  send(worker: number, message: HostMessage): void;
  /** How many workers share the limits now. */
  workers(): number;
}

interface Queued {
  readonly worker: number;
  readonly call: Call;
  /** Shares were already taken back once for this call: its next answer is final. */
  recalled: boolean;
}

interface Shared {
  /** The counter's window end: after it the record is dead. */
  readonly end: number;
  /** Units set aside per worker and not yet given back (some may have been admitted since). */
  readonly held: Map<number, number>;
}

export class CounterHost {
  private queue: Queued[] = [];
  private readonly shared = new ExpiringMap<Shared>(() => this.now());
  private readonly outbox = new Map<number, Answer[]>();
  /** Workers asked to give shares back that have not answered: they get no new shares meanwhile. */
  private readonly recalled = new Set<number>();
  private recalling: { waiting: Set<number>; timer: NodeJS.Timeout } | undefined;

  constructor(
    readonly counters: MemoryCounters,
    private readonly transport: HostTransport,
    private readonly now: () => number = Date.now,
    private readonly recallTimeoutMs = RECALL_TIMEOUT_MS,
  ) {}

  receive(worker: number, message: unknown): void {
    if (isCalls(message)) {
      for (const call of message.calls) this.queue.push({ worker, call, recalled: false });
      this.drain();
    } else if (isReturned(message)) {
      this.takeBack(worker, message.returned);
    }
  }

  /** A worker exited: what it held stays counted (it may have admitted it), nothing waits for it. */
  workerGone(worker: number): void {
    for (const record of this.shared.values()) record.held.delete(worker);
    this.recalled.delete(worker);
    this.outbox.delete(worker);
    this.answeredRecall(worker);
  }

  close(): void {
    this.shared.stop();
    if (this.recalling) clearTimeout(this.recalling.timer);
    this.counters.close();
  }

  private drain(): void {
    let next = 0;
    while (!this.recalling && next < this.queue.length) {
      if (this.process(this.queue[next]!)) next++;
    }
    this.queue = next === this.queue.length ? [] : this.queue.slice(next);
    this.flush();
  }

  /** False when the call waits for shares to come back (it is decided again then). */
  private process(item: Queued): boolean {
    const { call, worker } = item;
    let answer: Answer;
    try {
      if (call.op === 'adjust') {
        this.counters.adjustNow(call.counter, call.delta);
        answer = { id: call.id };
        // More used than the consume said: what workers hold may no longer fit.
        if (call.delta > 0) this.recall([call.counter]);
      } else {
        const result = this.counters.consumeNow(call.checks);
        if (!result.allowed && !item.recalled) {
          item.recalled = true;
          if (this.recall(result.counters.filter((c) => !c.fits).map((c) => c.id))) return false;
        }
        answer = { id: call.id, result, shares: this.grant(worker, call.checks, result) };
      }
    } catch (error) {
      answer = { id: call.id, error: (error as Error).message };
    }
    let answers = this.outbox.get(worker);
    if (!answers) this.outbox.set(worker, (answers = []));
    answers.push(answer);
    return true;
  }

  /** Set units aside for `worker` on each shareable counter that is far from its limit. */
  private grant(worker: number, checks: readonly CounterCheck[], result: ConsumeResult): number[] | undefined {
    if (!result.allowed || this.recalled.has(worker)) return undefined;
    // A worker admits from shares only calls whose every check is shareable: others would never use them.
    for (const check of checks) if (check.shareable !== true) return undefined;
    let shares: number[] | undefined;
    const spread = SHARE_SPREAD * Math.max(1, this.transport.workers());
    for (let i = 0; i < checks.length; i++) {
      const check = checks[i]!;
      if (check.shareable !== true || !(check.amount > 0)) continue;
      const state = result.counters[i]!;
      const units = Math.floor(Math.min(check.amount * SHARE_CALLS, state.remaining / spread));
      if (units < check.amount) continue;
      this.counters.adjustNow(state.id, units);
      let record = this.shared.get(state.id);
      if (!record) this.shared.set(state.id, (record = { end: this.now() + state.resetMs, held: new Map() }));
      record.held.set(worker, (record.held.get(worker) ?? 0) + units);
      (shares ??= new Array<number>(checks.length).fill(0))[i] = units;
    }
    return shares;
  }

  /** Ask the workers holding shares of `counters` for them; true when the queue now waits. */
  private recall(counters: readonly string[]): boolean {
    const byWorker = new Map<number, string[]>();
    for (const id of counters) {
      for (const [worker, units] of this.shared.get(id)?.held ?? []) {
        // A worker still silent about an earlier recall is not waited for again.
        if (units <= 0 || this.recalled.has(worker)) continue;
        let ids = byWorker.get(worker);
        if (!ids) byWorker.set(worker, (ids = []));
        ids.push(id);
      }
    }
    if (byWorker.size === 0) return false;
    // Answers first: a share granted in one must reach its worker before the recall does.
    this.flush();
    for (const [worker, ids] of byWorker) {
      this.recalled.add(worker);
      this.transport.send(worker, { channel: CHANNEL, recall: ids });
    }
    const waiting = new Set(byWorker.keys());
    const timer = setTimeout(() => this.resume(), this.recallTimeoutMs);
    timer.unref();
    this.recalling = { waiting, timer };
    return true;
  }

  private takeBack(worker: number, returned: readonly [string, number][]): void {
    for (const [id, units] of returned) {
      const record = this.shared.get(id);
      const held = record?.held.get(worker);
      if (held === undefined) continue;
      // What the worker admitted from its share stays counted; the rest is free again.
      const unused = Math.max(0, Math.min(Number(units) || 0, held));
      if (unused > 0) this.counters.adjustNow(id, -unused);
      record!.held.delete(worker);
    }
    this.recalled.delete(worker);
    this.answeredRecall(worker);
  }

  private answeredRecall(worker: number): void {
    if (!this.recalling?.waiting.delete(worker)) return;
    if (this.recalling.waiting.size === 0) this.resume();
  }

  /** Every worker answered, or the timeout: the waiting call is decided with what came back. */
  private resume(): void {
    if (!this.recalling) return;
    clearTimeout(this.recalling.timer);
    this.recalling = undefined;
    this.drain();
  }

  private flush(): void {
    for (const [worker, answers] of this.outbox) this.transport.send(worker, { channel: CHANNEL, answers });
    this.outbox.clear();
  }
}
