import { expect } from 'chai';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import { defineProvider } from '@gatehousejs/core';
import logger from '../src/index.js';

const SECRET = 'sk-logger-test-secret-000111';

const echo = defineProvider({
  id: 'echo-for-logger',
  apiVersion: 1,
  secretOptions: ['api_key'],
  optionsSchema: { type: 'object', properties: { api_key: { type: 'string' } } },
  create: (_options, services) => ({
    async chat() {
      return {
        id: 'x',
        object: 'chat.completion' as const,
        created: 1,
        model: services.model,
        choices: [{ index: 0, message: { role: 'assistant' as const, content: 'ok' }, finish_reason: 'stop' as const }],
        usage: { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 },
      };
    },
  }),
});

describe('logger plugin', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({
      config: { endpoints: [{ name: 'chat', endpoint_type: 'llm/v1/chat', model: { provider: 'echo-for-logger', name: 'm1', config: { api_key: SECRET } } }] },
      providers: [echo],
      plugins: [{ definition: logger, options: { level: 'info' } }],
      discover: false,
    });
  });
  after(() => gw.close());

  const access = async (requestId: string) => {
    for (let i = 0; i < 50; i++) {
      const line = gw.logs.find((l) => l.includes(`"requestId":"${requestId}"`) && l.includes('"message":"request"'));
      if (line) return JSON.parse(line) as Record<string, unknown>;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no access line for ${requestId}`);
  };

  it('writes one JSON access line per request with endpoint, status, latency and tokens', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'x-request-id': 'log-1', authorization: `Bearer ${SECRET}` },
      body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'secret stuff' }] }),
    });
    expect(res.status).to.equal(200);
    const line = await access('log-1');
    expect(line).to.include({ endpoint: 'chat', provider: 'echo-for-logger', model: 'm1', status: 200, total_tokens: 5, prompt_tokens: 4, surface: 'openai' });
    expect(line.latency_ms).to.be.a('number');
  });

  it('logs failures with their code and never a credential, header or body', async () => {
    await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'x-request-id': 'log-2', authorization: `Bearer ${SECRET}` },
      body: JSON.stringify({ model: 'missing', messages: [{ role: 'user', content: 'secret stuff' }] }),
    });
    const line = await access('log-2');
    expect(line).to.include({ status: 404, error_code: 'GW_ERR_ENDPOINT_NOT_FOUND', requested: 'missing' });
    const all = gw.logs.join('\n');
    expect(all).to.not.contain(SECRET);
    expect(all).to.not.contain('secret stuff');
    expect(all).to.not.contain('authorization');
  });
});
