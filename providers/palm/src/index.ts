// @gatehousejs/provider-palm: Google's PaLM API v1beta2 (generativelanguage.googleapis.com).
// Chat → models/{model}:generateMessage, completions → models/{model}:generateText,
// embeddings → models/{model}:embedText (v1beta2 has no batchEmbedText: one call per input,
// a few at a time). PaLM has no streaming: the instance has no stream methods, so core answers
// 501 for `stream: true`. Google has retired the PaLM API; this provider serves configs that
// still name it (and any server that keeps the v1beta2 surface, through palm_api_base).
// Reference: https://developers.generativeai.google/api/rest/generativelanguage/models
import {
  copyOwn,
  createError,
  defineProvider,
  estimateTokens,
  requestJson,
  unixSeconds,
  type CallContext,
  type ChatRequest,
  type ChatResponse,
  type CompletionsRequest,
  type CompletionsResponse,
  type EmbeddingsRequest,
  type EmbeddingsResponse,
  type JSONSchema,
  type ProviderInstance,
  type ProviderServices,
} from '@gatehousejs/core';
import { buildChatBody, buildTextBody, embeddingInputs, embeddingParams } from './request.js';
import { PROVIDER_LABEL, embeddingVector, messagePromptText, toChatResponse, toCompletionsResponse, toEmbeddings } from './response.js';

export const DEFAULT_API_BASE = 'https://generativelanguage.googleapis.com/v1beta2';
/** How many embedText calls run at once for one embeddings request. */
export const EMBED_CONCURRENCY = 8;

/** The endpoint's `model.config` (MLflow's option names). A type alias, so it is a plain record. */
export type PalmOptions = {
  palm_api_key: string;
  palm_api_base?: string;
};

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  properties: {
    palm_api_key: { type: 'string', minLength: 1, description: 'PaLM API key (sent as the x-goog-api-key header).' },
    palm_api_base: {
      type: 'string',
      pattern: '^https?://',
      default: DEFAULT_API_BASE,
      description: 'Base URL of the API, version included; /models/{model}:{method} is appended.',
    },
  },
  required: ['palm_api_key'],
  additionalProperties: false,
});

/** `{base}/models/{model}:{method}`; a model written as `models/chat-bison-001` is accepted too. */
export function methodUrl(base: string, model: string, method: string): string {
  const name = model.replace(/^models\//, '');
  return `${base.replace(/\/+$/, '')}/models/${encodeURIComponent(name)}:${method}`;
}

/** Run `task` over `items`, at most `limit` at a time, keeping the order of the results. */
async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function create(options: PalmOptions, services: ProviderServices): ProviderInstance {
  const key = options.palm_api_key;
  if (typeof key !== 'string' || key === '') {
    throw createError('GW_ERR_CONFIG_INVALID', `The palm provider (endpoint "${services.endpoint}") needs model.config.palm_api_key.`);
  }
  if (!services.model) {
    throw createError('GW_ERR_CONFIG_INVALID', `The palm provider (endpoint "${services.endpoint}") needs model.name (chat-bison-001, text-bison-001, embedding-gecko-001, ...).`);
  }
  const base = options.palm_api_base ?? DEFAULT_API_BASE;
  const urls = Object.freeze({
    chat: methodUrl(base, services.model, 'generateMessage'),
    text: methodUrl(base, services.model, 'generateText'),
    embed: methodUrl(base, services.model, 'embedText'),
  });
  // The key goes in a header, never in the URL's ?key= (URLs end up in logs).
  const headers: Readonly<Record<string, string>> = Object.freeze({ 'x-goog-api-key': key, 'content-type': 'application/json' });
  const { dispatcher, clock, providerName, model } = services;

  const post = (url: string, body: unknown, call: CallContext): Promise<unknown> =>
    requestJson(dispatcher, { provider: PROVIDER_LABEL, url, method: 'POST', headers, body }, call);

  return {
    capabilities: Object.freeze({ tools: false, vision: false, jsonMode: false, streaming: false, usage: 'estimated' }),

    async chat(request: ChatRequest, call: CallContext): Promise<ChatResponse> {
      const body = buildChatBody(request, providerName);
      const answer = await post(urls.chat, body, call);
      return toChatResponse(answer, messagePromptText(body), { created: unixSeconds(clock.now()), model });
    },

    async completions(request: CompletionsRequest, call: CallContext): Promise<CompletionsResponse> {
      const body = buildTextBody(request, providerName);
      const answer = await post(urls.text, body, call);
      return toCompletionsResponse(answer, body.prompt.text, { created: unixSeconds(clock.now()), model });
    },

    async embeddings(request: EmbeddingsRequest, call: CallContext): Promise<EmbeddingsResponse> {
      const texts = embeddingInputs(request.input, providerName);
      const params = embeddingParams(request, providerName);
      // The first failure cancels the calls still running.
      const failed = new AbortController();
      const each: CallContext = { ...call, signal: AbortSignal.any([call.signal, failed.signal]) };
      const vectors = await mapLimited(texts, EMBED_CONCURRENCY, async (text, index) => {
        try {
          return embeddingVector(await post(urls.embed, Object.assign(copyOwn(params), { text }), each), index);
        } catch (error) {
          failed.abort(error);
          throw error;
        }
      });
      const tokens = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
      return { object: 'list', data: toEmbeddings(vectors), model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
    },
  };
}

export default defineProvider<PalmOptions>({
  id: 'palm',
  apiVersion: 1,
  optionsSchema,
  secretOptions: ['palm_api_key'],
  create,
});
