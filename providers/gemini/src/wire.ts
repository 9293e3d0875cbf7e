// Gemini API (Generative Language API, v1beta) wire shapes, as far as this provider reads or
// writes them. Every field an answer may lack is optional: answers are checked, not trusted.
// Reference: https://ai.google.dev/api/generate-content, https://ai.google.dev/api/caching#Content,
// https://ai.google.dev/api/embeddings

export interface GeminiFunctionCall {
  id?: string;
  name?: string;
  args?: Record<string, unknown> | null;
}

export interface GeminiFunctionResponse {
  name: string;
  response: Record<string, unknown>;
}

/** One Part of a Content: exactly one of its data fields is set. */
export interface GeminiPart {
  text?: string;
  /** A thought summary (thinking models with includeThoughts), not part of the answer. */
  thought?: boolean;
  /** Opaque signature of the model's thinking, returned with the part it came with. */
  thoughtSignature?: string;
  inlineData?: { mimeType: string; data: string };
  fileData?: { mimeType?: string; fileUri: string };
  functionCall?: GeminiFunctionCall;
  functionResponse?: GeminiFunctionResponse;
  [key: string]: unknown;
}

export interface GeminiContent {
  role?: 'user' | 'model';
  parts: GeminiPart[];
}

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}

export interface GeminiTool {
  functionDeclarations: GeminiFunctionDeclaration[];
}

export interface GeminiToolConfig {
  functionCallingConfig: { mode: 'AUTO' | 'ANY' | 'NONE'; allowedFunctionNames?: string[] };
}

export interface GeminiUsageMetadata {
  promptTokenCount?: number;
  cachedContentTokenCount?: number;
  candidatesTokenCount?: number;
  toolUsePromptTokenCount?: number;
  thoughtsTokenCount?: number;
  totalTokenCount?: number;
  [key: string]: unknown;
}

export interface GeminiCandidate {
  content?: { role?: string; parts?: GeminiPart[] } | null;
  finishReason?: string;
  index?: number;
  [key: string]: unknown;
}

export interface GeminiPromptFeedback {
  blockReason?: string;
  safetyRatings?: unknown[];
  [key: string]: unknown;
}

export interface GeminiResponse {
  candidates?: GeminiCandidate[];
  promptFeedback?: GeminiPromptFeedback;
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  responseId?: string;
  /** Only in a stream: Google's error body, sent as an event when the stream fails mid-way. */
  error?: { code?: number; message?: string; status?: string };
  [key: string]: unknown;
}

export interface GeminiEmbedding {
  values?: number[];
}

export interface GeminiEmbedResponse {
  embedding?: GeminiEmbedding;
}

export interface GeminiBatchEmbedResponse {
  embeddings?: GeminiEmbedding[];
}
