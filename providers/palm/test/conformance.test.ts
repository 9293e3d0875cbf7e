// The shared provider conformance suite from core, fed with PaLM's wire format:
// https://developers.generativeai.google/api/rest/generativelanguage/models (generateMessage,
// generateText, embedText) and Google's error model, https://cloud.google.com/apis/design/errors.
// PaLM has no streaming: the instance offers no stream methods (core answers 501).
import { runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { API_KEY, CHAT_MODEL, ORIGIN, fixture, path } from './helpers.js';

const JSON_HEADERS = { headers: { 'content-type': 'application/json' } };

function arrange(scenario: Scenario, agent: MockAgent): void {
  const pool = agent.get(ORIGIN);
  const chat = { path: path(CHAT_MODEL, 'generateMessage'), method: 'POST' } as const;
  switch (scenario) {
    case 'chat':
      pool.intercept(chat).reply(200, fixture('generate-message-conformance.jsonc'), JSON_HEADERS);
      break;
    case 'completions':
      pool.intercept({ path: path(CHAT_MODEL, 'generateText'), method: 'POST' }).reply(200, fixture('generate-text-conformance.jsonc'), JSON_HEADERS);
      break;
    case 'embeddings': {
      // v1beta2 has no batchEmbedText: one embedText call per input.
      const embed = { path: path(CHAT_MODEL, 'embedText'), method: 'POST' } as const;
      pool.intercept(embed).reply(200, fixture('embed-text.jsonc'), JSON_HEADERS);
      pool.intercept(embed).reply(200, fixture('embed-text-b.jsonc'), JSON_HEADERS);
      break;
    }
    case 'badRequest':
      pool.intercept(chat).reply(400, fixture('error-conformance.jsonc'), JSON_HEADERS);
      break;
    case 'serverError':
      pool.intercept(chat).reply(500, fixture('error-internal.jsonc'), JSON_HEADERS);
      break;
    case 'hang':
      pool.intercept(chat).reply(200, fixture('generate-message-conformance.jsonc'), JSON_HEADERS).delay(10_000);
      break;
    case 'chatStream':
    case 'completionsStream':
      throw new Error('PaLM has no streaming');
  }
}

runProviderConformance({
  name: 'palm',
  provider,
  options: { palm_api_key: API_KEY },
  model: CHAT_MODEL,
  supports: { chat: true, completions: true, embeddings: true },
  arrange,
});
