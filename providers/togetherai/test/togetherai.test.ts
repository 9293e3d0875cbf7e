// Together AI: the request sent (URL, auth, translated body) and the answer received for each
// endpoint type, recorded streams replayed a few bytes at a time, and Together's error bodies.
import { expect } from 'chai';
import { agentPerTest, answer, callContext, collect, instanceOf, rejection, replaying } from '@gatehousejs/core/testing';
import type { ChatChunk, ChatRequest, CompletionsChunk, ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';
import * as wire from './fixtures/wire.js';

const API = 'https://api.together.xyz';
const KEY = 'tgp_v1_5dd1a9b0c2e34f5a6b7c8d9e0f1a2b3c4d5e6f7a';
const HEADERS = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const MODEL = 'mistralai/Mixtral-8x7B-Instruct-v0.1';
const USAGE = { stream_options: { include_usage: true } };

describe('togetherai', () => {
  const mock = agentPerTest({ beforeEach, afterEach });
  let instance: ProviderInstance;
  beforeEach(async () => {
    instance = await instanceOf(provider, { togetherai_api_key: KEY }, replaying(mock.agent), { model: MODEL });
  });

  it('posts chat to {base}/chat/completions with the bearer key and translates the parameters', async () => {
    const sent = answer(mock.agent, API, '/v1/chat/completions', { body: wire.chatResponse });
    const res = await instance.chat!(
      {
        model: MODEL,
        messages: [{ role: 'system', content: 'Answer in one sentence.' }, { role: 'user', content: 'Capital of France?' }],
        temperature: 0.7,
        stop: '</s>',
        max_completion_tokens: 64,
        logprobs: true,
        top_logprobs: 3,
        top_k: 50,
        repetition_penalty: 1.1,
      },
      callContext(),
    );
    expect(sent.requests[0]).to.deep.include({
      method: 'POST',
      path: '/v1/chat/completions',
      headers: HEADERS,
      body: {
        model: MODEL,
        messages: [{ role: 'system', content: 'Answer in one sentence.' }, { role: 'user', content: 'Capital of France?' }],
        temperature: 0.7,
        stop: ['</s>'],
        max_tokens: 64,
        logprobs: 3,
        top_k: 50,
        repetition_penalty: 1.1,
      },
    });
    expect(res.choices[0]).to.deep.include({ index: 0, finish_reason: 'stop' });
    expect(res.choices[0]!.message.content).to.equal('Paris is the capital of France.');
    expect(res.usage).to.deep.equal({ prompt_tokens: 31, completion_tokens: 8, total_tokens: 39 });
  });

  it('sends logprobs: true alone as a count of 1, and false not at all', async () => {
    const a = answer(mock.agent, API, '/v1/chat/completions', { body: wire.chatResponse });
    await instance.chat!({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], logprobs: true }, callContext());
    const b = answer(mock.agent, API, '/v1/chat/completions', { body: wire.chatResponse });
    await instance.chat!({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], logprobs: false }, callContext());
    expect(a.requests[0]!.body.logprobs).to.equal(1);
    expect(b.requests[0]!.body).to.not.have.property('logprobs');
  });

  it('streams a recorded answer: eos becomes stop, the usage its own chunk, no stream_options sent', async () => {
    const sent = answer(mock.agent, API, '/v1/chat/completions', { body: wire.chatStream });
    const request: ChatRequest = { model: MODEL, messages: [{ role: 'user', content: 'Capital of France?' }], stream: true, ...USAGE };
    const chunks = await collect<ChatChunk>(instance.chatStream!(request, callContext()));
    expect(sent.requests[0]!.body).to.deep.equal({ model: MODEL, messages: [{ role: 'user', content: 'Capital of France?' }], stream: true });
    for (const chunk of chunks) expect(chunk).to.deep.include({ id: '86f2cfd18f6b38ca-ATH', object: 'chat.completion.chunk', model: MODEL });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('Paris is the capital.');
    expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null)).to.deep.equal([null, null, 'stop', null]);
    expect(chunks[3]).to.deep.include({ choices: [], usage: { prompt_tokens: 93, completion_tokens: 5, total_tokens: 98 } });
    expect(chunks.slice(0, 3).every((c) => c.usage === undefined)).to.equal(true);
  });

  it('streams tool-call deltas with their index and the tool_calls finish reason', async () => {
    answer(mock.agent, API, '/v1/chat/completions', { body: wire.toolCallStream });
    const chunks = await collect<ChatChunk>(
      instance.chatStream!({ model: MODEL, messages: [{ role: 'user', content: 'Weather in SF?' }], tools: [{ type: 'function', function: { name: 'get_current_weather' } }], stream: true, ...USAGE }, callContext()),
    );
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).to.deep.include({ index: 0, id: 'call_7a1b2c3d4e5f6a7b8c9d0e1f', type: 'function' });
    expect(JSON.parse(calls.map((c) => c.function?.arguments ?? '').join(''))).to.deep.equal({ location: 'San Francisco, CA', unit: 'fahrenheit' });
    expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).to.deep.equal(['tool_calls']);
  });

  it('posts completions to {base}/completions; streams them with the usage last', async () => {
    const sent = answer(mock.agent, API, '/v1/completions', { body: wire.completionsResponse });
    const res = await instance.completions!({ model: 'mistralai/Mixtral-8x7B-v0.1', prompt: 'Paris is', max_tokens: 6, stop: '\n', logprobs: 2 }, callContext());
    expect(sent.requests[0]!.body).to.deep.equal({ model: 'mistralai/Mixtral-8x7B-v0.1', prompt: 'Paris is', max_tokens: 6, stop: ['\n'], logprobs: 2 });
    expect(res).to.deep.include({ object: 'text_completion', id: '8447f286bbdb67b3-SJC' });
    expect(res.choices[0]).to.deep.include({ index: 0, text: ' a city of light.', finish_reason: 'length' });

    answer(mock.agent, API, '/v1/completions', { body: wire.completionsStream });
    const chunks = await collect<CompletionsChunk>(instance.completionsStream!({ model: 'mistralai/Mixtral-8x7B-v0.1', prompt: 'Paris is', stream: true, ...USAGE }, callContext()));
    expect(chunks.map((c) => c.object)).to.deep.equal(['text_completion', 'text_completion', 'text_completion']);
    expect(chunks.map((c) => c.choices[0]?.text ?? '').join('')).to.equal(' a city of light.');
    expect(chunks[2]).to.deep.include({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 } });
  });

  it('posts embeddings to {base}/embeddings', async () => {
    const sent = answer(mock.agent, API, '/v1/embeddings', { body: wire.embeddingsResponse });
    const res = await instance.embeddings!({ model: 'togethercomputer/m2-bert-80M-8k-retrieval', input: ['a', 'b'] }, callContext());
    expect(sent.requests[0]).to.deep.include({ method: 'POST', path: '/v1/embeddings', headers: HEADERS, body: { model: 'togethercomputer/m2-bert-80M-8k-retrieval', input: ['a', 'b'] } });
    expect(res.data.map((d) => d.embedding[0])).to.deep.equal([0.44990748, -0.43091708]);
    expect(res).to.not.have.property('usage');
  });

  it('honours togetherai_api_base', async () => {
    const other = await instanceOf(provider, { togetherai_api_key: KEY, togetherai_api_base: 'https://together-proxy.internal:8443/v1' }, mock.agent);
    const sent = answer(mock.agent, 'https://together-proxy.internal:8443', '/v1/embeddings', { body: wire.embeddingsResponse });
    await other.embeddings!({ model: 'm', input: 'a' }, callContext());
    expect(sent.requests[0]!.headers.authorization).to.equal(`Bearer ${KEY}`);
  });

  it('keeps the status and Together\'s message of an error; 5xx become 502', async () => {
    const request: ChatRequest = { model: MODEL, messages: [{ role: 'user', content: 'hi' }] };
    answer(mock.agent, API, '/v1/chat/completions', { status: 400, body: wire.badRequest });
    const bad = await rejection(instance.chat!(request, callContext()));
    expect([bad.status, bad.message]).to.deep.equal([400, `Together AI rejected the request (400): ${wire.badRequest.error.message}`]);

    answer(mock.agent, API, '/v1/chat/completions', { status: 401, body: wire.unauthorized });
    const denied = await rejection(Promise.resolve(instance.chatStream!({ ...request, stream: true }, callContext())));
    expect(denied.status).to.equal(401);
    expect(denied.message).to.not.contain(KEY);

    answer(mock.agent, API, '/v1/chat/completions', { status: 503, body: { error: { message: 'The server is overloaded', type: 'server_error' } } });
    expect((await rejection(instance.chat!(request, callContext()))).status).to.equal(502);
  });
});
