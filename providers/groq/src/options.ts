// `model.config` of the groq provider: the API key and a base-URL override.
import type { JSONSchema } from '@gatehousejs/core';
import { URL_OPTION_SCHEMA } from '@gatehousejs/provider-openai-compatible';

// A type alias, not an interface: ProviderDefinition<Options> must fit core's Record<string, unknown>.
export type GroqOptions = {
  groq_api_key: string;
  /** Default GROQ_API_BASE. */
  groq_api_base?: string;
};

/** https://console.groq.com/docs/openai */
export const GROQ_API_BASE = 'https://api.groq.com/openai/v1';

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  required: ['groq_api_key'],
  properties: {
    groq_api_key: { type: 'string', minLength: 1 },
    groq_api_base: URL_OPTION_SCHEMA,
  },
});
