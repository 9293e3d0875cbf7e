// `model.config` of the togetherai provider: MLflow's `togetherai_api_key`
// (https://mlflow.org/docs/latest/llms/deployments/index.html, section TogetherAI) and a base-URL override.
import type { JSONSchema } from '@gatehousejs/core';
import { URL_OPTION_SCHEMA } from '@gatehousejs/provider-openai-compatible';

// A type alias, not an interface: ProviderDefinition<Options> must fit core's Record<string, unknown>.
export type TogetherAIOptions = {
  togetherai_api_key: string;
  /** Default TOGETHERAI_API_BASE. */
  togetherai_api_base?: string;
};

/** https://docs.together.ai/reference/ */
export const TOGETHERAI_API_BASE = 'https://api.together.xyz/v1';

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  required: ['togetherai_api_key'],
  properties: {
    togetherai_api_key: { type: 'string', minLength: 1 },
    togetherai_api_base: URL_OPTION_SCHEMA,
  },
});
