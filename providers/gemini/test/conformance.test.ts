// The shared provider conformance suite from core, fed with the Gemini API's wire format:
// https://ai.google.dev/api/generate-content, https://ai.google.dev/api/embeddings,
// https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes.
import { runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { API_KEY, JSON_HEADERS, MODEL, ORIGIN, PATHS, SSE_HEADERS, fixture } from './helpers.js';

function arrange(scenario: Scenario, agent: MockAgent): void {
  const pool = agent.get(ORIGIN);
  const post = (path: string) => pool.intercept({ path, method: 'POST' });
  switch (scenario) {
    case 'chat':
    case 'completions':
      post(PATHS.generate).reply(200, fixture('generate-conformance.jsonc'), { headers: { ...JSON_HEADERS } });
      break;
    case 'chatStream':
    case 'completionsStream':
      post(PATHS.stream).reply(200, fixture('stream-conformance.sse'), { headers: { ...SSE_HEADERS } });
      break;
    case 'embeddings':
      post(PATHS.batchEmbed).reply(200, fixture('batch-embed-conformance.jsonc'), { headers: { ...JSON_HEADERS } });
      break;
    case 'badRequest':
      // The suite sends the 400 case to chat and to chatStream.
      pool.intercept({ path: (p: string) => p === PATHS.generate || p === PATHS.stream, method: 'POST' }).reply(400, fixture('error-conformance.jsonc'), {
        headers: { ...JSON_HEADERS },
      });
      break;
    case 'serverError':
      post(PATHS.generate).reply(500, fixture('error-internal.jsonc'), { headers: { ...JSON_HEADERS } });
      break;
    case 'hang':
      post(PATHS.generate).reply(200, fixture('generate-conformance.jsonc'), { headers: { ...JSON_HEADERS } }).delay(10_000);
      break;
  }
}

runProviderConformance({
  name: 'gemini',
  provider,
  options: { gemini_api_key: API_KEY },
  model: MODEL,
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: true },
  arrange,
});
