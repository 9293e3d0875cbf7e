// The embedded store: a SQLite file, driven from a worker thread. better-sqlite3 is
// synchronous; here every call is a message to the worker, so the event loop never waits on
// the disk. A worker that dies is started again on the next call.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { IdTable } from '@gatehousejs/core';
import type { ListQuery, SummaryQuery } from '../query.js';
import type { UsageRecord } from '../record.js';
import { finishSummary } from '../summary.js';
import type { SqlitePage } from './sqlite-db.js';
import { sqliteRow } from './sql.js';
import type { RawGroup, RecordPage, SqlStore, SqlValue, SummaryGroup, UsageStore } from './types.js';
import type { WorkerReply, WorkerRequest } from './sqlite-worker.js';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

type Op = WorkerRequest['op'];
type ArgsOf<O extends Op> = Extract<WorkerRequest, { op: O }>['args'];

export class SqliteStore implements UsageStore, SqlStore {
  readonly kind = 'sqlite' as const;
  private worker: Worker | undefined;
  private opening: Promise<Worker> | undefined;
  // Not a Map: an insert per batch for the life of the process (see IdTable).
  private readonly pending = new IdTable<Pending>();
  private nextId = 1;

  constructor(readonly location: string) {}

  async open(): Promise<void> {
    await this.ensureWorker();
  }

  private ensureWorker(): Promise<Worker> {
    if (this.worker) return Promise.resolve(this.worker);
    this.opening ??= this.startWorker().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async startWorker(): Promise<Worker> {
    await mkdir(path.dirname(this.location), { recursive: true });
    const worker = new Worker(new URL('./sqlite-worker.js', import.meta.url), { workerData: { file: this.location } });
    // The first message says whether the database opened (and migrated).
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`the SQLite worker exited (code ${code}) before opening ${this.location}`));
      worker.once('error', reject);
      worker.once('exit', onExit);
      worker.once('message', (reply: WorkerReply) => {
        worker.off('error', reject);
        worker.off('exit', onExit);
        if (reply.ok) resolve();
        else reject(new Error(`cannot open the usage database ${this.location}: ${reply.error}`));
      });
    });
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    worker.on('error', (error) => this.fail(worker, error));
    worker.on('exit', (code) => this.fail(worker, new Error(`the SQLite worker exited (code ${code})`)));
    worker.unref(); // referenced only while a call is pending (see call)
    this.worker = worker;
    return worker;
  }

  private settle(reply: WorkerReply): void {
    const pending = this.pending.take(reply.id);
    if (!pending) return;
    if (this.pending.size === 0) this.worker?.unref();
    if (reply.ok) pending.resolve(reply.result);
    else pending.reject(new Error(reply.error));
  }

  private fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const pending of this.pending.takeAll()) pending.reject(error);
  }

  private async call<O extends Op>(op: O, ...args: ArgsOf<O>): Promise<unknown> {
    const worker = await this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // A pending call keeps the process alive (the CLI awaits its answer); an idle worker does not.
      worker.ref();
      worker.postMessage({ id, op, args } as WorkerRequest);
    });
  }

  async insert(records: readonly UsageRecord[]): Promise<void> {
    // Arrays of column values cost a quarter of what record objects cost to copy to the worker.
    await this.call('insert', records.map(sqliteRow));
  }

  async list(query: ListQuery): Promise<RecordPage> {
    const page = (await this.call('list', query)) as SqlitePage;
    const last = page.records.at(-1);
    return { records: page.records, next: page.more && last ? { ts: last.ts, id: last.id } : null };
  }

  async summary(query: SummaryQuery): Promise<SummaryGroup[]> {
    return finishSummary((await this.call('summary', query)) as RawGroup[], query.groupBy);
  }

  async migrate(component: string, steps: readonly (readonly string[])[]): Promise<void> {
    await this.call('migrate', component, steps);
  }

  async query<Row = Record<string, unknown>>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return (await this.call('query', sql, params)) as Row[];
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await this.call('execute', sql, params)) as number;
  }

  async close(): Promise<void> {
    const worker = this.worker ?? (await this.opening?.catch(() => undefined));
    if (!worker) return;
    try {
      await this.call('close');
    } finally {
      this.worker = undefined;
      await worker.terminate();
    }
  }
}
