// Upstream failures as coded errors: status mapping, Retry-After, timeouts, aborts,
// unreachable servers, and no credential in any message.
import { expect } from 'chai';
import { agentPerTest, answer, callContext, instanceOf, rejection } from '@gatehousejs/core/testing';
import type { ChatRequest } from '@gatehousejs/core';
import provider from '../src/index.js';
import { badRequest, proxyHtml, rateLimited, serverError, unauthorized } from '../src/testing/fixtures/errors.js';

const ORIGIN = 'http://vllm.internal:8000';
const PATH = '/v1/chat/completions';
const KEY = 'sk-gatehouse-test-key-0123456789';
const chat = (): ChatRequest => ({ model: 'meta-llama/Llama-3.1-8B-Instruct', messages: [{ role: 'user', content: 'Hi' }] });

describe('openai-compatible upstream errors', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  const make = () => instanceOf(provider, { api_base: `${ORIGIN}/v1`, api_key: KEY }, mock.agent);

  it('keeps a 400 with the upstream message and type', async () => {
    const instance = await make();
    answer(mock.agent, ORIGIN, PATH, { status: 400, body: badRequest });
    const error = await rejection(instance.chat!(chat(), callContext()));
    expect(error.status).to.equal(400);
    expect(error.code).to.equal('GW_ERR_UPSTREAM_ERROR');
    expect(error.type).to.equal('invalid_request_error');
    expect(error.message).to.contain(badRequest.error.message);
    expect(error.upstreamBody).to.deep.equal(badRequest);
  });

  it('keeps a 401 and never puts the configured key in the message', async () => {
    const instance = await make();
    answer(mock.agent, ORIGIN, PATH, { status: 401, body: unauthorized });
    const error = await rejection(instance.chat!(chat(), callContext()));
    expect(error.status).to.equal(401);
    expect(error.message).to.contain('Incorrect API key provided');
    expect(error.message).to.not.contain(KEY);
    expect(JSON.stringify(error.upstreamBody)).to.not.contain(KEY);
  });

  it('maps 429 to a rate-limit error carrying Retry-After', async () => {
    const instance = await make();
    answer(mock.agent, ORIGIN, PATH, { status: 429, body: rateLimited, headers: { 'retry-after': '20', 'x-ratelimit-remaining-requests': '0' } });
    const error = await rejection(instance.chat!(chat(), callContext()));
    expect(error.status).to.equal(429);
    expect(error.code).to.equal('GW_ERR_RATE_LIMITED');
    expect(error.retryAfter).to.equal(20);
    expect(error.message).to.contain('Please try again in 20s');
  });

  it('maps 500 and an HTML 502 from a proxy to 502', async () => {
    const instance = await make();
    answer(mock.agent, ORIGIN, PATH, { status: 500, body: serverError });
    const five = await rejection(instance.chat!(chat(), callContext()));
    expect(five.status).to.equal(502);
    expect(five.message).to.contain('(500)');
    expect(five.message).to.contain('The server had an error');

    answer(mock.agent, ORIGIN, PATH, { status: 502, body: proxyHtml, headers: { 'content-type': 'text/html' } });
    const html = await rejection(instance.chat!(chat(), callContext()));
    expect(html.status).to.equal(502);
    expect(html.message).to.contain('(502)');
  });

  it('maps the same statuses on streaming and embeddings calls', async () => {
    const instance = await make();
    answer(mock.agent, ORIGIN, PATH, { status: 429, body: rateLimited, headers: { 'retry-after': '3' } });
    const stream = await rejection(Promise.resolve(instance.chatStream!({ ...chat(), stream: true }, callContext())));
    expect(stream.status).to.equal(429);
    expect(stream.retryAfter).to.equal(3);

    answer(mock.agent, ORIGIN, '/v1/embeddings', { status: 503, body: serverError });
    const embeddings = await rejection(instance.embeddings!({ model: 'e5', input: 'a' }, callContext()));
    expect(embeddings.status).to.equal(502);
  });

  it('answers 504 when the upstream does not answer within the call timeout', async () => {
    const instance = await make();
    answer(mock.agent, ORIGIN, PATH, { body: serverError, delay: 5_000 });
    const started = Date.now();
    const error = await rejection(instance.chat!(chat(), callContext({ timeoutMs: 50 })));
    expect(error.status).to.equal(504);
    expect(error.code).to.equal('GW_ERR_UPSTREAM_TIMEOUT');
    expect(Date.now() - started).to.be.lessThan(2_000);
  });

  it('answers 499 promptly when the caller aborts', async () => {
    const instance = await make();
    answer(mock.agent, ORIGIN, PATH, { body: serverError, delay: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    const error = await rejection(instance.chat!(chat(), callContext({ signal: controller.signal })));
    expect(error.code).to.equal('GW_ERR_CLIENT_CLOSED');
    expect(Date.now() - started).to.be.lessThan(2_000);
  });

  it('answers 502 when the server cannot be reached, naming neither the URL nor the key', async () => {
    const instance = await make();
    mock.agent
      .get(ORIGIN)
      .intercept({ path: PATH, method: 'POST' })
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:8000'), { code: 'ECONNREFUSED' }));
    const error = await rejection(instance.chat!(chat(), callContext()));
    expect(error.status).to.equal(502);
    expect(error.code).to.equal('GW_ERR_UPSTREAM_UNAVAILABLE');
    expect(error.message).to.equal('Could not reach OpenAI-compatible upstream: ECONNREFUSED.');
  });
});
