// @gatehousejs/provider-mlflow-model-serving: a model served by an MLflow scoring server
// (`mlflow models serve`, or any server with the same protocol): POST {model_server_url}/invocations,
// no authentication. Chat, completions and embeddings work when the model answers in one of
// the shapes MLflow's gateway documents (response.ts); `model.name` is only a reference here.
// MLflow's scoring protocol has no streaming for this route: the instance has no stream
// methods, so core answers 501 for `stream: true`.
// Reference: https://mlflow.org/docs/latest/llms/deployments ("MLflow Model Serving") and
// https://mlflow.org/docs/latest/ml/deployment/deploy-model-locally (/invocations).
import {
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
import { buildChatBody, buildCompletionsBody, buildEmbeddingsBody } from './request.js';
import { PROVIDER_LABEL, toChatResponse, toCompletionsResponse, toEmbeddings, type Meta } from './response.js';

/** The endpoint's `model.config` (MLflow's option name). A type alias, so it is a plain record. */
export type MlflowModelServingOptions = {
  model_server_url: string;
};

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  properties: {
    model_server_url: {
      type: 'string',
      pattern: '^https?://',
      description: 'URL of the MLflow model server (e.g. http://127.0.0.1:5000); /invocations is appended.',
    },
  },
  required: ['model_server_url'],
  additionalProperties: false,
});

/** `{model_server_url}/invocations`; a URL that already ends in /invocations is accepted too. */
export function invocationsUrl(serverUrl: string): string {
  const trimmed = serverUrl.replace(/\/+$/, '');
  return /\/invocations$/.test(trimmed) ? trimmed : `${trimmed}/invocations`;
}

function create(options: MlflowModelServingOptions, services: ProviderServices): ProviderInstance {
  const serverUrl = options.model_server_url;
  if (typeof serverUrl !== 'string' || !/^https?:\/\//.test(serverUrl)) {
    throw createError('GW_ERR_CONFIG_INVALID', `The mlflow-model-serving provider (endpoint "${services.endpoint}") needs model.config.model_server_url (an http(s) URL).`);
  }
  const url = invocationsUrl(serverUrl);
  const headers: Readonly<Record<string, string>> = Object.freeze({ 'content-type': 'application/json' });
  const { dispatcher, clock, providerName, endpoint } = services;
  // `model.name` is only a reference for this provider (any name); answers carry it, or the endpoint's name.
  const model = services.model || endpoint;
  const meta = (): Meta => ({ created: unixSeconds(clock.now()), model, endpoint });

  const invoke = (body: unknown, call: CallContext): Promise<unknown> =>
    requestJson(dispatcher, { provider: PROVIDER_LABEL, url, method: 'POST', headers, body }, call);

  return {
    capabilities: Object.freeze({ tools: false, vision: false, jsonMode: false, streaming: false, usage: 'estimated' }),

    async chat(request: ChatRequest, call: CallContext): Promise<ChatResponse> {
      const { body, promptText } = buildChatBody(request, providerName);
      return toChatResponse(await invoke(body, call), promptText, meta());
    },

    async completions(request: CompletionsRequest, call: CallContext): Promise<CompletionsResponse> {
      const { body, promptText } = buildCompletionsBody(request, providerName);
      return toCompletionsResponse(await invoke(body, call), promptText, meta());
    },

    async embeddings(request: EmbeddingsRequest, call: CallContext): Promise<EmbeddingsResponse> {
      const { body, texts } = buildEmbeddingsBody(request, providerName);
      const data = toEmbeddings(await invoke(body, call), texts.length, endpoint);
      const tokens = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
      return { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
    },
  };
}

export default defineProvider<MlflowModelServingOptions>({
  id: 'mlflow-model-serving',
  apiVersion: 1,
  optionsSchema,
  secretOptions: [],
  create,
});
