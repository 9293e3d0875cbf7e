// The read side's query parameters: one schema for the HTTP routes and the CLI, validated with
// ajv; a bad parameter is a 400 that names it.
import { createError } from '@gatehousejs/core';
import type { ValidateFunction } from 'ajv';
import { describeParamError, queryAjv } from './validation.js';

import { GROUP_BY, type GroupBy } from './groups.js';

export { GROUP_BY, TIME_BUCKET_MS, type GroupBy } from './groups.js';

/** Status filter: an exact code, a class ("4xx"), "ok" (< 400) or "error" (>= 400). */
export type StatusFilter = { readonly min: number; readonly max: number };

export interface Filters {
  readonly endpoint?: string;
  readonly provider?: string;
  readonly model?: string;
  readonly key?: string;
  readonly user?: string;
  readonly status?: StatusFilter;
  /** Epoch ms, inclusive. */
  readonly from?: number;
  /** Epoch ms, exclusive. */
  readonly to?: number;
}

export interface ListQuery extends Filters {
  readonly limit: number;
  readonly cursor?: Cursor;
}

export interface SummaryQuery extends Filters {
  readonly groupBy: GroupBy;
}

/** Position after the last record of a page: records are ordered by (ts, id), newest first. */
export interface Cursor {
  readonly ts: number;
  readonly id: string;
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

// epoch ms | a duration ago (15m, 24h, 7d) | an ISO 8601 date or date-time
const TIME = '^(\\d{1,15}|\\d{1,6}[smhdw]|\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})?)?)$';
const NAME = { type: 'string', minLength: 1, maxLength: 256 } as const;

const filterProperties = {
  endpoint: NAME,
  provider: NAME,
  model: NAME,
  key: NAME,
  user: NAME,
  status: { type: 'string', pattern: '^([1-5][0-9]{2}|[1-5]xx|ok|error)$' },
  from: { type: 'string', pattern: TIME },
  to: { type: 'string', pattern: TIME },
} as const;

// Compiled on first use: the read side is rarely called, and most gateways never call it.
const LIST_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...filterProperties,
    limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT },
    cursor: { type: 'string', maxLength: 512, pattern: '^[A-Za-z0-9_-]+$' },
  },
} as const;

const SUMMARY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: { ...filterProperties, group_by: { enum: [...GROUP_BY] } },
} as const;

let validateList: ValidateFunction | undefined;
let validateSummary: ValidateFunction | undefined;

type Raw = Readonly<Record<string, unknown>>;

function badParam(param: string, message: string) {
  return createError('GW_ERR_BAD_REQUEST', `Invalid query parameter "${param}": ${message}.`, { param });
}

function check(validate: ValidateFunction, raw: Raw): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...raw }; // coercion writes into the object
  if (!validate(copy)) {
    const { param, message } = describeParamError(validate.errors![0]!);
    throw badParam(param, message);
  }
  return copy;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Epoch ms from the forms the schema admits; `now` anchors durations ("24h" = 24 hours ago). */
export function parseTime(value: string, param: string, now: number = Date.now()): number {
  if (/^\d+$/.test(value)) return Number(value);
  const ago = /^(\d+)([smhdw])$/.exec(value);
  if (ago) return now - Number(ago[1]) * UNIT_MS[ago[2]!]!;
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) throw badParam(param, 'is not a valid date or time');
  return ms;
}

function parseStatus(value: string): StatusFilter {
  if (value === 'ok') return { min: 100, max: 399 };
  if (value === 'error') return { min: 400, max: 599 };
  if (value.endsWith('xx')) {
    const base = Number(value[0]) * 100;
    return { min: base, max: base + 99 };
  }
  return { min: Number(value), max: Number(value) };
}

function filters(q: Record<string, unknown>, now: number): Filters {
  const from = q.from === undefined ? undefined : parseTime(String(q.from), 'from', now);
  const to = q.to === undefined ? undefined : parseTime(String(q.to), 'to', now);
  if (from !== undefined && to !== undefined && from > to) throw badParam('from', 'is after "to"');
  return {
    endpoint: q.endpoint as string | undefined,
    provider: q.provider as string | undefined,
    model: q.model as string | undefined,
    key: q.key as string | undefined,
    user: q.user as string | undefined,
    status: q.status === undefined ? undefined : parseStatus(String(q.status)),
    from,
    to,
  };
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.ts, cursor.id])).toString('base64url');
}

function decodeCursor(value: string): Cursor {
  try {
    const [ts, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    if (Number.isSafeInteger(ts) && typeof id === 'string' && id.length <= 64) return { ts: ts as number, id };
  } catch {
    // fall through to the 400
  }
  throw badParam('cursor', 'is not a cursor this gateway issued');
}

export function parseListQuery(raw: Raw, now: number = Date.now()): ListQuery {
  const q = check((validateList ??= queryAjv.compile(LIST_SCHEMA)), raw);
  return {
    ...filters(q, now),
    limit: (q.limit as number | undefined) ?? DEFAULT_LIMIT,
    cursor: q.cursor === undefined ? undefined : decodeCursor(String(q.cursor)),
  };
}

export function parseSummaryQuery(raw: Raw, now: number = Date.now()): SummaryQuery {
  const q = check((validateSummary ??= queryAjv.compile(SUMMARY_SCHEMA)), raw);
  return { ...filters(q, now), groupBy: (q.group_by as GroupBy | undefined) ?? 'endpoint' };
}
