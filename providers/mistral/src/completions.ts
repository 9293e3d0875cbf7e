// Completions served through Mistral's chat endpoint (MLflow does the same): the prompt becomes
// one user message, the answer's message becomes the completion's text, streams included.
//
// | parameter  | rule                                                                         |
// | ---------- | ---------------------------------------------------------------------------- |
// | prompt     | → messages: [{role: 'user', content: prompt}]; one prompt only (a string or  |
// |            |   a list of one string), anything else is rejected                           |
// | echo       | rejected unless false (chat cannot repeat the prompt)                        |
// | suffix     | rejected (no fill-in-the-middle through chat)                                |
// | best_of    | rejected unless 1                                                            |
// | logprobs   | rejected unless 0 (Mistral returns none)                                     |
// | the rest   | as for chat (temperature scaled, seed → random_seed, n passed, ...)          |
import {
  defineParamMap,
  translateParams,
  type ChatChunk,
  type ChatRequest,
  type ChatResponse,
  type CompletionsChunk,
  type CompletionsRequest,
  type CompletionsResponse,
  type ParamMap,
} from '@gatehousejs/core';

const onePrompt = (value: unknown): boolean =>
  typeof value === 'string' || (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string');

export const COMPLETIONS_PARAMS: ParamMap = defineParamMap({
  prompt: {
    to: 'messages',
    reject: (value) => (onePrompt(value) ? undefined : 'Mistral serves completions through chat: send one prompt string'),
    convert: (value) => [{ role: 'user', content: Array.isArray(value) ? value[0] : value }],
  },
  echo: { reject: (v) => (v === false ? undefined : 'Mistral serves completions through chat and cannot echo the prompt'), convert: () => undefined },
  suffix: { reject: 'Mistral serves completions through chat: suffix (fill-in-the-middle) is not supported' },
  best_of: { reject: (v) => (v === 1 ? undefined : 'Mistral does not support best_of'), convert: () => undefined },
  logprobs: { reject: (v) => (v === 0 ? undefined : 'Mistral does not return log probabilities'), convert: () => undefined },
});

/** The chat request that answers a completions request (then translated like any chat request). */
export function chatRequestFor(request: CompletionsRequest): ChatRequest {
  return translateParams(COMPLETIONS_PARAMS, request, 'Mistral') as ChatRequest;
}

export function completionFromChat(res: ChatResponse): CompletionsResponse {
  const out: CompletionsResponse = {
    id: res.id,
    object: 'text_completion',
    created: res.created,
    model: res.model,
    choices: res.choices.map((c) => ({ index: c.index, text: c.message.content ?? '', logprobs: null, finish_reason: c.finish_reason })),
  };
  if (res.usage) out.usage = res.usage;
  return out;
}

/** Chat chunks as completion chunks; the role-only opening chunk carries nothing and is left out. */
export async function* completionChunksFromChat(chunks: AsyncIterable<ChatChunk>): AsyncGenerator<CompletionsChunk> {
  for await (const chunk of chunks) {
    const choices = chunk.choices.map((c) => ({
      index: c.index,
      text: typeof c.delta.content === 'string' ? c.delta.content : '',
      logprobs: null,
      finish_reason: c.finish_reason,
    }));
    if (!chunk.usage && choices.every((c) => c.text === '' && c.finish_reason === null)) continue;
    const out: CompletionsChunk = { id: chunk.id, object: 'text_completion', created: chunk.created, model: chunk.model, choices };
    if (chunk.usage) out.usage = chunk.usage;
    yield out;
  }
}
