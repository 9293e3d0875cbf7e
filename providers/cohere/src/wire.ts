// Cohere API v2 wire shapes, as far as this provider reads or writes them.
// References: https://docs.cohere.com/reference/chat, https://docs.cohere.com/reference/chat-stream,
// https://docs.cohere.com/reference/embed.

export interface CohereTextContent {
  type: 'text';
  text: string;
}

export interface CohereImageContent {
  type: 'image_url';
  image_url: { url: string; detail?: string };
}

export type CohereUserContent = CohereTextContent | CohereImageContent;

export interface CohereToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type CohereMessage =
  | { role: 'system'; content: string | CohereTextContent[] }
  | { role: 'user'; content: string | CohereUserContent[] }
  | { role: 'assistant'; content?: string | CohereTextContent[]; tool_plan?: string; tool_calls?: CohereToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string | CohereTextContent[] };

export interface CohereTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export interface CohereTokenCounts {
  input_tokens?: number | null;
  output_tokens?: number | null;
  [key: string]: unknown;
}

export interface CohereUsage {
  billed_units?: CohereTokenCounts | null;
  tokens?: CohereTokenCounts | null;
  cached_tokens?: number | null;
  [key: string]: unknown;
}

/** A content block of an answer: text, or a reasoning model's `thinking` (skipped). */
export interface CohereResponseContent {
  type: string;
  text?: string;
  thinking?: string;
  [key: string]: unknown;
}

export interface CohereResponseToolCall {
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: unknown };
}

export interface CohereChatResponse {
  id: string;
  finish_reason: string;
  message: {
    role: 'assistant';
    content?: CohereResponseContent[] | null;
    tool_plan?: string | null;
    tool_calls?: CohereResponseToolCall[] | null;
    citations?: unknown[] | null;
  };
  usage?: CohereUsage | null;
}

/** One parsed stream event (the `data:` payload; its `type` repeats the SSE event name). */
export interface CohereStreamEvent {
  type?: string;
  id?: string;
  index?: number;
  delta?: {
    message?: {
      content?: { type?: string; text?: string; thinking?: string } | null;
      tool_plan?: string | null;
      tool_calls?: CohereResponseToolCall | CohereResponseToolCall[] | null;
      [key: string]: unknown;
    } | null;
    finish_reason?: string | null;
    usage?: CohereUsage | null;
    error?: string | null;
  } | null;
  message?: string;
}

export interface CohereEmbedResponse {
  id?: string;
  embeddings?: { float?: unknown } | null;
  texts?: string[];
  meta?: { billed_units?: { input_tokens?: number | null } | null } | null;
  response_type?: string;
}
