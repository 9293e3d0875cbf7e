import type { Dispatcher } from 'undici';
import type { Logger } from 'winston';
import type {
  ChatChunk,
  ChatRequest,
  ChatResponse,
  CompletionsChunk,
  CompletionsRequest,
  CompletionsResponse,
  EmbeddingsRequest,
  EmbeddingsResponse,
} from './openai-types.js';
import type { JSONSchema } from './json-schema.js';
import type { NativeRouteDefinition } from './native-routes.js';

export const PROVIDER_API_VERSION = 1;

export interface Clock {
  now(): number;
}

/** What core owns and hands to every provider instance. */
export interface ProviderServices {
  /** The gateway's pooled keep-alive dispatcher: pass it to every upstream call. */
  readonly dispatcher: Dispatcher;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The provider name exactly as the config wrote it (an alias such as `azure`, or the id). */
  readonly providerName: string;
  /** The endpoint's name, for messages. */
  readonly endpoint: string;
  /** The endpoint's model name (`model.name`), or '' where the config gave none. */
  readonly model: string;
}

/** Passed with every call: cancellation and the time budget. */
export interface CallContext {
  readonly signal: AbortSignal;
  /** Total time allowed for the upstream call, in milliseconds. */
  readonly timeoutMs: number;
  /** The endpoint's time-to-first-byte limit (response headers), when it sets one. */
  readonly firstByteTimeoutMs?: number;
  /** The endpoint's limit on silence between body chunks, when it sets one. */
  readonly idleTimeoutMs?: number;
  readonly requestId: string;
  readonly log: Logger;
}

export type MaybePromise<T> = T | Promise<T>;

export interface ProviderInstance {
  /** Free-form facts about what the instance supports (tools, json mode, ...), shown in the endpoint listing. */
  readonly capabilities?: Readonly<Record<string, unknown>>;
  chat?(request: ChatRequest, call: CallContext): Promise<ChatResponse>;
  chatStream?(request: ChatRequest, call: CallContext): MaybePromise<AsyncIterable<ChatChunk>>;
  completions?(request: CompletionsRequest, call: CallContext): Promise<CompletionsResponse>;
  completionsStream?(request: CompletionsRequest, call: CallContext): MaybePromise<AsyncIterable<CompletionsChunk>>;
  embeddings?(request: EmbeddingsRequest, call: CallContext): Promise<EmbeddingsResponse>;
  /** Native passthrough routes served by this instance (see NativeRouteDefinition). */
  native?: Readonly<Record<string, NativeHandler>>;
  close?(): Promise<void>;
}

export type NativeHandler = (request: import('./native-routes.js').NativeRequest, call: CallContext) => Promise<import('./native-routes.js').NativeResponse>;

export interface ProviderDefinition<Options = Record<string, unknown>> {
  readonly id: string;
  readonly aliases?: readonly string[];
  readonly apiVersion: 1;
  /** JSON schema of `model.config` for this provider (validated with the rest of the config). */
  readonly optionsSchema?: JSONSchema;
  /** Option names holding credentials: resolved from `$ENV` or a key file, and redacted everywhere. */
  readonly secretOptions?: readonly string[];
  /** Routes in the provider's own protocol (passthrough), mounted by core. */
  readonly nativeRoutes?: readonly NativeRouteDefinition[];
  create(options: Options, services: ProviderServices): MaybePromise<ProviderInstance>;
}
