// Where and how to call Fireworks AI (https://docs.fireworks.ai/api-reference/introduction,
// https://docs.fireworks.ai/tools-sdks/openai-compatibility): OpenAI's paths under `{base}`
// (`chat/completions`, `completions`, `embeddings`), `Authorization: Bearer <key>`.
// Fireworks takes OpenAI's parameters as they are (temperature 0–2, n, stop, seed, penalties,
// logprobs, tools, response_format) and its own (top_k, min_p, context_length_exceeded_behavior,
// ...): no translation table. Its streams put the usage on the last chunk, beside the finish
// reason (see response.ts).
import { bearer, checkHttpUrl, type OpenAICompatibleSettings } from '@gatehousejs/provider-openai-compatible';
import { FIREWORKS_API_BASE, type FireworksOptions } from './options.js';

const CAPABILITIES = Object.freeze({ streaming: true, tools: true });

export function fireworksSettings(options: FireworksOptions): OpenAICompatibleSettings {
  return {
    provider: 'Fireworks AI',
    verbatimAnswers: true,
    baseUrl: checkHttpUrl(options.fireworks_api_base ?? FIREWORKS_API_BASE, 'fireworks_api_base'),
    headers: bearer(options.fireworks_api_key),
    capabilities: CAPABILITIES,
  };
}
