// Groq: chat only, the fields Groq refuses refused first (400 naming Groq), a recorded stream and
// Groq's error bodies.
import { expect } from 'chai';
import { agentPerTest, answer, callContext, collect, instanceOf, rejection, replaying } from '@gatehousejs/core/testing';
import type { ChatChunk, ChatRequest, ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';
import * as wire from './fixtures/wire.js';

const API = 'https://api.groq.com';
const CHAT = '/openai/v1/chat/completions';
const KEY = 'gsk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP';
const MODEL = 'llama-3.3-70b-versatile';

describe('groq', () => {
  const mock = agentPerTest({ beforeEach, afterEach });
  let instance: ProviderInstance;
  beforeEach(async () => {
    instance = await instanceOf(provider, { groq_api_key: KEY }, replaying(mock.agent), { model: MODEL });
  });

  it('has chat only: completions and embeddings are left out (core answers 501)', () => {
    expect(Object.keys(instance).filter((k) => typeof instance[k as keyof ProviderInstance] === 'function').sort()).to.deep.equal(['chat', 'chatStream']);
  });

  it('posts chat to https://api.groq.com/openai/v1/chat/completions; names are left out of the messages', async () => {
    const sent = answer(mock.agent, API, CHAT, { body: wire.chatResponse });
    const res = await instance.chat!(
      {
        model: MODEL,
        messages: [
          { role: 'system', content: 'Be concise.' },
          { role: 'user', name: 'bob', content: 'Why do fast language models matter?' },
        ],
        temperature: 0.5,
        max_completion_tokens: 128,
        n: 1,
        logprobs: false,
        stop: ['\n\n'],
      },
      callContext(),
    );
    expect(sent.requests[0]).to.deep.include({
      method: 'POST',
      path: CHAT,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: {
        model: MODEL,
        messages: [{ role: 'system', content: 'Be concise.' }, { role: 'user', content: 'Why do fast language models matter?' }],
        temperature: 0.5,
        max_completion_tokens: 128,
        stop: ['\n\n'],
      },
    });
    expect(res.choices[0]!.message.content).to.equal('Fast language models matter because latency shapes every interaction.');
    expect(res.usage).to.deep.include({ prompt_tokens: 18, completion_tokens: 12, total_tokens: 30 });
  });

  it('refuses what Groq answers 400 to, with a 400 naming Groq and no upstream call', async () => {
    const base: ChatRequest = { model: MODEL, messages: [{ role: 'user', content: 'hi' }] };
    for (const [extra, param] of [
      [{ n: 2 }, 'n'],
      [{ logprobs: true }, 'logprobs'],
      [{ top_logprobs: 2 }, 'top_logprobs'],
      [{ logit_bias: { '50256': -100 } }, 'logit_bias'],
    ] as const) {
      const error = await rejection(instance.chat!({ ...base, ...extra }, callContext()));
      expect(error.status, param).to.equal(400);
      expect(error.message).to.match(new RegExp(`^${param}: Groq .*\\(provider Groq\\)\\.$`));
    }
  });

  it('streams a recorded answer with the usage chunk last', async () => {
    const sent = answer(mock.agent, API, CHAT, { body: wire.chatStream });
    const chunks = await collect<ChatChunk>(instance.chatStream!({ model: MODEL, messages: [{ role: 'user', content: 'Why?' }], stream: true, stream_options: { include_usage: true } }, callContext()));
    expect(sent.requests[0]!.body).to.deep.include({ stream: true, stream_options: { include_usage: true } });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('Low latency matters.');
    expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).to.deep.equal(['stop']);
    expect(chunks[4]).to.deep.include({ choices: [] });
    expect(chunks[4]!.usage).to.deep.include({ prompt_tokens: 18, completion_tokens: 4, total_tokens: 22 });
  });

  it('keeps the status and Groq\'s message of an error; 429 keeps Retry-After', async () => {
    const request: ChatRequest = { model: 'llama-9-405b', messages: [{ role: 'user', content: 'hi' }] };
    answer(mock.agent, API, CHAT, { status: 404, body: wire.modelNotFound });
    const missing = await rejection(instance.chat!(request, callContext()));
    expect([missing.status, missing.message]).to.deep.equal([404, `Groq rejected the request (404): ${wire.modelNotFound.error.message}`]);

    answer(mock.agent, API, CHAT, { status: 429, body: wire.rateLimited, headers: { 'retry-after': '2' } });
    const limited = await rejection(Promise.resolve(instance.chatStream!({ ...request, stream: true }, callContext())));
    expect([limited.status, limited.retryAfter]).to.deep.equal([429, 2]);
    expect(limited.message).to.not.contain(KEY);
  });
});
