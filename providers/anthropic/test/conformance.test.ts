// The shared provider conformance suite from core, fed with Anthropic's wire format:
// https://docs.anthropic.com/en/api/messages, https://docs.anthropic.com/en/api/messages-streaming,
// https://docs.anthropic.com/en/api/errors.
import { runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { API_KEY, BASE, MODEL, SSE_HEADERS, fixture } from './helpers.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

function arrange(scenario: Scenario, agent: MockAgent): void {
  const pool = agent.get(BASE);
  const messages = { path: '/v1/messages', method: 'POST' } as const;
  switch (scenario) {
    case 'chat':
    case 'completions':
      pool.intercept(messages).reply(200, fixture('message-conformance.jsonc'), { headers: JSON_HEADERS });
      break;
    case 'chatStream':
    case 'completionsStream':
      pool.intercept(messages).reply(200, fixture('stream-conformance.sse'), { headers: { ...SSE_HEADERS } });
      break;
    case 'badRequest':
      pool.intercept(messages).reply(400, fixture('error-conformance.jsonc'), { headers: JSON_HEADERS });
      break;
    case 'serverError':
      pool.intercept(messages).reply(500, fixture('error-api.jsonc'), { headers: JSON_HEADERS });
      break;
    case 'hang':
      pool.intercept(messages).reply(200, fixture('message-conformance.jsonc'), { headers: JSON_HEADERS }).delay(10_000);
      break;
    case 'embeddings':
      throw new Error('Anthropic has no embeddings API');
  }
}

runProviderConformance({
  name: 'anthropic',
  provider,
  options: { anthropic_api_key: API_KEY },
  model: MODEL,
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: false },
  arrange,
});
