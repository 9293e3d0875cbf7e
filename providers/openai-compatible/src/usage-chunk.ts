// Servers that put the usage on their last choice chunk (Mistral, Together, Fireworks), where
// OpenAI sends it as a chunk of its own with `choices: []`, and only when the client set
// `stream_options.include_usage` (core always sets it upstream, and drops the chunk for a client
// that did not ask).
import type { ChatRequest, CompletionsRequest, StreamChunk } from '@gatehousejs/core';

/** Whether the client asked for the usage chunk. */
export const wantsUsage = (request: ChatRequest | CompletionsRequest): boolean => request.stream_options?.include_usage === true;

/**
 * The chunks with the usage moved to a usage chunk of its own (sent when `includeUsage`); a chunk
 * left with no choice is not sent. `fix` brings each chunk to OpenAI's shape first (a provider's
 * finish reasons, content), in the same pass.
 */
export async function* separateUsage<T extends StreamChunk>(chunks: AsyncIterable<T>, includeUsage: boolean, fix?: (chunk: T) => void): AsyncGenerator<T> {
  for await (const chunk of chunks) {
    fix?.(chunk);
    const usage = chunk.usage;
    delete chunk.usage;
    if (chunk.choices.length > 0) yield chunk;
    if (usage && includeUsage) yield { id: chunk.id, object: chunk.object, created: chunk.created, model: chunk.model, choices: [], usage } as unknown as T;
  }
}
