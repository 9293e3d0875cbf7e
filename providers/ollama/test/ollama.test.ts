// Ollama through its OpenAI-compatible API: no auth header unless a key is set, the request sent
// and the answer received per endpoint type, a recorded stream, and Ollama's errors.
import { expect } from 'chai';
import { agentPerTest, answer, callContext, collect, instanceOf, rejection, replaying } from '@gatehousejs/core/testing';
import type { ChatChunk, ChatRequest, ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';
import * as wire from './fixtures/wire.js';

const LOCAL = 'http://localhost:11434';
const chat: ChatRequest = { model: 'llama3.2', messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Say this is a test' }] };

describe('ollama', () => {
  const mock = agentPerTest({ beforeEach, afterEach });
  let instance: ProviderInstance;
  beforeEach(async () => {
    instance = await instanceOf(provider, {}, replaying(mock.agent), { model: 'llama3.2' });
  });

  it('posts chat to http://localhost:11434/v1/chat/completions without any auth header', async () => {
    const sent = answer(mock.agent, LOCAL, '/v1/chat/completions', { body: wire.chatResponse });
    const res = await instance.chat!({ ...chat, temperature: 1.4, seed: 7, max_completion_tokens: 50, n: 1 }, callContext());
    expect(sent.requests[0]).to.deep.include({
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json' },
      body: { ...chat, temperature: 1.4, seed: 7, max_tokens: 50 },
    });
    expect(res).to.deep.include({ id: 'chatcmpl-397', object: 'chat.completion', model: 'llama3.2' });
    expect(res.choices[0]!.message.content).to.equal('This is a test.');
  });

  it('sends ollama_api_key as a bearer token to ollama_api_base', async () => {
    const proxied = await instanceOf(provider, { ollama_api_base: 'https://ollama.example.com/v1', ollama_api_key: 'proxy-key-123' }, mock.agent);
    const sent = answer(mock.agent, 'https://ollama.example.com', '/v1/completions', { body: wire.completionsResponse });
    const res = await proxied.completions!({ model: 'llama3.2', prompt: 'The quick brown fox jumps over', suffix: '' }, callContext());
    expect(sent.requests[0]!.headers).to.deep.equal({ authorization: 'Bearer proxy-key-123', 'content-type': 'application/json' });
    expect(res.choices[0]).to.deep.include({ index: 0, text: 'the lazy dog.', finish_reason: 'stop' });
  });

  it('refuses n > 1 with a 400 naming Ollama', async () => {
    const error = await rejection(instance.chat!({ ...chat, n: 2 }, callContext()));
    expect([error.status, error.message]).to.deep.equal([400, 'n: Ollama returns a single choice; only n=1 is supported (provider Ollama).']);
    const completion = await rejection(instance.completions!({ model: 'llama3.2', prompt: 'x', n: 3 }, callContext()));
    expect(completion.status).to.equal(400);
  });

  it('streams a recorded answer with the usage chunk last', async () => {
    const sent = answer(mock.agent, LOCAL, '/v1/chat/completions', { body: wire.chatStream });
    const chunks = await collect<ChatChunk>(instance.chatStream!({ ...chat, stream: true, stream_options: { include_usage: true } }, callContext()));
    expect(sent.requests[0]!.body).to.deep.include({ stream: true, stream_options: { include_usage: true } });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('This is a test.');
    expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null)).to.deep.equal([null, null, 'stop', null]);
    expect(chunks[3]).to.deep.include({ choices: [], usage: { prompt_tokens: 26, completion_tokens: 6, total_tokens: 32 } });
  });

  it('posts embeddings to /v1/embeddings', async () => {
    const sent = answer(mock.agent, LOCAL, '/v1/embeddings', { body: wire.embeddingsResponse });
    const res = await instance.embeddings!({ model: 'nomic-embed-text', input: ['a', 'b'] }, callContext());
    expect(sent.requests[0]!.body).to.deep.equal({ model: 'nomic-embed-text', input: ['a', 'b'] });
    expect(res.data.map((d) => d.index)).to.deep.equal([0, 1]);
  });

  it('keeps Ollama\'s 404 for a model not pulled, and an unreachable server is a 502 naming Ollama', async () => {
    answer(mock.agent, LOCAL, '/v1/chat/completions', { status: 404, body: wire.modelNotFound });
    const missing = await rejection(instance.chat!({ ...chat, model: 'llama9' }, callContext()));
    expect([missing.status, missing.message]).to.deep.equal([404, 'Ollama rejected the request (404): model "llama9" not found, try pulling it first']);

    mock.agent.get(LOCAL).intercept({ path: '/v1/chat/completions', method: 'POST' }).replyWithError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:11434'), { code: 'ECONNREFUSED' }));
    const down = await rejection(instance.chat!(chat, callContext()));
    expect([down.status, down.code, down.message]).to.deep.equal([502, 'GW_ERR_UPSTREAM_UNAVAILABLE', 'Could not reach Ollama: ECONNREFUSED.']);
  });
});
