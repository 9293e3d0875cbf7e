// One interface for every usage store (SQLite, PostgreSQL): the writer, the HTTP routes and
// the CLI see only this.
import type { UsageRecord } from '../record.js';
import type { Cursor, ListQuery, SummaryQuery } from '../query.js';

export type { SqlStore, SqlValue } from '@gatehousejs/core';

export interface RecordPage {
  readonly records: UsageRecord[];
  /** Where the next page starts; null on the last page. */
  readonly next: Cursor | null;
}

/** One summary row, before the shared finishing step (summary.ts). */
export interface RawGroup {
  readonly key: string | number | null;
  readonly requests: number;
  readonly errors: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
  readonly cost_nusd: number;
  /** Records that had a price (the others count no cost). */
  readonly priced: number;
}

export interface SummaryGroup {
  /** The endpoint, model, ... name (null: none, e.g. unknown endpoints), or the bucket's start (ISO). */
  readonly group: string | null;
  readonly requests: number;
  readonly errors: number;
  readonly error_rate: number;
  readonly latency_ms: { readonly p50: number; readonly p90: number; readonly p99: number };
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
  readonly cost_usd: number;
  readonly priced_requests: number;
}

export interface UsageStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Where it is, for logs: a file path or host/database, never a password. */
  readonly location: string;
  /** Connect and create or migrate the schema. Safe to call again after a failure. */
  open(): Promise<void>;
  /** Insert a batch in one transaction; records already stored (same id) are skipped. */
  insert(records: readonly UsageRecord[]): Promise<void>;
  list(query: ListQuery): Promise<RecordPage>;
  summary(query: SummaryQuery): Promise<SummaryGroup[]>;
  close(): Promise<void>;
}

