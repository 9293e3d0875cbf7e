// The canonical wire shapes inside Gatehouse. They are OpenAI's public formats, which every
// route speaks (MLflow's invocations routes use the same bodies), so a provider translates
// exactly once: from these to its own API and back.

export type EndpointType = 'llm/v1/chat' | 'llm/v1/completions' | 'llm/v1/embeddings';

export const ENDPOINT_TYPES: readonly EndpointType[] = Object.freeze([
  'llm/v1/chat',
  'llm/v1/completions',
  'llm/v1/embeddings',
]);

export interface ContentPart {
  type: string;
  text?: string;
  image_url?: { url: string; detail?: string };
  [key: string]: unknown;
}

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'function';
  content: string | ContentPart[] | null;
  name?: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  [key: string]: unknown;
}

export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

export type ToolChoice =
  | 'none'
  | 'auto'
  | 'required'
  | { type: 'function'; function: { name: string } };

export interface StreamOptions {
  include_usage?: boolean;
}

/** Parameters shared by chat and completions requests. Extra provider parameters pass through. */
export interface GenerationParams {
  model?: string;
  temperature?: number;
  top_p?: number;
  n?: number;
  max_tokens?: number;
  stop?: string | string[];
  stream?: boolean;
  stream_options?: StreamOptions;
  presence_penalty?: number;
  frequency_penalty?: number;
  logit_bias?: Record<string, number>;
  seed?: number;
  user?: string;
  [key: string]: unknown;
}

export interface ChatRequest extends GenerationParams {
  messages: ChatMessage[];
  max_completion_tokens?: number;
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: { type: 'text' | 'json_object' | 'json_schema'; json_schema?: Record<string, unknown> };
}

export interface CompletionsRequest extends GenerationParams {
  prompt: string | string[];
  echo?: boolean;
  suffix?: string;
}

export interface EmbeddingsRequest {
  model?: string;
  input: string | string[] | number[] | number[][];
  encoding_format?: 'float' | 'base64';
  dimensions?: number;
  user?: string;
  [key: string]: unknown;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; [key: string]: unknown };
  completion_tokens_details?: Record<string, unknown>;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call' | null;

export interface ChatChoice {
  index: number;
  message: { role: 'assistant'; content: string | null; tool_calls?: ToolCall[]; refusal?: string | null; [key: string]: unknown };
  finish_reason: FinishReason;
  logprobs?: unknown;
}

export interface ChatResponse {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: ChatChoice[];
  usage?: Usage;
  system_fingerprint?: string | null;
  [key: string]: unknown;
}

export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface ChatChunkChoice {
  index: number;
  delta: { role?: 'assistant' | null; content?: string | null; tool_calls?: ToolCallDelta[]; [key: string]: unknown };
  finish_reason: FinishReason;
  logprobs?: unknown;
}

export interface ChatChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: ChatChunkChoice[];
  usage?: Usage | null;
  [key: string]: unknown;
}

export interface CompletionChoice {
  index: number;
  text: string;
  finish_reason: FinishReason;
  logprobs?: unknown;
}

export interface CompletionsResponse {
  id: string;
  object: 'text_completion';
  created: number;
  model: string;
  choices: CompletionChoice[];
  usage?: Usage;
  [key: string]: unknown;
}

/** OpenAI's streamed completions chunk: the same object name and choice shape as the full answer. */
export interface CompletionsChunk {
  id: string;
  object: 'text_completion';
  created: number;
  model: string;
  choices: CompletionChoice[];
  usage?: Usage | null;
  [key: string]: unknown;
}

export interface Embedding {
  object: 'embedding';
  index: number;
  embedding: number[];
}

/** Providers always return float vectors; core applies `encoding_format`. */
export interface EmbeddingsResponse {
  object: 'list';
  data: Embedding[];
  model: string;
  usage?: { prompt_tokens: number; total_tokens: number };
  [key: string]: unknown;
}

export type RequestBody = ChatRequest | CompletionsRequest | EmbeddingsRequest;
export type ResponseBody = ChatResponse | CompletionsResponse | EmbeddingsResponse;
export type StreamChunk = ChatChunk | CompletionsChunk;
