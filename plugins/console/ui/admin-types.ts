// What the management, keys and secrets APIs answer, as the console reads them. The gateway's
// code is the authority (plugins/management, plugins/keys); these list only the fields shown.

export type EndpointType = 'llm/v1/chat' | 'llm/v1/completions' | 'llm/v1/embeddings';
export const ENDPOINT_TYPES: readonly EndpointType[] = ['llm/v1/chat', 'llm/v1/completions', 'llm/v1/embeddings'];
export const RENEWAL_PERIODS = ['second', 'minute', 'hour', 'day', 'month', 'year'] as const;
export type RenewalPeriod = (typeof RENEWAL_PERIODS)[number];

/** Entries from the config file are listed too, and cannot be changed through the API. */
export type Source = 'file' | 'api';

export interface Limit {
  readonly renewal_period: RenewalPeriod;
  readonly calls: number;
  readonly key?: string;
}

export interface EndpointEntry {
  readonly name: string;
  readonly endpoint_type: EndpointType;
  readonly model: { readonly provider: string; readonly name?: string; readonly config?: Record<string, unknown> };
  readonly limit?: Limit;
  readonly fallbacks?: readonly string[];
  readonly source: Source;
  /** retry, timeouts, circuit_breaker, plugin extensions: kept as they are when the form saves. */
  readonly [other: string]: unknown;
}

export interface Destination {
  readonly name: string;
  readonly traffic_percentage: number;
}

export interface RouteEntry {
  readonly name: string;
  readonly task_type: EndpointType;
  readonly destinations: readonly Destination[];
  readonly fallbacks?: readonly string[];
  readonly source: Source;
  readonly [other: string]: unknown;
}

export interface KeyView {
  readonly id: string;
  readonly name: string;
  readonly owner: string | null;
  readonly endpoints: readonly string[] | null;
  readonly expires_at: string | null;
  readonly created_at: string | null;
  readonly revoked_at: string | null;
  readonly status: 'active' | 'revoked' | 'expired';
  readonly source: 'store' | 'config';
}

/** A stored secret: metadata and a mask; the API never returns a value. */
export interface SecretView {
  readonly name: string;
  readonly mask: string;
  readonly key_fingerprint: string;
  readonly created_at: string;
  readonly updated_at: string;
}

/** The fields the API adds to an entry; never sent back. */
export const SERVER_FIELDS = ['source', 'created_at', 'updated_at'] as const;

/** An entry as it is sent back on PUT: what the server added taken off. */
export function editable<T extends Record<string, unknown>>(entry: T): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...entry };
  for (const field of SERVER_FIELDS) delete copy[field];
  return copy;
}
