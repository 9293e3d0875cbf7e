// The parameter translation tables: how each standard (OpenAI-format) parameter maps onto
// Cohere's v2 API. Read only by core's `translateParams`; no parameter is handled by an
// if-chain elsewhere. Parameters a table does not name pass through unchanged (MLflow's
// behaviour: a caller may send Cohere's own parameters, such as `safety_mode`, `documents`,
// `citation_options` or `thinking`).
//
// Chat (POST /v2/chat) and completions (served through /v2/chat):
//
// | parameter                | rule                                                                      |
// | ------------------------ | ------------------------------------------------------------------------- |
// | temperature              | scaled linearly from OpenAI's 0–2 onto Cohere's 0–1 (1.0 → 0.5)           |
// | top_p                    | → p, clamped to Cohere's documented 0.01–0.99                             |
// | top_k                    | → k (Cohere's own 0–500)                                                  |
// | max_tokens               | passed (Cohere defaults to the model's maximum output)                    |
// | max_completion_tokens    | → max_tokens (chat)                                                       |
// | stop                     | → stop_sequences; a string becomes a one-element array                    |
// | presence_penalty,        | negative values rejected (400 naming the field: Cohere's range is 0–1);   |
// |   frequency_penalty      |   0–2 scaled linearly onto 0–1 (0 stays 0, the neutral value)             |
// | seed                     | passed                                                                    |
// | n                        | handled in code: emulated with n parallel calls (1–8, not on streams)    |
// | response_format          | handled in code: json_object → {type:'json_object'}, json_schema →        |
// |                          |   {type:'json_object', json_schema}, text → left out                      |
// | logprobs, top_logprobs   | rejected when asked for (Cohere's log probabilities are not translated)   |
// | logit_bias               | rejected unless empty (dropped when empty)                                |
// | functions, function_call | rejected: legacy function calling; use tools / tool_choice                |
// | reasoning_effort         | rejected: send Cohere's own `thinking` parameter instead                  |
// | modalities, audio        | rejected unless text only / absent                                        |
// | web_search_options       | rejected                                                                  |
// | user, metadata, store,   | dropped: Cohere has no such fields and ignoring them is harmless          |
// |   prediction,            |                                                                           |
// |   parallel_tool_calls    |   (Cohere decides on parallel tool calls itself)                          |
// | echo, suffix, best_of    | rejected unless false / empty / 1 (completions)                           |
// | model, stream,           | written by the provider (manual)                                          |
// |   stream_options,        |                                                                           |
// |   messages, prompt,      |                                                                           |
// |   tools, tool_choice     |                                                                           |
//
// Embeddings (POST /v2/embed): input → texts (manual); dimensions → output_dimension;
// input_type defaults to the `embedding_input_type` option (a request's own `input_type` wins);
// embedding_types is always ['float'] (manual); user is dropped.
//
// A null value means "the default" in OpenAI's API: core's helper treats it as absent.
import { defineParamMap, type ParamMap, type ParamRule } from '@gatehousejs/core';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Accept only a neutral value, which is then left out of the body; reject anything else. */
function neutralOnly(isNeutral: (value: unknown) => boolean, message: string): ParamRule {
  return { reject: (value) => (isNeutral(value) ? undefined : message), convert: () => undefined };
}

const MANUAL: ParamRule = Object.freeze({ manual: true });
const DROP: ParamRule = Object.freeze({ drop: true });

/** OpenAI's −2..2 penalty onto Cohere's 0..1: negatives are refused, 0..2 is scaled. */
function penalty(name: string): ParamRule {
  return {
    reject: (value) =>
      typeof value !== 'number' || !Number.isFinite(value)
        ? 'must be a number'
        : value < 0
          ? `Cohere's ${name} ranges from 0 to 1; negative values (which favour repetition) are not supported`
          : undefined,
    scale: { from: [0, 2], to: [0, 1] },
  };
}

/** Cohere documents p within 0.01–0.99; OpenAI's common 1.0 ("no nucleus cut") becomes 0.99. */
const clampP = (value: unknown): unknown => (typeof value === 'number' ? Math.min(0.99, Math.max(0.01, value)) : value);

const sharedRules: Readonly<Record<string, ParamRule>> = {
  model: MANUAL,
  stream: MANUAL,
  stream_options: MANUAL,
  n: MANUAL,
  temperature: { scale: { from: [0, 2], to: [0, 1] } },
  top_p: { to: 'p', convert: clampP },
  top_k: { to: 'k' },
  max_tokens: {},
  stop: { to: 'stop_sequences', convert: (value) => (Array.isArray(value) ? value : [value]) },
  presence_penalty: penalty('presence_penalty'),
  frequency_penalty: penalty('frequency_penalty'),
  seed: {},
  logprobs: neutralOnly((v) => v === false || v === 0, "Cohere's log probabilities are not translated by this provider"),
  top_logprobs: neutralOnly((v) => v === 0, "Cohere's log probabilities are not translated by this provider"),
  logit_bias: neutralOnly((v) => isPlainObject(v) && Object.keys(v).length === 0, 'Cohere does not support logit_bias'),
  user: DROP,
  metadata: DROP,
  store: DROP,
  prediction: DROP,
};

const chatRules: Readonly<Record<string, ParamRule>> = {
  ...sharedRules,
  messages: MANUAL,
  tools: MANUAL,
  tool_choice: MANUAL,
  response_format: MANUAL,
  parallel_tool_calls: DROP,
  max_completion_tokens: { to: 'max_tokens' },
  functions: { reject: 'legacy function calling is not supported; use tools' },
  function_call: { reject: 'legacy function calling is not supported; use tool_choice' },
  reasoning_effort: { reject: "not supported; send Cohere's own `thinking` parameter instead (it passes through)" },
  modalities: neutralOnly((v) => Array.isArray(v) && v.every((m) => m === 'text'), 'Cohere answers with text only'),
  audio: neutralOnly(() => false, 'Cohere does not produce audio'),
  web_search_options: { reject: 'not supported by this provider' },
};

const completionsRules: Readonly<Record<string, ParamRule>> = {
  ...sharedRules,
  prompt: MANUAL,
  echo: neutralOnly((v) => v === false, 'Cohere cannot echo the prompt'),
  suffix: neutralOnly((v) => v === '', 'Cohere does not support a suffix (insertion)'),
  best_of: neutralOnly((v) => v === 1, 'only best_of=1 is supported (use n for several completions)'),
};

const embeddingsRules: Readonly<Record<string, ParamRule>> = {
  model: MANUAL,
  input: MANUAL,
  embedding_types: MANUAL,
  // Core applies encoding_format itself and strips it; a stray one is harmless to drop.
  encoding_format: DROP,
  dimensions: { to: 'output_dimension' },
  user: DROP,
};

export const CHAT_PARAMS: ParamMap = defineParamMap(chatRules, { unknown: 'pass' });
export const COMPLETIONS_PARAMS: ParamMap = defineParamMap(completionsRules, { unknown: 'pass' });
export const EMBEDDINGS_PARAMS: ParamMap = defineParamMap(embeddingsRules, { unknown: 'pass' });
