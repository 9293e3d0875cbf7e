// Together's answers (https://docs.together.ai/reference/chat-completions-1) in OpenAI's exact
// shapes, after the shared base has checked them and filled the envelope:
// - finish_reason `eos` (end of sequence) is OpenAI's `stop`;
// - the usage Together puts on its last chunk, beside the finish reason, is sent as OpenAI's
//   separate usage chunk (`choices: []`) when the client asked for it (core always does).
import type { FinishReason, StreamChunk } from '@gatehousejs/core';
import { separateUsage } from '@gatehousejs/provider-openai-compatible';

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

export function fixChunks<T extends StreamChunk>(chunks: AsyncIterable<T>, includeUsage: boolean): AsyncGenerator<T> {
  return separateUsage(chunks, includeUsage, fixFinishReasons);
}
