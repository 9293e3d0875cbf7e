// Chat and completion streams through ConverseStream
// (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html), answered
// with recorded event sequences encoded as event-stream frames, replayed whole and split across
// reads; exceptions inside the stream
// (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamOutput.html).
import { expect } from 'chai';
import { toChatChunks, type ChatChunk, type ChatRequest, type CompletionsChunk, type GatewayError } from '@gatehousejs/core';
import { agentPerTest, callContext, chatStreamRequest, collect, drain, newAgent, rejection, replaying } from '@gatehousejs/core/testing';
import { readConverseStream } from '../src/converse/stream.js';
import { decodeEventStream } from '../src/eventstream/decoder.js';
import { eventFrame, encodeMessage } from './eventstream-encoder.js';
import { MODEL, MODEL_PATH, awsError, fixtureJson, instance, intercept, interceptStream, streamFixture } from './helpers.js';

const chatRequest = (extra: Partial<ChatRequest> = {}): ChatRequest => chatStreamRequest(MODEL, extra);

const strip = (chunk: ChatChunk): Omit<ChatChunk, 'id' | 'created' | 'model' | 'object'> => {
  const { id: _id, created: _c, model: _m, object: _o, ...rest } = chunk;
  return rest;
};

describe('bedrock: chat streams', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  it('posts to /converse-stream with the Converse body and asks for an event stream', async () => {
    const sent = interceptStream(mock.agent, streamFixture('stream-text.jsonc'));
    await collect(instance(mock.agent).chatStream!(chatRequest({ max_tokens: 64, temperature: 1 }), callContext()));
    expect(sent.path).to.equal(`${MODEL_PATH}/converse-stream`);
    expect(sent.headers.accept).to.equal('application/vnd.amazon.eventstream');
    expect(sent.body).to.deep.equal({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }], inferenceConfig: { maxTokens: 64, temperature: 0.5 } });
  });

  it('translates a text stream into chunks: role first, text pieces, finish reason, then usage', async () => {
    interceptStream(mock.agent, streamFixture('stream-text.jsonc'));
    const chunks = await collect(instance(mock.agent).chatStream!(chatRequest(), callContext()));
    for (const chunk of chunks) {
      expect(chunk.object).to.equal('chat.completion.chunk');
      expect(chunk.id).to.equal(chunks[0]!.id);
      expect(chunk.model).to.equal(MODEL);
    }
    expect(chunks[0]!.id).to.match(/^chatcmpl-/);
    expect(chunks.map(strip)).to.deep.equal([
      { choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: 'Hello' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: ' from the' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: ' fixture. Héllo ✓' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { choices: [], usage: { prompt_tokens: 21, completion_tokens: 9, total_tokens: 30, prompt_tokens_details: { cached_tokens: 0 } } },
    ]);
  });

  it('leaves the usage chunk out when include_usage is not set', async () => {
    interceptStream(mock.agent, streamFixture('stream-text.jsonc'));
    const chunks = await collect(instance(mock.agent).chatStream!(chatRequest({ stream_options: undefined }), callContext()));
    expect(chunks.every((c) => c.choices.length === 1)).to.equal(true);
  });

  it('gives the same chunks when the frames arrive split across reads (7 bytes at a time)', async () => {
    interceptStream(mock.agent, streamFixture('stream-text.jsonc'));
    const whole = await collect(instance(mock.agent).chatStream!(chatRequest(), callContext()));
    const agent2 = newAgent();
    interceptStream(agent2, streamFixture('stream-text.jsonc'));
    const split = await collect(instance(replaying(agent2, { chunkSize: 7, intervalMs: 0 })).chatStream!(chatRequest(), callContext()));
    expect(split.map(strip)).to.deep.equal(whole.map(strip));
    agent2.assertNoPendingInterceptors();
    await agent2.close();
  });

  it('streams tool calls: id and name first, then argument pieces with the right indices', async () => {
    interceptStream(mock.agent, streamFixture('stream-tool-use.jsonc'));
    const chunks = await collect(instance(mock.agent).chatStream!(chatRequest(), callContext()));
    expect(chunks.map(strip)).to.deep.equal([
      { choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: 'Let me check.' }, finish_reason: null }] },
      {
        choices: [
          { index: 0, delta: { tool_calls: [{ index: 0, id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', type: 'function', function: { name: 'get_weather', arguments: '' } }] }, finish_reason: null },
        ],
      },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"location": ' } }] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"Seattle, WA"}' } }] }, finish_reason: null }] },
      {
        choices: [
          { index: 0, delta: { tool_calls: [{ index: 1, id: 'tooluse_Yx3QwErT5a9bBcD2eFgH1i', type: 'function', function: { name: 'get_time', arguments: '' } }] }, finish_reason: null },
        ],
      },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: '{}' } }] }, finish_reason: null }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      { choices: [], usage: { prompt_tokens: 580, completion_tokens: 71, total_tokens: 651, prompt_tokens_details: { cached_tokens: 200 } } },
    ]);
  });

  it('sends chunks as the frames arrive, before the stream has ended', async () => {
    const frames = fixtureJson<Array<{ event: string; payload: unknown }>>('stream-text.jsonc').map((e) => eventFrame(e.event, e.payload));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let delivered = 0;
    async function* body(): AsyncGenerator<Uint8Array> {
      for (const [i, frame] of frames.entries()) {
        if (i === 2) await gate; // hold the rest back until the test has seen the first text
        delivered = i + 1;
        yield frame;
      }
    }
    const chunks = toChatChunks(readConverseStream(decodeEventStream(body(), 'Bedrock')), { id: 'x', created: 0, model: MODEL }, true);
    const iterator = chunks[Symbol.asyncIterator]();
    expect((await iterator.next()).value.choices[0].delta.role).to.equal('assistant');
    expect((await iterator.next()).value.choices[0].delta.content).to.equal('Hello');
    expect(delivered).to.equal(2);
    release();
    const rest = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) rest.push(r.value);
    expect(rest).to.have.length(4);
  });

  it('ends with a 429 when a throttlingException frame arrives mid-stream, after the chunks before it', async () => {
    interceptStream(mock.agent, streamFixture('stream-throttled.jsonc'));
    const { items, error } = await drain(instance(mock.agent).chatStream!(chatRequest(), callContext()));
    expect(items.map((c) => c.choices[0]?.delta.content)).to.deep.equal(['', 'Partial']);
    expect((error as GatewayError).status).to.equal(429);
    expect((error as GatewayError).message).to.contain('Too many tokens, please wait before trying again.');
  });

  it('ends with a 502 carrying the AWS message on a modelStreamErrorException frame', async () => {
    interceptStream(mock.agent, streamFixture('stream-model-error.jsonc'));
    const { error } = await drain(instance(mock.agent).chatStream!(chatRequest(), callContext()));
    expect((error as GatewayError).status).to.equal(502);
    expect((error as GatewayError).message).to.contain('modelStreamErrorException');
    expect((error as GatewayError).message).to.contain('The model encountered an error while streaming the response.');
  });

  it('ends with a 502 on an error frame (:message-type error)', async () => {
    const start = eventFrame('messageStart', { role: 'assistant' });
    const err = encodeMessage(
      [
        [':message-type', { type: 'string', value: 'error' }],
        [':error-code', { type: 'string', value: 'InternalFailure' }],
        [':error-message', { type: 'string', value: 'An internal error occurred.' }],
      ],
      '',
    );
    interceptStream(mock.agent, Buffer.concat([start, err]));
    const { error } = await drain(instance(mock.agent).chatStream!(chatRequest(), callContext()));
    expect((error as GatewayError).status).to.equal(502);
    expect((error as GatewayError).message).to.contain('An internal error occurred.');
  });

  it('fails with a 502 when the stream ends before messageStop', async () => {
    const events = fixtureJson<Array<{ event: string; payload: unknown }>>('stream-text.jsonc').slice(0, 3);
    interceptStream(mock.agent, Buffer.concat(events.map((e) => eventFrame(e.event, e.payload))));
    const { items, error } = await drain(instance(mock.agent).chatStream!(chatRequest(), callContext()));
    expect(items).to.have.length(3);
    expect((error as GatewayError).code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect((error as GatewayError).message).to.contain('messageStop');
  });

  it('fails with a 502 on a frame whose payload is not JSON', async () => {
    const bad = encodeMessage(
      [
        [':event-type', { type: 'string', value: 'contentBlockDelta' }],
        [':message-type', { type: 'string', value: 'event' }],
      ],
      '{not json',
    );
    interceptStream(mock.agent, Buffer.concat([eventFrame('messageStart', { role: 'assistant' }), bad]));
    const { error } = await drain(instance(mock.agent).chatStream!(chatRequest(), callContext()));
    expect((error as GatewayError).code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
  });

  it('reports an error answer before the stream as the mapped status', async () => {
    intercept(mock.agent, `${MODEL_PATH}/converse-stream`, awsError(400, 'ValidationException', 'Malformed input request: messages must alternate.'));
    const error = await rejection(collect(instance(mock.agent).chatStream!(chatRequest(), callContext())));
    expect(error.status).to.equal(400);
    expect(error.message).to.contain('messages must alternate');
  });
});

describe('bedrock: completion streams', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  it('streams text_completion chunks through ConverseStream, then usage', async () => {
    const sent = interceptStream(mock.agent, streamFixture('stream-text.jsonc'));
    const chunks = await collect<CompletionsChunk>(
      instance(mock.agent).completionsStream!({ model: MODEL, prompt: 'Say hello', stream: true, stream_options: { include_usage: true } }, callContext()),
    );
    expect(sent.body).to.deep.equal({ messages: [{ role: 'user', content: [{ text: 'Say hello' }] }] });
    expect(chunks.map((c) => c.object)).to.satisfy((list: string[]) => list.every((o) => o === 'text_completion'));
    expect(chunks.map((c) => c.choices[0]?.text ?? null)).to.deep.equal(['Hello', ' from the', ' fixture. Héllo ✓', '', null]);
    expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null)).to.deep.equal([null, null, null, 'stop', null]);
    expect(chunks.at(-1)!.usage).to.deep.equal({ prompt_tokens: 21, completion_tokens: 9, total_tokens: 30, prompt_tokens_details: { cached_tokens: 0 } });
    expect(chunks[0]!.id).to.match(/^cmpl-/);
  });
});
