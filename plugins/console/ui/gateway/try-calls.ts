// The "try it" requests: real /v1 calls in OpenAI's format with the admin key (the keys plugin
// accepts it as a caller, recorded in usage as "admin"), streamed or not.
import { ApiError, type Api } from '../api';
import type { EndpointType } from '../admin-types';
import { sseData } from './sse';

export interface Tokens {
  readonly prompt_tokens?: number;
  readonly completion_tokens?: number;
  readonly total_tokens?: number;
}

export interface TextResult {
  readonly text: string;
  readonly tokens?: Tokens;
  readonly firstTokenMs?: number;
  readonly totalMs: number;
}

export interface EmbeddingResult {
  readonly dimensions: number;
  readonly first: readonly number[];
  readonly tokens?: Tokens;
  readonly totalMs: number;
}

interface Choice {
  readonly message?: { readonly content?: string | null };
  readonly delta?: { readonly content?: string | null };
  readonly text?: string;
}

interface Answer {
  readonly choices?: readonly Choice[];
  readonly usage?: Tokens;
  readonly error?: { readonly message?: string; readonly param?: string };
  readonly data?: ReadonlyArray<{ readonly embedding?: readonly number[] | string }>;
}

const PATHS: Record<EndpointType, string> = {
  'llm/v1/chat': '/v1/chat/completions',
  'llm/v1/completions': '/v1/completions',
  'llm/v1/embeddings': '/v1/embeddings',
};

async function post(api: Api, type: EndpointType, body: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
  const response = await api.raw(PATHS[type], { method: 'POST', body: JSON.stringify(body), signal });
  if (!response.ok) {
    let answer: Answer = {};
    try {
      answer = (await response.json()) as Answer;
    } catch {
      // not JSON: the status says enough
    }
    throw new ApiError(response.status, answer.error?.message ?? `${response.status} ${response.statusText}`, answer.error?.param);
  }
  return response;
}

const textOf = (choice: Choice | undefined) => choice?.delta?.content ?? choice?.message?.content ?? choice?.text ?? '';

/**
 * A chat or completions request. Streamed: `onText` gets the text so far after every chunk, and
 * the usage comes from the last chunk (stream_options.include_usage).
 */
export async function tryText(
  api: Api,
  type: 'llm/v1/chat' | 'llm/v1/completions',
  model: string,
  input: string,
  stream: boolean,
  onText: (text: string) => void,
  signal?: AbortSignal,
): Promise<TextResult> {
  const started = performance.now();
  const body: Record<string, unknown> = type === 'llm/v1/chat' ? { model, messages: [{ role: 'user', content: input }] } : { model, prompt: input };
  if (stream) Object.assign(body, { stream: true, stream_options: { include_usage: true } });
  const response = await post(api, type, body, signal);
  if (!stream) {
    const answer = (await response.json()) as Answer;
    const text = textOf(answer.choices?.[0]);
    onText(text);
    return { text, tokens: answer.usage, totalMs: performance.now() - started };
  }
  let text = '';
  let tokens: Tokens | undefined;
  let firstTokenMs: number | undefined;
  for await (const data of sseData(response.body!)) {
    const chunk = JSON.parse(data) as Answer;
    // A failure after the stream began arrives as an error event in the stream.
    if (chunk.error) throw new ApiError(response.status, chunk.error.message ?? 'The stream failed.', chunk.error.param);
    if (chunk.usage) tokens = chunk.usage;
    const piece = textOf(chunk.choices?.[0]);
    if (piece) {
      firstTokenMs ??= performance.now() - started;
      text += piece;
      onText(text);
    }
  }
  return { text, tokens, firstTokenMs, totalMs: performance.now() - started };
}

export async function tryEmbeddings(api: Api, model: string, input: string, signal?: AbortSignal): Promise<EmbeddingResult> {
  const started = performance.now();
  const response = await post(api, 'llm/v1/embeddings', { model, input, encoding_format: 'float' }, signal);
  const answer = (await response.json()) as Answer;
  const vector = answer.data?.[0]?.embedding;
  const values = Array.isArray(vector) ? vector : [];
  return { dimensions: values.length, first: values.slice(0, 8), tokens: answer.usage, totalMs: performance.now() - started };
}
