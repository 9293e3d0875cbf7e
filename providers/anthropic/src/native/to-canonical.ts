// An Anthropic Messages request → the canonical (OpenAI chat) request, so that Anthropic-only
// clients can use an endpoint of any provider. Field paths in errors follow Anthropic's own
// style (`messages.2.content.0.type`).
// Reference: https://docs.anthropic.com/en/api/messages (request body).
//
// | Anthropic field                  | canonical                                                    |
// | -------------------------------- | ------------------------------------------------------------ |
// | system (string or text blocks)   | a first `system` message (blocks joined by blank lines)      |
// | messages[].content text, image   | user content parts: text, image_url (base64 → data: URL)     |
// | assistant tool_use blocks        | the assistant message's tool_calls (input → JSON arguments)  |
// | user tool_result blocks          | `tool` messages, in order, before the turn's other content   |
// | thinking / redacted_thinking     | dropped from assistant turns (no canonical form)             |
// | max_tokens                       | max_tokens (required, as at Anthropic)                       |
// | temperature (0–1)                | temperature scaled onto 0–2                                  |
// | top_p                            | top_p                                                        |
// | top_k                            | top_k (passes; providers that know it map it)                |
// | stop_sequences                   | stop                                                         |
// | tools[] (name, input_schema)     | function tools (parameters = input_schema)                   |
// | tool_choice auto/any/tool/none   | auto / required / {function} / none                          |
// | tool_choice.disable_parallel_…   | parallel_tool_calls: false                                   |
// | metadata.user_id                 | user                                                         |
// | stream                           | stream, with stream_options.include_usage                    |
// | thinking, service_tier           | dropped (hints with no canonical meaning)                    |
// | container, mcp_servers           | rejected (they need Anthropic's servers)                     |
// | anything else                    | passed through, as on every route                            |
import {
  createError,
  defineParamMap,
  translateParams,
  type ChatMessage,
  type ChatRequest,
  type ContentPart,
  type GatewayError,
  type ToolCall,
  type ToolChoice,
  type ToolDefinition,
} from '@gatehousejs/core';

const LABEL = 'Anthropic Messages API';

function bad(param: string, message: string): GatewayError {
  return createError('GW_ERR_BAD_REQUEST', `${param}: ${message}`, { param });
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const inRange01 = (value: unknown): string | undefined =>
  typeof value === 'number' && value >= 0 && value <= 1 ? undefined : 'must be a number from 0 to 1';

const MANUAL = Object.freeze({ manual: true });

const PARAMS = defineParamMap(
  {
    model: MANUAL,
    messages: MANUAL,
    system: MANUAL,
    tools: MANUAL,
    tool_choice: MANUAL,
    stream: MANUAL,
    max_tokens: MANUAL,
    temperature: { reject: inRange01, scale: { from: [0, 1], to: [0, 2] } },
    top_p: { reject: inRange01 },
    stop_sequences: {
      to: 'stop',
      reject: (v) => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? undefined : 'must be an array of strings'),
    },
    metadata: { to: 'user', convert: (v) => (isObject(v) && typeof v.user_id === 'string' ? v.user_id : undefined) },
    thinking: { drop: true },
    service_tier: { drop: true },
    container: { reject: 'containers run on Anthropic’s servers; this endpoint is served by another provider' },
    mcp_servers: { reject: 'MCP servers are called by Anthropic’s servers; this endpoint is served by another provider' },
  },
  { unknown: 'pass' },
);

function textOf(block: Json, at: string): string {
  if (typeof block.text !== 'string') throw bad(`${at}.text`, 'must be a string');
  return block.text;
}

function imagePart(block: Json, at: string): ContentPart {
  const source = block.source;
  if (!isObject(source)) throw bad(`${at}.source`, 'must be an object');
  if (source.type === 'base64') {
    if (typeof source.media_type !== 'string' || typeof source.data !== 'string') {
      throw bad(`${at}.source`, 'needs media_type and data strings');
    }
    return { type: 'image_url', image_url: { url: `data:${source.media_type};base64,${source.data}` } };
  }
  if (source.type === 'url') {
    if (typeof source.url !== 'string') throw bad(`${at}.source.url`, 'must be a string');
    return { type: 'image_url', image_url: { url: source.url } };
  }
  throw bad(`${at}.source.type`, 'must be "base64" or "url"');
}

/** Text and image blocks → canonical parts; anything else fails naming the block. */
function contentPart(block: unknown, at: string): ContentPart {
  if (!isObject(block)) throw bad(at, 'must be an object');
  if (block.type === 'text') return { type: 'text', text: textOf(block, at) };
  if (block.type === 'image') return imagePart(block, at);
  throw bad(`${at}.type`, `block type ${JSON.stringify(block.type)} is not supported here when the endpoint is not served by Anthropic`);
}

/** One text part reads best as a plain string. */
function compact(parts: ContentPart[]): string | ContentPart[] {
  return parts.length === 1 && parts[0]!.type === 'text' ? parts[0]!.text! : parts;
}

function toolMessage(block: Json, at: string): ChatMessage {
  if (typeof block.tool_use_id !== 'string' || block.tool_use_id === '') throw bad(`${at}.tool_use_id`, 'must be a non-empty string');
  const content = block.content;
  let parts: string | ContentPart[];
  if (content === undefined || typeof content === 'string') parts = content ?? '';
  else if (Array.isArray(content)) parts = compact(content.map((b, k) => contentPart(b, `${at}.content.${k}`)));
  else throw bad(`${at}.content`, 'must be a string or an array of blocks');
  return { role: 'tool', tool_call_id: block.tool_use_id, content: parts };
}

/** A user turn: its tool_result blocks become tool messages, the rest a user message, in order. */
function userMessages(content: unknown, at: string): ChatMessage[] {
  if (typeof content === 'string') return [{ role: 'user', content }];
  if (!Array.isArray(content)) throw bad(`${at}.content`, 'must be a string or an array of blocks');
  const out: ChatMessage[] = [];
  let parts: ContentPart[] = [];
  const flush = (): void => {
    if (parts.length > 0) out.push({ role: 'user', content: compact(parts) });
    parts = [];
  };
  content.forEach((block: unknown, j) => {
    const where = `${at}.content.${j}`;
    if (isObject(block) && block.type === 'tool_result') {
      flush();
      out.push(toolMessage(block, where));
    } else {
      parts.push(contentPart(block, where));
    }
  });
  flush();
  return out;
}

function toolCall(block: Json, at: string): ToolCall {
  if (typeof block.id !== 'string' || block.id === '') throw bad(`${at}.id`, 'must be a non-empty string');
  if (typeof block.name !== 'string' || block.name === '') throw bad(`${at}.name`, 'must be a non-empty string');
  if (block.input !== undefined && !isObject(block.input)) throw bad(`${at}.input`, 'must be an object');
  return { id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } };
}

const SKIPPED_ASSISTANT_BLOCKS = new Set(['thinking', 'redacted_thinking']);

function assistantMessage(content: unknown, at: string): ChatMessage {
  if (typeof content === 'string') return { role: 'assistant', content };
  if (!Array.isArray(content)) throw bad(`${at}.content`, 'must be a string or an array of blocks');
  let text = '';
  const calls: ToolCall[] = [];
  content.forEach((block: unknown, j) => {
    const where = `${at}.content.${j}`;
    if (!isObject(block)) throw bad(where, 'must be an object');
    if (block.type === 'text') text += textOf(block, where);
    else if (block.type === 'tool_use') calls.push(toolCall(block, where));
    else if (!SKIPPED_ASSISTANT_BLOCKS.has(String(block.type))) {
      throw bad(`${where}.type`, `block type ${JSON.stringify(block.type)} is not supported in an assistant turn when the endpoint is not served by Anthropic`);
    }
  });
  const message: ChatMessage = { role: 'assistant', content: text === '' && calls.length > 0 ? null : text };
  if (calls.length > 0) message.tool_calls = calls;
  return message;
}

function systemMessage(system: unknown): ChatMessage | undefined {
  if (system === undefined) return undefined;
  if (typeof system === 'string') return system === '' ? undefined : { role: 'system', content: system };
  if (!Array.isArray(system)) throw bad('system', 'must be a string or an array of text blocks');
  const texts = system.map((block: unknown, i) => {
    if (!isObject(block) || block.type !== 'text') throw bad(`system.${i}.type`, 'must be "text"');
    return textOf(block, `system.${i}`);
  });
  return texts.length === 0 ? undefined : { role: 'system', content: texts.join('\n\n') };
}

function chatMessages(body: Json): ChatMessage[] {
  const { messages } = body;
  if (!Array.isArray(messages) || messages.length === 0) throw bad('messages', 'must be a non-empty array');
  const out: ChatMessage[] = [];
  const system = systemMessage(body.system);
  if (system) out.push(system);
  messages.forEach((message: unknown, i) => {
    const at = `messages.${i}`;
    if (!isObject(message)) throw bad(at, 'must be an object');
    if (message.role === 'user') out.push(...userMessages(message.content, at));
    else if (message.role === 'assistant') out.push(assistantMessage(message.content, at));
    else throw bad(`${at}.role`, 'must be "user" or "assistant"');
  });
  return out;
}

function functionTool(tool: unknown, at: string): ToolDefinition {
  if (!isObject(tool)) throw bad(at, 'must be an object');
  // Server tools (web search, bash, ...) carry a versioned type and run at Anthropic.
  if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
    throw bad(`${at}.type`, `tool type ${JSON.stringify(tool.type)} runs on Anthropic’s servers; only client tools work with this endpoint`);
  }
  if (typeof tool.name !== 'string' || tool.name === '') throw bad(`${at}.name`, 'must be a non-empty string');
  if (!isObject(tool.input_schema)) throw bad(`${at}.input_schema`, 'must be a JSON schema object');
  const fn: ToolDefinition['function'] = { name: tool.name, parameters: tool.input_schema };
  if (typeof tool.description === 'string') fn.description = tool.description;
  return { type: 'function', function: fn };
}

const CHOICES: Readonly<Record<string, ToolChoice>> = Object.freeze({ auto: 'auto', any: 'required', none: 'none' });

function toolChoice(choice: unknown): { tool_choice: ToolChoice; parallel_tool_calls?: false } {
  if (!isObject(choice)) throw bad('tool_choice', 'must be an object');
  let mapped: ToolChoice | undefined = typeof choice.type === 'string' ? CHOICES[choice.type] : undefined;
  if (choice.type === 'tool') {
    if (typeof choice.name !== 'string' || choice.name === '') throw bad('tool_choice.name', 'must be a non-empty string');
    mapped = { type: 'function', function: { name: choice.name } };
  }
  if (mapped === undefined) throw bad('tool_choice.type', 'must be "auto", "any", "tool" or "none"');
  return choice.disable_parallel_tool_use === true && mapped !== 'none' ? { tool_choice: mapped, parallel_tool_calls: false } : { tool_choice: mapped };
}

export function toCanonical(body: unknown): ChatRequest {
  if (!isObject(body)) throw bad('body', 'must be a JSON object');
  const maxTokens = body.max_tokens;
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) throw bad('max_tokens', 'must be a positive integer');
  if (body.stream !== undefined && typeof body.stream !== 'boolean') throw bad('stream', 'must be a boolean');
  // Set onto the fresh object, not spread into another (a hidden class per request otherwise).
  const request = Object.assign(translateParams(PARAMS, body, LABEL), { messages: chatMessages(body), max_tokens: maxTokens }) as ChatRequest;
  if (typeof body.model === 'string') request.model = body.model;
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) throw bad('tools', 'must be an array');
    const tools = body.tools.map((tool: unknown, i) => functionTool(tool, `tools.${i}`));
    // Without tools a tool_choice means nothing, and OpenAI-style APIs reject it.
    if (tools.length > 0) {
      request.tools = tools;
      if (body.tool_choice !== undefined) Object.assign(request, toolChoice(body.tool_choice));
    }
  }
  if (body.stream === true) {
    request.stream = true;
    // Anthropic's stream reports usage; the canonical stream does only when asked.
    request.stream_options = { include_usage: true };
  }
  return request;
}
