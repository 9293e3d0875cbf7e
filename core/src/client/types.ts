// What the client sends and gets back. The bodies are the gateway's own canonical shapes
// (imported as types only, so nothing server-side reaches a bundle); MLflow's listing and its
// streamed completions chunk are described here because only the client reads them.
import type {
  ChatChunk,
  ChatRequest,
  ChatResponse,
  CompletionsRequest,
  CompletionsResponse,
  EmbeddingsRequest,
  EmbeddingsResponse,
  EndpointType,
  FinishReason,
  Usage,
} from '../api/openai-types.js';

export type {
  ChatChunk,
  ChatMessage,
  ChatRequest,
  ChatResponse,
  CompletionsRequest,
  CompletionsResponse,
  EmbeddingsRequest,
  EmbeddingsResponse,
  EndpointType,
  FinishReason,
  Usage,
} from '../api/openai-types.js';

/** A fetch function: the global one by default, or your own (a proxy agent, instrumentation, tests). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ClientOptions {
  /** Sent as `Authorization: Bearer <apiKey>` when the gateway has authentication on. */
  readonly apiKey?: string;
  /** Per attempt: until the answer has arrived; on a stream, the longest silence between two chunks. Default 600 000 (10 minutes, as the OpenAI SDK). */
  readonly timeoutMs?: number;
  /** Retries after the first attempt (429, 502, 503, 504, timeouts, connection failures). Default 2. */
  readonly maxRetries?: number;
  /** The first backoff; doubles each retry (with jitter), up to 8 s. Default 500. */
  readonly retryDelayMs?: number;
  /** Retry-After is honoured up to this; a longer one is not waited for, the error is thrown. Default 30 000. */
  readonly maxRetryAfterMs?: number;
  /** Extra headers on every request. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly fetch?: FetchLike;
}

/** Per call: cancellation, and overrides of the client's settings. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly maxRetries?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ListOptions extends CallOptions {
  /** Endpoints per page requested from the gateway (MLflow's `max_results`). */
  readonly pageSize?: number;
}

/** One endpoint as `GET /api/2.0/endpoints/` lists it (provider options are never included). */
export interface Endpoint {
  name: string;
  endpoint_type: EndpointType;
  model: { name: string | null; provider: string };
  endpoint_url: string;
  limit: { renewal_period: string; calls: number; key?: string } | null;
}

export interface EndpointPage {
  endpoints: Endpoint[];
  next_page_token?: string;
}

/** MLflow's streamed completions chunk: `text_completion_chunk` with a `delta`. */
export interface CompletionsStreamChunk {
  id: string;
  object: 'text_completion_chunk';
  created: number;
  model: string;
  choices: { index: number; finish_reason: FinishReason; delta: { role: null; content: string | null } }[];
  usage?: Usage;
}

/** MLflow's `inputs`: the body of the endpoint's type; `stream` is set by the method called. */
export type PredictInputs = ChatRequest | CompletionsRequest | EmbeddingsRequest;
export type PredictResponse = ChatResponse | CompletionsResponse | EmbeddingsResponse;
export type PredictStreamChunk = ChatChunk | CompletionsStreamChunk;
