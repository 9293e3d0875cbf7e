// Recorded Gemini streams (streamGenerateContent?alt=sse,
// https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent), replayed in
// small chunks, → OpenAI chat.completion.chunk streams.
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
import { startStream } from '../src/stream.js';
import { API_KEY, MODEL, PATHS, fixture, instance, intercept, interceptStream } from './helpers.js';

const request = (extra: Partial<ChatRequest> = {}): ChatRequest => chatStreamRequest(MODEL, extra);

describe('gemini: chat streams', () => {
  // Bodies arrive 7 bytes at a time: events, JSON and UTF-8 characters are split across chunks.
  const mock = providerPerTest({ beforeEach, afterEach }, instance, { chunkSize: 7, intervalMs: 0 });

  it('posts to :streamGenerateContent?alt=sse with the key header and the same body as chat', async () => {
    const captured = interceptStream(mock.agent, fixture('stream-text.sse'));
    await collect(mock.provider.chatStream!(request({ temperature: 0.3, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] }), callContext()));
    expect(captured.path).to.equal(PATHS.stream);
    expect(captured.path).to.not.contain('key=');
    expect(captured.headers['x-goog-api-key']).to.equal(API_KEY);
    expect(captured.body).to.deep.equal({
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      generationConfig: { temperature: 0.3 },
    });
  });

  it('streams text as OpenAI chunks: role first, text deltas, finish reason, then usage from the last event', async () => {
    interceptStream(mock.agent, fixture('stream-text.sse'));
    const chunks = await collect(mock.provider.chatStream!(request(), callContext()));
    for (const chunk of chunks) {
      expect(chunk.id).to.equal('uMs3acPXJJ2Wz7IPptqRuQo');
      expect(chunk.object).to.equal('chat.completion.chunk');
      expect(chunk.model).to.equal('gemini-2.0-flash');
      expect(chunk.created).to.equal(chunks[0]!.created);
    }
    expect(chunkBodies(chunks)).to.deep.equal([
      { choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: 'Hello' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: '! Grüße aus ' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: '東京 ☀️' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { choices: [], usage: { prompt_tokens: 8, completion_tokens: 9, total_tokens: 17, prompt_tokens_details: { cached_tokens: 4 } } },
    ]);
  });

  it('sends no usage chunk unless stream_options.include_usage is true', async () => {
    interceptStream(mock.agent, fixture('stream-text.sse'));
    const chunks = await collect(mock.provider.chatStream!(request({ stream_options: undefined }), callContext()));
    expect(chunks.every((c) => c.choices.length === 1 && c.usage === undefined)).to.equal(true);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).to.equal('stop');
  });

  it('emits each function call as one complete tool-call delta with its index; finish is tool_calls', async () => {
    interceptStream(mock.agent, fixture('stream-function-call.sse'));
    const chunks = await collect(mock.provider.chatStream!(request({ tools: [{ type: 'function', function: { name: 'get_weather' } }] }), callContext()));
    const ids = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).map((t) => t.id);
    expect(ids).to.have.length(2);
    for (const id of ids) expect(id).to.match(/^call-/);
    expect(ids[0]).to.not.equal(ids[1]);
    expect(chunkBodies(chunks)).to.deep.equal([
      { choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: 'Checking the weather' }, finish_reason: null }] },
      {
        choices: [
          {
            index: 0,
            delta: {
              tool_calls: [
                {
                  index: 0,
                  id: ids[0],
                  type: 'function',
                  function: { name: 'get_weather', arguments: '{"location":"Paris"}' },
                  extra_content: { google: { thought_signature: 'CikBcsjafFK168IbtVtoxVV0Tsn8O+eU45rzJahzwuKGmMbdMdfpmNpgBw==' } },
                },
              ],
            },
            finish_reason: null,
          },
        ],
      },
      {
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 1, id: ids[1], type: 'function', function: { name: 'get_time', arguments: '{"timezone":"Europe/Paris"}' } }] },
            finish_reason: null,
          },
        ],
      },
      { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      {
        choices: [],
        usage: {
          prompt_tokens: 83,
          completion_tokens: 128,
          total_tokens: 211,
          prompt_tokens_details: { cached_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 104 },
        },
      },
    ]);
  });

  it('streams several candidates as choices with their own index, leaving thought summaries out', async () => {
    interceptStream(mock.agent, fixture('stream-candidates.sse'));
    const chunks = await collect(mock.provider.chatStream!(request({ n: 2 }), callContext()));
    expect(chunkBodies(chunks)).to.deep.equal([
      { choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: 'Gre' }, finish_reason: null }] },
      { choices: [{ index: 1, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { choices: [{ index: 1, delta: { content: 'Blu' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: 'en.' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { choices: [{ index: 1, delta: { content: 'e.' }, finish_reason: null }] },
      { choices: [{ index: 1, delta: {}, finish_reason: 'length' }] },
      {
        choices: [],
        usage: {
          prompt_tokens: 6,
          completion_tokens: 11,
          total_tokens: 17,
          prompt_tokens_details: { cached_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 7 },
        },
      },
    ]);
  });

  it('ends with content_filter when the safety filters stop the answer', async () => {
    interceptStream(mock.agent, fixture('stream-safety.sse'));
    const chunks = await collect(mock.provider.chatStream!(request(), callContext()));
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('Here is how');
    expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).to.deep.equal(['content_filter']);
  });

  it('fails the call itself with a 400 naming the reason when the prompt is blocked (before any chunk)', async () => {
    interceptStream(mock.agent, fixture('stream-blocked-prompt.sse'));
    const error = await rejection(Promise.resolve(mock.provider.chatStream!(request(), callContext())));
    expect(error.status).to.equal(400);
    expect(error.message).to.equal('Gemini blocked the prompt (PROHIBITED_CONTENT).');
  });

  it('fails with a 502 carrying Google’s message on an error event mid-stream', async () => {
    interceptStream(mock.agent, fixture('stream-error.sse'));
    const { items, error } = await drain(mock.provider.chatStream!(request(), callContext()));
    expect(items.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('The answer is');
    expect(items.some((c) => c.choices[0]?.finish_reason)).to.equal(false);
    expect(isGatewayError(error), String(error)).to.equal(true);
    const e = error as { status: number; code: string; message: string };
    expect(e.status).to.equal(502);
    expect(e.code).to.equal('GW_ERR_UPSTREAM_ERROR');
    expect(e.message).to.contain('UNAVAILABLE').and.to.contain('The model is overloaded');
  });

  it('fails with GW_ERR_UPSTREAM_BAD_RESPONSE when the stream ends before a finish reason', async () => {
    interceptStream(mock.agent, fixture('stream-truncated.sse'));
    const { items, error } = await drain(mock.provider.chatStream!(request(), callContext()));
    expect(items.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('Half an ans');
    expect((error as { code?: string }).code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect((error as { status?: number }).status).to.equal(502);
  });

  it('fails the call with a 502 on an empty stream', async () => {
    interceptStream(mock.agent, '');
    const error = await rejection(Promise.resolve(mock.provider.chatStream!(request(), callContext())));
    expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
  });

  it('fails with a 502 on an event that is not JSON', async () => {
    // Synthetic: a recorded stream's first event with its JSON cut short.
    interceptStream(mock.agent, 'data: {"candidates": [{"content": {"parts": [{"text": "Hel\n\n');
    const error = await rejection(Promise.resolve(mock.provider.chatStream!(request(), callContext())));
    expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect(error.status).to.equal(502);
  });

  it('reports an error status before the stream as a coded error (429 keeps the retry delay, 503 → 502)', async () => {
    intercept(mock.agent, PATHS.stream, { status: 429, body: fixture('error-resource-exhausted.jsonc') });
    const limited = await rejection(collect(mock.provider.chatStream!(request(), callContext())));
    expect(limited.status).to.equal(429);
    expect(limited.retryAfter).to.equal(27);
    intercept(mock.agent, PATHS.stream, { status: 503, body: fixture('error-unavailable.jsonc') });
    const unavailable = await rejection(collect(mock.provider.chatStream!(request(), callContext())));
    expect(unavailable.status).to.equal(502);
    expect(unavailable.message).to.contain('overloaded');
  });
});

describe('gemini: stream delivery and cancellation', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  it('hands each chunk on as its event arrives, not at the end of the stream', async () => {
    const sse = fixture('stream-text.sse');
    // Deliver up to the end of the first event, then go silent: its chunks must still arrive.
    const marker = '"responseId": "uMs3acPXJJ2Wz7IPptqRuQo"}\r\n\r\n';
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

  it('rejects promptly when aborted before Gemini answers', async () => {
    const provider = await instance(mock.agent);
    intercept(mock.agent, PATHS.stream, { body: fixture('stream-text.sse'), delay: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const started = Date.now();
    const error = await rejection(collect(provider.chatStream!(request(), callContext({ signal: controller.signal }))));
    expect(error.code).to.equal('GW_ERR_CLIENT_CLOSED');
    expect(Date.now() - started).to.be.lessThan(1000);
  });

  it('closes the source when the consumer stops before reading, after the first chunk was held', async () => {
    let closed = false;
    let produced = 0;
    async function* source(): AsyncGenerator<number> {
      try {
        for (let i = 0; i < 5; i++) {
          produced += 1;
          yield i;
        }
      } finally {
        closed = true;
      }
    }
    const stream = await startStream(source());
    // Only the first item is read ahead.
    expect(produced).to.equal(1);
    await stream.return!();
    expect(closed).to.equal(true);
    expect((await stream.next()).done).to.equal(true);
  });
});
