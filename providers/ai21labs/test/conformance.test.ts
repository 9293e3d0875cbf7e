// The shared provider conformance suite from core, fed with AI21's wire formats:
// chat completions (https://docs.ai21.com/reference/jamba-1-6-api-ref,
// https://docs.ai21.com/reference/jamba-api-response) and J2 complete
// (https://docs.ai21.com/reference/j2-complete-ref). Two endpoints: a Jamba model (chat and
// completions through the chat API, streams included) and a J2 model (completions through the
// J2 complete API, which has no streaming; chat still goes to the chat API).
import { runProviderConformance, type Reply, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { API_KEY, J2_MODEL, J2_PATH, MODEL, fixture, intercept, interceptChat } from './helpers.js';

/** The chat API's answer per scenario (`hang`: an answer that comes too late). */
const ANSWERS: Record<Exclude<Scenario, 'embeddings'>, Reply> = {
  chat: { body: fixture('chat-conformance.jsonc') },
  completions: { body: fixture('chat-conformance.jsonc') },
  chatStream: { body: fixture('stream-conformance.sse') },
  completionsStream: { body: fixture('stream-conformance.sse') },
  badRequest: { status: 400, body: fixture('error-conformance.jsonc') },
  serverError: { status: 500, body: fixture('error-server.jsonc') },
  hang: { body: fixture('chat-conformance.jsonc'), delay: 10_000 },
};

function arrange(scenario: Scenario, agent: MockAgent): void {
  if (scenario === 'embeddings') throw new Error('AI21 has no embeddings endpoint in this provider');
  interceptChat(agent, ANSWERS[scenario]);
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
      intercept(agent, J2_PATH, { body: fixture('j2-conformance.jsonc') });
      return;
    }
    arrange(scenario, agent);
  },
});
