// Completions served through Mistral's chat endpoint, embeddings, and the base-URL option.
import { expect } from 'chai';
import { agentPerTest, answer, callContext, collect, instanceOf, rejection, replaying } from '@gatehousejs/core/testing';
import type { CompletionsChunk, ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';
import * as wire from './fixtures/wire.js';

const API = 'https://api.mistral.ai';
const KEY = 'mst-3f7a9c0e1b2d4e5f8a9b0c1d2e3f4a5b';

describe('mistral: completions (through chat) and embeddings', () => {
  const mock = agentPerTest({ beforeEach, afterEach });
  let instance: ProviderInstance;
  beforeEach(async () => {
    instance = await instanceOf(provider, { mistral_api_key: KEY }, replaying(mock.agent));
  });

  it('sends the prompt as one user message to chat and answers a text_completion', async () => {
    const sent = answer(mock.agent, API, '/v1/chat/completions', { body: wire.chatResponse });
    const res = await instance.completions!({ model: 'mistral-small-latest', prompt: ['Name a French cheese.'], max_tokens: 20, temperature: 0.5, echo: false }, callContext());
    expect(sent.requests[0]!.body).to.deep.equal({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'Name a French cheese.' }], max_tokens: 20, temperature: 0.375 });
    expect(res).to.deep.equal({
      id: wire.chatResponse.id,
      object: 'text_completion',
      created: 1702256327,
      model: 'mistral-large-latest',
      choices: [{ index: 0, text: 'The best French cheese depends on your taste; Comté is a classic.', logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 16, completion_tokens: 34, total_tokens: 50 },
    });
  });

  it('refuses what chat cannot do with a 400 naming Mistral', async () => {
    for (const [extra, param] of [
      [{ prompt: ['one', 'two'] }, 'prompt'],
      [{ prompt: [1, 2, 3] }, 'prompt'],
      [{ echo: true }, 'echo'],
      [{ suffix: '}' }, 'suffix'],
      [{ best_of: 3 }, 'best_of'],
    ] as const) {
      const error = await rejection(instance.completions!({ model: 'm', prompt: 'x', ...(extra as object) } as never, callContext()));
      expect(error.status, param).to.equal(400);
      expect(error.message).to.match(new RegExp(`^${param}: .*\\(provider Mistral\\)\\.$`));
    }
  });

  it('streams text_completion chunks from a recorded chat stream, usage last', async () => {
    answer(mock.agent, API, '/v1/chat/completions', { body: wire.chatStream });
    const chunks = await collect<CompletionsChunk>(
      instance.completionsStream!({ model: 'mistral-large-latest', prompt: 'What is Coca-Cola?', stream: true, stream_options: { include_usage: true } }, callContext()),
    );
    for (const chunk of chunks) expect(chunk).to.deep.include({ id: 'f798ebd5c41a45d88bb079635121cade', object: 'text_completion', model: 'mistral-large-latest' });
    expect(chunks.map((c) => ({ choices: c.choices, usage: c.usage }))).to.deep.equal([
      { choices: [{ index: 0, text: 'Coca', logprobs: null, finish_reason: null }], usage: undefined },
      { choices: [{ index: 0, text: '-Cola is a carbonated', logprobs: null, finish_reason: null }], usage: undefined },
      { choices: [{ index: 0, text: ' soft drink. ☕ Très connu.', logprobs: null, finish_reason: 'length' }], usage: undefined },
      { choices: [], usage: { prompt_tokens: 34, completion_tokens: 100, total_tokens: 134 } },
    ]);
  });

  it('posts embeddings with dimensions renamed to output_dimension', async () => {
    const sent = answer(mock.agent, API, '/v1/embeddings', { body: wire.embeddingsResponse });
    const res = await instance.embeddings!({ model: 'mistral-embed', input: ['a', 'b'], dimensions: 256, user: 'u-1' }, callContext());
    expect(sent.requests[0]).to.deep.include({
      method: 'POST',
      path: '/v1/embeddings',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: { model: 'mistral-embed', input: ['a', 'b'], output_dimension: 256 },
    });
    expect(res.data.map((d) => [d.index, d.embedding[0]])).to.deep.equal([[0, -0.016632080078125], [1, -0.0230560302734375]]);
    expect(res.usage).to.deep.equal({ prompt_tokens: 15, total_tokens: 15, completion_tokens: 0 });
  });

  it('honours mistral_api_base', async () => {
    const proxied = await instanceOf(provider, { mistral_api_key: KEY, mistral_api_base: 'https://llm-proxy.example.com/mistral/v1/' }, mock.agent);
    const sent = answer(mock.agent, 'https://llm-proxy.example.com', '/mistral/v1/embeddings', { body: wire.embeddingsResponse });
    await proxied.embeddings!({ model: 'mistral-embed', input: 'a' }, callContext());
    expect(sent.requests).to.have.length(1);
  });
});
