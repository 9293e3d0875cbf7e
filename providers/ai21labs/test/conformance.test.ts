// The shared provider conformance suite from core, fed with AI21's wire formats:
// chat completions (https://docs.ai21.com/reference/jamba-1-6-api-ref,
// https://docs.ai21.com/reference/jamba-api-response) and J2 complete
// (https://docs.ai21.com/reference/j2-complete-ref). Two endpoints: a Jamba model (chat and
// completions through the chat API, streams included) and a J2 model (completions through the
// J2 complete API, which has no streaming; chat still goes to the chat API).
import { runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { API_KEY, BASE, CHAT_PATH, J2_MODEL, J2_PATH, MODEL, SSE_HEADERS, fixture } from './helpers.js';

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
    case 'badRequest':
      pool.intercept(chat).reply(400, fixture('error-conformance.jsonc'), { headers: JSON_HEADERS });
      break;
    case 'serverError':
      pool.intercept(chat).reply(500, fixture('error-server.jsonc'), { headers: JSON_HEADERS });
      break;
    case 'hang':
      pool.intercept(chat).reply(200, fixture('chat-conformance.jsonc'), { headers: JSON_HEADERS }).delay(10_000);
      break;
    case 'embeddings':
      throw new Error('AI21 has no embeddings endpoint in this provider');
  }
}

runProviderConformance({
  name: 'ai21labs (Jamba model)',
  provider,
  options: { ai21labs_api_key: API_KEY },
  model: MODEL,
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: false },
  arrange,
});

runProviderConformance({
  name: 'ai21labs (J2 model)',
  provider,
  options: { ai21labs_api_key: API_KEY },
  model: J2_MODEL,
  supports: { chat: true, chatStream: true, completions: true, completionsStream: false, embeddings: false },
  arrange(scenario, agent) {
    if (scenario === 'completions') {
      agent.get(BASE).intercept({ path: J2_PATH, method: 'POST' }).reply(200, fixture('j2-conformance.jsonc'), { headers: JSON_HEADERS });
      return;
    }
    arrange(scenario, agent);
  },
});
