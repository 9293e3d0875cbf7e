// Cheap per-request updates of labelled prom-client metrics. prom-client turns the label object
// of every inc/observe into a hash string and checks each label name: most of a metric update's
// cost. Here each label set's series (prom-client's own entry, which it created on the set's
// first update) is found again through nested maps keyed by the label values, and updated in
// place with the same arithmetic prom-client does, so /metrics shows exactly the same values.
// The series come from prom-client's `hashMap` (not public API); the usage tests compare the
// output with a plain prom-client registry, so an upgrade that changes it fails there.
import { createRequire } from 'node:module';
import type { Counter, Histogram } from 'prom-client';

type HashObject = (labels: Record<string, string>, sortedNames: readonly string[]) => string;

/** prom-client's own key for a label set (internal: if it is ever gone or changed, entries are found by value). */
const hashObject: HashObject | undefined = (() => {
  try {
    const util = createRequire(import.meta.url)('prom-client/lib/util') as { hashObject?: unknown };
    return typeof util.hashObject === 'function' ? (util.hashObject as HashObject) : undefined;
  } catch {
    return undefined;
  }
})();

/** Label sets cached per metric: labels are configured names and statuses, so this is ample; past it, prom-client's own path. */
export const MAX_CACHED_SERIES = 2048;

interface CounterEntry {
  value: number;
  readonly labels: Record<string, string>;
}

interface HistogramEntry {
  readonly labels: Record<string, string>;
  readonly bucketValues: Record<string, number>;
  sum: number;
  count: number;
}

type Tree<E> = Map<string | number, Tree<E> | E>;

interface Internals<E> {
  hashMap: Record<string, E>;
  readonly labelNames: readonly string[];
  readonly sortedLabelNames: readonly string[];
}

/** Label values (a fixed number of them, in the metric's label order) → the series' entry. */
class SeriesCache<E extends { readonly labels: Record<string, string> }> {
  private root: Tree<E> = new Map();
  private size = 0;
  private map: Record<string, E> | undefined;

  constructor(private readonly metric: Internals<E>) {}

  /** The cached entry; undefined when it is not cached (yet), or the metric was reset since. */
  get(a: string, b: string, c?: string | number, d?: string): E | undefined {
    if (this.metric.hashMap !== this.map) return undefined;
    const n = this.metric.labelNames.length;
    const one = this.root.get(a) as Tree<E> | undefined;
    if (one === undefined) return undefined;
    const two = one.get(b);
    if (n === 2 || two === undefined) return two as E | undefined;
    const three = (two as Tree<E>).get(c!);
    if (n === 3 || three === undefined) return three as E | undefined;
    return (three as Tree<E>).get(d!) as E | undefined;
  }

  /** The label object for these values, in the metric's label order (as the callers always wrote it). */
  labels(values: readonly (string | number)[]): Record<string, string> {
    const labels: Record<string, string> = {};
    this.metric.labelNames.forEach((name, i) => {
      labels[name] = String(values[i]);
    });
    return labels;
  }

  /** After prom-client updated `labels` itself: remember the entry it holds for them. */
  remember(labels: Record<string, string>, values: readonly (string | number)[]): void {
    const hashMap = this.metric.hashMap;
    if (hashMap !== this.map) {
      this.root = new Map();
      this.size = 0;
      this.map = hashMap;
    }
    if (this.size >= MAX_CACHED_SERIES) return;
    const names = this.metric.labelNames;
    // prom-client keeps the label object it was given in the entry it creates, under its hash.
    let entry: E | undefined = hashObject === undefined ? undefined : hashMap[hashObject(labels, this.metric.sortedLabelNames)];
    if (entry?.labels !== labels) entry = undefined;
    // Not found so (the label set had an entry before this cache saw the metric): by value.
    if (entry === undefined) {
      for (const key in hashMap) {
        const candidate = hashMap[key]!;
        if (Object.keys(candidate.labels).length === names.length && names.every((name) => candidate.labels[name] === labels[name])) {
          entry = candidate;
          break;
        }
      }
    }
    if (entry === undefined) return;
    let node = this.root;
    for (let i = 0; i < values.length - 1; i++) {
      let next = node.get(values[i]!) as Tree<E> | undefined;
      if (next === undefined) node.set(values[i]!, (next = new Map()));
      node = next;
    }
    if (!node.has(values[values.length - 1]!)) {
      node.set(values[values.length - 1]!, entry);
      this.size++;
    }
  }
}

/** A labelled counter whose updates skip prom-client's hashing once a label set has been seen. */
export class CachedCounter<L extends string> {
  private readonly cache: SeriesCache<CounterEntry>;

  constructor(private readonly counter: Counter<L>) {
    this.cache = new SeriesCache(counter as unknown as Internals<CounterEntry>);
  }

  /**
   * Add `value` to the series of these label values, in the counter's label order (one may be
   * a number, e.g. a status: the label is its string).
   */
  inc(value: number, a: string, b: string, c?: string | number, d?: string): void {
    // prom-client's own checks: anything but a finite, non-negative value takes its path.
    if (Number.isFinite(value) && value >= 0) {
      const entry = this.cache.get(a, b, c, d);
      if (entry !== undefined) {
        entry.value += value;
        return;
      }
    }
    const values = d !== undefined ? [a, b, c!, d] : c !== undefined ? [a, b, c] : [a, b];
    const labels = this.cache.labels(values);
    this.counter.inc(labels as Partial<Record<L, string>>, value);
    this.cache.remember(labels, values);
  }
}

/** A labelled histogram whose observations skip prom-client's hashing once a label set has been seen. */
export class CachedHistogram<L extends string> {
  private readonly cache: SeriesCache<HistogramEntry>;
  private readonly bounds: readonly number[];
  /** The bucket keys as prom-client's entries hold them (a number as a property key is its string). */
  private readonly keys: readonly string[];

  constructor(private readonly histogram: Histogram<L>) {
    this.cache = new SeriesCache(histogram as unknown as Internals<HistogramEntry>);
    this.bounds = (histogram as unknown as { upperBounds: readonly number[] }).upperBounds;
    this.keys = this.bounds.map(String);
  }

  observe(value: number, a: string, b: string): void {
    if (Number.isFinite(value)) {
      const entry = this.cache.get(a, b);
      if (entry !== undefined) {
        // As prom-client's observe: sum, count, and the first bucket whose bound holds the value.
        entry.sum += value;
        entry.count += 1;
        const bounds = this.bounds;
        for (let i = 0; i < bounds.length; i++) {
          if (value <= bounds[i]!) {
            entry.bucketValues[this.keys[i]!]! += 1;
            break;
          }
        }
        return;
      }
    }
    const labels = this.cache.labels([a, b]);
    this.histogram.observe(labels as Partial<Record<L, string>>, value);
    this.cache.remember(labels, [a, b]);
  }
}
