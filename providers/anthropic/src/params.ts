// The parameter translation table: how each standard (OpenAI-format) parameter maps onto
// Anthropic's Messages API. Read only by core's `translateParams`; no parameter is handled by
// an if-chain elsewhere. Parameters the table does not name pass through unchanged (MLflow's
// behaviour: a caller may send Anthropic's own parameters, such as `thinking` or `top_k`).
//
// | parameter               | rule                                                                  |
// | ----------------------- | --------------------------------------------------------------------- |
// | temperature             | scaled linearly from OpenAI's 0–2 onto Anthropic's 0–1 (1.0 → 0.5)    |
// | top_p, top_k            | passed as they are                                                    |
// | stop                    | → stop_sequences, a string becomes a one-element array                |
// | max_tokens              | passed; default `max_tokens` option (4096): Anthropic requires it     |
// | max_completion_tokens   | → max_tokens (chat)                                                   |
// | n                       | rejected unless 1 (Anthropic answers one choice)                      |
// | user                    | → metadata.user_id                                                    |
// | metadata                | only Anthropic's own `user_id` key is kept (→ metadata.user_id);      |
// |                         |   OpenAI's free-form keys (for stored completions) are dropped        |
// | presence_penalty,       | rejected unless 0 (Anthropic has no penalties; 0 is their neutral     |
// |   frequency_penalty     |   value, so it is dropped)                                            |
// | logit_bias              | rejected unless empty (dropped when empty)                            |
// | logprobs, top_logprobs  | rejected when asked for (Anthropic returns none); false/0 dropped     |
// | response_format         | rejected unless {type:'text'} (dropped then): no JSON mode           |
// | functions, function_call| rejected: legacy function calling; use tools / tool_choice            |
// | reasoning_effort        | rejected: send Anthropic's own `thinking` parameter instead          |
// | modalities, audio       | rejected unless text only / absent                                    |
// | web_search_options      | rejected                                                              |
// | seed                    | dropped: a best-effort determinism hint, harmless to ignore           |
// | store, prediction       | dropped: OpenAI-side storage and latency hints, harmless to ignore   |
// | echo, suffix, best_of   | rejected unless false / empty / 1 (completions)                       |
// | model, stream,          | written by the provider (manual)                                      |
// |   stream_options,       |                                                                       |
// |   messages,             |                                                                       |
// |   prompt, tools,        |                                                                       |
// |   tool_choice,          |                                                                       |
// |   parallel_tool_calls   |                                                                       |
//
// A null value means "the default" in OpenAI's API: null is left out (or gets the default).
import { defineParamMap, type ParamMap, type ParamRule } from '@gatehousejs/core';

const dropNull = (value: unknown): unknown => (value === null ? undefined : value);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Accept only a neutral value, which is then left out of the body; reject anything else. */
function neutralOnly(isNeutral: (value: unknown) => boolean, message: string): ParamRule {
  return { reject: (value) => (isNeutral(value) ? undefined : message), convert: () => undefined };
}

const MANUAL: ParamRule = Object.freeze({ manual: true });

function sharedRules(defaultMaxTokens: number): Record<string, ParamRule> {
  return {
    model: MANUAL,
    stream: MANUAL,
    stream_options: MANUAL,
    metadata: {
      to: 'metadata.user_id',
      convert: (value) => (isPlainObject(value) && typeof value.user_id === 'string' ? value.user_id : undefined),
    },
    temperature: { scale: { from: [0, 2], to: [0, 1] }, convert: dropNull },
    top_p: { convert: dropNull },
    top_k: { convert: dropNull },
    stop: { to: 'stop_sequences', convert: (value) => (value === null ? undefined : Array.isArray(value) ? value : [value]) },
    max_tokens: { default: defaultMaxTokens, convert: (value) => value ?? defaultMaxTokens },
    n: { reject: (value) => (value === null || value === 1 ? undefined : 'Anthropic returns a single choice; only n=1 is supported'), convert: () => undefined },
    user: { to: 'metadata.user_id', convert: dropNull },
    presence_penalty: neutralOnly((v) => v === null || v === 0, 'Anthropic has no presence penalty; leave it out or send 0'),
    frequency_penalty: neutralOnly((v) => v === null || v === 0, 'Anthropic has no frequency penalty; leave it out or send 0'),
    logit_bias: neutralOnly((v) => v === null || (isPlainObject(v) && Object.keys(v).length === 0), 'Anthropic does not support logit_bias'),
    logprobs: neutralOnly((v) => v === null || v === false || v === 0, 'Anthropic does not return log probabilities'),
    top_logprobs: neutralOnly((v) => v === null || v === 0, 'Anthropic does not return log probabilities'),
    seed: { drop: true },
    store: { drop: true },
    prediction: { drop: true },
  };
}

function chatRules(defaultMaxTokens: number): Record<string, ParamRule> {
  return {
    ...sharedRules(defaultMaxTokens),
    messages: MANUAL,
    tools: MANUAL,
    tool_choice: MANUAL,
    parallel_tool_calls: MANUAL,
    max_completion_tokens: { to: 'max_tokens', convert: dropNull },
    response_format: neutralOnly(
      (v) => v === null || (isPlainObject(v) && v.type === 'text'),
      "Anthropic has no JSON mode; only {\"type\":\"text\"} is supported (describe the JSON in the prompt, or use a tool with an input schema)",
    ),
    functions: { reject: 'legacy function calling is not supported; use tools' },
    function_call: { reject: 'legacy function calling is not supported; use tool_choice' },
    reasoning_effort: { reject: "not supported; send Anthropic's own `thinking` parameter instead (it passes through)" },
    modalities: neutralOnly((v) => v === null || (Array.isArray(v) && v.every((m) => m === 'text')), 'Anthropic answers with text only'),
    audio: neutralOnly((v) => v === null, 'Anthropic does not produce audio'),
    web_search_options: { reject: 'not supported by this provider' },
  };
}

function completionsRules(defaultMaxTokens: number): Record<string, ParamRule> {
  return {
    ...sharedRules(defaultMaxTokens),
    prompt: MANUAL,
    echo: neutralOnly((v) => v === null || v === false, 'Anthropic cannot echo the prompt'),
    suffix: neutralOnly((v) => v === null || v === '', 'Anthropic does not support a suffix (insertion)'),
    best_of: neutralOnly((v) => v === null || v === 1, 'Anthropic returns a single completion; only best_of=1 is supported'),
  };
}

export interface ParamMaps {
  readonly chat: ParamMap;
  readonly completions: ParamMap;
}

/** Compile both tables for one instance (the default max_tokens is an option). Deeply frozen. */
export function createParamMaps(defaultMaxTokens: number): ParamMaps {
  return Object.freeze({
    chat: defineParamMap(chatRules(defaultMaxTokens), { unknown: 'pass' }),
    completions: defineParamMap(completionsRules(defaultMaxTokens), { unknown: 'pass' }),
  });
}
