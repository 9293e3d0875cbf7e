// `model.config` of the huggingface-text-generation-inference provider: MLflow's option name
// (`hf_server_url`, https://mlflow.org/docs/latest/llms/deployments/index.html, section
// "HuggingFace Text Generation Inference") plus two of ours, both optional.
import type { JSONSchema } from '@gatehousejs/core';
import { URL_OPTION_SCHEMA } from '@gatehousejs/provider-openai-compatible';

/** Which TGI API answers chat requests. */
export type ChatApi = 'messages' | 'generate';

// A type alias, not an interface: ProviderDefinition<Options> must fit core's Record<string, unknown>.
export type TGIOptions = {
  /** The TGI server's base URL (`/generate`, `/generate_stream` and `/v1/chat/completions` are appended). */
  hf_server_url: string;
  /** Sent as `Authorization: Bearer <token>` (Hugging Face Inference Endpoints); a local server needs none. */
  hf_api_token?: string;
  /** `messages` (default): TGI's Messages API; `generate`: /generate with the provider's plain chat template. */
  hf_chat_api?: ChatApi;
};

export const DEFAULT_CHAT_API: ChatApi = 'messages';

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  required: ['hf_server_url'],
  properties: {
    hf_server_url: { ...URL_OPTION_SCHEMA, description: 'Base URL of the TGI server, e.g. http://localhost:8080.' },
    hf_api_token: { type: 'string', minLength: 1, description: 'Bearer token (Hugging Face Inference Endpoints).' },
    hf_chat_api: {
      type: 'string',
      enum: ['messages', 'generate'],
      default: DEFAULT_CHAT_API,
      description: 'Chat through the Messages API (/v1/chat/completions, TGI >= 1.4) or through /generate with a plain template.',
    },
  },
});
