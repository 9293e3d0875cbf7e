// `model.config` of the vllm provider: the server's OpenAI-compatible base (required: there is no
// public vLLM endpoint) and the key the server was started with (`vllm serve --api-key`), if any.
import type { JSONSchema } from '@gatehousejs/core';
import { URL_OPTION_SCHEMA } from '@gatehousejs/provider-openai-compatible';

// A type alias, not an interface: ProviderDefinition<Options> must fit core's Record<string, unknown>.
export type VllmOptions = {
  /** e.g. http://localhost:8000/v1 */
  vllm_api_base: string;
  /** Sent as `Authorization: Bearer <key>` when set. */
  vllm_api_key?: string;
};

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  required: ['vllm_api_base'],
  properties: {
    vllm_api_base: URL_OPTION_SCHEMA,
    vllm_api_key: { type: 'string', minLength: 1 },
  },
});
