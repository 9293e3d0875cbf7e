// The shared provider conformance suite from core, fed with the Gemini API's wire format:
// https://ai.google.dev/api/generate-content, https://ai.google.dev/api/embeddings,
// https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes.
import { answer, runProviderConformance, type Reply, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { API_KEY, MODEL, ORIGIN, PATHS, fixture } from './helpers.js';

/** The suite sends the 400 case to chat and to chatStream. */
const CHAT_OR_STREAM = (path: string): boolean => path === PATHS.generate || path === PATHS.stream;

/** The path asked and the answer, per scenario (`hang`: an answer that comes too late). */
const ANSWERS: Record<Scenario, [string | ((path: string) => boolean), Reply]> = {
  chat: [PATHS.generate, { body: fixture('generate-conformance.jsonc') }],
  completions: [PATHS.generate, { body: fixture('generate-conformance.jsonc') }],
  chatStream: [PATHS.stream, { body: fixture('stream-conformance.sse') }],
  completionsStream: [PATHS.stream, { body: fixture('stream-conformance.sse') }],
  embeddings: [PATHS.batchEmbed, { body: fixture('batch-embed-conformance.jsonc') }],
  badRequest: [CHAT_OR_STREAM, { status: 400, body: fixture('error-conformance.jsonc') }],
  serverError: [PATHS.generate, { status: 500, body: fixture('error-internal.jsonc') }],
  hang: [PATHS.generate, { body: fixture('generate-conformance.jsonc'), delay: 10_000 }],
};

function arrange(scenario: Scenario, agent: MockAgent): void {
  const [path, reply] = ANSWERS[scenario];
  answer(agent, ORIGIN, path, reply);
}

runProviderConformance({
  name: 'gemini',
  provider,
  options: { gemini_api_key: API_KEY },
  model: MODEL,
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: true },
  arrange,
});
