// Canonical (OpenAI chat) answers → Anthropic Messages answers, for endpoints of other providers
// served on the Anthropic route. `model` is always the name the client asked for.
// References: https://docs.anthropic.com/en/api/messages (the Message object) and
// https://docs.anthropic.com/en/api/messages-streaming (event flow: message_start, then per
// block content_block_start / content_block_delta* / content_block_stop, then message_delta
// with stop_reason and cumulative usage, then message_stop).
import { createError, generateId, sseFrame, type ChatChunk, type ChatResponse, type FinishReason, type Usage } from '@gatehousejs/core';

/** finish_reason → stop_reason. OpenAI-style answers do not say which stop sequence matched, so it reads as end_turn. */
const STOP_REASONS: ReadonlyMap<FinishReason, string> = new Map<FinishReason, string>([
  ['stop', 'end_turn'],
  ['length', 'max_tokens'],
  ['tool_calls', 'tool_use'],
  ['function_call', 'tool_use'],
  ['content_filter', 'refusal'],
]);

export const stopReason = (finish: FinishReason | undefined): string => (finish ? STOP_REASONS.get(finish) : undefined) ?? 'end_turn';

export interface AnthropicUsageOut {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** Anthropic's input_tokens leave out cache reads, which OpenAI's prompt_tokens include. */
export function anthropicUsage(usage: Usage | null | undefined): AnthropicUsageOut {
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cached),
    output_tokens: usage?.completion_tokens ?? 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}

function textOf(content: ChatResponse['choices'][number]['message']['content'] | unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: { type?: unknown; text?: unknown }) => (part?.type === 'text' && typeof part.text === 'string' ? part.text : '')).join('');
}

function toolInput(args: string, name: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = args.trim() === '' ? {} : JSON.parse(args);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `The model called tool ${JSON.stringify(name)} with arguments that are not a JSON object.`);
  }
  return value as Record<string, unknown>;
}

export function fromCanonical(response: ChatResponse, requested: string): unknown {
  const choice = response.choices?.[0];
  if (!choice) throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', 'The provider answered without a choice.');
  // An OpenAI-style refusal comes as its own field; Anthropic's refusals are plain text.
  const text = textOf(choice.message?.content) || (typeof choice.message?.refusal === 'string' ? choice.message.refusal : '');
  const calls = choice.message?.tool_calls ?? [];
  const content: unknown[] = [];
  if (text !== '' || calls.length === 0) content.push({ type: 'text', text });
  for (const call of calls) {
    content.push({ type: 'tool_use', id: call.id, name: call.function.name, input: toolInput(call.function.arguments, call.function.name) });
  }
  return {
    id: response.id,
    type: 'message',
    role: 'assistant',
    model: requested,
    content,
    stop_reason: stopReason(choice.finish_reason),
    stop_sequence: null,
    usage: anthropicUsage(response.usage),
  };
}

const event = (data: { type: string } & Record<string, unknown>): string => sseFrame(JSON.stringify(data), data.type);

/**
 * The event stream of one answer. Blocks are opened as content arrives and closed when the next
 * kind begins (Anthropic's blocks never interleave); message_delta waits for the end, where the
 * canonical usage chunk has arrived.
 */
class MessageEvents {
  private started = false;
  private nextIndex = 0;
  /** The open block: text, or the tool call with this canonical index. */
  private open: { kind: 'text' } | { kind: 'tool'; call: number } | undefined;
  private finish: FinishReason | undefined;
  private usage: Usage | undefined;

  constructor(private readonly requested: string) {}

  *chunk(chunk: ChatChunk): Generator<string> {
    if (chunk.usage) this.usage = chunk.usage;
    yield* this.start(chunk.id);
    const choice = chunk.choices?.find((c) => c.index === 0);
    if (!choice) return;
    const { delta } = choice;
    const text = typeof delta?.content === 'string' && delta.content !== '' ? delta.content : delta?.refusal;
    if (typeof text === 'string' && text !== '') {
      if (this.open?.kind !== 'text') yield* this.openBlock({ kind: 'text' }, { type: 'text', text: '' });
      yield event({ type: 'content_block_delta', index: this.nextIndex - 1, delta: { type: 'text_delta', text } });
    }
    for (const call of delta?.tool_calls ?? []) {
      if (this.open?.kind !== 'tool' || this.open.call !== call.index) {
        const block = { type: 'tool_use', id: call.id ?? generateId('toolu'), name: call.function?.name ?? '', input: {} };
        yield* this.openBlock({ kind: 'tool', call: call.index }, block);
      }
      const args = call.function?.arguments;
      if (typeof args === 'string' && args !== '') {
        yield event({ type: 'content_block_delta', index: this.nextIndex - 1, delta: { type: 'input_json_delta', partial_json: args } });
      }
    }
    if (choice.finish_reason) {
      this.finish = choice.finish_reason;
      yield* this.closeBlock();
    }
  }

  *end(): Generator<string> {
    yield* this.start(generateId('msg'));
    yield* this.closeBlock();
    const usage = anthropicUsage(this.usage);
    yield event({
      type: 'message_delta',
      delta: { stop_reason: stopReason(this.finish), stop_sequence: null },
      // Cumulative totals; input counts are known only now, and the SDKs take them from here.
      usage: { output_tokens: usage.output_tokens, input_tokens: usage.input_tokens, cache_read_input_tokens: usage.cache_read_input_tokens },
    });
    yield event({ type: 'message_stop' });
  }

  private *start(id: string): Generator<string> {
    if (this.started) return;
    this.started = true;
    const usage = anthropicUsage(this.usage);
    yield event({
      type: 'message_start',
      message: {
        id: id || generateId('msg'),
        type: 'message',
        role: 'assistant',
        model: this.requested,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: usage.input_tokens, output_tokens: 0 },
      },
    });
  }

  private *openBlock(open: NonNullable<MessageEvents['open']>, block: Record<string, unknown>): Generator<string> {
    yield* this.closeBlock();
    this.open = open;
    yield event({ type: 'content_block_start', index: this.nextIndex++, content_block: block });
  }

  private *closeBlock(): Generator<string> {
    if (!this.open) return;
    this.open = undefined;
    yield event({ type: 'content_block_stop', index: this.nextIndex - 1 });
  }
}

export async function* streamFromCanonical(chunks: AsyncIterable<ChatChunk>, requested: string): AsyncGenerator<string> {
  const events = new MessageEvents(requested);
  for await (const chunk of chunks) yield* events.chunk(chunk);
  yield* events.end();
}
