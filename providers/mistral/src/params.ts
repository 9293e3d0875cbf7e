// How each standard (OpenAI-format) parameter maps onto Mistral's API
// (https://docs.mistral.ai/api/#tag/chat, #tag/embeddings). Read only by core's `translateParams`.
// Mistral rejects any field it does not know ("Extra inputs are not permitted", 422), so the
// OpenAI-only fields are dropped or refused here instead of failing upstream. Parameters the
// tables do not name pass through (Mistral's own: `safe_prompt`, `prediction`, `prompt_mode`, ...).
//
// chat
// | parameter                  | rule                                                                     |
// | -------------------------- | ------------------------------------------------------------------------ |
// | temperature                | scaled from OpenAI's 0–2 onto Mistral's 0–1.5 (1.0 → 0.75)               |
// | seed                       | → random_seed                                                            |
// | max_completion_tokens      | → max_tokens                                                             |
// | tool_choice                | 'required' → 'any' (Mistral's name); the rest as it is                   |
// | tools                      | a function without `parameters` gets an empty object schema (required)  |
// | messages                   | 'developer' → 'system'; only the fields Mistral accepts per role are    |
// |                            | kept (`name` only on tool messages); tool-call ids not 9 alphanumerics  |
// |                            | become a stable 9-character id (Mistral's rule), the same in the call   |
// |                            | and in the tool answer                                                   |
// | stream_options             | dropped: Mistral rejects it and always sends usage on its last chunk    |
// | user, store, service_tier  | dropped: no Mistral equivalent, harmless to ignore                       |
// | logit_bias                 | rejected unless empty                                                    |
// | logprobs, top_logprobs     | rejected when asked for (Mistral returns none)                           |
// | functions, function_call   | rejected: legacy function calling; use tools / tool_choice              |
// | modalities, audio          | rejected unless text only                                                |
// | top_p, stop, n, penalties, | passed: Mistral takes them as OpenAI does                                |
// |   response_format,         |                                                                          |
// |   parallel_tool_calls      |                                                                          |
//
// embeddings: `dimensions` → `output_dimension`; `user` dropped.
import { createHash } from 'node:crypto';
import { defineParamMap, type ParamMap, type ParamRule } from '@gatehousejs/core';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Accept only a neutral value, which is then left out of the body; reject anything else. */
function neutralOnly(isNeutral: (value: unknown) => boolean, message: string): ParamRule {
  return { reject: (value) => (isNeutral(value) ? undefined : message), convert: () => undefined };
}

// Mistral: "Tool call id was call_0fypS1hVX but must be a-z, A-Z, 0-9, with a length of 9".
const MISTRAL_TOOL_CALL_ID = /^[A-Za-z0-9]{9}$/;
const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The id Mistral accepts for a tool call: its own ids unchanged, any other id hashed to 9 alphanumerics. */
export function mistralToolCallId(id: string): string {
  if (MISTRAL_TOOL_CALL_ID.test(id)) return id;
  const digest = createHash('sha256').update(id).digest();
  let out = '';
  for (let i = 0; i < 9; i++) out += ALPHANUMERIC[digest[i]! % ALPHANUMERIC.length];
  return out;
}

/** The fields Mistral's message schemas accept, per role. */
const MESSAGE_FIELDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  system: ['role', 'content'],
  user: ['role', 'content'],
  assistant: ['role', 'content', 'tool_calls', 'prefix'],
  tool: ['role', 'content', 'tool_call_id', 'name'],
});

function toMistralToolCall(call: unknown): unknown {
  return isObject(call) && typeof call.id === 'string' ? { ...call, id: mistralToolCallId(call.id) } : call;
}

function toMistralMessage(message: unknown): unknown {
  if (!isObject(message)) return message;
  const role = message.role === 'developer' ? 'system' : message.role;
  const fields = MESSAGE_FIELDS[role as string];
  // An unknown role goes as it is: Mistral's answer names the problem.
  if (!fields) return message;
  const out: Json = {};
  for (const field of fields) if (message[field] !== undefined) out[field] = message[field];
  out.role = role;
  if (typeof out.tool_call_id === 'string') out.tool_call_id = mistralToolCallId(out.tool_call_id);
  if (Array.isArray(out.tool_calls)) out.tool_calls = out.tool_calls.map(toMistralToolCall);
  return out;
}

const EMPTY_PARAMETERS = Object.freeze({ type: 'object', properties: {} });

function toMistralTool(tool: unknown): unknown {
  if (!isObject(tool) || !isObject(tool.function) || tool.function.parameters !== undefined) return tool;
  return { ...tool, function: { ...tool.function, parameters: EMPTY_PARAMETERS } };
}

const mapList = (fn: (item: unknown) => unknown) => (value: unknown) => (Array.isArray(value) ? value.map(fn) : value);

export const CHAT_PARAMS: ParamMap = defineParamMap({
  messages: { convert: mapList(toMistralMessage) },
  temperature: { scale: { from: [0, 2], to: [0, 1.5] } },
  seed: { to: 'random_seed' },
  max_completion_tokens: { to: 'max_tokens' },
  tool_choice: { convert: (value) => (value === 'required' ? 'any' : value) },
  tools: { convert: mapList(toMistralTool) },
  stream_options: { drop: true },
  user: { drop: true },
  store: { drop: true },
  service_tier: { drop: true },
  logit_bias: neutralOnly((v) => isObject(v) && Object.keys(v).length === 0, 'Mistral does not support logit_bias'),
  logprobs: neutralOnly((v) => v === false, 'Mistral does not return log probabilities'),
  top_logprobs: neutralOnly((v) => v === 0, 'Mistral does not return log probabilities'),
  functions: { reject: 'legacy function calling is not supported by Mistral; use tools' },
  function_call: { reject: 'legacy function calling is not supported by Mistral; use tool_choice' },
  modalities: neutralOnly((v) => Array.isArray(v) && v.every((m) => m === 'text'), 'Mistral answers with text only'),
  audio: { reject: 'Mistral answers with text only' },
});

export const EMBEDDINGS_PARAMS: ParamMap = defineParamMap({
  dimensions: { to: 'output_dimension' },
  user: { drop: true },
});
