// Gemini embedContent / batchEmbedContents answers → OpenAI's embeddings list.
// Reference: https://ai.google.dev/api/embeddings (EmbedContentResponse.embedding.values,
// BatchEmbedContentsResponse.embeddings[].values, "in the same order as provided").
// The API reports no token usage: usage is estimated with core's estimateTokens (about four
// characters a token), so that usage tracking and budgets still see embeddings traffic.
import { createError, estimateTokens, type EmbeddingsResponse } from '@gatehousejs/core';
import { PROVIDER_LABEL } from './response.js';
import type { GeminiBatchEmbedResponse, GeminiEmbedding, GeminiEmbedResponse } from './wire.js';

function vector(embedding: GeminiEmbedding | undefined, at: string): number[] {
  const values = embedding?.values;
  if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'number')) {
    throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} answered without a vector of numbers at ${at}.`);
  }
  return values;
}

/** The vectors of an embedContent (one input) or batchEmbedContents (several) answer, in order. */
export function embeddingVectors(body: unknown, inputs: number): number[][] {
  if (typeof body !== 'object' || body === null) {
    throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} answered with a body that is not an embeddings response.`);
  }
  if (inputs === 1 && 'embedding' in body) return [vector((body as GeminiEmbedResponse).embedding, 'embedding.values')];
  const embeddings = (body as GeminiBatchEmbedResponse).embeddings;
  if (!Array.isArray(embeddings) || embeddings.length !== inputs) {
    throw createError(
      'GW_ERR_UPSTREAM_BAD_RESPONSE',
      `${PROVIDER_LABEL} answered ${Array.isArray(embeddings) ? embeddings.length : 'no'} embeddings for ${inputs} inputs.`,
    );
  }
  return embeddings.map((embedding, i) => vector(embedding, `embeddings[${i}].values`));
}

export function toEmbeddingsResponse(body: unknown, texts: readonly string[], model: string): EmbeddingsResponse {
  const vectors = embeddingVectors(body, texts.length);
  const tokens = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
  return {
    object: 'list',
    data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
