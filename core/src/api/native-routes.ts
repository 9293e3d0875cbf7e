// Native passthrough routes: a provider's own protocol (e.g. Anthropic's /v1/messages) served
// through the gateway. Declared by the provider package; core mounts every declared route under
// /gateway without naming the provider, resolves the endpoint, runs auth and rate limits, and
// hands the request to the target instance's native handler (or to the route's translation
// when the endpoint is served by another provider).
import type { ChatChunk, ChatRequest, ChatResponse, EndpointType, Usage } from './openai-types.js';
import type { ErrorCode } from '../errors.js';

/** Where a protocol's clients put their API key (so auth plugins can read it and core can strip it). */
export type NativeCredential =
  | { readonly header: string; readonly scheme?: 'Bearer' }
  | { readonly query: string };

/** What a native route's error writer gets: never a secret, never a stack. */
export interface NativeError {
  readonly status: number;
  readonly code: ErrorCode;
  /** OpenAI-style type of the gateway error (`invalid_request_error`, `rate_limit_error`, ...). */
  readonly type: string;
  readonly message: string;
  /** The request field at fault, when there is one (OpenAI's `error.param`). */
  readonly param?: string;
}

/**
 * Serve the route for endpoints of any provider: the native request becomes a canonical chat
 * request, goes through the normal pipeline, and the answer is written back in the protocol.
 */
export interface NativeTranslation {
  /** Native body → canonical request (model is replaced by core with the target's model). Throw a coded GW_ERR_BAD_REQUEST for bad input. */
  toCanonical(body: unknown): ChatRequest;
  /** Canonical answer → native body. `requested` is the name the client sent. */
  fromCanonical(response: ChatResponse, requested: string): unknown;
  /** Canonical chunks → native SSE text frames, written as they come (usage chunk included). */
  streamFromCanonical(chunks: AsyncIterable<ChatChunk>, requested: string): AsyncIterable<string>;
}

export interface NativeRouteDefinition {
  /** HTTP method. */
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /**
   * Path in express 5 syntax, mounted under /gateway: '/anthropic/v1/messages' is served at
   * /gateway/anthropic/v1/messages.
   */
  readonly path: string;
  /** Name of the ProviderInstance.native handler that serves it. */
  readonly handler: string;
  /** The endpoint type this route serves (the resolved endpoint must have it). */
  readonly endpointType: EndpointType;
  /** Where the endpoint name is read from: the body field `model` by default. */
  readonly endpointFrom?: { readonly body: string } | { readonly param: string };
  /** Whether the call streams: a boolean body field (default `stream`), or always / never. */
  readonly streamFrom?: { readonly body: string } | { readonly always: boolean };
  /** How this protocol's clients send their key. Core never forwards these to the provider. */
  readonly credentials?: readonly NativeCredential[];
  /** The protocol's error body (default: OpenAI's shape). */
  readonly errorBody?: (error: NativeError) => unknown;
  /** The protocol's in-stream error frame, SSE text (default: an OpenAI-style `data:` error event). */
  readonly streamError?: (error: NativeError) => string;
  /** Set to serve endpoints of other providers by translation (see NativeTranslation). */
  readonly translate?: NativeTranslation;
}

export interface NativeRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  /** Query parameters, credential parameters removed. */
  readonly query: Readonly<Record<string, string | string[]>>;
  /** Lower-cased headers, credential headers, cookies and hop-by-hop headers removed. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body, the endpoint name already replaced with `model` where it came from the body. */
  readonly body: unknown;
  /** The target's provider model: what the upstream must be asked for. */
  readonly model: string;
  /** Whether the client asked for a stream. */
  readonly stream: boolean;
}

export interface NativeResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON value. */
  readonly body?: unknown;
  /** Or a byte/text stream (SSE frames) forwarded as it arrives. */
  readonly stream?: AsyncIterable<Uint8Array | string>;
  /**
   * Token usage of the answer, read by core after the body is sent or the stream has ended
   * (a handler tallies it from the frames it forwards). Recorded like any other request's.
   */
  usage?(): Usage | undefined;
}
