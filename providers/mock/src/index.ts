// The mock provider: answers locally and deterministically, streams with configurable
// chunking and delay, and injects faults on request. For the quickstart, for testing the
// gateway's resilience, and for load-testing applications without spending tokens.
import {
  defineProvider,
  generateId,
  unixSeconds,
  type CallContext,
  type ChatChunk,
  type ChatRequest,
  type ChatResponse,
  type CompletionsChunk,
  type CompletionsRequest,
  type CompletionsResponse,
  type EmbeddingsRequest,
  type EmbeddingsResponse,
  type ProviderInstance,
  type Usage,
} from '@gatehousejs/core';
import { optionsSchema, type Fault, type MockOptions } from './options.js';
import { faultFor, malformedFault, statusFault, wait } from './faults.js';
import { countWords, defaultText, forcedToolCall, messageText, promptTokens, shape, type Answer } from './answer.js';
import { embed } from './embeddings.js';

const DEFAULT_DIMENSIONS = 16;

function usageOf(prompt: number, completion: number): Usage {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

class MockInstance implements ProviderInstance {
  readonly capabilities = Object.freeze({ tools: true, n: true, faults: true });

  constructor(
    private readonly options: MockOptions,
    private readonly model: string,
  ) {}

  /** Common start of every call: injected faults and the configured latency. */
  private async begin(request: Record<string, unknown>, call: CallContext): Promise<Fault> {
    const fault = faultFor(request, this.options.faults);
    await wait((this.options.latency_ms ?? 0) + (fault.delay_ms ?? 0), call);
    const error = statusFault(fault);
    if (error) throw error;
    return fault;
  }

  private answers(text: string, request: { n?: number | null; stop?: string | string[] | null; max_tokens?: number | null; max_completion_tokens?: number | null }): Answer[] {
    const n = request.n ?? 1;
    const max = request.max_completion_tokens ?? request.max_tokens;
    return Array.from({ length: n }, (_, i) => shape(text, request.stop, max, i));
  }

  private chatText(request: ChatRequest): string {
    const lastUser = [...request.messages].reverse().find((m) => m.role === 'user');
    return this.options.response ?? defaultText(lastUser ? messageText(lastUser) : '');
  }

  async chat(request: ChatRequest, call: CallContext): Promise<ChatResponse> {
    const fault = await this.begin(request, call);
    if (fault.malformed) throw malformedFault();
    const id = generateId('chatcmpl-mock');
    const tool = forcedToolCall(request, id);
    const answers = this.answers(this.chatText(request), request);
    const completion = tool ? 1 : answers.reduce((s, a) => s + a.words.length, 0);
    return {
      id,
      object: 'chat.completion',
      created: unixSeconds(),
      model: this.model,
      choices: answers.map((a, index) =>
        tool
          ? { index, message: { role: 'assistant', content: null, tool_calls: [tool] }, finish_reason: 'tool_calls' }
          : { index, message: { role: 'assistant', content: a.words.join('') }, finish_reason: a.finish },
      ),
      usage: usageOf(promptTokens(request.messages), completion),
    };
  }

  async *chatStream(request: ChatRequest, call: CallContext): AsyncGenerator<ChatChunk> {
    const fault = await this.begin(request, call);
    const id = generateId('chatcmpl-mock');
    const base = { id, object: 'chat.completion.chunk' as const, created: unixSeconds(), model: this.model };
    const answers = this.answers(this.chatText(request), request);
    const tool = forcedToolCall(request, id);
    let sent = 0;
    yield { ...base, choices: answers.map((_, index) => ({ index, delta: { role: 'assistant' as const, content: '' }, finish_reason: null })) };
    if (tool) {
      yield { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, ...tool }] }, finish_reason: null }] };
    } else {
      for (let index = 0; index < answers.length; index++) {
        for (const piece of this.pieces(answers[index]!.words)) {
          await this.beforeChunk(fault, sent++, call);
          yield { ...base, choices: [{ index, delta: { content: piece }, finish_reason: null }] };
        }
      }
    }
    yield {
      ...base,
      choices: answers.map((a, index) => ({ index, delta: {}, finish_reason: tool ? ('tool_calls' as const) : a.finish })),
    };
    if (request.stream_options?.include_usage) {
      const completion = tool ? 1 : answers.reduce((s, a) => s + a.words.length, 0);
      yield { ...base, choices: [], usage: usageOf(promptTokens(request.messages), completion) };
    }
  }

  async completions(request: CompletionsRequest, call: CallContext): Promise<CompletionsResponse> {
    const fault = await this.begin(request, call);
    if (fault.malformed) throw malformedFault();
    const prompts = Array.isArray(request.prompt) ? request.prompt : [request.prompt];
    const choices = prompts.flatMap((prompt, p) =>
      this.answers(this.options.response ?? defaultText(prompt), request).map((a, i) => ({
        index: p * (request.n ?? 1) + i,
        text: a.words.join(''),
        finish_reason: a.finish,
        logprobs: null,
      })),
    );
    const prompt = prompts.reduce((s, p) => s + countWords(p), 0);
    const completion = choices.reduce((s, c) => s + countWords(c.text), 0);
    return { id: generateId('cmpl-mock'), object: 'text_completion', created: unixSeconds(), model: this.model, choices, usage: usageOf(prompt, completion) };
  }

  async *completionsStream(request: CompletionsRequest, call: CallContext): AsyncGenerator<CompletionsChunk> {
    const fault = await this.begin(request, call);
    const prompt = Array.isArray(request.prompt) ? request.prompt.join('\n') : request.prompt;
    const base = { id: generateId('cmpl-mock'), object: 'text_completion' as const, created: unixSeconds(), model: this.model };
    const answers = this.answers(this.options.response ?? defaultText(prompt), request);
    let sent = 0;
    for (let index = 0; index < answers.length; index++) {
      for (const piece of this.pieces(answers[index]!.words)) {
        await this.beforeChunk(fault, sent++, call);
        yield { ...base, choices: [{ index, text: piece, finish_reason: null, logprobs: null }] };
      }
    }
    yield { ...base, choices: answers.map((a, index) => ({ index, text: '', finish_reason: a.finish, logprobs: null })) };
    if (request.stream_options?.include_usage) {
      const completion = answers.reduce((s, a) => s + a.words.length, 0);
      yield { ...base, choices: [], usage: usageOf(countWords(prompt), completion) };
    }
  }

  async embeddings(request: EmbeddingsRequest, call: CallContext): Promise<EmbeddingsResponse> {
    const fault = await this.begin(request, call);
    if (fault.malformed) throw malformedFault();
    const dimensions = (request.dimensions as number | undefined) ?? this.options.embedding_dimensions ?? DEFAULT_DIMENSIONS;
    const inputs = (Array.isArray(request.input) ? request.input : [request.input]).map((i) => (Array.isArray(i) ? i.join(' ') : String(i)));
    const tokens = inputs.reduce((s, t) => s + countWords(t), 0);
    return {
      object: 'list',
      data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: embed(text, dimensions) })),
      model: this.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
  }

  /** Group words into chunks of chunk_size words. */
  private *pieces(words: readonly string[]): Generator<string> {
    const size = this.options.chunk_size ?? 1;
    for (let i = 0; i < words.length; i += size) yield words.slice(i, i + size).join('');
  }

  private async beforeChunk(fault: Fault, index: number, call: CallContext): Promise<void> {
    if (fault.fail_after_chunks !== undefined && index >= fault.fail_after_chunks) {
      throw statusFault({ status: 502, message: fault.message ?? 'stream failed mid-way (injected fault)' })!;
    }
    if (fault.malformed && index >= 1) throw malformedFault();
    if (fault.stall_after_chunks !== undefined && index === fault.stall_after_chunks) await wait(fault.stall_ms ?? 60_000, call);
    if (index > 0) await wait(this.options.chunk_delay_ms ?? 0, call);
  }
}

export default defineProvider<MockOptions>({
  id: 'mock',
  apiVersion: 1,
  optionsSchema,
  create: (options, services) => new MockInstance(options, services.model || 'mock-model'),
});

export type { MockOptions, Fault };
