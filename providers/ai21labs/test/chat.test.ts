// AI21 answers (https://docs.ai21.com/reference/jamba-api-response,
// https://docs.ai21.com/reference/j2-complete-ref) and error bodies → OpenAI-format answers and coded errors.
import { expect } from 'chai';
import type { ChatRequest, ProviderInstance } from '@gatehousejs/core';
import { callContext, providerPerTest, rejection } from '@gatehousejs/core/testing';
import { API_KEY, J2_MODEL, J2_PATH, MODEL, fixture, fixtureJson, instance, intercept, interceptChat } from './helpers.js';

const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], ...extra });

describe('ai21labs: answers', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  it('answers a chat completion in OpenAI’s shape, keeping AI21’s id, model and usage', async () => {
    interceptChat(mock.agent, { body: fixture('chat-text.jsonc') });
    const before = Math.floor(Date.now() / 1000);
    const res = await mock.provider.chat!(request(), callContext());
    expect(res.created).to.be.within(before, before + 2);
    expect({ ...res, created: 0 }).to.deep.equal({
      id: 'chat-6e3b2f0c-1d54-4a5b-9e3a-0f2c9d8e7b61',
      object: 'chat.completion',
      created: 0,
      model: 'jamba-large-1.7-2025-07',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'Hello! Grüße aus 東京 ☀️ How can I help you today?', refusal: null }, finish_reason: 'stop', logprobs: null },
      ],
      usage: { prompt_tokens: 144, completion_tokens: 23, total_tokens: 167 },
    });
  });

  it('answers n choices natively, with their own finish reasons, and the request’s model when AI21 names none', async () => {
    interceptChat(mock.agent, { body: fixture('chat-n.jsonc') });
    const res = await mock.provider.chat!(request({ n: 2 }), callContext());
    expect(res.model).to.equal(MODEL);
    expect(res.choices.map((c) => [c.index, c.message.content, c.finish_reason])).to.deep.equal([
      [0, 'Red.', 'stop'],
      [1, 'Blue, because', 'length'],
    ]);
  });

  it('answers tool calls with null content, arguments as JSON strings, finish_reason tool_calls', async () => {
    interceptChat(mock.agent, { body: fixture('chat-tool-calls.jsonc') });
    const res = await mock.provider.chat!(request(), callContext());
    const choice = res.choices[0]!;
    expect(choice.finish_reason).to.equal('tool_calls');
    expect(choice.message.content).to.equal(null);
    expect(choice.message.tool_calls).to.deep.equal([
      { id: 'call_62136354', type: 'function', function: { name: 'get_order_delivery_date', arguments: '{"order_id": "12345"}' } },
      { id: 'call_62136355', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Tel Aviv"}' } },
    ]);
  });

  it('reads an unknown finish reason as stop', async () => {
    const answer = fixtureJson<{ choices: Array<Record<string, unknown>> }>('chat-conformance.jsonc');
    answer.choices[0]!.finish_reason = 'eos';
    interceptChat(mock.agent, { body: JSON.stringify(answer) });
    expect((await mock.provider.chat!(request(), callContext())).choices[0]!.finish_reason).to.equal('stop');
  });

  it('fails with a 502 naming AI21 on a 200 that is not JSON or not a chat completion', async () => {
    interceptChat(mock.agent, { body: 'upstream connect error' });
    const notJson = await rejection(mock.provider.chat!(request(), callContext()));
    expect(notJson.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect(notJson.status).to.equal(502);
    expect(notJson.message).to.contain('AI21');
    interceptChat(mock.agent, { body: JSON.stringify({ id: 'x', choices: [] }) });
    expect((await rejection(mock.provider.chat!(request(), callContext()))).code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    interceptChat(mock.agent, { body: JSON.stringify({ id: 'x', choices: [{ index: 0, finish_reason: 'stop' }] }) });
    expect((await rejection(mock.provider.chat!(request(), callContext()))).code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
  });

  it('keeps AI21’s status and message on 4xx, Retry-After on 429, and maps 5xx to 502; never the key', async () => {
    interceptChat(mock.agent, { status: 422, body: fixture('error-bad-request.jsonc') });
    const invalid = await rejection(mock.provider.chat!(request(), callContext()));
    expect(invalid.status).to.equal(422);
    expect(invalid.message).to.contain('less than or equal to 4096');

    interceptChat(mock.agent, { status: 401, body: fixture('error-unauthorized.jsonc') });
    const unauthorized = await rejection(mock.provider.chat!(request(), callContext()));
    expect(unauthorized.status).to.equal(401);
    expect(unauthorized.message).to.contain('Bad or missing API token');

    interceptChat(mock.agent, { status: 429, body: fixture('error-rate-limit.jsonc'), headers: { 'content-type': 'application/json', 'retry-after': '7' } });
    const limited = await rejection(mock.provider.chat!(request(), callContext()));
    expect(limited.status).to.equal(429);
    expect(limited.retryAfter).to.equal(7);

    interceptChat(mock.agent, { status: 503, body: fixture('error-server.jsonc') });
    const server = await rejection(mock.provider.chat!(request(), callContext()));
    expect(server.status).to.equal(502);
    expect(server.message).to.contain('AI21');

    for (const error of [invalid, unauthorized, limited, server]) expect(error.message).to.not.contain(API_KEY);
  });

  it('answers a completion on a Jamba model as text_completion', async () => {
    interceptChat(mock.agent, { body: fixture('chat-n.jsonc') });
    const res = await mock.provider.completions!({ model: MODEL, prompt: 'Favourite colour?', n: 2 }, callContext());
    expect({ ...res, created: 0 }).to.deep.equal({
      id: 'chat-0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
      object: 'text_completion',
      created: 0,
      model: MODEL,
      choices: [
        { index: 0, text: 'Red.', finish_reason: 'stop', logprobs: null },
        { index: 1, text: 'Blue, because', finish_reason: 'length', logprobs: null },
      ],
      usage: { prompt_tokens: 30, completion_tokens: 8, total_tokens: 38 },
    });
  });

  describe('J2 complete', () => {
    let j2: ProviderInstance;
    beforeEach(async () => {
      j2 = await instance(mock.agent, undefined, J2_MODEL);
    });

    it('answers completions as text_completion choices, usage counted from the token lists', async () => {
      intercept(mock.agent, J2_PATH, { body: fixture('j2-complete.jsonc') });
      const res = await j2.completions!({ model: J2_MODEL, prompt: 'I will', n: 2 }, callContext());
      expect({ ...res, created: 0 }).to.deep.equal({
        id: '7921a78e-d905-c9df-27e3-88e4831e3c3b',
        object: 'text_completion',
        created: 0,
        model: J2_MODEL,
        choices: [
          { index: 0, text: ' complete this', finish_reason: 'length', logprobs: null },
          { index: 1, text: ' go.', finish_reason: 'stop', logprobs: null },
        ],
        // 1 prompt token; 2 + 3 completion tokens.
        usage: { prompt_tokens: 1, completion_tokens: 5, total_tokens: 6 },
      });
    });

    it('maps the stop-sequence reason to stop and leaves usage out when AI21 sends no token lists', async () => {
      const answer = fixtureJson<Record<string, unknown>>('j2-conformance.jsonc');
      delete (answer.prompt as Record<string, unknown>).tokens;
      intercept(mock.agent, J2_PATH, { body: JSON.stringify(answer) });
      const res = await j2.completions!({ model: J2_MODEL, prompt: 'Say hello.' }, callContext());
      expect(res.choices[0]!.finish_reason).to.equal('stop');
      expect(res).to.not.have.property('usage');
    });

    it('fails with a 502 naming AI21 on an answer without completions or text', async () => {
      intercept(mock.agent, J2_PATH, { body: JSON.stringify({ id: 'x', prompt: {} }) });
      const error = await rejection(j2.completions!({ model: J2_MODEL, prompt: 'x' }, callContext()));
      expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
      expect(error.message).to.contain('AI21');
      intercept(mock.agent, J2_PATH, { body: JSON.stringify({ id: 'x', completions: [{ data: {} }] }) });
      expect((await rejection(j2.completions!({ model: J2_MODEL, prompt: 'x' }, callContext()))).code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    });

    it('keeps AI21’s status and message on a J2 error', async () => {
      intercept(mock.agent, J2_PATH, { status: 404, body: JSON.stringify({ detail: 'Model j2-ultra not found' }) });
      const error = await rejection(j2.completions!({ model: J2_MODEL, prompt: 'x' }, callContext()));
      expect(error.status).to.equal(404);
      expect(error.message).to.contain('Model j2-ultra not found');
    });
  });

  it('refuses to start without a key or a model name', async () => {
    const failure = async (options: Record<string, unknown>, model: string): Promise<unknown> => {
      try {
        await instance(mock.agent, options, model);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(((await failure({ ai21labs_api_key: '' }, MODEL)) as { code?: string }).code).to.equal('GW_ERR_CONFIG_INVALID');
    expect(((await failure({ ai21labs_api_key: API_KEY }, '')) as { code?: string }).code).to.equal('GW_ERR_CONFIG_INVALID');
  });
});
