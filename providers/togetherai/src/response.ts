// Together's answers (https://docs.together.ai/reference/chat-completions-1) in OpenAI's exact
// shapes, after the shared base has checked them and filled the envelope:
// - finish_reason `eos` (end of sequence) is OpenAI's `stop`;
// - the usage Together puts on its last chunk, beside the finish reason, is sent as OpenAI's
//   separate usage chunk (`choices: []`) when the client asked for it (core always does).
import type { ChatRequest, CompletionsRequest, FinishReason, StreamChunk } from '@gatehousejs/core';

interface WithChoices {
  choices: { finish_reason: FinishReason }[];
}

function fixFinishReasons(body: WithChoices): void {
  for (const choice of body.choices) if ((choice.finish_reason as string) === 'eos') choice.finish_reason = 'stop';
}

export function fixResponse<T extends WithChoices>(res: T): T {
  fixFinishReasons(res);
  return res;
}

export const wantsUsage = (request: ChatRequest | CompletionsRequest): boolean => request.stream_options?.include_usage === true;

export async function* fixChunks<T extends StreamChunk>(chunks: AsyncIterable<T>, includeUsage: boolean): AsyncGenerator<T> {
  for await (const chunk of chunks) {
    fixFinishReasons(chunk);
    const usage = chunk.usage;
    delete chunk.usage;
    if (chunk.choices.length > 0) yield chunk;
    if (usage && includeUsage) yield { id: chunk.id, object: chunk.object, created: chunk.created, model: chunk.model, choices: [], usage } as unknown as T;
  }
}
