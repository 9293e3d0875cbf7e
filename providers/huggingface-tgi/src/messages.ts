// Chat through TGI's Messages API (POST /v1/chat/completions, TGI >= 1.4), which speaks OpenAI's
// format: the shared OpenAI-compatible base does the call, this layer mends what TGI answers
// differently. Reference: https://huggingface.co/docs/text-generation-inference/messages_api and
// the OpenAPI spec (ChatRequest, ChatCompletion, ChatCompletionChunk, ToolCall, DeltaToolCall).
//
// - finish_reason: TGI reports its own names (eos_token, stop_sequence) → stop; an answer with
//   tool calls that ends normally → tool_calls.
// - tool calls: `arguments` may come as a JSON object (→ string), `id` may be empty (→ one is
//   made up), a streamed `tool_calls` may be one object rather than a list (→ list).
// - n: TGI returns one choice whatever n says; n > 1 is emulated with parallel calls.
import {
  copyOwn,
  generateId,
  type CallContext,
  type ChatChunk,
  type ChatRequest,
  type ChatResponse,
  type FinishReason,
  type ProviderInstance,
} from '@gatehousejs/core';
import { checkFanOut, checkSingleStream, choiceCount, fanOut, seedFor, sumUsage } from './fanout.js';

type Json = Record<string, unknown>;

const FINISH_REASONS: ReadonlyMap<string, FinishReason> = new Map<string, FinishReason>([
  ['eos_token', 'stop'],
  ['stop_sequence', 'stop'],
]);

/** TGI's finish names → OpenAI's; OpenAI's own values and null pass unchanged. */
function finishReason(reason: unknown, calledTools: boolean): FinishReason {
  const mapped = typeof reason === 'string' ? (FINISH_REASONS.get(reason) ?? (reason as FinishReason)) : null;
  return mapped === 'stop' && calledTools ? 'tool_calls' : mapped;
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Arguments as OpenAI's JSON string (older TGI versions send the object). */
const argumentsText = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : value === null || value === undefined ? undefined : JSON.stringify(value);

function fixToolCall(call: Json): void {
  if (typeof call.id !== 'string' || call.id === '') call.id = generateId('call');
  call.type = 'function';
  if (isObject(call.function)) {
    const fn = call.function;
    // TGI 1.4 named the arguments `parameters`.
    if (fn.arguments === undefined && fn.parameters !== undefined) fn.arguments = fn.parameters;
    fn.arguments = argumentsText(fn.arguments) ?? '{}';
    // TGI echoes the tool's description (often null) inside the call; OpenAI's call has none.
    delete fn.description;
    delete fn.parameters;
  }
}

export function fixChatResponse(response: ChatResponse): ChatResponse {
  for (const choice of response.choices) {
    const message = choice.message as Json;
    // TGI 1.4 answered a single call as an object rather than a list.
    if (isObject(message.tool_calls)) message.tool_calls = [message.tool_calls];
    const calls = Array.isArray(message.tool_calls) ? (message.tool_calls as Json[]) : [];
    for (const call of calls) fixToolCall(call);
    if (calls.length === 0) delete message.tool_calls;
    choice.finish_reason = finishReason(choice.finish_reason, calls.length > 0);
  }
  return response;
}

/** Stream chunks with TGI's differences mended in place (the hot path: no copies). */
export async function* fixChatChunks(chunks: AsyncIterable<ChatChunk>): AsyncGenerator<ChatChunk> {
  // Tool calls seen per choice (key "choice:tool"), for ids and the final finish reason.
  const started = new Set<string>();
  const calledTools = new Set<number>();
  for await (const chunk of chunks) {
    for (const choice of chunk.choices) {
      const delta = choice.delta as Json;
      if (isObject(delta.tool_calls)) delta.tool_calls = [delta.tool_calls];
      if (Array.isArray(delta.tool_calls)) {
        (delta.tool_calls as Json[]).forEach((call, position) => {
          if (typeof call.index !== 'number') call.index = position;
          const key = `${choice.index}:${call.index as number}`;
          if (call.id === '' || call.id === null) delete call.id;
          if (!started.has(key)) {
            started.add(key);
            if (typeof call.id !== 'string') call.id = generateId('call');
            call.type = 'function';
          }
          if (isObject(call.function)) {
            const fn = call.function;
            if (fn.name === null || fn.name === '') delete fn.name;
            const args = argumentsText(fn.arguments);
            if (args === undefined) delete fn.arguments;
            else fn.arguments = args;
            delete fn.description;
          }
        });
        calledTools.add(choice.index);
      }
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
        choice.finish_reason = finishReason(choice.finish_reason, calledTools.has(choice.index));
      }
    }
    yield chunk;
  }
}

/** The chat methods over the Messages API, given the base instance made for it in create(). */
export function messagesChat(base: ProviderInstance, providerName: string): Required<Pick<ProviderInstance, 'chat' | 'chatStream'>> {
  return {
    async chat(request: ChatRequest, call: CallContext): Promise<ChatResponse> {
      const n = choiceCount(request.n, providerName);
      checkFanOut(n, providerName);
      if (n === 1) return fixChatResponse(await base.chat!(request, call));
      const answers = await fanOut(n, call, (i, child) => base.chat!(Object.assign(copyOwn(request), { seed: seedFor(request.seed, i) as number | undefined }), child));
      const merged: ChatResponse = {
        ...answers[0]!,
        choices: answers.flatMap((answer) => answer.choices).map((choice, i) => ({ ...choice, index: i })),
      };
      if (answers.every((answer) => answer.usage)) merged.usage = sumUsage(answers.map((answer) => answer.usage!));
      else delete merged.usage;
      return fixChatResponse(merged);
    },

    async chatStream(request: ChatRequest, call: CallContext): Promise<AsyncIterable<ChatChunk>> {
      checkSingleStream(choiceCount(request.n, providerName), providerName);
      return fixChatChunks(await base.chatStream!(request, call));
    },
  };
}
