// What both stores share when they summarise: the percentile definition and the finishing
// step (rates, dollars, bucket names, order), so that the same records give the same summary.
import { TIME_BUCKET_MS, type GroupBy } from './groups.js';
import type { RawGroup, SummaryGroup } from './store/types.js';

export const PERCENTILES = [0.5, 0.9, 0.99] as const;

/**
 * Nearest rank: the p-th percentile of n sorted values is the value at 1-based rank ceil(p·n)
 * (at least 1). It is always one of the recorded values. PostgreSQL's percentile_disc is the
 * same definition ("the first value whose position in the ordering equals or exceeds the
 * fraction", computed as ceil(p·n) in float8), so both stores agree to the last digit.
 */
export function nearestRank(p: number, n: number): number {
  return Math.max(1, Math.ceil(p * n));
}

/** The percentiles of an ascending list (tests and the SQLite store use it). */
export function percentilesOf(sorted: readonly number[]): { p50: number; p90: number; p99: number } {
  const at = (p: number) => sorted[nearestRank(p, sorted.length) - 1]!;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

function groupName(key: RawGroup['key'], groupBy: GroupBy): string | null {
  if (key === null) return null;
  return TIME_BUCKET_MS[groupBy] === undefined ? String(key) : new Date(Number(key)).toISOString();
}

/** Time buckets in time order; other groups by request count, then name (no group last). */
function compare(groupBy: GroupBy) {
  if (TIME_BUCKET_MS[groupBy] !== undefined) return (a: RawGroup, b: RawGroup) => Number(a.key) - Number(b.key);
  return (a: RawGroup, b: RawGroup) => {
    if (a.requests !== b.requests) return b.requests - a.requests;
    if (a.key === b.key) return 0;
    if (a.key === null) return 1;
    if (b.key === null) return -1;
    return String(a.key) < String(b.key) ? -1 : 1;
  };
}

export function finishSummary(rows: readonly RawGroup[], groupBy: GroupBy): SummaryGroup[] {
  return [...rows].sort(compare(groupBy)).map((r) => ({
    group: groupName(r.key, groupBy),
    requests: r.requests,
    errors: r.errors,
    error_rate: r.requests === 0 ? 0 : r.errors / r.requests,
    latency_ms: { p50: r.p50, p90: r.p90, p99: r.p99 },
    prompt_tokens: r.prompt_tokens,
    completion_tokens: r.completion_tokens,
    total_tokens: r.total_tokens,
    cost_usd: r.cost_nusd / 1e9,
    priced_requests: r.priced,
  }));
}
