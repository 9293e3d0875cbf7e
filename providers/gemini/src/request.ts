// OpenAI-format requests → Gemini generateContent / embedContent bodies. Standard parameters go
// through the translation tables (params.ts); this file handles what a table cannot: messages,
// content parts, tools, tool_choice, response_format and embedding inputs.
// Reference: https://ai.google.dev/api/generate-content#request-body,
// https://ai.google.dev/api/caching#Content, https://ai.google.dev/gemini-api/docs/function-calling,
// https://ai.google.dev/api/embeddings
import {
  copyOwn,
  createError,
  translateParams,
  type ChatMessage,
  type ChatRequest,
  type CompletionsRequest,
  type ContentPart,
  type EmbeddingsRequest,
  type GatewayError,
  type ToolCall,
  type ToolDefinition,
} from '@gatehousejs/core';
import { PARAMS } from './params.js';
import { toFunctionParameters, toGeminiSchema } from './schema.js';
import type { GeminiContent, GeminiFunctionDeclaration, GeminiPart, GeminiTool, GeminiToolConfig } from './wire.js';

/** Who is translating: the provider name as configured, for messages. */
export interface RequestContext {
  readonly providerName: string;
}

function badRequest(param: string, message: string, ctx: RequestContext): GatewayError {
  return createError('GW_ERR_BAD_REQUEST', `${param}: ${message} (provider ${ctx.providerName}).`, { param });
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)(?:;[\w.+-]+=[^;,]*)*;base64,/i;
const HTTP_URL = /^https?:\/\//i;

/** MIME types guessed from a URL's extension, for fileData (Gemini wants one where it can). */
const MIME_BY_EXTENSION: ReadonlyMap<string, string> = new Map([
  ['png', 'image/png'],
  ['jpg', 'image/jpeg'],
  ['jpeg', 'image/jpeg'],
  ['webp', 'image/webp'],
  ['gif', 'image/gif'],
  ['heic', 'image/heic'],
  ['heif', 'image/heif'],
  ['pdf', 'application/pdf'],
]);

function mimeFromUrl(url: string): string | undefined {
  const path = url.split(/[?#]/, 1)[0]!;
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return ext ? MIME_BY_EXTENSION.get(ext) : undefined;
}

/** A data: URL → inlineData; an http(s) URL → fileData. */
function urlPart(url: unknown, at: string, ctx: RequestContext): GeminiPart {
  if (typeof url !== 'string') throw badRequest(at, 'must be a string', ctx);
  const data = DATA_URL.exec(url);
  if (data) {
    const mimeType = data[1]!.toLowerCase();
    return { inlineData: { mimeType: mimeType === 'image/jpg' ? 'image/jpeg' : mimeType, data: url.slice(data[0].length) } };
  }
  if (HTTP_URL.test(url)) {
    const mimeType = mimeFromUrl(url);
    return { fileData: mimeType ? { mimeType, fileUri: url } : { fileUri: url } };
  }
  throw badRequest(at, 'must be a base64 data: URL or an http(s) URL', ctx);
}

const AUDIO_FORMATS: ReadonlyMap<string, string> = new Map([
  ['wav', 'audio/wav'],
  ['mp3', 'audio/mp3'],
]);

function contentPart(part: ContentPart, at: string, ctx: RequestContext): GeminiPart {
  switch (part?.type) {
    case 'text':
      if (typeof part.text !== 'string') throw badRequest(`${at}.text`, 'must be a string', ctx);
      return { text: part.text };
    case 'image_url':
      return urlPart(part.image_url?.url, `${at}.image_url.url`, ctx);
    case 'input_audio': {
      const audio = part.input_audio as { data?: unknown; format?: unknown } | undefined;
      const mimeType = typeof audio?.format === 'string' ? AUDIO_FORMATS.get(audio.format) : undefined;
      if (!mimeType) throw badRequest(`${at}.input_audio.format`, 'must be "wav" or "mp3"', ctx);
      if (typeof audio?.data !== 'string') throw badRequest(`${at}.input_audio.data`, 'must be a base64 string', ctx);
      return { inlineData: { mimeType, data: audio.data } };
    }
    case 'file': {
      const file = part.file as { file_data?: unknown } | undefined;
      if (typeof file?.file_data !== 'string') throw badRequest(`${at}.file.file_data`, 'must be a base64 data: URL (file ids are not supported)', ctx);
      return urlPart(file.file_data, `${at}.file.file_data`, ctx);
    }
    default:
      throw badRequest(`${at}.type`, `content part type ${JSON.stringify(part?.type)} is not supported (use text, image_url, input_audio or file)`, ctx);
  }
}

function userParts(content: ChatMessage['content'], at: string, ctx: RequestContext): GeminiPart[] {
  if (typeof content === 'string') return [{ text: content }];
  if (content === null || content === undefined) return [];
  if (!Array.isArray(content)) throw badRequest(`${at}.content`, 'must be a string or an array of content parts', ctx);
  return content.map((part, j) => contentPart(part, `${at}.content[${j}]`, ctx));
}

/** The text of a system, developer, assistant or tool message. */
function textOf(content: ChatMessage['content'], at: string, ctx: RequestContext): string[] {
  if (typeof content === 'string') return [content];
  if (content === null || content === undefined) return [];
  if (!Array.isArray(content)) throw badRequest(`${at}.content`, 'must be a string or an array of content parts', ctx);
  return content.map((part, j) => {
    if (part?.type === 'text' && typeof part.text === 'string') return part.text;
    if (part?.type === 'refusal' && typeof part.refusal === 'string') return part.refusal;
    throw badRequest(`${at}.content[${j}].type`, `only text parts are supported in this message (got ${JSON.stringify(part?.type)})`, ctx);
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
  if (!isPlainObject(value)) throw badRequest(at, 'must be a JSON object', ctx);
  return value;
}

/**
 * Gemini's thought signature for a tool call, as Google's own OpenAI-compatible endpoint hands
 * it out (`extra_content.google.thought_signature`); Gemini 3 requires it back with the call.
 */
export function thoughtSignatureOf(call: ToolCall): string | undefined {
  const extra = (call as unknown as { extra_content?: { google?: { thought_signature?: unknown } } }).extra_content;
  const signature = extra?.google?.thought_signature;
  return typeof signature === 'string' && signature !== '' ? signature : undefined;
}

function modelParts(message: ChatMessage, at: string, ctx: RequestContext, names: Map<string, string>): GeminiPart[] {
  const parts: GeminiPart[] = [];
  // Assistant turns often carry "" beside tool calls: an empty text part is an error upstream.
  for (const text of textOf(message.content, at, ctx)) if (text !== '') parts.push({ text });
  const calls = message.tool_calls ?? [];
  if (!Array.isArray(calls)) throw badRequest(`${at}.tool_calls`, 'must be an array', ctx);
  calls.forEach((call, j) => {
    const where = `${at}.tool_calls[${j}]`;
    if (typeof call?.function?.name !== 'string' || call.function.name === '') throw badRequest(`${where}.function.name`, 'must be a non-empty string', ctx);
    if (typeof call.id === 'string' && call.id !== '') names.set(call.id, call.function.name);
    const part: GeminiPart = { functionCall: { name: call.function.name, args: parseArguments(call.function.arguments, `${where}.function.arguments`, ctx) } };
    const signature = thoughtSignatureOf(call);
    if (signature !== undefined) part.thoughtSignature = signature;
    parts.push(part);
  });
  return parts;
}

/**
 * A tool message → a functionResponse part. Gemini matches responses to calls by function name,
 * looked up from the assistant tool call with this tool_call_id. The response must be an
 * object: a JSON object answer is sent as it is, anything else as `{"output": …}` (Gemini's
 * documented key for a function's output).
 */
function functionResponse(message: ChatMessage, at: string, ctx: RequestContext, names: ReadonlyMap<string, string>): GeminiPart {
  const id = message.tool_call_id;
  const name = (typeof id === 'string' ? names.get(id) : undefined) ?? (typeof message.name === 'string' && message.name !== '' ? message.name : undefined);
  if (name === undefined) {
    throw badRequest(`${at}.tool_call_id`, `must name a tool call of an earlier assistant message (got ${JSON.stringify(id)})`, ctx);
  }
  const text = textOf(message.content, at, ctx).join('');
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // Plain text output.
  }
  return { functionResponse: { name, response: isPlainObject(value) ? value : { output: value } } };
}

export interface TranslatedMessages {
  systemInstruction: { parts: GeminiPart[] } | undefined;
  contents: GeminiContent[];
}

/**
 * System and developer messages (anywhere) become `systemInstruction`; user turns keep role
 * `user`, assistant turns become role `model`; consecutive tool messages become one `user` turn
 * of functionResponse parts (Gemini wants all answers to a turn's calls together).
 */
export function translateMessages(messages: readonly ChatMessage[], ctx: RequestContext): TranslatedMessages {
  if (!Array.isArray(messages)) throw badRequest('messages', 'must be an array', ctx);
  const system: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  const names = new Map<string, string>();
  let toolTurn: GeminiContent | undefined;
  messages.forEach((message, i) => {
    const at = `messages[${i}]`;
    const role = message?.role;
    if (role !== 'tool') toolTurn = undefined;
    switch (role) {
      case 'system':
      case 'developer':
        for (const text of textOf(message.content, at, ctx)) if (text !== '') system.push({ text });
        break;
      case 'user': {
        const parts = userParts(message.content, at, ctx);
        if (parts.length > 0) contents.push({ role: 'user', parts });
        break;
      }
      case 'assistant': {
        const parts = modelParts(message, at, ctx, names);
        if (parts.length > 0) contents.push({ role: 'model', parts });
        break;
      }
      case 'tool': {
        const part = functionResponse(message, at, ctx, names);
        if (toolTurn) toolTurn.parts.push(part);
        else {
          toolTurn = { role: 'user', parts: [part] };
          contents.push(toolTurn);
        }
        break;
      }
      default:
        throw badRequest(`${at}.role`, `role ${JSON.stringify(role)} is not supported (use system, developer, user, assistant or tool)`, ctx);
    }
  });
  return { systemInstruction: system.length > 0 ? { parts: system } : undefined, contents };
}

export function translateTools(tools: readonly ToolDefinition[], ctx: RequestContext): GeminiTool[] {
  const declarations = tools.map((tool, i): GeminiFunctionDeclaration => {
    if (tool?.type !== 'function') throw badRequest(`tools[${i}].type`, 'only function tools are supported', ctx);
    const fn = tool.function;
    if (typeof fn?.name !== 'string' || fn.name === '') throw badRequest(`tools[${i}].function.name`, 'must be a non-empty string', ctx);
    const declaration: GeminiFunctionDeclaration = { name: fn.name };
    if (typeof fn.description === 'string' && fn.description !== '') declaration.description = fn.description;
    const parameters = toFunctionParameters(fn.parameters);
    if (parameters !== undefined) declaration.parameters = parameters;
    return declaration;
  });
  return [{ functionDeclarations: declarations }];
}

const TOOL_MODES: ReadonlyMap<string, 'AUTO' | 'ANY' | 'NONE'> = new Map([
  ['auto', 'AUTO'],
  ['required', 'ANY'],
  ['none', 'NONE'],
]);

/** tool_choice → toolConfig (undefined: leave it to Gemini, whose default is AUTO). */
export function translateToolChoice(choice: unknown, ctx: RequestContext): GeminiToolConfig | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (typeof choice === 'string' && TOOL_MODES.has(choice)) return { functionCallingConfig: { mode: TOOL_MODES.get(choice)! } };
  if (isPlainObject(choice) && choice.type === 'function') {
    const name = (choice.function as { name?: unknown } | undefined)?.name;
    if (typeof name !== 'string' || name === '') throw badRequest('tool_choice.function.name', 'must be a non-empty string', ctx);
    return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [name] } };
  }
  throw badRequest('tool_choice', 'must be "auto", "required", "none" or {"type":"function","function":{"name":...}}', ctx);
}

/** response_format → generationConfig fields. */
export function translateResponseFormat(format: unknown, ctx: RequestContext): Record<string, unknown> {
  if (format === undefined || format === null) return {};
  if (!isPlainObject(format)) throw badRequest('response_format', 'must be an object', ctx);
  switch (format.type) {
    case 'text':
      return {};
    case 'json_object':
      return { responseMimeType: 'application/json' };
    case 'json_schema': {
      const spec = format.json_schema;
      if (!isPlainObject(spec) || !isPlainObject(spec.schema)) {
        throw badRequest('response_format.json_schema.schema', 'must be a JSON schema object', ctx);
      }
      return { responseMimeType: 'application/json', responseSchema: toGeminiSchema(spec.schema) };
    }
    default:
      throw badRequest('response_format.type', 'must be "text", "json_object" or "json_schema"', ctx);
  }
}

/**
 * The body's generationConfig: a caller's own `generationConfig` (passed through) under the
 * translated standard parameters and response format. Undefined when empty.
 */
function generationConfig(
  request: Readonly<Record<string, unknown>>,
  translated: Record<string, unknown>,
  extra: Record<string, unknown>,
  ctx: RequestContext,
): Record<string, unknown> | undefined {
  const own = request.generationConfig;
  if (own !== undefined && own !== null && !isPlainObject(own)) throw badRequest('generationConfig', 'must be an object', ctx);
  const merged = { ...(own ?? {}), ...(isPlainObject(translated) ? translated : {}), ...extra };
  return Object.keys(merged).length > 0 ? merged : undefined;
}

/** Assemble a generateContent body: passed-through fields first, then what the provider writes. */
function assemble(
  params: Record<string, unknown>,
  config: Record<string, unknown> | undefined,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  // Not `{ ...passthrough, ...fields }`: a hidden class per body (core's copyOwn says why).
  const body = Object.assign(copyOwn(params, 'generationConfig'), fields);
  if (config) body.generationConfig = config;
  return body;
}

export function buildChatBody(request: ChatRequest, ctx: RequestContext): Record<string, unknown> {
  const params = translateParams(PARAMS.chat, request, ctx.providerName);
  const { systemInstruction, contents } = translateMessages(request.messages, ctx);
  const fields: Record<string, unknown> = { contents };
  if (systemInstruction) fields.systemInstruction = systemInstruction;
  if (request.tools !== undefined && request.tools !== null && !Array.isArray(request.tools)) throw badRequest('tools', 'must be an array', ctx);
  // tool_choice without tools means nothing; Gemini rejects a toolConfig naming no declared function.
  if (Array.isArray(request.tools) && request.tools.length > 0) {
    fields.tools = translateTools(request.tools, ctx);
    const toolConfig = translateToolChoice(request.tool_choice, ctx);
    if (toolConfig) fields.toolConfig = toolConfig;
  }
  const config = generationConfig(request, params.generationConfig as Record<string, unknown>, translateResponseFormat(request.response_format, ctx), ctx);
  return assemble(params, config, fields);
}

function promptText(prompt: unknown, ctx: RequestContext): string {
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') return prompt[0];
  if (Array.isArray(prompt) && prompt.length !== 1 && prompt.every((p) => typeof p === 'string')) {
    throw badRequest('prompt', `Gemini answers one prompt per request; got ${prompt.length} prompts`, ctx);
  }
  throw badRequest('prompt', 'must be a string (token arrays are not supported)', ctx);
}

/** A completion is one user turn of generateContent. */
export function buildCompletionsBody(request: CompletionsRequest, ctx: RequestContext): Record<string, unknown> {
  const params = translateParams(PARAMS.completions, request, ctx.providerName);
  const contents: GeminiContent[] = [{ role: 'user', parts: [{ text: promptText(request.prompt, ctx) }] }];
  const config = generationConfig(request, params.generationConfig as Record<string, unknown>, {}, ctx);
  return assemble(params, config, { contents });
}

/** The texts to embed, in order: one string or a list of strings (token arrays have no Gemini form). */
export function embeddingInputs(input: unknown, ctx: RequestContext): string[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0 && input.every((item) => typeof item === 'string')) return input as string[];
  if (Array.isArray(input) && input.length === 0) throw badRequest('input', 'must not be empty', ctx);
  throw badRequest('input', 'must be a string or a list of strings (token arrays are not supported)', ctx);
}

/**
 * One EmbedContentRequest per input: `{...params, model, content: {parts: [{text}]}}`, where
 * params are the translated ones (dimensions → outputDimensionality) and passed-through Gemini
 * fields such as taskType or title.
 */
export function buildEmbedRequests(
  request: EmbeddingsRequest,
  modelPath: string,
  ctx: RequestContext,
): { texts: string[]; requests: Array<Record<string, unknown>> } {
  const params = translateParams(PARAMS.embeddings, request, ctx.providerName);
  const texts = embeddingInputs(request.input, ctx);
  return { texts, requests: texts.map((text) => ({ ...params, model: modelPath, content: { parts: [{ text }] } })) };
}
