// Where and how to call Groq: its OpenAI-compatible API (https://console.groq.com/docs/openai,
// https://console.groq.com/docs/api-reference#chat-create) at `{base}/chat/completions` with
// `Authorization: Bearer <key>`. Groq has no completions or embeddings endpoint (core answers 501).
//
// Groq answers 400 to these OpenAI fields ("Currently Unsupported OpenAI Features"), so they are
// refused here with a message naming Groq, or mapped where nothing is lost:
// | parameter          | rule                                                                   |
// | ------------------ | ---------------------------------------------------------------------- |
// | n                  | rejected unless 1                                                      |
// | logprobs           | rejected unless false                                                  |
// | top_logprobs       | rejected unless 0                                                      |
// | logit_bias         | rejected unless empty                                                  |
// | messages[].name    | left out of every message (Groq rejects it; it is only a label)        |
// | everything else    | passed (temperature 0–2 as OpenAI, stop, seed, tools, tool_choice,     |
// |                    | response_format, stream_options.include_usage, max_completion_tokens)  |
import { defineParamMap, type ParamMap, type ParamRule } from '@gatehousejs/core';
import { bearer, checkHttpUrl, type OpenAICompatibleSettings } from '@gatehousejs/provider-openai-compatible';
import { GROQ_API_BASE, type GroqOptions } from './options.js';

/** Accept only a neutral value, which is then left out of the body; reject anything else. */
function neutralOnly(isNeutral: (value: unknown) => boolean, message: string): ParamRule {
  return { reject: (value) => (isNeutral(value) ? undefined : message), convert: () => undefined };
}

const withoutName = (message: unknown): unknown => {
  if (typeof message !== 'object' || message === null || !('name' in message)) return message;
  const { name: _name, ...rest } = message as Record<string, unknown>;
  return rest;
};

export const CHAT_PARAMS: ParamMap = defineParamMap({
  n: neutralOnly((v) => v === 1, 'Groq returns a single choice; only n=1 is supported'),
  logprobs: neutralOnly((v) => v === false, 'Groq does not support logprobs'),
  top_logprobs: neutralOnly((v) => v === 0, 'Groq does not support top_logprobs'),
  logit_bias: neutralOnly((v) => typeof v === 'object' && v !== null && Object.keys(v).length === 0, 'Groq does not support logit_bias'),
  messages: { convert: (value) => (Array.isArray(value) ? value.map(withoutName) : value) },
});

const PARAMS = Object.freeze({ chat: CHAT_PARAMS });
const CAPABILITIES = Object.freeze({ streaming: true, tools: true });

export function groqSettings(options: GroqOptions): OpenAICompatibleSettings {
  return {
    provider: 'Groq',
    verbatimAnswers: true,
    baseUrl: checkHttpUrl(options.groq_api_base ?? GROQ_API_BASE, 'groq_api_base'),
    headers: bearer(options.groq_api_key),
    methods: ['chat', 'chatStream'],
    params: PARAMS,
    capabilities: CAPABILITIES,
  };
}
