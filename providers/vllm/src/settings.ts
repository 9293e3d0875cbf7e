// Where and how to call a vLLM server: its OpenAI-compatible server
// (https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html) at `{base}/chat/completions`,
// `{base}/completions`, `{base}/embeddings`; `Authorization: Bearer <key>` when a key is configured.
// vLLM implements OpenAI's parameters (n, logprobs, best_of, stream_options, tools, ...) and its own
// sampling extras (top_k, min_p, repetition_penalty, guided_*): no translation table, all pass through.
import { bearer, checkHttpUrl, type OpenAICompatibleSettings } from '@gatehousejs/provider-openai-compatible';
import type { VllmOptions } from './options.js';

const CAPABILITIES = Object.freeze({ streaming: true, tools: true });

export function vllmSettings(options: VllmOptions): OpenAICompatibleSettings {
  return {
    provider: 'vLLM',
    verbatimAnswers: true,
    baseUrl: checkHttpUrl(options.vllm_api_base, 'vllm_api_base'),
    headers: options.vllm_api_key ? bearer(options.vllm_api_key) : {},
    capabilities: CAPABILITIES,
  };
}
