// Parameter translation tables, read only by core's `translateParams`.
//
// /generate and /generate_stream (completions, and chat with `hf_chat_api: generate`): the table
// produces TGI's flat `parameters` object (GenerateParameters in the OpenAPI spec); parameters
// it does not name pass through into `parameters` unchanged, so TGI's own (top_k,
// repetition_penalty, typical_p, truncate, watermark, do_sample, grammar, adapter_id,
// top_n_tokens, best_of, ...) can be sent as they are.
//
// | parameter               | /generate rule                                                          |
// | ----------------------- | ----------------------------------------------------------------------- |
// | temperature             | same scale (TGI divides the logits by it, as OpenAI does; no upper      |
// |                         |   bound): passed unchanged when > 0, and `do_sample: true` is set with  |
// |                         |   it; 0 (TGI: must be > 0) → greedy: no temperature, `do_sample: false`  |
// | top_p                   | passed when < 1; 1 (TGI: must be < 1) means no nucleus filtering: left  |
// |                         |   out                                                                   |
// | max_tokens              | → max_new_tokens                                                        |
// | max_completion_tokens   | → max_new_tokens (chat)                                                 |
// | stop                    | a string becomes a one-element array (TGI takes a list, at most 4 by    |
// |                         |   default); the stop text is cut from the answer, as OpenAI does        |
// | n                       | emulated: n parallel calls (seed + i when a seed is given); 1..16       |
// | seed, frequency_penalty | passed (TGI's names and meaning)                                        |
// | presence_penalty        | rejected unless 0 (dropped): use repetition_penalty/frequency_penalty   |
// | logit_bias              | rejected unless empty (dropped)                                         |
// | logprobs, top_logprobs  | rejected when asked for (false/0 dropped)                               |
// | response_format         | → grammar: json_schema → {type:'json', value: schema}, json_object →    |
// |                         |   {type:'json', value:{type:'object'}}, text → left out                 |
// | tools, tool_choice,     | rejected (chat over /generate has no tools: use hf_chat_api: messages); |
// |   functions,            |   parallel_tool_calls dropped                                           |
// |   function_call         |                                                                         |
// | echo                    | the prompt is put before the answer by the provider (completions)       |
// | suffix                  | rejected unless empty                                                   |
// | best_of                 | passed (TGI's own best_of: best of N sampled sequences)                 |
// | user, store, metadata   | dropped                                                                 |
// | details                 | always true (finish reason and token counts)                            |
// | decoder_input_details   | default true on /generate (prompt token count); refused on streams      |
// | return_full_text        | default false: the answer holds the generated text only                 |
// | model, stream,          | written by the provider (manual)                                        |
// |   stream_options,       |                                                                         |
// |   prompt, messages      |                                                                         |
//
// The Messages API (/v1/chat/completions) speaks OpenAI's format; its table only mends what TGI
// reads differently (see MESSAGES_PARAMS below).
import { defineParamMap, type ParamMap, type ParamRule } from '@gatehousejs/core';

/** The most choices (n × prompts) one request may fan out into. */
export const MAX_CHOICES = 16;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Accept only a neutral value, which is then left out of the body; reject anything else. */
function neutralOnly(isNeutral: (value: unknown) => boolean, message: string): ParamRule {
  return { reject: (value) => (isNeutral(value) ? undefined : message), convert: () => undefined };
}

const MANUAL: ParamRule = Object.freeze({ manual: true });
const DROP: ParamRule = Object.freeze({ drop: true });

/** A string stop becomes a list; TGI (and its Messages API) take `stop` as a list only. */
export const stopList = (value: unknown): unknown => (typeof value === 'string' ? [value] : value);

/** TGI requires 0 < top_p < 1; OpenAI's 1 means "no filtering", which is TGI's default. */
const topP = (value: unknown): unknown => (typeof value === 'number' && value >= 1 ? undefined : value);

/** OpenAI's response_format as TGI's grammar (GrammarType: {type: json|regex, value}). */
export function grammarOf(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  switch (value.type) {
    case 'text':
      return undefined;
    case 'json_object':
      return { type: 'json', value: { type: 'object' } };
    case 'json_schema': {
      const spec = isPlainObject(value.json_schema) ? value.json_schema : {};
      return { type: 'json', value: spec.schema ?? { type: 'object' } };
    }
    default:
      // Already TGI's own shape ({type: 'json' | 'regex', value}).
      return value;
  }
}

const NO_TOOLS = 'chat over TGI /generate has no tools; set hf_chat_api: messages to use the Messages API';

function generateRules(stream: boolean): Record<string, ParamRule> {
  return {
    model: MANUAL,
    stream: MANUAL,
    stream_options: MANUAL,
    n: MANUAL,
    echo: MANUAL,
    prompt: MANUAL,
    messages: MANUAL,
    // 0 means greedy decoding, which TGI asks for with do_sample: false (see withSampling).
    temperature: { convert: (value) => (typeof value === 'number' && value <= 0 ? undefined : value) },
    top_p: { convert: topP },
    max_tokens: { to: 'max_new_tokens' },
    max_completion_tokens: { to: 'max_new_tokens' },
    stop: { convert: stopList },
    seed: {},
    frequency_penalty: {},
    best_of: {},
    presence_penalty: neutralOnly((v) => v === 0, 'TGI has no presence penalty; send 0, or TGI\'s repetition_penalty or frequency_penalty'),
    logit_bias: neutralOnly((v) => isPlainObject(v) && Object.keys(v).length === 0, 'TGI does not support logit_bias'),
    logprobs: neutralOnly((v) => v === false || v === 0, 'log probabilities are not returned through TGI /generate'),
    top_logprobs: neutralOnly((v) => v === 0, 'log probabilities are not returned through TGI /generate'),
    response_format: { to: 'grammar', convert: grammarOf },
    tools: { reject: NO_TOOLS },
    tool_choice: { reject: NO_TOOLS },
    functions: { reject: NO_TOOLS },
    function_call: { reject: NO_TOOLS },
    parallel_tool_calls: DROP,
    suffix: neutralOnly((v) => v === '', 'TGI /generate does not support a suffix (insertion)'),
    user: DROP,
    store: DROP,
    metadata: DROP,
    details: { convert: () => true, default: true },
    decoder_input_details: stream
      ? neutralOnly((v) => v === false, 'TGI does not return decoder input details on streams')
      : { default: true },
    return_full_text: { default: false },
  };
}

/** Tables for /generate (non-streaming) and /generate_stream. Deeply frozen. */
export const GENERATE_PARAMS: ParamMap = defineParamMap(generateRules(false), { unknown: 'pass' });
export const GENERATE_STREAM_PARAMS: ParamMap = defineParamMap(generateRules(true), { unknown: 'pass' });

/**
 * TGI's `parameters` for one call: the table's output, plus the sampling switch that goes with
 * temperature (TGI samples only when asked: temperature > 0 sets do_sample: true, 0 sets
 * do_sample: false) unless the caller sent TGI's own `do_sample`.
 */
export function withSampling(parameters: Record<string, unknown>, temperature: unknown): Record<string, unknown> {
  if (typeof temperature === 'number' && parameters.do_sample === undefined) parameters.do_sample = temperature > 0;
  return parameters;
}

/**
 * The Messages API (/v1/chat/completions) takes OpenAI's body; only these differ:
 * | model                 | '' or absent → 'tgi' (TGI ignores it, but versions before 2.0 require it) |
 * | n                     | dropped: TGI returns one choice; the provider emulates n (parallel calls)  |
 * | max_completion_tokens | → max_tokens (TGI's name)                                                  |
 * | stop                  | a string becomes a one-element array                                      |
 * | top_p                 | 1 left out (TGI: must be < 1)                                             |
 * | logit_bias            | rejected unless empty (TGI reads a list, OpenAI sends a map)              |
 * | response_format       | → TGI's grammar shape, as for /generate                                   |
 * Everything else (temperature 0–2 with 0 = greedy, tools, tool_choice, seed, penalties,
 * logprobs, stream_options, images) is passed as it is.
 */
export const MESSAGES_PARAMS: ParamMap = defineParamMap(
  {
    model: { convert: (value) => (typeof value === 'string' && value !== '' ? value : 'tgi'), default: 'tgi' },
    n: DROP,
    max_completion_tokens: { to: 'max_tokens' },
    stop: { convert: stopList },
    top_p: { convert: topP },
    logit_bias: neutralOnly((v) => isPlainObject(v) && Object.keys(v).length === 0, 'TGI does not support logit_bias'),
    response_format: { convert: grammarOf },
  },
  { unknown: 'pass' },
);
