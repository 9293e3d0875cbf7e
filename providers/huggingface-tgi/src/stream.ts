// Streams through TGI's POST /generate_stream: server-sent events, one per token
// (`{"index", "token": {"id", "text", "logprob", "special"}, "generated_text": null, "details": null}`),
// the last one with `generated_text` and `details` {finish_reason, generated_tokens, input_length};
// a failure mid-stream is an event `{"error", "error_type"}`. There is no `[DONE]`.
// Reference: https://huggingface.github.io/text-generation-inference/ (operation `generate_stream`,
// schemas StreamResponse, StreamDetails, Token, ErrorResponse).
import {
  createError,
  estimateTokens,
  generateId,
  parseEventJson,
  requestSSE,
  throwIfCancelled,
  type CallContext,
  type ChatChunk,
  type ChatRequest,
  type CompletionsChunk,
  type CompletionsRequest,
  type FinishReason,
  type SSEEvent,
  type Usage,
} from '@gatehousejs/core';
import { isReportedError, reportedError } from '@gatehousejs/provider-openai-compatible';
import { checkSingleStream, choiceCount } from './fanout.js';
import { PROVIDER_LABEL, chatCall, finishReason, parametersFor, promptsOf, type GenerateContext } from './generate.js';
import { GENERATE_STREAM_PARAMS } from './params.js';
import { StopFilter, stopSequences } from './stop.js';
import type { TGIStreamEvent } from './wire.js';

/** What a /generate_stream says, independent of the output format. */
export type StreamPart = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'end'; readonly finish: FinishReason; readonly usage: Usage };

const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined);

/**
 * Read TGI's token events into text pieces and one end part. Special tokens (`</s>`, ...) are
 * skipped; text that may be the start of a stop sequence is held back until it is known not to
 * be one. Throws a 502 on an error event, a malformed event, or a stream cut off before its end.
 */
export async function* readGenerateStream(events: AsyncIterable<SSEEvent>, inputs: string, stops: readonly string[], call: CallContext): AsyncGenerator<StreamPart> {
  const filter = new StopFilter(stops);
  let generated = '';
  for await (const sse of events) {
    // Events already parsed from one network read would still be handled after an abort.
    throwIfCancelled(call, PROVIDER_LABEL);
    const event = parseEventJson<TGIStreamEvent>(sse.data, PROVIDER_LABEL);
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} sent a stream event that is not a JSON object.`);
    }
    if (isReportedError(event as Record<string, unknown>)) throw reportedError(sse.data, PROVIDER_LABEL, 'stream');
    const token = event.token;
    if (token && token.special !== true && typeof token.text === 'string') {
      generated += token.text;
      const text = filter.push(token.text);
      if (text !== '') yield { kind: 'text', text };
    }
    const details = typeof event.details === 'object' && event.details !== null ? event.details : undefined;
    if (details || typeof event.generated_text === 'string') {
      const rest = filter.flush();
      if (rest !== '') yield { kind: 'text', text: rest };
      const prompt = count(details?.input_length) ?? estimateTokens(inputs);
      const completion = count(details?.generated_tokens) ?? estimateTokens(generated);
      yield {
        kind: 'end',
        finish: finishReason(details?.finish_reason),
        usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
      };
      return;
    }
  }
  throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${PROVIDER_LABEL} closed the stream before the answer was complete.`);
}

interface StreamMeta {
  readonly id: string;
  readonly created: number;
  readonly model: string;
}

export async function* toChatChunks(parts: AsyncIterable<StreamPart>, meta: StreamMeta, includeUsage: boolean): AsyncGenerator<ChatChunk> {
  const chunk = (delta: ChatChunk['choices'][number]['delta'], finish: FinishReason): ChatChunk => ({
    ...meta,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  });
  yield chunk({ role: 'assistant', content: '' }, null);
  // The answer follows "Assistant:" in the template: the space a model opens with is not content.
  let opening = true;
  for await (const part of parts) {
    if (part.kind === 'text') {
      const text = opening ? part.text.trimStart() : part.text;
      if (text === '') continue;
      opening = false;
      yield chunk({ content: text }, null);
    } else {
      yield chunk({}, part.finish);
      if (includeUsage) yield { ...meta, object: 'chat.completion.chunk', choices: [], usage: part.usage };
    }
  }
}

export async function* toCompletionsChunks(parts: AsyncIterable<StreamPart>, meta: StreamMeta, includeUsage: boolean, echo: string | undefined): AsyncGenerator<CompletionsChunk> {
  const chunk = (text: string, finish: FinishReason): CompletionsChunk => ({
    ...meta,
    object: 'text_completion',
    choices: [{ index: 0, text, finish_reason: finish, logprobs: null }],
  });
  if (echo) yield chunk(echo, null);
  for await (const part of parts) {
    if (part.kind === 'text') {
      yield chunk(part.text, null);
    } else {
      yield chunk('', part.finish);
      if (includeUsage) yield { ...meta, object: 'text_completion', choices: [], usage: part.usage };
    }
  }
}

async function openStream(ctx: GenerateContext, inputs: string, parameters: Record<string, unknown>, stops: readonly string[], call: CallContext) {
  // Resolves once TGI accepted the request, so a 4xx rejects before any chunk.
  const events = await requestSSE(ctx.dispatcher, { provider: PROVIDER_LABEL, url: ctx.streamUrl, headers: ctx.headers, body: { inputs, parameters } }, call);
  return readGenerateStream(events, inputs, stops, call);
}

const meta = (ctx: GenerateContext, prefix: string, model: string | undefined): StreamMeta => ({
  id: generateId(prefix),
  created: ctx.now(),
  model: model || ctx.model,
});

export async function chatStream(ctx: GenerateContext, request: ChatRequest, call: CallContext): Promise<AsyncIterable<ChatChunk>> {
  checkSingleStream(choiceCount(request.n, ctx.providerName), ctx.providerName);
  const { inputs, stops } = chatCall(request, ctx.providerName);
  const parts = await openStream(ctx, inputs, parametersFor(GENERATE_STREAM_PARAMS, request, ctx.providerName, stops), stops, call);
  return toChatChunks(parts, meta(ctx, 'chatcmpl', request.model), request.stream_options?.include_usage === true);
}

export async function completionsStream(ctx: GenerateContext, request: CompletionsRequest, call: CallContext): Promise<AsyncIterable<CompletionsChunk>> {
  const prompts = promptsOf(request.prompt, ctx.providerName);
  checkSingleStream(prompts.length * choiceCount(request.n, ctx.providerName), ctx.providerName);
  const stops = stopSequences(request.stop);
  const inputs = prompts[0]!;
  const parts = await openStream(ctx, inputs, parametersFor(GENERATE_STREAM_PARAMS, request, ctx.providerName, stops), stops, call);
  return toCompletionsChunks(parts, meta(ctx, 'cmpl', request.model), request.stream_options?.include_usage === true, request.echo === true ? inputs : undefined);
}
