// Anthropic Messages answers (https://docs.anthropic.com/en/api/messages) and error bodies
// (https://docs.anthropic.com/en/api/errors) → OpenAI-format chat answers and coded errors.
import { expect } from 'chai';
import type { ChatRequest } from '@gatehousejs/core';
import { callContext, providerPerTest, rejection } from '@gatehousejs/core/testing';
import { API_KEY, MODEL, fixture, fixtureJson, instance, interceptMessages } from './helpers.js';

const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], ...extra });

describe('anthropic: chat answers', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  it('answers a text Message as chat.completion, keeping Anthropic’s id and model', async () => {
    interceptMessages(mock.agent, { body: fixture('message-text.jsonc') });
    const before = Math.floor(Date.now() / 1000);
    const res = await mock.provider.chat!(request(), callContext());
    expect(res.created).to.be.within(before, before + 2);
    expect({ ...res, created: 0 }).to.deep.equal({
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      object: 'chat.completion',
      created: 0,
      model: 'claude-3-7-sonnet-20250219',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi! My name is Claude.', refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 2095, completion_tokens: 503, total_tokens: 2598, prompt_tokens_details: { cached_tokens: 0 } },
    });
  });

  it('answers tool_use blocks as tool_calls, counting cached prompt tokens', async () => {
    interceptMessages(mock.agent, { body: fixture('message-tool-use.jsonc') });
    const res = await mock.provider.chat!(request(), callContext());
    const choice = res.choices[0]!;
    expect(choice.finish_reason).to.equal('tool_calls');
    expect(choice.message.content).to.equal("I'll check the current weather in San Francisco and New York for you.");
    expect(choice.message.tool_calls).to.deep.equal([
      { id: 'toolu_01A09q90qw90lq917835lq9', type: 'function', function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' } },
      { id: 'toolu_01B7xq2ZtnC8fBvzY3aLkQ4d', type: 'function', function: { name: 'get_weather', arguments: '{"location":"New York, NY","unit":"celsius"}' } },
    ]);
    // input 472 + cache writes 120 + cache reads 1800.
    expect(res.usage).to.deep.equal({ prompt_tokens: 2392, completion_tokens: 91, total_tokens: 2483, prompt_tokens_details: { cached_tokens: 1800 } });
  });

  it('gives null content when the answer is only tool calls', async () => {
    interceptMessages(mock.agent, { body: fixture('message-tool-only.jsonc') });
    const res = await mock.provider.chat!(request(), callContext());
    expect(res.choices[0]!.message.content).to.equal(null);
    expect(res.choices[0]!.message.tool_calls).to.deep.equal([
      { id: 'toolu_01NRLabsLyVHZPKxbKvkfSMn', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ]);
  });

  it('maps max_tokens to length and refusal to content_filter', async () => {
    interceptMessages(mock.agent, { body: fixture('message-max-tokens.jsonc') });
    expect((await mock.provider.chat!(request(), callContext())).choices[0]!.finish_reason).to.equal('length');
    interceptMessages(mock.agent, { body: fixture('message-refusal.jsonc') });
    expect((await mock.provider.chat!(request(), callContext())).choices[0]!.finish_reason).to.equal('content_filter');
  });

  it('skips thinking blocks', async () => {
    const message = fixtureJson<{ content: unknown[] }>('message-text.jsonc');
    message.content.unshift({ type: 'thinking', thinking: 'Let me think.', signature: 'EqQBCgIYAhIM' });
    interceptMessages(mock.agent, { body: JSON.stringify(message) });
    expect((await mock.provider.chat!(request(), callContext())).choices[0]!.message.content).to.equal('Hi! My name is Claude.');
  });

  it('fails with 502 on a 200 that is not a Message', async () => {
    interceptMessages(mock.agent, { body: '<html>502 Bad Gateway</html>' });
    const notJson = await rejection(mock.provider.chat!(request(), callContext()));
    expect(notJson.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect(notJson.status).to.equal(502);
    interceptMessages(mock.agent, { body: '{"type":"message"}' });
    const notMessage = await rejection(mock.provider.chat!(request(), callContext()));
    expect(notMessage.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
  });
});

describe('anthropic: upstream errors', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  const cases = [
    { name: '400 invalid_request_error', status: 400, file: 'error-invalid-request.jsonc', expectStatus: 400, code: 'GW_ERR_UPSTREAM_ERROR', text: 'roles must alternate' },
    { name: '401 authentication_error', status: 401, file: 'error-authentication.jsonc', expectStatus: 401, code: 'GW_ERR_UPSTREAM_ERROR', text: 'invalid x-api-key' },
    { name: '429 rate_limit_error', status: 429, file: 'error-rate-limit.jsonc', expectStatus: 429, code: 'GW_ERR_RATE_LIMITED', text: 'exceed the rate limit' },
    { name: '500 api_error', status: 500, file: 'error-api.jsonc', expectStatus: 502, code: 'GW_ERR_UPSTREAM_ERROR', text: 'Internal server error' },
    { name: '529 overloaded_error', status: 529, file: 'error-overloaded.jsonc', expectStatus: 502, code: 'GW_ERR_UPSTREAM_ERROR', text: 'Overloaded' },
  ] as const;

  for (const c of cases) {
    it(`maps ${c.name} to ${c.expectStatus}, keeping Anthropic's message and never the key`, async () => {
      interceptMessages(mock.agent, { status: c.status, body: fixture(c.file), headers: { 'content-type': 'application/json', 'retry-after': '17' } });
      const error = await rejection(mock.provider.chat!(request(), callContext()));
      expect(error.status).to.equal(c.expectStatus);
      expect(error.code).to.equal(c.code);
      expect(error.message).to.contain(c.text);
      expect(error.message).to.not.contain(API_KEY);
      expect(JSON.stringify(error.upstreamBody)).to.not.contain(API_KEY);
      if (c.status === 429) expect(error.retryAfter).to.equal(17);
    });
  }

  it('keeps upstream 4xx error types (for the native shape)', async () => {
    interceptMessages(mock.agent, { status: 401, body: fixture('error-authentication.jsonc') });
    const error = await rejection(mock.provider.chat!(request(), callContext()));
    expect(error.type).to.equal('authentication_error');
    expect(error.upstreamBody).to.deep.equal(fixtureJson('error-authentication.jsonc'));
  });

  it('stops promptly and reports a cancelled call when aborted', async () => {
    interceptMessages(mock.agent, { body: fixture('message-text.jsonc'), delay: 10_000 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 30);
    const error = await rejection(mock.provider.chat!(request(), callContext({ signal: controller.signal })));
    expect(Date.now() - started).to.be.lessThan(1000);
    expect(error.code).to.equal('GW_ERR_CLIENT_CLOSED');
  });

  it('answers 504 when Anthropic exceeds the time budget', async () => {
    interceptMessages(mock.agent, { body: fixture('message-text.jsonc'), delay: 10_000 });
    const error = await rejection(mock.provider.chat!(request(), callContext({ timeoutMs: 50 })));
    expect(error.code).to.equal('GW_ERR_UPSTREAM_TIMEOUT');
    expect(error.status).to.equal(504);
  });
});
