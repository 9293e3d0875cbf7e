import { expect } from 'chai';
import { runProviderConformance, createProviderInstance, callContext, collect, CONFORMANCE_TEXT, CONFORMANCE_ERROR } from '@gatehousejs/core/testing';
import type { ChatChunk, ProviderInstance } from '@gatehousejs/core';
import { MockAgent } from 'undici';
import mock from '../src/index.js';

// The mock has no upstream: each conformance scenario is arranged with a request-level fault.
runProviderConformance({
  provider: mock,
  options: { response: CONFORMANCE_TEXT },
  model: 'mock-model',
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: true },
  arrange(scenario) {
    if (scenario === 'badRequest') return { mock: { status: 400, message: CONFORMANCE_ERROR } };
    if (scenario === 'serverError') return { mock: { status: 500 } };
    if (scenario === 'hang') return { mock: { delay_ms: 10_000 } };
    return undefined;
  },
});

describe('mock provider', () => {
  let instance: ProviderInstance;
  const user = (content: string) => [{ role: 'user' as const, content }];

  beforeEach(async () => {
    instance = await createProviderInstance(mock, {}, { dispatcher: new MockAgent(), model: 'mock-chat' });
  });

  it('answers deterministically from the last user message, counting words as tokens', async () => {
    const a = await instance.chat!({ messages: user('tell me a joke') }, callContext());
    const b = await instance.chat!({ messages: user('tell me a joke') }, callContext());
    expect(a.choices[0]!.message.content).to.equal('This is a mock response from Gatehouse to: tell me a joke');
    expect(b.choices[0]!.message.content).to.equal(a.choices[0]!.message.content);
    expect(a.usage).to.deep.equal({ prompt_tokens: 4, completion_tokens: 12, total_tokens: 16 });
    expect(a.model).to.equal('mock-chat');
  });

  it('honours n, stop and max_tokens', async () => {
    const res = await instance.chat!({ messages: user('x'), n: 2, stop: ['Gatehouse'] }, callContext());
    expect(res.choices.map((c) => c.message.content)).to.deep.equal(['This is a mock response from ', 'This is a mock response from ']);
    const short = await instance.chat!({ messages: user('x'), max_tokens: 3 }, callContext());
    expect(short.choices[0]!.message.content).to.equal('This is a ');
    expect(short.choices[0]!.finish_reason).to.equal('length');
  });

  it('calls a forced tool', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: {} } }];
    const res = await instance.chat!({ messages: user('x'), tools, tool_choice: 'required' }, callContext());
    expect(res.choices[0]!.finish_reason).to.equal('tool_calls');
    expect(res.choices[0]!.message.tool_calls![0]!.function).to.deep.equal({ name: 'get_weather', arguments: '{}' });
    const auto = await instance.chat!({ messages: user('x'), tools, tool_choice: 'auto' }, callContext());
    expect(auto.choices[0]!.message.tool_calls).to.equal(undefined);
  });

  it('streams in chunks of chunk_size words with a usage chunk when asked', async () => {
    const chunky = await createProviderInstance(mock, { response: 'one two three four five', chunk_size: 2 }, { dispatcher: new MockAgent(), model: 'm' });
    const chunks = await collect<ChatChunk>(chunky.chatStream!({ messages: user('x'), stream: true, stream_options: { include_usage: true } }, callContext()));
    const contents = chunks.map((c) => c.choices[0]?.delta.content).filter((c) => c);
    expect(contents).to.deep.equal(['one two ', 'three four ', 'five']);
    expect(chunks.at(-1)!.usage).to.deep.equal({ prompt_tokens: 1, completion_tokens: 5, total_tokens: 6 });
  });

  it('injects faults: status, retry-after, mid-stream failure, malformed answer, timeout', async () => {
    const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as { status: number; retryAfter?: number; message: string });
    const limited = await fail(instance.chat!({ messages: user('x'), mock: { status: 429, retry_after: 9 } }, callContext()));
    expect(limited!.status).to.equal(429);
    expect(limited!.retryAfter).to.equal(9);
    const passed = await fail(instance.chat!({ messages: user('x'), mock: { status: 422, message: 'nope' } }, callContext()));
    expect(passed!.status).to.equal(422);
    expect(passed!.message).to.contain('nope');
    expect((await fail(instance.chat!({ messages: user('x'), mock: { malformed: true } }, callContext())))!.status).to.equal(502);
    const timeout = await fail(instance.chat!({ messages: user('x'), mock: { delay_ms: 5000 } }, callContext({ timeoutMs: 30 })));
    expect(timeout!.status).to.equal(504);

    const seen: string[] = [];
    const broken = await fail(
      (async () => {
        for await (const chunk of await instance.chatStream!({ messages: user('x'), stream: true, mock: { fail_after_chunks: 2 } }, callContext())) {
          seen.push(chunk.choices[0]?.delta.content ?? '');
        }
      })(),
    );
    expect(broken!.status).to.equal(502);
    expect(seen.filter(Boolean)).to.deep.equal(['This ', 'is ']);
  });

  it('applies endpoint-level faults and lets a request override them', async () => {
    const flaky = await createProviderInstance(mock, { faults: { status: 503 } }, { dispatcher: new MockAgent(), model: 'm' });
    const error = await flaky.chat!({ messages: user('x') }, callContext()).catch((e: { status: number }) => e);
    expect((error as { status: number }).status).to.equal(502);
  });

  it('returns deterministic unit vectors of the configured size', async () => {
    const sized = await createProviderInstance(mock, { embedding_dimensions: 32 }, { dispatcher: new MockAgent(), model: 'e' });
    const res = await sized.embeddings!({ input: ['alpha', 'beta', 'alpha'] }, callContext());
    expect(res.data).to.have.length(3);
    expect(res.data[0]!.embedding).to.have.length(32);
    expect(res.data[0]!.embedding).to.deep.equal(res.data[2]!.embedding);
    expect(res.data[0]!.embedding).to.not.deep.equal(res.data[1]!.embedding);
    const norm = Math.sqrt(res.data[1]!.embedding.reduce((s, v) => s + v * v, 0));
    expect(norm).to.be.closeTo(1, 1e-9);
  });

  it('stops a slow stream when the call is aborted', async () => {
    const slow = await createProviderInstance(mock, { chunk_delay_ms: 1000 }, { dispatcher: new MockAgent(), model: 'm' });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const error = await collect(slow.chatStream!({ messages: user('x'), stream: true }, callContext({ signal: controller.signal }))).catch((e: Error) => e);
    expect(error).to.be.instanceOf(Error);
    expect(Date.now() - started).to.be.lessThan(900);
  });
});
