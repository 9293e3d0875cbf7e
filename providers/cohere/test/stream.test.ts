// Recorded Cohere v2 chat streams (https://docs.cohere.com/reference/chat-stream,
// https://docs.cohere.com/docs/tool-use-streaming), replayed in small chunks, → OpenAI chunks.
import { expect } from 'chai';
import { isGatewayError, type ChatRequest } from '@gatehousejs/core';
import {
  callContext,
  chatStreamRequest,
  chunkBodies,
  collect,
  drain,
  providerPerTest,
  rejection,
  replaying,
} from '@gatehousejs/core/testing';
import { MODEL, fixture, instance, interceptChat, interceptStream } from './helpers.js';

const request = (extra: Partial<ChatRequest> = {}): ChatRequest => chatStreamRequest(MODEL, extra);

describe('cohere: streams', () => {
  // Bodies arrive 7 bytes at a time: events, JSON and UTF-8 characters are split across reads.
  const mock = providerPerTest({ beforeEach, afterEach }, instance, { chunkSize: 7, intervalMs: 0 });

  it('streams text as OpenAI chunks: role first, text deltas, finish reason, then usage', async () => {
    interceptStream(mock.agent, fixture('stream-text.sse'));
    const chunks = await collect(mock.provider.chatStream!(request(), callContext()));
    for (const chunk of chunks) {
      expect(chunk.id).to.equal('321d178c-2c12-44d3-ae42-2f5510f6b1cc');
      expect(chunk.object).to.equal('chat.completion.chunk');
      expect(chunk.model).to.equal(MODEL);
      expect(chunk.created).to.equal(chunks[0]!.created);
    }
    expect(chunkBodies(chunks)).to.deep.equal([
      { choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: 'The capital' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: ' of France is Paris. ' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: 'Grüße aus 東京 ☀️' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { choices: [], usage: { prompt_tokens: 507, completion_tokens: 10, total_tokens: 517, prompt_tokens_details: { cached_tokens: 448 } } },
    ]);
  });

  it('sends no usage chunk unless stream_options.include_usage is true', async () => {
    interceptStream(mock.agent, fixture('stream-text.sse'));
    const chunks = await collect(mock.provider.chatStream!(request({ stream_options: undefined }), callContext()));
    expect(chunks.every((c) => c.choices.length === 1 && c.usage === undefined)).to.equal(true);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).to.equal('stop');
  });

  it('streams the tool plan as content and each tool call as indexed tool_calls deltas, ending with tool_calls', async () => {
    interceptStream(mock.agent, fixture('stream-tool-calls.sse'));
    const chunks = await collect(mock.provider.chatStream!(request(), callContext()));
    expect(chunkBodies(chunks)).to.deep.equal([
      { choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: 'I will search for the weather' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: ' in Madrid and Brasilia.' }, finish_reason: null }] },
      {
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 0, id: 'get_weather_p0dage9q1nv4', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
            finish_reason: null,
          },
        ],
      },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{\n    "' } }] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: 'location' } }] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '": "Madrid"\n}' } }] }, finish_reason: null }] },
      {
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 1, id: 'get_weather_f2n5c3xdtmq8', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
            finish_reason: null,
          },
        ],
      },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: '{\n    "location": "Bras' } }] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: 'ilia"\n}' } }] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      { choices: [], usage: { prompt_tokens: 913, completion_tokens: 81, total_tokens: 994 } },
    ]);
    // What a client accumulates parses as each tool's arguments.
    const args = ['', ''];
    for (const c of chunks) for (const t of c.choices[0]?.delta.tool_calls ?? []) args[t.index] += t.function?.arguments ?? '';
    expect(args.map((a) => JSON.parse(a))).to.deep.equal([{ location: 'Madrid' }, { location: 'Brasilia' }]);
  });

  it('leaves thinking out of the streamed content', async () => {
    interceptStream(mock.agent, fixture('stream-thinking.sse'));
    const chunks = await collect(mock.provider.chatStream!(request(), callContext()));
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('2 + 2 = 4.');
    expect(JSON.stringify(chunks)).to.not.contain('no tool is needed');
  });

  it('fails with a 502 when message-end reports finish_reason ERROR, after what arrived', async () => {
    interceptStream(mock.agent, fixture('stream-finish-error.sse'));
    const { items, error } = await drain(mock.provider.chatStream!(request(), callContext()));
    expect(items.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('The answer is');
    expect(items.some((c) => c.choices[0]?.finish_reason)).to.equal(false);
    expect(isGatewayError(error), String(error)).to.equal(true);
    const e = error as { status: number; code: string; message: string };
    expect(e.status).to.equal(502);
    expect(e.code).to.equal('GW_ERR_UPSTREAM_ERROR');
    expect(e.message).to.contain('internal error while generating');
  });

  it('fails with GW_ERR_UPSTREAM_BAD_RESPONSE when the stream ends without message-end', async () => {
    interceptStream(mock.agent, fixture('stream-truncated.sse'));
    const { items, error } = await drain(mock.provider.chatStream!(request(), callContext()));
    expect(items.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('Half an ans');
    expect((error as { code?: string }).code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect((error as { status?: number }).status).to.equal(502);
  });

  it('still opens with the role chunk when a stream lacks message-start', async () => {
    // Synthetic: the conformance stream without its message-start event.
    const sse = fixture('stream-conformance.sse').replace(/event: message-start\ndata: [^\n]*\n\n/, '');
    interceptStream(mock.agent, sse);
    const chunks = await collect(mock.provider.chatStream!(request(), callContext()));
    expect(chunks[0]!.choices[0]!.delta).to.deep.equal({ role: 'assistant', content: '' });
    expect(chunks.filter((c) => c.choices[0]?.delta.role).length).to.equal(1);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('Hello from the fixture.');
  });

  it('fails with a 502 on an event that is not JSON', async () => {
    // Synthetic: a recorded stream's first event with its JSON cut short.
    interceptStream(mock.agent, 'event: message-start\ndata: {"id":"321d178c","type":"message-st\n\n');
    const { error } = await drain(mock.provider.chatStream!(request(), callContext()));
    expect((error as { code?: string }).code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect((error as { message?: string }).message).to.contain('Cohere');
  });

  it('reports an error status before the stream as a coded error (500 → 502, 429 keeps Retry-After)', async () => {
    interceptChat(mock.agent, { status: 500, body: fixture('error-server.jsonc') });
    expect((await rejection(collect(mock.provider.chatStream!(request(), callContext())))).status).to.equal(502);
    interceptChat(mock.agent, { status: 429, body: fixture('error-rate-limit.jsonc'), headers: { 'content-type': 'application/json', 'retry-after': '30' } });
    const limited = await rejection(collect(mock.provider.chatStream!(request(), callContext())));
    expect(limited.status).to.equal(429);
    expect(limited.retryAfter).to.equal(30);
  });

  it('streams completions as text_completion chunks with a final usage chunk', async () => {
    interceptStream(mock.agent, fixture('stream-text.sse'));
    const chunks = await collect(mock.provider.completionsStream!({ model: MODEL, prompt: 'Capital of France?', stream: true, stream_options: { include_usage: true } }, callContext()));
    expect(chunks.every((c) => c.object === 'text_completion')).to.equal(true);
    expect(chunks.map((c) => c.choices[0]?.text ?? '').join('')).to.equal('The capital of France is Paris. Grüße aus 東京 ☀️');
    expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).to.deep.equal(['stop']);
    expect(chunks.at(-1)).to.deep.include({ choices: [], usage: { prompt_tokens: 507, completion_tokens: 10, total_tokens: 517, prompt_tokens_details: { cached_tokens: 448 } } });
  });

  it('hands each chunk on as it arrives, before the rest of the stream is read', async () => {
    const slow = replaying(mock.agent, { chunkSize: 16, intervalMs: 2 });
    const p = await instance(slow);
    interceptStream(mock.agent, fixture('stream-text.sse'));
    const stream = await p.chatStream!(request(), callContext());
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next(); // role chunk (message-start)
    const first = await iterator.next(); // first text delta
    expect(first.value?.choices[0]?.delta.content).to.equal('The capital');
    const total = Math.ceil(Buffer.byteLength(fixture('stream-text.sse')) / 16);
    expect(slow.delivered()).to.be.lessThan(total);
    while (!(await iterator.next()).done);
  });
});
