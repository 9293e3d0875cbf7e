// How each surface writes a stream: OpenAI's chunks ending in [DONE] on /v1, MLflow's stream
// format on the invocations routes. An error mid-stream is an error event, never a clean end.
import type { CompletionsChunk, StreamChunk } from '../api/openai-types.js';
import { toOpenAIErrorBody, type GatewayError } from '../errors.js';
import { SSE_DONE, sseFrame } from '../sse.js';

export interface StreamFormat {
  chunk(chunk: StreamChunk): string;
  readonly end: string;
  error(error: GatewayError): string;
}

export const openAIStreamFormat: StreamFormat = Object.freeze({
  chunk: (chunk: StreamChunk) => sseFrame(JSON.stringify(chunk)),
  end: SSE_DONE,
  // The OpenAI SDKs raise an APIError for a data event carrying `error`.
  error: (error: GatewayError) => sseFrame(JSON.stringify(toOpenAIErrorBody(error))),
});

/** MLflow streams completions as `text_completion_chunk` objects with a `delta`. */
function mlflowCompletionsChunk(chunk: CompletionsChunk): unknown {
  return {
    id: chunk.id,
    object: 'text_completion_chunk',
    created: chunk.created,
    model: chunk.model,
    choices: chunk.choices.map((c) => ({
      index: c.index,
      finish_reason: c.finish_reason,
      delta: { role: null, content: c.finish_reason && !c.text ? null : c.text },
    })),
    ...(chunk.usage ? { usage: chunk.usage } : {}),
  };
}

export const mlflowStreamFormat: StreamFormat = Object.freeze({
  chunk: (chunk: StreamChunk) =>
    sseFrame(JSON.stringify(chunk.object === 'text_completion' ? mlflowCompletionsChunk(chunk as CompletionsChunk) : chunk)),
  end: '',
  error: (error: GatewayError) => sseFrame(JSON.stringify(toOpenAIErrorBody(error)), 'error'),
});
