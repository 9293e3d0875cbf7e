// TGI's error answers ({"error": "...", "error_type": "..."}, with 422 / 424 / 429 / 500) mapped
// to the gateway's statuses with TGI's message kept and no secret in it; transport failures.
import { expect } from 'chai';
import { agentPerTest, callContext, rejection } from '@gatehousejs/core/testing';
import type { ChatRequest, CompletionsRequest } from '@gatehousejs/core';
import { MODEL, TOKEN, fixture, instance, intercept } from './helpers.js';

const completion: CompletionsRequest = { model: MODEL, prompt: 'What is Deep Learning?' };
const chat: ChatRequest = { model: MODEL, messages: [{ role: 'user', content: 'Hi' }] };

describe('huggingface-tgi errors', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  it('keeps a 422 validation error with TGI’s message, and never the token', async () => {
    intercept(mock.agent, '/generate', { status: 422, body: fixture('error-validation.jsonc') });
    const tgi = await instance(mock.agent, { hf_api_token: TOKEN });
    const error = await rejection(tgi.completions!(completion, callContext()));
    expect(error.status).to.equal(422);
    expect(error.code).to.equal('GW_ERR_UPSTREAM_ERROR');
    expect(error.message).to.contain('Hugging Face TGI').and.contain('Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096');
    expect(error.message).to.not.contain(TOKEN);
    expect(JSON.stringify(error.upstreamBody)).to.contain('"error_type":"validation"');
  });

  it('answers 429 "Model is overloaded" as a rate limit with Retry-After', async () => {
    intercept(mock.agent, '/generate', { status: 429, body: fixture('error-overloaded.jsonc'), headers: { 'retry-after': '3' } });
    const tgi = await instance(mock.agent);
    const error = await rejection(tgi.completions!(completion, callContext()));
    expect(error.status).to.equal(429);
    expect(error.retryAfter).to.equal(3);
    expect(error.message).to.contain('Model is overloaded');
  });

  it('keeps the 424 of a failed generation', async () => {
    intercept(mock.agent, '/generate', { status: 424, body: fixture('error-generation.jsonc') });
    const tgi = await instance(mock.agent);
    const error = await rejection(tgi.completions!(completion, callContext()));
    expect(error.status).to.equal(424);
    expect(error.message).to.contain('CUDA out of memory');
  });

  it('maps a 500 to a 502 that keeps the message', async () => {
    intercept(mock.agent, '/generate', { status: 500, body: fixture('error-incomplete.jsonc') });
    const tgi = await instance(mock.agent);
    const error = await rejection(tgi.completions!(completion, callContext()));
    expect(error.status).to.equal(502);
    expect(error.message).to.contain('Incomplete generation');
  });

  it('rejects a stream before any chunk when TGI answers an error status', async () => {
    intercept(mock.agent, '/generate_stream', { status: 422, body: fixture('error-validation.jsonc') });
    const tgi = await instance(mock.agent);
    const error = await rejection(Promise.resolve(tgi.completionsStream!({ ...completion, stream: true }, callContext())));
    expect(error.status).to.equal(422);
  });

  it('keeps the Messages API’s error message', async () => {
    intercept(mock.agent, '/v1/chat/completions', { status: 422, body: JSON.stringify({ error: 'Template error: Conversation roles must alternate user/assistant/user/assistant/...', error_type: 'template_error' }) });
    const tgi = await instance(mock.agent);
    const error = await rejection(tgi.chat!(chat, callContext()));
    expect(error.status).to.equal(422);
    expect(error.message).to.contain('Conversation roles must alternate');
  });

  it('answers 504 when TGI does not answer in time', async () => {
    intercept(mock.agent, '/generate', { body: fixture('generate.jsonc'), delay: 2_000 });
    const tgi = await instance(mock.agent);
    const error = await rejection(tgi.completions!(completion, callContext({ timeoutMs: 50 })));
    expect(error.status).to.equal(504);
    expect(error.message).to.contain('Hugging Face TGI');
  });

  it('answers 502 when TGI cannot be reached', async () => {
    // Net connect is disabled and nothing intercepts: the connection fails.
    const tgi = await instance(mock.agent);
    const error = await rejection(tgi.completions!(completion, callContext()));
    expect(error.status).to.equal(502);
    expect(error.message).to.contain('Hugging Face TGI');
  });
});
