// Where and how to call Together AI (https://docs.together.ai/reference/): OpenAI's paths under
// `{base}` (`chat/completions`, `completions`, `embeddings`), `Authorization: Bearer <key>`, and
// the parameter tables below. Parameters they do not name pass through (Together's own: `top_k`,
// `repetition_penalty`, `min_p`, `safety_model`, `context_length_exceeded_behavior`, ...).
//
// | parameter              | rule                                                                       |
// | ---------------------- | -------------------------------------------------------------------------- |
// | temperature, top_p,    | passed: Together takes OpenAI's values (its models sample the same way)    |
// |   n, penalties, seed   |                                                                            |
// | stop                   | a string becomes a one-element list (Together takes a list only)           |
// | max_completion_tokens  | → max_tokens (chat)                                                        |
// | logprobs (chat)        | Together takes a count: true → 1, false → left out, a number as it is      |
// | top_logprobs (chat)    | → logprobs (the count; Together answers in its own logprobs format)        |
// | stream_options         | dropped: not in Together's API; usage comes on the last chunk anyway       |
// | tools, tool_choice,    | passed: Together takes OpenAI's shapes                                     |
// |   response_format      |                                                                            |
import { defineParamMap, type ParamMap, type ParamRule } from '@gatehousejs/core';
import { bearer, checkHttpUrl, type OpenAICompatibleSettings } from '@gatehousejs/provider-openai-compatible';
import { TOGETHERAI_API_BASE, type TogetherAIOptions } from './options.js';

const SHARED: Record<string, ParamRule> = {
  stop: { convert: (value) => (typeof value === 'string' ? [value] : value) },
  stream_options: { drop: true },
};

export const CHAT_PARAMS: ParamMap = defineParamMap({
  ...SHARED,
  max_completion_tokens: { to: 'max_tokens' },
  logprobs: { convert: (value) => (value === true ? 1 : value === false ? undefined : value) },
  top_logprobs: { to: 'logprobs' },
});

export const COMPLETIONS_PARAMS: ParamMap = defineParamMap(SHARED);

const PARAMS = Object.freeze({ chat: CHAT_PARAMS, completions: COMPLETIONS_PARAMS });
const CAPABILITIES = Object.freeze({ streaming: true, tools: true });

export function togetherSettings(options: TogetherAIOptions): OpenAICompatibleSettings {
  return {
    provider: 'Together AI',
    baseUrl: checkHttpUrl(options.togetherai_api_base ?? TOGETHERAI_API_BASE, 'togetherai_api_base'),
    headers: bearer(options.togetherai_api_key),
    params: PARAMS,
    capabilities: CAPABILITIES,
  };
}
