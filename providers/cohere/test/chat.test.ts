// Cohere v2 answers (https://docs.cohere.com/reference/chat, https://docs.cohere.com/reference/embed)
// and error bodies (https://docs.cohere.com/reference/errors) → OpenAI-format answers and coded errors.
import { expect } from 'chai';
import type { ChatRequest, ProviderInstance } from '@gatehousejs/core';
import { callContext, providerPerTest, rejection } from '@gatehousejs/core/testing';
import { API_KEY, EMBED_MODEL, EMBED_PATH, MODEL, fixture, fixtureJson, instance, intercept, interceptChat } from './helpers.js';

const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], ...extra });

describe('cohere: answers', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  it('answers a text response as chat.completion, with usage from usage.tokens and cached tokens', async () => {
    interceptChat(mock.agent, { body: fixture('chat-text.jsonc') });
    const before = Math.floor(Date.now() / 1000);
    const res = await mock.provider.chat!(request(), callContext());
    expect(res.created).to.be.within(before, before + 2);
    expect({ ...res, created: 0 }).to.deep.equal({
      id: 'c14c80c3-18eb-4519-9460-6c92edd8cfb4',
      object: 'chat.completion',
      created: 0,
      model: MODEL,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'LLMs are large language models: neural networks trained on text. Grüße aus 東京 ☀️', refusal: null },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      // usage.tokens (71/420), not billed_units (5/418).
      usage: { prompt_tokens: 71, completion_tokens: 420, total_tokens: 491, prompt_tokens_details: { cached_tokens: 64 } },
    });
  });

  it('answers a tool-calling turn with tool_calls, the tool plan as content and finish_reason tool_calls', async () => {
    interceptChat(mock.agent, { body: fixture('chat-tool-calls.jsonc') });
    const res = await mock.provider.chat!(request(), callContext());
    const choice = res.choices[0]!;
    expect(choice.finish_reason).to.equal('tool_calls');
    expect(choice.message.content).to.equal('I will look up the weather in Madrid and Brasilia.');
    expect(choice.message.tool_calls).to.deep.equal([
      { id: 'get_weather_1byjy32y4hvq', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Madrid"}' } },
      { id: 'get_weather_pr0hc4x9qkpe', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Brasilia"}' } },
    ]);
    expect(res.usage).to.deep.equal({ prompt_tokens: 913, completion_tokens: 81, total_tokens: 994 });
  });

  it('gives null content for a tool call without a plan, and "{}" for Cohere’s "null" arguments', async () => {
    interceptChat(mock.agent, { body: fixture('chat-tool-null-args.jsonc') });
    const res = await mock.provider.chat!(request(), callContext());
    expect(res.choices[0]!.message.content).to.equal(null);
    expect(res.choices[0]!.message.tool_calls).to.deep.equal([{ id: 'get_time_m3q1c4x0ab12', type: 'function', function: { name: 'get_time', arguments: '{}' } }]);
  });

  it('maps MAX_TOKENS to length and falls back to billed_units when usage.tokens is absent', async () => {
    interceptChat(mock.agent, { body: fixture('chat-max-tokens.jsonc') });
    const res = await mock.provider.chat!(request(), callContext());
    expect(res.choices[0]!.finish_reason).to.equal('length');
    expect(res.usage).to.deep.equal({ prompt_tokens: 8, completion_tokens: 3, total_tokens: 11 });
  });

  it('maps the other finish reasons (any case) and reads an unknown one as stop', async () => {
    const answer = fixtureJson<{ finish_reason: string }>('chat-conformance.jsonc');
    for (const [reason, expected] of [
      ['STOP_SEQUENCE', 'stop'],
      ['tool_call', 'tool_calls'],
      ['CONTENT_BLOCKED', 'content_filter'],
      ['SOMETHING_NEW', 'stop'],
    ] as const) {
      interceptChat(mock.agent, { body: JSON.stringify({ ...answer, finish_reason: reason }) });
      expect((await mock.provider.chat!(request(), callContext())).choices[0]!.finish_reason, reason).to.equal(expected);
    }
  });

  it('answers finish_reason ERROR with a 502 naming Cohere', async () => {
    interceptChat(mock.agent, { body: fixture('chat-finish-error.jsonc') });
    const error = await rejection(mock.provider.chat!(request(), callContext()));
    expect(error.status).to.equal(502);
    expect(error.code).to.equal('GW_ERR_UPSTREAM_ERROR');
    expect(error.message).to.contain('Cohere').and.to.contain('ERROR');
  });

  it('leaves a reasoning model’s thinking out of the content', async () => {
    interceptChat(mock.agent, { body: fixture('chat-thinking.jsonc') });
    const res = await mock.provider.chat!(request(), callContext());
    expect(res.choices[0]!.message.content).to.equal('2 + 2 = 4.');
    expect(res.usage?.prompt_tokens_details).to.deep.equal({ cached_tokens: 1360 });
  });

  it('fails with a 502 naming Cohere on a 200 that is not JSON or not a chat response', async () => {
    interceptChat(mock.agent, { body: '<html>502 Bad Gateway</html>' });
    const notJson = await rejection(mock.provider.chat!(request(), callContext()));
    expect(notJson.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect(notJson.status).to.equal(502);
    expect(notJson.message).to.contain('Cohere');
    interceptChat(mock.agent, { body: JSON.stringify({ id: 'x', finish_reason: 'COMPLETE' }) });
    expect((await rejection(mock.provider.chat!(request(), callContext()))).code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    interceptChat(mock.agent, { body: JSON.stringify({ id: 'x', finish_reason: 'COMPLETE', message: { role: 'assistant', content: 'not a list' } }) });
    expect((await rejection(mock.provider.chat!(request(), callContext()))).code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
  });

  it('keeps Cohere’s status and message on 4xx, Retry-After on 429, and maps 5xx to 502; never the key', async () => {
    interceptChat(mock.agent, { status: 400, body: fixture('error-bad-request.jsonc') });
    const bad = await rejection(mock.provider.chat!(request(), callContext()));
    expect(bad.status).to.equal(400);
    expect(bad.message).to.contain('temperature must be between 0 and 1.0 inclusive');

    interceptChat(mock.agent, { status: 401, body: fixture('error-unauthorized.jsonc') });
    const unauthorized = await rejection(mock.provider.chat!(request(), callContext()));
    expect(unauthorized.status).to.equal(401);
    expect(unauthorized.message).to.contain('invalid api token');

    interceptChat(mock.agent, { status: 429, body: fixture('error-rate-limit.jsonc'), headers: { 'content-type': 'application/json', 'retry-after': '12' } });
    const limited = await rejection(mock.provider.chat!(request(), callContext()));
    expect(limited.status).to.equal(429);
    expect(limited.retryAfter).to.equal(12);
    expect(limited.message).to.contain('Trial key');

    interceptChat(mock.agent, { status: 500, body: fixture('error-server.jsonc') });
    const server = await rejection(mock.provider.chat!(request(), callContext()));
    expect(server.status).to.equal(502);
    expect(server.message).to.contain('internal server error');

    for (const error of [bad, unauthorized, limited, server]) expect(error.message).to.not.contain(API_KEY);
  });

  it('emulates n with parallel calls: n choices, every call’s tokens counted', async () => {
    const captured = interceptChat(mock.agent, { body: fixture('chat-text.jsonc'), times: 3 });
    const res = await mock.provider.chat!(request({ n: 3, temperature: 1 }), callContext());
    expect(captured.calls).to.equal(3);
    for (const body of captured.bodies) {
      expect(body).to.not.have.property('n');
      expect(body.temperature).to.equal(0.5);
    }
    expect(res.choices.map((c) => c.index)).to.deep.equal([0, 1, 2]);
    expect(res.choices.every((c) => c.message.content === res.choices[0]!.message.content)).to.equal(true);
    expect(res.usage).to.deep.equal({ prompt_tokens: 213, completion_tokens: 1260, total_tokens: 1473, prompt_tokens_details: { cached_tokens: 192 } });
  });

  it('fails an emulated n when one of the calls fails', async () => {
    interceptChat(mock.agent, { body: fixture('chat-text.jsonc') });
    interceptChat(mock.agent, { status: 400, body: fixture('error-bad-request.jsonc') });
    const error = await rejection(mock.provider.chat!(request({ n: 2 }), callContext()));
    expect(error.status).to.equal(400);
  });

  it('answers a completion as text_completion', async () => {
    interceptChat(mock.agent, { body: fixture('chat-max-tokens.jsonc') });
    const res = await mock.provider.completions!({ model: MODEL, prompt: 'Tell a story' }, callContext());
    expect({ ...res, created: 0 }).to.deep.equal({
      id: '9e2d1c0b-5a4f-4e3d-8c7b-6a5f4e3d2c1b',
      object: 'text_completion',
      created: 0,
      model: MODEL,
      choices: [{ index: 0, text: 'Once upon a', finish_reason: 'length', logprobs: null }],
      usage: { prompt_tokens: 8, completion_tokens: 3, total_tokens: 11 },
    });
  });

  it('emulates n for completions too', async () => {
    interceptChat(mock.agent, { body: fixture('chat-max-tokens.jsonc'), times: 2 });
    const res = await mock.provider.completions!({ model: MODEL, prompt: 'Tell a story', n: 2 }, callContext());
    expect(res.choices.map((c) => [c.index, c.text])).to.deep.equal([
      [0, 'Once upon a'],
      [1, 'Once upon a'],
    ]);
    expect(res.usage?.total_tokens).to.equal(22);
  });

  it('answers embeddings as float vectors in order, with billed input tokens as usage', async () => {
    intercept(mock.agent, EMBED_PATH, { body: fixture('embed.jsonc') });
    const res = await mock.provider.embeddings!({ model: EMBED_MODEL, input: ['sunny day at the beach', 'rainy day in the city'] }, callContext());
    expect(res).to.deep.equal({
      object: 'list',
      model: EMBED_MODEL,
      data: [
        { object: 'embedding', index: 0, embedding: [0.03302002, 0.020904541, -0.019744873, -0.0625] },
        { object: 'embedding', index: 1, embedding: [-0.04660034, 0.00037765503, -0.061157227, -0.08239746] },
      ],
      usage: { prompt_tokens: 10, total_tokens: 10 },
    });
  });

  it('fails with a 502 on an embed answer without float vectors', async () => {
    intercept(mock.agent, EMBED_PATH, { body: JSON.stringify({ id: 'x', embeddings: { int8: [[1]] }, response_type: 'embeddings_by_type' }) });
    const error = await rejection(mock.provider.embeddings!({ model: EMBED_MODEL, input: ['a'] }, callContext()));
    expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect(error.message).to.contain('Cohere');
  });

  it('refuses to start without a key', async () => {
    let thrown: unknown;
    try {
      await instance(mock.agent, { cohere_api_key: '' });
    } catch (error) {
      thrown = error;
    }
    expect((thrown as { code?: string }).code).to.equal('GW_ERR_CONFIG_INVALID');
  });
});
