// `model.config` of the xai provider: the API key and a base-URL override.
import type { JSONSchema } from '@gatehousejs/core';
import { URL_OPTION_SCHEMA } from '@gatehousejs/provider-openai-compatible';

// A type alias, not an interface: ProviderDefinition<Options> must fit core's Record<string, unknown>.
export type XaiOptions = {
  xai_api_key: string;
  /** Default XAI_API_BASE. */
  xai_api_base?: string;
};

/** https://docs.x.ai/docs/api-reference */
export const XAI_API_BASE = 'https://api.x.ai/v1';

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  required: ['xai_api_key'],
  properties: {
    xai_api_key: { type: 'string', minLength: 1 },
    xai_api_base: URL_OPTION_SCHEMA,
  },
});
