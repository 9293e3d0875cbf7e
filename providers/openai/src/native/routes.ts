// The routes the openai package adds under /gateway/openai/v1, for the official OpenAI SDKs
// (baseURL http://gateway/gateway/openai/v1). Errors use core's default, OpenAI's own shape.
import { SSE_DONE, sseFrame, wireCode, type ChatRequest, type NativeError, type NativeRouteDefinition, type NativeTranslation } from '@gatehousejs/core';
import { NATIVE_HANDLERS } from './handlers.js';

// The OpenAI SDKs send `Authorization: Bearer <key>`: an auth plugin may read it; it never reaches OpenAI.
const credentials = Object.freeze([{ header: 'authorization', scheme: 'Bearer' }] as const);

/**
 * Chat completions for endpoints of every other provider: OpenAI's chat format is the canonical
 * one, so the body goes through the pipeline as it is and the answer comes back as it is.
 */
const canonicalChat: NativeTranslation = Object.freeze({
  // Validated by the pipeline, exactly as on /v1/chat/completions.
  toCanonical: (body: unknown) => body as ChatRequest,
  fromCanonical: (response: unknown) => response,
  async *streamFromCanonical(chunks: AsyncIterable<unknown>): AsyncIterable<string> {
    for await (const chunk of chunks) yield sseFrame(JSON.stringify(chunk));
    yield SSE_DONE;
  },
});

/**
 * The Responses API's `error` event (https://platform.openai.com/docs/api-reference/responses-streaming/error),
 * with the error also nested as `error`, as OpenAI sends it: the OpenAI SDKs raise that as an APIError.
 */
function responsesStreamError(e: NativeError): string {
  const error = { type: e.type, code: wireCode(e.code), message: e.message, param: e.param ?? null };
  return sseFrame(JSON.stringify({ type: 'error', code: error.code, message: error.message, param: error.param, error }), 'error');
}

export const nativeRoutes: readonly NativeRouteDefinition[] = Object.freeze([
  {
    method: 'POST',
    path: '/openai/v1/chat/completions',
    handler: NATIVE_HANDLERS.chat,
    endpointType: 'llm/v1/chat',
    credentials,
    translate: canonicalChat,
  },
  {
    method: 'POST',
    path: '/openai/v1/embeddings',
    handler: NATIVE_HANDLERS.embeddings,
    endpointType: 'llm/v1/embeddings',
    credentials,
  },
  {
    method: 'POST',
    path: '/openai/v1/responses',
    handler: NATIVE_HANDLERS.responses,
    endpointType: 'llm/v1/chat',
    credentials,
    streamError: responsesStreamError,
  },
] satisfies NativeRouteDefinition[]);
