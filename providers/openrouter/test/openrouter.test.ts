// OpenRouter: chat and completions under https://openrouter.ai/api/v1 with the optional
// attribution headers, n refused, recorded streams (keep-alive comments, a mid-stream error) and
// OpenRouter's error body.
import { expect } from 'chai';
import { agentPerTest, answer, callContext, collect, instanceOf, rejection, replaying } from '@gatehousejs/core/testing';
import type { ChatChunk, ChatRequest, ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';
import * as wire from './fixtures/wire.js';

const API = 'https://openrouter.ai';
const KEY = 'sk-or-v1-0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a6978';
const chat: ChatRequest = { model: 'anthropic/claude-3.5-sonnet', messages: [{ role: 'user', content: 'What is the meaning of life?' }] };

describe('openrouter', () => {
  const mock = agentPerTest({ beforeEach, afterEach });
  let instance: ProviderInstance;
  beforeEach(async () => {
    instance = await instanceOf(provider, { openrouter_api_key: KEY }, replaying(mock.agent), { model: 'anthropic/claude-3.5-sonnet' });
  });

  it('posts chat to https://openrouter.ai/api/v1/chat/completions with only the bearer key by default', async () => {
    const request = { ...chat, temperature: 0.9, top_k: 40, provider: { order: ['Anthropic'] }, n: 1 };
    const sent = answer(mock.agent, API, '/api/v1/chat/completions', { body: wire.chatResponse });
    const res = await instance.chat!(request, callContext());
    expect(sent.requests[0]).to.deep.include({
      method: 'POST',
      path: '/api/v1/chat/completions',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: { ...chat, temperature: 0.9, top_k: 40, provider: { order: ['Anthropic'] } },
    });
    expect(res.choices[0]!.message.content).to.equal('The meaning of life is a question people answer for themselves.');
  });

  it('sends openrouter_site_url and openrouter_app_name as HTTP-Referer and X-Title', async () => {
    const attributed = await instanceOf(provider, { openrouter_api_key: KEY, openrouter_site_url: 'https://gateway.example.com', openrouter_app_name: 'Example Gateway' }, mock.agent);
    const sent = answer(mock.agent, API, '/api/v1/completions', { body: wire.completionsResponse });
    const res = await attributed.completions!({ model: 'meta-llama/llama-3.1-8b-instruct', prompt: 'The sky is' }, callContext());
    expect(sent.requests[0]!.headers).to.deep.equal({
      authorization: `Bearer ${KEY}`,
      'http-referer': 'https://gateway.example.com',
      'x-title': 'Example Gateway',
      'content-type': 'application/json',
    });
    expect(res).to.deep.include({ object: 'text_completion', id: 'gen-1729170100-Ab3cD4eF5gH6iJ7k' });
    expect(res.choices[0]!.text).to.equal(' blue because of Rayleigh scattering.');
  });

  it('refuses n > 1 with a 400 naming OpenRouter', async () => {
    const error = await rejection(instance.chat!({ ...chat, n: 3 }, callContext()));
    expect([error.status, error.message]).to.deep.equal([400, 'n: OpenRouter returns a single choice; only n=1 is supported (provider OpenRouter).']);
  });

  it('has no embeddings (core answers 501)', () => {
    expect(instance.embeddings).to.equal(undefined);
  });

  it('streams a recorded answer past the keep-alive comments, with the usage message last', async () => {
    answer(mock.agent, API, '/api/v1/chat/completions', { body: wire.chatStream });
    const chunks = await collect<ChatChunk>(instance.chatStream!({ ...chat, model: 'openai/gpt-4o-mini', stream: true, stream_options: { include_usage: true } }, callContext()));
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('Hello from OpenRouter.');
    expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null)).to.deep.equal([null, 'stop', null]);
    expect(chunks[2]).to.deep.include({ choices: [] });
    expect(chunks[2]!.usage).to.deep.include({ prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 });
  });

  it('turns an error chunk mid-stream into a 502 with OpenRouter\'s message, after the text before it', async () => {
    answer(mock.agent, API, '/api/v1/chat/completions', { body: wire.streamWithError });
    const chunks: ChatChunk[] = [];
    const error = await rejection(
      (async () => {
        for await (const chunk of await instance.chatStream!({ ...chat, stream: true }, callContext())) chunks.push(chunk);
      })(),
    );
    expect(chunks.map((c) => c.choices[0]?.delta.content)).to.deep.equal(['Once upon']);
    expect([error.status, error.message]).to.deep.equal([502, 'OpenRouter reported an error mid-stream: Provider disconnected unexpectedly']);
  });

  it('keeps OpenRouter\'s 402 and message', async () => {
    answer(mock.agent, API, '/api/v1/chat/completions', { status: 402, body: wire.insufficientCredits });
    const error = await rejection(instance.chat!(chat, callContext()));
    expect([error.status, error.message]).to.deep.equal([402, `OpenRouter rejected the request (402): ${wire.insufficientCredits.error.message}`]);
    expect(error.message).to.not.contain(KEY);
  });
});
