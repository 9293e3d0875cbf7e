// Run with --expose-gc (gc-retention.test.ts). Prints, per structure, how many bytes the old
// generation gained over young-generation collections of request-like churn after one full GC:
// entries in and out, each holding a payload, as Deadlines and IdTable see on every request.
import { Deadlines } from '../src/deadlines.js';
import { IdTable } from '../src/util/id-table.js';

interface Churn {
  add(id: number, payload: unknown): void;
  remove(id: number): void;
}

const gc = (globalThis as unknown as { gc: (options?: { type: 'major' | 'minor'; execution: 'sync' }) => void }).gc;
const oldSpaceUsed = () => process.memoryUsage().heapUsed;

const IN_FLIGHT = 16;
const PAYLOAD = 4096;

function churn(target: Churn, from: number, count: number): void {
  for (let id = from; id < from + count; id++) {
    target.add(id, new Array(PAYLOAD / 8).fill(id));
    if (id - IN_FLIGHT >= from) target.remove(id - IN_FLIGHT);
  }
  for (let id = Math.max(from, from + count - IN_FLIGHT); id < from + count; id++) target.remove(id);
}

/** Old-generation growth over `rounds` minor GCs of churn, after a full GC promoted the structure. */
function retained(target: Churn, rounds = 20): number {
  let next = 0;
  churn(target, next, 500);
  next += 500;
  // Two young collections with no churn between them move the structure's current table to
  // the old generation, as a collection during a request's few milliseconds now and then does.
  gc({ type: 'major', execution: 'sync' });
  gc({ type: 'minor', execution: 'sync' });
  gc({ type: 'minor', execution: 'sync' });
  const before = oldSpaceUsed();
  for (let r = 0; r < rounds; r++) {
    churn(target, next, 200);
    next += 200;
    gc({ type: 'minor', execution: 'sync' });
  }
  return oldSpaceUsed() - before;
}

function deadlinesChurn(): Churn {
  const deadlines = new Deadlines(60_000, true);
  const done = new IdTable<() => void>();
  return {
    add: (id, payload) => done.set(id, deadlines.start(() => void payload)),
    remove: (id) => done.take(id)?.(),
  };
}

function idTableChurn(): Churn {
  const table = new IdTable<unknown>();
  return { add: (id, payload) => table.set(id, { payload }), remove: (id) => void table.take(id) };
}

/** What both replaced: a long-lived Map with the same churn (the control: it should retain). */
function mapChurn(): Churn {
  const map = new Map<number, unknown>();
  return { add: (id, payload) => map.set(id, { payload }), remove: (id) => void map.delete(id) };
}

process.stdout.write(JSON.stringify({ deadlines: retained(deadlinesChurn()), idTable: retained(idTableChurn()), map: retained(mapChurn()) }));
