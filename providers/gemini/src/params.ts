// The parameter translation tables: how each standard (OpenAI-format) parameter maps onto the
// Gemini API. Read only by core's `translateParams`. Parameters the tables do not name pass
// through unchanged as top-level body fields (MLflow's behaviour), so a caller may send Gemini's
// own fields such as `safetySettings` or `cachedContent`; a `generationConfig` object sent by the
// caller is merged under the translated one (request.ts).
//
// | parameter                 | rule                                                                |
// | ------------------------- | ------------------------------------------------------------------- |
// | temperature               | → generationConfig.temperature, NOT scaled: Gemini's range is 0–2,  |
// |                           |   the same as OpenAI's                                              |
// | top_p                     | → generationConfig.topP                                             |
// | top_k                     | → generationConfig.topK                                             |
// | max_tokens,               | → generationConfig.maxOutputTokens (no default: Gemini needs none)  |
// |   max_completion_tokens   |                                                                     |
// | stop                      | → generationConfig.stopSequences; a string becomes a 1-element list |
// | n                         | → generationConfig.candidateCount (native)                          |
// | presence_penalty          | → generationConfig.presencePenalty                                  |
// | frequency_penalty         | → generationConfig.frequencyPenalty                                 |
// | seed                      | → generationConfig.seed                                             |
// | response_format           | json_object → generationConfig.responseMimeType application/json;   |
// |                           |   json_schema → also responseSchema (schema.ts); text → nothing     |
// | tools, tool_choice        | → tools[].functionDeclarations, toolConfig (request.ts)             |
// | parallel_tool_calls       | dropped: Gemini has no switch for it                                |
// | user, store, metadata,    | dropped: OpenAI-side bookkeeping and hints, harmless to ignore      |
// |   prediction, service_tier|                                                                     |
// | logit_bias                | rejected unless empty (Gemini has none)                             |
// | logprobs, top_logprobs    | rejected when asked for (not translated); false / 0 dropped         |
// | functions, function_call  | rejected: legacy function calling; use tools / tool_choice          |
// | reasoning_effort          | rejected: send generationConfig.thinkingConfig (passes through)     |
// | modalities, audio         | rejected unless text only / absent                                  |
// | web_search_options        | rejected                                                            |
// | echo, suffix, best_of     | rejected unless false / empty / 1 (completions)                     |
// | dimensions                | → outputDimensionality (embeddings)                                 |
// | model, stream,            | written by the provider (manual)                                    |
// |   stream_options, messages,                                                                     |
// |   prompt, input           |                                                                     |
//
// A null value means "not set" in OpenAI's API: core's helper leaves it out.
import { defineParamMap, type ParamMap, type ParamRule } from '@gatehousejs/core';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Accept only a neutral value, which is then left out of the body; reject anything else. */
function neutralOnly(isNeutral: (value: unknown) => boolean, message: string): ParamRule {
  return { reject: (value) => (isNeutral(value) ? undefined : message), convert: () => undefined };
}

const MANUAL: ParamRule = Object.freeze({ manual: true });
const DROP: ParamRule = Object.freeze({ drop: true });

const generation = (field: string, convert?: (value: unknown) => unknown): ParamRule =>
  convert ? { to: `generationConfig.${field}`, convert } : { to: `generationConfig.${field}` };

const SHARED: Readonly<Record<string, ParamRule>> = Object.freeze({
  model: MANUAL,
  stream: MANUAL,
  stream_options: MANUAL,
  generationConfig: MANUAL,
  temperature: generation('temperature'),
  top_p: generation('topP'),
  top_k: generation('topK'),
  max_tokens: generation('maxOutputTokens'),
  stop: generation('stopSequences', (value) => (Array.isArray(value) ? value : [value])),
  n: generation('candidateCount'),
  presence_penalty: generation('presencePenalty'),
  frequency_penalty: generation('frequencyPenalty'),
  seed: generation('seed'),
  user: DROP,
  store: DROP,
  metadata: DROP,
  prediction: DROP,
  service_tier: DROP,
  logit_bias: neutralOnly((v) => isPlainObject(v) && Object.keys(v).length === 0, 'Gemini does not support logit_bias'),
});

const CHAT: Readonly<Record<string, ParamRule>> = Object.freeze({
  ...SHARED,
  messages: MANUAL,
  tools: MANUAL,
  tool_choice: MANUAL,
  response_format: MANUAL,
  parallel_tool_calls: DROP,
  max_completion_tokens: generation('maxOutputTokens'),
  logprobs: neutralOnly((v) => v === false, 'log probabilities are not translated for Gemini'),
  top_logprobs: neutralOnly((v) => v === 0, 'log probabilities are not translated for Gemini'),
  functions: { reject: 'legacy function calling is not supported; use tools' },
  function_call: { reject: 'legacy function calling is not supported; use tool_choice' },
  reasoning_effort: { reject: "not translated; send Gemini's own generationConfig.thinkingConfig instead (it passes through)" },
  modalities: neutralOnly((v) => Array.isArray(v) && v.every((m) => m === 'text'), 'only text output is supported'),
  audio: { reject: 'audio output is not supported' },
  web_search_options: { reject: 'not supported by this provider' },
});

const COMPLETIONS: Readonly<Record<string, ParamRule>> = Object.freeze({
  ...SHARED,
  prompt: MANUAL,
  logprobs: neutralOnly((v) => v === 0, 'log probabilities are not translated for Gemini'),
  echo: neutralOnly((v) => v === false, 'Gemini cannot echo the prompt'),
  suffix: neutralOnly((v) => v === '', 'Gemini does not support a suffix (insertion)'),
  best_of: neutralOnly((v) => v === 1, 'Gemini does not support best_of; use n'),
});

const EMBEDDINGS: Readonly<Record<string, ParamRule>> = Object.freeze({
  model: MANUAL,
  input: MANUAL,
  dimensions: { to: 'outputDimensionality' },
  encoding_format: DROP,
  user: DROP,
});

/** The compiled tables (deeply frozen, built once at module load). */
export const PARAMS: Readonly<{ chat: ParamMap; completions: ParamMap; embeddings: ParamMap }> = Object.freeze({
  chat: defineParamMap(CHAT, { unknown: 'pass' }),
  completions: defineParamMap(COMPLETIONS, { unknown: 'pass' }),
  embeddings: defineParamMap(EMBEDDINGS, { unknown: 'pass' }),
});
