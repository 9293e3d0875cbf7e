// Where and how to call Ollama: its OpenAI-compatible API (https://docs.ollama.com/api/openai-compatibility)
// at `{base}/chat/completions`, `{base}/completions`, `{base}/embeddings`; no authentication unless
// a key is configured (for a proxy), then `Authorization: Bearer <key>`.
//
// | parameter              | rule                                                                     |
// | ---------------------- | ------------------------------------------------------------------------ |
// | n                      | rejected unless 1: Ollama ignores it and answers one choice              |
// | max_completion_tokens  | → max_tokens (chat; the name Ollama documents)                           |
// | everything else        | passed: Ollama takes OpenAI's names (temperature 0–2, stop, seed, tools, |
// |                        | response_format, stream_options.include_usage, ...) and ignores the rest |
import { defineParamMap, type ParamMap, type ParamRule } from '@gatehousejs/core';
import { bearer, checkHttpUrl, type OpenAICompatibleSettings } from '@gatehousejs/provider-openai-compatible';
import { OLLAMA_API_BASE, type OllamaOptions } from './options.js';

const N: ParamRule = { reject: (v) => (v === 1 ? undefined : 'Ollama returns a single choice; only n=1 is supported'), convert: () => undefined };

export const CHAT_PARAMS: ParamMap = defineParamMap({ n: N, max_completion_tokens: { to: 'max_tokens' } });
export const COMPLETIONS_PARAMS: ParamMap = defineParamMap({ n: N });

const PARAMS = Object.freeze({ chat: CHAT_PARAMS, completions: COMPLETIONS_PARAMS });
const CAPABILITIES = Object.freeze({ streaming: true, tools: true });

export function ollamaSettings(options: OllamaOptions): OpenAICompatibleSettings {
  return {
    provider: 'Ollama',
    verbatimAnswers: true,
    baseUrl: checkHttpUrl(options.ollama_api_base ?? OLLAMA_API_BASE, 'ollama_api_base'),
    headers: options.ollama_api_key ? bearer(options.ollama_api_key) : {},
    params: PARAMS,
    capabilities: CAPABILITIES,
  };
}
