// `model.config` of the openai-compatible provider.
import type { JSONSchema } from '@gatehousejs/core';

// A type alias, not an interface: ProviderDefinition<Options> must fit core's Record<string, unknown>.
export type OpenAICompatibleOptions = {
  /** The server's API base, e.g. 'http://localhost:11434/v1'. */
  api_base: string;
  /** Sent as `Authorization: Bearer <key>`; local servers usually need none. */
  api_key?: string;
  extra_headers?: Record<string, string>;
};

/**
 * A URL option. Core checks options before it resolves `$ENV_VAR` references, so a reference
 * must pass here too; the resolved value is checked in create().
 */
export const URL_OPTION_SCHEMA: JSONSchema = Object.freeze({
  type: 'string',
  anyOf: [{ format: 'uri', pattern: '^[Hh][Tt][Tt][Pp][Ss]?://' }, { pattern: '^\\$\\{?[A-Za-z_][A-Za-z0-9_]*\\}?$' }],
});

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  required: ['api_base'],
  properties: {
    api_base: URL_OPTION_SCHEMA,
    api_key: { type: 'string', minLength: 1 },
    extra_headers: { type: 'object', additionalProperties: { type: 'string' } },
  },
});
