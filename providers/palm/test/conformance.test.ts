// The shared provider conformance suite from core, fed with PaLM's wire format:
// https://developers.generativeai.google/api/rest/generativelanguage/models (generateMessage,
// generateText, embedText) and Google's error model, https://cloud.google.com/apis/design/errors.
// PaLM has no streaming: the instance offers no stream methods (core answers 501).
import { runProviderConformance, type Reply, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { API_KEY, CHAT_MODEL, fixture, intercept, path } from './helpers.js';

/**
 * The method asked and its answers, per scenario (`hang`: an answer that comes too late).
 * v1beta2 has no batchEmbedText: one embedText call per input.
 */
const ANSWERS: Record<Exclude<Scenario, 'chatStream' | 'completionsStream'>, [string, ...Reply[]]> = {
  chat: ['generateMessage', { body: fixture('generate-message-conformance.jsonc') }],
  completions: ['generateText', { body: fixture('generate-text-conformance.jsonc') }],
  embeddings: ['embedText', { body: fixture('embed-text.jsonc') }, { body: fixture('embed-text-b.jsonc') }],
  badRequest: ['generateMessage', { status: 400, body: fixture('error-conformance.jsonc') }],
  serverError: ['generateMessage', { status: 500, body: fixture('error-internal.jsonc') }],
  hang: ['generateMessage', { body: fixture('generate-message-conformance.jsonc'), delay: 10_000 }],
};

function arrange(scenario: Scenario, agent: MockAgent): void {
  if (scenario === 'chatStream' || scenario === 'completionsStream') throw new Error('PaLM has no streaming');
  const [method, ...replies] = ANSWERS[scenario];
  for (const reply of replies) intercept(agent, path(CHAT_MODEL, method), reply);
}

runProviderConformance({
  name: 'palm',
  provider,
  options: { palm_api_key: API_KEY },
  model: CHAT_MODEL,
  supports: { chat: true, completions: true, embeddings: true },
  arrange,
});
