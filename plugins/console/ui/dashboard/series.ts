// Turns the usage API's time groups (only buckets that had requests) into uPlot's columns:
// one point per bucket across the whole window, quiet buckets as zero requests and no latency.
import type uPlot from 'uplot';
import { BUCKET_MS, type Window } from './filters';
import type { SummaryGroup } from './types';

export interface TimeSeries {
  /** Bucket starts, epoch ms (uPlot gets seconds). */
  readonly starts: readonly number[];
  readonly requests: uPlot.AlignedData;
  readonly latency: uPlot.AlignedData;
  readonly tokens: uPlot.AlignedData;
  readonly cost: uPlot.AlignedData;
}

/** More than this many buckets would be unreadable; the bucket choice keeps well under it. */
const MAX_POINTS = 2000;

export function bucketStarts(window: Window): number[] {
  const size = BUCKET_MS[window.bucket];
  const first = Math.floor(window.from / size) * size;
  const last = Math.floor(Math.max(window.from, window.to - 1) / size) * size;
  const starts: number[] = [];
  for (let t = first; t <= last && starts.length < MAX_POINTS; t += size) starts.push(t);
  return starts;
}

export function timeSeries(groups: readonly SummaryGroup[], window: Window): TimeSeries {
  const byStart = new Map(groups.filter((g) => g.group !== null).map((g) => [Date.parse(g.group!), g]));
  const starts = bucketStarts(window);
  const x = starts.map((t) => t / 1000);
  const at = <T>(read: (g: SummaryGroup) => T, quiet: T) => starts.map((t) => {
    const g = byStart.get(t);
    return g ? read(g) : quiet;
  });
  return {
    starts,
    requests: [x, at((g) => g.requests, 0), at((g) => g.error_rate * 100, null)],
    latency: [x, at((g) => g.latency_ms.p50, null), at((g) => g.latency_ms.p90, null), at((g) => g.latency_ms.p99, null)],
    tokens: [x, at((g) => g.prompt_tokens, 0), at((g) => g.completion_tokens, 0)],
    cost: [x, at((g) => g.cost_usd, 0)],
  };
}
