import type { Logger } from 'winston';
import type { EndpointType, RequestBody, ResponseBody, Usage } from './openai-types.js';
import type { GatewayError } from '../errors.js';
import type { EndpointConfig } from '../config/types.js';

/** Which surface a request came in on; it decides the reply's wire format. */
export type Surface = 'openai' | 'mlflow' | 'native' | 'internal';

/** The endpoint a request resolved to, before `authenticate` runs. */
export interface Target {
  /** The endpoint's name (a traffic split's pick, not the route's name). */
  readonly endpoint: string;
  readonly endpointType: EndpointType;
  /** Provider id as resolved (aliases resolved to the id). */
  readonly provider: string;
  /** The provider's model name. */
  readonly model: string;
  readonly config: EndpointConfig;
}

export interface Principal {
  /** Stable identifier of the caller (a key id, a user), never the credential itself. */
  readonly id: string;
  readonly name?: string;
  /** The endpoint and route names this caller may call; absent or null: all. Listings show only these. */
  readonly endpoints?: readonly string[] | null;
  readonly [key: string]: unknown;
}

export interface RequestTimings {
  /** performance.now() when the request arrived. */
  readonly start: number;
  upstreamStart?: number;
  /** First byte (non-stream: the whole answer) from upstream. */
  upstreamFirstByte?: number;
  upstreamEnd?: number;
  /** First content chunk sent to the client (streams). */
  firstChunk?: number;
  end?: number;
  /** Milliseconds spent in each plugin's taps, by plugin id. */
  readonly plugins: Record<string, number>;
}

/**
 * The per-request context every hook receives. Public API: it only ever grows by fields.
 * It never holds express's req/res.
 */
export interface RequestContext {
  readonly id: string;
  readonly surface: Surface;
  /** The name the caller asked for (endpoint or route); '' on the listings, which name none. */
  readonly requested: string;
  target: Target;
  /** Incoming headers, lower-cased. Credentials here must never be logged or forwarded. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * The API key the caller presented, read from where its surface's clients send one
   * (`Authorization: Bearer` or `x-api-key`; a native route's declared header or query
   * parameter). For authentication plugins only: never log, record or forward it.
   */
  readonly credential: string | undefined;
  /** The request body in canonical (OpenAI) form; transformRequest may replace it. */
  request: RequestBody;
  readonly stream: boolean;
  principal?: Principal;
  usage?: Usage;
  response?: ResponseBody;
  status?: number;
  error?: GatewayError;
  readonly timings: RequestTimings;
  /** Extra headers for the reply (Server-Timing, rate-limit headers, ...). */
  readonly responseHeaders: Record<string, string>;
  /** Aborted when the client disconnects, on timeout, or on shutdown. */
  readonly signal: AbortSignal;
  /** A child logger carrying the request id. */
  readonly log: Logger;
  /** Per-request scratch space for plugins, keyed by plugin id. */
  readonly state: Map<string, unknown>;
}
