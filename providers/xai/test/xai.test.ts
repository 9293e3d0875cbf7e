// xAI: chat and embeddings under https://api.x.ai/v1, every parameter as it is, a recorded
// stream, and xAI's `{"code", "error"}` error body.
import { expect } from 'chai';
import { agentPerTest, answer, callContext, collect, instanceOf, rejection, replaying } from '@gatehousejs/core/testing';
import type { ChatChunk, ChatRequest, ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';
import * as wire from './fixtures/wire.js';

const API = 'https://api.x.ai';
const KEY = 'xai-Qm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo';
const HEADERS = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

describe('xai', () => {
  const mock = agentPerTest({ beforeEach, afterEach });
  let instance: ProviderInstance;
  beforeEach(async () => {
    instance = await instanceOf(provider, { xai_api_key: KEY }, replaying(mock.agent), { model: 'grok-3-mini' });
  });

  it('offers chat and embeddings; completions are left out (core answers 501)', () => {
    expect([typeof instance.chat, typeof instance.chatStream, typeof instance.embeddings, typeof instance.completions]).to.deep.equal(['function', 'function', 'function', 'undefined']);
  });

  it('posts chat to https://api.x.ai/v1/chat/completions with every parameter as it is', async () => {
    const request: ChatRequest = {
      model: 'grok-3-mini',
      messages: [{ role: 'system', content: 'You are a calculator.' }, { role: 'user', content: [{ type: 'text', text: 'What is 101*3?' }] }],
      temperature: 0.7,
      n: 1,
      max_completion_tokens: 500,
      reasoning_effort: 'low',
    };
    const sent = answer(mock.agent, API, '/v1/chat/completions', { body: wire.chatResponse });
    const res = await instance.chat!(structuredClone(request), callContext());
    expect(sent.requests[0]).to.deep.include({ method: 'POST', path: '/v1/chat/completions', headers: HEADERS, body: request });
    expect(res.choices[0]!.message).to.deep.include({ content: '101 multiplied by 3 is 303.', reasoning_content: 'First, 100 × 3 = 300; plus 1 × 3 = 3.' });
    expect(res.usage).to.deep.include({ prompt_tokens: 32, completion_tokens: 9, total_tokens: 135 });
  });

  it('streams a recorded answer with the usage chunk last', async () => {
    answer(mock.agent, API, '/v1/chat/completions', { body: wire.chatStream });
    const chunks = await collect<ChatChunk>(instance.chatStream!({ model: 'grok-3', messages: [{ role: 'user', content: 'Meaning of life?' }], stream: true, stream_options: { include_usage: true } }, callContext()));
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('Ah, the ultimate question!');
    // xAI leaves finish_reason out until the last chunk; OpenAI's clients get it as null.
    expect(chunks.slice(0, 3).map((c) => c.choices[0]?.finish_reason)).to.deep.equal([null, null, 'stop']);
    expect(chunks[3]).to.deep.include({ choices: [] });
    expect(chunks[3]!.usage).to.deep.include({ prompt_tokens: 41, completion_tokens: 6, total_tokens: 47 });
  });

  it('posts embeddings to https://api.x.ai/v1/embeddings', async () => {
    const sent = answer(mock.agent, API, '/v1/embeddings', { body: wire.embeddingsResponse });
    const res = await instance.embeddings!({ model: 'v1', input: ['a', 'b'] }, callContext());
    expect(sent.requests[0]).to.deep.include({ method: 'POST', path: '/v1/embeddings', headers: HEADERS, body: { model: 'v1', input: ['a', 'b'] } });
    expect(res.data.map((d) => d.embedding[0])).to.deep.equal([0.01567895, -0.020412568]);
  });

  it('keeps the status and xAI\'s message, never the configured key', async () => {
    answer(mock.agent, API, '/v1/chat/completions', { status: 400, body: wire.invalidKey });
    const error = await rejection(instance.chat!({ model: 'grok-3', messages: [{ role: 'user', content: 'hi' }] }, callContext()));
    expect([error.status, error.message]).to.deep.equal([400, `xAI rejected the request (400): ${wire.invalidKey.error}`]);
    expect(error.message).to.not.contain(KEY);
  });

  it('honours xai_api_base', async () => {
    const other = await instanceOf(provider, { xai_api_key: KEY, xai_api_base: 'https://eu-west-1.api.x.ai/v1' }, mock.agent);
    const sent = answer(mock.agent, 'https://eu-west-1.api.x.ai', '/v1/embeddings', { body: wire.embeddingsResponse });
    await other.embeddings!({ model: 'v1', input: 'a' }, callContext());
    expect(sent.requests).to.have.length(1);
  });
});
