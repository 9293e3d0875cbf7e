// The parameter translation tables: how each standard (OpenAI-format) parameter maps onto the
// PaLM API v1beta2 (generateMessage for chat, generateText for completions, embedText for
// embeddings). Read only by core's `translateParams`. Parameters a table does not name pass
// through unchanged (MLflow's behaviour: PaLM's own `safetySettings`, say); mind that Google's
// API rejects field names it does not know.
//
// Chat (models/{model}:generateMessage)
// | parameter                 | rule                                                                 |
// | ------------------------- | -------------------------------------------------------------------- |
// | temperature               | scaled linearly from OpenAI's 0–2 onto PaLM's 0–1 (1.0 → 0.5)        |
// | top_p, top_k              | → topP, topK                                                         |
// | n                         | → candidateCount (PaLM allows 1–8; larger values rejected)           |
// | max_tokens,               | rejected: generateMessage has no output limit (as in MLflow)         |
// |   max_completion_tokens   |                                                                      |
// | stop                      | rejected: generateMessage has no stop sequences                      |
// | tools, functions,         | rejected: PaLM has no function calling (tool_choice "none"/"auto"    |
// |   tool_choice,            |   and an empty tools list are accepted and dropped)                  |
// |   function_call           |                                                                      |
// | presence_penalty,         | rejected unless 0 (dropped then)                                     |
// |   frequency_penalty       |                                                                      |
// | logit_bias                | rejected unless empty                                                |
// | logprobs, top_logprobs    | rejected when asked for                                              |
// | response_format           | rejected unless {type:'text'}                                        |
// | seed, user, metadata,     | dropped: hints PaLM has no field for (Google rejects unknown fields) |
// |   store, prediction,      |                                                                      |
// |   service_tier,           |                                                                      |
// |   parallel_tool_calls     |                                                                      |
// | model, stream,            | dropped: the model is in the URL; no streaming                       |
// |   stream_options          |                                                                      |
// | messages, context,        | written by request.ts (system messages and `context` → prompt        |
// |   examples                |   .context, `examples` → prompt.examples)                            |
//
// Completions (models/{model}:generateText): as chat, except
// | max_tokens                | → maxOutputTokens                                                    |
// | stop                      | → stopSequences, a string becomes a one-element list (PaLM: up to 5) |
// | echo, suffix, best_of     | rejected unless false / empty / 1                                    |
// | prompt                    | written by request.ts (one prompt per call)                          |
//
// Embeddings (models/{model}:embedText, one call per input)
// | dimensions                | rejected: PaLM's embedding size is fixed                             |
// | user, model               | dropped                                                              |
// | input                     | written by index.ts                                                  |
//
// A null value means "the default" in OpenAI's API: null is left out.
import { defineParamMap, type ParamMap, type ParamRule } from '@gatehousejs/core';

export const PALM_MAX_CANDIDATES = 8;
export const PALM_MAX_STOP_SEQUENCES = 5;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Accept only a neutral value, which is then left out of the body; reject anything else. */
function neutralOnly(isNeutral: (value: unknown) => boolean, message: string): ParamRule {
  return { reject: (value) => (isNeutral(value) ? undefined : message), convert: () => undefined };
}

const MANUAL: ParamRule = Object.freeze({ manual: true });
const DROP: ParamRule = Object.freeze({ drop: true });

const candidateCount: ParamRule = {
  to: 'candidateCount',
  reject: (value) =>
    Number.isInteger(value) && (value as number) >= 1 && (value as number) <= PALM_MAX_CANDIDATES
      ? undefined
      : `PaLM returns 1 to ${PALM_MAX_CANDIDATES} candidates; n must be in that range`,
};

const NO_TOOLS = 'PaLM has no function calling; send the request without tools';

function sharedRules(): Record<string, ParamRule> {
  return {
    model: DROP,
    stream: DROP,
    stream_options: DROP,
    temperature: { scale: { from: [0, 2], to: [0, 1] } },
    top_p: { to: 'topP' },
    top_k: { to: 'topK' },
    n: candidateCount,
    presence_penalty: neutralOnly((v) => v === 0, 'PaLM has no presence penalty; leave it out or send 0'),
    frequency_penalty: neutralOnly((v) => v === 0, 'PaLM has no frequency penalty; leave it out or send 0'),
    logit_bias: neutralOnly((v) => isPlainObject(v) && Object.keys(v).length === 0, 'PaLM does not support logit_bias'),
    logprobs: neutralOnly((v) => v === false || v === 0, 'PaLM does not return log probabilities'),
    top_logprobs: neutralOnly((v) => v === 0, 'PaLM does not return log probabilities'),
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
    context: MANUAL,
    examples: MANUAL,
    max_tokens: { reject: 'PaLM chat (generateMessage) has no output token limit; leave max_tokens out' },
    max_completion_tokens: { reject: 'PaLM chat (generateMessage) has no output token limit; leave max_completion_tokens out' },
    stop: { reject: 'PaLM chat (generateMessage) has no stop sequences; leave stop out' },
    tools: neutralOnly((v) => Array.isArray(v) && v.length === 0, NO_TOOLS),
    tool_choice: neutralOnly((v) => v === 'none' || v === 'auto', NO_TOOLS),
    parallel_tool_calls: DROP,
    functions: neutralOnly((v) => Array.isArray(v) && v.length === 0, NO_TOOLS),
    function_call: neutralOnly((v) => v === 'none' || v === 'auto', NO_TOOLS),
    response_format: neutralOnly((v) => isPlainObject(v) && v.type === 'text', 'PaLM has no JSON mode; only {"type":"text"} is supported'),
    modalities: neutralOnly((v) => Array.isArray(v) && v.every((m) => m === 'text'), 'PaLM answers with text only'),
    reasoning_effort: { reject: 'PaLM has no reasoning effort setting' },
  };
}

function completionsRules(): Record<string, ParamRule> {
  return {
    ...sharedRules(),
    prompt: MANUAL,
    max_tokens: { to: 'maxOutputTokens' },
    stop: {
      to: 'stopSequences',
      reject: (value) =>
        Array.isArray(value) && value.length > PALM_MAX_STOP_SEQUENCES ? `PaLM accepts at most ${PALM_MAX_STOP_SEQUENCES} stop sequences` : undefined,
      convert: (value) => (Array.isArray(value) ? value : [value]),
    },
    echo: neutralOnly((v) => v === false, 'PaLM cannot echo the prompt'),
    suffix: neutralOnly((v) => v === '', 'PaLM does not support a suffix (insertion)'),
    best_of: neutralOnly((v) => v === 1, 'PaLM does not support best_of; use n for several candidates'),
  };
}

function embeddingsRules(): Record<string, ParamRule> {
  return {
    input: MANUAL,
    model: DROP,
    user: DROP,
    dimensions: { reject: "PaLM's embedding size is fixed; leave dimensions out" },
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
