// Recorded Anthropic SSE streams (https://docs.anthropic.com/en/api/messages-streaming),
// replayed in small chunks, → OpenAI chat.completion.chunk streams.
import { expect } from 'chai';
import { isGatewayError, type ChatRequest } from '@gatehousejs/core';
import {
  agentPerTest,
  bytesThrough,
  callContext,
  chatStreamRequest,
  chunkBodies,
  collect,
  drain,
  providerPerTest,
  readThenAbort,
  rejection,
  replaying,
} from '@gatehousejs/core/testing';
import { MODEL, fixture, instance, interceptMessages, interceptStream } from './helpers.js';

const request = (extra: Partial<ChatRequest> = {}): ChatRequest => chatStreamRequest(MODEL, extra);

describe('anthropic: chat streams', () => {
  // Bodies arrive 7 bytes at a time: events, JSON and UTF-8 characters are split across chunks.
  const mock = providerPerTest({ beforeEach, afterEach }, instance, { chunkSize: 7, intervalMs: 0 });

  it('streams text as OpenAI chunks: role first, text deltas, finish reason, then usage', async () => {
    const captured = interceptStream(mock.agent, fixture('stream-text.sse'));
    const chunks = await collect(mock.provider.chatStream!(request(), callContext()));
    expect(captured.body.stream).to.equal(true);
    expect(captured.body).to.not.have.property('stream_options');
    for (const chunk of chunks) {
      expect(chunk.id).to.equal('msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY');
      expect(chunk.object).to.equal('chat.completion.chunk');
      expect(chunk.model).to.equal('claude-3-7-sonnet-20250219');
      expect(chunk.created).to.equal(chunks[0]!.created);
    }
    expect(chunkBodies(chunks)).to.deep.equal([
      { choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: 'Hello' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: '! Grüße aus ' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: '東京 ☀️' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      // input 25 + cache reads 10; output is message_delta's cumulative count.
      { choices: [], usage: { prompt_tokens: 35, completion_tokens: 15, total_tokens: 50, prompt_tokens_details: { cached_tokens: 10 } } },
    ]);
  });

  it('sends no usage chunk unless stream_options.include_usage is true', async () => {
    interceptStream(mock.agent, fixture('stream-text.sse'));
    const chunks = await collect(mock.provider.chatStream!(request({ stream_options: undefined }), callContext()));
    expect(chunks.every((c) => c.choices.length === 1 && c.usage === undefined)).to.equal(true);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).to.equal('stop');
  });

  it('streams tool_use blocks as tool_calls deltas indexed by tool call, not content block', async () => {
    interceptStream(mock.agent, fixture('stream-tool-use.sse'));
    const chunks = await collect(mock.provider.chatStream!(request(), callContext()));
    expect(chunkBodies(chunks)).to.deep.equal([
      { choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: 'Okay' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: ", let's check the weather." }, finish_reason: null }] },
      {
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 0, id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
            finish_reason: null,
          },
        ],
      },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"location":' } }] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: ' "San Francisco, CA"' } }] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: ', "unit": "fahrenheit"}' } }] }, finish_reason: null }] },
      {
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 1, id: 'toolu_01VmQ8ZrT4nHkPx2Ly7bE3Wc', type: 'function', function: { name: 'get_time', arguments: '' } }] },
            finish_reason: null,
          },
        ],
      },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: '{"timezone": "America/Los_Angeles"}' } }] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      { choices: [], usage: { prompt_tokens: 472, completion_tokens: 89, total_tokens: 561, prompt_tokens_details: { cached_tokens: 0 } } },
    ]);
    // What a client accumulates parses as each tool's input.
    const args = ['', ''];
    for (const c of chunks) for (const t of c.choices[0]?.delta.tool_calls ?? []) args[t.index] += t.function?.arguments ?? '';
    expect(args.map((a) => JSON.parse(a))).to.deep.equal([{ location: 'San Francisco, CA', unit: 'fahrenheit' }, { timezone: 'America/Los_Angeles' }]);
  });

  it('leaves thinking out of the streamed content', async () => {
    interceptStream(mock.agent, fixture('stream-thinking.sse'));
    const chunks = await collect(mock.provider.chatStream!(request(), callContext()));
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('27 * 453 = 12,231');
    expect(JSON.stringify(chunks)).to.not.contain('step by step');
  });

  it('fails with a 502 carrying Anthropic’s message on an error event mid-stream', async () => {
    interceptStream(mock.agent, fixture('stream-error.sse'));
    const { items, error } = await drain(mock.provider.chatStream!(request(), callContext()));
    expect(items.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('The answer is');
    expect(items.some((c) => c.choices[0]?.finish_reason)).to.equal(false);
    expect(isGatewayError(error), String(error)).to.equal(true);
    const e = error as { status: number; code: string; message: string };
    expect(e.status).to.equal(502);
    expect(e.code).to.equal('GW_ERR_UPSTREAM_ERROR');
    expect(e.message).to.contain('overloaded_error').and.to.contain('Overloaded');
  });

  it('fails with GW_ERR_UPSTREAM_BAD_RESPONSE when the stream ends without message_stop', async () => {
    interceptStream(mock.agent, fixture('stream-truncated.sse'));
    const { items, error } = await drain(mock.provider.chatStream!(request(), callContext()));
    expect(items.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('Half an ans');
    expect((error as { code?: string }).code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect((error as { status?: number }).status).to.equal(502);
  });

  it('fails with a 502 on an event that is not JSON', async () => {
    // Synthetic: a recorded stream's first event with its JSON cut short.
    interceptStream(mock.agent, 'event: message_start\ndata: {"type": "message_start", "message": {"id": "msg_01\n\n');
    const { error } = await drain(mock.provider.chatStream!(request(), callContext()));
    expect((error as { code?: string }).code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect((error as { status?: number }).status).to.equal(502);
  });

  it('reports an error status before the stream as a coded error (529 → 502, 429 keeps Retry-After)', async () => {
    interceptMessages(mock.agent, { status: 529, body: fixture('error-overloaded.jsonc') });
    const overloaded = await rejection(collect(mock.provider.chatStream!(request(), callContext())));
    expect(overloaded.status).to.equal(502);
    expect(overloaded.message).to.contain('Overloaded');
    interceptMessages(mock.agent, { status: 429, body: fixture('error-rate-limit.jsonc'), headers: { 'content-type': 'application/json', 'retry-after': '30' } });
    const limited = await rejection(collect(mock.provider.chatStream!(request(), callContext())));
    expect(limited.status).to.equal(429);
    expect(limited.retryAfter).to.equal(30);
  });
});

describe('anthropic: stream cancellation', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  it('stops a stream that stalls mid-way when the call is aborted', async () => {
    const sse = fixture('stream-text.sse');
    // Deliver everything up to the end of the first text delta event, then go silent.
    const marker = '"Hello"}}\n\n';
    const provider = await instance(replaying(mock.agent, { chunkSize: 64, intervalMs: 1, stallAfter: bytesThrough(sse, marker) }));
    interceptStream(mock.agent, sse);
    const controller = new AbortController();
    const stream = await provider.chatStream!(request(), callContext({ signal: controller.signal }));
    // Abort shortly after the first text arrives; nothing more comes, so the stream must end then.
    const { items, error, elapsedMs } = await readThenAbort(stream, controller, (chunks) => chunks.some((c) => c.choices[0]?.delta.content === 'Hello'));
    expect(items.map((c) => c.choices[0]?.delta.content ?? '')).to.deep.equal(['', 'Hello']);
    expect(elapsedMs).to.be.lessThan(2000);
    expect((error as { code?: string }).code).to.equal('GW_ERR_CLIENT_CLOSED');
  });

  it('rejects promptly when aborted before Anthropic answers', async () => {
    const provider = await instance(mock.agent);
    interceptMessages(mock.agent, { body: fixture('stream-text.sse'), delay: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const started = Date.now();
    const error = await rejection(collect(provider.chatStream!(request(), callContext({ signal: controller.signal }))));
    expect(error.code).to.equal('GW_ERR_CLIENT_CLOSED');
    expect(Date.now() - started).to.be.lessThan(1000);
  });
});
