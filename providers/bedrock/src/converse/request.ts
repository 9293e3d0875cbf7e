// OpenAI-format chat and completion requests → Converse / ConverseStream bodies.
// Reference: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
// Standard parameters go through the translation table (params.ts); this file handles what a
// table cannot: messages, content blocks, tools and tool_choice.
import {
  assignOwn,
  copyOwn,
  createError,
  setOwn,
  translateParams,
  type ChatMessage,
  type ChatRequest,
  type CompletionsRequest,
  type ContentPart,
  type GatewayError,
  type ParamMap,
  type ToolDefinition,
} from '@gatehousejs/core';
import type {
  ContentBlock,
  ConverseMessage,
  ImageBlock,
  ImageFormat,
  TextBlock,
  ToolChoice,
  ToolConfig,
  ToolResultBlock,
  ToolSpec,
  ToolUseBlock,
} from '../wire.js';

/** The provider name as configured, for messages. */
export interface RequestContext {
  readonly providerName: string;
}

function badRequest(param: string, message: string, ctx: RequestContext): GatewayError {
  return createError('GW_ERR_BAD_REQUEST', `${param}: ${message} (provider ${ctx.providerName}).`, { param });
}

/** Converse's own top-level request fields: they pass through as they are. */
const CONVERSE_FIELDS: ReadonlySet<string> = new Set([
  'additionalModelRequestFields',
  'additionalModelResponseFieldPaths',
  'guardrailConfig',
  'performanceConfig',
  'promptVariables',
  'requestMetadata',
  'serviceTier',
]);

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)(?:;[\w.+-]+=[^;,]*)*;base64,/i;
const HTTP_URL = /^https?:\/\//i;
const S3_URL = /^s3:\/\/[^/]+\/.+/;

const IMAGE_FORMATS: ReadonlyMap<string, ImageFormat> = new Map([
  ['image/png', 'png'],
  ['image/jpeg', 'jpeg'],
  ['image/jpg', 'jpeg'],
  ['image/gif', 'gif'],
  ['image/webp', 'webp'],
]);

const S3_FORMATS: ReadonlyMap<string, ImageFormat> = new Map([
  ['png', 'png'],
  ['jpg', 'jpeg'],
  ['jpeg', 'jpeg'],
  ['gif', 'gif'],
  ['webp', 'webp'],
]);

function imageBlock(part: ContentPart, at: string, ctx: RequestContext): ImageBlock {
  const url = part.image_url?.url;
  const where = `${at}.image_url.url`;
  if (typeof url !== 'string') throw badRequest(where, 'must be a string', ctx);
  const data = DATA_URL.exec(url);
  if (data) {
    const format = IMAGE_FORMATS.get(data[1]!.toLowerCase());
    if (!format) throw badRequest(where, `image type ${data[1]} is not supported by Bedrock (use png, jpeg, gif or webp)`, ctx);
    return { image: { format, source: { bytes: url.slice(data[0].length) } } };
  }
  if (S3_URL.test(url)) {
    const format = S3_FORMATS.get(url.slice(url.lastIndexOf('.') + 1).toLowerCase());
    if (!format) throw badRequest(where, 'an s3:// image must end in .png, .jpg, .jpeg, .gif or .webp', ctx);
    return { image: { format, source: { s3Location: { uri: url } } } };
  }
  if (HTTP_URL.test(url)) {
    throw badRequest(
      where,
      "Bedrock's Converse API does not fetch image URLs: it needs the image bytes inline; send a base64 data: URL (data:image/png;base64,...) or an s3:// location",
      ctx,
    );
  }
  throw badRequest(where, 'must be a base64 data: URL or an s3:// location', ctx);
}

function textOf(part: ContentPart, at: string, ctx: RequestContext): string {
  if (typeof part.text !== 'string') throw badRequest(`${at}.text`, 'must be a string', ctx);
  return part.text;
}

/** Content of a user or tool message: text and images. */
function userBlocks(content: ChatMessage['content'], at: string, ctx: RequestContext): Array<TextBlock | ImageBlock> {
  if (typeof content === 'string') return [{ text: content }];
  if (content === null || content === undefined) return [];
  if (!Array.isArray(content)) throw badRequest(`${at}.content`, 'must be a string or an array of content parts', ctx);
  return content.map((part, j) => {
    const where = `${at}.content[${j}]`;
    if (part?.type === 'text') return { text: textOf(part, where, ctx) };
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

function parseArguments(text: unknown, at: string, ctx: RequestContext): unknown {
  if (text === '' || text === undefined || text === null) return {};
  if (typeof text !== 'string') throw badRequest(at, 'must be a JSON string', ctx);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest(at, 'is not valid JSON', ctx);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest(at, 'must be a JSON object', ctx);
  return value;
}

function assistantBlocks(message: ChatMessage, at: string, ctx: RequestContext): Array<TextBlock | ToolUseBlock> {
  const blocks: Array<TextBlock | ToolUseBlock> = [];
  // A blank text block is a ValidationException; assistant turns often carry "" beside tool calls.
  for (const text of textParts(message.content, at, ctx, true)) if (text !== '') blocks.push({ text });
  const calls = message.tool_calls ?? [];
  if (!Array.isArray(calls)) throw badRequest(`${at}.tool_calls`, 'must be an array', ctx);
  calls.forEach((call, j) => {
    const where = `${at}.tool_calls[${j}]`;
    if (typeof call?.id !== 'string' || call.id === '') throw badRequest(`${where}.id`, 'must be a non-empty string', ctx);
    if (typeof call.function?.name !== 'string') throw badRequest(`${where}.function.name`, 'must be a string', ctx);
    blocks.push({
      toolUse: { toolUseId: call.id, name: call.function.name, input: parseArguments(call.function.arguments, `${where}.function.arguments`, ctx) },
    });
  });
  return blocks;
}

function toolResult(message: ChatMessage, at: string, ctx: RequestContext): ToolResultBlock {
  if (typeof message.tool_call_id !== 'string' || message.tool_call_id === '') {
    throw badRequest(`${at}.tool_call_id`, 'must name the tool call this message answers', ctx);
  }
  return { toolResult: { toolUseId: message.tool_call_id, content: userBlocks(message.content, at, ctx) } };
}

export interface TranslatedMessages {
  system: TextBlock[];
  messages: ConverseMessage[];
}

/**
 * System and developer messages (anywhere) become `system` blocks; tool messages become
 * toolResult blocks of a user turn; consecutive turns of the same role are merged, as
 * Converse requires alternating roles. In a user turn, toolResult blocks come first.
 */
export function translateMessages(messages: readonly ChatMessage[], ctx: RequestContext): TranslatedMessages {
  if (!Array.isArray(messages)) throw badRequest('messages', 'must be an array', ctx);
  const system: TextBlock[] = [];
  const turns: ConverseMessage[] = [];
  const push = (role: 'user' | 'assistant', blocks: ContentBlock[]): void => {
    if (blocks.length === 0) return;
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };
  messages.forEach((message, i) => {
    const at = `messages[${i}]`;
    switch (message?.role) {
      case 'system':
      case 'developer':
        for (const text of textParts(message.content, at, ctx)) if (text !== '') system.push({ text });
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
  for (const turn of turns) {
    if (turn.role === 'user') turn.content = [...turn.content.filter((b) => 'toolResult' in b), ...turn.content.filter((b) => !('toolResult' in b))];
  }
  return { system, messages: turns };
}

export function translateTools(tools: readonly ToolDefinition[], ctx: RequestContext): ToolSpec[] {
  return tools.map((tool, i) => {
    if (tool?.type !== 'function') throw badRequest(`tools[${i}].type`, 'only function tools are supported', ctx);
    const fn = tool.function;
    if (typeof fn?.name !== 'string' || fn.name === '') throw badRequest(`tools[${i}].function.name`, 'must be a non-empty string', ctx);
    const spec: ToolSpec['toolSpec'] = { name: fn.name, inputSchema: { json: fn.parameters ?? { type: 'object', properties: {} } } };
    if (typeof fn.description === 'string' && fn.description !== '') spec.description = fn.description;
    return { toolSpec: spec };
  });
}

/** tool_choice → Converse's toolChoice; 'none' answers null (send no tools at all). */
export function translateToolChoice(choice: unknown, ctx: RequestContext): ToolChoice | undefined | null {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'none') return null;
  if (choice === 'auto') return { auto: {} };
  if (choice === 'required') return { any: {} };
  if (typeof choice === 'object' && (choice as { type?: unknown }).type === 'function') {
    const name = (choice as { function?: { name?: unknown } }).function?.name;
    if (typeof name !== 'string' || name === '') throw badRequest('tool_choice.function.name', 'must be a non-empty string', ctx);
    return { tool: { name } };
  }
  throw badRequest('tool_choice', 'must be "auto", "required", "none" or {"type":"function","function":{"name":...}}', ctx);
}

function toolConfig(request: ChatRequest, ctx: RequestContext): ToolConfig | undefined {
  const tools = request.tools;
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) throw badRequest('tools', 'must be an array', ctx);
  if (tools.length === 0) return undefined;
  const specs = translateTools(tools, ctx);
  const choice = translateToolChoice(request.tool_choice, ctx);
  if (choice === null) return undefined;
  return choice ? { tools: specs, toolChoice: choice } : { tools: specs };
}

/** Split translated parameters: inferenceConfig, Converse's own fields, and the model's extras. */
function assemble(params: Record<string, unknown>, ctx: RequestContext): Record<string, unknown> {
  const { inferenceConfig, ...rest } = params;
  const body: Record<string, unknown> = {};
  if (inferenceConfig && Object.keys(inferenceConfig).length > 0) body.inferenceConfig = inferenceConfig;
  let extras: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === 'additionalModelRequestFields') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest(key, 'must be an object', ctx);
      // As data (core's copyOwn): a client's "__proto__" key stays a key, and no hidden class per body.
      extras = assignOwn(copyOwn(value as Record<string, unknown>), extras);
    } else if (CONVERSE_FIELDS.has(key)) {
      body[key] = value;
    } else {
      setOwn(extras, key, value);
    }
  }
  if (Object.keys(extras).length > 0) body.additionalModelRequestFields = extras;
  return body;
}

export function buildChatBody(request: ChatRequest, map: ParamMap, ctx: RequestContext): Record<string, unknown> {
  const body = assemble(translateParams(map, request, ctx.providerName), ctx);
  const { system, messages } = translateMessages(request.messages, ctx);
  const config = toolConfig(request, ctx);
  return {
    messages,
    ...(system.length > 0 ? { system } : {}),
    ...body,
    ...(config ? { toolConfig: config } : {}),
  };
}

function promptText(prompt: unknown, ctx: RequestContext): string {
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') return prompt[0];
  if (Array.isArray(prompt) && prompt.length !== 1 && prompt.every((p) => typeof p === 'string')) {
    throw badRequest('prompt', `Bedrock answers one prompt per request; got ${prompt.length} prompts`, ctx);
  }
  throw badRequest('prompt', 'must be a string (token arrays are not supported)', ctx);
}

/** A completion is one user turn of the Converse API. */
export function buildCompletionsBody(request: CompletionsRequest, map: ParamMap, ctx: RequestContext): Record<string, unknown> {
  const body = assemble(translateParams(map, request, ctx.providerName), ctx);
  return { messages: [{ role: 'user', content: [{ text: promptText(request.prompt, ctx) }] }], ...body };
}
