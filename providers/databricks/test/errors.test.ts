// Databricks' error answers ({"error_code", "message"}) mapped to the gateway's statuses with the
// message kept and the token never in it.
import { expect } from 'chai';
import { agentPerTest, callContext, rejection } from '@gatehousejs/core/testing';
import type { ChatRequest } from '@gatehousejs/core';
import { MODEL, PATH, TOKEN, fixture, instance, intercept } from './helpers.js';

const chat: ChatRequest = { model: MODEL, messages: [{ role: 'user', content: 'Hi' }] };

describe('databricks errors', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  const cases: [string, number, string, number, string][] = [
    ['a 400', 400, 'error-bad-request.jsonc', 400, "Bad request: parameter 'top_k' must be a positive integer."],
    ['a 401', 401, 'error-unauthenticated.jsonc', 401, 'Invalid access token.'],
    ['a 500 (as a 502)', 500, 'error-server.jsonc', 502, 'The server received an invalid response from an upstream server.'],
  ];
  for (const [name, status, file, expected, message] of cases) {
    it(`maps ${name} and keeps Databricks’ message, never the token`, async () => {
      intercept(mock.agent, PATH, { status, body: fixture(file) });
      const db = await instance(mock.agent);
      const error = await rejection(db.chat!(chat, callContext()));
      expect(error.status).to.equal(expected);
      expect(error.message).to.contain('Databricks Model Serving').and.contain(message);
      expect(error.message).to.not.contain(TOKEN);
    });
  }

  it('maps REQUEST_LIMIT_EXCEEDED to a 429 with Retry-After', async () => {
    intercept(mock.agent, PATH, { status: 429, body: fixture('error-rate-limit.jsonc'), headers: { 'retry-after': '12' } });
    const db = await instance(mock.agent);
    const error = await rejection(db.chat!(chat, callContext()));
    expect(error.status).to.equal(429);
    expect(error.retryAfter).to.equal(12);
    expect(error.message).to.contain('Exceeded workspace rate limit');
  });

  it('answers 504 when the endpoint does not answer in time', async () => {
    intercept(mock.agent, PATH, { body: fixture('chat.jsonc'), delay: 2_000 });
    const db = await instance(mock.agent);
    const error = await rejection(db.chat!(chat, callContext({ timeoutMs: 50 })));
    expect(error.status).to.equal(504);
  });
});
