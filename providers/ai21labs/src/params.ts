// The parameter translation tables: how each standard (OpenAI-format) parameter maps onto
// AI21's APIs. Read only by core's `translateParams`; no parameter is handled by an if-chain
// elsewhere. Parameters a table does not name pass through unchanged (MLflow's behaviour: a
// caller may send AI21's own parameters, such as `documents` for Jamba or `minTokens` and
// `countPenalty` for J2).
//
// Jamba chat completions (POST /studio/v1/chat/completions; also completions on jamba-* models):
//
// | parameter                | rule                                                                    |
// | ------------------------ | ----------------------------------------------------------------------- |
// | temperature              | passed: AI21 documents 0.0–2.0, OpenAI's range (no scaling)             |
// | top_p                    | passed (0–1 on both sides)                                              |
// | max_tokens               | passed; max_completion_tokens → max_tokens (chat)                       |
// | stop                     | passed as a list (a string becomes a one-element list)                  |
// | n                        | handled in code: sent natively, 1–16; n > 1 on a stream is refused      |
// | presence_penalty,        | refused unless 0 (the Jamba chat API documents no penalties; 0 is       |
// |   frequency_penalty      |   their neutral value and is dropped)                                   |
// | logprobs, top_logprobs,  | refused when asked for / non-empty (dropped when false, 0 or empty)    |
// |   logit_bias             |                                                                         |
// | seed, user, metadata,    | dropped: not documented by AI21, harmless to ignore                     |
// |   store, prediction,     |                                                                         |
// |   parallel_tool_calls    |                                                                         |
// | response_format          | handled in code: text / json_object passed; json_schema refused         |
// | tools, tool_choice       | handled in code (tool_choice: auto dropped, none → no tools sent,       |
// |                          |   required / a named function refused: AI21 documents no tool_choice)  |
// | functions, function_call,| refused                                                                 |
// |   reasoning_effort,      |                                                                         |
// |   modalities, audio,     |                                                                         |
// |   web_search_options     |                                                                         |
// | echo, suffix, best_of    | refused unless false / empty / 1 (completions)                          |
//
// J2 complete (POST /studio/v1/{model}/complete; completions on models not named jamba-*):
//
// | parameter          | J2 field               | rule                                                   |
// | ------------------ | ---------------------- | ------------------------------------------------------ |
// | n                  | numResults             | renamed                                                |
// | max_tokens         | maxTokens              | renamed (AI21's default is 16, as OpenAI's is)         |
// | temperature        | temperature            | scaled linearly from 0–2 onto J2's 0–1 (1.0 → 0.5)     |
// | top_p              | topP                   | renamed                                                |
// | stop               | stopSequences          | renamed; a string becomes a one-element list           |
// | presence_penalty   | presencePenalty.scale  | negatives refused; 0–2 scaled onto J2's 0–5            |
// | frequency_penalty  | frequencyPenalty.scale | negatives refused; 0–2 scaled onto J2's 0–500, rounded |
// | count_penalty      | countPenalty.scale     | AI21's own 0–1 value, passed (not an OpenAI parameter) |
// | seed, user         | —                      | dropped                                                |
// | logprobs,          | —                      | refused when asked for / non-empty                     |
// |   logit_bias       |                        |                                                        |
// | echo, suffix,      | —                      | refused unless false / empty / 1                       |
// |   best_of          |                        |                                                        |
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
const asList = (value: unknown): unknown => (Array.isArray(value) ? value : [value]);

const noLogprobs = {
  logprobs: neutralOnly((v) => v === false || v === 0, 'log probabilities are not translated by this provider'),
  top_logprobs: neutralOnly((v) => v === 0, 'log probabilities are not translated by this provider'),
  logit_bias: neutralOnly((v) => isPlainObject(v) && Object.keys(v).length === 0, 'AI21 does not support logit_bias'),
};

const completionOnly = {
  echo: neutralOnly((v) => v === false, 'AI21 cannot echo the prompt'),
  suffix: neutralOnly((v) => v === '', 'AI21 does not support a suffix (insertion)'),
  best_of: neutralOnly((v) => v === 1, 'only best_of=1 is supported (use n for several completions)'),
};

const jambaShared: Readonly<Record<string, ParamRule>> = {
  model: MANUAL,
  stream: MANUAL,
  stream_options: MANUAL,
  n: MANUAL,
  temperature: {},
  top_p: {},
  max_tokens: {},
  stop: { convert: asList },
  presence_penalty: neutralOnly((v) => v === 0, "AI21's Jamba chat API has no presence penalty; leave it out or send 0"),
  frequency_penalty: neutralOnly((v) => v === 0, "AI21's Jamba chat API has no frequency penalty; leave it out or send 0"),
  ...noLogprobs,
  seed: DROP,
  user: DROP,
  metadata: DROP,
  store: DROP,
  prediction: DROP,
};

const jambaChatRules: Readonly<Record<string, ParamRule>> = {
  ...jambaShared,
  messages: MANUAL,
  tools: MANUAL,
  tool_choice: MANUAL,
  response_format: MANUAL,
  parallel_tool_calls: DROP,
  max_completion_tokens: { to: 'max_tokens' },
  functions: { reject: 'legacy function calling is not supported; use tools' },
  function_call: { reject: 'legacy function calling is not supported; use tools' },
  reasoning_effort: { reject: 'not supported by AI21' },
  modalities: neutralOnly((v) => Array.isArray(v) && v.every((m) => m === 'text'), 'AI21 answers with text only'),
  audio: neutralOnly(() => false, 'AI21 does not produce audio'),
  web_search_options: { reject: 'not supported by this provider' },
};

const jambaCompletionsRules: Readonly<Record<string, ParamRule>> = {
  ...jambaShared,
  prompt: MANUAL,
  ...completionOnly,
};

/** OpenAI's −2..2 penalty onto a J2 penalty's 0..max: negatives refused, 0..2 scaled. */
function j2Penalty(name: string, to: string, max: number, round = false): ParamRule {
  return {
    to,
    reject: (value) =>
      typeof value !== 'number' || !Number.isFinite(value)
        ? 'must be a number'
        : value < 0
          ? `J2's ${name} ranges from 0 to ${max}; negative values (which favour repetition) are not supported`
          : undefined,
    scale: { from: [0, 2], to: [0, max] },
    ...(round ? { convert: (value: unknown) => (typeof value === 'number' ? Math.round(value) : value) } : {}),
  };
}

const j2Rules: Readonly<Record<string, ParamRule>> = {
  model: MANUAL,
  prompt: MANUAL,
  stream: MANUAL,
  stream_options: MANUAL,
  n: { to: 'numResults' },
  max_tokens: { to: 'maxTokens' },
  temperature: { scale: { from: [0, 2], to: [0, 1] } },
  top_p: { to: 'topP' },
  stop: { to: 'stopSequences', convert: asList },
  presence_penalty: j2Penalty('presencePenalty', 'presencePenalty.scale', 5),
  frequency_penalty: j2Penalty('frequencyPenalty', 'frequencyPenalty.scale', 500, true),
  count_penalty: { to: 'countPenalty.scale' },
  seed: DROP,
  user: DROP,
  ...noLogprobs,
  ...completionOnly,
};

export const JAMBA_CHAT_PARAMS: ParamMap = defineParamMap(jambaChatRules, { unknown: 'pass' });
export const JAMBA_COMPLETIONS_PARAMS: ParamMap = defineParamMap(jambaCompletionsRules, { unknown: 'pass' });
export const J2_PARAMS: ParamMap = defineParamMap(j2Rules, { unknown: 'pass' });
