// Fireworks streams (https://docs.fireworks.ai/tools-sdks/openai-compatibility#token-usage-for-streaming-responses)
// return the usage "in the very last chunk (the one having finish_reason set)". OpenAI sends it as
// a separate chunk with `choices: []` when `stream_options.include_usage` is set (core always sets
// it): the usage is moved to such a chunk, and left out when the client did not ask for it.
import type { ChatRequest, CompletionsRequest, StreamChunk } from '@gatehousejs/core';

export const wantsUsage = (request: ChatRequest | CompletionsRequest): boolean => request.stream_options?.include_usage === true;

export async function* separateUsage<T extends StreamChunk>(chunks: AsyncIterable<T>, includeUsage: boolean): AsyncGenerator<T> {
  for await (const chunk of chunks) {
    const usage = chunk.usage;
    delete chunk.usage;
    if (chunk.choices.length > 0) yield chunk;
    if (usage && includeUsage) yield { id: chunk.id, object: chunk.object, created: chunk.created, model: chunk.model, choices: [], usage } as unknown as T;
  }
}
