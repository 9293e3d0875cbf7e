// The shared provider conformance suite from core, fed with MosaicML's wire format
// (https://docs.mosaicml.com/en/latest/inference.html: {"inputs": [...], "parameters": {...}} →
// {"outputs": [...]}). MosaicML has no streaming here: the instance offers no stream methods
// (core answers 501).
import { runProviderConformance, type Reply, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { API_KEY, CHAT_MODEL, fixture, intercept, path } from './helpers.js';

/** The predict API's answer per scenario (`hang`: an answer that comes too late). */
const ANSWERS: Record<Exclude<Scenario, 'chatStream' | 'completionsStream'>, Reply> = {
  chat: { body: fixture('predict-conformance.jsonc') },
  completions: { body: fixture('predict-conformance.jsonc') },
  embeddings: { body: { outputs: [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]] } },
  badRequest: { status: 400, body: fixture('error-conformance.jsonc') },
  serverError: { status: 500, body: fixture('error-internal.jsonc') },
  hang: { body: fixture('predict-conformance.jsonc'), delay: 10_000 },
};

function arrange(scenario: Scenario, agent: MockAgent): void {
  if (scenario === 'chatStream' || scenario === 'completionsStream') throw new Error('MosaicML has no streaming');
  intercept(agent, path(CHAT_MODEL), ANSWERS[scenario]);
}

runProviderConformance({
  name: 'mosaicml',
  provider,
  options: { mosaicml_api_key: API_KEY },
  model: CHAT_MODEL,
  supports: { chat: true, completions: true, embeddings: true },
  arrange,
});
