// Where and how to call DeepSeek (https://api-docs.deepseek.com/api/deepseek-api):
// chat at `{base}/chat/completions`, completions through DeepSeek's FIM (fill-in-the-middle)
// completion, a beta endpoint at `{base}/beta/completions`
// (https://api-docs.deepseek.com/api/create-completion, https://api-docs.deepseek.com/guides/fim_completion);
// `Authorization: Bearer <key>`. No embeddings endpoint (core answers 501).
//
// | parameter       | rule                                                                            |
// | --------------- | ------------------------------------------------------------------------------- |
// | n               | rejected unless 1: DeepSeek answers one choice                                  |
// | everything else | passed: DeepSeek takes OpenAI's names (temperature 0–2, top_p, penalties, stop, |
// |                 | max_tokens, response_format, tools, tool_choice, logprobs, top_logprobs,        |
// |                 | stream_options.include_usage; FIM: prompt, suffix, echo, logprobs)              |
import { defineParamMap, type ParamMap } from '@gatehousejs/core';
import { bearer, checkHttpUrl, type OpenAICompatibleSettings } from '@gatehousejs/provider-openai-compatible';
import { DEEPSEEK_API_BASE, type DeepSeekOptions } from './options.js';

export const PARAMS_TABLE: ParamMap = defineParamMap({
  n: { reject: (v) => (v === 1 ? undefined : 'DeepSeek returns a single choice; only n=1 is supported'), convert: () => undefined },
});

const PARAMS = Object.freeze({ chat: PARAMS_TABLE, completions: PARAMS_TABLE });
const PATHS = Object.freeze({ completions: 'beta/completions' });
const CAPABILITIES = Object.freeze({ streaming: true, tools: true, completions: 'FIM (beta)' });

export function deepseekSettings(options: DeepSeekOptions): OpenAICompatibleSettings {
  return {
    provider: 'DeepSeek',
    verbatimAnswers: true,
    baseUrl: checkHttpUrl(options.deepseek_api_base ?? DEEPSEEK_API_BASE, 'deepseek_api_base'),
    headers: bearer(options.deepseek_api_key),
    paths: PATHS,
    methods: ['chat', 'chatStream', 'completions', 'completionsStream'],
    params: PARAMS,
    capabilities: CAPABILITIES,
  };
}
