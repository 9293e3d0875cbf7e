// From MLflow's options to what the instance needs: the API type (the config's provider name
// `azure`/`azuread` sets its default), the defaults, and MLflow's cross-field rules.
import { createError } from '@gatehousejs/core';
import { checkHttpUrl } from '@gatehousejs/provider-openai-compatible';
import { AZURE_REQUIRED, type OpenAIOptions } from './options.js';

export type ApiType = 'openai' | 'azure' | 'azuread';

export const OPENAI_API_BASE = 'https://api.openai.com/v1';

const API_TYPES: readonly ApiType[] = Object.freeze(['openai', 'azure', 'azuread']);

export interface OpenAIConfig {
  readonly apiType: ApiType;
  readonly apiKey: string;
  readonly apiBase: string;
  readonly apiVersion: string | undefined;
  readonly organization: string | undefined;
  readonly deployment: string | undefined;
}

function invalid(message: string): Error {
  return createError('GW_ERR_CONFIG_INVALID', message);
}

/** The API type: the option if set, else the provider alias the config used, else 'openai'. */
export function apiTypeOf(options: OpenAIOptions, providerName: string): ApiType {
  const value = (options.openai_api_type ?? providerName).toLowerCase();
  if (options.openai_api_type === undefined && !API_TYPES.includes(value as ApiType)) return 'openai';
  if (!API_TYPES.includes(value as ApiType)) throw invalid(`openai_api_type must be "openai", "azure" or "azuread".`);
  return value as ApiType;
}

export function resolveConfig(options: OpenAIOptions, providerName: string): OpenAIConfig {
  const apiType = apiTypeOf(options, providerName);
  if (apiType === 'openai') {
    if (options.openai_deployment_name !== undefined) {
      throw invalid(`openai_deployment_name is only used with openai_api_type "azure" or "azuread" (the type here is "openai").`);
    }
  } else {
    const missing = AZURE_REQUIRED.filter((key) => !options[key]);
    if (missing.length > 0) {
      throw invalid(`openai_api_type "${apiType}" needs ${missing.join(', ')} (see the Azure OpenAI options in the MLflow gateway docs).`);
    }
  }
  return Object.freeze({
    apiType,
    apiKey: options.openai_api_key.trim(),
    apiBase: checkHttpUrl(options.openai_api_base ?? OPENAI_API_BASE, 'openai_api_base'),
    apiVersion: options.openai_api_version,
    organization: options.openai_organization,
    deployment: options.openai_deployment_name,
  });
}
