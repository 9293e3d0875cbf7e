// `model.config` of the mistral provider: MLflow's `mistral_api_key`
// (https://mlflow.org/docs/latest/llms/deployments/index.html, section Mistral) and a base-URL override.
import type { JSONSchema } from '@gatehousejs/core';
import { URL_OPTION_SCHEMA } from '@gatehousejs/provider-openai-compatible';

// A type alias, not an interface: ProviderDefinition<Options> must fit core's Record<string, unknown>.
export type MistralOptions = {
  mistral_api_key: string;
  /** Default MISTRAL_API_BASE. */
  mistral_api_base?: string;
};

/** https://docs.mistral.ai/api/ */
export const MISTRAL_API_BASE = 'https://api.mistral.ai/v1';

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  required: ['mistral_api_key'],
  properties: {
    mistral_api_key: { type: 'string', minLength: 1 },
    mistral_api_base: URL_OPTION_SCHEMA,
  },
});
