import type { JSONSchema } from '@gatehousejs/core';

/** Faults to inject: per endpoint (`faults` option) or per request (the body field `mock`). */
export interface Fault {
  /** Answer like an upstream that returned this HTTP status (4xx kept, 429 with Retry-After, 5xx -> 502). */
  status?: number;
  message?: string;
  /** Seconds for Retry-After with status 429. */
  retry_after?: number;
  /** Wait this long before answering (the call's timeout and abort still apply). */
  delay_ms?: number;
  /** Streams: after this many chunks, stall for stall_ms. */
  stall_after_chunks?: number;
  stall_ms?: number;
  /** Streams: fail with a 502 after this many chunks. */
  fail_after_chunks?: number;
  /** Answer something that is not a valid provider answer (-> 502). */
  malformed?: boolean;
}

export interface MockOptions {
  /** Fixed answer text; by default the answer echoes the prompt deterministically. */
  response?: string;
  /** Words per streamed chunk. */
  chunk_size?: number;
  chunk_delay_ms?: number;
  /** Delay before the answer (or the first chunk). */
  latency_ms?: number;
  embedding_dimensions?: number;
  faults?: Fault;
}

const faultSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'integer', minimum: 400, maximum: 599 },
    message: { type: 'string' },
    retry_after: { type: 'integer', minimum: 0 },
    delay_ms: { type: 'integer', minimum: 0 },
    stall_after_chunks: { type: 'integer', minimum: 0 },
    stall_ms: { type: 'integer', minimum: 0 },
    fail_after_chunks: { type: 'integer', minimum: 0 },
    malformed: { type: 'boolean' },
  },
};

export const optionsSchema: JSONSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    response: { type: 'string' },
    chunk_size: { type: 'integer', minimum: 1, default: 1 },
    chunk_delay_ms: { type: 'integer', minimum: 0 },
    latency_ms: { type: 'integer', minimum: 0 },
    embedding_dimensions: { type: 'integer', minimum: 1, maximum: 8192 },
    faults: faultSchema,
  },
};

export const requestFaultSchema = faultSchema;
