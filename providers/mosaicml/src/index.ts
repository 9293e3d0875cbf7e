// @gatehousejs/provider-mosaicml: MosaicML's hosted inference API (the "Starter tier",
// POST {mosaicml_api_base}/{model}/v1/predict with {"inputs": [...], "parameters": {...}}).
// Chat builds one Llama-2 style prompt from the messages (request.ts), completions send the
// prompts, embeddings send the texts. MosaicML has no streaming here: the instance has no
// stream methods, so core answers 501 for `stream: true`. MosaicML (now part of Databricks)
// has retired this API; the provider serves configs that still name it, and any server that
// keeps its surface (mosaicml_api_base).
// Reference: https://docs.mosaicml.com/en/latest/inference.html
import {
  createError,
  defineProvider,
  estimateTokens,
  sendUpstream,
  statusError,
  transportError,
  unixSeconds,
  upstreamErrorMessage,
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
import { buildChatBody, buildCompletionsBody, buildEmbeddingsBody } from './request.js';
import { PROVIDER_LABEL, toChatResponse, toCompletionsResponse, toEmbeddings } from './response.js';

export const DEFAULT_API_BASE = 'https://models.hosted-on.mosaicml.hosting';

/**
 * MosaicML answers some request errors with a 500 (MLflow's provider mapped these to 422):
 * a prompt longer than the model's context, or max_new_tokens above its limit.
 */
export const TOKEN_LIMIT_MESSAGES: readonly string[] = Object.freeze(['Error: max output tokens is limited to', 'Error: prompt token count']);

/** The endpoint's `model.config` (MLflow's option names). A type alias, so it is a plain record. */
export type MosaicMLOptions = {
  mosaicml_api_key: string;
  mosaicml_api_base?: string;
};

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  properties: {
    mosaicml_api_key: { type: 'string', minLength: 1, description: 'MosaicML API key (sent as the Authorization header, without a Bearer prefix).' },
    mosaicml_api_base: {
      type: 'string',
      pattern: '^https?://',
      default: DEFAULT_API_BASE,
      description: 'Base URL of the API; /{model}/v1/predict is appended.',
    },
  },
  required: ['mosaicml_api_key'],
  additionalProperties: false,
});

/** `{base}/{model}/v1/predict`; a model written as `llama2-70b-chat/v1` is accepted too. */
export function predictUrl(base: string, model: string): string {
  const name = model.replace(/^\/+/, '').replace(/\/v1(?:\/predict)?\/*$/, '');
  return `${base.replace(/\/+$/, '')}/${name.split('/').map(encodeURIComponent).join('/')}/v1/predict`;
}

function create(options: MosaicMLOptions, services: ProviderServices): ProviderInstance {
  const key = options.mosaicml_api_key;
  if (typeof key !== 'string' || key === '') {
    throw createError('GW_ERR_CONFIG_INVALID', `The mosaicml provider (endpoint "${services.endpoint}") needs model.config.mosaicml_api_key.`);
  }
  if (!services.model) {
    throw createError('GW_ERR_CONFIG_INVALID', `The mosaicml provider (endpoint "${services.endpoint}") needs model.name (llama2-70b-chat, mpt-7b-instruct, instructor-xl, ...).`);
  }
  const url = predictUrl(options.mosaicml_api_base ?? DEFAULT_API_BASE, services.model);
  // MosaicML documents the key as the whole Authorization header value (no "Bearer ").
  const headers: Readonly<Record<string, string>> = Object.freeze({ authorization: key, 'content-type': 'application/json' });
  const { dispatcher, clock, providerName, model } = services;

  async function predict(body: unknown, call: CallContext): Promise<unknown> {
    const res = await sendUpstream(dispatcher, { provider: PROVIDER_LABEL, url, method: 'POST', headers, body }, call);
    if (res.status === 500) {
      let text: string;
      try {
        text = await res.body.text();
      } catch (error) {
        throw transportError(error, call, PROVIDER_LABEL);
      }
      const { message, body: upstreamBody } = upstreamErrorMessage(text);
      if (TOKEN_LIMIT_MESSAGES.some((prefix) => message.startsWith(prefix))) {
        throw createError('GW_ERR_UPSTREAM_ERROR', `${PROVIDER_LABEL} rejected the request (500, a request error): ${message}`, {
          status: 400,
          type: 'invalid_request_error',
          upstreamBody,
        });
      }
      throw createError('GW_ERR_UPSTREAM_ERROR', `${PROVIDER_LABEL} failed (500): ${message}`, { upstreamBody });
    }
    if (res.status < 200 || res.status >= 300) throw await statusError(res, PROVIDER_LABEL);
    let text: string;
    try {
      text = await res.body.text();
    } catch (error) {
      throw transportError(error, call, PROVIDER_LABEL);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} answered with a body that is not JSON.`, { cause: error });
    }
  }

  return {
    capabilities: Object.freeze({ tools: false, vision: false, jsonMode: false, streaming: false, usage: 'estimated', chatTemplate: 'llama-2' }),

    async chat(request: ChatRequest, call: CallContext): Promise<ChatResponse> {
      const prepared = buildChatBody(request, providerName);
      const answer = await predict(prepared.body, call);
      return toChatResponse(answer, prepared, { created: unixSeconds(clock.now()), model });
    },

    async completions(request: CompletionsRequest, call: CallContext): Promise<CompletionsResponse> {
      const prepared = buildCompletionsBody(request, providerName);
      const answer = await predict(prepared.body, call);
      return toCompletionsResponse(answer, prepared, { created: unixSeconds(clock.now()), model });
    },

    async embeddings(request: EmbeddingsRequest, call: CallContext): Promise<EmbeddingsResponse> {
      const { body, texts } = buildEmbeddingsBody(request, providerName);
      const answer = await predict(body, call);
      const tokens = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
      return { object: 'list', data: toEmbeddings(answer, texts.length), model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
    },
  };
}

export default defineProvider<MosaicMLOptions>({
  id: 'mosaicml',
  apiVersion: 1,
  optionsSchema,
  secretOptions: ['mosaicml_api_key'],
  create,
});
