// `model.config` of the deepseek provider: the API key and a base-URL override.
import type { JSONSchema } from '@gatehousejs/core';
import { URL_OPTION_SCHEMA } from '@gatehousejs/provider-openai-compatible';

// A type alias, not an interface: ProviderDefinition<Options> must fit core's Record<string, unknown>.
export type DeepSeekOptions = {
  deepseek_api_key: string;
  /** Default DEEPSEEK_API_BASE. */
  deepseek_api_base?: string;
};

/** https://api-docs.deepseek.com/ */
export const DEEPSEEK_API_BASE = 'https://api.deepseek.com';

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  required: ['deepseek_api_key'],
  properties: {
    deepseek_api_key: { type: 'string', minLength: 1 },
    deepseek_api_base: URL_OPTION_SCHEMA,
  },
});
