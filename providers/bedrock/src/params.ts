// The parameter translation tables: how each standard (OpenAI-format) parameter maps onto
// Bedrock's Converse API (chat and completions) and onto the InvokeModel bodies of the
// embedding families. Read only by core's `translateParams`.
//
// Converse (chat, completions):
// | parameter                 | rule                                                                |
// | ------------------------- | ------------------------------------------------------------------- |
// | temperature               | → inferenceConfig.temperature, scaled from 0–2 onto 0–1 (1.0 → 0.5)  |
// | top_p                     | → inferenceConfig.topP                                              |
// | max_tokens                | → inferenceConfig.maxTokens (no default: each model has its own)    |
// | max_completion_tokens     | → inferenceConfig.maxTokens (chat)                                  |
// | stop                      | → inferenceConfig.stopSequences; a string becomes a one-item list   |
// | n                         | rejected unless 1: Converse answers one choice                      |
// | presence_penalty,         | rejected unless 0 (Converse has no penalties; send a model's own    |
// |   frequency_penalty       |   parameter, it passes through to additionalModelRequestFields)    |
// | logit_bias                | rejected unless empty                                               |
// | logprobs, top_logprobs    | rejected when asked for: Converse returns none                      |
// | response_format           | rejected unless {type:'text'}                                       |
// | functions, function_call  | rejected: legacy function calling; use tools / tool_choice          |
// | modalities, audio         | rejected unless text only / absent                                  |
// | parallel_tool_calls       | dropped: Converse has no such switch                                |
// | seed, user, metadata,     | dropped: hints with no Converse field, harmless to ignore           |
// |   store, prediction       |                                                                     |
// | echo, suffix, best_of     | rejected unless false / empty / 1 (completions)                     |
// | messages, prompt, tools,  | written by the provider (request.ts)                                |
// |   tool_choice, model,     |                                                                     |
// |   stream, stream_options  |                                                                     |
// | anything else             | passed through: Converse's own top-level fields (guardrailConfig,   |
// |                           |   additionalModelRequestFields, ...) stay top-level, every other   |
// |                           |   key goes into additionalModelRequestFields (e.g. top_k)           |
//
// Embeddings (InvokeModel):
// | parameter        | Titan (amazon.titan-embed-*)   | Cohere (cohere.embed-*)                       |
// | ---------------- | ------------------------------ | --------------------------------------------- |
// | dimensions       | → dimensions                   | → output_dimension                            |
// | input_type       | passed through                 | default 'search_document'                     |
// | embedding_types, | rejected unless float only     | rejected unless float only                    |
// |   embeddingTypes |                                |                                               |
// | user             | dropped                        | dropped                                       |
// | anything else    | passed through (normalize, …)  | passed through (truncate, …)                  |
import { defineParamMap, type ParamMap, type ParamRule } from '@gatehousejs/core';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Accept only a neutral value, which is then left out of the body; reject anything else. */
function neutralOnly(isNeutral: (value: unknown) => boolean, message: string): ParamRule {
  return { reject: (value) => (isNeutral(value) ? undefined : message), convert: () => undefined };
}

const MANUAL: ParamRule = Object.freeze({ manual: true });
const DROP: ParamRule = Object.freeze({ drop: true });

const SHARED: Readonly<Record<string, ParamRule>> = Object.freeze({
  model: MANUAL,
  stream: MANUAL,
  stream_options: MANUAL,
  temperature: { to: 'inferenceConfig.temperature', scale: { from: [0, 2], to: [0, 1] } },
  top_p: { to: 'inferenceConfig.topP' },
  max_tokens: { to: 'inferenceConfig.maxTokens' },
  stop: { to: 'inferenceConfig.stopSequences', convert: (value) => (Array.isArray(value) ? value : [value]) },
  n: neutralOnly((v) => v === 1, 'Bedrock returns a single choice; only n=1 is supported'),
  presence_penalty: neutralOnly((v) => v === 0, "Bedrock's Converse API has no presence penalty; leave it out or send 0"),
  frequency_penalty: neutralOnly((v) => v === 0, "Bedrock's Converse API has no frequency penalty; leave it out or send 0"),
  logit_bias: neutralOnly((v) => isPlainObject(v) && Object.keys(v).length === 0, 'Bedrock does not support logit_bias'),
  logprobs: neutralOnly((v) => v === false || v === 0, 'Bedrock does not return log probabilities'),
  top_logprobs: neutralOnly((v) => v === 0, 'Bedrock does not return log probabilities'),
  seed: DROP,
  user: DROP,
  metadata: DROP,
  store: DROP,
  prediction: DROP,
});

const CHAT: Readonly<Record<string, ParamRule>> = Object.freeze({
  ...SHARED,
  messages: MANUAL,
  tools: MANUAL,
  tool_choice: MANUAL,
  parallel_tool_calls: DROP,
  max_completion_tokens: { to: 'inferenceConfig.maxTokens' },
  response_format: neutralOnly(
    (v) => isPlainObject(v) && v.type === 'text',
    'Bedrock has no JSON mode here; only {"type":"text"} is supported (describe the JSON in the prompt, or use a tool with an input schema)',
  ),
  functions: { reject: 'legacy function calling is not supported; use tools' },
  function_call: { reject: 'legacy function calling is not supported; use tool_choice' },
  modalities: neutralOnly((v) => Array.isArray(v) && v.every((m) => m === 'text'), 'Bedrock answers with text only'),
  audio: neutralOnly(() => false, 'Bedrock does not produce audio'),
});

const COMPLETIONS: Readonly<Record<string, ParamRule>> = Object.freeze({
  ...SHARED,
  prompt: MANUAL,
  echo: neutralOnly((v) => v === false, 'Bedrock cannot echo the prompt'),
  suffix: neutralOnly((v) => v === '', 'Bedrock does not support a suffix (insertion)'),
  best_of: neutralOnly((v) => v === 1, 'Bedrock returns a single completion; only best_of=1 is supported'),
});

const floatOnly = neutralOnly(
  (v) => Array.isArray(v) && v.every((t) => t === 'float'),
  'only float embeddings are supported (the gateway answers in OpenAI’s format; ask for encoding_format "base64" to get them packed)',
);

const EMBEDDINGS_SHARED: Readonly<Record<string, ParamRule>> = Object.freeze({
  model: MANUAL,
  input: MANUAL,
  user: DROP,
  encoding_format: DROP,
  embedding_types: floatOnly,
  embeddingTypes: floatOnly,
});

export interface ParamMaps {
  readonly chat: ParamMap;
  readonly completions: ParamMap;
  readonly titan: ParamMap;
  readonly cohere: ParamMap;
}

/** Compiled once, at module load; deeply frozen. */
export const PARAM_MAPS: ParamMaps = Object.freeze({
  chat: defineParamMap(CHAT, { unknown: 'pass' }),
  completions: defineParamMap(COMPLETIONS, { unknown: 'pass' }),
  titan: defineParamMap({ ...EMBEDDINGS_SHARED, dimensions: { to: 'dimensions' } }, { unknown: 'pass' }),
  cohere: defineParamMap(
    { ...EMBEDDINGS_SHARED, dimensions: { to: 'output_dimension' }, input_type: { default: 'search_document' } },
    { unknown: 'pass' },
  ),
});
