// Fireworks AI: the three endpoint types under https://api.fireworks.ai/inference/v1, every
// parameter as it is, recorded streams whose usage becomes OpenAI's usage chunk, and Fireworks'
// error body.
import { expect } from 'chai';
import { agentPerTest, answer, callContext, collect, instanceOf, rejection, replaying } from '@gatehousejs/core/testing';
import type { ChatChunk, ChatRequest, CompletionsChunk, ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';
import * as wire from './fixtures/wire.js';

const API = 'https://api.fireworks.ai';
const KEY = 'fw_3ZbD7kQmVx9Lc2RtN8pYs4Hj';
const HEADERS = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const MODEL = 'accounts/fireworks/models/llama-v3p1-8b-instruct';

describe('fireworks', () => {
  const mock = agentPerTest({ beforeEach, afterEach });
  let instance: ProviderInstance;
  beforeEach(async () => {
    instance = await instanceOf(provider, { fireworks_api_key: KEY }, replaying(mock.agent), { model: MODEL });
  });

  it('posts chat to https://api.fireworks.ai/inference/v1/chat/completions with every parameter as it is', async () => {
    const request: ChatRequest = { model: MODEL, messages: [{ role: 'user', content: 'Describe Fireworks.' }], temperature: 0.6, n: 2, top_k: 40, context_length_exceeded_behavior: 'error' };
    const sent = answer(mock.agent, API, '/inference/v1/chat/completions', { body: wire.chatResponse });
    const res = await instance.chat!(structuredClone(request), callContext());
    expect(sent.requests[0]).to.deep.include({ method: 'POST', path: '/inference/v1/chat/completions', headers: HEADERS, body: request });
    expect(res.choices[0]!.message.content).to.equal('Fireworks serves open models fast.');
  });

  it('moves the usage of the finishing chunk to OpenAI\'s usage chunk', async () => {
    const sent = answer(mock.agent, API, '/inference/v1/chat/completions', { body: wire.chatStream });
    const chunks = await collect<ChatChunk>(instance.chatStream!({ model: MODEL, messages: [{ role: 'user', content: 'Two words.' }], stream: true, stream_options: { include_usage: true } }, callContext()));
    expect(sent.requests[0]!.body).to.deep.include({ stream: true, stream_options: { include_usage: true } });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('Quick and open.');
    expect(chunks.map((c) => [c.choices[0]?.finish_reason ?? null, c.usage ?? null])).to.deep.equal([
      [null, null],
      [null, null],
      [null, null],
      ['stop', null],
      [null, { prompt_tokens: 19, completion_tokens: 4, total_tokens: 23 }],
    ]);
    expect(chunks[4]!.choices).to.deep.equal([]);
  });

  it('leaves the usage out when the client did not ask for it', async () => {
    answer(mock.agent, API, '/inference/v1/chat/completions', { body: wire.chatStream });
    const chunks = await collect<ChatChunk>(instance.chatStream!({ model: MODEL, messages: [{ role: 'user', content: 'Two words.' }], stream: true }, callContext()));
    expect(chunks).to.have.length(4);
    expect(chunks.some((c) => c.usage)).to.equal(false);
  });

  it('streams completions from {base}/completions with the usage chunk last', async () => {
    answer(mock.agent, API, '/inference/v1/completions', { body: wire.completionsStream });
    const chunks = await collect<CompletionsChunk>(instance.completionsStream!({ model: MODEL, prompt: 'The quick brown fox', max_tokens: 5, stream: true, stream_options: { include_usage: true } }, callContext()));
    expect(chunks.map((c) => c.choices[0]?.text ?? '').join('')).to.equal(' jumps over the lazy dog');
    expect(chunks[2]).to.deep.include({ object: 'text_completion', choices: [], usage: { prompt_tokens: 4, completion_tokens: 5, total_tokens: 9 } });
  });

  it('posts embeddings to {base}/embeddings', async () => {
    const sent = answer(mock.agent, API, '/inference/v1/embeddings', { body: wire.embeddingsResponse });
    const res = await instance.embeddings!({ model: 'nomic-ai/nomic-embed-text-v1.5', input: ['search_query: a', 'search_query: b'], dimensions: 128 }, callContext());
    expect(sent.requests[0]!.body).to.deep.equal({ model: 'nomic-ai/nomic-embed-text-v1.5', input: ['search_query: a', 'search_query: b'], dimensions: 128 });
    expect(res.data.map((d) => d.embedding[0])).to.deep.equal([0.0047206, -0.0310974]);
  });

  it('keeps the status and Fireworks\' message; honours fireworks_api_base', async () => {
    const other = await instanceOf(provider, { fireworks_api_key: KEY, fireworks_api_base: 'https://fw-proxy.example.com/inference/v1' }, mock.agent);
    answer(mock.agent, 'https://fw-proxy.example.com', '/inference/v1/chat/completions', { status: 404, body: wire.modelNotFound });
    const error = await rejection(other.chat!({ model: 'accounts/fireworks/models/nope', messages: [{ role: 'user', content: 'hi' }] }, callContext()));
    expect([error.status, error.message]).to.deep.equal([404, `Fireworks AI rejected the request (404): ${wire.modelNotFound.error.message}`]);
  });
});
