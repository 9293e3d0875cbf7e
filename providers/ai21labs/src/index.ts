// @gatehousejs/provider-ai21labs: AI21 Labs.
// - chat: AI21's chat completions API, POST {ai21labs_api_base}/studio/v1/chat/completions
//   (Jamba models; stream: true for server-sent events)
// - completions: AI21's Jurassic-2 complete API, POST {ai21labs_api_base}/studio/v1/{model}/complete
//   (no streaming). J2 is retired by AI21; a completions endpoint whose model is a Jamba model
//   (named jamba-*) is served through the chat completions API instead, streams included.
// - embeddings: none (core answers 501).
// References: https://docs.ai21.com/reference/jamba-1-6-api-ref,
// https://docs.ai21.com/reference/jamba-api-response, https://docs.ai21.com/reference/j2-complete-ref
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
  type JSONSchema,
  type ProviderInstance,
  type ProviderServices,
  type StreamMeta,
} from '@gatehousejs/core';
import { buildJ2Body, toJ2CompletionsResponse } from './j2.js';
import { PROVIDER_LABEL, buildChatBody, buildJambaCompletionsBody, toChatResponse, toCompletionsResponse, type RequestContext } from './jamba.js';
import { readChatStream } from './stream.js';

export const DEFAULT_API_BASE = 'https://api.ai21.com';

/** The endpoint's `model.config` (MLflow's option names). A type alias, so it is a plain record. */
export type AI21Options = {
  ai21labs_api_key: string;
  ai21labs_api_base?: string;
};

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  properties: {
    ai21labs_api_key: { type: 'string', minLength: 1, description: 'AI21 Labs API key (sent as Authorization: Bearer).' },
    ai21labs_api_base: {
      type: 'string',
      pattern: '^https?://',
      default: DEFAULT_API_BASE,
      description: 'Base URL of the API; /studio/v1/... is appended (a base already ending in /studio/v1 is accepted).',
    },
  },
  required: ['ai21labs_api_key'],
  additionalProperties: false,
});

/** The API root `{base}/studio/v1`; a base that already ends in /studio/v1 (MLflow's) is accepted. */
export function studioRoot(base: string): string {
  return `${base.replace(/\/+$/, '').replace(/\/studio\/v1$/, '')}/studio/v1`;
}

/** Jamba models are served by the chat completions API; other names are J2 models (or J2 custom models). */
export function isJambaModel(model: string): boolean {
  return /^jamba/i.test(model);
}

function create(options: AI21Options, services: ProviderServices): ProviderInstance {
  const key = options.ai21labs_api_key;
  if (typeof key !== 'string' || key === '') {
    throw createError('GW_ERR_CONFIG_INVALID', 'The ai21labs provider needs model.config.ai21labs_api_key.');
  }
  const model = services.model;
  if (model === '') {
    throw createError('GW_ERR_CONFIG_INVALID', `The ai21labs provider needs model.name (endpoint ${services.endpoint}).`);
  }
  const root = studioRoot(options.ai21labs_api_base ?? DEFAULT_API_BASE);
  const chatUrl = `${root}/chat/completions`;
  const jamba = isJambaModel(model);
  // J2 names its model in the path; a custom model is "j2-grande/<name>", so slashes stay.
  const completeUrl = `${root}/${model.split('/').map(encodeURIComponent).join('/')}/complete`;
  const headers: Readonly<Record<string, string>> = Object.freeze({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });
  const ctx: RequestContext = Object.freeze({ providerName: services.providerName, model });
  const { dispatcher, clock } = services;

  const post = (url: string, body: unknown, call: CallContext): Promise<unknown> =>
    requestJson(dispatcher, { provider: PROVIDER_LABEL, url, method: 'POST', headers, body }, call);

  async function openStream(body: Record<string, unknown>, prefix: string, call: CallContext) {
    const events = await requestSSE(dispatcher, { provider: PROVIDER_LABEL, url: chatUrl, method: 'POST', headers, body }, call);
    const meta: StreamMeta = { id: generateId(prefix), model: body.model as string, created: unixSeconds(clock.now()) };
    return { parts: readChatStream(events, meta, call), meta };
  }

  const metaFor = (requestModel: unknown) => ({ created: unixSeconds(clock.now()), model: typeof requestModel === 'string' && requestModel ? requestModel : model });

  const instance: ProviderInstance = {
    capabilities: Object.freeze({
      tools: true,
      vision: false,
      jsonMode: true,
      streaming: true,
      completionsApi: jamba ? 'chat completions (Jamba)' : 'J2 complete (no streaming)',
    }),

    async chat(request: ChatRequest, call: CallContext): Promise<ChatResponse> {
      const body = buildChatBody(request, ctx, false);
      return toChatResponse(await post(chatUrl, body, call), metaFor(body.model));
    },

    async chatStream(request: ChatRequest, call: CallContext): Promise<AsyncIterable<ChatChunk>> {
      const { parts, meta } = await openStream(buildChatBody(request, ctx, true), 'chatcmpl', call);
      return toChatChunks(parts, meta, request.stream_options?.include_usage === true);
    },

    async completions(request: CompletionsRequest, call: CallContext): Promise<CompletionsResponse> {
      if (jamba) {
        const body = buildJambaCompletionsBody(request, ctx, false);
        return toCompletionsResponse(await post(chatUrl, body, call), metaFor(body.model));
      }
      return toJ2CompletionsResponse(await post(completeUrl, buildJ2Body(request, ctx), call), metaFor(request.model));
    },
  };

  if (!jamba) return instance;
  return {
    ...instance,
    async completionsStream(request: CompletionsRequest, call: CallContext): Promise<AsyncIterable<CompletionsChunk>> {
      const { parts, meta } = await openStream(buildJambaCompletionsBody(request, ctx, true), 'cmpl', call);
      return toCompletionsChunks(parts, meta, request.stream_options?.include_usage === true);
    },
  };
}

export default defineProvider<AI21Options>({
  id: 'ai21labs',
  apiVersion: 1,
  optionsSchema,
  secretOptions: ['ai21labs_api_key'],
  create,
});
