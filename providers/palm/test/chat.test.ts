// PaLM API v1beta2 answers (generateMessage, generateText:
// https://developers.generativeai.google/api/rest/generativelanguage/models) and Google error
// bodies (https://cloud.google.com/apis/design/errors) → OpenAI-format answers and coded errors.
import { expect } from 'chai';
import type { ChatRequest, CompletionsRequest, ProviderInstance } from '@gatehousejs/core';
import { callContext, providerPerTest, rejection } from '@gatehousejs/core/testing';
import { API_KEY, CHAT_MODEL, TEXT_MODEL, fixture, fixtureJson, instance, intercept, path } from './helpers.js';

const chatRequest = (extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: CHAT_MODEL, messages: [{ role: 'user', content: 'hi' }], ...extra });
const chatPath = path(CHAT_MODEL, 'generateMessage');

describe('palm: chat answers', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  it('answers a generateMessage candidate as chat.completion with estimated usage', async () => {
    intercept(mock.agent, chatPath, { body: fixture('generate-message.jsonc') });
    const before = Math.floor(Date.now() / 1000);
    const res = await mock.provider.chat!(chatRequest({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }] }), callContext());
    expect(res.id).to.match(/^chatcmpl-/);
    expect(res.created).to.be.within(before, before + 2);
    expect({ ...res, id: '', created: 0 }).to.deep.equal({
      id: '',
      object: 'chat.completion',
      created: 0,
      model: CHAT_MODEL,
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi! How can I help you today?', refusal: null }, finish_reason: 'stop', logprobs: null }],
      // PaLM reports no token counts: ceil(chars / 4) of "Be brief.\nhi" (12) and of the answer (29).
      usage: { prompt_tokens: 3, completion_tokens: 8, total_tokens: 11 },
    });
  });

  it('answers several candidates (n) as several choices', async () => {
    intercept(mock.agent, chatPath, { body: fixture('generate-message-candidates.jsonc') });
    const res = await mock.provider.chat!(chatRequest({ n: 2 }), callContext());
    expect(res.choices.map((c) => [c.index, c.message.content, c.finish_reason])).to.deep.equal([
      [0, 'Bonjour !', 'stop'],
      [1, 'Salut, comment puis-je vous aider ?', 'stop'],
    ]);
    expect(res.usage!.completion_tokens).to.equal(3 + 9);
  });

  it('answers a blocked prompt (filters, no candidates) with a 400 of type content_filter', async () => {
    intercept(mock.agent, chatPath, { body: fixture('generate-message-blocked.jsonc') });
    const error = await rejection(mock.provider.chat!(chatRequest(), callContext()));
    expect(error.status).to.equal(400);
    expect(error.type).to.equal('content_filter');
    expect(error.message).to.equal('PaLM blocked the message: OTHER.');
    expect(error.upstreamBody).to.deep.equal(fixtureJson('generate-message-blocked.jsonc'));
  });

  it('fails with 502 on a 200 that is not a generateMessage answer', async () => {
    for (const body of ['<html>bad gateway</html>', '{}', '{"candidates":[]}', '{"candidates":[{"author":"1"}]}', '{"candidates":"Hi"}', '[]']) {
      intercept(mock.agent, chatPath, { body });
      const error = await rejection(mock.provider.chat!(chatRequest(), callContext()));
      expect(error.code, body).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
      expect(error.status).to.equal(502);
      expect(error.message).to.contain('PaLM');
    }
  });
});

describe('palm: completions answers', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, (dispatcher) => instance(dispatcher, TEXT_MODEL));

  const request = (extra: Partial<CompletionsRequest> = {}): CompletionsRequest => ({ model: TEXT_MODEL, prompt: 'Give an example of a title.', ...extra });

  it('answers generateText candidates as text_completion choices with estimated usage', async () => {
    intercept(mock.agent, path(TEXT_MODEL, 'generateText'), { body: fixture('generate-text.jsonc') });
    const res = await mock.provider.completions!(request({ n: 3 }), callContext());
    expect(res.object).to.equal('text_completion');
    expect(res.id).to.match(/^cmpl-/);
    expect(res.model).to.equal(TEXT_MODEL);
    expect(res.choices).to.deep.equal([0, 1, 2].map((index) => ({ index, text: 'The Backpack of Holding', finish_reason: 'stop', logprobs: null })));
    // "Give an example of a title." is 27 characters (7 tokens); each output 23 (6 tokens).
    expect(res.usage).to.deep.equal({ prompt_tokens: 7, completion_tokens: 18, total_tokens: 25 });
  });

  it('answers a prompt blocked by the safety settings with a 400 of type content_filter', async () => {
    intercept(mock.agent, path(TEXT_MODEL, 'generateText'), { body: fixture('generate-text-blocked.jsonc') });
    const error = await rejection(mock.provider.completions!(request(), callContext()));
    expect(error.status).to.equal(400);
    expect(error.type).to.equal('content_filter');
    expect(error.message).to.equal('PaLM blocked the prompt: SAFETY (The prompt was blocked by the safety settings.).');
  });

  it('fails with 502 on a candidate without output', async () => {
    intercept(mock.agent, path(TEXT_MODEL, 'generateText'), { body: '{"candidates":[{"safetyRatings":[]}]}' });
    const error = await rejection(mock.provider.completions!(request(), callContext()));
    expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
  });
});

describe('palm: upstream errors', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  const cases = [
    { name: '400 INVALID_ARGUMENT', status: 400, file: 'error-invalid-argument.jsonc', expectStatus: 400, code: 'GW_ERR_UPSTREAM_ERROR', text: 'API key not valid' },
    { name: '403 PERMISSION_DENIED', status: 403, file: 'error-permission-denied.jsonc', expectStatus: 403, code: 'GW_ERR_UPSTREAM_ERROR', text: 'has not been used in project' },
    { name: '404 NOT_FOUND', status: 404, file: 'error-not-found.jsonc', expectStatus: 404, code: 'GW_ERR_UPSTREAM_ERROR', text: 'is not found for API version v1beta2' },
    { name: '429 RESOURCE_EXHAUSTED', status: 429, file: 'error-resource-exhausted.jsonc', expectStatus: 429, code: 'GW_ERR_RATE_LIMITED', text: 'Resource has been exhausted' },
    { name: '500 INTERNAL', status: 500, file: 'error-internal.jsonc', expectStatus: 502, code: 'GW_ERR_UPSTREAM_ERROR', text: 'An internal error has occurred' },
    { name: '503 UNAVAILABLE', status: 503, file: 'error-unavailable.jsonc', expectStatus: 502, code: 'GW_ERR_UPSTREAM_ERROR', text: 'currently unavailable' },
  ] as const;

  for (const c of cases) {
    it(`maps ${c.name} to ${c.expectStatus}, keeping Google's message and never the key`, async () => {
      intercept(mock.agent, chatPath, { status: c.status, body: fixture(c.file), headers: { 'content-type': 'application/json', 'retry-after': '30' } });
      const error = await rejection(mock.provider.chat!(chatRequest(), callContext()));
      expect(error.status).to.equal(c.expectStatus);
      expect(error.code).to.equal(c.code);
      expect(error.message).to.contain(c.text);
      expect(error.message).to.contain('PaLM');
      expect(error.message).to.not.contain(API_KEY);
      expect(error.upstreamBody).to.deep.equal(fixtureJson(c.file));
      if (c.status === 429) expect(error.retryAfter).to.equal(30);
    });
  }

  it('stops promptly and reports a cancelled call when aborted', async () => {
    intercept(mock.agent, chatPath, { body: fixture('generate-message.jsonc'), delay: 10_000 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 30);
    const error = await rejection(mock.provider.chat!(chatRequest(), callContext({ signal: controller.signal })));
    expect(Date.now() - started).to.be.lessThan(1000);
    expect(error.code).to.equal('GW_ERR_CLIENT_CLOSED');
  });

  it('answers 504 when PaLM exceeds the time budget', async () => {
    intercept(mock.agent, chatPath, { body: fixture('generate-message.jsonc'), delay: 10_000 });
    const error = await rejection(mock.provider.chat!(chatRequest(), callContext({ timeoutMs: 50 })));
    expect(error.code).to.equal('GW_ERR_UPSTREAM_TIMEOUT');
    expect(error.status).to.equal(504);
  });
});
