// @gatehousejs/provider-cohere: Cohere's API v2.
// - chat: POST {cohere_api_base}/v2/chat (stream: true for server-sent events)
// - completions: served through /v2/chat, the prompt sent as one user message
// - embeddings: POST {cohere_api_base}/v2/embed (float vectors)
// References: https://docs.cohere.com/reference/chat, https://docs.cohere.com/reference/chat-stream,
// https://docs.cohere.com/reference/embed, https://docs.cohere.com/reference/errors
import {
  createError,
  defineProvider,
  generateId,
  requestJson,
  requestSSE,
  toChatChunks,
  toCompletionsChunks,
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
  type StreamMeta,
} from '@gatehousejs/core';
import { buildChatBody, buildCompletionsBody, buildEmbedBody, choiceCount, type RequestContext } from './request.js';
import { PROVIDER_LABEL, mergeChoices, toChatResponse, toCompletionsResponse, toEmbeddingsResponse } from './response.js';
import { readChatStream } from './stream.js';

export const DEFAULT_API_BASE = 'https://api.cohere.com';
export const DEFAULT_EMBEDDING_INPUT_TYPE = 'search_document';
export const EMBEDDING_INPUT_TYPES = Object.freeze(['search_document', 'search_query', 'classification', 'clustering', 'image'] as const);

/** The endpoint's `model.config` (MLflow's option names). A type alias, so it is a plain record. */
export type CohereOptions = {
  cohere_api_key: string;
  cohere_api_base?: string;
  embedding_input_type?: (typeof EMBEDDING_INPUT_TYPES)[number];
};

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  properties: {
    cohere_api_key: { type: 'string', minLength: 1, description: 'Cohere API key (sent as Authorization: Bearer).' },
    cohere_api_base: {
      type: 'string',
      pattern: '^https?://',
      default: DEFAULT_API_BASE,
      description: 'Base URL of the API; /v2/chat and /v2/embed are appended (a trailing /v1 or /v2 is accepted).',
    },
    embedding_input_type: {
      type: 'string',
      enum: [...EMBEDDING_INPUT_TYPES],
      default: DEFAULT_EMBEDDING_INPUT_TYPE,
      description: 'input_type sent to /v2/embed when a request gives none.',
    },
  },
  required: ['cohere_api_key'],
  additionalProperties: false,
});

/** `{base}/v2/{path}`; a base that already ends in /v1 or /v2 (MLflow's older configs) is accepted. */
export function apiUrl(base: string, path: 'chat' | 'embed'): string {
  const trimmed = base.replace(/\/+$/, '').replace(/\/v[12]$/, '');
  return `${trimmed}/v2/${path}`;
}

/**
 * Run `one` n times in parallel (OpenAI's n, which Cohere lacks). The first failure cancels the
 * other calls and is the answer.
 */
async function fanOut<T>(n: number, call: CallContext, one: (call: CallContext) => Promise<T>): Promise<T[]> {
  if (n === 1) return [await one(call)];
  const controller = new AbortController();
  const sub: CallContext = { ...call, signal: AbortSignal.any([call.signal, controller.signal]) };
  return Promise.all(
    Array.from({ length: n }, () =>
      one(sub).catch((error: unknown) => {
        controller.abort(error);
        throw error;
      }),
    ),
  );
}

function create(options: CohereOptions, services: ProviderServices): ProviderInstance {
  const key = options.cohere_api_key;
  if (typeof key !== 'string' || key === '') {
    throw createError('GW_ERR_CONFIG_INVALID', 'The cohere provider needs model.config.cohere_api_key.');
  }
  const base = options.cohere_api_base ?? DEFAULT_API_BASE;
  const chatUrl = apiUrl(base, 'chat');
  const embedUrl = apiUrl(base, 'embed');
  const headers: Readonly<Record<string, string>> = Object.freeze({
    authorization: `Bearer ${key}`,
    'content-type': 'application/json',
    accept: 'application/json',
  });
  const streamHeaders: Readonly<Record<string, string>> = Object.freeze({ ...headers, accept: 'text/event-stream' });
  const ctx: RequestContext = Object.freeze({
    providerName: services.providerName,
    model: services.model,
    inputType: options.embedding_input_type ?? DEFAULT_EMBEDDING_INPUT_TYPE,
  });
  const { dispatcher, clock } = services;

  const post = (url: string, body: unknown, call: CallContext): Promise<unknown> =>
    requestJson(dispatcher, { provider: PROVIDER_LABEL, url, method: 'POST', headers, body }, call);

  async function openStream(body: Record<string, unknown>, call: CallContext) {
    const events = await requestSSE(dispatcher, { provider: PROVIDER_LABEL, url: chatUrl, method: 'POST', headers: streamHeaders, body }, call);
    const meta: StreamMeta = { id: generateId('chatcmpl'), model: body.model as string, created: unixSeconds(clock.now()) };
    return { parts: readChatStream(events, meta, call), meta };
  }

  const metaFor = (body: Record<string, unknown>, prefix: string) => ({ id: generateId(prefix), created: unixSeconds(clock.now()), model: body.model as string });

  return {
    capabilities: Object.freeze({ tools: true, parallelToolCalls: true, vision: true, jsonMode: true, streaming: true, n: 'emulated (1-8, not streamed)' }),

    async chat(request: ChatRequest, call: CallContext): Promise<ChatResponse> {
      const n = choiceCount(request.n, false, ctx);
      const body = buildChatBody(request, ctx, false);
      const answers = await fanOut(n, call, async (c) => toChatResponse(await post(chatUrl, body, c), metaFor(body, 'chatcmpl')));
      return mergeChoices(answers);
    },

    async chatStream(request: ChatRequest, call: CallContext): Promise<AsyncIterable<ChatChunk>> {
      choiceCount(request.n, true, ctx);
      const { parts, meta } = await openStream(buildChatBody(request, ctx, true), call);
      return toChatChunks(parts, meta, request.stream_options?.include_usage === true);
    },

    async completions(request: CompletionsRequest, call: CallContext): Promise<CompletionsResponse> {
      const n = choiceCount(request.n, false, ctx);
      const body = buildCompletionsBody(request, ctx, false);
      const answers = await fanOut(n, call, async (c) => toCompletionsResponse(await post(chatUrl, body, c), metaFor(body, 'cmpl')));
      return mergeChoices(answers);
    },

    async completionsStream(request: CompletionsRequest, call: CallContext): Promise<AsyncIterable<CompletionsChunk>> {
      choiceCount(request.n, true, ctx);
      const { parts, meta } = await openStream(buildCompletionsBody(request, ctx, true), call);
      return toCompletionsChunks(parts, meta, request.stream_options?.include_usage === true);
    },

    async embeddings(request: EmbeddingsRequest, call: CallContext): Promise<EmbeddingsResponse> {
      const body = buildEmbedBody(request, ctx);
      const answer = await post(embedUrl, body, call);
      return toEmbeddingsResponse(answer, (body.texts as string[]).length, body.model as string);
    },
  };
}

export default defineProvider<CohereOptions>({
  id: 'cohere',
  apiVersion: 1,
  optionsSchema,
  secretOptions: ['cohere_api_key'],
  create,
});
