// @gatehousejs/provider-gemini: chat, completions and embeddings through Google's Gemini API
// (Generative Language API, v1beta):
//   chat, completions  POST {gemini_api_base}/models/{model}:generateContent
//   streams            POST {gemini_api_base}/models/{model}:streamGenerateContent?alt=sse
//   embeddings         POST {gemini_api_base}/models/{model}:embedContent (one input)
//                      POST {gemini_api_base}/models/{model}:batchEmbedContents (several)
// The key goes in the `x-goog-api-key` header, never in a `?key=` query (URLs end up in logs).
// Gemini's own generateContent / streamGenerateContent are also served as they are (native-routes.ts).
// Reference: https://ai.google.dev/api
import {
  createError,
  defineProvider,
  generateId,
  isGatewayError,
  requestJson,
  requestSSE,
  unixSeconds,
  type CallContext,
  type ChatChunk,
  type ChatRequest,
  type ChatResponse,
  type CompletionsChunk,
  type CompletionsRequest,
  type CompletionsResponse,
  type EmbeddingsRequest,
  type EmbeddingsResponse,
  type JSONSchema,
  type ProviderInstance,
  type ProviderServices,
} from '@gatehousejs/core';
import { toEmbeddingsResponse } from './embeddings.js';
import { nativeHandlers } from './native.js';
import { nativeRoutes } from './native-routes.js';
import { buildChatBody, buildCompletionsBody, buildEmbedRequests, type RequestContext } from './request.js';
import { PROVIDER_LABEL, toChatResponse, toCompletionsResponse } from './response.js';
import { readGenerateStream, startStream, toChatChunks, toCompletionsChunks, type StreamMeta } from './stream.js';

export const DEFAULT_API_BASE = 'https://generativelanguage.googleapis.com/v1beta';

/** The endpoint's `model.config` (MLflow's option name for the key). A type alias, so it is a plain record. */
export type GeminiOptions = {
  gemini_api_key: string;
  gemini_api_base?: string;
};

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  properties: {
    gemini_api_key: { type: 'string', minLength: 1, description: 'Gemini API key (sent as the x-goog-api-key header).' },
    gemini_api_base: {
      type: 'string',
      pattern: '^https?://',
      default: DEFAULT_API_BASE,
      description: 'Base URL of the API, version included; /models/{model}:generateContent and the others are appended.',
    },
  },
  required: ['gemini_api_key'],
  additionalProperties: false,
});

/**
 * The model's resource name: `gemini-2.0-flash` → `models/gemini-2.0-flash`; a name already
 * given as `models/…` or `tunedModels/…` is kept. The id is URL-encoded as one path segment.
 */
export function modelResource(model: string, encode = true): string {
  const match = /^(models|tunedModels)\/(.+)$/.exec(model);
  const [collection, id] = match ? [match[1]!, match[2]!] : ['models', model];
  return `${collection}/${encode ? encodeURIComponent(id) : id}`;
}

export interface GeminiUrls {
  readonly generate: string;
  readonly stream: string;
  readonly embed: string;
  readonly batchEmbed: string;
}

export function geminiUrls(base: string, model: string): GeminiUrls {
  const root = `${base.replace(/\/+$/, '')}/${modelResource(model)}`;
  return Object.freeze({
    generate: `${root}:generateContent`,
    stream: `${root}:streamGenerateContent?alt=sse`,
    embed: `${root}:embedContent`,
    batchEmbed: `${root}:batchEmbedContents`,
  });
}

/** Google's RetryInfo detail ("retryDelay": "27s") as seconds, for a 429 without Retry-After. */
function retryDelaySeconds(body: unknown): number | undefined {
  const details = (body as { error?: { details?: unknown } } | null)?.error?.details;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    const delay = (detail as { retryDelay?: unknown } | null)?.retryDelay;
    const match = typeof delay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null;
    if (match) return Math.ceil(Number(match[1]));
  }
  return undefined;
}

function withRetryDelay(error: unknown): unknown {
  if (!isGatewayError(error) || error.code !== 'GW_ERR_RATE_LIMITED' || error.retryAfter !== undefined) return error;
  const retryAfter = retryDelaySeconds(error.upstreamBody);
  if (retryAfter === undefined) return error;
  return createError('GW_ERR_RATE_LIMITED', error.message, { retryAfter, upstreamBody: error.upstreamBody, cause: error.cause });
}

function create(options: GeminiOptions, services: ProviderServices): ProviderInstance {
  const key = options.gemini_api_key;
  if (typeof key !== 'string' || key === '') {
    throw createError('GW_ERR_CONFIG_INVALID', 'The gemini provider needs model.config.gemini_api_key.');
  }
  const model = services.model;
  if (typeof model !== 'string' || model === '') {
    throw createError('GW_ERR_CONFIG_INVALID', `Endpoint "${services.endpoint}": the gemini provider needs model.name (the Gemini model, e.g. gemini-2.0-flash).`);
  }
  const base = options.gemini_api_base ?? DEFAULT_API_BASE;
  const urls = geminiUrls(base, model);
  // The embed requests' `model` field names the model as written (not URL-encoded).
  const resource = modelResource(model, false);
  const headers: Readonly<Record<string, string>> = Object.freeze({ 'x-goog-api-key': key, 'content-type': 'application/json' });
  const ctx: RequestContext = Object.freeze({ providerName: services.providerName });
  const { dispatcher, clock } = services;

  async function post(url: string, body: unknown, call: CallContext): Promise<unknown> {
    try {
      return await requestJson(dispatcher, { provider: PROVIDER_LABEL, url, method: 'POST', headers, body }, call);
    } catch (error) {
      throw withRetryDelay(error);
    }
  }

  async function openStream(body: unknown, idPrefix: string, call: CallContext) {
    let events;
    try {
      events = await requestSSE(dispatcher, { provider: PROVIDER_LABEL, url: urls.stream, method: 'POST', headers, body }, call);
    } catch (error) {
      throw withRetryDelay(error);
    }
    const meta: StreamMeta = { id: generateId(idPrefix), model, created: unixSeconds(clock.now()) };
    return { parts: readGenerateStream(events, meta), meta };
  }

  return {
    capabilities: Object.freeze({ tools: true, parallelToolCalls: true, vision: true, jsonMode: true, jsonSchema: true, streaming: true }),

    async chat(request: ChatRequest, call: CallContext): Promise<ChatResponse> {
      const answer = await post(urls.generate, buildChatBody(request, ctx), call);
      return toChatResponse(answer, { created: unixSeconds(clock.now()), model });
    },

    async chatStream(request: ChatRequest, call: CallContext): Promise<AsyncIterable<ChatChunk>> {
      const { parts, meta } = await openStream(buildChatBody(request, ctx), 'chatcmpl', call);
      return startStream(toChatChunks(parts, meta, request.stream_options?.include_usage === true));
    },

    async completions(request: CompletionsRequest, call: CallContext): Promise<CompletionsResponse> {
      const answer = await post(urls.generate, buildCompletionsBody(request, ctx), call);
      return toCompletionsResponse(answer, { created: unixSeconds(clock.now()), model });
    },

    async completionsStream(request: CompletionsRequest, call: CallContext): Promise<AsyncIterable<CompletionsChunk>> {
      const { parts, meta } = await openStream(buildCompletionsBody(request, ctx), 'cmpl', call);
      return startStream(toCompletionsChunks(parts, meta, request.stream_options?.include_usage === true));
    },

    async embeddings(request: EmbeddingsRequest, call: CallContext): Promise<EmbeddingsResponse> {
      const { texts, requests } = buildEmbedRequests(request, resource, ctx);
      const answer = texts.length === 1 ? await post(urls.embed, requests[0], call) : await post(urls.batchEmbed, { requests }, call);
      return toEmbeddingsResponse(answer, texts, model);
    },

    native: nativeHandlers({ dispatcher, headers, urls: (name) => geminiUrls(base, name) }),
  };
}

export default defineProvider<GeminiOptions>({
  id: 'gemini',
  apiVersion: 1,
  optionsSchema,
  secretOptions: ['gemini_api_key'],
  nativeRoutes,
  create,
});
