// `model.config` of the fireworks provider: the API key and a base-URL override.
import type { JSONSchema } from '@gatehousejs/core';
import { URL_OPTION_SCHEMA } from '@gatehousejs/provider-openai-compatible';

// A type alias, not an interface: ProviderDefinition<Options> must fit core's Record<string, unknown>.
export type FireworksOptions = {
  fireworks_api_key: string;
  /** Default FIREWORKS_API_BASE. */
  fireworks_api_base?: string;
};

/** https://docs.fireworks.ai/api-reference/introduction */
export const FIREWORKS_API_BASE = 'https://api.fireworks.ai/inference/v1';

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  required: ['fireworks_api_key'],
  properties: {
    fireworks_api_key: { type: 'string', minLength: 1 },
    fireworks_api_base: URL_OPTION_SCHEMA,
  },
});
