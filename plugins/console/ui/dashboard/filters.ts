// The dashboard's state lives in the hash params (#/usage?endpoint=chat&range=1h), so a reload or
// a shared link shows the same view. This file reads them, turns a time range into the window
// and bucket the usage API is asked for, and writes the query strings.

export const DIMENSIONS = ['endpoint', 'model', 'provider', 'key'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Filters the usage API understands, in the order the filter bar shows them. */
export const FILTER_PARAMS = ['endpoint', 'key', 'provider', 'model', 'status'] as const;

export const RANGES = [
  { id: '15m', label: '15 min', ms: 15 * 60_000 },
  { id: '1h', label: '1 hour', ms: 3_600_000 },
  { id: '24h', label: '24 hours', ms: 86_400_000 },
  { id: '7d', label: '7 days', ms: 7 * 86_400_000 },
] as const;
export const DEFAULT_RANGE = '24h';

export type Bucket = 'minute' | 'hour' | 'day';
export const BUCKET_MS: Readonly<Record<Bucket, number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export type Params = Readonly<Record<string, string>>;

/** The time span a view covers, resolved against the clock when the data is fetched. */
export interface Window {
  readonly from: number;
  readonly to: number;
  readonly bucket: Bucket;
  /** A preset's id, or null for a custom from/to. */
  readonly preset: string | null;
}

/** Minute buckets up to 6 hours (360 points at most), hour buckets up to 8 days, then days. */
export function bucketFor(spanMs: number): Bucket {
  if (spanMs <= 6 * 3_600_000) return 'minute';
  if (spanMs <= 8 * 86_400_000) return 'hour';
  return 'day';
}

/** A custom from/to wins over the preset (a drill into one bucket keeps the preset to go back to). */
export function resolveWindow(params: Params, now: number = Date.now()): Window {
  const from = params.from ? Date.parse(params.from) : NaN;
  if (!Number.isNaN(from)) {
    const parsedTo = params.to ? Date.parse(params.to) : NaN;
    const to = Number.isNaN(parsedTo) ? now : parsedTo;
    return { from, to, bucket: bucketFor(to - from), preset: null };
  }
  const range = RANGES.find((r) => r.id === params.range) ?? RANGES.find((r) => r.id === DEFAULT_RANGE)!;
  return { from: now - range.ms, to: now, bucket: bucketFor(range.ms), preset: range.id };
}

/** The filters set in the params (empty values dropped). */
export function activeFilters(params: Params): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FILTER_PARAMS) if (params[name]) out[name] = params[name]!;
  return out;
}

/** A usage API query string: the filters, the window as ISO times, and any extra fields. */
export function apiQuery(filters: Record<string, string>, window: Window, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ ...filters, from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString(), ...extra }).toString();
}

/** The params with some changed; undefined removes one. */
export function withParams(params: Params, changes: Record<string, string | undefined>): Record<string, string | undefined> {
  return { ...params, ...changes };
}

/** The dashboard's params from a requests view's: a bucket drill's from/to go when a preset is there to return to. */
export function dashboardParams(params: Params): Record<string, string | undefined> {
  const back: Record<string, string | undefined> = { ...params, view: undefined, id: undefined };
  if (params.range) {
    back.from = undefined;
    back.to = undefined;
  }
  return back;
}
