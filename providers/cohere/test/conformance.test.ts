// The shared provider conformance suite from core, fed with Cohere's v2 wire format:
// https://docs.cohere.com/reference/chat, https://docs.cohere.com/reference/chat-stream,
// https://docs.cohere.com/reference/embed, https://docs.cohere.com/reference/errors.
import { answer, runProviderConformance, type Reply, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { API_KEY, BASE, CHAT_PATH, EMBED_PATH, MODEL, fixture } from './helpers.js';

/** The path asked and the answer, per scenario (`hang`: an answer that comes too late). */
const ANSWERS: Record<Scenario, [string, Reply]> = {
  chat: [CHAT_PATH, { body: fixture('chat-conformance.jsonc') }],
  completions: [CHAT_PATH, { body: fixture('chat-conformance.jsonc') }],
  chatStream: [CHAT_PATH, { body: fixture('stream-conformance.sse') }],
  completionsStream: [CHAT_PATH, { body: fixture('stream-conformance.sse') }],
  embeddings: [EMBED_PATH, { body: fixture('embed-conformance.jsonc') }],
  badRequest: [CHAT_PATH, { status: 400, body: fixture('error-conformance.jsonc') }],
  serverError: [CHAT_PATH, { status: 500, body: fixture('error-server.jsonc') }],
  hang: [CHAT_PATH, { body: fixture('chat-conformance.jsonc'), delay: 10_000 }],
};

function arrange(scenario: Scenario, agent: MockAgent): void {
  const [path, reply] = ANSWERS[scenario];
  answer(agent, BASE, path, reply);
}

runProviderConformance({
  name: 'cohere',
  provider,
  options: { cohere_api_key: API_KEY },
  model: MODEL,
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: true },
  arrange,
});
