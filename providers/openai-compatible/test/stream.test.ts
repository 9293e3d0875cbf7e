// Streams through the shared base: SSE parsing, chunk normalisation, [DONE], mid-stream
// errors, truncation, non-JSON events and cancellation.
import { expect } from 'chai';
import { agentPerTest, answer, callContext, collect, rejection, services } from '@gatehousejs/core/testing';
import type { ChatChunk, ChatRequest, CompletionsChunk } from '@gatehousejs/core';
import { createOpenAICompatibleInstance, separateUsage, wantsUsage } from '../src/index.js';
import { chatStream, chatStreamError, chatStreamTools, chatStreamTruncated, completionsStream, sparseChatStream } from '../src/testing/fixtures/streams.js';
import { vllmError } from '../src/testing/fixtures/errors.js';

const ORIGIN = 'https://llm.example.com';
const PATH = '/v1/chat/completions';
const settings = { provider: 'Example', baseUrl: `${ORIGIN}/v1`, headers: { authorization: 'Bearer sk-test' } };
const request = (): ChatRequest => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Hello?' }],
  stream: true,
  stream_options: { include_usage: true },
});
const text = (chunks: ChatChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

/** Collect chunks until the stream fails; returns both. */
async function chunksThenError<T>(iterable: Promise<AsyncIterable<T>> | AsyncIterable<T>) {
  const chunks: T[] = [];
  const error = await rejection(
    (async () => {
      for await (const chunk of await iterable) chunks.push(chunk);
    })(),
  );
  return { chunks, error };
}

describe('openai-compatible streams', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  describe('chat', () => {
    it('sends stream: true with stream_options and yields the recorded chunks up to [DONE]', async () => {
      const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
      const sent = answer(mock.agent, ORIGIN, PATH, { body: chatStream });
      const chunks = await collect(instance.chatStream!(request(), callContext()));

      expect(sent.requests[0]!.body).to.deep.equal({ ...request(), stream: true });
      expect(sent.requests[0]!.body.stream_options).to.deep.equal({ include_usage: true });
      expect(chunks).to.have.length(12);
      expect(text(chunks)).to.equal('Hello! How can I help you today?');
      for (const chunk of chunks) {
        expect(chunk).to.deep.include({ id: 'chatcmpl-AbC123xyz', object: 'chat.completion.chunk', created: 1727000000, model: 'gpt-4o-mini-2024-07-18' });
      }
      expect(chunks[0]!.choices[0]!.delta.role).to.equal('assistant');
      expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null).filter(Boolean)).to.deep.equal(['stop']);
      const last = chunks[chunks.length - 1]!;
      expect(last.choices).to.deep.equal([]);
      expect(last.usage).to.deep.include({ prompt_tokens: 19, completion_tokens: 9, total_tokens: 28 });
      expect(chunks.slice(0, -1).every((c) => c.usage === null)).to.equal(true);
    });

    it('yields tool_call deltas that reassemble into complete calls', async () => {
      const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
      answer(mock.agent, ORIGIN, PATH, { body: chatStreamTools });
      const chunks = await collect(instance.chatStream!(request(), callContext()));

      const calls: { id?: string; name?: string; arguments: string }[] = [];
      for (const chunk of chunks) {
        for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
          const call = (calls[delta.index] ??= { arguments: '' });
          if (delta.id) call.id = delta.id;
          if (delta.function?.name) call.name = delta.function.name;
          call.arguments += delta.function?.arguments ?? '';
        }
      }
      expect(calls.map((c) => ({ ...c, arguments: JSON.parse(c.arguments) as unknown }))).to.deep.equal([
        { id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', name: 'get_weather', arguments: { location: 'Paris, France' } },
        { id: 'call_8Qy1vUuSJkPvGQ2M0cSgJ1aT', name: 'get_time', arguments: { timezone: 'Europe/Paris' } },
      ]);
      expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).to.deep.equal(['tool_calls']);
      expect(chunks[chunks.length - 1]!.usage).to.deep.equal({ prompt_tokens: 82, completion_tokens: 37, total_tokens: 119 });
    });

    it('gives a lax server\'s chunks one made-up id, created and the request\'s model, and accepts a finished stream without [DONE]', async () => {
      const instance = createOpenAICompatibleInstance(settings, services(mock.agent, { model: 'llama3.1:8b', now: 1_700_000_000_000 }));
      answer(mock.agent, ORIGIN, PATH, { body: sparseChatStream });
      const chunks = await collect(instance.chatStream!({ ...request(), model: 'llama3.1:8b' }, callContext()));
      expect(chunks).to.have.length(3);
      const ids = new Set(chunks.map((c) => c.id));
      expect(ids.size).to.equal(1);
      expect([...ids][0]).to.match(/^chatcmpl-/);
      for (const chunk of chunks) expect(chunk).to.deep.include({ object: 'chat.completion.chunk', created: 1_700_000_000, model: 'llama3.1:8b' });
      expect(text(chunks)).to.equal('Hi there');
    });

    it('stops reading at [DONE] and ignores anything after it', async () => {
      const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
      const after = 'data: {"choices":[{"index":0,"delta":{"content":"LATE"},"finish_reason":null}]}\n\n';
      answer(mock.agent, ORIGIN, PATH, { body: chatStream + after });
      const chunks = await collect(instance.chatStream!(request(), callContext()));
      expect(text(chunks)).to.not.contain('LATE');
    });

    it('throws a 502 that keeps the upstream message on an error event mid-stream, after the chunks before it', async () => {
      const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
      answer(mock.agent, ORIGIN, PATH, { body: chatStreamError });
      const { chunks, error } = await chunksThenError(instance.chatStream!(request(), callContext()));
      expect(text(chunks)).to.equal('Once upon');
      expect(error.status).to.equal(502);
      expect(error.code).to.equal('GW_ERR_UPSTREAM_ERROR');
      expect(error.message).to.equal('Example reported an error mid-stream: The server had an error while processing your request. Sorry about that!');
      expect(error.upstreamBody).to.deep.include({ error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } });
    });

    it('treats vLLM\'s {"object":"error"} event, Databricks\' {error_code, message} and an `event: error` frame as mid-stream errors', async () => {
      const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
      answer(mock.agent, ORIGIN, PATH, { body: `data: ${JSON.stringify(vllmError)}\n\n` });
      const vllm = await rejection(collect(instance.chatStream!(request(), callContext())));
      expect(vllm.status).to.equal(502);
      expect(vllm.message).to.contain("maximum context length is 4096 tokens");

      const databricks = { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'Exceeded workspace rate limit for this endpoint.' };
      answer(mock.agent, ORIGIN, PATH, { body: `data: ${JSON.stringify(databricks)}\n\n` });
      const dbx = await rejection(collect(instance.chatStream!(request(), callContext())));
      expect(dbx.status).to.equal(502);
      expect(dbx.message).to.equal('Example reported an error mid-stream: Exceeded workspace rate limit for this endpoint.');

      answer(mock.agent, ORIGIN, PATH, { body: 'event: error\ndata: {"message":"model overloaded"}\n\n' });
      const named = await rejection(collect(instance.chatStream!(request(), callContext())));
      expect(named.status).to.equal(502);
      expect(named.message).to.equal('Example reported an error mid-stream: model overloaded');
    });

    it('throws GW_ERR_UPSTREAM_BAD_RESPONSE for a stream cut off without [DONE] or a finish_reason', async () => {
      const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
      answer(mock.agent, ORIGIN, PATH, { body: chatStreamTruncated });
      const { chunks, error } = await chunksThenError(instance.chatStream!(request(), callContext()));
      expect(text(chunks)).to.equal('Once upon a time');
      expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
      expect(error.status).to.equal(502);
    });

    it('treats an empty 200 stream as truncated', async () => {
      const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
      answer(mock.agent, ORIGIN, PATH, { body: '' });
      const error = await rejection(collect(instance.chatStream!(request(), callContext())));
      expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    });

    it('treats a stream without [DONE] where one of n choices never finished as truncated', async () => {
      const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
      const frames = [
        { choices: [{ index: 0, delta: { content: 'a' }, finish_reason: null }, { index: 1, delta: { content: 'b' }, finish_reason: null }] },
        { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      ];
      answer(mock.agent, ORIGIN, PATH, { body: frames.map((f) => `data: ${JSON.stringify(f)}\n\n`).join('') });
      const error = await rejection(collect(instance.chatStream!({ ...request(), n: 2 }, callContext())));
      expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    });

    it('throws a 502 for an event that is not JSON', async () => {
      const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
      const first = chatStream.split('\n\n').slice(1, 3).join('\n\n');
      answer(mock.agent, ORIGIN, PATH, { body: `${first}\n\ndata: {"choices": [tru\n\n` });
      const { chunks, error } = await chunksThenError(instance.chatStream!(request(), callContext()));
      expect(chunks).to.have.length(2);
      expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
      expect(error.status).to.equal(502);
      expect(error.message).to.equal('Example sent a stream event that is not JSON.');
    });

    it('throws a 502 for a JSON event that is not an object', async () => {
      const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
      answer(mock.agent, ORIGIN, PATH, { body: 'data: "hello"\n\n' });
      const error = await rejection(collect(instance.chatStream!(request(), callContext())));
      expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    });

    it('rejects the call itself (before any chunk) when the upstream answers 4xx', async () => {
      const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
      answer(mock.agent, ORIGIN, PATH, {
        status: 400,
        body: { error: { message: "'stream_options' is only allowed when 'stream' is true", type: 'invalid_request_error', param: 'stream_options', code: null } },
      });
      const error = await rejection(Promise.resolve(instance.chatStream!(request(), callContext())));
      expect(error.status).to.equal(400);
      expect(error.message).to.contain("'stream_options' is only allowed");
    });

    it('stops with a 499 when the call is aborted mid-stream, even with chunks already received', async () => {
      const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
      answer(mock.agent, ORIGIN, PATH, { body: chatStream });
      const controller = new AbortController();
      const stream = await instance.chatStream!(request(), callContext({ signal: controller.signal }));
      const iterator = stream[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(first.done).to.equal(false);
      controller.abort();
      const error = await rejection(iterator.next());
      expect(error.code).to.equal('GW_ERR_CLIENT_CLOSED');
      expect(error.status).to.equal(499);
    });

    it('lets a consumer stop early without an error', async () => {
      const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
      answer(mock.agent, ORIGIN, PATH, { body: chatStream });
      const seen: ChatChunk[] = [];
      for await (const chunk of await instance.chatStream!(request(), callContext())) {
        seen.push(chunk);
        if (seen.length === 2) break;
      }
      expect(seen).to.have.length(2);
    });
  });

  describe('completions', () => {
    it('posts to /completions with stream: true and yields text_completion chunks', async () => {
      const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
      const sent = answer(mock.agent, ORIGIN, '/v1/completions', { body: completionsStream });
      const req = { model: 'gpt-3.5-turbo-instruct', prompt: 'Say this is a test', stream: true, stream_options: { include_usage: true } };
      const chunks: CompletionsChunk[] = await collect(instance.completionsStream!(req, callContext()));
      expect(sent.requests[0]!.body).to.deep.equal(req);
      for (const chunk of chunks) expect(chunk).to.deep.include({ id: 'cmpl-7iA7iJjj8V2zOkCGvWF2hAkDWBQZe', object: 'text_completion', model: 'gpt-3.5-turbo-instruct' });
      expect(chunks.map((c) => c.choices[0]?.text ?? '').join('')).to.equal('This is a test.');
      expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).to.deep.equal(['stop']);
      expect(chunks[chunks.length - 1]!.usage).to.deep.equal({ prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 });
    });

    it('gives a lax server\'s completion chunks a cmpl- id', async () => {
      const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
      answer(mock.agent, ORIGIN, '/v1/completions', { body: 'data: {"choices":[{"index":0,"text":"ok","finish_reason":"stop"}]}\n\ndata: [DONE]\n\n' });
      const chunks = await collect(instance.completionsStream!({ model: 'm', prompt: 'p', stream: true }, callContext()));
      expect(chunks).to.have.length(1);
      expect(chunks[0]!.id).to.match(/^cmpl-/);
      expect(chunks[0]!.object).to.equal('text_completion');
    });
  });
});

describe('separateUsage', () => {
  async function* chunks(...list: ChatChunk[]): AsyncGenerator<ChatChunk> {
    yield* list;
  }
  const envelope = { id: 'c1', object: 'chat.completion.chunk' as const, created: 1, model: 'm' };
  const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };
  const last = (): ChatChunk => ({ ...envelope, choices: [{ index: 0, delta: {}, finish_reason: 'eos' as never }], usage });

  it("moves the usage on a server's last choice chunk to OpenAI's usage chunk, after fixing each chunk", async () => {
    const seen = await collect(separateUsage(chunks({ ...envelope, choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null }] }, last()), true, (chunk) => {
      for (const choice of chunk.choices) if ((choice.finish_reason as string) === 'eos') choice.finish_reason = 'stop';
    }));
    expect(seen).to.have.length(3);
    expect(seen[1]).to.not.have.property('usage');
    expect(seen[1]!.choices[0]!.finish_reason).to.equal('stop');
    expect(seen[2]).to.deep.equal({ ...envelope, choices: [], usage });
  });

  it('drops the usage when the client did not ask for it, and sends no chunk left without choices', async () => {
    const seen = await collect(separateUsage(chunks(last(), { ...envelope, choices: [], usage }), false));
    expect(seen).to.have.length(1);
    expect(seen[0]).to.not.have.property('usage');
    expect(wantsUsage({ model: 'm', messages: [], stream_options: { include_usage: true } })).to.equal(true);
    expect(wantsUsage({ model: 'm', messages: [] })).to.equal(false);
  });
});
