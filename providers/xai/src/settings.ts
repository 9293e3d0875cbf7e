// Where and how to call xAI (https://docs.x.ai/docs/api-reference): chat at
// `{base}/chat/completions` and embeddings at `{base}/embeddings`, `Authorization: Bearer <key>`.
// xAI's chat takes OpenAI's parameters as they are (temperature 0–2, n, stop, seed, penalties,
// logprobs, tools, tool_choice, response_format, stream_options): no translation table. Its legacy
// `/v1/completions` is not offered (core answers 501 for completions).
import { bearer, checkHttpUrl, type OpenAICompatibleSettings } from '@gatehousejs/provider-openai-compatible';
import { XAI_API_BASE, type XaiOptions } from './options.js';

const CAPABILITIES = Object.freeze({ streaming: true, tools: true });

export function xaiSettings(options: XaiOptions): OpenAICompatibleSettings {
  return {
    provider: 'xAI',
    verbatimAnswers: true,
    baseUrl: checkHttpUrl(options.xai_api_base ?? XAI_API_BASE, 'xai_api_base'),
    headers: bearer(options.xai_api_key),
    methods: ['chat', 'chatStream', 'embeddings'],
    capabilities: CAPABILITIES,
  };
}
