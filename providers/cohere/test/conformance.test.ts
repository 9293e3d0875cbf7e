// The shared provider conformance suite from core, fed with Cohere's v2 wire format:
// https://docs.cohere.com/reference/chat, https://docs.cohere.com/reference/chat-stream,
// https://docs.cohere.com/reference/embed, https://docs.cohere.com/reference/errors.
import { runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { API_KEY, BASE, CHAT_PATH, EMBED_PATH, MODEL, SSE_HEADERS, fixture } from './helpers.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

function arrange(scenario: Scenario, agent: MockAgent): void {
  const pool = agent.get(BASE);
  const chat = { path: CHAT_PATH, method: 'POST' } as const;
  switch (scenario) {
    case 'chat':
    case 'completions':
      pool.intercept(chat).reply(200, fixture('chat-conformance.jsonc'), { headers: JSON_HEADERS });
      break;
    case 'chatStream':
    case 'completionsStream':
      pool.intercept(chat).reply(200, fixture('stream-conformance.sse'), { headers: { ...SSE_HEADERS } });
      break;
    case 'embeddings':
      pool.intercept({ path: EMBED_PATH, method: 'POST' }).reply(200, fixture('embed-conformance.jsonc'), { headers: JSON_HEADERS });
      break;
    case 'badRequest':
      pool.intercept(chat).reply(400, fixture('error-conformance.jsonc'), { headers: JSON_HEADERS });
      break;
    case 'serverError':
      pool.intercept(chat).reply(500, fixture('error-server.jsonc'), { headers: JSON_HEADERS });
      break;
    case 'hang':
      pool.intercept(chat).reply(200, fixture('chat-conformance.jsonc'), { headers: JSON_HEADERS }).delay(10_000);
      break;
  }
}

runProviderConformance({
  name: 'cohere',
  provider,
  options: { cohere_api_key: API_KEY },
  model: MODEL,
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: true },
  arrange,
});
