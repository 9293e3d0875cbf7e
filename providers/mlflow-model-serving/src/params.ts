// The parameter translation table: how each standard (OpenAI-format) parameter maps onto the
// `params` of an MLflow model server's /invocations request. Read only by core's
// `translateParams`; its output IS the `params` object (left out of the body when empty, as
// MLflow's provider did). A served model is arbitrary Python: MLflow passed every parameter
// through unchanged, and so does this table, except:
//
// | parameter               | rule                                                               |
// | ----------------------- | ------------------------------------------------------------------ |
// | temperature, top_p, n,  | passed unchanged (no range to scale onto: the model decides; n is  |
// |   max_tokens, penalties |   the model's own parameter, MLflow sent it too)                   |
// | stop                    | always a list (MLflow's schema for stop is a list of strings)      |
// | max_completion_tokens   | → max_tokens (the name MLflow's LLM signatures use)                |
// | tools, functions,       | rejected: a served model answers text predictions, no tool calls   |
// |   tool_choice,          |   (an empty tools list and tool_choice "none"/"auto" are dropped)  |
// |   function_call         |                                                                    |
// | model, stream,          | dropped: `model.name` is only a reference for this provider (the   |
// |   stream_options,       |   model is whatever serves model_server_url); no streaming         |
// |   parallel_tool_calls   |                                                                    |
// | messages, prompt        | written by request.ts (`inputs`)                                   |
//
// Embeddings: `input` → inputs (request.ts); `model` dropped; everything else → params.
//
// A null value means "the default" in OpenAI's API: null is left out.
import { defineParamMap, type ParamMap, type ParamRule } from '@gatehousejs/core';

/** Accept only a neutral value, which is then left out of the body; reject anything else. */
function neutralOnly(isNeutral: (value: unknown) => boolean, message: string): ParamRule {
  return { reject: (value) => (isNeutral(value) ? undefined : message), convert: () => undefined };
}

const MANUAL: ParamRule = Object.freeze({ manual: true });
const DROP: ParamRule = Object.freeze({ drop: true });
const NO_TOOLS = 'a served MLflow model answers text predictions and cannot call tools; send the request without tools';

function sharedRules(): Record<string, ParamRule> {
  return {
    model: DROP,
    stream: DROP,
    stream_options: DROP,
    stop: { convert: (value) => (Array.isArray(value) ? value : [value]) },
  };
}

function chatRules(): Record<string, ParamRule> {
  return {
    ...sharedRules(),
    messages: MANUAL,
    max_completion_tokens: { to: 'max_tokens' },
    tools: neutralOnly((v) => Array.isArray(v) && v.length === 0, NO_TOOLS),
    tool_choice: neutralOnly((v) => v === 'none' || v === 'auto', NO_TOOLS),
    functions: neutralOnly((v) => Array.isArray(v) && v.length === 0, NO_TOOLS),
    function_call: neutralOnly((v) => v === 'none' || v === 'auto', NO_TOOLS),
    parallel_tool_calls: DROP,
  };
}

function completionsRules(): Record<string, ParamRule> {
  return { ...sharedRules(), prompt: MANUAL };
}

function embeddingsRules(): Record<string, ParamRule> {
  return { input: MANUAL, model: DROP };
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
