// Where and how to call OpenRouter (https://openrouter.ai/docs/api-reference/overview): chat at
// `{base}/chat/completions`, completions at `{base}/completions`, `Authorization: Bearer <key>`,
// plus `HTTP-Referer` / `X-Title` when the app attribution options are set. No embeddings
// endpoint (core answers 501).
//
// | parameter       | rule                                                                            |
// | --------------- | ------------------------------------------------------------------------------- |
// | n               | rejected unless 1: OpenRouter's schema has no `n` and answers one choice        |
// | everything else | passed: OpenRouter normalises OpenAI's parameters across its upstreams          |
// |                 | (temperature 0–2, top_p, stop, seed, penalties, logit_bias, logprobs, tools,    |
// |                 | tool_choice, response_format) and adds its own (models, provider, transforms,   |
// |                 | top_k, min_p, ...)                                                              |
import { defineParamMap, type ParamMap } from '@gatehousejs/core';
import { bearer, checkHttpUrl, mergeHeaders, type OpenAICompatibleSettings } from '@gatehousejs/provider-openai-compatible';
import { OPENROUTER_API_BASE, type OpenRouterOptions } from './options.js';

export const PARAMS_TABLE: ParamMap = defineParamMap({
  n: { reject: (v) => (v === 1 ? undefined : 'OpenRouter returns a single choice; only n=1 is supported'), convert: () => undefined },
});

const PARAMS = Object.freeze({ chat: PARAMS_TABLE, completions: PARAMS_TABLE });
const CAPABILITIES = Object.freeze({ streaming: true, tools: true });

function attribution(options: OpenRouterOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  if (options.openrouter_site_url) headers['HTTP-Referer'] = options.openrouter_site_url;
  if (options.openrouter_app_name) headers['X-Title'] = options.openrouter_app_name;
  return headers;
}

export function openRouterSettings(options: OpenRouterOptions): OpenAICompatibleSettings {
  return {
    provider: 'OpenRouter',
    verbatimAnswers: true,
    baseUrl: checkHttpUrl(options.openrouter_api_base ?? OPENROUTER_API_BASE, 'openrouter_api_base'),
    headers: mergeHeaders(attribution(options), bearer(options.openrouter_api_key)),
    methods: ['chat', 'chatStream', 'completions', 'completionsStream'],
    params: PARAMS,
    capabilities: CAPABILITIES,
  };
}
