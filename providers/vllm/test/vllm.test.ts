// vLLM through its OpenAI-compatible server: the configured base, the optional key, every
// parameter passed as it is, a recorded stream, and vLLM's error body.
import { expect } from 'chai';
import { agentPerTest, answer, callContext, collect, createAjv, instanceOf, rejection, replaying } from '@gatehousejs/core/testing';
import type { ChatChunk, ChatRequest, ProviderInstance } from '@gatehousejs/core';
import provider from '../src/index.js';
import * as wire from './fixtures/wire.js';

const SERVER = 'http://vllm.internal:8000';
const MODEL = 'meta-llama/Llama-3.1-8B-Instruct';

describe('vllm', () => {
  const mock = agentPerTest({ beforeEach, afterEach });
  let instance: ProviderInstance;
  beforeEach(async () => {
    instance = await instanceOf(provider, { vllm_api_base: `${SERVER}/v1`, vllm_api_key: 'token-abc123' }, replaying(mock.agent), { model: MODEL });
  });

  it('requires vllm_api_base (there is no public default)', () => {
    const validate = createAjv().compile(provider.optionsSchema!);
    expect(validate({ vllm_api_key: 'k' })).to.equal(false);
    expect(validate({ vllm_api_base: 'http://localhost:8000/v1' })).to.equal(true);
  });

  it('posts chat to {vllm_api_base}/chat/completions with the key, every parameter as it is', async () => {
    const request = {
      model: MODEL,
      messages: [{ role: 'user', content: 'Give two answers.' }],
      n: 2,
      temperature: 1.2,
      logprobs: true,
      top_logprobs: 2,
      max_completion_tokens: 40,
      top_k: 20,
      guided_json: { type: 'object' },
    } as ChatRequest;
    const sent = answer(mock.agent, SERVER, '/v1/chat/completions', { body: wire.chatResponse });
    const res = await instance.chat!(structuredClone(request), callContext());
    expect(sent.requests[0]).to.deep.include({ method: 'POST', path: '/v1/chat/completions', headers: { authorization: 'Bearer token-abc123', 'content-type': 'application/json' }, body: request });
    expect(res.choices.map((c) => c.message.content)).to.deep.equal(['Two answers, as asked.', 'A second answer.']);
  });

  it('sends no auth header without vllm_api_key', async () => {
    const open = await instanceOf(provider, { vllm_api_base: 'http://localhost:8000/v1' }, mock.agent);
    const sent = answer(mock.agent, 'http://localhost:8000', '/v1/completions', { body: { id: 'cmpl-1', object: 'text_completion', created: 1, model: MODEL, choices: [{ index: 0, text: 'ok', finish_reason: 'stop' }] } });
    await open.completions!({ model: MODEL, prompt: 'x', best_of: 2, echo: true }, callContext());
    expect(sent.requests[0]!.headers).to.deep.equal({ 'content-type': 'application/json' });
    expect(sent.requests[0]!.body).to.deep.equal({ model: MODEL, prompt: 'x', best_of: 2, echo: true });
  });

  it('streams a recorded answer with the usage chunk last', async () => {
    answer(mock.agent, SERVER, '/v1/chat/completions', { body: wire.chatStream });
    const chunks = await collect<ChatChunk>(instance.chatStream!({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } }, callContext()));
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).to.equal('Hello there!');
    expect(chunks[3]).to.deep.include({ choices: [], usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 } });
  });

  it('keeps the status and vLLM\'s message of an error', async () => {
    answer(mock.agent, SERVER, '/v1/chat/completions', { status: 400, body: wire.contextError });
    const error = await rejection(instance.chat!({ model: MODEL, messages: [{ role: 'user', content: 'long' }] }, callContext()));
    expect([error.status, error.message]).to.deep.equal([400, `vLLM rejected the request (400): ${wire.contextError.message}`]);
  });
});
