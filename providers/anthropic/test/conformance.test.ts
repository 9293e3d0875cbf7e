// The shared provider conformance suite from core, fed with Anthropic's wire format:
// https://docs.anthropic.com/en/api/messages, https://docs.anthropic.com/en/api/messages-streaming,
// https://docs.anthropic.com/en/api/errors.
import { runProviderConformance, type Reply, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { API_KEY, MODEL, fixture, interceptMessages } from './helpers.js';

const ANSWERS: Record<Exclude<Scenario, 'embeddings'>, Reply> = {
  chat: { body: fixture('message-conformance.jsonc') },
  completions: { body: fixture('message-conformance.jsonc') },
  chatStream: { body: fixture('stream-conformance.sse') },
  completionsStream: { body: fixture('stream-conformance.sse') },
  badRequest: { status: 400, body: fixture('error-conformance.jsonc') },
  serverError: { status: 500, body: fixture('error-api.jsonc') },
  hang: { body: fixture('message-conformance.jsonc'), delay: 10_000 },
};

function arrange(scenario: Scenario, agent: MockAgent): void {
  if (scenario === 'embeddings') throw new Error('Anthropic has no embeddings API');
  interceptMessages(agent, ANSWERS[scenario]);
}

runProviderConformance({
  name: 'anthropic',
  provider,
  options: { anthropic_api_key: API_KEY },
  model: MODEL,
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: false },
  arrange,
});
