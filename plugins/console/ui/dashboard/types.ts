// The usage API's answers as the dashboard reads them (plugins/usage/src/routes.ts, summary.ts).

export interface SummaryGroup {
  /** A name, an ISO bucket start for time groups, or null for "no value" (say, no key). */
  readonly group: string | null;
  readonly requests: number;
  readonly errors: number;
  readonly error_rate: number;
  readonly latency_ms: { readonly p50: number | null; readonly p90: number | null; readonly p99: number | null };
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
  readonly cost_usd: number;
  readonly priced_requests: number;
}

export interface Summary {
  readonly group_by: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly groups: readonly SummaryGroup[];
}

export interface UsageRecord {
  readonly id: string;
  readonly request_id: string;
  readonly time: string;
  readonly surface: string;
  readonly route: string | null;
  readonly endpoint: string | null;
  readonly endpoint_type: string | null;
  readonly provider: string | null;
  readonly model: string | null;
  readonly key: string | null;
  readonly user: string | null;
  readonly tags: readonly string[] | null;
  readonly stream: boolean;
  readonly status: number;
  readonly error_type: string | null;
  readonly error_code: string | null;
  readonly latency_ms: number;
  readonly upstream_ms: number | null;
  readonly overhead_ms: number | null;
  readonly ttft_ms: number | null;
  readonly prompt_tokens: number | null;
  readonly completion_tokens: number | null;
  readonly total_tokens: number | null;
  readonly cached_tokens: number | null;
  readonly tokens_estimated: boolean;
  readonly cost_usd: number | null;
  /** Parsed JSON, a string when the stored body was cut at max_body_bytes, null when not recorded. */
  readonly request_body: unknown;
  readonly response_body: unknown;
}

export interface RecordsPage {
  readonly records: readonly UsageRecord[];
  readonly next_cursor: string | null;
}
