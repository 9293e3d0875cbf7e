// `model.config` of the openrouter provider: the API key, a base-URL override, and OpenRouter's
// optional app attribution (https://openrouter.ai/docs/api-reference/overview#headers).
import type { JSONSchema } from '@gatehousejs/core';
import { URL_OPTION_SCHEMA } from '@gatehousejs/provider-openai-compatible';

// A type alias, not an interface: ProviderDefinition<Options> must fit core's Record<string, unknown>.
export type OpenRouterOptions = {
  openrouter_api_key: string;
  /** Default OPENROUTER_API_BASE. */
  openrouter_api_base?: string;
  /** Sent as `HTTP-Referer`: your site, for OpenRouter's rankings. */
  openrouter_site_url?: string;
  /** Sent as `X-Title`: your app's name, for OpenRouter's rankings. */
  openrouter_app_name?: string;
};

/** https://openrouter.ai/docs/api-reference/overview */
export const OPENROUTER_API_BASE = 'https://openrouter.ai/api/v1';

// A header value cannot hold a line break (undici refuses it); say so at start-up instead.
const HEADER_TEXT = { type: 'string', minLength: 1, pattern: '^[^\\r\\n]*$' };

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  required: ['openrouter_api_key'],
  properties: {
    openrouter_api_key: { type: 'string', minLength: 1 },
    openrouter_api_base: URL_OPTION_SCHEMA,
    openrouter_site_url: HEADER_TEXT,
    openrouter_app_name: HEADER_TEXT,
  },
});
