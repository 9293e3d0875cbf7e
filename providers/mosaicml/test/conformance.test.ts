// The shared provider conformance suite from core, fed with MosaicML's wire format
// (https://docs.mosaicml.com/en/latest/inference.html: {"inputs": [...], "parameters": {...}} →
// {"outputs": [...]}). MosaicML has no streaming here: the instance offers no stream methods
// (core answers 501).
import { runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { API_KEY, CHAT_MODEL, ORIGIN, fixture, path } from './helpers.js';

const JSON_HEADERS = { headers: { 'content-type': 'application/json' } };

function arrange(scenario: Scenario, agent: MockAgent): void {
  const pool = agent.get(ORIGIN);
  const predict = { path: path(CHAT_MODEL), method: 'POST' } as const;
  switch (scenario) {
    case 'chat':
    case 'completions':
      pool.intercept(predict).reply(200, fixture('predict-conformance.jsonc'), JSON_HEADERS);
      break;
    case 'embeddings':
      pool.intercept(predict).reply(200, JSON.stringify({ outputs: [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]] }), JSON_HEADERS);
      break;
    case 'badRequest':
      pool.intercept(predict).reply(400, fixture('error-conformance.jsonc'), JSON_HEADERS);
      break;
    case 'serverError':
      pool.intercept(predict).reply(500, fixture('error-internal.jsonc'), JSON_HEADERS);
      break;
    case 'hang':
      pool.intercept(predict).reply(200, fixture('predict-conformance.jsonc'), JSON_HEADERS).delay(10_000);
      break;
    case 'chatStream':
    case 'completionsStream':
      throw new Error('MosaicML has no streaming');
  }
}

runProviderConformance({
  name: 'mosaicml',
  provider,
  options: { mosaicml_api_key: API_KEY },
  model: CHAT_MODEL,
  supports: { chat: true, completions: true, embeddings: true },
  arrange,
});
