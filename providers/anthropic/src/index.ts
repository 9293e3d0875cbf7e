// @gatehousejs/provider-anthropic: chat and completions through Anthropic's Messages API
// (POST {anthropic_api_base}/v1/messages). Anthropic has no embeddings API: the instance
// offers no `embeddings`, so core answers 501. It also contributes the native route
// /gateway/anthropic/v1/messages (native/route.ts): passthrough for Anthropic endpoints,
// translation for the others.
// Reference: https://docs.anthropic.com/en/api/messages
import {
  createError,
  defineProvider,
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
  type JSONSchema,
  type ProviderInstance,
  type ProviderServices,
  type StreamMeta,
} from '@gatehousejs/core';
import { createParamMaps } from './params.js';
import { buildChatBody, buildCompletionsBody, type RequestContext } from './request.js';
import { PROVIDER_LABEL, toChatResponse, toCompletionsResponse } from './response.js';
import { readMessageStream } from './stream.js';
import { messagesHandler } from './native/passthrough.js';
import { MESSAGES_ROUTE } from './native/route.js';

export const DEFAULT_API_BASE = 'https://api.anthropic.com';
export const DEFAULT_API_VERSION = '2023-06-01';
export const DEFAULT_MAX_TOKENS = 4096;

/** The endpoint's `model.config` (MLflow's option names). A type alias, so it is a plain record. */
export type AnthropicOptions = {
  anthropic_api_key: string;
  anthropic_api_base?: string;
  anthropic_version?: string;
  max_tokens?: number;
};

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  properties: {
    anthropic_api_key: { type: 'string', minLength: 1, description: 'Anthropic API key (sent as x-api-key).' },
    anthropic_api_base: {
      type: 'string',
      pattern: '^https?://',
      default: DEFAULT_API_BASE,
      description: 'Base URL of the API; /v1/messages is appended.',
    },
    anthropic_version: { type: 'string', minLength: 1, default: DEFAULT_API_VERSION, description: 'The anthropic-version header.' },
    max_tokens: {
      type: 'integer',
      minimum: 1,
      default: DEFAULT_MAX_TOKENS,
      description: 'max_tokens sent when a request gives none (Anthropic requires the field).',
    },
  },
  required: ['anthropic_api_key'],
  additionalProperties: false,
});

/** `{base}/v1/messages`; a base that already ends in /v1 is accepted too. */
export function messagesUrl(base: string): string {
  const trimmed = base.replace(/\/+$/, '');
  return /\/v1$/.test(trimmed) ? `${trimmed}/messages` : `${trimmed}/v1/messages`;
}

function create(options: AnthropicOptions, services: ProviderServices): ProviderInstance {
  const key = options.anthropic_api_key;
  if (typeof key !== 'string' || key === '') {
    throw createError('GW_ERR_CONFIG_INVALID', 'The anthropic provider needs model.config.anthropic_api_key.');
  }
  const url = messagesUrl(options.anthropic_api_base ?? DEFAULT_API_BASE);
  const version = options.anthropic_version ?? DEFAULT_API_VERSION;
  const headers: Readonly<Record<string, string>> = Object.freeze({
    'x-api-key': key,
    'anthropic-version': version,
    'content-type': 'application/json',
  });
  const maps = createParamMaps(options.max_tokens ?? DEFAULT_MAX_TOKENS);
  const ctx: RequestContext = Object.freeze({ providerName: services.providerName, model: services.model });
  const { dispatcher, clock } = services;

  const post = (body: unknown, call: CallContext): Promise<unknown> =>
    requestJson(dispatcher, { provider: PROVIDER_LABEL, url, method: 'POST', headers, body }, call);

  async function openStream(body: unknown, model: string, call: CallContext) {
    const events = await requestSSE(dispatcher, { provider: PROVIDER_LABEL, url, method: 'POST', headers, body }, call);
    const meta: StreamMeta = { id: '', model, created: unixSeconds(clock.now()) };
    return { parts: readMessageStream(events, meta), meta };
  }

  return {
    capabilities: Object.freeze({ tools: true, parallelToolCalls: true, vision: true, jsonMode: false, streaming: true }),

    native: Object.freeze({ messages: messagesHandler({ url, apiKey: key, version, dispatcher }) }),

    async chat(request: ChatRequest, call: CallContext): Promise<ChatResponse> {
      const body = buildChatBody(request, maps, ctx, false);
      const answer = await post(body, call);
      return toChatResponse(answer, { created: unixSeconds(clock.now()), model: body.model as string });
    },

    async chatStream(request: ChatRequest, call: CallContext): Promise<AsyncIterable<ChatChunk>> {
      const body = buildChatBody(request, maps, ctx, true);
      const { parts, meta } = await openStream(body, body.model as string, call);
      return toChatChunks(parts, meta, request.stream_options?.include_usage === true);
    },

    async completions(request: CompletionsRequest, call: CallContext): Promise<CompletionsResponse> {
      const body = buildCompletionsBody(request, maps, ctx, false);
      const answer = await post(body, call);
      return toCompletionsResponse(answer, { created: unixSeconds(clock.now()), model: body.model as string });
    },

    async completionsStream(request: CompletionsRequest, call: CallContext): Promise<AsyncIterable<CompletionsChunk>> {
      const body = buildCompletionsBody(request, maps, ctx, true);
      const { parts, meta } = await openStream(body, body.model as string, call);
      return toCompletionsChunks(parts, meta, request.stream_options?.include_usage === true);
    },
  };
}

export default defineProvider<AnthropicOptions>({
  id: 'anthropic',
  apiVersion: 1,
  optionsSchema,
  secretOptions: ['anthropic_api_key'],
  nativeRoutes: [MESSAGES_ROUTE],
  create,
});
