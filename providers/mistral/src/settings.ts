// Where and how to call Mistral (https://docs.mistral.ai/api/): `POST {base}/chat/completions`
// and `POST {base}/embeddings` with `Authorization: Bearer <key>`. Completions have no endpoint of
// their own; they are served through chat (see completions.ts).
import { bearer, checkHttpUrl, type OpenAICompatibleSettings } from '@gatehousejs/provider-openai-compatible';
import { MISTRAL_API_BASE, type MistralOptions } from './options.js';
import { CHAT_PARAMS, EMBEDDINGS_PARAMS } from './params.js';

const PARAMS = Object.freeze({ chat: CHAT_PARAMS, embeddings: EMBEDDINGS_PARAMS });
const CAPABILITIES = Object.freeze({ streaming: true, tools: true, completions: 'served through chat' });

export function mistralSettings(options: MistralOptions): OpenAICompatibleSettings {
  return {
    provider: 'Mistral',
    baseUrl: checkHttpUrl(options.mistral_api_base ?? MISTRAL_API_BASE, 'mistral_api_base'),
    headers: bearer(options.mistral_api_key),
    methods: ['chat', 'chatStream', 'embeddings'],
    params: PARAMS,
    capabilities: CAPABILITIES,
  };
}
