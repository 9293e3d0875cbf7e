// Recorded AI21 chat completions streams (https://docs.ai21.com/reference/jamba-api-response,
// "Streamed results"), replayed in small chunks, → OpenAI chunks.
import { expect } from 'chai';
import { isGatewayError, type ChatRequest } from '@gatehousejs/core';
import { callContext, chatStreamRequest, chunkBodies, collect, drain, providerPerTest, rejection, replaying } from '@gatehousejs/core/testing';
import { MODEL, fixture, instance, interceptChat, interceptStream } from './helpers.js';

const request = (extra: Partial<ChatRequest> = {}): ChatRequest => chatStreamRequest(MODEL, extra);

describe('ai21labs: streams', () => {
  // Bodies arrive 7 bytes at a time: events, JSON and UTF-8 characters are split across reads.
  const mock = providerPerTest({ beforeEach, afterEach }, instance, { chunkSize: 7, intervalMs: 0 });

  it('streams OpenAI chunks: role first, content deltas, finish reason, then usage from the last chunk', async () => {
    interceptStream(mock.agent, fixture('stream-text.sse'));
    const chunks = await collect(mock.provider.chatStream!(request(), callContext()));
    for (const chunk of chunks) {
      expect(chunk.id).to.equal('chat-2b5d7e9f-stream');
      expect(chunk.object).to.equal('chat.completion.chunk');
      expect(chunk.model).to.equal(MODEL);
      expect(chunk.created).to.equal(chunks[0]!.created);
    }
    expect(chunkBodies(chunks)).to.deep.equal([
      { choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: 'Hello' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: '! Grüße aus' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: ' 東京 ☀️' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { choices: [], usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 } },
    ]);
  });

  it('sends no usage chunk unless stream_options.include_usage is true', async () => {
    interceptStream(mock.agent, fixture('stream-text.sse'));
    const chunks = await collect(mock.provider.chatStream!(request({ stream_options: undefined }), callContext()));
    expect(chunks.every((c) => c.choices.length === 1 && c.usage === undefined)).to.equal(true);
  });

  it('streams tool-call deltas with their indices, ending with tool_calls', async () => {
    interceptStream(mock.agent, fixture('stream-tool-calls.sse'));
    const chunks = await collect(mock.provider.chatStream!(request({ tools: [{ type: 'function', function: { name: 'get_weather' } }] }), callContext()));
    expect(chunkBodies(chunks)).to.deep.equal([
      { choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_8f2a1b', type: 'function', function: { name: 'get_weather', arguments: '' } }] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"location": ' } }] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"Tel Aviv"}' } }] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 1, id: 'call_8f2a1c', type: 'function', function: { name: 'get_time', arguments: '{}' } }] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      { choices: [], usage: { prompt_tokens: 301, completion_tokens: 35, total_tokens: 336 } },
    ]);
    const args = ['', ''];
    for (const c of chunks) for (const t of c.choices[0]?.delta.tool_calls ?? []) args[t.index] += t.function?.arguments ?? '';
    expect(args.map((a) => JSON.parse(a))).to.deep.equal([{ location: 'Tel Aviv' }, {}]);
  });

  it('fails with a 502 carrying AI21’s message on an error mid-stream, after what arrived', async () => {
    interceptStream(mock.agent, fixture('stream-error.sse'));
    const { items, error } = await drain(mock.provider.chatStream!(request(), callContext()));
    expect(items.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('The answer is');
    expect(isGatewayError(error), String(error)).to.equal(true);
    const e = error as { status: number; code: string; message: string };
    expect(e.status).to.equal(502);
    expect(e.code).to.equal('GW_ERR_UPSTREAM_ERROR');
    expect(e.message).to.contain('Internal server error while generating');
  });

  it('fails with GW_ERR_UPSTREAM_BAD_RESPONSE when the stream ends before a finish reason', async () => {
    interceptStream(mock.agent, fixture('stream-truncated.sse'));
    const { items, error } = await drain(mock.provider.chatStream!(request(), callContext()));
    expect(items.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('Half an ans');
    expect((error as { code?: string }).code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect((error as { status?: number }).status).to.equal(502);
  });

  it('fails with a 502 on an event that is not JSON, or [DONE] before any finish reason', async () => {
    interceptStream(mock.agent, 'data: {"id":"chat-x","choices":[{"index":0,"del\n\n');
    expect(((await drain(mock.provider.chatStream!(request(), callContext()))).error as { code?: string }).code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    interceptStream(mock.agent, 'data: {"id":"chat-x","choices":[{"index":0,"delta":{"role":"assistant"},"finish_reason":null}]}\n\ndata: [DONE]\n\n');
    expect(((await drain(mock.provider.chatStream!(request(), callContext()))).error as { code?: string }).code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
  });

  it('reports an error status before the stream as a coded error (429 keeps Retry-After)', async () => {
    interceptChat(mock.agent, { status: 429, body: fixture('error-rate-limit.jsonc'), headers: { 'content-type': 'application/json', 'retry-after': '30' } });
    const limited = await rejection(collect(mock.provider.chatStream!(request(), callContext())));
    expect(limited.status).to.equal(429);
    expect(limited.retryAfter).to.equal(30);
  });

  it('streams completions on a Jamba model as text_completion chunks with a final usage chunk', async () => {
    interceptStream(mock.agent, fixture('stream-text.sse'));
    const chunks = await collect(mock.provider.completionsStream!({ model: MODEL, prompt: 'Greet me', stream: true, stream_options: { include_usage: true } }, callContext()));
    expect(chunks.every((c) => c.object === 'text_completion')).to.equal(true);
    expect(chunks.map((c) => c.choices[0]?.text ?? '').join('')).to.equal('Hello! Grüße aus 東京 ☀️');
    expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).to.deep.equal(['stop']);
    expect(chunks.at(-1)).to.deep.include({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 } });
  });

  it('hands each chunk on as it arrives, before the rest of the stream is read', async () => {
    const slow = replaying(mock.agent, { chunkSize: 16, intervalMs: 2 });
    const p = await instance(slow);
    interceptStream(mock.agent, fixture('stream-text.sse'));
    const iterator = (await p.chatStream!(request(), callContext()))[Symbol.asyncIterator]();
    await iterator.next(); // role chunk
    const first = await iterator.next();
    expect(first.value?.choices[0]?.delta.content).to.equal('Hello');
    expect(slow.delivered()).to.be.lessThan(Math.ceil(Buffer.byteLength(fixture('stream-text.sse')) / 16));
    while (!(await iterator.next()).done);
  });
});
