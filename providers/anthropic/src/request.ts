// OpenAI-format requests → Anthropic Messages API bodies. Standard parameters go through the
// translation table (params.ts); this file handles what a table cannot: messages, content
// parts, tools and tool_choice.
// Reference: https://docs.anthropic.com/en/api/messages
import {
  createError,
  translateParams,
  type ChatMessage,
  type ChatRequest,
  type CompletionsRequest,
  type ContentPart,
  type GatewayError,
  type ToolDefinition,
} from '@gatehousejs/core';
import type { ParamMaps } from './params.js';
import type {
  AnthropicImageBlock,
  AnthropicMessage,
  AnthropicRequestBlock,
  AnthropicTextBlock,
  AnthropicTool,
  AnthropicToolChoice,
  AnthropicToolResultBlock,
  AnthropicToolUseBlock,
} from './wire.js';

/** Who is translating: the provider name as configured (for messages) and the fallback model. */
export interface RequestContext {
  readonly providerName: string;
  readonly model: string;
}

function badRequest(param: string, message: string, ctx: RequestContext): GatewayError {
  return createError('GW_ERR_BAD_REQUEST', `${param}: ${message} (provider ${ctx.providerName}).`, { param });
}

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)(?:;[\w.+-]+=[^;,]*)*;base64,/i;
const HTTP_URL = /^https?:\/\//i;

function imageBlock(part: ContentPart, at: string, ctx: RequestContext): AnthropicImageBlock {
  const url = part.image_url?.url;
  if (typeof url !== 'string') throw badRequest(`${at}.image_url.url`, 'must be a string', ctx);
  const data = DATA_URL.exec(url);
  if (data) {
    const mediaType = data[1]!.toLowerCase();
    // 'image/jpg' is common in the wild; Anthropic accepts only the registered 'image/jpeg'.
    const source = { type: 'base64' as const, media_type: mediaType === 'image/jpg' ? 'image/jpeg' : mediaType, data: url.slice(data[0].length) };
    return { type: 'image', source };
  }
  if (HTTP_URL.test(url)) return { type: 'image', source: { type: 'url', url } };
  throw badRequest(`${at}.image_url.url`, 'must be a base64 data: URL or an http(s) URL', ctx);
}

function textOf(part: ContentPart, at: string, ctx: RequestContext): string {
  if (typeof part.text !== 'string') throw badRequest(`${at}.text`, 'must be a string', ctx);
  return part.text;
}

/** Content of a user or tool message: text and images. */
function userBlocks(content: ChatMessage['content'], at: string, ctx: RequestContext): Array<AnthropicTextBlock | AnthropicImageBlock> {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (content === null || content === undefined) return [];
  if (!Array.isArray(content)) throw badRequest(`${at}.content`, 'must be a string or an array of content parts', ctx);
  return content.map((part, j) => {
    const where = `${at}.content[${j}]`;
    if (part?.type === 'text') return { type: 'text', text: textOf(part, where, ctx) };
    if (part?.type === 'image_url') return imageBlock(part, where, ctx);
    throw badRequest(`${where}.type`, `content part type ${JSON.stringify(part?.type)} is not supported (use text or image_url)`, ctx);
  });
}

/** Text of a system/developer message, or of an assistant message's parts. */
function textParts(content: ChatMessage['content'], at: string, ctx: RequestContext, refusalAsText = false): string[] {
  if (typeof content === 'string') return [content];
  if (content === null || content === undefined) return [];
  if (!Array.isArray(content)) throw badRequest(`${at}.content`, 'must be a string or an array of content parts', ctx);
  return content.map((part, j) => {
    const where = `${at}.content[${j}]`;
    if (part?.type === 'text') return textOf(part, where, ctx);
    if (refusalAsText && part?.type === 'refusal' && typeof part.refusal === 'string') return part.refusal;
    throw badRequest(`${where}.type`, `only text parts are supported in this message (got ${JSON.stringify(part?.type)})`, ctx);
  });
}

function parseArguments(text: unknown, at: string, ctx: RequestContext): Record<string, unknown> {
  if (text === '' || text === undefined || text === null) return {};
  if (typeof text !== 'string') throw badRequest(at, 'must be a JSON string', ctx);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest(at, 'is not valid JSON', ctx);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest(at, 'must be a JSON object', ctx);
  return value as Record<string, unknown>;
}

function assistantBlocks(message: ChatMessage, at: string, ctx: RequestContext): Array<AnthropicTextBlock | AnthropicToolUseBlock> {
  const blocks: Array<AnthropicTextBlock | AnthropicToolUseBlock> = [];
  // An empty text block is an error upstream; assistant turns often carry "" beside tool calls.
  for (const text of textParts(message.content, at, ctx, true)) if (text !== '') blocks.push({ type: 'text', text });
  const calls = message.tool_calls ?? [];
  if (!Array.isArray(calls)) throw badRequest(`${at}.tool_calls`, 'must be an array', ctx);
  calls.forEach((call, j) => {
    const where = `${at}.tool_calls[${j}]`;
    if (typeof call?.id !== 'string' || call.id === '') throw badRequest(`${where}.id`, 'must be a non-empty string', ctx);
    if (typeof call.function?.name !== 'string') throw badRequest(`${where}.function.name`, 'must be a string', ctx);
    blocks.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseArguments(call.function.arguments, `${where}.function.arguments`, ctx),
    });
  });
  return blocks;
}

function toolResult(message: ChatMessage, at: string, ctx: RequestContext): AnthropicToolResultBlock {
  if (typeof message.tool_call_id !== 'string' || message.tool_call_id === '') {
    throw badRequest(`${at}.tool_call_id`, 'must name the tool call this message answers', ctx);
  }
  const block: AnthropicToolResultBlock = { type: 'tool_result', tool_use_id: message.tool_call_id };
  if (typeof message.content === 'string') {
    if (message.content !== '') block.content = message.content;
  } else {
    const parts = userBlocks(message.content, at, ctx);
    if (parts.length > 0) block.content = parts;
  }
  return block;
}

/** A single plain text block reads best (and is cached best) as a string. */
function compact(blocks: AnthropicRequestBlock[]): string | AnthropicRequestBlock[] {
  return blocks.length === 1 && blocks[0]!.type === 'text' ? blocks[0].text : blocks;
}

export interface TranslatedMessages {
  system: string | undefined;
  messages: AnthropicMessage[];
}

/**
 * System and developer messages (anywhere) become the top-level `system` (joined by blank
 * lines); tool messages become tool_result blocks of a user turn; consecutive turns of the
 * same role are merged, as Anthropic requires alternating roles. In a user turn, tool_result
 * blocks are put first (Anthropic requires them before any text).
 */
export function translateMessages(messages: readonly ChatMessage[], ctx: RequestContext): TranslatedMessages {
  if (!Array.isArray(messages)) throw badRequest('messages', 'must be an array', ctx);
  const system: string[] = [];
  const turns: Array<{ role: 'user' | 'assistant'; blocks: AnthropicRequestBlock[] }> = [];
  const push = (role: 'user' | 'assistant', blocks: AnthropicRequestBlock[]): void => {
    if (blocks.length === 0) return;
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.blocks.push(...blocks);
    else turns.push({ role, blocks });
  };
  messages.forEach((message, i) => {
    const at = `messages[${i}]`;
    switch (message?.role) {
      case 'system':
      case 'developer':
        for (const text of textParts(message.content, at, ctx)) if (text !== '') system.push(text);
        break;
      case 'user':
        push('user', userBlocks(message.content, at, ctx));
        break;
      case 'assistant':
        push('assistant', assistantBlocks(message, at, ctx));
        break;
      case 'tool':
        push('user', [toolResult(message, at, ctx)]);
        break;
      default:
        throw badRequest(`${at}.role`, `role ${JSON.stringify(message?.role)} is not supported (use system, developer, user, assistant or tool)`, ctx);
    }
  });
  return {
    system: system.length > 0 ? system.join('\n\n') : undefined,
    messages: turns.map(({ role, blocks }) => {
      const ordered = role === 'user' ? [...blocks.filter((b) => b.type === 'tool_result'), ...blocks.filter((b) => b.type !== 'tool_result')] : blocks;
      return { role, content: compact(ordered) };
    }),
  };
}

export function translateTools(tools: readonly ToolDefinition[], ctx: RequestContext): AnthropicTool[] {
  if (!Array.isArray(tools)) throw badRequest('tools', 'must be an array', ctx);
  return tools.map((tool, i) => {
    if (tool?.type !== 'function') throw badRequest(`tools[${i}].type`, 'only function tools are supported', ctx);
    const fn = tool.function;
    if (typeof fn?.name !== 'string' || fn.name === '') throw badRequest(`tools[${i}].function.name`, 'must be a non-empty string', ctx);
    const out: AnthropicTool = { name: fn.name, input_schema: fn.parameters ?? { type: 'object', properties: {} } };
    if (fn.description !== undefined) out.description = fn.description;
    return out;
  });
}

const TOOL_CHOICE_TYPES: ReadonlyMap<string, 'auto' | 'any' | 'none'> = new Map([
  ['auto', 'auto'],
  ['required', 'any'],
  ['none', 'none'],
]);

/** tool_choice and parallel_tool_calls → Anthropic's tool_choice (undefined: leave it to Anthropic). */
export function translateToolChoice(choice: unknown, parallel: unknown, ctx: RequestContext): AnthropicToolChoice | undefined {
  let out: AnthropicToolChoice | undefined;
  if (choice === undefined || choice === null) {
    out = parallel === false ? { type: 'auto' } : undefined;
  } else if (typeof choice === 'string' && TOOL_CHOICE_TYPES.has(choice)) {
    out = { type: TOOL_CHOICE_TYPES.get(choice)! };
  } else if (typeof choice === 'object' && (choice as { type?: unknown }).type === 'function') {
    const name = (choice as { function?: { name?: unknown } }).function?.name;
    if (typeof name !== 'string' || name === '') throw badRequest('tool_choice.function.name', 'must be a non-empty string', ctx);
    out = { type: 'tool', name };
  } else {
    throw badRequest('tool_choice', 'must be "auto", "required", "none" or {"type":"function","function":{"name":...}}', ctx);
  }
  if (parallel === false && out && out.type !== 'none') out.disable_parallel_tool_use = true;
  return out;
}

export function buildChatBody(request: ChatRequest, maps: ParamMaps, ctx: RequestContext, stream: boolean): Record<string, unknown> {
  const params = translateParams(maps.chat, request, ctx.providerName);
  const { system, messages } = translateMessages(request.messages, ctx);
  // Provider-specific parameters pass through, but what the messages say about `system` wins.
  const body: Record<string, unknown> = { model: request.model || ctx.model, ...params };
  if (system !== undefined) body.system = system;
  body.messages = messages;
  // tool_choice without tools is an error upstream (and at OpenAI); with no tools it means nothing.
  if (Array.isArray(request.tools) && request.tools.length > 0) {
    body.tools = translateTools(request.tools, ctx);
    const choice = translateToolChoice(request.tool_choice, request.parallel_tool_calls, ctx);
    if (choice) body.tool_choice = choice;
  } else if (request.tools !== undefined && request.tools !== null && !Array.isArray(request.tools)) {
    throw badRequest('tools', 'must be an array', ctx);
  }
  if (stream) body.stream = true;
  return body;
}

function promptText(prompt: unknown, ctx: RequestContext): string {
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') return prompt[0];
  if (Array.isArray(prompt) && prompt.length !== 1) {
    throw badRequest('prompt', `Anthropic answers one prompt per request; got ${prompt.length} prompts`, ctx);
  }
  throw badRequest('prompt', 'must be a string (token arrays are not supported)', ctx);
}

/** A completion is one user turn of the Messages API. */
export function buildCompletionsBody(request: CompletionsRequest, maps: ParamMaps, ctx: RequestContext, stream: boolean): Record<string, unknown> {
  const params = translateParams(maps.completions, request, ctx.providerName);
  const body: Record<string, unknown> = {
    model: request.model || ctx.model,
    ...params,
    messages: [{ role: 'user', content: promptText(request.prompt, ctx) }],
  };
  if (stream) body.stream = true;
  return body;
}
