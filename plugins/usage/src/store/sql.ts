// SQL shared by both stores: the table, its migrations, filters and summary groupings. The
// DDL uses type names both engines accept (SQLite maps them to its affinities).
import type { UsageRecord } from '../record.js';
import { TIME_BUCKET_MS, type GroupBy } from '../groups.js';
import type { Cursor, Filters } from '../query.js';

export const COMPONENT = 'usage';

/** Record fields in column order; `key`/`user` are stored as key_id/user_id (reserved words). */
export const COLUMNS = [
  'record_id', 'request_id', 'ts', 'surface', 'route', 'endpoint', 'endpoint_type', 'provider', 'model',
  'key_id', 'user_id', 'tags', 'stream', 'status', 'error_type', 'error_code', 'latency_ms', 'upstream_ms',
  'overhead_ms', 'ttft_ms', 'prompt_tokens', 'completion_tokens', 'total_tokens', 'cached_tokens',
  'tokens_estimated', 'cost_nusd', 'request_body', 'response_body',
] as const;

/** Migrations by version; `t` is the (qualified) table-name prefix. Append, never edit. */
export function migrations(t: string): readonly (readonly string[])[] {
  return [
    [
      `CREATE TABLE ${t}usage_records (
        record_id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL,
        ts BIGINT NOT NULL,
        surface TEXT NOT NULL,
        route TEXT,
        endpoint TEXT,
        endpoint_type TEXT,
        provider TEXT,
        model TEXT,
        key_id TEXT,
        user_id TEXT,
        tags TEXT,
        stream BOOLEAN NOT NULL,
        status INTEGER NOT NULL,
        error_type TEXT,
        error_code TEXT,
        latency_ms DOUBLE PRECISION NOT NULL,
        upstream_ms DOUBLE PRECISION,
        overhead_ms DOUBLE PRECISION,
        ttft_ms DOUBLE PRECISION,
        prompt_tokens INTEGER,
        completion_tokens INTEGER,
        total_tokens INTEGER,
        cached_tokens INTEGER,
        tokens_estimated BOOLEAN NOT NULL,
        cost_nusd BIGINT,
        request_body TEXT,
        response_body TEXT
      )`,
      `CREATE INDEX usage_records_ts ON ${t}usage_records (ts, record_id)`,
      `CREATE INDEX usage_records_endpoint_ts ON ${t}usage_records (endpoint, ts)`,
      `CREATE INDEX usage_records_key_ts ON ${t}usage_records (key_id, ts)`,
    ],
  ];
}

/** Shared by every component that keeps tables: one row per component. */
export function schemaVersionTable(t: string): string {
  return `CREATE TABLE IF NOT EXISTS ${t}schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL, applied_at BIGINT NOT NULL)`;
}

/** The version check every migration runs before applying steps. */
export function checkVersion(component: string, current: number, known: number): void {
  if (current > known) {
    throw new Error(`the ${component} schema is at version ${current}, newer than this gateway knows (${known}): upgrade the gateway`);
  }
}

/** `?` placeholders as PostgreSQL's `$1, $2, ...`; a `?` inside a quoted literal or identifier stays. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  let quote: string | undefined;
  let out = '';
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '?') {
      out += `$${++n}`;
      continue;
    }
    out += ch;
  }
  return out;
}

/** Values in COLUMNS order. `bool` turns booleans into what the driver binds (SQLite: 0/1). */
export function recordValues(r: UsageRecord, bool: (b: boolean) => unknown): unknown[] {
  return [
    r.id, r.request_id, r.ts, r.surface, r.route, r.endpoint, r.endpoint_type, r.provider, r.model,
    r.key, r.user, r.tags === null ? null : JSON.stringify(r.tags), bool(r.stream), r.status, r.error_type, r.error_code,
    r.latency_ms, r.upstream_ms, r.overhead_ms, r.ttft_ms, r.prompt_tokens, r.completion_tokens, r.total_tokens,
    r.cached_tokens, bool(r.tokens_estimated), r.cost_nusd, r.request_body, r.response_body,
  ];
}

/** A record as a SQLite row: better-sqlite3 binds no booleans. */
export const sqliteRow = (r: UsageRecord): unknown[] => recordValues(r, (b) => (b ? 1 : 0));

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** A row from either driver (PostgreSQL returns BIGINT as text, SQLite booleans as 0/1). */
export function rowToRecord(row: Record<string, unknown>): UsageRecord {
  return {
    id: String(row.record_id),
    request_id: String(row.request_id),
    ts: Number(row.ts),
    surface: String(row.surface),
    route: str(row.route),
    endpoint: str(row.endpoint),
    endpoint_type: str(row.endpoint_type),
    provider: str(row.provider),
    model: str(row.model),
    key: str(row.key_id),
    user: str(row.user_id),
    tags: row.tags === null || row.tags === undefined ? null : (JSON.parse(String(row.tags)) as string[]),
    stream: Boolean(row.stream),
    status: Number(row.status),
    error_type: str(row.error_type),
    error_code: str(row.error_code),
    latency_ms: Number(row.latency_ms),
    upstream_ms: num(row.upstream_ms),
    overhead_ms: num(row.overhead_ms),
    ttft_ms: num(row.ttft_ms),
    prompt_tokens: num(row.prompt_tokens),
    completion_tokens: num(row.completion_tokens),
    total_tokens: num(row.total_tokens),
    cached_tokens: num(row.cached_tokens),
    tokens_estimated: Boolean(row.tokens_estimated),
    cost_nusd: num(row.cost_nusd),
    request_body: str(row.request_body),
    response_body: str(row.response_body),
  };
}

/**
 * Builds a WHERE clause; `param` adds a value and returns its placeholder (? or $n). `id` is how
 * the record id compares: bytewise on both engines (PostgreSQL needs COLLATE "C" for that).
 */
export function whereClause(f: Filters, param: (value: unknown) => string, cursor?: Cursor, id = 'record_id'): string {
  const parts: string[] = [];
  const eq = (column: string, value: string | undefined) => {
    if (value !== undefined) parts.push(`${column} = ${param(value)}`);
  };
  eq('endpoint', f.endpoint);
  eq('provider', f.provider);
  eq('model', f.model);
  eq('key_id', f.key);
  eq('user_id', f.user);
  if (f.status) parts.push(`status BETWEEN ${param(f.status.min)} AND ${param(f.status.max)}`);
  if (f.from !== undefined) parts.push(`ts >= ${param(f.from)}`);
  if (f.to !== undefined) parts.push(`ts < ${param(f.to)}`);
  if (cursor) parts.push(`(ts < ${param(cursor.ts)} OR (ts = ${param(cursor.ts)} AND ${id} < ${param(cursor.id)}))`);
  return parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`;
}

/** The grouping expression. Time buckets are UTC, by integer division of epoch ms (same on both engines). */
export function groupExpression(groupBy: GroupBy): string {
  const bucket = TIME_BUCKET_MS[groupBy];
  if (bucket !== undefined) return `((ts / ${bucket}) * ${bucket})`;
  if (groupBy === 'none') return 'NULL';
  if (groupBy === 'key') return 'key_id';
  if (groupBy === 'user') return 'user_id';
  return groupBy;
}
