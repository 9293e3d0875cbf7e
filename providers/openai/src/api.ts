// Where and how to call OpenAI and Azure OpenAI, per API type. MLflow's URLs and headers:
// - openai:  {base}/{path}, `Authorization: Bearer`, `OpenAI-Organization`, `api-version` if configured;
// - azure:   {base}/openai/deployments/{deployment}/{path}?api-version=..., `api-key`;
// - azuread: the same URL, `Authorization: Bearer <Entra ID token>`.
// https://platform.openai.com/docs/api-reference/authentication
// https://learn.microsoft.com/en-us/azure/ai-services/openai/reference
import { defineParamMap, type ParamMap } from '@gatehousejs/core';
import { bearer, joinUrl, type OpenAICompatibleSettings, type Operation } from '@gatehousejs/provider-openai-compatible';
import type { ApiType, OpenAIConfig } from './config.js';

const AUTH_HEADERS: Readonly<Record<ApiType, (key: string) => Record<string, string>>> = Object.freeze({
  openai: bearer,
  azure: (key: string) => ({ 'api-key': key }),
  azuread: bearer,
});

// Azure names the model by the deployment in the URL; MLflow leaves `model` out of the body.
const AZURE_PARAMS: ParamMap = defineParamMap({ model: { drop: true } });
const AZURE_PARAMS_BY_OPERATION: Readonly<Record<Operation, ParamMap>> = Object.freeze({
  chat: AZURE_PARAMS,
  completions: AZURE_PARAMS,
  embeddings: AZURE_PARAMS,
});

export function openAISettings(config: OpenAIConfig): OpenAICompatibleSettings {
  const headers = AUTH_HEADERS[config.apiType](config.apiKey);
  const query = config.apiVersion ? { 'api-version': config.apiVersion } : undefined;
  // base64Embeddings: OpenAI (and Azure OpenAI) answer encoding_format base64 themselves.
  const capabilities = Object.freeze({ streaming: true, tools: true, api_type: config.apiType, base64Embeddings: true });
  if (config.apiType === 'openai') {
    if (config.organization) headers['openai-organization'] = config.organization;
    return { provider: 'OpenAI', baseUrl: config.apiBase, headers, query, capabilities, verbatimAnswers: true };
  }
  return {
    provider: 'Azure OpenAI',
    baseUrl: joinUrl(config.apiBase, 'openai', 'deployments', encodeURIComponent(config.deployment!)),
    headers,
    query,
    params: AZURE_PARAMS_BY_OPERATION,
    capabilities,
    verbatimAnswers: true,
  };
}
