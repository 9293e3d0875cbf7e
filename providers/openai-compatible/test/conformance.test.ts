// The shared provider conformance suite, against OpenAI-format fixtures of a local server.
import { CONFORMANCE_ERROR, CONFORMANCE_TEXT, runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { answer } from '../src/testing/index.js';
import { conformanceAnswer } from '../src/testing/fixtures/conformance.js';

const ORIGIN = 'http://localhost:11434';

const PATHS: Record<Scenario, string> = {
  chat: '/v1/chat/completions',
  chatStream: '/v1/chat/completions',
  completions: '/v1/completions',
  completionsStream: '/v1/completions',
  embeddings: '/v1/embeddings',
  badRequest: '/v1/chat/completions',
  serverError: '/v1/chat/completions',
  hang: '/v1/chat/completions',
};

runProviderConformance({
  name: 'openai-compatible (Ollama-style local server)',
  provider,
  options: { api_base: `${ORIGIN}/v1` },
  model: 'llama3.2',
  supports: { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: true },
  arrange(scenario: Scenario, agent: MockAgent) {
    answer(agent, ORIGIN, PATHS[scenario], conformanceAnswer(scenario, 'llama3.2', CONFORMANCE_TEXT, CONFORMANCE_ERROR));
  },
});
