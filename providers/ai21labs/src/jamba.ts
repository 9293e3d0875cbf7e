// OpenAI-format requests ↔ AI21's chat completions API (Jamba models), which is close to
// OpenAI's: messages with string content, function tools, response_format, n, usage.
// References: https://docs.ai21.com/reference/jamba-1-6-api-ref (request),
// https://docs.ai21.com/reference/jamba-api-response (response and stream).
import {
  createError,
  generateId,
  translateParams,
  type ChatMessage,
  type ChatRequest,
  type ChatResponse,
  type CompletionsRequest,
  type CompletionsResponse,
  type FinishReason,
  type GatewayError,
  type ToolCall,
  type ToolDefinition,
  type Usage,
} from '@gatehousejs/core';
import { JAMBA_CHAT_PARAMS, JAMBA_COMPLETIONS_PARAMS } from './params.js';

export const PROVIDER_LABEL = 'AI21';

/** AI21 documents n from 1 to 16. */
export const MAX_N = 16;

/** Who is translating: the provider name as configured (for messages) and the endpoint's model. */
export interface RequestContext {
  readonly providerName: string;
  readonly model: string;
}

export function badRequest(param: string, message: string, ctx: RequestContext): GatewayError {
  return createError('GW_ERR_BAD_REQUEST', `${param}: ${message} (provider ${ctx.providerName}).`, { param });
}

type Json = Record<string, unknown>;

/** AI21 takes message content as a string: text parts are joined by newlines; other parts are refused. */
function textContent(content: ChatMessage['content'], at: string, ctx: RequestContext): string | null {
  if (content === null || content === undefined) return null;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw badRequest(`${at}.content`, 'must be a string or an array of content parts', ctx);
  return content
    .map((part, j) => {
      const where = `${at}.content[${j}]`;
      if (part?.type === 'text' && typeof part.text === 'string') return part.text;
      if (part?.type === 'refusal' && typeof part.refusal === 'string') return part.refusal;
      if (part?.type === 'image_url') throw badRequest(`${where}.type`, "AI21's Jamba models accept text only (no image parts)", ctx);
      throw badRequest(`${where}.type`, `content part type ${JSON.stringify(part?.type)} is not supported (use text)`, ctx);
    })
    .join('\n');
}

function toolCalls(message: ChatMessage, at: string, ctx: RequestContext): ToolCall[] {
  const calls = message.tool_calls ?? [];
  if (!Array.isArray(calls)) throw badRequest(`${at}.tool_calls`, 'must be an array', ctx);
  return calls.map((call, j) => {
    const where = `${at}.tool_calls[${j}]`;
    if (typeof call?.id !== 'string' || call.id === '') throw badRequest(`${where}.id`, 'must be a non-empty string', ctx);
    if (typeof call.function?.name !== 'string' || call.function.name === '') throw badRequest(`${where}.function.name`, 'must be a non-empty string', ctx);
    const args = call.function.arguments;
    if (args !== undefined && args !== null && typeof args !== 'string') throw badRequest(`${where}.function.arguments`, 'must be a JSON string', ctx);
    return { id: call.id, type: 'function', function: { name: call.function.name, arguments: args ? args : '{}' } };
  });
}

/** OpenAI messages → AI21 messages (system, user, assistant with tool_calls, tool with tool_call_id). */
export function translateMessages(messages: readonly ChatMessage[], ctx: RequestContext): Json[] {
  if (!Array.isArray(messages) || messages.length === 0) throw badRequest('messages', 'must be a non-empty array', ctx);
  return messages.map((message, i): Json => {
    const at = `messages[${i}]`;
    switch (message?.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: textContent(message.content, at, ctx) ?? '' };
      case 'user':
        return { role: 'user', content: textContent(message.content, at, ctx) ?? '' };
      case 'assistant': {
        const content = textContent(message.content, at, ctx);
        const calls = toolCalls(message, at, ctx);
        if (calls.length === 0) return { role: 'assistant', content: content ?? '' };
        return content === null ? { role: 'assistant', tool_calls: calls } : { role: 'assistant', content, tool_calls: calls };
      }
      case 'tool':
        if (typeof message.tool_call_id !== 'string' || message.tool_call_id === '') {
          throw badRequest(`${at}.tool_call_id`, 'must name the tool call this message answers', ctx);
        }
        return { role: 'tool', tool_call_id: message.tool_call_id, content: textContent(message.content, at, ctx) ?? '' };
      default:
        throw badRequest(`${at}.role`, `role ${JSON.stringify(message?.role)} is not supported (use system, developer, user, assistant or tool)`, ctx);
    }
  });
}

export function translateTools(tools: readonly ToolDefinition[], ctx: RequestContext): Json[] {
  return tools.map((tool, i) => {
    if (tool?.type !== 'function') throw badRequest(`tools[${i}].type`, 'only function tools are supported', ctx);
    const fn = tool.function;
    if (typeof fn?.name !== 'string' || fn.name === '') throw badRequest(`tools[${i}].function.name`, 'must be a non-empty string', ctx);
    const out: Json = { name: fn.name, parameters: fn.parameters ?? { type: 'object', properties: {} } };
    if (typeof fn.description === 'string') out.description = fn.description;
    return { type: 'function', function: out };
  });
}

/** n, sent natively: 1–16, and 1 on a stream (AI21's stream carries one choice, index 0). */
export function choiceCount(n: unknown, stream: boolean, ctx: RequestContext): number | undefined {
  if (n === undefined || n === null) return undefined;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_N) throw badRequest('n', `must be an integer from 1 to ${MAX_N}`, ctx);
  if (n > 1 && stream) throw badRequest('n', 'AI21 streams a single choice; n must be 1 when streaming', ctx);
  return n;
}

function responseFormat(format: unknown, ctx: RequestContext): Json | undefined {
  if (format === undefined || format === null) return undefined;
  const type = (format as { type?: unknown }).type;
  if (type === 'text' || type === 'json_object') return { type };
  if (type === 'json_schema') throw badRequest('response_format.type', 'AI21 supports "text" and "json_object" (JSON mode), not json_schema', ctx);
  throw badRequest('response_format.type', 'must be "text" or "json_object"', ctx);
}

export function buildChatBody(request: ChatRequest, ctx: RequestContext, stream: boolean): Json {
  const n = choiceCount(request.n, stream, ctx);
  const params = translateParams(JAMBA_CHAT_PARAMS, request, ctx.providerName);
  const body: Json = { model: request.model || ctx.model, ...params, messages: translateMessages(request.messages, ctx) };
  if (n !== undefined) body.n = n;
  if (request.tools !== undefined && request.tools !== null && !Array.isArray(request.tools)) throw badRequest('tools', 'must be an array', ctx);
  const choice = request.tool_choice;
  if (Array.isArray(request.tools) && request.tools.length > 0) {
    const tools = translateTools(request.tools, ctx);
    if (choice === undefined || choice === null || choice === 'auto') body.tools = tools;
    else if (choice === 'none') {
      // AI21 has no tool_choice: "none" is honoured by not offering the tools at all.
    } else {
      throw badRequest('tool_choice', 'AI21 documents no tool_choice; the model decides when to call tools (send "auto" or "none", or leave it out)', ctx);
    }
  }
  const format = responseFormat(request.response_format, ctx);
  if (format) body.response_format = format;
  if (stream) body.stream = true;
  return body;
}

export function promptText(prompt: unknown, ctx: RequestContext): string {
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') return prompt[0];
  if (Array.isArray(prompt) && prompt.length !== 1 && prompt.every((p) => typeof p === 'string')) {
    throw badRequest('prompt', `AI21 answers one prompt per request; got ${prompt.length} prompts`, ctx);
  }
  throw badRequest('prompt', 'must be a string (token arrays are not supported)', ctx);
}

/** A completion on a Jamba model is one user message of the chat API. */
export function buildJambaCompletionsBody(request: CompletionsRequest, ctx: RequestContext, stream: boolean): Json {
  const n = choiceCount(request.n, stream, ctx);
  const params = translateParams(JAMBA_COMPLETIONS_PARAMS, request, ctx.providerName);
  const body: Json = { model: request.model || ctx.model, ...params, messages: [{ role: 'user', content: promptText(request.prompt, ctx) }] };
  if (n !== undefined) body.n = n;
  if (stream) body.stream = true;
  return body;
}

// ---- answers ----

function badResponse(what: string): GatewayError {
  return createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} ${what}.`);
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const FINISH_REASONS: ReadonlySet<string> = new Set(['stop', 'length', 'tool_calls', 'content_filter']);

/** AI21's finish_reason (OpenAI's values); anything else reads as 'stop'. */
export function finishReason(reason: unknown): FinishReason {
  return typeof reason === 'string' && FINISH_REASONS.has(reason) ? (reason as FinishReason) : 'stop';
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

export function toUsage(usage: unknown): Usage | undefined {
  if (!isObject(usage)) return undefined;
  const prompt = count(usage.prompt_tokens);
  const completion = count(usage.completion_tokens);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: typeof usage.total_tokens === 'number' ? usage.total_tokens : prompt + completion };
}

/** A tool call of an answer in OpenAI's shape; arguments sent as an object are serialised. */
export function toToolCall(call: unknown, index: number): ToolCall {
  const c = isObject(call) ? call : {};
  const fn = isObject(c.function) ? c.function : {};
  if (typeof fn.name !== 'string' || fn.name === '') throw badResponse(`answered with tool call ${index} without a function name`);
  const args = fn.arguments;
  return {
    id: typeof c.id === 'string' && c.id !== '' ? c.id : `call_${index}`,
    type: 'function',
    function: { name: fn.name, arguments: typeof args === 'string' ? args : args === undefined || args === null ? '{}' : JSON.stringify(args) },
  };
}

interface Meta {
  readonly created: number;
  readonly model: string;
}

function checkAnswer(body: unknown): Json & { choices: Json[] } {
  if (!isObject(body)) throw badResponse('answered with a body that is not a chat completion');
  if (body.error !== undefined && body.error !== null) throw createError('GW_ERR_UPSTREAM_ERROR', `${PROVIDER_LABEL} answered with an error: ${JSON.stringify(body.error).slice(0, 500)}`);
  if (!Array.isArray(body.choices) || body.choices.length === 0) throw badResponse('answered without choices');
  body.choices.forEach((choice, i) => {
    if (!isObject(choice) || !isObject(choice.message)) throw badResponse(`answered with choice ${i} without a message`);
  });
  return body as Json & { choices: Json[] };
}

function envelope(answer: Json, meta: Meta, prefix: string) {
  return {
    id: typeof answer.id === 'string' && answer.id !== '' ? answer.id : generateId(prefix),
    created: meta.created,
    model: typeof answer.model === 'string' && answer.model !== '' ? answer.model : meta.model,
  };
}

export function toChatResponse(body: unknown, meta: Meta): ChatResponse {
  const answer = checkAnswer(body);
  const choices = answer.choices.map((choice, i) => {
    const message = choice.message as Json;
    const calls = Array.isArray(message.tool_calls) ? message.tool_calls.map(toToolCall) : [];
    const content = typeof message.content === 'string' ? message.content : null;
    const out: ChatResponse['choices'][number]['message'] = { role: 'assistant', content: content === '' && calls.length > 0 ? null : content, refusal: null };
    if (calls.length > 0) out.tool_calls = calls;
    return { index: typeof choice.index === 'number' ? choice.index : i, message: out, finish_reason: finishReason(choice.finish_reason), logprobs: null };
  });
  const response = Object.assign(envelope(answer, meta, 'chatcmpl'), { object: 'chat.completion', choices }) as ChatResponse;
  const usage = toUsage(answer.usage);
  if (usage) response.usage = usage;
  return response;
}

export function toCompletionsResponse(body: unknown, meta: Meta): CompletionsResponse {
  const answer = checkAnswer(body);
  const choices = answer.choices.map((choice, i) => {
    const content = (choice.message as Json).content;
    return { index: typeof choice.index === 'number' ? choice.index : i, text: typeof content === 'string' ? content : '', finish_reason: finishReason(choice.finish_reason), logprobs: null };
  });
  const response = Object.assign(envelope(answer, meta, 'cmpl'), { object: 'text_completion', choices }) as CompletionsResponse;
  const usage = toUsage(answer.usage);
  if (usage) response.usage = usage;
  return response;
}
