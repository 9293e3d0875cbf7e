// Amazon Bedrock Runtime wire shapes (the parts this provider reads and writes).
// Converse:      https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
// ConverseStream: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
// InvokeModel:   https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

export interface ImageBlock {
  image: { format: ImageFormat; source: { bytes: string } | { s3Location: { uri: string } } };
}

export interface TextBlock {
  text: string;
}

export interface ToolUseBlock {
  toolUse: { toolUseId: string; name: string; input: unknown };
}

export interface ToolResultBlock {
  toolResult: { toolUseId: string; content: Array<TextBlock | ImageBlock>; status?: 'success' | 'error' };
}

export type ContentBlock = TextBlock | ImageBlock | ToolUseBlock | ToolResultBlock;

export interface ConverseMessage {
  role: 'user' | 'assistant';
  content: ContentBlock[];
}

export interface ToolSpec {
  toolSpec: { name: string; description?: string; inputSchema: { json: unknown } };
}

export type ToolChoice = { auto: Record<string, never> } | { any: Record<string, never> } | { tool: { name: string } };

export interface ToolConfig {
  tools: ToolSpec[];
  toolChoice?: ToolChoice;
}

export interface ConverseUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

/** A response content block: any one member is set (reasoningContent and others are skipped). */
export interface ResponseBlock {
  text?: string;
  toolUse?: { toolUseId?: string; name?: string; input?: unknown };
  [member: string]: unknown;
}

export interface ConverseResponse {
  output: { message: { role: string; content: ResponseBlock[] } };
  stopReason?: string;
  usage?: ConverseUsage;
  metrics?: { latencyMs?: number };
}

/** Payloads of ConverseStream's events (the `:event-type` header names the member). */
export interface StreamEventPayload {
  role?: string;
  contentBlockIndex?: number;
  start?: { toolUse?: { toolUseId?: string; name?: string } };
  delta?: { text?: string; toolUse?: { input?: string }; [member: string]: unknown };
  stopReason?: string;
  usage?: ConverseUsage;
  message?: string;
  [member: string]: unknown;
}
