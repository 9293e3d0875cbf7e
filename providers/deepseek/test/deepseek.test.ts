// DeepSeek: chat at {base}/chat/completions, completions through the FIM beta endpoint
// {base}/beta/completions, n refused, a recorded reasoner stream and DeepSeek's error body.
import { expect } from 'chai';
import { agentPerTest, answer, callContext, collect, instanceOf, rejection, replaying } from '@gatehousejs/core/testing';
import { conformanceAnswer } from '@gatehousejs/provider-openai-compatible/testing';
import type { ChatChunk, ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';
import * as wire from './fixtures/wire.js';

const API = 'https://api.deepseek.com';
const KEY = 'sk-4f2d9c8b7a6e5d4c3b2a1f0e9d8c7b6a';
const HEADERS = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

describe('deepseek', () => {
  const mock = agentPerTest({ beforeEach, afterEach });
  let instance: ProviderInstance;
  beforeEach(async () => {
    instance = await instanceOf(provider, { deepseek_api_key: KEY }, replaying(mock.agent), { model: 'deepseek-chat' });
  });

  it('posts chat to https://api.deepseek.com/chat/completions with tools as they are', async () => {
    const request = {
      model: 'deepseek-chat',
      messages: [{ role: 'user' as const, content: 'Weather in Hangzhou?' }],
      tools: [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } } }],
      tool_choice: 'required' as const,
      temperature: 1.3,
      response_format: { type: 'text' as const },
    };
    const sent = answer(mock.agent, API, '/chat/completions', conformanceAnswer('chat', 'deepseek-chat', 'Sunny.', ''));
    const res = await instance.chat!(structuredClone(request), callContext());
    expect(sent.requests[0]).to.deep.include({ method: 'POST', path: '/chat/completions', headers: HEADERS, body: request });
    expect(res.choices[0]!.message.content).to.equal('Sunny.');
  });

  it('sends completions to the FIM beta endpoint, with prompt and suffix', async () => {
    const sent = answer(mock.agent, API, '/beta/completions', { body: wire.fimResponse });
    const res = await instance.completions!({ model: 'deepseek-chat', prompt: 'def fib(a):', suffix: '    return fib(a-1) + fib(a-2)', max_tokens: 128 }, callContext());
    expect(sent.requests[0]).to.deep.include({
      method: 'POST',
      path: '/beta/completions',
      headers: HEADERS,
      body: { model: 'deepseek-chat', prompt: 'def fib(a):', suffix: '    return fib(a-1) + fib(a-2)', max_tokens: 128 },
    });
    expect(res.choices[0]).to.deep.include({ index: 0, text: '\n    if a <= 1:\n        return a\n', finish_reason: 'stop' });
    expect(res.usage).to.deep.include({ prompt_tokens: 18, completion_tokens: 14, total_tokens: 32 });
  });

  it('refuses n > 1 with a 400 naming DeepSeek, for chat and completions', async () => {
    const chat = await rejection(instance.chat!({ model: 'deepseek-chat', messages: [{ role: 'user', content: 'hi' }], n: 2 }, callContext()));
    expect([chat.status, chat.message]).to.deep.equal([400, 'n: DeepSeek returns a single choice; only n=1 is supported (provider DeepSeek).']);
    expect((await rejection(instance.completions!({ model: 'deepseek-chat', prompt: 'x', n: 4 }, callContext()))).status).to.equal(400);
  });

  it('has no embeddings (core answers 501)', () => {
    expect(instance.embeddings).to.equal(undefined);
  });

  it('streams a recorded deepseek-reasoner answer, reasoning_content included, usage last', async () => {
    answer(mock.agent, API, '/chat/completions', { body: wire.reasonerStream });
    const chunks = await collect<ChatChunk>(
      instance.chatStream!({ model: 'deepseek-reasoner', messages: [{ role: 'user', content: '9.11 or 9.8?' }], stream: true, stream_options: { include_usage: true } }, callContext()),
    );
    expect(chunks.map((c) => c.choices[0]?.delta.reasoning_content ?? '').join('')).to.equal('9.11 < 9.8 since 0.11 < 0.8.');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('9.8 is greater.');
    expect(chunks[4]).to.deep.include({ choices: [] });
    expect(chunks[4]!.usage).to.deep.include({ prompt_tokens: 17, completion_tokens: 24, total_tokens: 41 });
  });

  it('keeps DeepSeek\'s 402 and message', async () => {
    answer(mock.agent, API, '/chat/completions', { status: 402, body: wire.insufficientBalance });
    const error = await rejection(instance.chat!({ model: 'deepseek-chat', messages: [{ role: 'user', content: 'hi' }] }, callContext()));
    expect([error.status, error.message]).to.deep.equal([402, 'DeepSeek rejected the request (402): Insufficient Balance']);
  });

  it('honours deepseek_api_base for both paths', async () => {
    const other = await instanceOf(provider, { deepseek_api_key: KEY, deepseek_api_base: 'https://deepseek-proxy.example.com/api/' }, mock.agent);
    const sent = answer(mock.agent, 'https://deepseek-proxy.example.com', '/api/beta/completions', { body: wire.fimResponse });
    await other.completions!({ model: 'deepseek-chat', prompt: 'x' }, callContext());
    expect(sent.requests).to.have.length(1);
  });
});
