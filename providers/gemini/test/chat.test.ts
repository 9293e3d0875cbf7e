// Gemini generateContent answers (https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse)
// and Google error bodies (https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes) → OpenAI chat answers and errors.
import { expect } from 'chai';
import type { ChatRequest, ProviderInstance } from '@gatehousejs/core';
import { callContext, providerPerTest, rejection } from '@gatehousejs/core/testing';
import { API_KEY, JSON_HEADERS, MODEL, PATHS, fixture, instance, intercept, interceptGenerate } from './helpers.js';

const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], ...extra });

describe('gemini: chat answers', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  it('joins the text parts into the message and reads usage, id and model version', async () => {
    interceptGenerate(mock.agent, 'generate-text.jsonc');
    const before = Math.floor(Date.now() / 1000);
    const res = await mock.provider.chat!(request(), callContext());
    expect(res.created).to.be.within(before, before + 5);
    expect({ ...res, created: 0 }).to.deep.equal({
      id: 'lAc3aYnGIPWtz7IP0uKJ0Qc',
      object: 'chat.completion',
      created: 0,
      model: 'gemini-2.0-flash',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'AI learns patterns from data to make predictions — schnell ☀️.', refusal: null },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 8, completion_tokens: 12, total_tokens: 20, prompt_tokens_details: { cached_tokens: 0 } },
    });
  });

  it('turns functionCall parts into tool_calls with ids, JSON arguments and the thought signature; finish is tool_calls', async () => {
    interceptGenerate(mock.agent, 'generate-function-call.jsonc');
    const res = await mock.provider.chat!(request({ tools: [{ type: 'function', function: { name: 'get_weather' } }] }), callContext());
    const choice = res.choices[0]!;
    expect(choice.finish_reason).to.equal('tool_calls');
    expect(choice.message.content).to.equal('Let me check both cities.');
    const calls = choice.message.tool_calls!;
    expect(calls).to.have.length(2);
    for (const call of calls) expect(call.id).to.match(/^call-[\w-]{16}$/);
    expect(calls[0]!.id).to.not.equal(calls[1]!.id);
    expect(calls.map(({ id: _id, ...rest }) => rest)).to.deep.equal([
      {
        type: 'function',
        function: { name: 'get_weather', arguments: '{"location":"Paris","unit":"celsius"}' },
        extra_content: { google: { thought_signature: 'CiQBcsjafP0lpHnKzHhjdnBZvFYmTuw/c8sgZtXUgPQJa5qgAEE=' } },
      },
      { type: 'function', function: { name: 'get_weather', arguments: '{"location":"Tokyo","unit":"celsius"}' } },
    ]);
    // Thinking tokens count as completion (reasoning) tokens, as OpenAI counts them.
    expect(res.usage).to.deep.equal({
      prompt_tokens: 83,
      completion_tokens: 134,
      total_tokens: 217,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 104 },
    });
  });

  it('round-trips tool calls: the answer’s calls sent back reach Gemini as the same functionCall parts', async () => {
    interceptGenerate(mock.agent, 'generate-function-call.jsonc');
    const first = await mock.provider.chat!(request(), callContext());
    const message = first.choices[0]!.message;
    const captured = interceptGenerate(mock.agent, 'generate-text.jsonc');
    await mock.provider.chat!(
      request({
        messages: [
          { role: 'user', content: 'Weather?' },
          { role: 'assistant', content: message.content, tool_calls: message.tool_calls! },
          { role: 'tool', tool_call_id: message.tool_calls![0]!.id, content: '{"temperature":18}' },
          { role: 'tool', tool_call_id: message.tool_calls![1]!.id, content: '{"temperature":24}' },
        ],
      }),
      callContext(),
    );
    expect(captured.body.contents).to.deep.equal([
      { role: 'user', parts: [{ text: 'Weather?' }] },
      {
        role: 'model',
        parts: [
          { text: 'Let me check both cities.' },
          {
            functionCall: { name: 'get_weather', args: { location: 'Paris', unit: 'celsius' } },
            thoughtSignature: 'CiQBcsjafP0lpHnKzHhjdnBZvFYmTuw/c8sgZtXUgPQJa5qgAEE=',
          },
          { functionCall: { name: 'get_weather', args: { location: 'Tokyo', unit: 'celsius' } } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { temperature: 18 } } },
          { functionResponse: { name: 'get_weather', response: { temperature: 24 } } },
        ],
      },
    ]);
  });

  it('answers content null beside tool calls when there is no text, and {} for a call without args', async () => {
    interceptGenerate(mock.agent, 'generate-function-call-only.jsonc');
    const res = await mock.provider.chat!(request(), callContext());
    const choice = res.choices[0]!;
    expect(choice.message.content).to.equal(null);
    expect(choice.finish_reason).to.equal('tool_calls');
    expect(choice.message.tool_calls![0]!.function).to.deep.equal({ name: 'get_time', arguments: '{}' });
    expect(choice.message.tool_calls![0]).to.not.have.property('extra_content');
  });

  it('maps a SAFETY finish to content_filter with null content', async () => {
    interceptGenerate(mock.agent, 'generate-safety.jsonc');
    const res = await mock.provider.chat!(request(), callContext());
    expect(res.choices).to.deep.equal([{ index: 0, message: { role: 'assistant', content: null, refusal: null }, finish_reason: 'content_filter', logprobs: null }]);
    expect(res.usage).to.deep.equal({ prompt_tokens: 14, completion_tokens: 0, total_tokens: 14, prompt_tokens_details: { cached_tokens: 0 } });
  });

  it('maps MAX_TOKENS to length', async () => {
    interceptGenerate(mock.agent, 'generate-max-tokens.jsonc');
    const res = await mock.provider.chat!(request({ max_tokens: 10 }), callContext());
    expect(res.choices[0]!.finish_reason).to.equal('length');
    expect(res.choices[0]!.message.content).to.equal('Once upon a time, in a land far');
  });

  it('answers a blocked prompt with a 400 naming the block reason and the blocked category', async () => {
    interceptGenerate(mock.agent, 'generate-blocked-prompt.jsonc');
    const error = await rejection(mock.provider.chat!(request(), callContext()));
    expect(error.status).to.equal(400);
    expect(error.type).to.equal('invalid_request_error');
    expect(error.message).to.equal('Gemini blocked the prompt (SAFETY: HARM_CATEGORY_HARASSMENT).');
  });

  it('answers one choice per candidate, ordered by index, without thought summaries; cached tokens reported', async () => {
    interceptGenerate(mock.agent, 'generate-candidates.jsonc');
    const res = await mock.provider.chat!(request({ n: 2 }), callContext());
    expect(res.model).to.equal('gemini-2.5-flash');
    expect(res.choices.map((c) => [c.index, c.message.content, c.finish_reason])).to.deep.equal([
      [0, 'Green.', 'stop'],
      [1, 'Blue.', 'stop'],
    ]);
    expect(res.usage).to.deep.equal({
      prompt_tokens: 2100,
      completion_tokens: 29,
      total_tokens: 2129,
      prompt_tokens_details: { cached_tokens: 2048 },
      completion_tokens_details: { reasoning_tokens: 25 },
    });
  });

  it('returns JSON-mode output as the message text', async () => {
    interceptGenerate(mock.agent, 'generate-json.jsonc');
    const res = await mock.provider.chat!(request({ response_format: { type: 'json_object' } }), callContext());
    expect(JSON.parse(res.choices[0]!.message.content!)).to.deep.equal([{ recipeName: 'Chocolate Chip Cookies', ingredients: ['flour', 'butter', 'chocolate chips'] }]);
  });

  it('makes up an id and uses the endpoint’s model when the answer has neither', async () => {
    const body = JSON.stringify({ candidates: [{ content: { parts: [{ text: 'ok' }], role: 'model' }, finishReason: 'STOP' }] });
    intercept(mock.agent, PATHS.generate, { body });
    const res = await mock.provider.chat!(request(), callContext());
    expect(res.id).to.match(/^chatcmpl-/);
    expect(res.model).to.equal(MODEL);
    expect(res.choices[0]!.message.content).to.equal('ok');
    expect(res.usage).to.deep.equal({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, prompt_tokens_details: { cached_tokens: 0 } });
  });

  for (const [name, body] of [
    ['a body that is not JSON', '<html>Bad gateway</html>'],
    ['a body without candidates', '{"usageMetadata": {"promptTokenCount": 3}}'],
    ['a JSON array', '[{"candidates": []}]'],
  ] as const) {
    it(`answers ${name} with a 502 naming Gemini`, async () => {
      intercept(mock.agent, PATHS.generate, { body, headers: { 'content-type': 'text/html' } });
      const error = await rejection(mock.provider.chat!(request(), callContext()));
      expect(error.status).to.equal(502);
      expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
      expect(error.message).to.contain('Gemini');
    });
  }
});

describe('gemini: upstream errors', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  it('keeps a 400 INVALID_ARGUMENT with Google’s message', async () => {
    interceptGenerate(mock.agent, 'error-invalid-argument.jsonc', 400);
    const error = await rejection(mock.provider.chat!(request({ temperature: 3 }), callContext()));
    expect(error.status).to.equal(400);
    expect(error.code).to.equal('GW_ERR_UPSTREAM_ERROR');
    expect(error.message).to.contain('generation_config.temperature: must be in the range [0.0, 2.0]');
    expect(error.message).to.contain('Gemini');
  });

  it('keeps the invalid-key 400 without echoing the key', async () => {
    interceptGenerate(mock.agent, 'error-api-key.jsonc', 400);
    const error = await rejection(mock.provider.chat!(request(), callContext()));
    expect(error.status).to.equal(400);
    expect(error.message).to.contain('API key not valid');
    expect(error.message).to.not.contain(API_KEY);
  });

  it('keeps a 403 PERMISSION_DENIED', async () => {
    interceptGenerate(mock.agent, 'error-permission-denied.jsonc', 403);
    const error = await rejection(mock.provider.chat!(request(), callContext()));
    expect(error.status).to.equal(403);
    expect(error.message).to.contain('unregistered callers');
  });

  it('maps 429 RESOURCE_EXHAUSTED to 429 with Retry-After from Google’s RetryInfo', async () => {
    interceptGenerate(mock.agent, 'error-resource-exhausted.jsonc', 429);
    const error = await rejection(mock.provider.chat!(request(), callContext()));
    expect(error.status).to.equal(429);
    expect(error.code).to.equal('GW_ERR_RATE_LIMITED');
    expect(error.retryAfter).to.equal(27);
    expect(error.message).to.contain('You exceeded your current quota');
  });

  it('prefers a Retry-After header to RetryInfo', async () => {
    interceptGenerate(mock.agent, 'error-resource-exhausted.jsonc', 429, { ...JSON_HEADERS, 'retry-after': '5' });
    const error = await rejection(mock.provider.chat!(request(), callContext()));
    expect(error.retryAfter).to.equal(5);
  });

  it('maps 500 INTERNAL and 503 UNAVAILABLE to 502 with Google’s message', async () => {
    interceptGenerate(mock.agent, 'error-internal.jsonc', 500);
    const internal = await rejection(mock.provider.chat!(request(), callContext()));
    expect(internal.status).to.equal(502);
    expect(internal.message).to.contain('An internal error has occurred');
    interceptGenerate(mock.agent, 'error-unavailable.jsonc', 503);
    const unavailable = await rejection(mock.provider.chat!(request(), callContext()));
    expect(unavailable.status).to.equal(502);
    expect(unavailable.message).to.contain('The model is overloaded');
  });

  it('answers 504 when Gemini does not answer within the call’s timeout', async () => {
    intercept(mock.agent, PATHS.generate, { body: fixture('generate-text.jsonc'), delay: 5_000 });
    const error = await rejection(mock.provider.chat!(request(), callContext({ timeoutMs: 50 })));
    expect(error.status).to.equal(504);
    expect(error.code).to.equal('GW_ERR_UPSTREAM_TIMEOUT');
  });
});
