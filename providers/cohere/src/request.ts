// OpenAI-format requests → Cohere v2 bodies. Standard parameters go through the translation
// tables (params.ts); this file handles what a table cannot: messages, content parts, tools,
// tool_choice, response_format, n and the embed body.
// References: https://docs.cohere.com/reference/chat, https://docs.cohere.com/reference/embed
import {
  createError,
  translateParams,
  type ChatMessage,
  type ChatRequest,
  type CompletionsRequest,
  type ContentPart,
  type EmbeddingsRequest,
  type GatewayError,
  type ToolDefinition,
} from '@gatehousejs/core';
import { CHAT_PARAMS, COMPLETIONS_PARAMS, EMBEDDINGS_PARAMS } from './params.js';
import type { CohereMessage, CohereTextContent, CohereTool, CohereToolCall, CohereUserContent } from './wire.js';

/** Who is translating: the provider name as configured (for messages) and the endpoint's model. */
export interface RequestContext {
  readonly providerName: string;
  readonly model: string;
  /** The `embedding_input_type` option. */
  readonly inputType: string;
}

/** The most parallel calls one request may fan out to when emulating `n`. */
export const MAX_N = 8;

export function badRequest(param: string, message: string, ctx: RequestContext): GatewayError {
  return createError('GW_ERR_BAD_REQUEST', `${param}: ${message} (provider ${ctx.providerName}).`, { param });
}

function textOf(part: ContentPart, at: string, ctx: RequestContext): string {
  if (typeof part.text !== 'string') throw badRequest(`${at}.text`, 'must be a string', ctx);
  return part.text;
}

function checkContent(content: unknown, at: string, ctx: RequestContext): asserts content is string | ContentPart[] | null | undefined {
  if (content !== null && content !== undefined && typeof content !== 'string' && !Array.isArray(content)) {
    throw badRequest(`${at}.content`, 'must be a string or an array of content parts', ctx);
  }
}

/** Text-only content (system, assistant, tool): a string stays a string, parts become text blocks. */
function textContent(content: ChatMessage['content'], at: string, ctx: RequestContext, refusalAsText = false): string | CohereTextContent[] {
  checkContent(content, at, ctx);
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content.map((part, j) => {
    const where = `${at}.content[${j}]`;
    if (part?.type === 'text') return { type: 'text', text: textOf(part, where, ctx) };
    if (refusalAsText && part?.type === 'refusal' && typeof part.refusal === 'string') return { type: 'text', text: part.refusal };
    throw badRequest(`${where}.type`, `only text parts are supported in this message (got ${JSON.stringify(part?.type)})`, ctx);
  });
}

/** User content: text and images (v2 `image_url` blocks take http(s) and base64 data: URLs alike). */
function userContent(content: ChatMessage['content'], at: string, ctx: RequestContext): string | CohereUserContent[] {
  checkContent(content, at, ctx);
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content.map((part, j): CohereUserContent => {
    const where = `${at}.content[${j}]`;
    if (part?.type === 'text') return { type: 'text', text: textOf(part, where, ctx) };
    if (part?.type === 'image_url') {
      const url = part.image_url?.url;
      if (typeof url !== 'string' || !/^(?:https?:|data:)/i.test(url)) {
        throw badRequest(`${where}.image_url.url`, 'must be an http(s) URL or a base64 data: URL', ctx);
      }
      const detail = part.image_url?.detail;
      return { type: 'image_url', image_url: typeof detail === 'string' ? { url, detail } : { url } };
    }
    throw badRequest(`${where}.type`, `content part type ${JSON.stringify(part?.type)} is not supported (use text or image_url)`, ctx);
  });
}

/** Plain text of text-only content, for a tool plan. */
function plainText(content: string | CohereTextContent[]): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('');
}

function toolCalls(message: ChatMessage, at: string, ctx: RequestContext): CohereToolCall[] {
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

/**
 * OpenAI messages → v2 messages. The roles exist natively; `developer` is a system message.
 * An assistant turn's text beside tool calls is its `tool_plan` (Cohere's name for the text a
 * model writes before calling tools), and tool results keep their `tool_call_id`.
 */
export function translateMessages(messages: readonly ChatMessage[], ctx: RequestContext): CohereMessage[] {
  if (!Array.isArray(messages) || messages.length === 0) throw badRequest('messages', 'must be a non-empty array', ctx);
  return messages.map((message, i): CohereMessage => {
    const at = `messages[${i}]`;
    switch (message?.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: textContent(message.content, at, ctx) };
      case 'user':
        return { role: 'user', content: userContent(message.content, at, ctx) };
      case 'assistant': {
        const content = textContent(message.content, at, ctx, true);
        const calls = toolCalls(message, at, ctx);
        if (calls.length === 0) return { role: 'assistant', content };
        const plan = plainText(content);
        return plan === '' ? { role: 'assistant', tool_calls: calls } : { role: 'assistant', tool_plan: plan, tool_calls: calls };
      }
      case 'tool':
        if (typeof message.tool_call_id !== 'string' || message.tool_call_id === '') {
          throw badRequest(`${at}.tool_call_id`, 'must name the tool call this message answers', ctx);
        }
        return { role: 'tool', tool_call_id: message.tool_call_id, content: textContent(message.content, at, ctx) };
      default:
        throw badRequest(`${at}.role`, `role ${JSON.stringify(message?.role)} is not supported (use system, developer, user, assistant or tool)`, ctx);
    }
  });
}

export interface TranslatedTools {
  tools: CohereTool[];
  strict: boolean;
}

export function translateTools(tools: readonly ToolDefinition[], ctx: RequestContext): TranslatedTools {
  let strict = false;
  const out = tools.map((tool, i): CohereTool => {
    if (tool?.type !== 'function') throw badRequest(`tools[${i}].type`, 'only function tools are supported', ctx);
    const fn = tool.function;
    if (typeof fn?.name !== 'string' || fn.name === '') throw badRequest(`tools[${i}].function.name`, 'must be a non-empty string', ctx);
    if (fn.strict === true) strict = true;
    const translated: CohereTool = { type: 'function', function: { name: fn.name, parameters: fn.parameters ?? { type: 'object', properties: {} } } };
    if (typeof fn.description === 'string') translated.function.description = fn.description;
    return translated;
  });
  return { tools: out, strict };
}

/**
 * tool_choice → v2's REQUIRED / NONE ('auto' is Cohere's default and is left out). A named
 * function has no v2 equivalent: it is emulated by offering only that tool with REQUIRED.
 */
export function applyToolChoice(body: Record<string, unknown>, tools: CohereTool[], choice: unknown, ctx: RequestContext): void {
  if (choice === undefined || choice === null || choice === 'auto') return;
  if (choice === 'required') body.tool_choice = 'REQUIRED';
  else if (choice === 'none') body.tool_choice = 'NONE';
  else if (typeof choice === 'object' && (choice as { type?: unknown }).type === 'function') {
    const name = (choice as { function?: { name?: unknown } }).function?.name;
    if (typeof name !== 'string' || name === '') throw badRequest('tool_choice.function.name', 'must be a non-empty string', ctx);
    const only = tools.filter((tool) => tool.function.name === name);
    if (only.length === 0) throw badRequest('tool_choice.function.name', `names no tool in tools (${JSON.stringify(name)})`, ctx);
    body.tools = only;
    body.tool_choice = 'REQUIRED';
  } else {
    throw badRequest('tool_choice', 'must be "auto", "required", "none" or {"type":"function","function":{"name":...}}', ctx);
  }
}

export function translateResponseFormat(format: unknown, ctx: RequestContext): Record<string, unknown> | undefined {
  if (format === undefined || format === null) return undefined;
  const type = (format as { type?: unknown }).type;
  if (type === 'text') return undefined;
  if (type === 'json_object') return { type: 'json_object' };
  if (type === 'json_schema') {
    const schema = (format as { json_schema?: { schema?: unknown } }).json_schema?.schema;
    if (typeof schema !== 'object' || schema === null) throw badRequest('response_format.json_schema.schema', 'must be a JSON schema object', ctx);
    return { type: 'json_object', json_schema: schema };
  }
  throw badRequest('response_format.type', 'must be "text", "json_object" or "json_schema"', ctx);
}

/** How many choices to produce (n), emulated by parallel calls: 1–MAX_N, and 1 on streams. */
export function choiceCount(n: unknown, stream: boolean, ctx: RequestContext): number {
  if (n === undefined || n === null) return 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw badRequest('n', 'must be a positive integer', ctx);
  if (n > 1 && stream) throw badRequest('n', 'Cohere answers one choice per call; n > 1 is emulated with parallel calls, which a stream cannot carry', ctx);
  if (n > MAX_N) throw badRequest('n', `Cohere answers one choice per call; n is emulated with at most ${MAX_N} parallel calls`, ctx);
  return n;
}

export function buildChatBody(request: ChatRequest, ctx: RequestContext, stream: boolean): Record<string, unknown> {
  const params = translateParams(CHAT_PARAMS, request, ctx.providerName);
  const body: Record<string, unknown> = { model: request.model || ctx.model, ...params, messages: translateMessages(request.messages, ctx) };
  if (request.tools !== undefined && request.tools !== null && !Array.isArray(request.tools)) throw badRequest('tools', 'must be an array', ctx);
  // tool_choice without tools means nothing (Cohere refuses REQUIRED without tools).
  if (Array.isArray(request.tools) && request.tools.length > 0) {
    const { tools, strict } = translateTools(request.tools, ctx);
    body.tools = tools;
    if (strict) body.strict_tools = true;
    applyToolChoice(body, tools, request.tool_choice, ctx);
  }
  const format = translateResponseFormat(request.response_format, ctx);
  if (format) body.response_format = format;
  if (stream) body.stream = true;
  return body;
}

function promptText(prompt: unknown, ctx: RequestContext): string {
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') return prompt[0];
  if (Array.isArray(prompt) && prompt.length !== 1 && prompt.every((p) => typeof p === 'string')) {
    throw badRequest('prompt', `Cohere answers one prompt per request; got ${prompt.length} prompts`, ctx);
  }
  throw badRequest('prompt', 'must be a string (token arrays are not supported)', ctx);
}

/** A completion is one user message of the Chat API. */
export function buildCompletionsBody(request: CompletionsRequest, ctx: RequestContext, stream: boolean): Record<string, unknown> {
  const params = translateParams(COMPLETIONS_PARAMS, request, ctx.providerName);
  const body: Record<string, unknown> = {
    model: request.model || ctx.model,
    ...params,
    messages: [{ role: 'user', content: promptText(request.prompt, ctx) }],
  };
  if (stream) body.stream = true;
  return body;
}

export function embeddingTexts(input: unknown, ctx: RequestContext): string[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0 && input.every((item) => typeof item === 'string')) return input as string[];
  if (Array.isArray(input) && input.length === 0) throw badRequest('input', 'must not be empty', ctx);
  throw badRequest('input', 'must be a string or an array of strings (Cohere does not embed token arrays)', ctx);
}

export function buildEmbedBody(request: EmbeddingsRequest, ctx: RequestContext): Record<string, unknown> {
  const params = translateParams(EMBEDDINGS_PARAMS, request, ctx.providerName);
  const types = request.embedding_types;
  if (types !== undefined && types !== null && !(Array.isArray(types) && types.length === 1 && types[0] === 'float')) {
    throw badRequest('embedding_types', 'only ["float"] is supported (core encodes base64 itself)', ctx);
  }
  return {
    model: request.model || ctx.model,
    input_type: ctx.inputType,
    ...params,
    texts: embeddingTexts(request.input, ctx),
    embedding_types: ['float'],
  };
}
