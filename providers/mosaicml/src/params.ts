// The parameter translation table: how each standard (OpenAI-format) parameter maps onto the
// `parameters` object of MosaicML's hosted inference API (POST {base}/{model}/v1/predict,
// body {"inputs": [...], "parameters": {...}}). Read only by core's `translateParams`; its
// output IS the `parameters` object. Parameters the table does not name pass through into
// `parameters` unchanged (MLflow's behaviour: MosaicML's own `do_sample`, `use_cache`, ...).
//
// | parameter               | rule                                                                    |
// | ----------------------- | ----------------------------------------------------------------------- |
// | temperature             | passed unscaled: MosaicML documents Hugging Face semantics (0 = greedy, |
// |                         |   1 = regular sampling, higher flattens), the same as OpenAI's 0–2      |
// | top_p, top_k            | passed as they are                                                      |
// | max_tokens,             | → max_new_tokens                                                        |
// |   max_completion_tokens |                                                                         |
// | stop                    | → stop, always a list (as MLflow sent it); the provider also cuts each  |
// |                         |   output at the first stop sequence, since MosaicML's hosted models did |
// |                         |   not document native stop support                                      |
// | n                       | emulated in one call: each prompt is repeated n times in `inputs`       |
// |                         |   (handled by request.ts; not sent as a parameter)                      |
// | presence_penalty,       | rejected unless 0 (MosaicML documents no penalties)                     |
// |   frequency_penalty     |                                                                         |
// | logit_bias              | rejected unless empty                                                   |
// | logprobs, top_logprobs  | rejected when asked for                                                 |
// | tools, functions,       | rejected: MosaicML's text models have no function calling (an empty     |
// |   tool_choice,          |   tools list and tool_choice "none"/"auto" are accepted and dropped)    |
// |   function_call         |                                                                         |
// | response_format         | rejected unless {type:'text'}                                           |
// | echo, suffix, best_of   | rejected unless false / empty / 1 (completions)                         |
// | seed, user, metadata,   | dropped: hints MosaicML has no parameter for                            |
// |   store, prediction,    |                                                                         |
// |   service_tier,         |                                                                         |
// |   parallel_tool_calls   |                                                                         |
// | model, stream,          | dropped: the model is in the URL; no streaming                          |
// |   stream_options        |                                                                         |
// | messages, prompt        | written by request.ts (`inputs`)                                        |
//
// Embeddings ({"inputs": [texts], ...}): `input` → inputs (request.ts); `dimensions` rejected
// (the model's size is fixed); `user`, `model` dropped; other parameters pass through at the
// top level of the body, as MLflow sent them.
//
// A null value means "the default" in OpenAI's API: null is left out.
import { defineParamMap, type ParamMap, type ParamRule } from '@gatehousejs/core';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Accept only a neutral value, which is then left out of the body; reject anything else. */
function neutralOnly(isNeutral: (value: unknown) => boolean, message: string): ParamRule {
  return { reject: (value) => (isNeutral(value) ? undefined : message), convert: () => undefined };
}

const MANUAL: ParamRule = Object.freeze({ manual: true });
const DROP: ParamRule = Object.freeze({ drop: true });
const NO_TOOLS = 'MosaicML text models have no function calling; send the request without tools';

/** Stop sequences as a list: OpenAI allows one string or a list. */
export function stopList(value: unknown): string[] {
  return Array.isArray(value) ? (value as string[]) : [value as string];
}

function sharedRules(): Record<string, ParamRule> {
  return {
    model: DROP,
    stream: DROP,
    stream_options: DROP,
    n: MANUAL,
    temperature: {},
    top_p: {},
    top_k: {},
    max_tokens: { to: 'max_new_tokens' },
    stop: { convert: stopList },
    presence_penalty: neutralOnly((v) => v === 0, 'MosaicML has no presence penalty; leave it out or send 0'),
    frequency_penalty: neutralOnly((v) => v === 0, 'MosaicML has no frequency penalty; leave it out or send 0'),
    logit_bias: neutralOnly((v) => isPlainObject(v) && Object.keys(v).length === 0, 'MosaicML does not support logit_bias'),
    logprobs: neutralOnly((v) => v === false || v === 0, 'MosaicML does not return log probabilities'),
    top_logprobs: neutralOnly((v) => v === 0, 'MosaicML does not return log probabilities'),
    seed: DROP,
    user: DROP,
    metadata: DROP,
    store: DROP,
    prediction: DROP,
    service_tier: DROP,
  };
}

function chatRules(): Record<string, ParamRule> {
  return {
    ...sharedRules(),
    messages: MANUAL,
    max_completion_tokens: { to: 'max_new_tokens' },
    tools: neutralOnly((v) => Array.isArray(v) && v.length === 0, NO_TOOLS),
    tool_choice: neutralOnly((v) => v === 'none' || v === 'auto', NO_TOOLS),
    parallel_tool_calls: DROP,
    functions: neutralOnly((v) => Array.isArray(v) && v.length === 0, NO_TOOLS),
    function_call: neutralOnly((v) => v === 'none' || v === 'auto', NO_TOOLS),
    response_format: neutralOnly((v) => isPlainObject(v) && v.type === 'text', 'MosaicML has no JSON mode; only {"type":"text"} is supported'),
    modalities: neutralOnly((v) => Array.isArray(v) && v.every((m) => m === 'text'), 'MosaicML answers with text only'),
    reasoning_effort: { reject: 'MosaicML has no reasoning effort setting' },
  };
}

function completionsRules(): Record<string, ParamRule> {
  return {
    ...sharedRules(),
    prompt: MANUAL,
    echo: neutralOnly((v) => v === false, 'MosaicML cannot echo the prompt'),
    suffix: neutralOnly((v) => v === '', 'MosaicML does not support a suffix (insertion)'),
    best_of: neutralOnly((v) => v === 1, 'MosaicML does not support best_of; use n for several completions'),
  };
}

function embeddingsRules(): Record<string, ParamRule> {
  return {
    input: MANUAL,
    model: DROP,
    user: DROP,
    dimensions: { reject: "the embedding model's size is fixed; leave dimensions out" },
  };
}

export interface ParamMaps {
  readonly chat: ParamMap;
  readonly completions: ParamMap;
  readonly embeddings: ParamMap;
}

/** The three tables, compiled once at module load. Deeply frozen. */
export const PARAM_MAPS: ParamMaps = Object.freeze({
  chat: defineParamMap(chatRules(), { unknown: 'pass' }),
  completions: defineParamMap(completionsRules(), { unknown: 'pass' }),
  embeddings: defineParamMap(embeddingsRules(), { unknown: 'pass' }),
});
