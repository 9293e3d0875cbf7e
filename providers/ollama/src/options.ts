// `model.config` of the ollama provider: the server's OpenAI-compatible base and an optional key.
import type { JSONSchema } from '@gatehousejs/core';
import { URL_OPTION_SCHEMA } from '@gatehousejs/provider-openai-compatible';

// A type alias, not an interface: ProviderDefinition<Options> must fit core's Record<string, unknown>.
export type OllamaOptions = {
  /** Default OLLAMA_API_BASE. */
  ollama_api_base?: string;
  /** Only for a proxy in front of Ollama (or ollama.com): sent as `Authorization: Bearer`. Ollama itself needs none. */
  ollama_api_key?: string;
};

/** Ollama's OpenAI compatibility (https://docs.ollama.com/api/openai-compatibility). */
export const OLLAMA_API_BASE = 'http://localhost:11434/v1';

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  properties: {
    ollama_api_base: URL_OPTION_SCHEMA,
    ollama_api_key: { type: 'string', minLength: 1 },
  },
});
