// @gatehousejs/provider-databricks: Databricks Model Serving endpoints (the Foundation Model APIs,
// external models and custom models that answer in the same format), through the serving
// endpoint's invocations URL: POST {databricks_workspace_url}/serving-endpoints/{model.name}/invocations.
// The Foundation Model APIs are OpenAI's format, so the shared OpenAI-compatible base makes the
// calls; this package names the URL and mends what Databricks answers differently.
// References: https://docs.databricks.com/api/workspace/servingendpoints/query,
// https://docs.databricks.com/en/machine-learning/foundation-model-apis/api-reference.html
import {
  createError,
  defineProvider,
  type CallContext,
  type ChatRequest,
  type CompletionsRequest,
  type EmbeddingsRequest,
  type ProviderInstance,
  type ProviderServices,
} from '@gatehousejs/core';
import { createOpenAICompatibleInstance } from '@gatehousejs/provider-openai-compatible';
import { databricksSettings } from './api.js';
import { explainShape, normalizeChat, normalizeStream } from './normalize.js';
import { optionsSchema, type DatabricksOptions } from './options.js';

export { optionsSchema, type DatabricksOptions } from './options.js';
export { PARAMS, PROVIDER_LABEL, databricksSettings, invocationsUrl, workspaceBase } from './api.js';

const rethrow = (error: unknown): never => {
  throw explainShape(error);
};

function create(options: DatabricksOptions, services: ProviderServices): ProviderInstance {
  if (!services.model) {
    throw createError('GW_ERR_CONFIG_INVALID', `The ${services.providerName} provider needs model.name: the name of the serving endpoint to query.`);
  }
  for (const key of ['databricks_workspace_url', 'databricks_api_token'] as const) {
    if (typeof options[key] !== 'string' || options[key] === '') {
      throw createError('GW_ERR_CONFIG_INVALID', `The ${services.providerName} provider needs model.config.${key}.`);
    }
  }
  const settings = databricksSettings(options.databricks_workspace_url, options.databricks_api_token, services.model);
  const base = createOpenAICompatibleInstance(settings, services);
  const wantsUsage = (request: { stream_options?: { include_usage?: boolean } }): boolean => request.stream_options?.include_usage === true;

  return Object.freeze({
    capabilities: settings.capabilities,
    chat: (request: ChatRequest, call: CallContext) => base.chat!(request, call).then(normalizeChat, rethrow),
    chatStream: async (request: ChatRequest, call: CallContext) =>
      normalizeStream(await base.chatStream!(request, call), wantsUsage(request), true),
    completions: (request: CompletionsRequest, call: CallContext) => base.completions!(request, call).catch(rethrow),
    completionsStream: async (request: CompletionsRequest, call: CallContext) =>
      normalizeStream(await base.completionsStream!(request, call), wantsUsage(request), false),
    embeddings: (request: EmbeddingsRequest, call: CallContext) => base.embeddings!(request, call).catch(rethrow),
  });
}

export default defineProvider<DatabricksOptions>({
  id: 'databricks',
  aliases: ['databricks-model-serving'],
  apiVersion: 1,
  optionsSchema,
  secretOptions: ['databricks_api_token'],
  create,
});
