// @gatehousejs/core: the public API for provider and plugin packages and for embedding.
export * from './api/openai-types.js';
export type * from './api/context.js';
export type * from './api/provider.js';
export type * from './api/plugin.js';
export type * from './api/native-routes.js';
export { endStreamWith } from './native/errors.js';
export type * from './api/counters.js';
export type { JSONSchema } from './api/json-schema.js';
export type * from './config/types.js';
export { PROVIDER_API_VERSION } from './api/provider.js';
export { PLUGIN_API_VERSION } from './api/plugin.js';
export { defineProvider, definePlugin, isProviderDefinition, isPluginDefinition, PROVIDER_BRAND, PLUGIN_BRAND } from './define.js';
export { STAGE, HOOK_NAMES, createHooks, type Hooks, type HookName, type RateLimitDenial, type ProviderReply, type LifecycleContext, type TapOptions } from './hooks.js';
export {
  GatewayError,
  createError,
  isGatewayError,
  toGatewayError,
  toOpenAIErrorBody,
  wireCode,
  ERROR_CODES,
  type ErrorCode,
  type OpenAIErrorBody,
} from './errors.js';
export { defineParamMap, translateParams, type ParamRule, type ParamMap } from './params.js';
export { readSSE, sseFrame, SSE_DONE, type SSEEvent } from './sse.js';
export { toChatChunks, toCompletionsChunks, type StreamPart, type StreamMeta } from './streaming/chunks.js';
export { mapChunks, SKIP, END, type ChunkMapper } from './streaming/map-chunks.js';
export {
  sendUpstream,
  requestJson,
  parseJsonVerbatim,
  parseEmbeddingsJsonVerbatim,
  requestSSE,
  statusError,
  transportError,
  throwIfCancelled,
  guardStream,
  parseEventJson,
  upstreamErrorMessage,
  type UpstreamRequest,
  type UpstreamResponse,
} from './upstream/http.js';
export { lazyBase64Vector, parseEmbeddingsJson, stringifyJson } from './lazy-vectors.js';
export { keepVerbatim, verbatimBytes, dropVerbatim } from './verbatim.js';
export * from './util/ids.js';
export { assignOwn, copyOwn, setOwn } from './util/copy.js';
export { backoffDelayMs, type BackoffPolicy } from './util/backoff.js';
export { IdTable } from './util/id-table.js';
export { estimateTokens, estimateRequestTokens } from './tokens/estimate.js';
export { MemoryCounters } from './cluster/memory-counters.js';
export { hostCounters } from './cluster/ipc-counters.js';
export { counterWindow, windowedId, type CounterWindow } from './cluster/windows.js';
export { Gateway, type GatewayOptions, type ServerSettings } from './gateway.js';
export { startGateway, listen, VERSION, DEFAULT_HOST, DEFAULT_PORT, type RunningServer, type ListenOptions } from './server.js';
export { Redactor } from './redact.js';
export { formatAjvErrors } from './validation/ajv.js';
export { createLogger } from './logger.js';
export { floatsToBase64 } from './embeddings-encoding.js';
